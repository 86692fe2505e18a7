;;; demo.scm -- a tour of Termite Scheme: the core language, then processes.
;;;
;;;   build/termite examples/demo.scm
;;;
;;; Termite is Scheme without mutation: no set!, set-car!, vector-set! or
;;; string-set!.  State lives in processes (paper, section 4.6), which the
;;; second half of the demo shows.

(define (heading title)
  (newline)
  (display "== ") (display title) (display " ==") (newline))

;; (show "label" value): print one labelled result.
(define (show label value)
  (display "  ") (display label) (display " => ") (write value) (newline))

;;; Proper tail calls: a loop of ten million iterations runs in constant
;;; space, because a call in tail position replaces the caller's frame.
(heading "Proper tail calls")
(define (count-up i n acc)
  (if (= i n) acc (count-up (+ i 1) n (+ acc 1))))
(show "(count-up 0 10000000 0)" (count-up 0 10000000 0))

;;; Deep recursion: frames live on the heap, so a non-tail recursion a
;;; million calls deep needs no special stack size.
(heading "Deep recursion")
(define (build-list n)
  (if (= n 0) '() (cons n (build-list (- n 1)))))
(show "(length (build-list 1000000))" (length (build-list 1000000)))

;;; Numbers: fixnums overflow into bignums, and division of exact
;;; integers gives exact rationals.
(heading "Bignums and exact rationals")
(define (factorial n)
  (let loop ((n n) (acc 1))
    (if (= n 0) acc (loop (- n 1) (* n acc)))))
(show "(factorial 100)" (factorial 100))
(show "(+ 1/3 1/6)" (+ 1/3 1/6))
(show "(/ (factorial 20) (factorial 22))" (/ (factorial 20) (factorial 22)))

;;; First-class continuations: escape from a traversal as soon as the
;;; answer is known ...
(heading "call/cc")
(define (first-negative lst)
  (call/cc
   (lambda (return)
     (for-each (lambda (x) (if (negative? x) (return x))) lst)
     #f)))
(show "(first-negative '(3 1 -4 1 -5))" (first-negative '(3 1 -4 1 -5)))

;;; ... or turn a tree walk inside out into a generator.  Without set!,
;;; the generator's state is a continuation: each call returns the next
;;; leaf paired with a thunk that resumes the walk, and resuming passes
;;; the walk the continuation of its new caller.
(define (tree-walker tree)
  (define (walk t caller)               ; returns the latest caller
    (cond ((null? t) caller)
          ((pair? t) (walk (cdr t) (walk (car t) caller)))
          (else (call/cc
                 (lambda (resume)
                   (caller (cons t (lambda ()
                                     (call/cc (lambda (k) (resume k)))))))))))
  (lambda ()
    (call/cc (lambda (caller)
               ((walk tree caller) '(done . #f))))))
(define (leaves tree)
  (let loop ((next (tree-walker tree)) (acc '()))
    (let ((r (next)))
      (if (eq? (car r) 'done)
          (reverse acc)
          (loop (cdr r) (cons (car r) acc))))))
(show "(leaves '((a b) (c (d)) e))" (leaves '((a b) (c (d)) e)))

;;; dynamic-wind runs its "before" and "after" thunks whenever control
;;; enters or leaves its body -- also when a continuation jumps out.
(heading "dynamic-wind")
(define trail
  (call-with-output-string
   (lambda (out)
     (call/cc
      (lambda (escape)
        (dynamic-wind
         (lambda () (display "[enter]" out))
         (lambda () (display "[body]" out) (escape 'out) (display "unseen" out))
         (lambda () (display "[leave]" out))))))))
(show "trail" trail)

;;; Exceptions, as in section 4.7 of the paper.  A handler installed with
;;; with-exception-handler runs where raise was called, and raise returns
;;; its value; with-exception-catcher returns the handler's value from
;;; the place where the catcher was installed.
(heading "Exceptions")
(show "with-exception-catcher"
      (list (with-exception-catcher
             (lambda (exception) exception)
             (lambda ()
               (raise 42)               ; this will not return
               123))))
(show "with-exception-handler"
      (list (with-exception-handler
             (lambda (exception) exception)
             (lambda ()
               (raise 42)               ; control will resume here
               123))))
(show "error message"
      (with-exception-catcher
       (lambda (e) (error-object-message e))
       (lambda () (error "something went wrong" 'detail))))
(show "mutation is an error"
      (with-exception-catcher
       (lambda (e) 'rejected)
       (lambda () (eval '(let ((x 1)) (set! x 2) x)))))

;;; Records: define-record-type makes immutable record types (mutator
;;; clauses are rejected).  "Changing" a record means building a new one.
(heading "Records")
(define-record-type point
  (make-point x y)
  point?
  (x point-x)
  (y point-y))
(define (point-move p dx dy)
  (make-point (+ (point-x p) dx) (+ (point-y p) dy)))
(define p (point-move (make-point 1 2) 10 20))
(show "(point-x p) (point-y p)" (list (point-x p) (point-y p)))
(show "(point? p) (point? 'p)" (list (point? p) (point? 'p)))

;;; Hygienic macros with syntax-rules: a "while"-style loop must carry its
;;; state explicitly, so here is a for-loop over a range that accumulates.
(heading "syntax-rules macros")
(define-syntax sum-for
  (syntax-rules (from to)
    ((_ var from lo to hi body)
     (let loop ((var lo) (acc 0))
       (if (> var hi) acc (loop (+ var 1) (+ acc body)))))))
(show "(sum-for i from 1 to 10 (* i i))" (sum-for i from 1 to 10 (* i i)))
(define-syntax my-or
  (syntax-rules ()
    ((_) #f)
    ((_ e) e)
    ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
(show "hygiene: (let ((t 5)) (my-or #f t))" (let ((t 5)) (my-or #f t)))

;;; Quasiquote builds lists from a template.
(heading "Quasiquote")
(define n 3)
(show "`(n is ,n and its square is ,(* n n))"
      `(n is ,n and its square is ,(* n n)))
(show "`(1 ,@(map factorial '(3 4 5)) end)"
      `(1 ,@(map factorial '(3 4 5)) end))

;;; String ports: read Scheme data from a string (call-with-output-string,
;;; used above for the dynamic-wind trail, collects output into one).
(heading "String ports")
(define data
  (with-input-from-string "(alice 31) (bob 27) (carol 45)"
    (lambda ()
      (let loop ((acc '()))
        (let ((x (read)))
          (if (eof-object? x) (reverse acc) (loop (cons x acc))))))))
(show "data read from a string" data)

;;; Sorting (a stable merge sort) with any ordering predicate.
(heading "Sorting")
(define by-age (sort data (lambda (a b) (< (cadr a) (cadr b)))))
(show "sorted by age" by-age)

;;; Optional and keyword parameters (DSSSL style, as in Gambit).
(heading "#!optional and #!key")
(define (greet name #!optional (greeting "hello") #!key (punct "!"))
  (string-append greeting ", " name punct))
(show "(greet \"world\")" (greet "world"))
(show "(greet \"you\" \"hi\" punct: \"?\")" (greet "you" "hi" punct: "?"))

;;; ---- Processes (paper, sections 2-5) ------------------------------------

;;; A process is cheap: spawn a ring of ten thousand, each forwarding a
;;; token to the next; the token goes round the ring three times.
(heading "Processes: a ring of 10000")
(define (ring-node next)
  (lambda ()
    (let loop ()
      (let ((token (?)))
        (! next (+ token 1))
        (loop)))))
(define (make-ring size last)
  (let loop ((i 0) (next last))
    (if (= i size) next (loop (+ i 1) (spawn (ring-node next))))))
(define first-node (make-ring 10000 (self)))
(show "token after 3 laps"
      (let lap ((k 0) (token 0))
        (if (= k 3) token (begin (! first-node token) (lap (+ k 1) (?))))))

;;; The pong server of section 4.1, and a remote procedure call with a
;;; tag (section 4.5): !? sends (self tag msg) and waits for (tag reply).
(heading "Processes: messages")
(define pong-server
  (spawn (lambda ()
           (let loop ()
             (recv
              ((from tag ('ping n)) (! from (list tag (list 'pong n))))
              ((from tag ('add a b)) (! from (list tag (+ a b)))))
             (loop)))
         name: 'pong))
(show "(!? pong-server '(ping 1))" (!? pong-server '(ping 1)))
(show "(!? pong-server '(add 20 22))" (!? pong-server '(add 20 22)))
(show "(!? (spawn (lambda () #f)) 'hello 0.1 'no-answer)"
      (!? (spawn (lambda () #f)) 'hello 0.1 'no-answer))

;;; Selective receive leaves the other messages in order (section 4.2).
(! (self) 'first) (! (self) 'important) (! (self) 'second)
(show "(?? (lambda (m) (eq? m 'important)))" (?? (lambda (m) (eq? m 'important))))
(show "then (? 0) (? 0)" (list (? 0) (? 0)))

;;; Links (section 3.3): a linked process's failure is raised in ours at
;;; the next receive; a monitor gets a message instead.
(heading "Processes: failure")
(show "exit signal from a spawn-link'ed child"
      (with-exception-catcher
       (lambda (e) (list (termite-exception-reason e) (termite-exception-object e)))
       (lambda () (spawn-link (lambda () (raise 'oops))) (? 1))))

;;; A supervisor (section 5.3) restarts a worker that crashes; its info:
;;; lines go to stderr.
(define supervised
  (spawn-thunk-supervised
   (lambda ()
     (let loop ()
       (recv ((from tag 'crash) (car '()))
             ((from tag 'ping) (! from (list tag 'pong))))
       (loop)))))
(show "ping" (!? supervised 'ping 1 'timeout))
(show "crash (no reply)" (!? supervised 'crash 0.2 'no-reply))
(show "ping after the restart" (!? supervised 'ping 1 'timeout))

;;; Closures and continuations are data (section 4.9): a procedure goes
;;; through the wire format and comes back working.
(heading "Code as data")
(define (make-adder k) (lambda (x) (+ x k)))
(define bytes (object->u8vector (make-adder 42)))
(show "bytes in the serialized closure" (bytevector-length bytes))
(show "((u8vector->object bytes) 1)" ((u8vector->object bytes) 1))
