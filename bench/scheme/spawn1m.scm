;; spawn1m: the time to spawn 1000000 processes (default N), twice:
;;   finished: each process terminates at once (the last one first sends
;;     'done to the main process; the run queue is FIFO, so by then every
;;     other one has run and terminated);
;;   blocked: each process blocks in (?) right after it starts (the last one
;;     first sends 'ready), so that N processes are alive at the end.
;; finished-cpu-s / blocked-cpu-s = CPU seconds (user + system) of each
;; phase.  Termite has no CPU clock primitive, so they are read from
;; /proc/self/stat (utime + stime, in clock ticks of 1/100 s: 10 ms
;; resolution).  The wall-clock time is printed too (finished-wall-s,
;; blocked-wall-s); on a loaded machine it can be much larger.
;; result = the number of processes alive after the blocked phase minus
;; before it (= N).  time-ms = the sum of both phases.
;; Usage: termite spawn1m.scm [N]

(define (spawn-finished i n main)
  (if (= i n)
      (spawn (lambda () (! main 'done)))
      (begin
        (spawn (lambda () #t))
        (spawn-finished (+ i 1) n main))))

(define (spawn-blocked i n main)
  (if (= i n)
      (spawn (lambda () (! main 'ready) (?)))
      (begin
        (spawn (lambda () (?)))
        (spawn-blocked (+ i 1) n main))))

;; CPU time of this OS process in ms, from /proc/self/stat: fields 14 and
;; 15 (utime, stime) in ticks of 10 ms (Linux USER_HZ = 100).  The fields
;; are counted after the ")" that ends the command name.
(define (after-paren chars rest)
  (cond ((null? chars) rest)
        ((char=? (car chars) #\)) (after-paren (cdr chars) (cdr chars)))
        (else (after-paren (cdr chars) rest))))

;; The space-separated words of chars, as strings.
(define (words chars cur acc)
  (cond ((null? chars)
         (reverse (if (null? cur) acc (cons (list->string (reverse cur)) acc))))
        ((char=? (car chars) #\space)
         (words (cdr chars) '() (if (null? cur) acc (cons (list->string (reverse cur)) acc))))
        (else (words (cdr chars) (cons (car chars) cur) acc))))

(define (cpu-ms)
  (let* ((port (open-input-file "/proc/self/stat"))
         (line (read-line port))
         (fields (words (after-paren (string->list line) '()) '() '())))
    (close-input-port port)
    ;; fields: 0 = state (field 3), ..., 11 = utime (14), 12 = stime (15)
    (* 10 (+ (string->number (list-ref fields 11))
             (string->number (list-ref fields 12))))))

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
       (main (self))
       (c0 (cpu-ms))
       (t0 (current-jiffy))
       (done (begin (spawn-finished 1 n main) (?)))
       (t1 (current-jiffy))
       (c1 (cpu-ms))
       (count0 (process-count))
       (c2 (cpu-ms))
       (t2 (current-jiffy))
       (ready (begin (spawn-blocked 1 n main) (?)))
       (t3 (current-jiffy))
       (c3 (cpu-ms))
       (count1 (process-count)))
  (report (- count1 count0) (+ (elapsed-us t0 t1) (elapsed-us t2 t3)))
  (report-ratio "finished-cpu-s" (- c1 c0) 1000)
  (report-ratio "blocked-cpu-s" (- c3 c2) 1000)
  (report-ratio "finished-wall-s" (elapsed-us t0 t1) 1000000)
  (report-ratio "blocked-wall-s" (elapsed-us t2 t3) 1000000))
