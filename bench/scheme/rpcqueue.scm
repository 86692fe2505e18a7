;; rpcqueue: the latency of (!? server x) when the caller's mailbox holds Q
;; unrelated messages (default Q = 100000) versus when it is empty.  A
;; server process answers each (from tag x) with (tag x+1).  The main
;; process makes C calls (default 100000) with an empty mailbox, then sends
;; itself Q messages (junk i) that it never reads, then makes C calls again.
;; !? looks only at the messages that arrived after its tag was made, so the
;; queued messages should not be scanned.
;; empty-us / full-us = microseconds per call; ratio = full / empty (the
;; target is <= 2).  A short warm-up run comes first.
;; result = the number of messages left in the mailbox (Q) plus the error
;; in the sum of the replies of both timed runs (which is C(C+1)), i.e. Q:
;; it does not depend on C (the Gambit version makes fewer calls).
;; time-ms = the sum of both timed runs.
;; Usage: termite rpcqueue.scm [Q [C]]

(define (server)
  (let ((m (?)))
    (if (eq? m 'stop)
        'done
        (begin
          (! (car m) (list (cadr m) (+ (car (cddr m)) 1)))
          (server)))))

(define (calls srv i n acc)
  (if (= i n)
      acc
      (calls srv (+ i 1) n (+ acc (!? srv i)))))

(define (send-junk me i n)
  (if (< i n)
      (begin
        (! me (list 'junk i))
        (send-junk me (+ i 1) n))))

(define (mailbox-length pid)
  (cdr (assq 'mailbox-length (process-info pid))))

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
       (c (bench-arg 1 100000))
       (srv (spawn server))
       (warm (calls srv 0 (quotient c 10) 0))
       (t0 (current-jiffy))
       (r1 (calls srv 0 c 0))
       (t1 (current-jiffy))
       (junk (send-junk (self) 0 q))
       (t2 (current-jiffy))
       (r2 (calls srv 0 c 0))
       (t3 (current-jiffy))
       (empty (elapsed-us t0 t1))
       (full (elapsed-us t2 t3)))
  (! srv 'stop)
  (report (+ (mailbox-length (self)) (- (+ r1 r2) (* c (+ c 1)))) (+ empty full))
  (report-ratio "empty-us" empty c)
  (report-ratio "full-us" full c)
  (report-ratio "ratio" full empty))
