;;; inline-ops.scm -- primitives the compiler open-codes (quotient,
;;; remainder, modulo, max, min, char=?, eqv?, cadr, cddr) and the fused
;;; compare-and-branch instructions: each on its fixnum/char fast path and
;;; on the slow path (bignums, flonums, rationals, wrong types), which must
;;; behave exactly like the primitive.
;; expect-count: 80

(define big (expt 10 30))
(define (id x) x)                       ; keeps values out of constants

(test-group "quotient/remainder/modulo"
  (test 3 (quotient (id 17) (id 5)))
  (test -3 (quotient (id -17) (id 5)))
  (test 2 (remainder (id 17) (id 5)))
  (test -2 (remainder (id -17) (id 5)))
  (test 2 (remainder (id 17) (id -5)))
  (test 2 (modulo (id 17) (id 5)))
  (test 3 (modulo (id -17) (id 5)))
  (test -3 (modulo (id 17) (id -5)))
  (test -2 (modulo (id -17) (id -5)))
  (test 0 (modulo (id 10) (id 5)))
  (test -17 (quotient (id 17) (id -1)))
  (test 0 (remainder (id 17) (id -1)))
  ;; the most negative fixnum divided by -1 leaves the fixnum range
  (test 4611686018427387904 (quotient (id -4611686018427387904) (id -1)))
  (test (* 2 (expt 10 29)) (quotient big (id 5)))
  (test 1 (remainder (+ big 1) (id 10)))
  (test 9 (modulo (- (id -1) big) (id 10)))
  (test 2.0 (quotient (id 7.0) (id 3)))
  (test-error-message "quotient" (quotient (id 1) (id 0)))
  (test-error-message "remainder" (remainder (id 1) (id 0)))
  (test-error-message "modulo" (modulo (id 'a) (id 2)))
  (test-error-message "integer" (remainder (id 1.5) (id 2))))

(test-group "max/min"
  (test 7 (max (id 3) (id 7)))
  (test 7 (max (id 7) (id 3)))
  (test -3 (min (id -3) (id 7)))
  (test 7.0 (max (id 3) (id 7.0)))       ; inexact contagion
  (test 3.0 (min (id 3) (id 7.0)))
  (test big (max (id 1) big))
  (test 1/2 (min (id 1) (id 1/2)))
  (test-error-message "max" (max (id 'a) (id 1)))
  (test-error-message "min" (min (id 1) (id "x"))))

(test-group "char=? and eqv?"
  (test #t (char=? (id #\a) (id #\a)))
  (test #f (char=? (id #\a) (id #\b)))
  (test-error-message "char=?" (char=? (id #\a) (id 1)))
  (test #t (eqv? (id 5) (id 5)))
  (test #f (eqv? (id 5) (id 5.0)))
  (test #t (eqv? big (* (expt 10 15) (expt 10 15))))
  (test #t (eqv? (id 2.5) (/ (id 5.0) 2)))
  (test #f (eqv? (id 'a) (id 'b)))
  (test #f (eqv? (list 1) (list 1)))
  (test #t (eqv? (id "") (id ""))))

(test-group "cadr/cddr"
  (test 2 (cadr (id '(1 2 3))))
  (test '(3) (cddr (id '(1 2 3))))
  (test '() (cddr (id '(1 2))))
  (test-error-message "cadr" (cadr (id '(1))))
  (test-error-message "cddr" (cddr (id 5))))

;; compare-and-branch: the test of an if fuses with its jump
(define (classify x)
  (cond ((< x 0) 'negative)
        ((= x 0) 'zero)
        ((> x 100) 'large)
        ((<= x 10) 'small)
        ((>= x 50) 'medium-high)
        (else 'medium)))
(define (lt a b) (if (< a b) 'yes 'no))

(test-group "compare and branch"
  (test '(negative zero small small medium medium-high large)
        (map classify '(-5 0 1 10 11 50 101)))
  (test '(negative zero small large) (map classify (list -0.5 0.0 2.5 1e300)))
  (test 'large (classify big))
  (test 'negative (classify (- big)))
  (test 'small (classify 1/3))
  (test 'yes (lt (id 1) (id 2)))
  (test 'no (lt (id 2) (id 1)))
  (test 'no (lt (id 1) (id 1)))
  (test 'yes (lt (id 1) big))
  (test 'no (lt (id +nan.0) (id 1)))
  (test-error-message "<" (lt (id 'a) (id 1)))
  (test-error-message "<" (classify "x"))
  (test '(pair null other) (map (lambda (x) (cond ((pair? x) 'pair) ((null? x) 'null) (else 'other)))
                                (list '(1) '() 5)))
  (test 'not-false (if (not (id #f)) 'not-false 'false)))

;; A handler that returns gives the failed test its value, and the branch
;; goes by that value (the fused test resumes at its jump).
(define (handled v thunk) (with-exception-handler (lambda (e) v) thunk))
(test-group "handler value decides a fused branch"
  (test 'no (handled #f (lambda () (if (< (id 'a) 5) 'yes 'no))))
  (test 'yes (handled #t (lambda () (if (< (id 'a) 5) 'yes 'no))))
  (test 'no (handled #f (lambda () (if (< (id 'a) (id 1)) 'yes 'no))))
  (test 'yes (handled #t (lambda () (if (< (id 'a) (id 1)) 'yes 'no))))
  (test 'no (handled #f (lambda () (let ((a (id 'x)) (b (id 1))) (if (< a b) 'yes 'no)))))
  (test 'yes (handled #t (lambda () (let ((a (id 'x)) (b (id 1))) (if (= a b) 'yes 'no)))))
  (test '(v v v) (handled 'v (lambda () (let ((a (id 'x)) (b (id 1)))
                                          (list (< a b) (max a b) (quotient a b)))))))

;; two locals compared, and pushed two at a time
(define (count-up i n acc)
  (if (>= i n) (reverse acc) (count-up (+ i 1) n (cons i acc))))
(define (same? a b) (if (eq? a b) 'same 'different))
(test '(0 1 2 3 4) (count-up 0 5 '()))
(test '() (count-up 5 5 '()))
(test '(0 1 2) (count-up 0 2.5 '()))
(test 'same (same? 'x 'x))
(test 'different (same? 'x 'y))
(test-error-message ">=" (count-up 'a 5 '()))

;; (! pid msg) and (?) are single instructions; (?) calls the primitive
;; itself when it must wait or raise an exit signal
(test-group "! and ?"
  (test '(1 2) (begin (! (self) 1) (! (self) 2) (let* ((a (?)) (b (?))) (list a b))))
  (test-error-message "pid" (! (id 5) 'x))
  (test '(handled after)
        (with-exception-handler (lambda (e) 'handled)
                                (lambda () (list (! (id 5) 'x) 'after))))
  (test 'late (let ((me (self)))
                (spawn (lambda () (? 0.02 #f) (! me 'late)))
                (?)))
  (test 'failure
        (with-exception-catcher
         (lambda (e) (termite-exception-reason e))
         (lambda () (spawn-link (lambda () (car '()))) (?)))))

;; a local plus a constant, pushed (a let binding or an argument): a
;; handler's value is what gets pushed
(test-group "handler value of a pushed local+constant"
  (test 'H (handled 'H (lambda () (let ((v0 (cons 1 1))) (let ((v1 (+ v0 -1))) v1)))))
  (test '(H x) (handled 'H (lambda () (let ((v0 (id 'a))) (list (+ v0 1) 'x)))))
  (test '(2 x) (handled 'H (lambda () (let ((v0 (id 1))) (list (+ v0 1) 'x))))))
