;;; print-println-pp.scm -- Gambit's print / println (display each
;;; argument, no separator; println adds a newline) and pp.
;; expect: 1abc
;; expect: x2
;; expect:
;; expect: nested3.5#t
;; expect: λ
;; expect: (1 2 3)
;; expect: "str"
;; expect: (define (f x) (+ x 1))
;; expect: end

(print 1 "a" #\b 'c) (newline)
(println "x" 2)
(println)
(println "nested" 3.5 #t)
(print "λ") (newline)
(pp '(1 2 3))
(pp "str")
(pp '(define (f x) (+ x 1)))
(println 'end)
