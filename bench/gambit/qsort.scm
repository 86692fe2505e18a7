#!/usr/bin/env gsi-script
;; Gambit Scheme 4.9 version: this header + bench/scheme/qsort.scm verbatim.
;; Run: gsi qsort.scm [N]   or   gsc -exe -o qsort qsort.scm && ./qsort [N]
;; Safe declarations only (generic arithmetic, no (not safe), no (fixnum)).
(declare (standard-bindings) (extended-bindings) (block))

;; qsort(250000): quicksort of a list of 250000 pseudo-random integers.
;; The list is produced by the Park-Miller LCG x' = 16807*x mod (2^31-1),
;; seed 42, accumulated so that the list is (x_N ... x_2 x_1).
;; Quicksort: first element as pivot, one partition pass into two lists
;; (elements < pivot, elements >= pivot), and an accumulator instead of append.
;; result = polynomial hash of the sorted list.
;; Usage: termite qsort.scm [N]

(define (next-rand x)
  (remainder (* x 16807) 2147483647))

(define (rand-list n x acc)
  (if (= n 0)
      acc
      (let ((x1 (next-rand x)))
        (rand-list (- n 1) x1 (cons x1 acc)))))

;; Returns (less . greater-or-equal).
(define (partition p lst lo hi)
  (cond ((null? lst) (cons lo hi))
        ((< (car lst) p) (partition p (cdr lst) (cons (car lst) lo) hi))
        (else (partition p (cdr lst) lo (cons (car lst) hi)))))

;; (qs lst rest) = (append (sorted lst) rest)
(define (qs lst rest)
  (if (null? lst)
      rest
      (let* ((p (car lst))
             (parts (partition p (cdr lst) '() '())))
        (qs (car parts) (cons p (qs (cdr parts) rest))))))

(define (qsort lst) (qs lst '()))

(define (hash lst h)
  (if (null? lst)
      h
      (hash (cdr lst) (remainder (+ (* h 31) (car lst)) 1000000007))))

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

(let* ((n (bench-size 250000))
       (lst (rand-list n 42 '()))
       (t0 (current-jiffy))
       (s (qsort lst))
       (t1 (current-jiffy)))
  (report (hash s 0) t0 t1))
