;; ring (paper Figure 3): a ring of N processes (default 250000) passing
;; a counter K.  Each process receives an integer and sends it minus one to
;; the next process; when it receives 0 it sends 0 on and terminates.
;;
;; The ring is built as a chain: process i spawns process i+1, the last one
;; closes the ring on the first and tells the main process that the ring is
;; ready; then the main process sends K to the first process.  The process
;; that receives 0 first (index K mod N, known in advance) does not stop
;; after sending 0 on: it waits for the 0 to come back around the ring and
;; then sends the main process how many messages it received, which is the
;; result: floor(K/N) + 2 (K/N + 1 counters down to 0, then the returning
;; 0), i.e. 2 for K = 0 and 6 for K = 1000000.  The time covers ring
;; creation, the K + N + 1 messages and the termination of every process.
;; us-per-op = microseconds per process of the ring.
;; Usage: termite ring.scm [K [N]]         (default K = 0, N = 250000)

(define (ring-node first i n special main)
  (relay (if (= i (- n 1))
             (begin (! main 'ready) first)
             (spawn (lambda () (ring-node first (+ i 1) n special main))))
         (= i special)
         main
         1))

;; count = number of messages received so far, counting the next one.
(define (relay next special? main count)
  (let ((k (?)))
    (if (> k 0)
        (begin
          (! next (- k 1))
          (relay next special? main (+ count 1)))
        (begin
          (! next 0)
          (if special?
              (begin
                (?)
                (! main (+ count 1))))))))

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

(let* ((k (bench-arg 0 0))
       (n (bench-arg 1 250000))
       (main (self))
       (t0 (current-jiffy))
       (first (spawn (lambda () (ring-node (self) 0 n (remainder k n) main))))
       (ready (?))
       (r (begin (! first k) (?)))
       (t1 (current-jiffy))
       (us (elapsed-us t0 t1)))
  (report r us)
  (report-ratio "us-per-op" us n))
