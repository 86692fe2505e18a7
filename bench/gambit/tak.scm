#!/usr/bin/env gsi-script
;; Gambit Scheme 4.9 version: this header + bench/scheme/tak.scm verbatim.
;; Run: gsi tak.scm [N]   or   gsc -exe -o tak tak.scm && ./tak [N]
;; Safe declarations only (generic arithmetic, no (not safe), no (fixnum)).
(declare (standard-bindings) (extended-bindings) (block))

;; tak(27,18,9): Takeuchi function (function calls + integer arithmetic).
;; The optional size argument X runs tak(X, 2X/3, X/3) (27 -> 27,18,9).
;; Usage: termite tak.scm [X]

(define (tak x y z)
  (if (< y x)
      (tak (tak (- x 1) y z)
           (tak (- y 1) z x)
           (tak (- z 1) x y))
      z))

;; Optional size argument: the last element of (command-line), if it is a number.
(define (last-element lst)
  (if (null? (cdr lst)) (car lst) (last-element (cdr lst))))

(define (bench-size default)
  (let ((args (command-line)))
    (if (and (pair? args) (pair? (cdr args)))
        (let ((n (string->number (last-element args))))
          (if n n default))
        default)))

(define (report result t0 t1)
  (display "result: ")
  (display result)
  (newline)
  (display "time-ms: ")
  (display (quotient (* (- t1 t0) 1000) (jiffies-per-second)))
  (newline))

(let* ((x (bench-size 27))
       (y (quotient (* 2 x) 3))
       (z (quotient x 3))
       (t0 (current-jiffy))
       (r (tak x y z))
       (t1 (current-jiffy)))
  (report r t0 t1))
