;;; exit-code.scm -- (exit 3) ends the program with status 3 at once.
;; expect: before
;; expect-exit: 3

(display "before")
(newline)
(exit 3)
(display "after")
(newline)
