;; smith(600): Smith-Waterman local alignment score of two 600-character
;; DNA strings (match +2, mismatch -1, linear gap -1), computed row by row,
;; each row an immutable list, repeated REPS times (result = sum of scores).
;; Strings come from the Park-Miller LCG (x' = 16807*x mod (2^31-1)):
;; character = "ACGT"[x mod 4], seeds 1234 and 5678, accumulated in reverse
;; generation order.
;; Usage: termite smith.scm [N]

(define reps 10)

(define (next-rand x)
  (remainder (* x 16807) 2147483647))

(define (rand-chars n x acc)
  (if (= n 0)
      acc
      (let ((x1 (next-rand x)))
        (rand-chars (- n 1) x1 (cons (string-ref "ACGT" (remainder x1 4)) acc)))))

(define (rand-string n seed)
  (list->string (rand-chars n seed '())))

(define (score a b)
  (if (char=? a b) 2 -1))

;; prev = (H[i-1][j-1] H[i-1][j] ...), left = H[i][j-1]; returns H[i][j..m].
(define (cells ai bs prev left)
  (if (null? bs)
      '()
      (let ((h (max (max 0 (+ (car prev) (score ai (car bs))))
                    (max (- (cadr prev) 1) (- left 1)))))
        (cons h (cells ai (cdr bs) (cdr prev) h)))))

(define (list-max lst m)
  (if (null? lst)
      m
      (list-max (cdr lst) (max (car lst) m))))

(define (zeros n acc)
  (if (= n 0)
      acc
      (zeros (- n 1) (cons 0 acc))))

(define (rows as bs prev best)
  (if (null? as)
      best
      (let ((row (cons 0 (cells (car as) bs prev 0))))
        (rows (cdr as) bs row (list-max row best)))))

(define (smith a b)
  (rows (string->list a)
        (string->list b)
        (zeros (+ (string-length b) 1) '())
        0))

(define (repeat k a b acc)
  (if (= k 0)
      acc
      (repeat (- k 1) a b (+ acc (smith a b)))))

;; Optional size argument: the last element of (command-line), if it is a number.
(define (last-element lst)
  (if (null? (cdr lst)) (car lst) (last-element (cdr lst))))

(define (bench-size default)
  (let ((args (command-line)))
    (if (and (pair? args) (pair? (cdr args)))
        (let ((n (string->number (last-element args))))
          (if n n default))
        default)))

(define (report result t0 t1)
  (display "result: ")
  (display result)
  (newline)
  (display "time-ms: ")
  (display (quotient (* (- t1 t0) 1000) (jiffies-per-second)))
  (newline))

(let* ((n (bench-size 600))
       (a (rand-string n 1234))
       (b (rand-string n 5678))
       (t0 (current-jiffy))
       (r (repeat reps a b 0))
       (t1 (current-jiffy)))
  (report r t0 t1))
