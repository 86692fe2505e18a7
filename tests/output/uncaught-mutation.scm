;;; uncaught-mutation.scm -- set! is rejected; the message names it.
;; expect-exit: nonzero
;; expect-stderr-contains: set!

(define x 1)
(set! x 2)
(display x)
(newline)
