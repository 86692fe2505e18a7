#!/usr/bin/env gsi-script
;; Gambit Scheme 4.9 version of bench/scheme/spawn1m.scm, with Gambit's own
;; threads and mailboxes: (thread-start! (make-thread thunk)) for spawn,
;; (current-thread) for self, thread-send for !, thread-receive for ?.
;; Run: gsi spawn1m.scm [args]   or   gsc -exe -o spawn1m spawn1m.scm && ./spawn1m [args]
;; Safe declarations only (generic arithmetic, no (not safe), no (fixnum)).
(declare (standard-bindings) (extended-bindings) (block))

;; spawn1m: the time to spawn 1000000 threads (default N), finished (each
;; terminates at once) and blocked (each blocks in thread-receive); same
;; protocol as bench/scheme/spawn1m.scm.  finished-cpu-s / blocked-cpu-s =
;; (cpu-time) differences (user + system); *-wall-s = wall clock.
;; result = N (Gambit has no process count: the number of threads spawned).

(define (spawn thunk) (thread-start! (make-thread thunk)))

(define (spawn-finished i n main)
  (if (= i n)
      (spawn (lambda () (thread-send main 'done)))
      (begin
        (spawn (lambda () #t))
        (spawn-finished (+ i 1) n main))))

(define (spawn-blocked i n main)
  (if (= i n)
      (spawn (lambda () (thread-send main 'ready) (thread-receive)))
      (begin
        (spawn (lambda () (thread-receive)))
        (spawn-blocked (+ i 1) n main))))

(define (cpu-ms) (exact (round (* 1000 (cpu-time)))))

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

(let* ((n (bench-arg 0 1000000))
       (main (current-thread))
       (c0 (cpu-ms))
       (t0 (current-jiffy))
       (done (begin (spawn-finished 1 n main) (thread-receive)))
       (t1 (current-jiffy))
       (c1 (cpu-ms))
       (c2 (cpu-ms))
       (t2 (current-jiffy))
       (ready (begin (spawn-blocked 1 n main) (thread-receive)))
       (t3 (current-jiffy))
       (c3 (cpu-ms)))
  (report n (+ (elapsed-us t0 t1) (elapsed-us t2 t3)))
  (report-ratio "finished-cpu-s" (- c1 c0) 1000)
  (report-ratio "blocked-cpu-s" (- c3 c2) 1000)
  (report-ratio "finished-wall-s" (elapsed-us t0 t1) 1000000)
  (report-ratio "blocked-wall-s" (elapsed-us t2 t3) 1000000))
