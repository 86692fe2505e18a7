#!/usr/bin/env gsi-script
;; Gambit Scheme 4.9 version of bench/scheme/pingpong.scm, with Gambit's own
;; threads and mailboxes: (thread-start! (make-thread thunk)) for spawn,
;; (current-thread) for self, thread-send for !, thread-receive for ?.
;; Run: gsi pingpong.scm [args]   or   gsc -exe -o pingpong pingpong.scm && ./pingpong [args]
;; Safe declarations only (generic arithmetic, no (not safe), no (fixnum)).
(declare (standard-bindings) (extended-bindings) (block))

;; pingpong (paper Figure 4): ping-pong between two threads with a list of L
;; small integers, R round trips per length (default 100000).  Gambit
;; threads share one heap: messages are not copied.  A warm-up of 5R round
;; trips with () comes first (untimed): without it the first 0.3 s or so
;; run at half speed.  Same program as
;; bench/scheme/pingpong.scm.  result = 652440.

(define (pong main)
  (let ((m (thread-receive)))
    (if (eq? m 'stop)
        'done
        (begin
          (thread-send main m)
          (pong main)))))

(define (ping other msg i)
  (if (= i 0)
      msg
      (begin
        (thread-send other msg)
        (ping other (thread-receive) (- i 1)))))

(define (iota-from i n)
  (if (> i n) '() (cons i (iota-from (+ i 1) n))))

(define (sum lst acc)
  (if (null? lst) acc (sum (cdr lst) (+ acc (car lst)))))

(define (run-lengths lens other rounds acc total)
  (if (null? lens)
      (cons acc total)
      (let* ((len (car lens))
             (msg (iota-from 1 len))
             (t0 (current-jiffy))
             (back (ping other msg rounds))
             (t1 (current-jiffy))
             (us (elapsed-us t0 t1)))
        (report-ratio (string-append "len-" (number->string len) "-us") us (* 2 rounds))
        (run-lengths (cdr lens) other rounds (+ acc (sum back 0)) (+ total us)))))

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

(let* ((rounds (bench-arg 0 100000))
       (main (current-thread))
       (other (thread-start! (make-thread (lambda () (pong main)))))
       (warm (ping other '() (* 5 rounds)))
       (r (run-lengths '(0 10 20 50 100 200 500 1000) other rounds 0 0)))
  (thread-send other 'stop)
  (report (car r) (cdr r)))
