;;; uncaught-car.scm -- an uncaught primitive error.
;; expect: start
;; expect-exit: nonzero
;;; The report shows the offending value once, in the message.
;; expect-stderr-matches: (?m)^error: car: argument 1 must be a pair, got 5\n  at 

(define (get-first x) (car x))
(display "start")
(newline)
(get-first 5)
(display "not reached")
(newline)
