;;; control.scm -- if, cond (=>), case (=>), and, or, when, unless, do,
;;; named let, begin, booleans, procedures, assert.
;; expect-count: 84

;; if and truthiness
(test 'yes (if #t 'yes 'no))
(test 'no (if #f 'yes 'no))
(test 'yes (if '() 'yes 'no))
(test 'yes (if 0 'yes 'no))
(test 'yes (if "" 'yes 'no))
(test 'yes (if (> 3 2) 'yes))
(test #t (not #f))
(test #f (not 3))
(test #f (not '()))
(test #f (not (list 3)))
(test #t (boolean? #f))
(test #t (boolean? #t))
(test #f (boolean? '()))
(test #f (boolean? 0))
(test #t (eq? #true #t))
(test #t (eq? #false #f))
(test #t (boolean=? #t #t))
(test #f (boolean=? #t #f))
(test #t (boolean=? #f #f #f))

;; cond
(test 'greater (cond ((> 3 2) 'greater) ((< 3 2) 'less)))
(test 'equal (cond ((> 3 3) 'greater) ((< 3 3) 'less) (else 'equal)))
(test 2 (cond ((assv 'b '((a 1) (b 2))) => cadr) (else #f)))
(test 5 (cond (5)))
(test 'second (cond (#f 'first) ((+ 1 1) 'second)))
(test 3 (cond ((+ 1 2))))
(test 'e (cond (#f 1) (else 'e)))
(test '(b 2) (cond ((assq 'b '((a 1) (b 2))) => (lambda (x) x))))
(test 'last (cond (#t 'first-expr 'last)))

;; case
(test 'composite (case (* 2 3) ((2 3 5 7) 'prime) ((1 4 6 8 9) 'composite)))
(test 'c (case (car '(c d)) ((a e i o u) 'vowel) ((w y) 'semivowel) (else => (lambda (x) x))))
(test 'consonant (case 'z ((a e i o u) 'vowel) (else 'consonant)))
(test 10 (case 5 ((1) 'one) (else => (lambda (x) (* x 2)))))
(test 3 (case 2 ((2) => (lambda (x) (+ x 1))) (else 'no)))
(test 'char (case #\a ((#\a #\b) 'char) (else 'other)))
(test 'empty (case '() ((()) 'empty) (else 'other)))
(test 'b (case 'x ((a) 'a) ((x y) 'b) (else 'c)))
(test 'last (case 1 ((1) 'first 'last)))
(test 'big (case (expt 2 100) ((1) 'one) (else 'big)))

;; and / or
(test #t (and))
(test #f (or))
(test 2 (and 1 2))
(test #f (and 1 #f 3))
(test 3 (or #f 3))
(test #f (or #f #f))
(test '(b c) (or (memq 'b '(a b c)) (/ 3 0)))
(test #f (and #f (/ 3 0)))
(test 1 (or 1 (car '())))
(test 'x (and 'x))
(test 'x (or 'x))

;; when / unless
(test 2 (when #t 1 2))
(test 'x (unless #f 'x))
(test 'ok (begin (when #f (car '())) 'ok))
(test 'ok (begin (unless #t (car '())) 'ok))

;; begin
(test 3 (begin 1 2 3))
(test "ab" (let ((p (open-output-string))) (begin (write-char #\a p) (write-char #\b p)) (get-output-string p)))

;; do
(test '(4 3 2 1 0) (do ((i 0 (+ i 1)) (acc '() (cons i acc))) ((= i 5) acc)))
(test 'done (do ((i 0 (+ i 1))) ((= i 3) 'done)))
(test 120 (do ((n 5 (- n 1)) (acc 1 (* acc n))) ((= n 0) acc)))
(test '(3 3) (do ((i 0 (+ i 1)) (j 3)) ((= i j) (list i j))))
(test "012"
      (let ((port (open-output-string)))
        (do ((i 0 (+ i 1))) ((= i 3)) (write i port))
        (get-output-string port)))

;; named let
(test '(1 1 2 3 5 8 13)
      (let fib ((a 1) (b 1) (n 7) (acc '()))
        (if (= n 0) (reverse acc) (fib b (+ a b) (- n 1) (cons a acc)))))
(test 720 (let fact ((n 6)) (if (= n 0) 1 (* n (fact (- n 1))))))
(test '((6 1 3) (-5 -2))
      (let loop ((numbers '(3 -2 1 6 -5)) (nonneg '()) (neg '()))
        (cond ((null? numbers) (list nonneg neg))
              ((>= (car numbers) 0) (loop (cdr numbers) (cons (car numbers) nonneg) neg))
              ((< (car numbers) 0) (loop (cdr numbers) nonneg (cons (car numbers) neg))))))

;; procedures
(test #t (procedure? car))
(test #f (procedure? 'car))
(test #t (procedure? (lambda (x) (* x x))))
(test #f (procedure? '(lambda (x) (* x x))))
(test #t (call-with-current-continuation procedure?))
(test #t (procedure? (call/cc (lambda (k) k))))
(test 7 (apply (lambda (a b) (+ a b)) '(3 4)))
(test '(b e h) (map cadr '((a b) (d e) (g h))))

;; eq? / eqv? / equal?
(test #t (eq? 'a 'a))
(test #f (eq? (list 'a) (list 'a)))
(test #t (eq? car car))
(test #t (let ((p (lambda (x) x))) (eq? p p)))
(test #t (eqv? #\a #\a))
(test #f (eqv? "abc" (string #\a #\b #\c)))
(test #t (equal? "abc" (string #\a #\b #\c)))
(test #t (equal? '(a (b) #(c)) '(a (b) #(c))))
(test #f (eqv? (lambda () 1) (lambda () 2)))

;; assert
(test 'ok (begin (assert #t) 'ok))
(test 'ok (begin (assert (= 1 1)) 'ok))
(test-error (assert #f))
(test-error (assert (= 1 2)))
