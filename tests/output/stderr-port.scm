;;; stderr-port.scm -- current-error-port writes to stderr, not stdout.
;; expect: to stdout
;; expect-stderr-contains: to stderr
;; expect-stderr-contains: (written 1)

(display "to stderr" (current-error-port))
(newline (current-error-port))
(write '(written 1) (current-error-port))
(newline (current-error-port))
(display "to stdout" (current-output-port))
(newline)
