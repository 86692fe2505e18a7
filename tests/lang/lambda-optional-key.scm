;;; lambda-optional-key.scm -- lambda, rest arguments, and Gambit-style
;;; #!optional / #!key parameters with defaults.
;; expect-count: 64

(test 9 ((lambda (x) (* x x)) 3))
(test 42 ((lambda () 42)))
(test '(1 2) ((lambda args args) 1 2))
(test '() ((lambda args args)))
(test '() ((lambda (a . r) r) 1))
(test '(1 2 (3 4)) ((lambda (a b . r) (list a b r)) 1 2 3 4))
(test 3 ((lambda (x y) (+ x y)) 1 2))
(test 5 (((lambda (x) (lambda (y) (+ x y))) 2) 3))

(define (f-rest . args) args)
(define (f-one-rest a . rest) (list a rest))
(test '() (f-rest))
(test '(1 2 3) (f-rest 1 2 3))
(test '(1 ()) (f-one-rest 1))
(test '(1 (2 3)) (f-one-rest 1 2 3))

;; closures
(define (make-adder n) (lambda (x) (+ x n)))
(test 15 ((make-adder 10) 5))
(test '(11 12 13) (map (make-adder 10) '(1 2 3)))
(define (compose f g) (lambda (x) (f (g x))))
(test 7 ((compose (make-adder 1) (lambda (x) (* x 2))) 3))
(test 3 (let ((x 1)) (let ((f (lambda () x))) (let ((x 2)) (+ x (f))))))
(test '(0 1 2)
      (let ((procs (map (lambda (i) (lambda () i)) '(0 1 2))))
        (map (lambda (p) (p)) procs)))

;; internal defines in lambda bodies
(test 6 ((lambda (x) (define y (* x 2)) (define (z) (+ y x)) (z)) 2))
(define (outer n)
  (define (helper k) (* k k))
  (define base 100)
  (+ base (helper n)))
(test 125 (outer 5))

;; #!optional
(define (opt-a a #!optional (b 10)) (+ a b))
(test 11 (opt-a 1))
(test 3 (opt-a 1 2))
(define (opt-two #!optional (x 1) (y 2)) (list x y))
(test '(1 2) (opt-two))
(test '(5 2) (opt-two 5))
(test '(5 6) (opt-two 5 6))
(define (opt-dep a #!optional (b (* a 2))) (list a b))
(test '(3 6) (opt-dep 3))
(test '(3 4) (opt-dep 3 4))
(test '(1 none) ((lambda (a #!optional (b 'none)) (list a b)) 1))
(test '(1 2) ((lambda (a #!optional (b 'none)) (list a b)) 1 2))
(define (opt-fresh #!optional (l (list 1 2))) l)
(test #f (eq? (opt-fresh) (opt-fresh)))

;; #!key
(define (key-a #!key (x 1) (y 2)) (list x y))
(test '(1 2) (key-a))
(test '(1 5) (key-a y: 5))
(test '(3 2) (key-a x: 3))
(test '(3 4) (key-a x: 3 y: 4))
(test '(3 4) (key-a y: 4 x: 3))
(define (key-req a #!key (scale 1) (offset 0)) (+ (* a scale) offset))
(test 5 (key-req 5))
(test 15 (key-req 5 scale: 3))
(test 16 (key-req 5 offset: 1 scale: 3))
(test '(a (x 1))
      ((lambda (a #!key (k '(x 1))) (list a k)) 'a))
(define (opt-key a #!optional (b 2) #!key (c 3)) (list a b c))
(test '(1 2 3) (opt-key 1))
(test '(1 20 3) (opt-key 1 20))
(test '(1 20 30) (opt-key 1 20 c: 30))

;; keywords evaluate to themselves
(test #t (equal? 'y: y:))

;; arity errors
(test-error ((lambda (x) x)))
(test-error ((lambda (x) x) 1 2))
(test-error ((lambda (x y . z) x) 1))
(test-error (opt-a))
(test-error (opt-a 1 2 3))
(test-error (opt-two 1 2 3))
(test-error (key-a z: 1))
(test-error (key-a x:))

;; case-lambda
(define plus
  (case-lambda
    (() 0)
    ((x) x)
    ((x y) (+ x y))
    ((x y . rest) (apply plus (+ x y) rest))))
(test 0 (plus))
(test 1 (plus 1))
(test 3 (plus 1 2))
(test 10 (plus 1 2 3 4))
(define range
  (case-lambda
    ((e) (range 0 e))
    ((b e) (do ((r '() (cons e r))
                (e (- e 1) (- e 1)))
               ((< e b) r)))))
(test '(0 1 2) (range 3))
(test '(3 4) (range 3 5))
(test '(rest (2 3)) ((case-lambda ((a) 'one-arg) ((a . r) (list 'rest r))) 'x 2 3))
(test 'one-arg ((case-lambda ((a) 'one-arg) ((a . r) (list 'rest r))) 'x))
(test 'first ((case-lambda ((a) 'first) ((b) 'second)) 1))
(test #t (procedure? plus))
(define only-two (case-lambda ((a b) (list a b))))
(test '(1 2) (only-two 1 2))
(test-error (only-two 1))
(test-error (only-two 1 2 3))

;; optional parameters filled in at every depth of a deep non-tail
;; recursion: more defaults than the caller's frame has spare room for, so
;; the stack cache must spill before they are written
(define (deep-opt n #!optional (a 1) (b 2) (c 3) (d 4) (e 5) (f 6) (g 7)
                  (h 8) (i 9) (j 10) (k 11) (l 12))
  (if (= n 0) (+ a b c d e f g h i j k l) (+ 0 (deep-opt (- n 1)))))
(test 78 (deep-opt 20000))
