;;; processes-links.scm -- failure (paper 3.3, 4.7): links in each
;;; direction, exit signals raised at the next message retrieval,
;;; terminate!, halt!, monitors and (DOWN pid reason).
;; expect-count: 69

(define %empty (list 'empty))
(define (mailbox)
  (let loop ((acc '()))
    (let ((m (? 0 %empty)))
      (if (eq? m %empty) (reverse acc) (loop (cons m acc))))))
(define (sleep s) (recv ('%sleep-never-sent 'no) (after s #t)))

;; What the next retrieval raises or returns, after WAIT seconds at most:
;; (exception reason object-or-origin) or (message m) or none.
(define (next-event wait)
  (catch (lambda (e)
           (if (termite-exception? e)
               (list 'exception (termite-exception-reason e) (termite-exception-object e))
               (list 'raised e)))
    (let ((m (? wait %empty)))
      (if (eq? m %empty) 'none (list 'message m)))))

;; A process that waits for a message forever and reports to REPORT what
;; its retrieval raised: (name got reason) -- or (name message m).
(define (watcher name report)
  (spawn (lambda ()
           (catch (lambda (e)
                    (! report (list name 'got (if (termite-exception? e)
                                                   (termite-exception-reason e)
                                                   e))))
             (let ((m (?)))
               (! report (list name 'message m)))))))

;; Wait for a process to die without retrieving a message (a retrieval
;; would raise a pending exit signal): a busy loop, preempted.
(define (wait-dead pid)
  (let loop ()
    (if (not (eq? (cdr (assq 'status (process-info pid))) 'dead)) (loop))))

(define (wait-down pid)
  (recv (('DOWN ,pid reason) reason) (after 2 'no-down)))

;;; ---- spawn-link ---------------------------------------------------------

(test-group "spawn-link"
  ;; a failure crosses the link, raised at the next retrieval
  (spawn-link (lambda () (raise 'boom)))
  (test '(exception failure boom) (next-event 1))
  ;; while the receiver is blocked in ?, ??, recv and !?
  (spawn-link (lambda () (sleep 0.05) (raise 'late)))
  (test '(exception failure late) (next-event 2))
  (spawn-link (lambda () (sleep 0.05) (raise 'late-2)))
  (test 'late-2 (catch (lambda (e) (termite-exception-object e)) (?? number? 2 'none)))
  (spawn-link (lambda () (sleep 0.05) (raise 'late-3)))
  (test 'late-3 (catch (lambda (e) (termite-exception-object e))
                  (recv ('never 'no) (after 2 'timeout))))
  (let ((silent (spawn (lambda () (?) (sleep 10)))))
    (spawn-link (lambda () (sleep 0.05) (raise 'late-4)))
    (test 'late-4 (catch (lambda (e) (termite-exception-object e)) (!? silent 'hello 2 'none)))
    (terminate! silent))
  ;; the exception is raised before the messages already in the mailbox
  (! (self) 'queued)
  (let ((pid (spawn-link (lambda () (raise 'first)))))
    (wait-dead pid)
    (test '(exception failure first) (next-event 1))
    (test '(message queued) (next-event 0)))
  ;; an error object travels as the termite exception's object
  (spawn-link (lambda () (car '())))
  (test #t (catch (lambda (e) (error-object? (termite-exception-object e))) (? 1 'none)))
  ;; the origin is the dead process
  (let ((pid (spawn-link (lambda () (raise 'x)))))
    (test #t (catch (lambda (e) (eq? (termite-exception-origin e) pid)) (? 1 'none))))
  ;; normal exits do not propagate
  (spawn-link (lambda () 'fine))
  (test 'none (next-event 0.1))
  ;; an uncaught exception in the linked process of a linked process:
  ;; a chain main <-> a <-> b; b's death kills a, whose death reaches us
  (spawn-link (lambda ()
                (spawn-link (lambda () (raise 'deep)))
                (?)))
  (let ((e (next-event 2)))
    (test 'failure (cadr e))
    (test #t (termite-exception? (caddr e)))
    (test 'deep (termite-exception-object (caddr e))))
  ;; the link from us to the child: our death would reach it
  (let* ((me (self))
         (child (spawn (lambda ()
                         (let ((inner (spawn-link (lambda () (?)))))
                           (! me inner)
                           (raise 'parent-dies))))))
    (let ((inner (?)))
      (monitor inner)
      (test #t (termite-exception? (wait-down inner)))))
  (test '() (mailbox)))

(test-group "spawn-linked-to"
  (let* ((me (self))
         (w (watcher 'w me)))
    (spawn-linked-to (lambda () (raise 'oops)) w)
    (test '(w got failure) (? 2 'nothing))))

;;; ---- links made after spawning ---------------------------------------------

(test-group "outbound-link: only the target is signaled"
  ;; a process with an outbound link to us: its death reaches us
  (let ((me (self)))
    (spawn (lambda () (outbound-link me) (raise 'out)))
    (test '(exception failure out) (next-event 1)))
  ;; our outbound link to a process: its death does not reach us ...
  (let ((p (spawn (lambda () (sleep 0.05) (raise 'not-for-us)))))
    (outbound-link p)
    (test 'none (next-event 0.2)))
  ;; ... while a death on our side would reach it (checked between two
  ;; other processes)
  (let* ((me (self))
         (w (watcher 'w me)))
    (spawn (lambda () (outbound-link w) (raise 'a-dies)))
    (test '(w got failure) (? 2 'nothing)))
  (let* ((me (self))
         (w (watcher 'w me))
         (a (spawn (lambda () (outbound-link w) (?) 'done))))
    ;; w's death does not reach a
    (monitor a)
    (terminate! w)
    (sleep 0.05)
    (test 'waiting (cdr (assq 'status (process-info a))))
    (! a 'go)
    (test 'normal (wait-down a))))

(test-group "inbound-link"
  ;; our inbound link from a process: its death reaches us
  (let ((p (spawn (lambda () (sleep 0.05) (raise 'in)))))
    (inbound-link p)
    (test '(exception failure in) (next-event 1)))
  ;; a process with an inbound link from us: its death does not reach us
  (let ((me (self)))
    (spawn (lambda () (inbound-link me) (raise 'not-for-us)))
    (test 'none (next-event 0.2))))

(test-group "full-link"
  (let ((p (spawn (lambda () (sleep 0.05) (raise 'full)))))
    (full-link p)
    (test '(exception failure full) (next-event 1)))
  (let ((me (self)))
    (spawn (lambda () (full-link me) (raise 'full-2)))
    (test '(exception failure full-2) (next-event 1)))
  ;; both directions between two other processes
  (let* ((me (self))
         (w (watcher 'w me)))
    (spawn (lambda () (full-link w) (raise 'x)))
    (test '(w got failure) (? 2 'nothing)))
  (let* ((me (self))
         (w (watcher 'w me))
         (a (spawn (lambda ()
                     (full-link w)
                     (! me 'linked)
                     (catch (lambda (e)
                              (! me (list 'a 'got (termite-exception-reason e))))
                       (?))))))
    (test 'linked (?))
    (terminate! w)
    (test '(a got terminated) (? 2 'nothing))))

(test-group "linking to a dead process"
  (let ((p (spawn (lambda () (raise 'already-dead)))))
    (monitor p)
    (test #t (termite-exception? (wait-down p)))
    (inbound-link p)
    (test '(exception failure already-dead) (next-event 0)))
  (let ((p (spawn (lambda () (raise 'dead-2)))))
    (monitor p)
    (wait-down p)
    (full-link p)
    (test '(exception failure dead-2) (next-event 0)))
  ;; a process that ended normally: nothing to report
  (let ((p (spawn (lambda () 'ok))))
    (monitor p)
    (test 'normal (wait-down p))
    (full-link p)
    (test 'none (next-event 0.05))))

;;; ---- terminate! and halt! --------------------------------------------------

(test-group "terminate!"
  (let ((p (spawn (lambda () (let loop () (loop))))))
    (monitor p)
    (sleep 0.01)
    (terminate! p)
    (let ((reason (wait-down p)))
      (test #t (termite-exception? reason))
      (test 'terminated (termite-exception-reason reason))
      (test p (termite-exception-origin reason)))
    (test 'dead (cdr (assq 'status (process-info p))))
    (test #f (memq p (process-list))))
  ;; a linked process learns of it, reason terminated
  (let ((p (spawn-link (lambda () (?)))))
    (terminate! p)
    (test 'terminated (catch (lambda (e) (termite-exception-reason e)) (? 1 'none))))
  ;; terminating a dead process does nothing
  (let ((p (spawn (lambda () 'done))))
    (sleep 0.02)
    (test-assert (begin (terminate! p) #t)))
  ;; a process may terminate itself: nothing after runs
  (let* ((me (self))
         (p (spawn (lambda () (terminate! (self)) (! me 'after-terminate)))))
    (monitor p)
    (test 'terminated (termite-exception-reason (wait-down p)))
    (test '() (mailbox)))
  ;; a process blocked in a receive with a timeout
  (let ((p (spawn (lambda () (? 10)))))
    (monitor p)
    (sleep 0.01)
    (terminate! p)
    (test 'terminated (termite-exception-reason (wait-down p))))
  (test-error (terminate! 'not-a-pid)))

(test-group "halt!"
  (let* ((me (self))
         (p (spawn-link (lambda () (! me 'before) (halt!) (! me 'after)))))
    (monitor p)
    (test 'normal (wait-down p))
    (test '(before) (mailbox))
    ;; a normal exit: nothing reaches the linked process
    (test 'none (next-event 0.05)))
  ;; halt! deep inside nested calls and handlers
  (let* ((me (self))
         (p (spawn (lambda ()
                     (with-exception-catcher
                      (lambda (e) (! me 'handler-ran))
                      (lambda () (map (lambda (x) (if (= x 3) (halt!) x)) '(1 2 3 4))))
                     (! me 'after)))))
    (monitor p)
    (test 'normal (wait-down p))
    (test '() (mailbox))))

;;; ---- monitors ----------------------------------------------------------------

(test-group "monitors"
  (let ((p (spawn (lambda () (?) 'done))))
    (monitor p)
    (test 'none (next-event 0.05))           ; nothing while it lives
    (! p 'go)
    (test (list 'DOWN p 'normal) (? 1)))
  (let ((p (spawn (lambda () (?) (raise 'crash)))))
    (monitor p)
    (! p 'go)
    (let ((m (? 1)))
      (test 'DOWN (car m))
      (test p (cadr m))
      (test #t (termite-exception? (caddr m)))
      (test 'failure (termite-exception-reason (caddr m)))
      (test 'crash (termite-exception-object (caddr m)))))
  ;; monitoring a dead process: DOWN at once
  (let ((p (spawn (lambda () 'quick))))
    (sleep 0.02)
    (monitor p)
    (test (list 'DOWN p 'normal) (? 0 'no-message)))
  ;; a monitor is not a link: a failure is a message, not an exception
  (let ((p (spawn (lambda () (raise 'not-raised-here)))))
    (monitor p)
    (test 'DOWN (car (cadr (next-event 1)))))
  ;; several monitors, and monitors from other processes
  (let* ((me (self))
         (p (spawn (lambda () (?) 'done)))
         (m1 (spawn (lambda () (monitor p) (! me 'watching) (! me (list 'm1 (?))))))
         (m2 (spawn (lambda () (monitor p) (! me 'watching) (! me (list 'm2 (?)))))))
    (monitor p)
    (test '(watching watching) (list (?) (?)))
    (! p 'go)
    (let ((msgs (list (? 1) (? 1) (? 1))))
      (test-assert (member (list 'DOWN p 'normal) msgs))
      (test-assert (member (list 'm1 (list 'DOWN p 'normal)) msgs))
      (test-assert (member (list 'm2 (list 'DOWN p 'normal)) msgs))))
  ;; halt! and terminate! give DOWN too
  (let ((p (spawn (lambda () (halt!)))))
    (monitor p)
    (test 'normal (wait-down p)))
  (test-error (monitor 42))
  (test '() (mailbox)))

;;; ---- uncaught exceptions ---------------------------------------------------------

(test-group "a failing process does not disturb the others"
  (let ((p (spawn (lambda () (vector-ref (vector) 5)))))
    (monitor p)
    (test 'failure (termite-exception-reason (wait-down p))))
  ;; catching in the process itself: it lives on
  (let* ((me (self))
         (p (spawn (lambda ()
                     (! me (catch (lambda (e) (list 'caught e)) (raise 'inner)))
                     (! me 'still-alive)))))
    (test '(caught inner) (? 1))
    (test 'still-alive (? 1)))
  ;; a raised non-error object of any kind
  (let ((p (spawn (lambda () (raise (list 1 "two" #\3))))))
    (monitor p)
    (test '(1 "two" #\3) (termite-exception-object (wait-down p)))))
