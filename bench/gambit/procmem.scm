#!/usr/bin/env gsi-script
;; Gambit Scheme 4.9 version of bench/scheme/procmem.scm, with Gambit's own
;; threads and mailboxes: (thread-start! (make-thread thunk)) for spawn,
;; (current-thread) for self, thread-send for !, thread-receive for ?.
;; Run: gsi procmem.scm [args]   or   gsc -exe -o procmem procmem.scm && ./procmem [args]
;; Safe declarations only (generic arithmetic, no (not safe), no (fixnum)).
(declare (standard-bindings) (extended-bindings) (block))

;; procmem: memory per blocked thread (an estimate).  Spawns N threads
;; (default 100000), each blocked in (thread-receive) right after it starts
;; (the last one first tells the primordial thread that it runs).
;; bytes-per-process: growth of the live heap after (##gc), from
;; (##process-statistics): element 18 is the movable live bytes, counted
;; twice (it includes the copying collector's reserve: a 100000-element
;; make-list shows 48 bytes per 24-byte pair), element 19 the non-movable
;; ones.  So live = movable/2 + non-movable.  Gambit has no per-thread
;; memory query: info-bytes-per-process is not printed.
;; result = N (Gambit has no process count: the number of threads spawned).

(define (spawn thunk) (thread-start! (make-thread thunk)))

(define (spawn-blocked i n main)
  (if (= i n)
      (spawn (lambda () (thread-send main 'ready) (thread-receive)))
      (begin
        (spawn (lambda () (thread-receive)))
        (spawn-blocked (+ i 1) n main))))

(define (live-bytes)
  (##gc)
  (let ((s (##process-statistics)))
    (+ (/ (f64vector-ref s 18) 2) (f64vector-ref s 19))))

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

(let* ((n (bench-arg 0 100000))
       (main (current-thread))
       (probe (spawn (lambda () (thread-receive))))
       (before (live-bytes))
       (t0 (current-jiffy))
       (last (spawn-blocked 2 n main))
       (ready (thread-receive))
       (t1 (current-jiffy))
       (after (live-bytes)))
  (report n (elapsed-us t0 t1))
  (report-ratio "bytes-per-process" (exact (round (- after before))) (- n 1)))
