#!/usr/bin/env gsi-script
;; Gambit Scheme 4.9 version of bench/scheme/rpcqueue.scm, with Gambit's own
;; threads and mailboxes: (thread-start! (make-thread thunk)) for spawn,
;; (current-thread) for self, thread-send for !, thread-receive for ?.
;; Run: gsi rpcqueue.scm [args]   or   gsc -exe -o rpcqueue rpcqueue.scm && ./rpcqueue [args]
;; Safe declarations only (generic arithmetic, no (not safe), no (fixnum)).
(declare (standard-bindings) (extended-bindings) (block))

;; rpcqueue: the latency of a call (send (self tag x), then a selective
;; receive of (tag reply)) with Q unrelated messages (default 100000) in
;; the caller's mailbox versus an empty one; C calls each (default 2000,
;; see below).
;; Gambit has no equivalent of Termite's tag mark or Erlang's make_ref()
;; receive optimization: the selective receive (thread-mailbox-next)
;; scans the Q queued messages on every call.  Same program as
;; bench/scheme/rpcqueue.scm, except that the default C is 2000: each call
;; with a full mailbox takes about 1.5 ms (gsc), so 100000 calls would take
;; minutes.  result = Q (the messages left, plus the error in the sum of
;; the replies), independent of C.

(define (server)
  (let ((m (thread-receive)))
    (if (eq? m 'stop)
        'done
        (begin
          (thread-send (car m) (list (cadr m) (+ (car (cddr m)) 1)))
          (server)))))

;; The first message (tag reply): its reply; the others stay, in order.
(define (receive-reply tag)
  (let ((m (thread-mailbox-next)))
    (if (and (pair? m) (eq? (car m) tag))
        (begin
          (thread-mailbox-extract-and-rewind)
          (cadr m))
        (receive-reply tag))))

(define (call srv x)
  (let ((tag (list 'tag)))
    (thread-send srv (list (current-thread) tag x))
    (receive-reply tag)))

(define (calls srv i n acc)
  (if (= i n)
      acc
      (calls srv (+ i 1) n (+ acc (call srv i)))))

(define (send-junk me i n)
  (if (< i n)
      (begin
        (thread-send me (list 'junk i))
        (send-junk me (+ i 1) n))))

;; Count (and keep) the messages of the mailbox.
(define (mailbox-length k)
  (let ((m (thread-mailbox-next 0 mailbox-length)))
    (if (eq? m mailbox-length)
        (begin (thread-mailbox-rewind) k)
        (mailbox-length (+ k 1)))))

;; ---- helpers shared by the concurrency benchmarks (bench/README.md) ----

;; (bench-arg i default): argument i (0-based) after the script name, if it
;; is a number; otherwise default.
(define (nth-number lst i default)
  (cond ((null? lst) default)
        ((= i 0) (let ((v (string->number (car lst)))) (if v v default)))
        (else (nth-number (cdr lst) (- i 1) default))))

(define (bench-arg i default)
  (let ((args (command-line)))
    (if (pair? args) (nth-number (cdr args) i default) default)))

(define (elapsed-us t0 t1)
  (quotient (* (- t1 t0) 1000000) (jiffies-per-second)))

;; Display num/den (exact non-negative integers, den > 0) rounded to 3 decimals.
(define (display-3 num den)
  (let* ((scaled (quotient (+ (* num 1000) (quotient den 2)) den))
         (frac (remainder scaled 1000)))
    (display (quotient scaled 1000))
    (display (if (< frac 10) ".00" (if (< frac 100) ".0" ".")))
    (display frac)))

;; key: num/den
(define (report-ratio key num den)
  (display key)
  (display ": ")
  (display-3 num den)
  (newline))

(define (report-value key v)
  (display key)
  (display ": ")
  (display v)
  (newline))

(define (report result us)
  (report-value "result" result)
  (report-value "time-ms" (quotient us 1000)))

(let* ((q (bench-arg 0 100000))
       (c (bench-arg 1 2000))
       (srv (thread-start! (make-thread server)))
       (warm (calls srv 0 (quotient c 10) 0))
       (t0 (current-jiffy))
       (r1 (calls srv 0 c 0))
       (t1 (current-jiffy))
       (junk (send-junk (current-thread) 0 q))
       (t2 (current-jiffy))
       (r2 (calls srv 0 c 0))
       (t3 (current-jiffy))
       (empty (elapsed-us t0 t1))
       (full (elapsed-us t2 t3)))
  (thread-send srv 'stop)
  (report (+ (mailbox-length 0) (- (+ r1 r2) (* c (+ c 1)))) (+ empty full))
  (report-ratio "empty-us" empty c)
  (report-ratio "full-us" full c)
  (report-ratio "ratio" full empty))
