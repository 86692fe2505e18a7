;;; exit-true.scm -- (exit #t) is a normal exit.
;; expect-exit: 0

(exit #t)
(display "after")
