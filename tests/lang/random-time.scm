;;; random-time.scm -- random-integer, random-real, current-jiffy,
;;; jiffies-per-second, current-second.
;; expect-count: 22

(define (samples n thunk)
  (let loop ((i 0) (acc '()))
    (if (= i n) acc (loop (+ i 1) (cons (thunk) acc)))))
(define (all? pred l) (or (null? l) (and (pred (car l)) (all? pred (cdr l)))))

(define ints (samples 1000 (lambda () (random-integer 10))))
(define reals (samples 1000 random-real))

(test-assert (all? exact-integer? ints))
(test-assert (all? (lambda (r) (and (>= r 0) (< r 10))) ints))
(test-assert "every value 0..9 occurs in 1000 samples"
             (all? (lambda (k) (memv k ints)) '(0 1 2 3 4 5 6 7 8 9)))
(test 0 (random-integer 1))
(test-assert (all? (lambda (r) (= r 0)) (samples 100 (lambda () (random-integer 1)))))
(test-assert (let ((r (random-integer (expt 10 30))))
               (and (exact-integer? r) (>= r 0) (< r (expt 10 30)))))
(test-assert "big random integers are not all small"
             (let ((big (samples 10 (lambda () (random-integer (expt 10 30))))))
               (not (all? (lambda (r) (< r (expt 10 20))) big))))
(test-assert "two 60-bit random integers differ"
             (not (= (random-integer (expt 2 60)) (random-integer (expt 2 60)))))
(test-assert (all? (lambda (r) (and (real? r) (inexact? r) (> r 0) (< r 1))) reals))
(test-assert "random-real is not constant" (not (all? (lambda (r) (= r (car reals))) reals)))
(test-assert "random-real covers both halves"
             (and (not (all? (lambda (r) (< r 0.5)) reals))
                  (not (all? (lambda (r) (>= r 0.5)) reals))))
(test-error (random-integer 'ten))

;; time
(test-assert (exact-integer? (current-jiffy)))
(test-assert (exact-integer? (jiffies-per-second)))
(test-assert (positive? (jiffies-per-second)))
(test-assert (<= (current-jiffy) (current-jiffy)))
(test-assert "current-jiffy increases"
             (let ((start (current-jiffy)))
               (let loop ((i 0))
                 (cond ((> (current-jiffy) start) #t)
                       ((> i 100000000) #f)
                       (else (loop (+ i 1)))))))
(test-assert (real? (current-second)))
(test-assert (inexact? (current-second)))
(test-assert "current-second is after 2020" (> (current-second) 1.6e9))
(test-assert (<= (current-second) (current-second)))
(test-assert "a short busy loop takes less than 10 seconds of jiffies"
             (let ((start (current-jiffy)))
               (let loop ((i 0)) (if (< i 100000) (loop (+ i 1))))
               (< (- (current-jiffy) start) (* 10 (jiffies-per-second)))))
