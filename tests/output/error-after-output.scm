;;; error-after-output.scm -- output written before an uncaught error
;;; is not lost, and later top-level forms do not run.
;; expect: line 1
;; expect: line 2
;; expect-exit: nonzero
;; expect-stderr-contains: (1 2)

(display "line 1")
(newline)
(display "line 2")
(newline)
(raise (list 1 2))
(display "line 3")
(newline)
