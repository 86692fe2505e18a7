;;; exceptions.scm -- raise, error, with-exception-handler,
;;; with-exception-catcher, raise-continuable, guard (paper section 4.7).
;; expect-count: 62

;; the two examples of the paper, section 4.7
(test '(42)
      (list
       (with-exception-catcher
        (lambda (exception) exception)
        (lambda ()
          (raise 42) ; this will not return
          123))))
(test '(123)
      (list
       (with-exception-handler
        (lambda (exception) exception)
        (lambda ()
          (raise 42) ; control will resume here
          123))))

;; with-exception-handler: (raise obj) returns the handler's value
(test 43 (with-exception-handler (lambda (e) (* e 2)) (lambda () (+ 1 (raise 21)))))
(test '(1 handled 3)
      (with-exception-handler (lambda (e) 'handled) (lambda () (list 1 (raise 'x) 3))))
(test 43 (with-exception-handler (lambda (c) 42) (lambda () (+ (raise-continuable 'oops) 1))))
(test 1 (with-exception-handler (lambda (e) 0) (lambda () (+ 1 (raise-continuable 'c)))))
(test 'x (with-exception-handler (lambda (e) e) (lambda () (raise-continuable 'x))))
(test '(caught boom)
      (call-with-current-continuation
       (lambda (k)
         (with-exception-handler
          (lambda (e) (k (list 'caught e)))
          (lambda () (raise 'boom))))))

;; with-exception-catcher: resumes where the handler was installed
(test 11 (+ 1 (with-exception-catcher (lambda (e) 10) (lambda () (+ 100 (raise 'x))))))
(test 'result (with-exception-catcher (lambda (e) 'handled) (lambda () 'result)))
(test '(got (1 2)) (with-exception-catcher (lambda (e) (list 'got e)) (lambda () (raise (list 1 2)))))
(test '(#f) (with-exception-catcher (lambda (e) (list e)) (lambda () (raise #f))))
(test "str" (with-exception-catcher (lambda (e) e) (lambda () (raise "str"))))
(test #t (with-exception-catcher (lambda (e) (error-object? e)) (lambda () (error "msg"))))
(test #t (with-exception-catcher (lambda (e) (error-object? e)) (lambda () (car 5))))

;; nesting: a handler runs with the outer handler installed
(test '(outer (inner x))
      (with-exception-catcher
       (lambda (e) (list 'outer e))
       (lambda ()
         (with-exception-catcher
          (lambda (e) (raise (list 'inner e)))
          (lambda () (raise 'x))))))
(test '(outer (h x))
      (with-exception-catcher
       (lambda (e) (list 'outer e))
       (lambda ()
         (with-exception-handler
          (lambda (e) (raise (list 'h e)))
          (lambda () (raise 'x))))))
(test '(2 (1 x))
      (with-exception-handler
       (lambda (e) (list 2 e))
       (lambda ()
         (with-exception-handler
          (lambda (e) (raise-continuable (list 1 e)))
          (lambda () (raise-continuable 'x))))))
(test 'inner
      (with-exception-catcher
       (lambda (e) 'outer)
       (lambda ()
         (with-exception-catcher (lambda (e) 'inner) (lambda () (raise 'x))))))
(test 'after
      (begin (with-exception-catcher (lambda (e) e) (lambda () (raise 'x)))
             'after))

;; guard
(test '(caught boom) (guard (e (#t (list 'caught e))) (raise 'boom)))
(test 'str (guard (e ((symbol? e) 'sym) ((string? e) 'str)) (raise "x")))
(test 'sym (guard (e ((symbol? e) 'sym) ((string? e) 'str)) (raise 'x)))
(test 42 (guard (e ((assq 'a e) => cdr) ((assq 'b e))) (raise (list (cons 'a 42)))))
(test '(b . 23) (guard (e ((assq 'a e) => cdr) ((assq 'b e))) (raise (list (cons 'b 23)))))
(test 'other (guard (e ((string? e) 'str) (else 'other)) (raise 1)))
(test 5 (guard (e (#t 'x)) 5))
(test 3 (guard (e (#t 'x)) 1 2 3))
(test "bad thing" (guard (e ((error-object? e) (error-object-message e))) (error "bad thing" 1 2)))
(test '(1 2) (guard (e ((error-object? e) (error-object-irritants e))) (error "bad thing" 1 2)))
(test 'caught (guard (e (#t 'caught)) (car 5)))
(test 'caught (guard (e (#t 'caught)) (vector-ref (vector) 0)))
(test '(got #f) (guard (e (#t (list 'got e))) (raise #f)))
(test 11 (+ 1 (guard (e (#t 10)) (+ 100 (raise 'x)))))
;; re-raise when no clause matches
(test '(outer sym)
      (guard (outer (#t (list 'outer outer)))
        (guard (inner ((string? inner) 'inner))
          (raise 'sym))))
(test 'handler-value
      (with-exception-handler
       (lambda (e) 'handler-value)
       (lambda ()
         (guard (e ((string? e) 'string))
           (raise-continuable 'not-a-string)))))
(test '(outer (inner x))
      (guard (e (#t (list 'outer e)))
        (guard (e (#t (raise (list 'inner e))))
          (raise 'x))))
;; guard evaluates the clauses after unwinding
(test "in out handler "
      (let ((port (open-output-string)))
        (guard (e (#t (write-string "handler " port)))
          (dynamic-wind
           (lambda () (write-string "in " port))
           (lambda () (raise 'x))
           (lambda () (write-string "out " port))))
        (get-output-string port)))
;; with-exception-handler runs the handler before unwinding
(test "in handler out "
      (let ((port (open-output-string)))
        (call/cc
         (lambda (k)
           (with-exception-handler
            (lambda (e) (write-string "handler " port) (k 'escaped))
            (lambda ()
              (dynamic-wind
               (lambda () (write-string "in " port))
               (lambda () (raise 'x))
               (lambda () (write-string "out " port)))))))
        (get-output-string port)))
;; with-exception-catcher runs the handler after unwinding to where it was installed
(test "in out handler "
      (let ((port (open-output-string)))
        (with-exception-catcher
         (lambda (e) (write-string "handler " port))
         (lambda ()
           (dynamic-wind
            (lambda () (write-string "in " port))
            (lambda () (raise 'x))
            (lambda () (write-string "out " port)))))
        (get-output-string port)))

;; error objects
(define err (guard (e (#t e)) (error "Something bad:" 'a "b" 3)))
(test #t (error-object? err))
(test "Something bad:" (error-object-message err))
(test '(a "b" 3) (error-object-irritants err))
(test '() (error-object-irritants (guard (e (#t e)) (error "no irritants"))))
(test #f (error-object? 'sym))
(test #f (error-object? "string"))
(test #f (error-object? (guard (e (#t e)) (raise 'sym))))
(test #f (error-object? (guard (e (#t e)) (raise (list 1 2)))))
(test #t (error-object? (guard (e (#t e)) (raise (guard (e2 (#t e2)) (error "re-raised"))))))
(test "re-raised" (error-object-message (guard (e (#t e)) (raise (guard (e2 (#t e2)) (error "re-raised"))))))

;; any value can be raised
(test 'sym (guard (e (#t e)) (raise 'sym)))
(test 42 (guard (e (#t e)) (raise 42)))
(test '(a b) (guard (e (#t e)) (raise '(a b))))
(test #(1 2) (guard (e (#t e)) (raise #(1 2))))
(test 'proc (guard (e ((procedure? e) (e))) (raise (lambda () 'proc))))

;; raising from deep recursion
(test 'deep (guard (e (#t e)) (let loop ((n 100000)) (if (= n 0) (raise 'deep) (+ 1 (loop (- n 1)))))))
(test 'in-map (guard (e (#t e)) (map (lambda (x) (if (= x 3) (raise 'in-map) x)) '(1 2 3 4))))

;; errors raised by test-error's own protection
(test-error (raise 'anything))
(test-error (error "message" 1))
(test-error (raise #f))
(test-error (with-exception-catcher (lambda (e) (raise e)) (lambda () (raise 'again))))
(test-error (guard (e ((string? e) 'no)) (raise 'not-caught)))
