;;; Paper, section 4.4: timeouts.  The paper waits up to 10 seconds for a
;;; reply; here the server answers, so (? 10) returns at once.  Then, with a
;;; server that never answers and 0.1 second timeouts (so the test is fast),
;;; (? 0.1) and the equivalent recv both raise the symbol timeout.
;; expect: (reply 7)
;; expect: (reply 8)
;; expect: timeout
;; expect: timeout
;; expect: default
;; expect: after

(define some-server
  (spawn
    (lambda ()
      (let loop ()
        (recv
          ((from 'request argument)
           (! from (list 'reply argument))))
        (loop)))))

(define argument 7)

(! some-server (list (self) 'request argument))

(write (? 10)) ; waits for a maximum of 10 seconds
(newline)

(! some-server (list (self) 'request 8))
;; or, equivalently:
(write (recv
         (x x)
         (after 10 (raise 'timeout))))
(newline)

(define silent-server (spawn (lambda () (let loop () (? ) (loop)))))

(! silent-server (list (self) 'request argument))
(write (catch (lambda (e) e) (? 0.1)))
(newline)
(write (catch (lambda (e) e)
         (recv
           (x x)
           (after 0.1 (raise 'timeout)))))
(newline)
(write (? 0.1 'default))
(newline)
(write (recv (x x) (after 0.1 'after)))
(newline)
