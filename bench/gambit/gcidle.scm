#!/usr/bin/env gsi-script
;; Gambit Scheme 4.9 version of bench/scheme/gcidle.scm, with Gambit's own
;; threads and mailboxes: (thread-start! (make-thread thunk)) for spawn,
;; (current-thread) for self, thread-send for !, thread-receive for ?.
;; Run: gsi gcidle.scm [args]   or   gsc -exe -o gcidle gcidle.scm && ./gcidle [args]
;; Safe declarations only (generic arithmetic, no (not safe), no (fixnum)).
(declare (standard-bindings) (extended-bindings) (block))

;; gcidle: ping-pong (R round trips, default 500000, each with a fresh
;; 10-element list) alone, then beside M idle threads (default 1000000)
;; blocked in thread-receive.  Same program as bench/scheme/gcidle.scm.
;; result = R(R-1) + M (M: the number of threads spawned).

(define (pong main)
  (let ((m (thread-receive)))
    (if (eq? m 'stop)
        'done
        (begin
          (thread-send main m)
          (pong main)))))

(define (make-msg i k)
  (if (= k 10) '() (cons (+ i k) (make-msg i (+ k 1)))))

(define (ping other i n acc)
  (if (= i n)
      acc
      (begin
        (thread-send other (make-msg i 0))
        (ping other (+ i 1) n (+ acc (car (thread-receive)))))))

(define (spawn thunk) (thread-start! (make-thread thunk)))

(define (spawn-blocked i n main)
  (if (= i n)
      (spawn (lambda () (thread-send main 'ready) (thread-receive)))
      (begin
        (spawn (lambda () (thread-receive)))
        (spawn-blocked (+ i 1) n main))))

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

(let* ((m (bench-arg 0 1000000))
       (rounds (bench-arg 1 500000))
       (main (current-thread))
       (other (spawn (lambda () (pong main))))
       (warm (ping other 0 (quotient rounds 10) 0))
       (t0 (current-jiffy))
       (r1 (ping other 0 rounds 0))
       (t1 (current-jiffy))
       (ready (begin (spawn-blocked 1 m main) (thread-receive)))
       (t2 (current-jiffy))
       (r2 (ping other 0 rounds 0))
       (t3 (current-jiffy))
       (alone (elapsed-us t0 t1))
       (idle (elapsed-us t2 t3)))
  (thread-send other 'stop)
  (report (+ r1 r2 m) (+ alone idle))
  (report-ratio "alone-us" alone rounds)
  (report-ratio "idle-us" idle rounds)
  (report-ratio "ratio" idle alone))
