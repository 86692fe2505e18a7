;;; eval-load.scm -- eval and load.
;; expect-count: 33

(define-syntax twice (syntax-rules () ((_ e) (list e e))))
(define (global-fn x) (* x 3))

(test 3 (eval '(+ 1 2)))
(test 3 (eval (list '+ 1 2)))
(test '(1 2) (eval (list 'quote (list 1 2))))
(test 42 ((eval '(lambda (x) (* x 2))) 21))
(test 'sym (eval ''sym))
(test 5 (eval 5))
(test "s" (eval "s"))
(test 15 (eval '(global-fn 5)))
(test '(1 1) (eval '(twice 1)))
(test 6 (eval '(let ((a 1) (b 2)) (define c 3) (+ a b c))))
(test 3 (eval '(+ 1 2) (interaction-environment)))
(test 120 (eval '(let fact ((n 5)) (if (= n 0) 1 (* n (fact (- n 1)))))))
(test 'defined (begin (eval '(define evaled-var 42)) 'defined))
(test 42 evaled-var)
(test 42 (eval 'evaled-var))
(test 'defined (begin (eval '(define (evaled-fn x) (+ x evaled-var))) 'defined))
(test 43 (evaled-fn 1))
(test 'defined (begin (eval '(define-syntax evaled-macro (syntax-rules () ((_ x) (list 'm x))))) 'defined))
(test '(m 1) (eval '(evaled-macro 1)))
(test 10 (eval (eval ''(+ 4 6))))
(test-error (eval '(car 5)))
(test-error (eval 'no-such-variable-in-eval))
(test-error (eval '(if)))
(test-error (eval '(lambda)))
(test 'caught (guard (e (#t 'caught)) (eval '(raise 'x))))
(test 'x (guard (e (#t e)) (eval '(raise 'x))))

;; load
(define tmp-file
  (string-append "/tmp/termite-test-load-"
                 (number->string (current-jiffy)) "-"
                 (number->string (random-integer 1000000000)) ".scm"))
(test 'written
      (begin
        (call-with-output-file tmp-file
          (lambda (port)
            (write '(define (loaded-square x) (* x x)) port)
            (newline port)
            (write '(define loaded-value (loaded-square 7)) port)
            (newline port)
            (display "(define-syntax loaded-macro (syntax-rules () ((_ a) (cons a 'loaded))))" port)
            (newline port)))
        'written))
(test 'loaded (begin (load tmp-file) 'loaded))
(test 25 (loaded-square 5))
(test 49 loaded-value)
(test '(1 . loaded) (eval '(loaded-macro 1)))
(test #f (begin (delete-file tmp-file) (file-exists? tmp-file)))
(test-error (load tmp-file))
