;;; processes-million.scm -- a million processes (paper 2.1: "there could
;;; be hundreds of thousands of them"), spawned one after the other, each
;;; sending one message back; and 200000 of them alive at once.
;; expect-count: 5

(define (sleep s) (recv ('%sleep-never-sent 'no) (after s #t)))
(define baseline (process-count))

(define (spawn-and-sum n)
  (let ((me (self)))
    (let loop ((i 0))
      (if (< i n)
          (begin (spawn (lambda () (! me i))) (loop (+ i 1)))))
    (let loop ((i 0) (sum 0))
      (if (= i n) sum (loop (+ i 1) (+ sum (?)))))))

(test 499999500000 (spawn-and-sum 1000000))
(test baseline (begin (sleep 0.01) (process-count)))

;; 200000 processes waiting at the same time, then all released
(let* ((me (self))
       (n 200000)
       (pids (let loop ((i 0) (acc '()))
               (if (= i n) acc (loop (+ i 1) (cons (spawn (lambda () (! me (+ 1 (?))))) acc))))))
  (sleep 0.01)
  (test (+ baseline n) (process-count))
  (for-each (lambda (p) (! p 1)) pids)
  (test (* 2 n) (let loop ((i 0) (sum 0)) (if (= i n) sum (loop (+ i 1) (+ sum (?))))))
  (sleep 0.01)
  (test baseline (process-count)))
