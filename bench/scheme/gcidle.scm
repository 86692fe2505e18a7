;; gcidle: does a crowd of idle processes slow down the others?  Ping-pong
;; between the main process and a pong process, R round trips (default
;; 500000), each with a fresh 10-element list (so that the ping-pong keeps
;; allocating and the collector runs), first alone, then again after
;; spawning M idle processes (default 1000000) that are blocked in (?).
;; alone-us / idle-us = microseconds per round trip; ratio = idle / alone
;; (the target is <= 1.2: the idle processes should cost the collector and
;; the scheduler nothing).  A short warm-up run comes first.
;; result = the sum of the first elements of the lists that came back in
;; both timed runs (R(R-1)) plus the number of idle processes spawned (M).
;; time-ms = the sum of both timed runs.
;; Usage: termite gcidle.scm [M [R]]

(define (pong main)
  (let ((m (?)))
    (if (eq? m 'stop)
        'done
        (begin
          (! main m)
          (pong main)))))

;; (i i+1 ... i+9)
(define (make-msg i k)
  (if (= k 10) '() (cons (+ i k) (make-msg i (+ k 1)))))

(define (ping other i n acc)
  (if (= i n)
      acc
      (begin
        (! other (make-msg i 0))
        (ping other (+ i 1) n (+ acc (car (?)))))))

(define (spawn-blocked i n main)
  (if (= i n)
      (spawn (lambda () (! main 'ready) (?)))
      (begin
        (spawn (lambda () (?)))
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
       (main (self))
       (other (spawn (lambda () (pong main))))
       (warm (ping other 0 (quotient rounds 10) 0))
       (t0 (current-jiffy))
       (r1 (ping other 0 rounds 0))
       (t1 (current-jiffy))
       (count0 (process-count))
       (ready (begin (spawn-blocked 1 m main) (?)))
       (count1 (process-count))
       (t2 (current-jiffy))
       (r2 (ping other 0 rounds 0))
       (t3 (current-jiffy))
       (alone (elapsed-us t0 t1))
       (idle (elapsed-us t2 t3)))
  (! other 'stop)
  (report (+ r1 r2 (- count1 count0)) (+ alone idle))
  (report-ratio "alone-us" alone rounds)
  (report-ratio "idle-us" idle rounds)
  (report-ratio "ratio" idle alone))
