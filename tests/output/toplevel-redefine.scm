;;; toplevel-redefine.scm -- top-level forms run in order; a top-level
;;; define may redefine a global; results of expressions are not printed.
;; expect: 1
;; expect: 2
;; expect: (second)

(define x 1)
(display x)
(newline)
(+ 1 2)
"a string"
(define x 2)
(display x)
(newline)
(define (f) '(first))
(define (g) (f))
(define (f) '(second))
(write (g))
(newline)
