;;; processes-receive.scm -- the primitive ? (paper 2.2, 4.4, 3.3): its
;;; arguments and their checks, timeouts that waking up does not restart,
;;; exit signals raised by ?; spawn's keyword argument; the process table
;;; and timers with many processes coming and going and collections in
;;; between.
;; expect-count: 44

(define %empty (list 'empty))
(define (mailbox)
  (let loop ((acc '()))
    (let ((m (? 0 %empty)))
      (if (eq? m %empty) (reverse acc) (loop (cons m acc))))))
(define (now) (/ (current-jiffy) (exact->inexact (jiffies-per-second))))
(define (elapsed thunk)
  (let* ((t0 (now)) (v (thunk)))
    (cons (- (now) t0) v)))
(define (sleep s) (recv ('%sleep-never-sent 'no) (after s #t)))
(define (reason-raised-by thunk)
  (catch (lambda (e)
           (if (termite-exception? e)
               (list 'exit (termite-exception-reason e))
               (list 'raised e)))
    (list 'returned (thunk))))

(test-group "? arguments"
  (test 'm (begin (! (self) 'm) (?)))
  (test 'm (begin (! (self) 'm) (? 1)))
  (test 'm (begin (! (self) 'm) (? 1 'd)))
  ;; #f as the timeout: no timeout at all
  (test 'm (begin (! (self) 'm) (? #f)))
  (test 'm (begin (! (self) 'm) (? #f 'd)))
  (test 'd (? 0 'd))
  (test 'timeout (catch (lambda (e) e) (? 0)))
  ;; a bad timeout is an error naming ?, even with a message waiting,
  ;; and the failed call leaves the message where it was
  (test-error-message "?: argument 1 must be a timeout in seconds" (? 'soon))
  (test-error-message "must be a non-negative timeout" (? -1))
  (test-error-message "must be a non-negative timeout" (? -0.5 'd))
  (test-error-message "must be a non-negative timeout" (? +nan.0 'd))
  (! (self) 'kept)
  (test-error-message "?: argument 1 must be a timeout in seconds" (? "1"))
  (test '(kept) (mailbox))
  (test-error (? 1 'd 'extra))
  ;; ? is a procedure like any other
  (test 'x (begin (! (self) 'x) (apply ? '())))
  (test 'd (apply ? '(0 d)))
  (test '(a b) (begin (! (self) 'a) (! (self) 'b) (map ? '(0 0)))))

(test-group "waking up does not restart a timeout"
  ;; timed waits answered at once leave stale timers behind, here at
  ;; 0.05, 0.10, ... 1.00 s from now; each one wakes the process during
  ;; the next wait, which must still end 0.1 s after it started
  (let loop ((i 1))
    (if (<= i 20)
        (begin (! (self) i) (? (* i 0.05)) (loop (+ i 1)))))
  (let ((r (elapsed (lambda () (? 0.1 'd)))))
    (test 'd (cdr r))
    (test-assert "(? 0.1) waits at least 0.1 s" (>= (car r) 0.099))
    (test-assert "(? 0.1) ends at its deadline despite wake-ups" (< (car r) 0.6)))
  (let ((r (elapsed (lambda () (catch (lambda (e) e) (? 0.1))))))
    (test 'timeout (cdr r))
    (test-assert "(? 0.1) raises at its deadline despite wake-ups" (< (car r) 0.6)))
  ;; a message arriving during a timed wait ends it
  (let ((me (self)))
    (spawn (lambda () (sleep 0.05) (! me 'late-but-in-time)))
    (test 'late-but-in-time (? 5 'd))))

(test-group "exit signals raised by ?"
  ;; while waiting in (?), in a timed wait, and before a waiting message
  (spawn-link (lambda () (sleep 0.02) (terminate! (self))))
  (test '(exit terminated) (reason-raised-by (lambda () (?))))
  (spawn-link (lambda () (sleep 0.02) (terminate! (self))))
  (test '(exit terminated) (reason-raised-by (lambda () (? 5 'd))))
  (let ((p (spawn-link (lambda () (?)))))
    (! (self) 'waiting)
    (terminate! p)
    (test '(exit terminated) (reason-raised-by (lambda () (? 0 'd))))
    ;; the signal is raised once; the message is still there
    (test '(returned waiting) (reason-raised-by (lambda () (? 0 'd))))
    (test '() (mailbox))))

(test-group "spawn's keyword argument"
  (let ((p (spawn (lambda () (?)) name: 'worker))
        (q (spawn (lambda () (?)))))
    (test 'worker (process-name p))
    (test #f (process-name q))
    (terminate! p)
    (terminate! q))
  (test-error-message "unknown keyword argument" (spawn (lambda () 1) nom: 'x))
  (test-error-message "bad keyword argument list" (spawn (lambda () 1) name:))
  (test-error-message "must be a procedure" (spawn 'not-a-thunk)))

(test-group "many processes coming and going"
  ;; 1500 processes; every third one waits for stop, the others end at
  ;; once.  The live ones are still found (by the process table, by pid
  ;; number when a pid comes back from serialization) and still receive.
  (let* ((me (self))
         (n0 (process-count))
         (ps (map (lambda (i)
                    (spawn (lambda ()
                             (if (= 0 (remainder i 3))
                                 (recv ('stop (! me (list 'stopped i))))))))
                  (iota 1500))))
    (sleep 0.05)
    (test 500 (- (process-count) n0))
    (let* ((live (process-list))
           (kept (filter (lambda (p) (memq p live)) ps)))
      (test 500 (length kept))
      ;; process-list is in pid order, which is the order of creation
      (test kept (filter (lambda (p) (memq p kept)) live))
      (test #t (every (lambda (p) (eq? p (u8vector->object (object->u8vector p)))) kept))
      (for-each (lambda (p) (! p 'stop)) kept)
      (test (filter (lambda (i) (= 0 (remainder i 3))) (iota 1500))
            (sort (let loop ((k 0) (acc '()))
                    (if (= k 500)
                        acc
                        (loop (+ k 1) (cons (cadr (recv (('stopped i) (list 'stopped i)))) acc))))
                  <))
      (sleep 0.02)
      (test n0 (process-count)))))

(test-group "collections while processes wait"
  ;; a process spawned and not yet run, and one in a timed wait, both
  ;; moved by a collection before they run again
  (let* ((me (self))
         (runs-later (spawn (lambda () (! me 'ran))))
         (times-out (spawn (lambda () (! me (list 'woke (? 0.05 'timed-out)))))))
    (gc)
    (test 4 (length (list 1 2 3 4)))
    (test 'ran (? 1 'none))
    (gc)
    (test 2 (length (list 1 2)))
    (test '(woke timed-out) (? 1 'none)))
  ;; ten thousand processes each waiting with a timeout, with collections
  ;; forced while they wait: every one of them times out and reports
  (let* ((me (self))
         (n 10000))
    (let loop ((i 0))
      (if (< i n)
          (begin (spawn (lambda () (! me (? 0.2 i)))) (loop (+ i 1)))))
    (gc)
    (let ((got (let loop ((k 0) (sum 0))
                 (if (= k n) sum (loop (+ k 1) (+ sum (? 5 0)))))))
      (test (quotient (* n (- n 1)) 2) got))))
