;;; processes.scm -- mailboxes and message retrieval (paper 2.2, 4.1-4.5):
;;; order, ?, ?? and recv leaving other messages in order, !?, timeouts
;;; and deadlines.
;; expect-count: 75

(define %empty (list 'empty))

;; Throw away whatever is in the mailbox; the number of messages dropped.
(define (drain)
  (let loop ((n 0))
    (if (eq? (? 0 %empty) %empty) n (loop (+ n 1)))))

;; Every message of the mailbox, in order, without waiting.
(define (mailbox)
  (let loop ((acc '()))
    (let ((m (? 0 %empty)))
      (if (eq? m %empty) (reverse acc) (loop (cons m acc))))))

(define (now) (/ (current-jiffy) (exact->inexact (jiffies-per-second))))

;; (elapsed thunk) -> (seconds . value)
(define (elapsed thunk)
  (let* ((t0 (now)) (v (thunk)))
    (cons (- (now) t0) v)))

;; Wait without touching the mailbox.
(define (sleep s) (recv ('%sleep-never-sent 'no) (after s #t)))

(define (send-all pid msgs) (for-each (lambda (m) (! pid m)) msgs))

;;; ---- mailbox order ------------------------------------------------------

(test-group "order"
  (send-all (self) '(1 2 3 4 5))
  (test '(1 2 3 4 5) (mailbox))
  (test '(a "b" #\c 4.5 (5) #(6)) (begin (send-all (self) '(a "b" #\c 4.5 (5) #(6))) (mailbox)))
  ;; 1000 messages from another process arrive in the order they were sent
  (let ((me (self)))
    (spawn (lambda () (send-all me (iota 1000))))
    (test (iota 1000) (let loop ((i 0) (acc '()))
                        (if (= i 1000) (reverse acc) (loop (+ i 1) (cons (?) acc))))))
  ;; several senders: each sender's messages stay in order
  (let ((me (self)))
    (for-each (lambda (s)
                (spawn (lambda () (send-all me (map (lambda (i) (cons s i)) (iota 200))))))
              '(a b c))
    (let ((all (let loop ((i 0) (acc '()))
                 (if (= i 600) (reverse acc) (loop (+ i 1) (cons (?) acc))))))
      (test '(a b c)
            (map (lambda (s)
                   (if (equal? (map cdr (filter (lambda (p) (eq? (car p) s)) all)) (iota 200))
                       s
                       (list s 'out-of-order)))
                 '(a b c)))))
  ;; a message sent to oneself is there at once
  (test 'me (begin (! (self) 'me) (? 0)))
  (test '() (mailbox)))

;;; ---- selective retrieval -------------------------------------------------

(test-group "??"
  (send-all (self) '(1 2 3 4 5 6))
  (test 4 (?? (lambda (m) (> m 3))))
  (test 2 (?? even?))
  (test '(1 3 5 6) (mailbox))
  ;; no match: default after the timeout, the messages untouched
  (send-all (self) '(a b c))
  (test 'none (?? number? 0.05 'none))
  (test 'none (?? number? 0 'none))
  (test '(a b c) (mailbox))
  (test 'timeout (catch (lambda (e) e) (?? number? 0.05)))
  ;; the matching message arrives later, after non-matching ones
  (let ((me (self)))
    (send-all (self) '(x y))
    (spawn (lambda () (? 0.05 #f) (! me 'z) (! me 42) (! me 'w)))
    (test 42 (?? number? 2))
    (test '(x y z) (begin (sleep 0.1) (list (? 0) (? 0) (? 0))))
    (test 'w (? 1))))

(test-group "recv leaves other messages in order"
  (send-all (self) '((x 1) (y 2) (x 3) (y 4) (z 5)))
  (test 2 (recv (('y v) v)))
  (test 5 (recv (('z v) v)))
  (test '((x 1) (x 3) (y 4)) (mailbox))
  ;; message-major order: the first message that matches any clause
  (send-all (self) '(a b))
  (test 'got-a (recv ('b 'got-b) ('a 'got-a)))
  (test '(b) (mailbox))
  ;; clauses are tried in order for one message
  (! (self) 7)
  (test 'first (recv ('never 'never) (x (where (odd? x)) 'first) (x 'second)))
  (test '() (mailbox)))

;;; ---- !? -----------------------------------------------------------------

(define adder
  (spawn (lambda ()
           (let loop ()
             (recv
              ((from tag ('add a b)) (! from (list tag (+ a b))))
              ((from tag ('slow s v)) (sleep s) (! from (list tag v)))
              ((from tag 'twice) (! from (list tag 1)) (! from (list tag 2)))
              ((from tag 'ignore) #f))
             (loop)))
         name: 'adder))

(test-group "!?"
  (test 5 (!? adder '(add 2 3)))
  (test 5 (!? adder '(add 2 3) 1))
  (test 5 (!? adder '(add 2 3) 1 'default))
  (test 'default (!? adder 'ignore 0.05 'default))
  (test 'timeout (catch (lambda (e) e) (!? adder 'ignore 0.05)))
  ;; other messages stay in the mailbox, in order, around the reply
  (send-all (self) '(before-1 before-2))
  (test 9 (!? adder '(add 4 5)))
  (test '(before-1 before-2) (mailbox))
  ;; a late reply to a call that timed out is not taken for a new call
  (test 'gave-up (!? adder '(slow 0.1 late) 0.02 'gave-up))
  (test 'fresh (!? adder '(slow 0 fresh) 1))
  (test 1 (begin (sleep 0.2) (length (mailbox))))   ; the stale (tag late) reply
  ;; a reply with a tag of ours arriving twice: the second stays
  (test 1 (!? adder 'twice))
  (test 1 (length (begin (sleep 0.05) (mailbox))))
  ;; calling a dead process: the default
  (let ((dead (spawn (lambda () 'bye))))
    (? 0.05 #f)
    (test 'nobody (!? dead 'hello 0.05 'nobody)))
  (drain))

;;; ---- timeouts -------------------------------------------------------------

(test-group "timeouts"
  (test 'timeout (catch (lambda (e) e) (? 0.02)))
  (test 'timeout (catch (lambda (e) e) (? 0)))
  (test 'd (? 0 'd))
  (test 'd (? 0.0 'd))
  (test 'd (? 0.02 'd))
  (test #f (? 0.02 #f))                          ; #f is a default like another
  (test 'm (begin (! (self) 'm) (? 0)))          ; a present message: no waiting
  (test 'm (begin (! (self) 'm) (? 0 'd)))
  ;; exact rationals and large numbers of seconds are timeouts too
  (test 'd (? 1/50 'd))
  (test 'm (begin (! (self) 'm) (? (expt 10 30))))
  (test 'm (begin (! (self) 'm) (? 1e300 'd)))
  ;; raised timeouts can be caught by any handler
  (test 'caught (with-exception-catcher
                 (lambda (e) (if (eq? e 'timeout) 'caught e))
                 (lambda () (recv ('never 'no) (after 0.01 (raise 'timeout))))))
  ;; the wait lasts about as long as asked
  (drain)
  (let ((r (elapsed (lambda () (? 0.1 'd)))))
    (test-assert "(? 0.1) waits at least 0.1 s" (>= (car r) 0.099))
    (test-assert "(? 0.1) waits well under 0.5 s" (< (car r) 0.5)))
  (let ((r (elapsed (lambda () (recv ('never 'no) (after 0.1 'after))))))
    (test 'after (cdr r))
    (test-assert "recv after 0.1 waits at least 0.1 s" (>= (car r) 0.099))))

(test-group "after 0 polls"
  (test 'empty (recv (x x) (after 0 'empty)))
  (! (self) 'here)
  (test 'here (recv (x x) (after 0 'empty)))
  (send-all (self) '(a b c))
  (test 'no-number (recv (x (where (number? x)) x) (after 0 'no-number)))
  (test '(a b c) (mailbox))
  (test 'polled (recv ('z 'z) (after 0 'polled))))

;; A noise process sends msg to pid every 10 ms until it gets stop, for
;; 1.5 s at most (so that a deadline restarted by each message shows as a
;; wait of more than 1 s, not as a hang).
(define (noise pid msg)
  (spawn (lambda ()
           (let loop ((i 0))
             (! pid msg)
             (if (and (< i 150) (eq? (? 0.01 'go-on) 'go-on)) (loop (+ i 1)))))))

(test-group "deadlines are not restarted by other messages"
  (let* ((n (noise (self) 'noise))
         (r (elapsed (lambda () (recv ('x 'x) (after 0.1 'timeout))))))
    (test 'timeout (cdr r))
    (test-assert "recv: 0.1 s despite messages every 10 ms" (< (car r) 0.5))
    (test-assert "recv: the mailbox did get messages meanwhile" (> (drain) 3))
    (let ((r (elapsed (lambda () (?? (lambda (m) (eq? m 'x)) 0.1 'timeout)))))
      (test 'timeout (cdr r))
      (test-assert "??: 0.1 s despite messages every 10 ms" (< (car r) 0.5)))
    (let ((r (elapsed (lambda () (!? adder 'ignore 0.1 'timeout)))))
      (test 'timeout (cdr r))
      (test-assert "!?: 0.1 s despite messages every 10 ms" (< (car r) 0.5)))
    (! n 'stop)
    (? 0.05 #f)
    (drain)))

(test-group "nested receives"
  ;; a receive in a clause body has its own deadline: the outer after
  ;; does not fire while the inner one waits longer
  (! (self) 'outer)
  (test '(outer inner-timeout)
        (recv ('outer (list 'outer (recv ('inner 'inner) (after 0.15 'inner-timeout))))
              (after 0.05 'outer-timeout)))
  (! (self) 'outer)
  (! (self) 'inner)
  (test '(outer inner)
        (recv ('outer (list 'outer (recv ('inner 'inner) (after 0.05 'inner-timeout))))
              (after 0.05 'outer-timeout)))
  ;; an inner timeout does not end the outer wait
  (let ((me (self)))
    (spawn (lambda () (? 0.1 #f) (! me 'late)))
    (test '(inner-timeout late)
          (let ((inner (recv ('never 'never) (after 0.02 'inner-timeout))))
            (list inner (recv ('late 'late) (after 1 'outer-timeout))))))
  ;; a receive inside a where guard (here a cell-ref, i.e. !?) does not
  ;; disturb the outer receive: the message that matched is the one taken
  (let ((c (make-cell 'b)))
    (send-all (self) '(a b c))
    (test 'b (recv (x (where (eq? x (cell-ref c))) x)))
    (test '(a c) (mailbox)))
  ;; ... and a guard that receives and is false for every message still
  ;; lets the after clause fire (run in another process, in case it hangs)
  (let* ((me (self))
         (p (spawn (lambda ()
                     (let ((c (make-cell 'z)))
                       (! (self) 'a)
                       (! (self) 'b)
                       (! me (list 'result (recv (x (where (eq? x (cell-ref c))) x)
                                                 (after 0.1 'timeout)))))))))
    (test '(result timeout) (? 2 'hung))
    (terminate! p))
  ;; ... nor a ?? whose predicate receives
  (let ((c (make-cell 2)))
    (send-all (self) '(1 2 3))
    (test 2 (?? (lambda (m) (= m (cell-ref c)))))
    (test '(1 3) (mailbox))))

(test-group "recv with a long list of non-matching messages"
  (send-all (self) (iota 10000))
  (test 'found (begin (! (self) 'needle) (recv ('needle 'found))))
  (test 9999 (recv ('nothing 'no) (9999 9999)))
  (test 9999 (length (mailbox))))
