;;; behaviours-supervisor.scm -- supervisors (paper 5.3): the transparent
;;; single-worker supervisor of spawn-thunk-supervised, its restart
;;; intensity and shutdown; make-supervisor with the one-for-one and
;;; one-for-all strategies.
;; expect-count: 64

(define %empty (list 'empty))
(define (mailbox)
  (let loop ((acc '()))
    (let ((m (? 0 %empty)))
      (if (eq? m %empty) (reverse acc) (loop (cons m acc))))))
(define (sleep s) (recv ('%sleep-never-sent 'no) (after s #t)))
(define (now) (/ (current-jiffy) (exact->inexact (jiffies-per-second))))
(define (wait-down pid)
  (recv (('DOWN ,pid reason) reason) (after 3 'no-down)))
(define (alive? pid) (not (eq? (cdr (assq 'status (process-info pid))) 'dead)))
;; Poll (thunk) every 10 ms until it is true, for 3 s at most.
(define (wait-until thunk)
  (let loop ((i 0))
    (cond ((thunk) => (lambda (v) v))
          ((> i 300) #f)
          (else (sleep 0.01) (loop (+ i 1))))))

;; A worker: answers (from tag 'whoami) with its pid and a count of the
;; messages it got, dies on crash, ends on quit; counts its starts by
;; telling LOG.
(define (worker log)
  (lambda ()
    (! log (list 'started (self)))
    (let loop ((n 0))
      (recv
       ((from tag 'whoami) (! from (list tag (list (self) n))) (loop (+ n 1)))
       ((from tag ('echo x)) (! from (list tag x)) (loop (+ n 1)))
       ('crash (raise 'worker-crash))
       ('quit 'done)
       (('supervisor-shutdown sup) (where (eq? sup 'cooperate)) 'never)
       (other (! log (list 'got other)) (loop (+ n 1)))))))

;; A worker that collaborates with a shutdown request.
(define (polite-worker log)
  (lambda ()
    (! log (list 'started (self)))
    (let loop ()
      (recv
       (('supervisor-shutdown sup) (! log (list 'asked-by sup)))
       ((from tag x) (! from (list tag x)) (loop))))))

(test-group "spawn-thunk-supervised: transparent"
  (let* ((sup (spawn-thunk-supervised (worker (self))))
         (w (recv (('started w) w))))
    (test #t (pid? sup))
    (test #f (eq? sup w))
    ;; messages to the supervisor reach the worker, in order
    (test (list w 0) (!? sup 'whoami 1))
    (test 'hello (!? sup '(echo hello) 1))
    (! sup 'one) (! sup 'two) (! sup '(three))
    (test '((got one) (got two) (got (three))) (list (? 1) (? 1) (? 1)))
    ;; a failure: the worker is restarted, with a fresh state
    (! sup 'crash)
    (let ((w2 (recv (('started w) w) (after 2 #f))))
      (test #t (pid? w2))
      (test #f (eq? w w2))
      (test #f (alive? w))
      (test (list w2 0) (!? sup 'whoami 1)))
    ;; a normal exit of the worker ends the supervisor
    (monitor sup)
    (! sup 'quit)
    (test 'normal (wait-down sup))
    (test '() (mailbox))))

(test-group "spawn-thunk-supervised: restart intensity"
  ;; at most 2 restarts within 5 s: the third failure ends the supervisor
  (let* ((sup (spawn-thunk-supervised (worker (self)) max-restarts: 2 period: 5))
         (w1 (recv (('started w) w))))
    (monitor sup)
    (! sup 'crash)
    (let ((w2 (recv (('started w) w) (after 2 #f))))
      (test #t (pid? w2))
      (! sup 'crash)
      (let ((w3 (recv (('started w) w) (after 2 #f))))
        (test #t (pid? w3))
        (! sup 'crash)
        (test 'none (recv (('started w) w) (after 0.2 'none)))
        (test 'normal (wait-down sup))
        (test #f (alive? w3)))))
  ;; failures spread out over more than the period are all restarted
  (let* ((sup (spawn-thunk-supervised (worker (self)) max-restarts: 1 period: 0.1))
         (w1 (recv (('started w) w))))
    (let loop ((i 0))
      (if (< i 4)
          (begin
            (sleep 0.15)
            (! sup 'crash)
            (recv (('started w) w) (after 2 #f))
            (loop (+ i 1)))))
    (test #t (alive? sup))
    (test 'still-here (!? sup '(echo still-here) 1))
    (terminate! sup)
    (sleep 0.01))
  ;; max-restarts: 0 -- the first failure ends it
  (let* ((sup (spawn-thunk-supervised (worker (self)) max-restarts: 0))
         (w1 (recv (('started w) w))))
    (monitor sup)
    (! sup 'crash)
    (test 'normal (wait-down sup)))
  (mailbox))

(test-group "spawn-thunk-supervised: shutdown"
  ;; a worker that does not collaborate is terminated after the delay
  (let* ((sup (spawn-thunk-supervised (worker (self)) shutdown-delay: 0.2))
         (w (recv (('started w) w)))
         (t0 (now)))
    (monitor sup)
    (monitor w)
    (! sup 'shutdown)
    (let ((r (recv (('DOWN ,w r) r) (after 2 'no-down))))
      (test #t (termite-exception? r))
      (test 'terminated (termite-exception-reason r)))
    (test-assert "the worker had shutdown-delay seconds" (>= (- (now) t0) 0.19))
    (test 'normal (wait-down sup))
    ;; the request it got
    (test (list (list 'got (list 'supervisor-shutdown sup))) (mailbox)))
  ;; a worker that collaborates ends at once
  (let* ((sup (spawn-thunk-supervised (polite-worker (self)) shutdown-delay: 2))
         (w (recv (('started w) w)))
         (t0 (now)))
    (monitor sup)
    (monitor w)
    (! sup 'shutdown)
    (test (list 'asked-by sup) (? 1))
    (test 'normal (wait-down w))
    (test 'normal (wait-down sup))
    (test-assert "no waiting for a polite worker" (< (- (now) t0) 1)))
  ;; the supervisor's death reaches the worker (at its next receive)
  (let* ((sup (spawn-thunk-supervised (worker (self))))
         (w (recv (('started w) w))))
    (monitor w)
    (terminate! sup)
    (test 'failure (termite-exception-reason (wait-down w))))
  (mailbox))

;;; ---- make-supervisor ------------------------------------------------------------

;; A child named NAME: answers (from tag 'ping) with (name pid), dies on
;; crash, ends on quit.
(define (child name log)
  (cons name
        (lambda ()
          (! log (list 'started name))
          (let loop ()
            (recv
             ((from tag 'ping) (! from (list tag (list name (self)))) (loop))
             ('crash (raise (list name 'crashed)))
             ('quit 'bye))))))

(define (pids sup) (map cadr (supervisor-children sup)))

(test-group "make-supervisor: one-for-one"
  (let* ((me (self))
         (sup (make-supervisor (list (child 'a me) (child 'b me) (child 'c me)) 'one-for-one))
         (children (supervisor-children sup)))
    (test '(a b c) (map car children))
    (test '((started a) (started b) (started c)) (list (? 1) (? 1) (? 1)))
    (test-assert (every alive? (map cadr children)))
    (let ((a (cadr (assq 'a children)))
          (b (cadr (assq 'b children)))
          (c (cadr (assq 'c children))))
      (test a (supervisor-child sup 'a))
      (test #f (supervisor-child sup 'nobody))
      (test (list 'b b) (!? b 'ping 1))
      ;; b fails: only b is restarted
      (! b 'crash)
      (test '(started b) (? 2))
      (let ((now-children (wait-until (lambda ()
                                        (let ((cs (supervisor-children sup)))
                                          (and (not (eq? (cadr (assq 'b cs)) b)) cs))))))
        (test-assert now-children)
        (test '(a b c) (map car now-children))
        (test a (cadr (assq 'a now-children)))
        (test c (cadr (assq 'c now-children)))
        (test #f (alive? b))
        (let ((b2 (cadr (assq 'b now-children))))
          (test (list 'b b2) (!? b2 'ping 1))))
      ;; a normal exit: the child leaves, nothing restarts
      (! c 'quit)
      (test '(a b) (wait-until (lambda ()
                                 (let ((names (map car (supervisor-children sup))))
                                   (and (= (length names) 2) names)))))
      (test 'none (? 0.1 'none))
      ;; stop: the children go too
      (let ((cs (pids sup)))
        (monitor sup)
        (test 'ok (supervisor-stop sup))
        (test 'normal (wait-down sup))
        (sleep 0.01)
        (test '(#f #f) (map alive? cs))))))

(test-group "make-supervisor: one-for-all"
  (let* ((me (self))
         (sup (make-supervisor (list (child 'a me) (child 'b me) (child 'c me)) 'one-for-all))
         (old (begin (? 1) (? 1) (? 1) (pids sup))))
    (! (cadr old) 'crash)
    (test '((started a) (started b) (started c)) (list (? 2) (? 2) (? 2)))
    (let ((new (wait-until (lambda ()
                             (let ((ps (pids sup)))
                               (and (not (memq (car ps) old)) ps))))))
      (test 3 (length new))
      (test '(#f #f #f) (map (lambda (p) (and (memq p old) #t)) new))
      (sleep 0.01)
      (test '(#f #f #f) (map alive? old))
      (test '(#t #t #t) (map alive? new))
      (test '(a b c) (map car (supervisor-children sup))))
    (supervisor-stop sup)))

(test-group "make-supervisor: restart intensity"
  (let* ((me (self))
         (sup (make-supervisor (list (child 'a me) (child 'b me)) 'one-for-one
                               max-restarts: 2 period: 5)))
    (monitor sup)
    (test '((started a) (started b)) (list (? 1) (? 1)))
    (let ((a (supervisor-child sup 'a)))
      (! (supervisor-child sup 'b) 'crash)
      (test '(started b) (? 2))
      (! (wait-until (lambda () (let ((b (supervisor-child sup 'b))) (and (alive? b) b)))) 'crash)
      (test '(started b) (? 2))
      (! (wait-until (lambda () (let ((b (supervisor-child sup 'b))) (and (alive? b) b)))) 'crash)
      ;; the third failure within the period: the supervisor gives up,
      ;; terminating the other children
      (test 'normal (wait-down sup))
      (test 'none (? 0.1 'none))
      (test #f (alive? a)))))

(test-group "make-supervisor: arguments"
  (test-error (make-supervisor '() 'one-for-some))
  (test-error (make-supervisor (list 'not-a-spec)))
  (let ((sup (make-supervisor '())))
    (test '() (supervisor-children sup))
    (supervisor-stop sup))
  ;; the default strategy is one-for-one
  (let* ((me (self))
         (sup (make-supervisor (list (child 'x me) (child 'y me)))))
    (? 1) (? 1)
    (let ((x (supervisor-child sup 'x)))
      (! (supervisor-child sup 'y) 'crash)
      (test '(started y) (? 2))
      (test x (supervisor-child sup 'x)))
    (supervisor-stop sup)))
