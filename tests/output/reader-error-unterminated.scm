;;; reader-error-unterminated.scm -- an unterminated list: the error names
;;; the file, line and column; the list opens on line 5, the last line.
;; expect-exit: nonzero
;; expect-stderr-matches: reader-error-unterminated\.scm:5:[0-9]+
(define (f x) (list x