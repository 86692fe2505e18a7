;;; tail-calls.scm -- proper tail calls in every tail context.
;; expect-count: 31

(define big 1000000)

(test 10000000 (let loop ((i 0)) (if (< i 10000000) (loop (+ i 1)) i)))

(define (my-even? n) (if (= n 0) #t (my-odd? (- n 1))))
(define (my-odd? n) (if (= n 0) #f (my-even? (- n 1))))
(test #t (my-even? big))
(test #f (my-odd? big))
(test #t (my-odd? (+ big 1)))

(define (three-a n) (if (= n 0) 'a (three-b (- n 1))))
(define (three-b n) (if (= n 0) 'b (three-c (- n 1))))
(define (three-c n) (if (= n 0) 'c (three-a (- n 1))))
(test 'c (three-a (+ big 1)))

;; through apply
(define (count-apply n) (if (= n 0) 'done (apply count-apply (list (- n 1)))))
(test 'done (count-apply big))
(define (count-apply2 n acc) (if (= n 0) acc (apply count-apply2 (- n 1) (list (+ acc 1)))))
(test big (count-apply2 big 0))

;; tail positions of the derived forms
(define (loop-cond n) (cond ((= n 0) 'done) (else (loop-cond (- n 1)))))
(test 'done (loop-cond big))
(define (loop-cond-arrow n) (cond ((= n 0) 'done) ((- n 1) => loop-cond-arrow)))
(test 'done (loop-cond-arrow big))
(define (loop-case n) (case (if (= n 0) 'stop 'go) ((stop) 'done) ((go) (loop-case (- n 1)))))
(test 'done (loop-case big))
(define (loop-case-arrow n)
  (case (if (= n 0) 'stop 'go) ((stop) 'done) (else => (lambda (ignored) (loop-case-arrow (- n 1))))))
(test 'done (loop-case-arrow big))
(define (loop-and n) (and #t (if (= n 0) 'done (loop-and (- n 1)))))
(test 'done (loop-and big))
(define (loop-or n) (or (= n 0) (loop-or (- n 1))))
(test #t (loop-or big))
(define (loop-when n) (when #t (if (= n 0) 'done (loop-when (- n 1)))))
(test 'done (loop-when big))
(define (loop-unless n) (unless #f (if (= n 0) 'done (loop-unless (- n 1)))))
(test 'done (loop-unless big))
(define (loop-let n) (let ((m (- n 1))) (if (< m 0) 'done (loop-let m))))
(test 'done (loop-let big))
(define (loop-let* n) (let* ((a n) (m (- a 1))) (if (< m 0) 'done (loop-let* m))))
(test 'done (loop-let* big))
(define (loop-letrec n) (letrec ((m (- n 1))) (if (< m 0) 'done (loop-letrec m))))
(test 'done (loop-letrec big))
(define (loop-begin n) (begin 'x (if (= n 0) 'done (loop-begin (- n 1)))))
(test 'done (loop-begin big))
(define (loop-let-values n)
  (let-values (((a b) (values n 1))) (if (= a 0) 'done (loop-let-values (- a b)))))
(test 'done (loop-let-values big))
(define (loop-internal n)
  (define m (- n 1))
  (if (< m 0) 'done (loop-internal m)))
(test 'done (loop-internal big))
(define loop-case-lambda
  (case-lambda
    ((n) (loop-case-lambda n 0))
    ((n acc) (if (= n 0) acc (loop-case-lambda (- n 1) (+ acc 1))))))
(test big (loop-case-lambda big))
(define (loop-optional n #!optional (acc 0)) (if (= n 0) acc (loop-optional (- n 1) (+ acc 1))))
(test big (loop-optional big))
(define-syntax my-if (syntax-rules () ((_ c a b) (cond (c a) (else b)))))
(define (loop-macro n) (my-if (= n 0) 'done (loop-macro (- n 1))))
(test 'done (loop-macro big))
(define (loop-do n) (do ((i n (- i 1))) ((= i 0) 'done)))
(test 'done (loop-do big))

;; continuation-passing style: every call is a tail call
(define (cps-count n k) (if (= n 0) (k 0) (cps-count (- n 1) (lambda (v) (k (+ v 1))))))
(test big (cps-count big (lambda (v) v)))

;; calls through higher-order procedures and closures
(define (trampoline-free f n) (if (= n 0) 'done (f f (- n 1))))
(test 'done (trampoline-free trampoline-free big))
(define (loop-via-closure n)
  (let ((next (lambda () (loop-via-closure (- n 1)))))
    (if (= n 0) 'done (next))))
(test 'done (loop-via-closure big))

;; tail call from within call/cc's receiver and call-with-values' consumer
(define (loop-callcc n) (if (= n 0) 'done (call/cc (lambda (k) (loop-callcc (- n 1))))))
(test 'done (loop-callcc big))
(define (loop-cwv n)
  (if (= n 0) 'done (call-with-values (lambda () (- n 1)) loop-cwv)))
(test 'done (loop-cwv big))

;; a loop that allocates garbage
(test big (let loop ((i 0) (l '())) (if (= i big) i (loop (+ i 1) (list i i)))))
