;;; processes-info.scm -- pids, tags, nodes and the introspection
;;; procedures: self, pid?, make-tag, tag?, current-node, pid-node,
;;; process-info, process-list, process-count, process-name.
;; expect-count: 59

(define (sleep s) (recv ('%sleep-never-sent 'no) (after s #t)))
(define (field pid name) (cdr (assq name (process-info pid))))

(test-group "pids"
  (test #t (pid? (self)))
  (test #t (eq? (self) (self)))
  (test #t (equal? (self) (self)))
  (test #f (pid? 'pid))
  (test #f (pid? (make-tag)))
  (let ((a (spawn (lambda () 'a))) (b (spawn (lambda () 'b))))
    (test #t (pid? a))
    (test #f (eq? a b))
    (test #f (equal? a b))
    (test #f (eq? a (self))))
  ;; the pid a process sees as (self) is the one spawn returned
  (let* ((me (self))
         (p (spawn (lambda () (! me (self))))))
    (test #t (eq? p (?))))
  ;; pids are ordinary values: in lists, as keys of assoc, in messages
  (let* ((me (self))
         (ps (map (lambda (i) (spawn (lambda () (! me (cons i (self)))))) '(0 1 2))))
    (let ((replies (list (?) (?) (?))))
      (test '(0 1 2) (map (lambda (p) (car (find (lambda (r) (eq? (cdr r) p)) replies))) ps)))))

(test-group "tags"
  (let ((t1 (make-tag)) (t2 (make-tag)))
    (test #t (tag? t1))
    (test #f (tag? 'tag))
    (test #f (tag? (self)))
    (test #t (equal? t1 t1))
    (test #f (equal? t1 t2))
    (test #f (eq? t1 t2))
    ;; a tag made in another process is not one of ours
    (let ((me (self)))
      (spawn (lambda () (! me (make-tag))))
      (let ((t3 (?)))
        (test #t (tag? t3))
        (test #f (equal? t3 t1))
        (test #f (equal? t3 t2))))))

(test-group "nodes"
  (test #t (equal? (current-node) (pid-node (self))))
  (let ((p (spawn (lambda () 'x))))
    (test #t (equal? (current-node) (pid-node p))))
  (test-error (pid-node 'x)))

(test-group "process-info"
  (let* ((me (self))
         (p (spawn (lambda () (recv ('never 'never))) name: 'info-test)))
    (sleep 0.01)
    (let ((info (process-info p)))
      (test '(pid name status mailbox-length links monitors reductions memory)
            (map car info))
      (test #t (eq? p (cdr (assq 'pid info))))
      (test 'info-test (cdr (assq 'name info)))
      (test 'waiting (cdr (assq 'status info)))
      (test 0 (cdr (assq 'mailbox-length info)))
      (test '() (cdr (assq 'links info)))
      (test '() (cdr (assq 'monitors info)))
      (test #t (exact-integer? (cdr (assq 'memory info))))
      (test #t (exact-integer? (cdr (assq 'reductions info)))))
    ;; messages that do not match wait in the mailbox
    (! p 'a) (! p 'b) (! p 'c)
    (sleep 0.01)
    (test 3 (field p 'mailbox-length))
    (test 'waiting (field p 'status))
    ;; links and monitors
    (monitor p)
    (test (list me) (field p 'monitors))
    (outbound-link p)
    (test (list p) (field me 'links))
    (terminate! p)
    (test 'dead (field p 'status))
    (test 0 (field p 'mailbox-length))
    (recv (('DOWN ,p _) #t)))
  (test 'running (field (self) 'status))
  (test 'main (field (self) 'name))
  (test 'main (process-name (self)))
  (let ((p (spawn (lambda () 'x))))
    (test 'runnable (field p 'status))
    (test #f (field p 'name))
    (test #f (process-name p)))
  ;; reductions count work done
  (let ((p (spawn (lambda () (let loop ((i 0)) (if (< i 100000) (loop (+ i 1)))) (?)))))
    (sleep 0.05)
    (test-assert "a process that ran a loop has reductions > 0" (> (field p 'reductions) 0))
    (terminate! p))
  (test-error (process-info 'not-a-pid)))

(test-group "process-list and process-count"
  (let ((n (process-count)))
    (test n (length (process-list)))
    (test-assert (memq (self) (process-list)))
    (let* ((ps (map (lambda (i) (spawn (lambda () (?)))) (iota 10))))
      (test (+ n 10) (process-count))
      (test-assert (every (lambda (p) (memq p (process-list))) ps))
      ;; process-list is in the order of creation
      (test ps (filter (lambda (p) (memq p ps)) (process-list)))
      (for-each (lambda (p) (! p 'bye)) ps)
      (sleep 0.01)
      (test n (process-count))
      (test #f (any (lambda (p) (memq p (process-list))) ps)))))

(test-group "spawn"
  (test-error (spawn 42))
  (test-error (spawn (lambda (x) x) 'extra-positional))
  ;; a thunk that needs arguments: the process dies, the spawner does not
  (let ((p (spawn (lambda (x) x))))
    (monitor p)
    (test 'failure (recv (('DOWN ,p r) (termite-exception-reason r)) (after 1 'no-down))))
  ;; the value of the thunk is dropped; the process ends normally
  (let ((p (spawn (lambda () 'value))))
    (monitor p)
    (test 'normal (recv (('DOWN ,p r) r) (after 1 'no-down))))
  ;; closures carry their environment into the new process
  (let* ((me (self)) (secret (list 1 2 3)))
    (spawn (lambda () (! me (reverse secret))))
    (test '(3 2 1) (?)))
  ;; parameters are inherited at spawn time
  (let ((p (make-parameter 'outer)))
    (parameterize ((p 'inner))
      (let ((me (self)))
        (spawn (lambda () (! me (p))))))
    (test 'inner (?))))
