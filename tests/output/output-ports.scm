;;; output-ports.scm -- with-output-to-string, string ports, newline.
;; expect: "captured 42"
;; expect: [a][b]
;; expect:
;; expect: tail
;; expect: 3 chars

(write (with-output-to-string (lambda () (display "captured ") (write 42))))
(newline)
(for-each (lambda (s) (display "[") (display s) (display "]")) '(a b))
(newline)
(newline)
(write-string "tail")
(newline)
(let ((port (open-output-string)))
  (write-string "abc" port)
  (display (string-length (get-output-string port)))
  (display " chars")
  (newline))
