;; nrev(5000): naive reverse of a 5000-element list (allocation + GC),
;; repeated REPS times.  Uses its own append (app), not the builtin.
;; result = hash of the last reversed list + sum of the first elements.
;; Usage: termite nrev.scm [N]

(define reps 5)

(define (app a b)
  (if (null? a)
      b
      (cons (car a) (app (cdr a) b))))

(define (nrev lst)
  (if (null? lst)
      '()
      (app (nrev (cdr lst)) (list (car lst)))))

;; (1 2 ... n)
(define (iota-list i acc)
  (if (= i 0)
      acc
      (iota-list (- i 1) (cons i acc))))

;; Run nrev k times; returns (last-result . sum-of-first-elements).
(define (repeat k lst last acc)
  (if (= k 0)
      (cons last acc)
      (let ((r (nrev lst)))
        (repeat (- k 1) lst r (+ acc (car r))))))

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

(let* ((n (bench-size 5000))
       (lst (iota-list n '()))
       (t0 (current-jiffy))
       (r (repeat reps lst '() 0))
       (t1 (current-jiffy)))
  (report (+ (hash (car r) 0) (cdr r)) t0 t1))
