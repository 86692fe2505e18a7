;;; info, warning and debug write one line each on stderr with the
;;; process's pid: "(LEVEL: #<pid N> ARG ...)", the arguments displayed and
;;; separated by spaces; the supervisor's lines are in the paper's form
;;; (section 5.3), without the pid.  Two processes that log long lines
;;; at the same time (each line takes more than one time slice to build)
;;; do not mix their lines.  A program's own `info` does not change the
;;; supervisor's messages.
;; expect: done
;; expect-stderr-matches: (?m)^\(info: #<pid 0> starting up 42\)$
;; expect-stderr-matches: (?m)^\(warning: #<pid 0> low disk x \(1 a\)\)$
;; expect-stderr-matches: (?m)^\(debug: #<pid 0> #<pid 0>\)$
;; expect-stderr-matches: (?m)^\(debug: #<pid 0>\)$
;; expect-stderr-matches: (?m)^\(info: #<pid 2>( a){3000}\)$
;; expect-stderr-matches: (?m)^\(info: #<pid 3>( b){3000}\)$
;; expect-stderr-matches: (?m)^\(info: starting up supervised process\)$
;; expect-stderr-matches: ^(?![\s\S]*user info)

(info "starting up" 42)
(warning "low disk" 'x '(1 "a"))
(debug (self))
(debug)

(define me (self))
(spawn (lambda () (apply info (make-list 3000 'a)) (! me 'logged)))
(spawn (lambda () (apply info (make-list 3000 'b)) (! me 'logged)))
(? 5)
(? 5)

(define (info . args) (display "user info" (current-error-port)))
(define sup (spawn-thunk-supervised (lambda () (! me 'worker) (?))))
(? 5)
(! sup 'shutdown)
(println "done")
