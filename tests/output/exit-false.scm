;;; exit-false.scm -- (exit #f) is an abnormal exit.
;; expect-exit: nonzero

(exit #f)
(display "after")
