;;; Paper, section 4.3: the pong server written with recv, a pattern and a
;;; where clause.  Fixed typo: the paper's text has one closing
;;; parenthesis too many after (loop).
;; expect: pong
;; expect: timeout
;; expect: pong

(define better-pong-server
  (spawn
    (lambda ()
      (let loop ()
        (recv
          ((from 'ping) ; pattern to match
           (where (pid? from)) ; constraint
           (! from 'pong))) ; action
          (loop)))))

(! better-pong-server (list (self) 'ping))
(display (?))
(newline)

;; The constraint fails: the message is not consumed and no reply comes.
(! better-pong-server (list 'someone 'ping))
(display (? 0.1 'timeout))
(newline)

;; The server is still there (the non-matching message stays in its
;; mailbox, recv looks past it).
(! better-pong-server (list (self) 'ping))
(display (?))
(newline)
