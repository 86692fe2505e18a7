;;; Paper, section 3.3: "If an exception propagates to the outer scope of
;;; the process (i.e. an uncaught exception), the process dies."  The node
;;; and the other processes go on; the death is reported on stderr.  A
;;; process linked to the dead one gets the exception at its next message
;;; retrieval; here that process is main, which does not catch it: main
;;; dies of it and the program ends with status 70.
;; expect: still running
;; expect: 42
;; expect-exit: 70
;;; Pids are numbered in spawn order: main is 0, the prelude's service
;;; registry 1, so the processes spawned here are 2, 3, 4 and 5.
;; expect-stderr-contains: process #<pid 2> died: (not caught)
;; expect-stderr-contains: process #<pid 3> (named) died: /: division by zero
;; expect-stderr-contains: process #<pid 5> died: linked
;; expect-stderr-contains: origin: #<pid 5> reason: failure

(define me (self))
(spawn (lambda () (raise '(not caught))))
(spawn (lambda () (/ 1 0)) name: 'named)
(spawn (lambda () (! me 42)))
(println "still running")
(println (?))
(spawn-link (lambda () (raise 'linked)))
(? 5)
(println "not reached")
