;;; hello.scm -- the smallest program.
;; expect: Hello, world!

(display "Hello, world!")
(newline)
