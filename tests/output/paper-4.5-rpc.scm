;;; Paper, section 4.5: an RPC server with tags, then the same call with !?.
;;; Fixed typo: in the paper's server the recv clause is closed one
;;; parenthesis too early for the text to be what is meant ((loop) would be
;;; a second recv clause, and there is one parenthesis too many at the end):
;;; (loop) follows the recv.
;; expect: 42
;; expect: 42
;; expect: 7

(define rpc-server
  (spawn
    (lambda ()
      (let loop ()
        (recv
          ((from tag ('add a b))
           (! from (list tag (+ a b)))))
        (loop)))))

(write
 (let ((tag (make-tag)))
   (! rpc-server (list (self)
                       tag
                       (list 'add 21 21)))

   (recv
     ;; note the reference to tag in
     ;; the current lexical scope
     ((,tag reply) reply))))                ; => 42
(newline)

(write (!? rpc-server (list 'add 21 21)))   ; => 42
(newline)

;; A reply carrying another tag is not taken for ours.
(let ((stale (make-tag)))
  (! (self) (list stale 'stale-reply))
  (write (!? rpc-server (list 'add 3 4))))
(newline)
