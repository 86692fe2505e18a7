;;; demo.scm -- a tour of Termite Scheme's core language.
;;;
;;;   build/termite examples/demo.scm
;;;
;;; Termite is Scheme without mutation: no set!, set-car!, vector-set! or
;;; string-set!.  State lives in processes (paper, section 4.6); the
;;; processes themselves (spawn, !, ?) are not part of this demo yet.

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
