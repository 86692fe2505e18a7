;;; parameters.scm -- make-parameter (with converters) and parameterize.
;; expect-count: 27

(define p (make-parameter 10))
(define q (make-parameter 5 (lambda (x) (* x 2))))
(define s (make-parameter "a" (lambda (x) (if (string? x) x (error "not a string" x)))))
(define (get-p) (p))

(test 10 (p))
(test 20 (parameterize ((p 20)) (p)))
(test 10 (begin (parameterize ((p 20)) (p)) (p)))
(test 30 (parameterize ((p 20)) (parameterize ((p 30)) (p))))
(test 20 (parameterize ((p 20)) (parameterize ((p 30)) 'ignored) (p)))
(test 1 (parameterize ((p 1)) (get-p)))
(test 10 (get-p))
(test '(1 1) (parameterize ((p 1) (q 1)) (list (p) (/ (q) 2))))
(test 10 (q))
(test 6 (parameterize ((q 3)) (q)))
(test 10 (begin (parameterize ((q 3)) (q)) (q)))
(test #t (procedure? p))
(test 21 (parameterize ((p 20)) (let ((f (lambda () (+ 1 (p))))) (f))))
(test 10 (let ((f (parameterize ((p 20)) (lambda () (p))))) (f)))

;; bindings are evaluated before any parameter is rebound
(test 10 (parameterize ((p 1) (q (p))) (/ (q) 2)))

;; a converter is applied to the parameterized value (and may reject it)
(test "b" (parameterize ((s "b")) (s)))
(test-error (parameterize ((s 5)) (s)))
(test "a" (s))

;; escapes restore the previous value
(test 10 (begin (call/cc (lambda (k) (parameterize ((p 99)) (k 'out)))) (p)))
(test 10 (begin (with-exception-catcher (lambda (e) e)
                                        (lambda () (parameterize ((p 99)) (raise 'x))))
                (p)))
(test 99 (with-exception-catcher (lambda (e) e)
                                 (lambda () (parameterize ((p 99)) (raise (p))))))
(test 10 (guard (e (#t (p))) (parameterize ((p 99)) (raise 'x))))
(test 99 (with-exception-handler (lambda (e) (p))
                                 (lambda () (parameterize ((p 99)) (raise-continuable 'x)))))

;; re-entering a parameterize body via a continuation restores its binding
(test '(10 99)
      (let ((r (parameterize ((p 99))
                 (let ((v (call/cc (lambda (k) (cons 'first k)))))
                   (if (pair? v) v (list v (p)))))))
        (if (and (pair? r) (eq? (car r) 'first))
            ((cdr r) (p))
            r)))
;; ... but the continuation was captured inside, (p) outside is 10 again
(test 10 (begin (parameterize ((p 1)) (call/cc (lambda (k) k))) (p)))

;; current-output-port is a parameter
(test "hello"
      (let ((port (open-output-string)))
        (parameterize ((current-output-port port))
          (display "hello"))
        (get-output-string port)))
(test "42"
      (let ((port (open-output-string)))
        (parameterize ((current-output-port port))
          (write 42))
        (get-output-string port)))
