;;; equal-cycles.scm -- equal? terminates on circular and heavily shared
;;; data (R7RS 6.1) and answers whether the two values unfold to the same
;;; (possibly infinite) tree.
;; expect-count: 12

(define (double n leaf)                 ; a DAG whose tree has 2^n leaves
  (let loop ((i 0) (x leaf))
    (if (= i n) x (loop (+ i 1) (cons x x)))))

(test #t (equal? '#0=(a b . #0#) '#1=(a b . #1#)))
(test #t (equal? '#0=(a b . #0#) '#1=(a b a b . #1#)))
(test #t (equal? '#0=(a b . #0#) '(a . #1=(b a . #1#))))
(test #f (equal? '#0=(a b . #0#) '#1=(a c . #1#)))
(test #f (equal? '#0=(a . #0#) '(a a a)))
(test #f (equal? '(a a a) '#0=(a . #0#)))
(test #t (equal? '#0=#(1 #0#) '#1=#(1 #1#)))
(test #f (equal? '#0=#(1 #0#) '#1=#(2 #1#)))
(test #t (equal? '#0=((x . #0#) y) '#1=((x . #1#) y)))
(test #t (equal? (double 64 'leaf) (double 64 'leaf)))
(test #f (equal? (double 64 'leaf) (double 64 'other)))
(test-assert (member '#0=(1 . #0#) (list 1 2 '#1=(1 1 . #1#))))
