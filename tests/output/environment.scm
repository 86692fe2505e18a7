;;; environment.scm -- get-environment-variable.
;; env: TERMITE_TEST_VARIABLE=hello world
;; expect: "hello world"
;; expect: #f

(write (get-environment-variable "TERMITE_TEST_VARIABLE"))
(newline)
(write (get-environment-variable "TERMITE_TEST_SURELY_NOT_SET"))
(newline)
