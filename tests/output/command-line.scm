;;; command-line.scm -- program arguments follow the program name.
;; args: foo "bar baz" 3 --flag
;; expect: ("foo" "bar baz" "3" "--flag")
;; expect: 4
;; expect: #t

(write (cdr (command-line)))
(newline)
(write (length (cdr (command-line))))
(newline)
(write (string? (car (command-line))))
(newline)
