;;; exit-in-procedure.scm -- exit from deep inside the program, with
;;; output flushed and outstanding dynamic-wind "after" thunks run.
;; expect: start
;; expect: in
;; expect: out
;; expect-exit: 4

(define (f n) (if (= n 0) (exit 4) (+ 1 (f (- n 1)))))
(display "start")
(newline)
(dynamic-wind
 (lambda () (display "in") (newline))
 (lambda () (f 1000))
 (lambda () (display "out") (newline)))
(display "not reached")
(newline)
