;;; binding-forms.scm -- define, let family, internal definitions,
;;; let-values & co, top-level redefinition.
;; expect-count: 53

;; top-level define and redefinition
(define x 1)
(test 1 x)
(define x 2)
(test 2 x)
(define (helper) 'first)
(define (use-helper) (helper))
(test 'first (use-helper))
(define (helper) 'second)
(test 'second (use-helper))
(define (forward-a) (forward-b))
(define (forward-b) 'b)
(test 'b (forward-a))
(define (curried a) (lambda (b) (list a b)))
(test '(1 2) ((curried 1) 2))
(begin (define bx 10) (define by 20))
(test 30 (+ bx by))

;; let
(test 3 (let ((a 1) (b 2)) (+ a b)))
(test 1 (let ((x 1)) (let ((x 2) (y x)) y)))
(test 5 (let () 5))
(test 'outer (let ((v 'outer)) (let ((f (lambda () v))) (let ((v 'inner)) (f)))))
(test '(2 1) (let ((a 1) (b 2)) (let ((a b) (b a)) (list a b))))

;; let*
(test 2 (let* ((x 1) (y (+ x 1))) y))
(test '(1 2 3) (let* ((a 1) (b (+ a 1)) (c (+ b 1))) (list a b c)))
(test 5 (let* () 5))
(test 2 (let* ((x 1) (x (+ x 1))) x))

;; letrec / letrec*
(test #t (letrec ((ev? (lambda (n) (if (= n 0) #t (od? (- n 1)))))
                  (od? (lambda (n) (if (= n 0) #f (ev? (- n 1))))))
           (ev? 100)))
(test 120 (letrec ((fact (lambda (n) (if (= n 0) 1 (* n (fact (- n 1))))))) (fact 5)))
(test 5 (letrec* ((p (lambda (x) (+ 1 (q (- x 1)))))
                  (q (lambda (y) (if (zero? y) 0 (+ 1 (p (- y 1))))))
                  (x (p 5))
                  (y x))
          y))
(test 3 (letrec* ((a 1) (b (+ a 2))) b))

;; named let
(test 55 (let loop ((i 0) (sum 0)) (if (> i 10) sum (loop (+ i 1) (+ sum i)))))
(test '(3 2 1) (let loop ((l '(1 2 3)) (acc '())) (if (null? l) acc (loop (cdr l) (cons (car l) acc)))))
(test 'done (let loop () 'done))

;; internal definitions
(test 6 (let () (define a 1) (define b 2) (define (c) 3) (+ a b (c))))
(test 45 (let ()
           (define (sum-to n) (if (= n 0) 0 (+ n (sum-to (- n 1)))))
           (sum-to 9)))
(test #t (let ()
           (define (ev? n) (if (= n 0) #t (od? (- n 1))))
           (define (od? n) (if (= n 0) #f (ev? (- n 1))))
           (ev? 10)))
(test 'shadowed (let ((list (lambda args 'shadowed))) (list 1 2)))
(test '(1 2) (let ((f (lambda () (define list (lambda args args)) (list 1 2)))) (f)))
(test 3 (let ((x 1)) (define y 2) (+ x y)))
(test 10 (let () (begin (define q1 4) (define q2 6)) (+ q1 q2)))

;; let-values / let*-values
(test 3 (let-values (((a b) (values 1 2))) (+ a b)))
(test '(1 2 3 4) (let-values (((a b) (values 1 2)) ((c d) (values 3 4))) (list a b c d)))
(test '(1 (2 3)) (let-values (((a . rest) (values 1 2 3))) (list a rest)))
(test '(1 2) (let-values ((all (values 1 2))) all))
(test '() (let-values ((all (values))) all))
(test 'x (let-values (((a) (values 'x))) a))
(test '(1 2 x) (let ((x 'x)) (let-values (((x y) (values 1 2)) ((z) (values x))) (list x y z))))
(test '(1 2 2) (let*-values (((a b) (values 1 2)) ((c) (values b))) (list a b c)))
(test '(x y) (let ((a 'a) (b 'b) (x 'x) (y 'y))
               (let*-values (((a b) (values x y)) ((x y) (values a b)))
                 (list a b))))
(test '(4 1) (let-values (((q r) (floor/ 9 2))) (list q r)))

;; define-values
(define-values (dv1 dv2) (values 1 2))
(test '(1 2) (list dv1 dv2))
(define-values (dv-a . dv-rest) (values 'a 'b 'c))
(test '(a (b c)) (list dv-a dv-rest))
(define-values dv-all (values 1 2 3))
(test '(1 2 3) dv-all)
(test 7 (let () (define-values (a b) (values 3 4)) (+ a b)))
(test '(1 (2)) (let () (define-values (a . b) (values 1 2)) (list a b)))

;; receive (SRFI 8)
(test '(1 (2 3)) (receive (a . rest) (values 1 2 3) (list a rest)))
(test 3 (receive (a b) (values 1 2) (+ a b)))
(test '(1 2) (receive all (values 1 2) all))

;; do
(test '(4 3 2 1 0) (do ((i 0 (+ i 1)) (acc '() (cons i acc))) ((= i 5) acc)))
(test 25 (let ((xs '(1 3 5 7 9))) (do ((xs xs (cdr xs)) (sum 0 (+ sum (car xs)))) ((null? xs) sum))))

;; errors
(test-error (let ((a 1)) undefined-variable-in-let))
(test-error (let-values (((a b) (values 1 2 3))) a))
(test-error (let-values (((a b c) (values 1 2))) a))
