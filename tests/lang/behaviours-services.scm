;;; behaviours-services.scm -- the node's service registry:
;;; publish-service, unpublish-service, resolve-service, service-list.
;; expect-count: 26

(define (sleep s) (recv ('%sleep-never-sent 'no) (after s #t)))
(define (echo-server)
  (spawn (lambda ()
           (let loop ()
             (recv ((from tag x) (! from (list tag x)) (loop))
                   ('stop 'bye))))))

(test-group "registry process"
  ;; started with the node, it is a process like the others
  (test #t (pid? %service-registry))
  (test-assert (memq %service-registry (process-list)))
  (test 'service-registry (process-name %service-registry)))

(test-group "publish, resolve, unpublish"
  (let ((e1 (echo-server)) (e2 (echo-server)))
    (test #f (resolve-service 'echo))
    (test #t (publish-service 'echo e1))
    (test e1 (resolve-service 'echo))
    (test 'hi (!? (resolve-service 'echo) 'hi 1))
    ;; any value names a service; names are compared with equal?
    (test #t (publish-service "echo two" e2))
    (test #t (publish-service '(echo 3) e2))
    (test e2 (resolve-service (string-append "echo" " two")))
    (test e2 (resolve-service (list 'echo 3)))
    ;; publishing again replaces
    (test #t (publish-service 'echo e2))
    (test e2 (resolve-service 'echo))
    ;; sorted by name: strings before symbols before lists
    (test '("echo two" echo (echo 3))
          (let ((names (map car (service-list))))
            (filter (lambda (n) (member n '(echo "echo two" (echo 3)))) names)))
    ;; unpublish
    (test #t (unpublish-service 'echo))
    (test #f (resolve-service 'echo))
    (test #f (unpublish-service 'echo))
    (test e2 (resolve-service "echo two"))
    ;; visible from every process of the node
    (let ((me (self)))
      (spawn (lambda () (! me (resolve-service "echo two"))))
      (test e2 (? 1)))
    ;; a service whose process dies is forgotten
    (publish-service 'short-lived e1)
    (! e1 'stop)
    (sleep 0.05)
    (test #f (resolve-service 'short-lived))
    (! e2 'stop)
    (sleep 0.05)
    (test #f (resolve-service "echo two"))
    (test #f (resolve-service '(echo 3)))
    (test-error (publish-service 'bad 'not-a-pid))))

(test-group "a service published by a process"
  (let* ((me (self))
         (p (spawn (lambda ()
                     (publish-service 'worker (self))
                     (! me 'published)
                     (recv ((from tag 'job) (! from (list tag 'done))))))))
    (test 'published (? 1))
    (test 'done (!? (resolve-service 'worker) 'job 1))
    (sleep 0.05)
    (test #f (resolve-service 'worker))))
