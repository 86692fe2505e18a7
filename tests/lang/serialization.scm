;;; serialization.scm -- object->u8vector and u8vector->object (paper 3.1):
;;; every kind of value, sharing, procedures whose globals resolve where
;;; they run (paper 3.4), continuations through bytes, the paper's 4.9
;;; process cloning and dynamic code update, ports as proxy processes,
;;; code by reference, and the errors.
;; expect-count: 83

(define (rt x) (u8vector->object (object->u8vector x)))

(test-group "data"
  (test 42 (rt 42))
  (test 0 (rt 0))
  (test -7 (rt -7))
  (test 1000000 (rt 1000000))
  (test 123456789012345678901234567890 (rt 123456789012345678901234567890))
  (test -123456789012345678901234567890 (rt -123456789012345678901234567890))
  (test -3/7 (rt -3/7))
  (test 1.5 (rt 1.5))
  (test #t (eqv? -0.0 (rt -0.0)))
  (test #f (eqv? 0.0 (rt -0.0)))
  (test "+inf.0" (number->string (rt +inf.0)))
  (test #t (let ((x (rt +nan.0))) (not (= x x))))
  (test #\a (rt #\a))
  (test #\x3bb (rt #\x3bb))
  (test "h\xe9;llo w\xf6;rld \x1F600;" (rt "h\xe9;llo w\xf6;rld \x1F600;"))
  (test "" (rt ""))
  (test #t (eq? 'sym (rt 'sym)))
  (test #t (keyword? (rt 'key:)))
  (test '(1 (2 3) #(4 5) "six" #u8(7 8) . 9) (rt '(1 (2 3) #(4 5) "six" #u8(7 8) . 9)))
  (test '() (rt '()))
  (test '(#t #f) (rt '(#t #f)))
  (test #t (eof-object? (rt (eof-object))))
  (test 5 (unbox (rt (box 5))))
  (test 3 (force (rt (delay (+ 1 2)))))
  (test '(1 2) (call-with-values (lambda () (rt (values 1 2))) list))
  (test 10000 (length (rt (iota 10000)))))

(test-group "sharing"
  (test #t (let ((y (rt (let ((x (list 1))) (list x x))))) (eq? (car y) (cadr y))))
  (test #t (let* ((s "shared") (v (rt (vector s s)))) (eq? (vector-ref v 0) (vector-ref v 1))))
  (test #f (let ((v (rt (vector (string #\a) (string #\a)))))
             (eq? (vector-ref v 0) (vector-ref v 1))))
  ;; a closure that refers to itself: a cycle
  (test #t (let ((f (rt (letrec ((f (lambda () f))) f)))) (eq? (f) f))))

(define-record-type point
  (make-point x y)
  point?
  (x point-x)
  (y point-y))

(test-group "records and errors"
  (test #t (point? (rt (make-point 1 2))))
  (test 2 (point-y (rt (make-point 1 2))))
  (test "boom" (error-object-message
                (rt (with-exception-catcher (lambda (e) e) (lambda () (error "boom" 1 2))))))
  (test '(1 2) (error-object-irritants
                (rt (with-exception-catcher (lambda (e) e) (lambda () (error "boom" 1 2)))))))

(define (make-adder n) (lambda (m) (+ n m)))
(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))
(define (which) 'first)
(define late (rt (lambda () (which))))
(define (which) 'second)

(test-group "procedures"
  (test 15 ((rt (make-adder 10)) 5))
  (test 2432902008176640000 ((rt fact) 20))
  (test #t (eq? car (rt car)))
  (test '(1 4 9) ((rt map) (rt (lambda (x) (* x x))) '(1 2 3)))
  (test #f ((rt (letrec ((ev? (lambda (n) (if (= n 0) #t (od? (- n 1)))))
                         (od? (lambda (n) (if (= n 0) #f (ev? (- n 1))))))
                  ev?))
            101))
  (test 'got-it ((rt (lambda (#!optional (x 'got-it)) x))))
  (test '(1 (2 3)) ((rt (lambda (a . rest) (list a rest))) 1 2 3))
  ;; globals are looked up when the code runs, where it runs
  (test 'second (late))
  (test 10 ((rt (make-parameter 10))))
  (test #t (eq? current-output-port (rt current-output-port))))

(test-group "identifiers"
  (test #t (eq? (self) (rt (self))))
  (test #t (eq? (current-node) (rt (current-node))))
  (test #t (let ((t (make-tag))) (equal? t (rt t))))
  (test #t (tag? (rt (make-tag)))))

;; ---- continuations through bytes --------------------------------------------

(define me (self))

(spawn (lambda ()
         (! me (list 'result
                     (* 2 (call/cc (lambda (k) (! me (list 'k (object->u8vector k))) 1)))))))
(define k-bytes (recv (('k b) b)))

(test-group "continuations"
  (test #t (bytevector? k-bytes))
  (test 2 (recv (('result r) r)))
  ;; resumed in a new process, from the bytes, twice
  (test 42 (begin (spawn (lambda () ((u8vector->object k-bytes) 21)))
                  (recv (('result r) r))))
  (test 10 (begin (spawn (lambda () ((u8vector->object k-bytes) 5)))
                  (recv (('result r) r))))
  ;; an escaping continuation round-tripped within its process (at top
  ;; level the continuation would include `load` and its file port)
  (test 'escaped (begin (spawn (lambda ()
                                 (! me (list 'esc (call/cc (lambda (k) ((rt k) 'escaped)))))))
                        (recv (('esc v) v)))))

;; migrate-task (paper 4.9) with the "remote" spawn replaced by a spawn
;; of a thunk that went through the wire format.
(define (migrate-task)
  (call/cc
   (lambda (k)
     (let ((thunk (u8vector->object (object->u8vector (lambda () (k #t))))))
       (spawn thunk)
       (halt!)))))

(spawn (lambda ()
         (let ((before (self)))
           (migrate-task)
           (! me (list 'migrated (eq? before (self)))))))

(test-group "migration"
  (test #f (recv (('migrated same?) same?))))

;; process cloning (paper 4.9): the clone thunk travels as bytes
(define original
  (spawn
   (lambda ()
     (let loop ((count 0))
       (recv
        ((from tag 'clone)
         (call/cc
          (lambda (clone)
            (! from (list tag (object->u8vector (lambda () (clone #t)))))))
         (loop (+ count 1)))
        ((from tag 'count)
         (! from (list tag count))
         (loop count)))))))

(test-group "cloning"
  (test 0 (!? original 'count))
  (test #t (begin (!? original 'count) #t))
  (let ((clone (spawn (u8vector->object (!? original 'clone)))))
    (test 1 (!? original 'count))
    (test 1 (!? clone 'count))
    (test #f (eq? clone original))))

;; dynamic code update (paper 4.9): the new code arrives as a serialized
;; continuation of a process running it
(define server
  (spawn
   (lambda ()
     (let loop ()
       (recv
        (('update k) (k #t))
        ((from tag 'ping) (! from (list tag 'gnop))))
       (loop)))))

(define new-server
  (spawn
   (lambda ()
     (let loop ()
       (recv
        (('update k) (k #t))
        ((from tag 'clone)
         (call/cc
          (lambda (k)
            (! from (list tag (object->u8vector k))))))
        ((from tag 'ping) (! from (list tag 'pong))))
       (loop)))))

(test-group "code update"
  (test 'gnop (!? server 'ping))
  (test 'pong (!? new-server 'ping))
  (test 'pong (begin (! server (list 'update (u8vector->object (!? new-server 'clone))))
                     (!? server 'ping)))
  (test 'pong (!? server 'ping)))

;; ---- code by reference -------------------------------------------------------

(define (square x) (* x x))

(test-group "code by reference"
  (test #t (< (bytevector-length (object->u8vector square #t))
              (bytevector-length (object->u8vector square))))
  (test 49 ((u8vector->object (object->u8vector square #t)) 7))
  (test 32 (bytevector-length (%code-hash square)))
  (test #t (equal? (%code-hash square) (%code-hash square)))
  (test #f (not (%code-by-hash (%code-hash square))))
  ;; only the listed hashes go by reference
  (test 9 ((u8vector->object (object->u8vector square (list (%code-hash square)))) 3))
  (test-error-message "missing code"
                      (u8vector->object
                       (bytevector-append (bytevector 84 77 84 87 1 #xe4)
                                          (make-bytevector 32 7))))
  (test '(32) (map bytevector-length
                   (with-exception-catcher
                    error-object-irritants
                    (lambda ()
                      (u8vector->object
                       (bytevector-append (bytevector 84 77 84 87 1 #xe4)
                                          (make-bytevector 32 7))))))))

;; ---- errors ---------------------------------------------------------------------

(test-group "errors"
  ;; ports are not encoded: they travel as the pid of a proxy process
  (test-assert (pid? (u8vector->object (object->u8vector (open-input-string "x")))))
  (test-assert (pid? ((u8vector->object
                       (object->u8vector (let ((p (open-input-string "x"))) (lambda () p)))))))
  (test-error-message "not a Termite message" (u8vector->object (bytevector 1 2 3)))
  (test-error-message "version"
                      (u8vector->object (bytevector 84 77 84 87 99 5)))
  (test-error-message "truncated"
                      (let ((b (object->u8vector '(1 2 3))))
                        (u8vector->object (bytevector-copy b 0 (- (bytevector-length b) 1)))))
  (test-error-message "after the value"
                      (u8vector->object (bytevector-append (object->u8vector 1)
                                                           (bytevector 1))))
  (test-error (u8vector->object 'not-bytes)))

;; ---- ports travel as proxy processes (paper 3.1) ---------------------------------
;; The proxy loop is the library's to define; this one applies the named
;; operation to the port and replies with the result.

(define (%port-proxy-loop port)
  (let loop ()
    (recv
     ((from tag (op . args))
      (! from (list tag (apply (cond ((eq? op 'write-string) write-string)
                                     ((eq? op 'get-output-string) get-output-string)
                                     ((eq? op 'read-char) read-char)
                                     (else (lambda args 'unknown-operation)))
                               (append args (list port)))))))
    (loop)))

(define out (open-output-string))

(test-group "ports"
  (test #t (pid? (rt out)))
  (test #t (eq? (rt out) (rt out)))
  (test "hi" (begin (!? (rt out) (list 'write-string "hi"))
                    (get-output-string out)))
  (test "hi" (!? (rt out) '(get-output-string)))
  (test #\x (let ((reader (rt (let ((p (open-input-string "xyz"))) (lambda () p)))))
              (!? (reader) '(read-char)))))
