;;; Paper, section 4.9: dynamic code update.  The running server gets the
;;; continuation of new-server's loop and continues with the fixed code.
;;; Fixed typos: a closing parenthesis too many at the end of server, and
;;; one too many after (! from (list tag k)) in new-server, which would
;;; have closed the recv before the ping clause.  The paper's server
;;; matches (update k) with a variable in first position; it is kept: it
;;; matches the two-element update message all the same.
;; expect: gnop
;; expect: pong
;; expect: pong
;; expect: #t

(define server
  (spawn
    (lambda ()
      (let loop ()
        (recv
          ((update k)
            (k #t))

          ((from tag 'ping)
            (! from (list tag 'gnop)))) ; bug
          (loop)))))

(define new-server
  (spawn
    (lambda ()
      (let loop ()
        (recv
          (('update k)
           (k #t))

          ((from tag 'clone)
           (call/cc
            (lambda (k)
              (! from (list tag k)))))

          ((from tag 'ping)
           (! from (list tag 'pong)))) ; fixed
        (loop)))))

(write (!? server 'ping))           ; => gnop
(newline)

(! server (list 'update (!? new-server 'clone)))

(write (!? server 'ping))           ; => pong
(newline)

;; new-server itself goes on serving, and the updated server is still the
;; same process.
(write (!? new-server 'ping))
(newline)
(write (pid? server))
(newline)
