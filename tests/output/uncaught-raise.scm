;;; uncaught-raise.scm -- an uncaught raise of a non-error object.
;; expect: start
;; expect-exit: nonzero
;; expect-stderr-contains: boom

(display "start")
(newline)
(raise 'boom)
(display "not reached")
(newline)
