;;; mutation-rejected.scm -- every mutation form is an error whose message
;;; names the form and says that state lives in processes.
;;;
;;; The forms are evaluated with eval so that it does not matter whether
;;; the implementation rejects them while compiling or while running.
;; expect-count: 43

(define (string-search needle haystack)
  (let ((n (string-length needle)) (h (string-length haystack)))
    (let loop ((i 0))
      (cond ((> (+ i n) h) #f)
            ((string=? needle (substring haystack i (+ i n))) #t)
            (else (loop (+ i 1)))))))

;; The error message raised by evaluating FORM, or a symbol describing
;; what happened instead.
(define (message-of form)
  (guard (e ((error-object? e)
             (if (string? (error-object-message e))
                 (error-object-message e)
                 'message-not-a-string))
            (else 'not-an-error-object))
    (eval form)
    'no-error))

(define (mentions? form word)
  (let ((msg (message-of form)))
    (and (string? msg) (string-search word msg))))

(define global-var 1)

;; each form raises
(test-error (eval '(set! global-var 2)))
(test-error (eval '(let ((x 1)) (set! x 2) x)))
(test-error (eval '((lambda (x) (set! x 2) x) 1)))
(test-error (eval '(set-car! (list 1 2) 3)))
(test-error (eval '(set-cdr! (list 1 2) 3)))
(test-error (eval '(vector-set! (vector 1 2) 0 3)))
(test-error (eval '(string-set! (string #\a #\b) 0 #\c)))
(test-error (eval '(vector-fill! (vector 1 2) 0)))
(test-error (eval '(string-fill! (string #\a #\b) #\c)))
(test-error (eval '(bytevector-u8-set! (bytevector 1 2) 0 3)))
;; other R7RS mutators must not work either
(test-error (eval '(list-set! (list 1 2) 0 3)))
(test-error (eval '(vector-copy! (vector 1 2) 0 (vector 3 4))))
(test-error (eval '(string-copy! (string #\a #\b) 0 "cd")))
(test-error (eval '(bytevector-copy! (bytevector 1 2) 0 (bytevector 3 4))))
(test-error (eval '(read-bytevector! (make-bytevector 2 0)
                                     (open-input-bytevector (bytevector 1 2)))))

;; the raised object is an error object
(test #t (string? (message-of '(set! global-var 2))))
(test #t (string? (message-of '(set-car! (list 1 2) 3))))

;; the message names the form
(test-assert (mentions? '(set! global-var 2) "set!"))
(test-assert (mentions? '(let ((x 1)) (set! x 2) x) "set!"))
(test-assert (mentions? '(set-car! (list 1 2) 3) "set-car!"))
(test-assert (mentions? '(set-cdr! (list 1 2) 3) "set-cdr!"))
(test-assert (mentions? '(vector-set! (vector 1 2) 0 3) "vector-set!"))
(test-assert (mentions? '(string-set! (string #\a #\b) 0 #\c) "string-set!"))
(test-assert (mentions? '(vector-fill! (vector 1 2) 0) "vector-fill!"))
(test-assert (mentions? '(string-fill! (string #\a #\b) #\c) "string-fill!"))
(test-assert (mentions? '(bytevector-u8-set! (bytevector 1 2) 0 3) "bytevector-u8-set!"))
(test-assert (mentions? '(read-bytevector! (make-bytevector 2 0)) "read-bytevector!"))

;; ... and says that state lives in processes
(test-assert (mentions? '(set! global-var 2) "process"))
(test-assert (mentions? '(set-car! (list 1 2) 3) "process"))
(test-assert (mentions? '(vector-set! (vector 1 2) 0 3) "process"))
(test-assert (mentions? '(string-set! (string #\a #\b) 0 #\c) "process"))
(test-assert (mentions? '(bytevector-u8-set! (bytevector 1 2) 0 3) "process"))
(test-assert (mentions? '(read-bytevector! (make-bytevector 2 0)) "process"))

;; nothing was mutated
(test 1 global-var)
(test #(1 2 3)
      (let ((v (vector 1 2 3)))
        (guard (e (#t #f)) (eval (list 'vector-set! (list 'quote v) 0 99)))
        v))
(test '(1 2)
      (let ((l (list 1 2)))
        (guard (e (#t #f)) (eval (list 'set-car! (list 'quote l) 99)))
        (guard (e (#t #f)) (eval (list 'set-cdr! (list 'quote l) 99)))
        l))
(test "ab"
      (let ((s (string #\a #\b)))
        (guard (e (#t #f)) (eval (list 'string-set! (list 'quote s) 0 #\z)))
        (guard (e (#t #f)) (eval (list 'string-fill! (list 'quote s) #\z)))
        s))
(test #u8(1 2)
      (let ((b (bytevector 1 2)))
        (guard (e (#t #f)) (eval (list 'bytevector-u8-set! (list 'quote b) 0 9)))
        b))
;; read-bytevector! neither fills the buffer nor consumes the port
(test '(#u8(0 0) 1)
      (let ((b (make-bytevector 2 0)) (port (open-input-bytevector (bytevector 1 2))))
        (guard (e (#t #f)) (eval (list 'read-bytevector! (list 'quote b) (list 'quote port))))
        (list b (read-u8 port))))

;; top-level define is allowed to redefine a global
(define global-var 2)
(test 2 global-var)
(test 3 (begin (eval '(define global-var 3)) global-var))

;; the error is catchable like any other and the program goes on
(test 'caught (guard (e (#t 'caught)) (eval '(set! global-var 4))))
(test 3 global-var)
