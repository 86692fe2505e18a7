;;; exit-zero.scm -- (exit) ends the program successfully.
;; expect: before
;; expect-exit: 0

(display "before")
(newline)
(exit)
(display "after")
(newline)
