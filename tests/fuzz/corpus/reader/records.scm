;;; records.scm -- define-record-type (constructor, predicate, accessors;
;;; mutator clauses are rejected).
;; expect-count: 0

(define-record-type point
  (make-point x y)
  point?
  (x point-x)
  (y point-y))

(define-record-type <color>
  (make-color name rgb)
  color?
  (name color-name)
  (rgb color-rgb))

;; constructor arguments in a different order than the fields
(define-record-type pair-rec
  (make-pair-rec second first)
  pair-rec?
  (first pair-rec-first)
  (second pair-rec-second))

(define-record-type empty-rec (make-empty-rec) empty-rec?)

(define p (make-point 1 2))

(test 1 (point-x p))
(test 2 (point-y p))
(test #t (point? p))
(test #f (point? 5))
(test #f (point? '(1 2)))
(test #f (point? (vector 1 2)))
(test #f (point? (make-color "red" #xff0000)))
(test #f (color? p))
(test #t (color? (make-color "red" #xff0000)))
(test "red" (color-name (make-color "red" #xff0000)))
(test 16711680 (color-rgb (make-color "red" #xff0000)))
(test 'a (pair-rec-first (make-pair-rec 'b 'a)))
(test 'b (pair-rec-second (make-pair-rec 'b 'a)))
(test #t (empty-rec? (make-empty-rec)))
(test #f (empty-rec? p))
(test #f (vector? p))
(test #f (pair? p))
(test #f (procedure? p))
(test #f (symbol? p))
(test #t (eq? p p))
(test #f (eq? (make-point 1 2) (make-point 1 2)))
(test '(1 3) (map point-x (list (make-point 1 2) (make-point 3 4))))
(test 10 (let loop ((ps (list (make-point 1 2) (make-point 3 4))) (sum 0))
           (if (null? ps) sum
               (loop (cdr ps) (+ sum (point-x (car ps)) (point-y (car ps)))))))
(test '(1 2) (let ((q (make-point (list 1 2) 'y))) (point-x q)))
(test #t (point? (point-x (make-point (make-point 0 0) 1))))
(test #t (procedure? make-point))
(test #t (procedure? point?))
(test #t (procedure? point-x))

;; "functional update": build a new record
(define (point-with-x pt x) (make-point x (point-y pt)))
(test 10 (point-x (point-with-x p 10)))
(test 1 (point-x p))

;; local record type definition
(test 42 (let ()
           (define-record-type box (make-box v) box? (v unbox))
           (unbox (make-box 42))))

;; errors
(test-error (point-x 5))
(test-error (point-x (make-color "red" 0)))
(test-error (make-point 1))
(test-error (make-point 1 2 3))
(test-error "mutator clause is rejected"
            (eval '(define-record-type cell (make-cell v) cell? (v cell-v set-cell-v!))))
(test-error "mutator clause is rejected in a body"
            (eval '(let ()
                     (define-record-type cell2 (make-cell2 v) cell2? (v cell2-v set-cell2-v!))
                     (make-cell2 1))))
