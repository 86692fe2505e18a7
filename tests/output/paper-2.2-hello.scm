;;; Paper, section 2.2: process A spawns B, B sends a message to A, A waits
;;; for it.  The paper's text, with the result of (?) written out.
;; expect: "Hello, world!"
;; expect: #t

(let ((me (self)))
  (spawn
    (lambda ()
      (! me "Hello, world!"))))
(write (?))                               ; ==> "Hello, world!"
(newline)

;; The mailbox is empty again: a second (?) times out.
(write (eq? (? 0.05 'empty) 'empty))
(newline)
