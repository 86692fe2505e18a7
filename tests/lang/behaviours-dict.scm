;;; behaviours-dict.scm -- persistent dictionaries (lang/behaviours.scm;
;;; the paper's 5.1 and 5.2 use make-dict, dict-set, dict-ref, dict->list).
;; expect-count: 78

;;; A deterministic pseudo-random sequence: (lcg seed) -> next seed.
(define (lcg s) (modulo (+ (* s 1103515245) 12345) 2147483648))
(define (rand s n) (modulo (quotient s 65536) n))

(test-group "basics"
  (let ((d (make-dict)))
    (test #t (dict? d))
    (test #f (dict? '()))
    (test #f (dict? (list (cons 1 2))))
    (test 0 (dict-count d))
    (test '() (dict->list d))
    (test '() (dict-keys d))
    (test '() (dict-values d))
    (test #f (dict-ref d 'missing))
    (test 'default (dict-ref d 'missing 'default))
    (test #f (dict-contains? d 'missing))
    (let* ((d1 (dict-set d 'a 1))
           (d2 (dict-set d1 'b 2))
           (d3 (dict-set d2 'a 10)))
      (test 1 (dict-ref d1 'a))
      (test #f (dict-ref d1 'b))
      (test 2 (dict-ref d2 'b))
      (test 10 (dict-ref d3 'a))
      ;; the older versions are unchanged
      (test 1 (dict-ref d2 'a))
      (test 0 (dict-count d))
      (test 1 (dict-count d1))
      (test 2 (dict-count d2))
      (test 2 (dict-count d3))
      (test '((a . 10) (b . 2)) (dict->list d3))
      (test '((a . 1) (b . 2)) (dict->list d2))
      (test '(a b) (dict-keys d3))
      (test '(10 2) (dict-values d3))
      (test #t (dict-contains? d3 'b))
      ;; a stored #f is there
      (let ((df (dict-set d3 'f #f)))
        (test #t (dict-contains? df 'f))
        (test #f (dict-ref df 'f 'default)))
      ;; remove
      (let ((d4 (dict-remove d3 'a)))
        (test '((b . 2)) (dict->list d4))
        (test 1 (dict-count d4))
        (test #f (dict-contains? d4 'a))
        (test 2 (dict-count d3))
        (test 1 (dict-count (dict-remove d4 'not-there)))
        (test 0 (dict-count (dict-remove d4 'b)))
        (test '() (dict->list (dict-remove d4 'b))))))
  (test-error (dict-ref '() 'a))
  (test-error (dict-set 'not-a-dict 'a 1)))

(test-group "fold and friends"
  (let ((d (list->dict '((3 . c) (1 . a) (2 . b)))))
    (test '((1 . a) (2 . b) (3 . c)) (dict->list d))
    ;; dict-fold goes in key order, the first entry first
    (test '((3 . c) (2 . b) (1 . a)) (dict-fold (lambda (k v acc) (cons (cons k v) acc)) '() d))
    (test 6 (dict-fold (lambda (k v acc) (+ k acc)) 0 d))
    (test 'init (dict-fold (lambda (k v acc) 'never) 'init (make-dict)))
    (test 30 (dict-ref (dict-update d 3 (lambda (v) 30)) 3))
    (test 1 (dict-ref (dict-update d 'n (lambda (v) (+ v 1)) 0) 'n))
    (test 'c (dict-ref d 3))))

(test-group "keys of every kind"
  (let* ((p1 (spawn (lambda () 1)))
         (p2 (spawn (lambda () 2)))
         (t1 (make-tag))
         (t2 (make-tag))
         (u (string->uninterned-symbol "sym"))
         (keys (list 1 1.0 -5 1/3 (expt 10 30) 2.5 "b" "a" 'sym u 'abc #\x #\a #t #f
                     kw: '() '(1 2) '(1 2.) (vector 1) p1 p2 t1 t2))
         (d (fold-left (lambda (d k) (dict-set d k (list 'value-of k))) (make-dict) keys)))
    (test (length keys) (dict-count d))
    (test-assert "every key finds its own value"
                 (every (lambda (k) (equal? (dict-ref d k) (list 'value-of k))) keys))
    (test '(value-of 1) (dict-ref d 1))
    (test '(value-of 1.) (dict-ref d 1.))            ; 1 and 1.0 are two keys
    (test #f (dict-ref d 2))
    (test '(value-of "a") (dict-ref d (string #\a)))   ; equal? strings
    (test '(value-of (1 2)) (dict-ref d (list 1 2)))
    (test #f (dict-ref d (string->uninterned-symbol "sym")))
    (test #t (eq? u (cadr (dict-ref d u))))
    (test #t (eq? p2 (cadr (dict-ref d p2))))
    (test #t (eq? t1 (cadr (dict-ref d t1))))
    (test #f (dict-ref d (make-tag)))
    ;; the documented order: numbers, strings, symbols by name, chars,
    ;; booleans, keywords, (), then the rest by written representation
    (test '(-5 1/3 1 1. 2.5 1000000000000000000000000000000 "a" "b" abc)
          (list-head (dict-keys d) 9))
    (test '(#\a #\x #f #t kw: ()) (list-head (list-tail (dict-keys d) 11) 6))
    ;; removing each key leaves the others
    (let ((d2 (fold-left dict-remove d (list p1 u 1. t2))))
      (test (- (length keys) 4) (dict-count d2))
      (test #f (dict-contains? d2 p1))
      (test #t (dict-contains? d2 p2))
      (test #f (dict-contains? d2 u))
      (test #t (dict-contains? d2 'sym))
      (test #f (dict-contains? d2 1.))
      (test #t (dict-contains? d2 1))
      (test #t (dict-contains? d2 t1))
      (test #f (dict-contains? d2 t2)))))

;;; ---- random operations against an association-list model ------------------

;; The model: an alist; the expected dict->list sorts it the documented
;; way (integers by <, then strings by string<?).
(define (model-set m k v) (cons (cons k v) (filter (lambda (p) (not (equal? (car p) k))) m)))
(define (model-remove m k) (filter (lambda (p) (not (equal? (car p) k))) m))
(define (key<? a b)
  (cond ((and (number? a) (number? b)) (< a b))
        ((number? a) #t)
        ((number? b) #f)
        (else (string<? a b))))
(define (model->list m) (sort m (lambda (p q) (key<? (car p) (car q)))))

;; AVL invariants, with the internal accessors: ordered, balanced, heights
;; right.  The height of the tree or #f.
(define (check-tree t lo hi)
  (if (null? t)
      0
      (let* ((k (car (car (%dict-node-entries t))))
             (l (check-tree (%dict-node-left t) lo k))
             (r (check-tree (%dict-node-right t) k hi)))
        (and l r
             (or (not lo) (key<? lo k))
             (or (not hi) (key<? k hi))
             (<= (abs (- l r)) 1)
             (= (%dict-node-height t) (+ 1 (max l r)))
             (+ 1 (max l r))))))

(define (random-key s)
  (let ((n (rand s 150)))
    (if (< n 100) (- n 50) (string-append "k" (number->string n)))))

(define (random-run steps seed)
  ;; returns a list of problems, or ()
  (let loop ((i 0) (s seed) (d (make-dict)) (m '()) (problems '()))
    (if (= i steps)
        (reverse problems)
        (let* ((s1 (lcg s)) (s2 (lcg s1)) (s3 (lcg s2))
               (op (rand s1 10))
               (k (random-key s2))
               (v (rand s3 1000)))
          (let-values (((d m)
                        (cond ((< op 6) (values (dict-set d k v) (model-set m k v)))
                              ((< op 9) (values (dict-remove d k) (model-remove m k)))
                              (else (values d m)))))
            (let* ((expected (assoc k m))
                   (problems
                    (cond ((not (equal? (dict-ref d k 'none) (if expected (cdr expected) 'none)))
                           (cons (list 'step i 'ref k) problems))
                          ((not (eq? (dict-contains? d k) (if expected #t #f)))
                           (cons (list 'step i 'contains k) problems))
                          ((not (= (dict-count d) (length m)))
                           (cons (list 'step i 'count (dict-count d) (length m)) problems))
                          ((and (= 0 (modulo i 50))
                                (not (equal? (dict->list d) (model->list m))))
                           (cons (list 'step i 'list) problems))
                          ((and (= 0 (modulo i 50)) (not (check-tree (%dict-root d) #f #f)))
                           (cons (list 'step i 'tree) problems))
                          (else problems))))
              (loop (+ i 1) s3 d m problems)))))))

(test-group "random operations"
  (test '() (random-run 3000 1))
  (test '() (random-run 3000 20240601))
  (test '() (random-run 1000 7)))

(test-group "large dictionaries"
  (let* ((n 100000)
         (d (let loop ((i 0) (d (make-dict)))
              (if (= i n) d (loop (+ i 1) (dict-set d i (* i i)))))))
    (test n (dict-count d))
    (test (* 77777 77777) (dict-ref d 77777))
    (test-assert "height of an AVL tree of 100000 keys <= 1.44 log2 n + 2"
                 (<= (%dict-node-height (%dict-root d)) 26))
    (test (iota 10) (list-head (dict-keys d) 10))
    (let ((d2 (let loop ((i 0) (d d))
                (if (= i n) d (loop (+ i 2) (dict-remove d i))))))
      (test (quotient n 2) (dict-count d2))
      (test #f (dict-contains? d2 50000))
      (test #t (dict-contains? d2 50001))
      (test-assert (check-tree (%dict-root d2) #f #f)))))

(test-group "a dictionary in a message"
  ;; dicts are ordinary values: they travel in messages
  (let* ((me (self))
         (d (list->dict '((x . 1) (y . 2)))))
    (spawn (lambda () (! me (dict-set d 'z 3))))
    (let ((d2 (?)))
      (test '((x . 1) (y . 2) (z . 3)) (dict->list d2))
      (test 2 (dict-count d)))))
