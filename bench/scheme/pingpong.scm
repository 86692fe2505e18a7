;; pingpong (paper Figure 4): local ping-pong between two processes.  The
;; main process sends a list of L small integers (1 2 ... L) to a pong
;; process, which sends the message it receives back; R round trips per
;; length (default R = 100000), for L = 0 10 20 50 100 200 500 1000.
;; len-L-us = microseconds per message (one send + one receive), i.e. the
;; time of the R round trips divided by 2R.  A warm-up of 5R round trips
;; with () comes first (untimed): gsc runs its ping-pong twice as fast
;; (0.19 -> 0.10 us) after about 0.3 s of it.  Termite shares one heap, so
;; a message is never copied and the time should not depend on L.
;; result = the sum of the elements of the lists that came back, over all L
;; (652440).  time-ms = the total of the timed parts.
;; Usage: termite pingpong.scm [R]

(define (pong main)
  (let ((m (?)))
    (if (eq? m 'stop)
        'done
        (begin
          (! main m)
          (pong main)))))

(define (ping other msg i)
  (if (= i 0)
      msg
      (begin
        (! other msg)
        (ping other (?) (- i 1)))))

(define (iota-from i n)
  (if (> i n) '() (cons i (iota-from (+ i 1) n))))

(define (sum lst acc)
  (if (null? lst) acc (sum (cdr lst) (+ acc (car lst)))))

;; Runs the lengths in order; returns (checksum . total-us).
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
       (main (self))
       (other (spawn (lambda () (pong main))))
       (warm (ping other '() (* 5 rounds)))
       (r (run-lengths '(0 10 20 50 100 200 500 1000) other rounds 0 0)))
  (! other 'stop)
  (report (car r) (cdr r)))
