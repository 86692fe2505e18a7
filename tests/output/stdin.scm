;;; stdin.scm -- reading from the current input port.
;; stdin: first line
;; stdin: (a "datum" 42)
;; stdin: xy
;; expect: "first line"
;; expect: (a "datum" 42)
;; expect: #\x
;; expect: #\y
;; expect: #\y
;; expect: #t

(write (read-line))
(newline)
(write (read))
(newline)
(read-char) ; the newline after the datum
(write (read-char))
(newline)
(write (peek-char))
(newline)
(write (read-char (current-input-port)))
(newline)
(read-char) ; the last newline
(write (eof-object? (read-char)))
(newline)
