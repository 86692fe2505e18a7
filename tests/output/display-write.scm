;;; display-write.scm -- the printed representation of every type.
;;; Quote forms are written abbreviated ('a), as Gambit does; a quote
;;; form that is not a two-element list is written as a plain list.
;; expect: (1 2 3)
;; expect: (1 . 2)
;; expect: (1 2 . 3)
;; expect: ((a b) (c (d)))
;; expect: ()
;; expect: #(1 "a" #\b)
;; expect: #(1 a b)
;; expect: #()
;; expect: #(#(1) (2))
;; expect: "hello"
;; expect: hello
;; expect: "a\"b\\c"
;; expect: a"b\c
;; expect: "line\nnext"
;; expect: "tab\there"
;; expect: ""
;; expect: #\a
;; expect: #\A
;; expect: #\space
;; expect: #\newline
;; expect: #\tab
;; expect: #\null
;; expect: #\delete
;; expect: #\alarm
;; expect: #\(
;; expect: a
;; expect: sym
;; expect: Hello
;; expect: |hello world|
;; expect: hello world
;; expect: #t
;; expect: #f
;; expect: #t #f
;; expect: 'a
;; expect: ''a
;; expect: `(a ,b ,@c)
;; expect: (quote a b)
;; expect: 42
;; expect: -7
;; expect: 0
;; expect: 1180591620717411303424
;; expect: -1180591620717411303424
;; expect: 1.5
;; expect: 100.0
;; expect: -0.25
;; expect: 0.1
;; expect: +inf.0
;; expect: -inf.0
;; expect: +nan.0
;; expect: ("a" #\b c 1.0 (2.5))
;; expect: (a b c 1.0 (2.5))
;; expect: #u8(1 2 255)
;; expect: #u8()
;; expect: "λ😀"
;; expect: λ😀
;; expect: #\λ
;; expect: λ
;; expect: (1 "two" (#\3 #(four)))
;; expect: (1 two (3 #(four)))
;; expect: abc
;; expect: done

(write '(1 2 3)) (newline)
(write '(1 . 2)) (newline)
(write '(1 2 . 3)) (newline)
(write '((a b) (c (d)))) (newline)
(write '()) (newline)
(write '#(1 "a" #\b)) (newline)
(display '#(1 "a" #\b)) (newline)
(write (vector)) (newline)
(write (vector (vector 1) (list 2))) (newline)
(write "hello") (newline)
(display "hello") (newline)
(write "a\"b\\c") (newline)
(display "a\"b\\c") (newline)
(write "line\nnext") (newline)
(write "tab\there") (newline)
(write "") (newline)
(write #\a) (newline)
(write #\x41) (newline)
(write #\space) (newline)
(write #\newline) (newline)
(write #\tab) (newline)
(write (integer->char 0)) (newline)
(write (integer->char 127)) (newline)
(write (integer->char 7)) (newline)
(write #\() (newline)
(display #\a) (newline)
(write 'sym) (newline)
(write 'Hello) (newline)
(write (string->symbol "hello world")) (newline)
(display (string->symbol "hello world")) (newline)
(write #t) (newline)
(write #f) (newline)
(display #true) (display " ") (display #false) (newline)
(write ''a) (newline)
(write '''a) (newline)
(write '`(a ,b ,@c)) (newline)
(write '(quote a b)) (newline)
(write 42) (newline)
(write -7) (newline)
(write 0) (newline)
(write (expt 2 70)) (newline)
(write (- (expt 2 70))) (newline)
(write 1.5) (newline)
(write 100.0) (newline)
(write -0.25) (newline)
(write 0.1) (newline)
(write (/ 1.0 0.0)) (newline)
(write (/ -1.0 0.0)) (newline)
(write (/ 0.0 0.0)) (newline)
(write (list "a" #\b 'c 1.0 (list 2.5))) (newline)
(display (list "a" #\b 'c 1.0 (list 2.5))) (newline)
(write (bytevector 1 2 255)) (newline)
(write (bytevector)) (newline)
(write "λ😀") (newline)
(display "λ😀") (newline)
(write #\λ) (newline)
(display #\λ) (newline)
(write '(1 "two" (#\3 #(four)))) (newline)
(display '(1 "two" (#\3 #(four)))) (newline)
(write-string "a") (write-char #\b) (display "c") (newline)
(display 'done) (newline)
