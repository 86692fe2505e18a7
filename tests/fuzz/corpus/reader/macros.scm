;;; macros.scm -- syntax-rules (ellipses, literals, vector and dotted
;;; patterns, _, hygiene), let-syntax, letrec-syntax, define-macro.
;; expect-count: 0

(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e) e)
    ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))

(define-syntax my-and
  (syntax-rules ()
    ((_) #t)
    ((_ e) e)
    ((_ e r ...) (if e (my-and r ...) #f))))

(define-syntax swap-list
  (syntax-rules ()
    ((_ a b) (list b a))))

(define-syntax my-let*
  (syntax-rules ()
    ((_ () body ...) (let () body ...))
    ((_ ((x v) rest ...) body ...) (let ((x v)) (my-let* (rest ...) body ...)))))

(define-syntax reverse-groups
  (syntax-rules ()
    ((_ (a b ...) ...) '((b ... a) ...))))

(define-syntax arrow
  (syntax-rules (=>)
    ((_ a => b) (list 'arrow a b))
    ((_ a b c) (list 'plain a b c))))

(define-syntax vec-pat
  (syntax-rules ()
    ((_ #(a ...)) (list 'vec a ...))
    ((_ other) (list 'other other))))

(define-syntax dotted
  (syntax-rules ()
    ((_ a . rest) '(a rest))))

(define-syntax second-of
  (syntax-rules ()
    ((_ _ b . _) b)))

(define-syntax last-of
  (syntax-rules ()
    ((_ a ... z) 'z)))

(define-syntax first-and-rest
  (syntax-rules ()
    ((_ (a b ...) ...) '((a ...) ((b ...) ...)))))

(define-syntax make-vec
  (syntax-rules ()
    ((_ a ...) #(a ...))))

(define-syntax quote-both
  (syntax-rules ()
    ((_ a b) '(a . b))))

(define-syntax ten
  (syntax-rules ()
    ((_) 10)))

(define-syntax my-if
  (syntax-rules (then else)
    ((_ c then t else e) (cond (c t) (else e)))))

(define-syntax ellipsis-escape
  (syntax-rules ()
    ((_ a) '(a (... ...)))))

(define-syntax custom-ellipsis
  (syntax-rules ::: ()
    ((_ a :::) (list 'got a :::))))

(define (helper-proc x) (* x 10))
(define-syntax call-helper
  (syntax-rules ()
    ((_ x) (helper-proc x))))

(define-syntax make-pair-list
  (syntax-rules ()
    ((_ a b) (list a b))))

(define-syntax def-const
  (syntax-rules ()
    ((_ name v) (define (name) v))))
(def-const five 5)

(define-syntax my-cond
  (syntax-rules (else)
    ((_ (else e ...)) (begin e ...))
    ((_ (c e ...) clause ...) (if c (begin e ...) (my-cond clause ...)))))

(define-syntax uses-my-or
  (syntax-rules ()
    ((_ a b) (my-or a b))))

(define-syntax count-args
  (syntax-rules ()
    ((_) 0)
    ((_ x rest ...) (+ 1 (count-args rest ...)))))

;; basic expansion
(test '(2 1) (swap-list 1 2))
(test #f (my-or))
(test 3 (my-or #f 3))
(test 1 (my-or 1 (car '())))
(test #f (my-or #f #f #f))
(test #t (my-and))
(test 3 (my-and 1 2 3))
(test #f (my-and 1 #f (car '())))
(test '(1 2) (my-let* ((a 1) (b (+ a 1))) (list a b)))
(test 5 (my-let* () 5))
(test 10 (ten))
(test 'yes (my-if #t then 'yes else 'no))
(test 'no (my-if #f then 'yes else 'no))
(test 'b (my-cond (#f 'a) ((= 1 1) 'b) (else 'c)))
(test 'c (my-cond (#f 'a) (else 'c)))
(test 1 (uses-my-or 1 2))
(test 0 (count-args))
(test 4 (count-args a b c d))

;; ellipses
(test '((2 3 1) (5 4)) (reverse-groups (1 2 3) (4 5)))
(test '() (reverse-groups))
(test '((1 4 6) ((2 3) (5) (7))) (first-and-rest (1 2 3) (4 5) (6 7)))
(test 'z (last-of a b z))
(test 'z (last-of z))
(test '(x ...) (ellipsis-escape x))
(test '(got 1 2 3) (custom-ellipsis 1 2 3))

;; literals
(test '(arrow 1 2) (arrow 1 => 2))
(test '(plain 1 2 3) (arrow 1 2 3))

;; vector and dotted patterns, _
(test '(vec 1 2 3) (vec-pat #(1 2 3)))
(test '(vec) (vec-pat #()))
;; pattern variables are substituted inside quote too: 'other is '5
(test '(5 5) (vec-pat 5))
(test '(1 (2 3)) (dotted 1 2 3))
(test '(1 ()) (dotted 1))
(test 'b (second-of a 'b c d))
(test '(1 . 2) (quote-both 1 2))
(test #(1 2 3) (make-vec 1 2 3))
(test #t (vector? (make-vec)))

;; hygiene: macro temporaries do not capture user variables
(test 5 (let ((t 5)) (my-or #f t)))
(test 7 (let ((t 7)) (uses-my-or #f t)))
;; hygiene: user bindings of if / let / cond do not break macros
(test 2 (let ((if list)) (my-or #f 2)))
(test 'ok (let ((let 'user-let) (if 'user-if)) (my-or #f 'ok)))