;;; write-shared.scm -- datum labels in the four printers (R7RS 6.13.3):
;;; write and display label the objects on a cycle and only those;
;;; write-shared labels every pair and vector that appears more than once
;;; in the output; write-simple never labels anything.  What write-shared
;;; prints, read gives back with the same sharing (R7RS 2.4).
;; expect-count: 41

(define (printed proc x)
  (let ((port (open-output-string))) (proc x port) (get-output-string port)))
(define (shared->string x) (printed write-shared x))
(define (read-back s) (read (open-input-string s)))
;; x written by write-shared and read again
(define (round-trip x) (read-back (shared->string x)))

;; a list of 1 and 2, twice: the same two pairs both times
(define x (list 1 2))
(define twice (list x x))
;; (a b a b ...): the third pair's cdr is the first pair
(define cyclic (read-back "#0=(a b . #0#)"))

(test-group "sharing without cycles"
  ;; the pair (1 2) appears twice: a label on the first, a reference after
  (test "(#0=(1 2) #0#)" (shared->string twice))
  ;; write and display label cycles only, and there is none
  (test "((1 2) (1 2))" (printed write twice))
  (test "((1 2) (1 2))" (printed display twice))
  (test "((1 2) (1 2))" (printed write-simple twice))
  ;; the current output port when no port is given
  (test "(#0=(1 2) #0#)" (with-output-to-string (lambda () (write-shared twice))))
  ;; a shared tail: the label needs the dotted form, since the first time
  ;; the pair appears it is the cdr of (1 2 3)
  (test "((1 . #0=(2 3)) #0#)"
        (let ((t (list 2 3))) (shared->string (list (cons 1 t) t))))
  ;; vectors are labelled like pairs, also inside another list
  (test "(#0=#(1 2) (#0#) a)"
        (let ((v (vector 1 2))) (shared->string (list v (list v) 'a))))
  (test "#(#0=(p) #0# #0#)" (let ((p (list 'p))) (shared->string (vector p p p))))
  ;; labels are numbered in the order they first appear
  (test "(#0=(1) #1=(2) #1# #0#)"
        (let ((a (list 1)) (b (list 2))) (shared->string (list a b b a))))
  ;; a pair whose car and cdr are the same list
  (test "(#0=(()) . #0#)" (let ((p (list '()))) (shared->string (cons p p))))
  ;; no sharing, no labels
  (test "(1 (2 #(3)) \"s\")" (shared->string (list 1 (list 2 (vector 3)) "s")))
  (test "42" (shared->string 42))
  ;; strings are not labelled (R7RS asks for pairs and vectors): read
  ;; gives back equal strings
  (test "(\"ab\" \"ab\")" (let ((s (string #\a #\b))) (shared->string (list s s)))))

(test-group "cycles"
  (test "#0=(a b . #0#)" (shared->string cyclic))
  (test "#0=(a b . #0#)" (printed write cyclic))
  (test "#0=(a b . #0#)" (printed display cyclic))
  ;; the cyclic list is printed once, then referred to
  (test "(#0=(a b . #0#) #0#)" (shared->string (list cyclic cyclic)))
  ;; a vector that contains itself
  (test "#0=#(1 #0#)" (shared->string (read-back "#0=#(1 #0#)")))
  ;; write-simple has no finite output for a cycle; this implementation
  ;; says so instead of running out of memory
  (test-error-message "circular" (printed write-simple cyclic))
  (test "" (let ((port (open-output-string)))
             (guard (e (#t #f)) (write-simple cyclic port))
             (get-output-string port))))

(test-group "read gives the sharing back"
  (let ((d (round-trip twice)))
    (test '((1 2) (1 2)) d)
    (test #t (eq? (car d) (cadr d))))
  ;; write drops the sharing: read makes two lists
  (let ((d (read-back (printed write twice))))
    (test '((1 2) (1 2)) d)
    (test #f (eq? (car d) (cadr d))))
  (let* ((t (list 2 3)) (d (round-trip (list (cons 1 t) t))))
    (test '((1 2 3) (2 3)) d)
    (test #t (eq? (cdar d) (cadr d))))
  (let* ((v (vector 1 2)) (d (round-trip (list v (list v) 'a))))
    (test '(#(1 2) (#(1 2)) a) d)
    (test #t (eq? (car d) (caadr d))))
  (let ((d (round-trip cyclic)))
    (test '(a b a b) (list (car d) (cadr d) (caddr d) (cadddr d)))
    (test #t (eq? d (cddr d))))
  (let ((d (round-trip (list cyclic cyclic))))
    (test #t (eq? (car d) (cadr d)))
    (test #t (eq? (car d) (cddar d))))
  ;; (quote a) twice: whether printed 'a or (quote a), the label is kept
  (let* ((q (list 'quote 'a)) (d (round-trip (list q q))))
    (test '('a 'a) d)
    (test #t (eq? (car d) (cadr d))))
  ;; the second pair of (quote a) is shared: the abbreviation 'a would
  ;; have no place for its label
  (let* ((tail (list 'a)) (d (round-trip (list (cons 'quote tail) tail))))
    (test '('a (a)) d)
    (test #t (eq? (cdar d) (cadr d)))))

;; p(k) = (p(k-1) . p(k-1)), p(0) = (): written without labels, p(k) has
;; 2^k - 1 pairs in its text; with labels each of its k pairs appears once
(define (doubling k)
  (let loop ((i 0) (p '()))
    (if (= i k) p (loop (+ i 1) (cons p p)))))

(test-group "sharing keeps the output small"
  (test "(#0=(#1=(()) . #1#) . #0#)" (shared->string (doubling 3)))
  (test #t (< (string-length (shared->string (doubling 200))) 5000))
  (let ((d (round-trip (doubling 200))))
    (test #t (eq? (car d) (cdr d)))
    (test #t (eq? (caar d) (cdar d)))
    ;; 200 pairs down the cars to ()
    (test 200 (let loop ((p d) (k 0)) (if (null? p) k (loop (car p) (+ k 1)))))))
