;;; processes-patterns.scm -- every pattern form of recv and match (paper
;;; 4.3, 4.5): _, variables, literals (numbers, bignums, flonums, strings,
;;; chars, booleans, keywords, ()), quoted data, lists, dotted lists,
;;; vectors, ,expr, where guards.
;; expect-count: 78

(define %empty (list 'empty))
(define (mailbox)
  (let loop ((acc '()))
    (let ((m (? 0 %empty)))
      (if (eq? m %empty) (reverse acc) (loop (cons m acc))))))

;; (classify x): the match form under test
(define (classify x)
  (match x
    (42 'fixnum-42)
    (123456789012345678901234567890 'bignum)
    (-7 'negative)
    (1.5 'flonum-1.5)
    (1/3 'ratio)
    ("abc" 'string-abc)
    (#\a 'char-a)
    (#t 'true)
    (#f 'false)
    (() 'empty-list)
    (foo: 'keyword-foo)
    ('sym 'symbol-sym)
    ('(a b) 'quoted-list-a-b)
    ('#(1 2) 'quoted-vector)
    (#(x 1) (list 'vector-x-1 x))
    (#() 'empty-vector)
    ((a) (list 'one a))
    ((a b) (list 'two a b))
    (('tagged . rest) (list 'tagged rest))
    ((a b c . rest) (list 'three+ a b c rest))
    (other (list 'other other))))

(test-group "match literals"
  (test 'fixnum-42 (classify 42))
  (test 'bignum (classify (+ 123456789012345678901234567889 1)))
  (test 'bignum (classify (string->number "123456789012345678901234567890")))
  (test '(other 123456789012345678901234567891) (classify 123456789012345678901234567891))
  (test 'negative (classify -7))
  (test 'flonum-1.5 (classify 1.5))
  (test 'flonum-1.5 (classify (/ 3. 2.)))
  (test '(other 3/2) (classify 3/2))           ; equal?, not =
  (test '(other 42.) (classify 42.))
  (test 'ratio (classify (/ 2 6)))
  (test 'string-abc (classify (string #\a #\b #\c)))
  (test '(other "ABC") (classify "ABC"))
  (test 'char-a (classify #\a))
  (test '(other #\A) (classify #\A))
  (test 'true (classify #t))
  (test 'false (classify #f))
  (test 'empty-list (classify '()))
  (test 'keyword-foo (classify foo:))
  (test '(other bar:) (classify bar:))
  (test 'symbol-sym (classify 'sym))
  (test '(other sym2) (classify 'sym2))
  (test 'quoted-list-a-b (classify (list 'a 'b)))
  (test 'quoted-vector (classify (vector 1 2)))
  (test 'empty-vector (classify (vector))))

(test-group "match structure"
  (test '(vector-x-1 z) (classify (vector 'z 1)))
  (test '(other #(z 2)) (classify (vector 'z 2)))
  (test '(other #(z 1 0)) (classify (vector 'z 1 0)))
  (test '(one 5) (classify '(5)))
  (test '(two 5 6) (classify '(5 6)))
  (test '(tagged (1 2)) (classify '(tagged 1 2)))
  (test '(one tagged) (classify '(tagged)))         ; (a) comes first
  (test '(two tagged 1) (classify '(tagged 1)))       ; (a b) comes first
  (test '(three+ 1 2 3 ()) (classify '(1 2 3)))
  (test '(three+ 1 2 3 (4 5)) (classify '(1 2 3 4 5)))
  (test '(three+ 1 2 3 6) (classify '(1 2 3 . 6)))
  (test '(other (1 . 2)) (classify '(1 . 2)))
  (test '(other "x") (classify "x"))
  ;; nested patterns
  (test '(1 2 3 4 (5 6))
        (match '((1 2) #(3 (4 5 6)))
          (((a b) #(c (d . e))) (list a b c d e))))
  (test 'no
        (match '((1 2) #(3 4))
          (((a b) #(c (d . e))) 'yes)
          (_ 'no)))
  ;; _ matches anything, more than once, and binds nothing
  (test 'ok (match '(1 2 3) ((_ _ _) 'ok)))
  (test 'ok (let ((_ 'outer)) (match 5 (_ 'ok))))
  (test 'outer (let ((_ 'outer)) (match 5 (_ _))))
  ;; a variable binds the whole value
  (test '(1 (2 3)) (match '(1 2 3) ((a . b) (list a b))))
  ;; an unmatched value is an error
  (test-error (match 5 ("five" 'no)))
  ;; bodies have several expressions, the last one is the value
  (test 3 (match 1 (x 'ignored (+ x 2)))))

(test-group "match unquote and where"
  (let ((expected 10) (tag (make-tag)))
    (test 'ten (match 10 (,expected 'ten) (_ 'other)))
    (test 'other (match 11 (,expected 'ten) (_ 'other)))
    (test 'sum (match 5 (,(+ 2 3) 'sum) (_ 'other)))
    (test '(reply 42) (match (list tag 42) ((,tag v) (list 'reply v)) (_ 'other)))
    (test 'other (match (list (make-tag) 42) ((,tag v) (list 'reply v)) (_ 'other)))
    (test '(x 1 2) (match '(x 1 2) ((,'x a b) (list 'x a b))))
    (test 'equal-list (match '(1 (2)) (,(list 1 (list 2)) 'equal-list))))
  (test 'odd (match 3 (x (where (even? x)) 'even) (x (where (odd? x)) 'odd)))
  (test 'even (match 4 (x (where (even? x)) 'even) (x (where (odd? x)) 'odd)))
  (test 'neither (match 'a (x (where (and (number? x) (even? x))) 'even) (_ 'neither)))
  ;; the guard sees the pattern's variables
  (test '(2 1) (match '(2 1) ((a b) (where (> a b)) (list a b)) ((a b) (list b a))))
  (test '(2 1) (match '(1 2) ((a b) (where (> a b)) (list a b)) ((a b) (list b a))))
  ;; a guard that raises: the exception goes out of match
  (test 'raised (catch (lambda (e) 'raised) (match 1 (x (where (car x)) 'no)))))

;; The same forms through recv: a message is taken only when it matches.
(test-group "recv patterns"
  (! (self) 123456789012345678901234567890)
  (! (self) 2.5)
  (! (self) "text")
  (! (self) #\z)
  (! (self) #f)
  (! (self) '(point 1 2))
  (! (self) (vector 'v 9))
  (! (self) '(list 1 2 . 3))
  (! (self) '())
  (test "text" (recv ("text" "text")))
  (test #\z (recv (#\z #\z)))
  (test 'false (recv (#f 'false)))
  (test 'big (recv (123456789012345678901234567890 'big)))
  (test 'flo (recv (2.5 'flo)))
  (test '(1 2) (recv (('point x y) (list x y))))
  (test 9 (recv (#(v n) n)))
  (test '(1 2 3) (recv (('list a b . c) (list a b c))))
  (test 'nil (recv (() 'nil)))
  (test '() (mailbox))
  ;; where guards in recv: a message failing the guard stays
  (! (self) '(from-a 1))
  (! (self) '(from-b 2))
  (test 2 (recv ((who n) (where (eq? who 'from-b)) n)))
  (test '((from-a 1)) (mailbox))
  ;; ,expr in recv: only the reply with our tag
  (let ((tag (make-tag)) (other (make-tag)))
    (! (self) (list other 'wrong))
    (! (self) (list tag 'right))
    (test 'right (recv ((,tag r) r)))
    (test (list (list other 'wrong)) (mailbox)))
  ;; _ in recv takes any message
  (! (self) 'anything)
  (test 'took (recv (_ 'took)))
  (test '() (mailbox))
  ;; a message matching no clause is left for later
  (! (self) 'unwanted)
  (! (self) 'wanted)
  (test 'wanted (recv ('wanted 'wanted) (after 1 'timeout)))
  (test '(unwanted) (mailbox))
  ;; the variables of a clause are local to it
  (! (self) '(1 2))
  (test 3 (let ((a 100)) (recv ((a b) (+ a b)))))
  (test 100 (let ((a 100)) (! (self) '(1 2)) (recv ((x y) a)))))
