;;; Paper, section 5.2: a key/value server as a generic server plugin.
;;; Fixed typos:
;;;  - (dict-set! state key val) then (list 'reply 'ok state): there is no
;;;    mutation in Termite (section 3.2); the new state is the value of
;;;    (dict-set state key val) and that is what the reply carries.
;;;  - print: the paper's print ends the line (see the trace of 5.3);
;;;    Termite's print, like Gambit's, does not, so println is used.
;;; The calls at the end exercise the kv: interface; the main process
;;; waits for the server's end (a monitor) so that TERMINATE's line is
;;; printed before the program exits.
;; expect: Key-Value server starting
;; expect: ok
;; expect: ok
;; expect: 1
;; expect: (2 3)
;; expect: #f
;; expect: ok
;; expect: 10
;; expect: Key-Value server terminating
;; expect: normal

(define key/value-generic-server-plugin
  (make-generic-server-plugin
    (lambda () ; INIT
      (println "Key-Value server starting")
      (make-dict))

    (lambda (term from state) ; CALL
      (match term
        (('store key val)
         (list 'reply 'ok (dict-set state key val)))

        (('lookup key)
         (list 'reply (dict-ref state key) state))))

    (lambda (term state) ; CAST
      (match term
        ('stop (list 'stop 'normal state))))

    (lambda (reason state) ; TERMINATE
      (println "Key-Value server terminating"))))

(define (kv:start)
  (generic-server-start-link
   key/value-generic-server-plugin))

(define (kv:stop server)
  (generic-server-cast server 'stop))

(define (kv:store server key val)
  (generic-server-call server (list 'store key val)))

(define (kv:lookup server key)
  (generic-server-call server (list 'lookup key)))

(define kv (kv:start))
(write (kv:store kv 'a 1)) (newline)
(write (kv:store kv "b" '(2 3))) (newline)
(write (kv:lookup kv 'a)) (newline)
(write (kv:lookup kv "b")) (newline)
(write (kv:lookup kv 'missing)) (newline)
(write (kv:store kv 'a 10)) (newline)
(write (kv:lookup kv 'a)) (newline)
(monitor kv)
(kv:stop kv)
(recv (('DOWN ,kv reason) (write reason) (newline)))
