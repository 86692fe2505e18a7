;;; Paper, sections 3.3 and 4.7: what the linked process receives is a
;;; termite exception naming the dead process, the reason (failure) and
;;; the raised object.
;; expect: #t
;; expect: #t
;; expect: failure
;; expect: error
;; expect-stderr-contains: died: error

(define result
  (let ((pid (spawn-link (lambda () (raise 'error)))))
    (list pid (catch (lambda (exception) exception) (? 1 'ok)))))
(define pid (car result))
(define e (cadr result))
(write (termite-exception? e))
(newline)
(write (eq? (termite-exception-origin e) pid))
(newline)
(write (termite-exception-reason e))
(newline)
(write (termite-exception-object e))
(newline)
