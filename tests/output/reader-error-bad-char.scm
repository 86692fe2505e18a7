;;; reader-error-bad-char.scm -- an unknown character name on line 5.
;; expect-exit: nonzero
;; expect-stderr-matches: reader-error-bad-char\.scm:5:[0-9]+
(define ok 1)
(define c #\nosuchcharname)
(display c)
