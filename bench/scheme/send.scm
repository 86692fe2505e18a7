;; send (paper Figure 2): message passing without blocking.  One process
;; sends itself a message and retrieves it, N times (the integers 0..N-1).
;; us-per-op = microseconds per send + retrieve.  result = sum of the
;; messages retrieved = N(N-1)/2.
;; Usage: termite send.scm [N]             (default N = 1000000)

(define (send-loop i n me acc)
  (if (< i n)
      (begin
        (! me i)
        (send-loop (+ i 1) n me (+ acc (?))))
      acc))

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
       (me (self))
       (t0 (current-jiffy))
       (r (send-loop 0 n me 0))
       (t1 (current-jiffy))
       (us (elapsed-us t0 t1)))
  (report r us)
  (report-ratio "us-per-op" us n))
