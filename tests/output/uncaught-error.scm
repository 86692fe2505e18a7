;;; uncaught-error.scm -- an uncaught (error "msg" irritant ...).
;; expect-exit: nonzero
;; expect-stderr-contains: something went wrong
;; expect-stderr-contains: 42

(define (check x)
  (if (> x 10)
      (error "something went wrong" x 'too-big)
      x))
(check 42)
(display "not reached")
(newline)
