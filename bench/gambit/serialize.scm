#!/usr/bin/env gsi-script
;; Gambit Scheme 4.9 version of bench/scheme/serialize.scm: the same cases
;; with Gambit's object->u8vector / u8vector->object.  Differences forced
;; by Gambit: no Termite processes, so the continuation is captured in a
;; thread (mailbox: thread-send / thread-receive); Gambit refuses to
;; serialize a thread's continuation because its base holds the thread's
;; mutex, so that case uses the transform argument of object->u8vector
;; (paper section 6) to replace mutexes, threads and ports by #f: the
;; bytes are measured, the decoded continuation is not resumed.  The
;; transform runs for every sub-object, which slows Gambit's encoder down
;; a lot, so it is only passed for procedures (closure, continuation).
;; Run: gsi serialize.scm [SCALE]
(declare (standard-bindings) (extended-bindings) (block))

(define (nth-number lst i default)
  (cond ((null? lst) default)
        ((= i 0) (let ((v (string->number (car lst)))) (if v v default)))
        (else (nth-number (cdr lst) (- i 1) default))))

(define (bench-arg i default)
  (let ((args (command-line)))
    (if (pair? args) (nth-number (cdr args) i default) default)))

(define (display-3 num den)
  (let* ((scaled (quotient (+ (* num 1000) (quotient den 2)) den))
         (frac (remainder scaled 1000)))
    (display (quotient scaled 1000))
    (display (if (< frac 10) ".00" (if (< frac 100) ".0" ".")))
    (display frac)))

(define (report-ratio key num den)
  (display key) (display ": ") (display-3 num den) (newline))

(define (report-value key v)
  (display key) (display ": ") (display v) (newline))

(define (now-us) (quotient (* (current-jiffy) 1000000) (jiffies-per-second)))

(define (transform x)
  (if (or (mutex? x) (thread? x) (condition-variable? x) (port? x)) #f x))

(define (time-encode obj reps)
  (let ((t0 (now-us)))
    (let loop ((i 0) (b #f))
      (if (< i reps)
          (loop (+ i 1) (if (procedure? obj)
                            (object->u8vector obj transform)
                            (object->u8vector obj)))
          (cons b (- (now-us) t0))))))

(define (time-decode bytes reps)
  (let ((t0 (now-us)))
    (let loop ((i 0) (v #f))
      (if (< i reps)
          (loop (+ i 1) (u8vector->object bytes))
          (cons v (- (now-us) t0))))))

(define (run-case name obj count)
  (let* ((reps (max 1 count))
         (e (time-encode obj reps))
         (d (time-decode (car e) reps)))
    (report-value (string-append name "-bytes") (u8vector-length (car e)))
    (report-ratio (string-append name "-encode-us") (cdr e) reps)
    (report-ratio (string-append name "-decode-us") (cdr d) reps)
    (cons (car d) (+ (cdr e) (cdr d)))))

;; a closure over one variable (made here: an interpreter's closure may
;; capture the whole environment of the expression that makes it)
(define (make-adder k) (lambda (x) (+ x k)))

(define (sum l) (if (null? l) 0 (+ (car l) (sum (cdr l)))))

(define (iota-from n start)
  (let loop ((i (- n 1)) (acc '()))
    (if (< i 0) acc (loop (- i 1) (cons (+ start i) acc)))))

(define main-thread (current-thread))

(define (deep n)
  (if (= n 0)
      (call/cc (lambda (k) (thread-send main-thread k) (thread-receive)))
      (+ 1 (deep (- n 1)))))

(define (deep-continuation)
  (thread-start! (make-thread (lambda () (deep 100))))
  (thread-receive))

(let* ((scale (bench-arg 0 1))
       (l10 (iota-from 10 1))
       (l100 (iota-from 100 1))
       (l1000 (iota-from 1000 1))
       (str (make-string 1048576 #\a))
       (adder (make-adder 41))
       (k (deep-continuation))
       (t0 (now-us))
       (r10 (run-case "list10" l10 (* scale 200000)))
       (r100 (run-case "list100" l100 (* scale 50000)))
       (r1000 (run-case "list1000" l1000 (* scale 5000)))
       (rstr (run-case "string1m" str (* scale 50)))
       ;; fewer repetitions than the Termite version: Gambit's encoder
       ;; with a transform takes about half a millisecond per closure
       (rclo (run-case "closure" adder (* scale 2000)))
       (rk (run-case "continuation" k (* scale 200)))
       (t1 (now-us)))
  (report-value "result" (+ (sum (car r10)) (sum (car r100)) (sum (car r1000))
                            (string-length (car rstr)) ((car rclo) 1)))
  (report-value "time-ms" (quotient (- t1 t0) 1000)))
