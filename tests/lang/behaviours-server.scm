;;; behaviours-server.scm -- the generic server of paper 5.2
;;; (make-generic-server-plugin, generic-server-start[-link],
;;; generic-server-call/-cast/-stop) and Gambit Termite's names.
;; expect-count: 62

(define %empty (list 'empty))
(define (mailbox)
  (let loop ((acc '()))
    (let ((m (? 0 %empty)))
      (if (eq? m %empty) (reverse acc) (loop (cons m acc))))))
(define (sleep s) (recv ('%sleep-never-sent 'no) (after s #t)))
(define (wait-down pid)
  (recv (('DOWN ,pid reason) reason) (after 2 'no-down)))
(define (status pid) (cdr (assq 'status (process-info pid))))

;; A counter server that reports its INIT and TERMINATE calls to LOG.
(define (counter-plugin log)
  (make-generic-server-plugin
   (lambda (start) ; INIT
     (! log (list 'init start))
     start)
   (lambda (term from state) ; CALL
     (match term
       ('get (list 'reply state state))
       (('add n) (list 'reply (+ state n) (+ state n)))
       (('later n)
        ;; answer from another process, after a while
        (spawn (lambda () (sleep 0.02) (generic-server-reply from (list 'late n))))
        (list 'noreply state))
       ('slow (sleep 0.2) (list 'reply 'slow state))
       ('stop-me (list 'stop 'normal 'stopping state))
       ('stop-abnormal (list 'stop 'went-wrong 'stopping state))
       ('crash (car '()))
       ('bad-result 'not-a-list)
       ('who (list 'reply (list (pid? (car from)) (tag? (cadr from))) state))))
   (lambda (term state) ; CAST
     (match term
       (('add n) (list 'noreply (+ state n)))
       ('stop (list 'stop 'normal state))
       ('stop-abnormal (list 'stop 'cast-went-wrong state))
       ('crash (raise 'cast-crash))))
   (lambda (reason state) ; TERMINATE
     (! log (list 'terminate reason state)))))

(test-group "start and call"
  (let ((s (generic-server-start (counter-plugin (self)) 10)))
    ;; start returns once INIT has run
    (test '((init 10)) (mailbox))
    (test #t (pid? s))
    (test 'generic-server (cdr (assq 'name (process-info s))))
    (test 10 (generic-server-call s 'get))
    (test 15 (generic-server-call s '(add 5)))
    (test 15 (generic-server-call s 'get))
    (test '(#t #t) (generic-server-call s 'who))
    ;; noreply, and a reply made later from another process
    (test '(late 7) (generic-server-call s '(later 7)))
    ;; casts are asynchronous, handled in order with the calls
    (generic-server-cast s '(add 100))
    (generic-server-cast s '(add 1000))
    (test 1115 (generic-server-call s 'get))
    ;; other messages are dropped; the server goes on
    (! s 'junk)
    (! s '(1 2 3))
    (test 1115 (generic-server-call s 'get))
    ;; timeouts: default, or the symbol timeout raised
    (test 'too-slow (generic-server-call s 'slow 0.05 'too-slow))
    (test 'timeout (catch (lambda (e) e) (generic-server-call s 'slow 0.05)))
    (test 1115 (generic-server-call s 'get 1))
    (sleep 0.3)
    (mailbox)                                  ; the two late replies
    ;; generic-server-stop: TERMINATE runs, the server ends normally
    (monitor s)
    (test 'ok (generic-server-stop s))
    (test '(terminate normal 1115) (? 1))
    (test 'normal (wait-down s))
    ;; a dead server: stop answers #f, calls time out
    (test #f (generic-server-stop s 'normal 0.05))
    (test 'no-answer (generic-server-call s 'get 0.05 'no-answer))
    (test '() (mailbox))))

(test-group "stopping from the callbacks"
  (let ((s (generic-server-start (counter-plugin (self)) 1)))
    (monitor s)
    (test 'stopping (generic-server-call s 'stop-me))
    (test '((init 1) (terminate normal 1)) (list (? 1) (? 1)))
    (test 'normal (wait-down s)))
  (let ((s (generic-server-start (counter-plugin (self)) 2)))
    (monitor s)
    (generic-server-cast s 'stop)
    (test '((init 2) (terminate normal 2)) (list (? 1) (? 1)))
    (test 'normal (wait-down s)))
  ;; a reason other than normal: the server dies of it
  (let ((s (generic-server-start (counter-plugin (self)) 3)))
    (monitor s)
    (test 'stopping (generic-server-call s 'stop-abnormal))
    (test '((init 3) (terminate went-wrong 3)) (list (? 1) (? 1)))
    (let ((r (wait-down s)))
      (test 'failure (termite-exception-reason r))
      (test 'went-wrong (termite-exception-object r))))
  (let ((s (generic-server-start (counter-plugin (self)) 4)))
    (monitor s)
    (generic-server-cast s 'stop-abnormal)
    (test '((init 4) (terminate cast-went-wrong 4)) (list (? 1) (? 1)))
    (test 'cast-went-wrong (termite-exception-object (wait-down s))))
  ;; generic-server-stop with a reason
  (let ((s (generic-server-start (counter-plugin (self)) 5)))
    (monitor s)
    (test 'ok (generic-server-stop s 'shutdown))
    (test '((init 5) (terminate shutdown 5)) (list (? 1) (? 1)))
    (test 'shutdown (termite-exception-object (wait-down s))))
  (test '() (mailbox)))

(test-group "failing callbacks"
  ;; a CALL that raises: TERMINATE gets what was raised, the server dies
  ;; of it and the caller gets no reply
  (let ((s (generic-server-start (counter-plugin (self)) 6)))
    (monitor s)
    (test 'no-reply (generic-server-call s 'crash 0.2 'no-reply))
    (test 'init (car (? 1)))
    (let ((t (? 1)))
      (test 'terminate (car t))
      (test #t (error-object? (cadr t))))
    (test #t (error-object? (termite-exception-object (wait-down s)))))
  (let ((s (generic-server-start (counter-plugin (self)) 7)))
    (monitor s)
    (generic-server-cast s 'crash)
    (test '((init 7) (terminate cast-crash 7)) (list (? 1) (? 1)))
    (test 'cast-crash (termite-exception-object (wait-down s))))
  ;; a callback result of the wrong shape is an error of the server
  (let ((s (generic-server-start (counter-plugin (self)) 8)))
    (monitor s)
    (test 'no-reply (generic-server-call s 'bad-result 0.2 'no-reply))
    (test 'failure (termite-exception-reason (wait-down s)))
    (mailbox))
  ;; a CALL with no matching clause: match raises, same thing
  (let ((s (generic-server-start (counter-plugin (self)) 9)))
    (monitor s)
    (test 'no-reply (generic-server-call s 'unknown-request 0.2 'no-reply))
    (test 'failure (termite-exception-reason (wait-down s)))
    (mailbox))
  ;; INIT that raises: start raises it
  (let ((bad (make-generic-server-plugin
              (lambda () (raise 'init-failed))
              (lambda (term from state) (list 'reply term state))
              (lambda (term state) (list 'noreply state))
              (lambda (reason state) #f))))
    (test 'init-failed (catch (lambda (e) e) (generic-server-start bad))))
  (test-error (generic-server-start 'not-a-plugin)))

(test-group "start-link"
  ;; linked: a server dying abnormally raises in the starter
  (let ((s (generic-server-start-link (counter-plugin (self)) 0)))
    (test '(init 0) (? 1))
    (generic-server-cast s 'crash)
    (test 'cast-crash
          (catch (lambda (e) (and (termite-exception? e) (termite-exception-object e)))
            (? 1)
            'no-exception))
    (mailbox))
  ;; a normal stop does not
  (let ((s (generic-server-start-link (counter-plugin (self)) 0)))
    (generic-server-cast s 'stop)
    (test '((init 0) (terminate normal 0)) (list (? 1) (? 1)))
    (test 'quiet (? 0.05 'quiet)))
  ;; and the starter's death takes the server with it
  (let* ((me (self))
         (starter (spawn (lambda ()
                           (! me (generic-server-start-link (counter-plugin me) 0))
                           (raise 'starter-dies))))
         (s (recv (x (where (pid? x)) x))))
    (monitor s)
    (test 'failure (termite-exception-reason (wait-down s)))
    (mailbox))
  ;; INIT failing in start-link: the starter gets an exception too
  (let ((bad (make-generic-server-plugin
              (lambda () (raise 'init-failed))
              #f #f #f)))
    (test-assert (catch (lambda (e) #t) (generic-server-start-link bad) #f))
    (? 0.05 #f)))

(test-group "the paper's key/value server"
  ;; paper 5.2 (dict-set! replaced by dict-set: no mutation)
  (let* ((kv-plugin
          (make-generic-server-plugin
           (lambda () (make-dict))
           (lambda (term from state)
             (match term
               (('store key val)
                (list 'reply 'ok (dict-set state key val)))
               (('lookup key)
                (list 'reply (dict-ref state key) state))))
           (lambda (term state)
             (match term
               ('stop (list 'stop 'normal state))))
           (lambda (reason state) #t)))
         (kv (generic-server-start kv-plugin)))
    (test 'ok (generic-server-call kv '(store a 1)))
    (test 'ok (generic-server-call kv '(store b 2)))
    (test 1 (generic-server-call kv '(lookup a)))
    (test #f (generic-server-call kv '(lookup c)))
    ;; many clients at once
    (let ((me (self)))
      (for-each (lambda (i)
                  (spawn (lambda ()
                           (generic-server-call kv (list 'store i (* i i)))
                           (! me (generic-server-call kv (list 'lookup i))))))
                (iota 50))
      (test (apply + (map (lambda (i) (* i i)) (iota 50)))
            (let loop ((i 0) (s 0)) (if (= i 50) s (loop (+ i 1) (+ s (? 2)))))))
    (monitor kv)
    (generic-server-cast kv 'stop)
    (test 'normal (wait-down kv))))

(test-group "Gambit Termite names"
  (let ((s (server:start (make-server-plugin
                          (lambda (x) x)
                          (lambda (term from state) (list 'reply (list term state) state))
                          (lambda (term state) (list 'noreply term))
                          (lambda (reason state) #t))
                         'st)))
    (test '(hello st) (server:call s 'hello))
    (server:cast s 'new)
    (test '(hi new) (server:call s 'hi 1))
    (test 'ok (server:stop s))))
