;;; system.scm -- command-line, environment variables, features.
;; expect-count: 12

(test-assert (list? (command-line)))
(test-assert (pair? (command-line)))
(test-assert (let loop ((l (command-line))) (or (null? l) (and (string? (car l)) (loop (cdr l))))))
(test '() (cdr (command-line)))
(test-assert (string? (get-environment-variable "PATH")))
(test #f (get-environment-variable "TERMITE_SURELY_UNDEFINED_VARIABLE_XYZ"))
(test-assert (list? (get-environment-variables)))
(test-assert (string? (cdr (assoc "PATH" (get-environment-variables)))))
(test-assert (procedure? exit))
(test-assert (input-port? (current-input-port)))
(test-assert (output-port? (current-output-port)))
(test-assert (output-port? (current-error-port)))
