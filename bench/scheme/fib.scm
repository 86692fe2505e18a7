;; fib(34): recursive Fibonacci (function calls + integer arithmetic).
;; Usage: termite fib.scm [N]

(define (fib n)
  (if (< n 2)
      n
      (+ (fib (- n 1)) (fib (- n 2)))))

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

(let* ((n (bench-size 34))
       (t0 (current-jiffy))
       (r (fib n))
       (t1 (current-jiffy)))
  (report r t0 t1))
