;;; Paper, section 4.1: a "server" process answering (pid ping) with pong.
;;; Fixed typo: the paper calls (??) without a predicate, both in the
;;; server and in the client; (??) needs one, the intended operation is
;;; (?) ("fetch a message from the mailbox").
;; expect: pong
;; expect: pong
;; expect: (still-waiting)

(define pong-server
  (spawn
    (lambda ()
      (let loop ()
        (let ((msg (?)))
          (if (and (list? msg)
                  (= (length msg) 2)
                  (pid? (car msg))
                  (eq? (cadr msg) 'ping))
              (let ((from (car msg)))
                (! from 'pong)
                (loop))
              (loop)))))))

(! pong-server (list (self) 'ping))

(display (?))                               ; => pong
(newline)

;; Ill-formed messages are ignored and do not stop the server.
(! pong-server 'ping)
(! pong-server (list 'not-a-pid 'ping))
(! pong-server (list (self) 'pong))
(! pong-server (list (self) 'ping))
(display (?))
(newline)
(write (list (? 0.05 'still-waiting)))
(newline)
