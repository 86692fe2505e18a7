;;; promises.scm -- delay, force, make-promise, delay-force, promise?.
;; expect-count: 23

(test 3 (force (delay (+ 1 2))))
(test '(3 3) (let ((p (delay (+ 1 2)))) (list (force p) (force p))))
(test #t (promise? (delay 1)))
(test #t (promise? (delay-force (delay 1))))
(test #t (promise? (make-promise 1)))
(test #f (promise? 5))
(test #f (promise? (lambda () 5)))
(test 7 (force (make-promise 7)))
(test #t (let ((p (delay 1))) (eq? p (make-promise p))))
(test 5 (force (delay-force (delay 5))))
(test 'x (force (delay (force (delay 'x)))))
(test 'nested (force (force (delay (delay 'nested)))))

;; memoization: the body runs once
(test "x"
      (let* ((port (open-output-string))
             (p (delay (begin (write-char #\x port) 1))))
        (force p)
        (force p)
        (force p)
        (get-output-string port)))
(test #t (let ((p (delay (list 1 2)))) (eq? (force p) (force p))))
(test "" (let* ((port (open-output-string))
                (p (delay (begin (write-char #\x port) 1))))
           (get-output-string port)))

;; streams (R7RS examples)
(define integers
  (letrec ((next (lambda (n) (delay (cons n (next (+ n 1)))))))
    (next 0)))
(define (head stream) (car (force stream)))
(define (tail stream) (cdr (force stream)))
(define (stream-filter p? s)
  (delay-force
   (if (null? (force s))
       (delay '())
       (let ((h (car (force s)))
             (t (cdr (force s))))
         (if (p? h)
             (delay (cons h (stream-filter p? t)))
             (stream-filter p? t))))))
(define (stream-take s n)
  (if (= n 0) '() (cons (head s) (stream-take (tail s) (- n 1)))))
(test 2 (head (tail (tail integers))))
(test 5 (head (tail (tail (stream-filter odd? integers)))))
(test '(0 1 2 3 4) (stream-take integers 5))
(test '(0 3 6 9) (stream-take (stream-filter (lambda (n) (= 0 (modulo n 3))) integers) 4))

;; delay-force runs in constant space (iterative forcing)
(define (loop-promise n)
  (delay-force (if (= n 0) (delay 'done) (loop-promise (- n 1)))))
(test 'done (force (loop-promise 1000000)))
(test 1000000 (head (stream-filter (lambda (n) (= n 1000000)) integers)))

;; an exception inside a promise propagates to force
(test-error (force (delay (car '()))))
(test 'caught (guard (e ((symbol? e) 'caught)) (force (delay (raise 'oops)))))
