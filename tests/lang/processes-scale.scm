;;; processes-scale.scm -- lightweight processes (paper 2.1): many
;;; processes, long-running loops in constant space, deep recursion inside
;;; a process, and preemption (fairness).
;; expect-count: 28

(define (sleep s) (recv ('%sleep-never-sent 'no) (after s #t)))
(define (now) (/ (current-jiffy) (exact->inexact (jiffies-per-second))))
(define (memory pid) (cdr (assq 'memory (process-info pid))))
(define (status pid) (cdr (assq 'status (process-info pid))))

(define baseline (process-count))

(test-group "100000 processes"
  (let ((me (self)) (n 100000))
    (let loop ((i 0))
      (if (< i n)
          (begin (spawn (lambda () (! me i))) (loop (+ i 1)))))
    (test (quotient (* n (- n 1)) 2)
          (let loop ((i 0) (sum 0))
            (if (= i n) sum (loop (+ i 1) (+ sum (?))))))
    ;; all of them have finished
    (sleep 0.01)
    (test baseline (process-count))
    (test baseline (length (process-list)))))

(test-group "100000 processes alive at the same time"
  (let* ((me (self))
         (n 100000)
         (pids (let loop ((i 0) (acc '()))
                 (if (= i n)
                     acc
                     (loop (+ i 1)
                           (cons (spawn (lambda () (recv (('go k) (! me (* k 2)))))) acc))))))
    (sleep 0.01)
    (test (+ baseline n) (process-count))
    (for-each (lambda (p) (! p '(go 1))) pids)
    (test (* 2 n) (let loop ((i 0) (sum 0))
                    (if (= i n) sum (loop (+ i 1) (+ sum (?))))))
    (sleep 0.01)
    (test baseline (process-count))))

(test-group "a ring of 10000 processes"
  ;; each process forwards what it gets to the next one, plus one
  (let* ((me (self))
         (first (let loop ((i 0) (next me))
                  (if (= i 10000)
                      next
                      (loop (+ i 1)
                            (let ((to next)) (spawn (lambda () (! to (+ 1 (?)))))))))))
    (! first 0)
    (test 10000 (? 10))))

(test-group "deep recursion inside a process"
  (let ((me (self)))
    (define (build n) (if (= n 0) '() (cons n (build (- n 1)))))
    (define (sum-to n) (if (= n 0) 0 (+ n (sum-to (- n 1)))))
    (spawn (lambda () (! me (length (build 1000000)))))
    (test 1000000 (? 30))
    (spawn (lambda () (! me (sum-to 1000000))))
    (test 500000500000 (? 30))
    ;; two processes recursing deeply at the same time, preempted
    (spawn (lambda () (! me (list 'a (sum-to 300000)))))
    (spawn (lambda () (! me (list 'b (length (build 300000))))))
    (let ((rs (list (? 30) (? 30))))
      (test-assert (member '(a 45000150000) rs))
      (test-assert (member '(b 300000) rs)))
    ;; a deep recursion that waits for messages at the bottom
    (let ((p (spawn (lambda ()
                      (define (deep n) (if (= n 0) (?) (+ 1 (deep (- n 1)))))
                      (! me (deep 200000))))))
      (let wait ((i 0))
        (if (and (< i 300) (not (eq? (status p) 'waiting)))
            (begin (sleep 0.01) (wait (+ i 1)))))
      (test 'waiting (status p))
      (test-assert "a suspended deep process holds its frames" (> (memory p) 100000))
      (! p 0)
      (test 200000 (? 10)))))

(test-group "a server loop in constant space"
  ;; the recv body calls the loop in tail position: 100000 messages do not
  ;; make the process grow
  (let* ((server (spawn (lambda ()
                          (let loop ((count 0))
                            (recv
                             ('inc (loop (+ count 1)))
                             ((from tag 'count)
                              (! from (list tag count))
                              (loop count))
                             ((from tag ('add n))
                              (! from (list tag (+ count n)))
                              (loop count)))))))
         (m0 (begin (sleep 0.01) (memory server))))
    (let loop ((i 0))
      (if (< i 100000) (begin (! server 'inc) (loop (+ i 1)))))
    (test 100000 (!? server 'count 30))
    (test-assert "memory stays small after 100000 messages" (< (memory server) 4096))
    (test-assert "memory did not grow" (<= (memory server) (* 2 m0)))
    ;; synchronous calls too
    (let loop ((i 0))
      (if (< i 20000) (begin (!? server '(add 1)) (loop (+ i 1)))))
    (test 100001 (!? server '(add 1)))
    (test-assert "memory stays small after 20000 calls" (< (memory server) 4096))
    (terminate! server))
  ;; the same with ?? and ? loops
  (let* ((me (self))
         (p (spawn (lambda ()
                     (let loop ((n 0))
                       (let ((m (?? number?)))
                         (if (< m 0)
                             (! me n)
                             (loop (+ n m)))))))))
    (let loop ((i 0))
      (if (< i 100000) (begin (! p 1) (loop (+ i 1)))))
    ;; wait until it has taken every message and waits for more
    (let wait ((i 0))
      (if (and (< i 300)
               (not (and (= 0 (cdr (assq 'mailbox-length (process-info p))))
                         (eq? 'waiting (status p)))))
          (begin (sleep 0.01) (wait (+ i 1)))))
    (test-assert "a ?? loop: memory stays small after 100000 messages" (< (memory p) 4096))
    (! p -1)
    (test 100000 (? 30))))

(test-group "fairness"
  ;; a process in an infinite loop does not keep the others from running
  (let ((spinner (spawn (lambda () (let loop () (loop)))))
        (spinner2 (spawn (lambda () (let loop ((i 0)) (loop (+ i 1))))))
        (echo (spawn (lambda () (let loop () (recv ((from tag x) (! from (list tag x)))) (loop))))))
    (test 'pong (!? echo 'pong 2 'starved))
    (let ((t0 (now)))
      (let loop ((i 0))
        (if (< i 100) (begin (!? echo i 2 'starved) (loop (+ i 1)))))
      (test-assert "100 round trips beside two spinning processes in < 2 s" (< (- (now) t0) 2)))
    ;; the main process computes while they spin
    (test 5000050000 (let loop ((i 0) (s 0)) (if (> i 100000) s (loop (+ i 1) (+ s i)))))
    ;; timers fire although processes are always runnable
    (let ((t0 (now)))
      (test 'late (? 0.1 'late))
      (test-assert "a 0.1 s timeout beside spinning processes ends in < 1 s" (< (- (now) t0) 1)))
    (test 'runnable (let ((s (status spinner))) (if (eq? s 'running) 'runnable s)))
    (terminate! spinner)
    (terminate! spinner2)
    (terminate! echo)
    (sleep 0.01)
    (test baseline (process-count))))
