;; serialize: object->u8vector / u8vector->object throughput and size.
;; Cases: lists of 10, 100 and 1000 small integers, a 1 MB string, a
;; closure, a continuation 100 frames deep.  For each case it prints
;;   CASE-bytes: size of the encoding
;;   CASE-encode-us: microseconds per encode
;;   CASE-decode-us: microseconds per decode
;; result = sum of the decoded lists + length of the decoded string +
;; the decoded closure applied to 1 (the continuation is checked but not
;; in the result: Erlang cannot serialize one).
;; Comparable: bench/erlang/serialize.erl, bench/gambit/serialize.scm.
;; Usage: termite serialize.scm [SCALE]   (SCALE multiplies the repetitions)

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

;; Encode obj reps times; returns (bytes . microseconds).
(define (time-encode obj reps)
  (let ((t0 (now-us)))
    (let loop ((i 0) (b #f))
      (if (< i reps)
          (loop (+ i 1) (object->u8vector obj))
          (cons b (- (now-us) t0))))))

;; Decode bytes reps times; returns (value . microseconds).
(define (time-decode bytes reps)
  (let ((t0 (now-us)))
    (let loop ((i 0) (v #f))
      (if (< i reps)
          (loop (+ i 1) (u8vector->object bytes))
          (cons v (- (now-us) t0))))))

;; Run one case; returns (decoded-value . total-us).
(define (run-case name obj count)
  (let* ((reps (max 1 count))
         (e (time-encode obj reps))
         (d (time-decode (car e) reps)))
    (report-value (string-append name "-bytes") (bytevector-length (car e)))
    (report-ratio (string-append name "-encode-us") (cdr e) reps)
    (report-ratio (string-append name "-decode-us") (cdr d) reps)
    (cons (car d) (+ (cdr e) (cdr d)))))

;; a closure over one variable (made here: an interpreter's closure may
;; capture the whole environment of the expression that makes it)
(define (make-adder k) (lambda (x) (+ x k)))

(define (sum l) (if (null? l) 0 (+ (car l) (sum (cdr l)))))

;; A continuation 100 frames deep: a process recurses 100 times (not in
;; tail position), captures its continuation and sends it home.
(define (deep n me)
  (if (= n 0)
      (call/cc (lambda (k) (! me k) (?)))
      (+ 1 (deep (- n 1) me))))

(define (deep-continuation)
  (let ((me (self)))
    (spawn (lambda () (! me (list 'done (deep 100 me)))))
    (?)))

(let* ((scale (bench-arg 0 1))
       (l10 (iota 10 1))
       (l100 (iota 100 1))
       (l1000 (iota 1000 1))
       (str (make-string 1048576 #\a))
       (adder (make-adder 41))
       (k (deep-continuation))
       (t0 (now-us))
       (r10 (run-case "list10" l10 (* scale 200000)))
       (r100 (run-case "list100" l100 (* scale 50000)))
       (r1000 (run-case "list1000" l1000 (* scale 5000)))
       (rstr (run-case "string1m" str (* scale 50)))
       (rclo (run-case "closure" adder (* scale 100000)))
       (rk (run-case "continuation" k (* scale 5000)))
       (t1 (now-us)))
  ;; the decoded continuation resumes the recursion: 100 frames of (+ 1 _)
  (spawn (lambda () ((car rk) 0)))
  (let ((resumed (recv (('done v) v))))
    (if (not (= resumed 100))
        (error "the decoded continuation computed" resumed)))
  (report-value "result" (+ (sum (car r10)) (sum (car r100)) (sum (car r1000))
                            (string-length (car rstr)) ((car rclo) 1)))
  (report-value "time-ms" (quotient (- t1 t0) 1000)))
