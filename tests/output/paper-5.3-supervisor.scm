;;; Paper, section 5.3: a supervised pong server.  The worker dies on
;;; crash (division by zero), the supervisor restarts it, and on shutdown
;;; terminates it since it does not understand the shutdown request.
;;; Changes to the paper's text:
;;;  - print: the paper's print ends the line (see its trace); Termite's
;;;    print, like Gambit's, does not, so println is used.
;;;  - the program waits for the supervisor's end (a monitor) after
;;;    (kill robust-pong-server), so that the end of the trace is printed
;;;    before the program exits.
;;; The trace on stdout is pong / crashed / pong; the supervisor's info:
;;; lines are on stderr.
;; expect: pong
;; expect: crashed
;; expect: pong
;; expect: supervisor ended
;; expect-stderr-contains: (info: starting up supervised process)
;; expect-stderr-contains: (info: process failed)
;; expect-stderr-contains: (info: restarting...)
;; expect-stderr-contains: (info: had to terminate the process)
;; expect-stderr-contains: (info: halting supervisor)
;; expect-stderr-matches: (?s)\(info: starting up supervised process\).*\(info: process failed\)\n\(info: restarting\.\.\.\)\n\(info: starting up supervised process\)\n.*\(info: had to terminate the process\)\n\(info: halting supervisor\)

(define (start-pong-server)
  (let loop ()
    (recv
     ((from tag 'crash)
      (! from (list tag (/ 1 0))))
     ((from tag 'ping)
      (! from (list tag 'pong))))
    (loop)))

(define robust-pong-server
  (spawn-thunk-supervised start-pong-server))

(define (ping server)
  (!? server 'ping 1 'timeout))

(define (crash server)
  (!? server 'crash 1 'crashed))

(define (kill server)
  (! server 'shutdown))

(println (ping robust-pong-server))
(println (crash robust-pong-server))
(println (ping robust-pong-server))
(monitor robust-pong-server)
(kill robust-pong-server)
(recv (('DOWN ,robust-pong-server reason) (println "supervisor ended")))
