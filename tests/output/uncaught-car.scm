;;; uncaught-car.scm -- an uncaught primitive error.
;; expect: start
;; expect-exit: nonzero
;; expect-stderr-contains: car

(define (get-first x) (car x))
(display "start")
(newline)
(get-first 5)
(display "not reached")
(newline)
