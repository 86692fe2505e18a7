;; procmem: memory per blocked process.  Spawns N processes (default
;; 100000), each of which blocks in (?) right after it starts; the last one
;; first tells the main process that it runs (the run queue is FIFO, so by
;; then every other one is blocked).  Two measures, in bytes per process:
;;   info-bytes-per-process: the memory field of (process-info pid) of one
;;     blocked process (descriptor, pid, continuation frames, mailbox);
;;   bytes-per-process: the growth of the old generation, (%heap-stats)
;;     old-bytes after a minor collection ((gc)) before and after the
;;     spawns, divided by N.  Everything live is old after a collection.
;; result = the number of processes that were added ((process-count) delta).
;; time-ms = the time to spawn the N processes and let them block.
;; Usage: termite procmem.scm [N]

(define (spawn-blocked i n main)
  (if (= i n)
      (spawn (lambda () (! main 'ready) (?)))
      (begin
        (spawn (lambda () (?)))
        (spawn-blocked (+ i 1) n main))))

;; (gc) asks for a minor collection at the next safe point (a procedure
;; call); this call and the one in old-bytes get there.
(define (nothing) #f)
(define (collect) (gc) (nothing) (nothing))

(define (old-bytes) (collect) (car (cddr (%heap-stats))))

(define (memory-of pid)
  (cdr (assq 'memory (process-info pid))))

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
       (main (self))
       (count0 (process-count))
       (probe (spawn (lambda () (?))))
       (before (old-bytes))
       (t0 (current-jiffy))
       (last (spawn-blocked 2 n main))
       (ready (?))
       (t1 (current-jiffy))
       (after (old-bytes))
       (count1 (process-count)))
  (report (- count1 count0) (elapsed-us t0 t1))
  (report-value "info-bytes-per-process" (memory-of probe))
  (report-ratio "bytes-per-process" (- after before) (- n 1)))
