;;; Paper, section 5.3: "A supervisor can be parameterized to set the
;;; acceptable restart frequency tolerable for a process.  A process failing
;;; more often than a certain limit is shut down."  Here a worker that
;;; always fails at once, allowed 2 restarts within 10 seconds: it is started
;;; three times, then the supervisor gives up.
;; expect: started
;; expect: started
;; expect: started
;; expect: supervisor ended: normal
;;; The supervisor is pid 2 (0 is main, 1 the service registry); each
;;; restart spawns a new worker: 3, 4, 5.
;; expect-stderr-matches: (?s)^\(info: starting up supervised process\)\nprocess #<pid 3> died: failing\n\(info: process failed\)\n\(info: restarting\.\.\.\)\n\(info: starting up supervised process\)\nprocess #<pid 4> died: failing\n\(info: process failed\)\n\(info: restarting\.\.\.\)\n\(info: starting up supervised process\)\nprocess #<pid 5> died: failing\n\(info: process failed\)\n\(info: too many restarts\)\n\(info: halting supervisor\)\n$

(define me (self))

(define supervisor
  (spawn-thunk-supervised
   (lambda ()
     (! me 'started)
     (raise 'failing))
   max-restarts: 2
   period: 10))

(monitor supervisor)
(let loop ()
  (recv
   ('started (println "started") (loop))
   (('DOWN ,supervisor reason)
    (println "supervisor ended: " reason))))
