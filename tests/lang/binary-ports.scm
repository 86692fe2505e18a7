;;; binary-ports.scm -- R7RS binary ports (6.13): bytevector ports, binary
;;; files, byte input and output, and the errors for textual operations on
;;; binary ports and binary operations on textual ones.
;; expect-count: 78

(define tmp-base
  (string-append "/tmp/termite-test-binary-"
                 (number->string (current-jiffy)) "-"
                 (number->string (random-integer 1000000000))))
(define (tmp-file suffix) (string-append tmp-base "-" suffix))

;; the bytes written to a fresh bytevector port by (proc port)
(define (bytes-written proc)
  (let ((port (open-output-bytevector))) (proc port) (get-output-bytevector port)))

;; all the bytes left in port, as a list
(define (drain port)
  (let loop ((acc '()))
    (let ((b (read-u8 port)))
      (if (eof-object? b) (reverse acc) (loop (cons b acc))))))

(test-group "output"
  (test #u8(1 2 3)
        (bytes-written (lambda (p) (write-u8 1 p) (write-u8 2 p) (write-u8 3 p))))
  (test #u8() (bytes-written (lambda (p) #f)))
  (test #u8(0 255) (bytes-written (lambda (p) (write-u8 0 p) (write-u8 255 p))))
  ;; write-bytevector: all of it, from start, from start to end (exclusive)
  (test #u8(1 2 3 4 5) (bytes-written (lambda (p) (write-bytevector #u8(1 2 3 4 5) p))))
  (test #u8(3 4 5) (bytes-written (lambda (p) (write-bytevector #u8(1 2 3 4 5) p 2))))
  (test #u8(2 3) (bytes-written (lambda (p) (write-bytevector #u8(1 2 3 4 5) p 1 3))))
  (test #u8() (bytes-written (lambda (p) (write-bytevector #u8(1 2 3) p 3 3))))
  ;; get-output-bytevector returns everything written so far, each time
  (test '(#u8(7) #u8(7 8))
        (let ((p (open-output-bytevector)))
          (write-u8 7 p)
          (let ((first (get-output-bytevector p)))
            (write-u8 8 p)
            (list first (get-output-bytevector p)))))
  ;; the current output port when no port is given
  (test #u8(9 10)
        (let ((p (open-output-bytevector)))
          (parameterize ((current-output-port p))
            (write-u8 9)
            (write-bytevector #u8(10)))
          (get-output-bytevector p)))
  (test #u8(4) (bytes-written (lambda (p) (write-u8 4 p) (flush-output-port p)))))

(test-group "input"
  (test '(1 2 #t)
        (let ((port (open-input-bytevector #u8(1 2))))
          (let* ((a (read-u8 port)) (b (read-u8 port)) (c (eof-object? (read-u8 port))))
            (list a b c))))
  ;; peek-u8 returns the next byte without consuming it
  (test '(7 7 #t #t)
        (let ((port (open-input-bytevector #u8(7))))
          (let* ((a (peek-u8 port)) (b (read-u8 port))
                 (c (eof-object? (peek-u8 port))) (d (eof-object? (read-u8 port))))
            (list a b c d))))
  (test #t (eof-object? (read-u8 (open-input-bytevector #u8()))))
  ;; read-bytevector: k bytes, then the fewer that are left, then eof
  (test '(#u8(9 8 7) #u8(6 5) #t)
        (let ((port (open-input-bytevector #u8(9 8 7 6 5))))
          (let* ((a (read-bytevector 3 port)) (b (read-bytevector 3 port))
                 (c (eof-object? (read-bytevector 3 port))))
            (list a b c))))
  (test #u8() (read-bytevector 0 (open-input-bytevector #u8(1))))
  (test '(0 128 255) (drain (open-input-bytevector #u8(0 128 255))))
  ;; u8-ready? is #t when a byte is available, and at end of file
  (test #t (u8-ready? (open-input-bytevector #u8(1))))
  (test #t (let ((port (open-input-bytevector #u8(1)))) (read-u8 port) (u8-ready? port)))
  ;; the port reads the bytevector it was opened on, from the start
  (test '(1 2) (let* ((b (bytevector 1 2)) (port (open-input-bytevector b)))
                 (drain port)))
  ;; the current input port when no port is given
  (test '(5 5 #u8(6))
        (parameterize ((current-input-port (open-input-bytevector #u8(5 6))))
          (let* ((a (peek-u8)) (b (read-u8)) (c (read-bytevector 4))) (list a b c))))
  (test 1 (call-with-port (open-input-bytevector #u8(1 2)) read-u8)))

(test-group "predicates and closing"
  (let ((in (open-input-bytevector #u8(1))) (out (open-output-bytevector)))
    (test '(#t #t #f #t #f) (list (port? in) (binary-port? in) (textual-port? in)
                                  (input-port? in) (output-port? in)))
    (test '(#t #t #f #f #t) (list (port? out) (binary-port? out) (textual-port? out)
                                  (input-port? out) (output-port? out))))
  (let ((s (open-input-string "x")))
    (test '(#f #t) (list (binary-port? s) (textual-port? s))))
  (test '(#f #f) (list (binary-port? #u8(1)) (textual-port? "x")))
  (test '(#t #f)
        (let ((p (open-input-bytevector #u8(1 2))))
          (let ((before (input-port-open? p)))
            (close-port p)
            (list before (input-port-open? p)))))
  (test-error (let ((p (open-input-bytevector #u8(1 2)))) (close-input-port p) (read-u8 p)))
  (test-error (let ((p (open-output-bytevector))) (close-output-port p) (write-u8 1 p)))
  (test #f (let ((p (open-output-bytevector))) (close-port p) (output-port-open? p))))

(test-group "binary files"
  (define f1 (tmp-file "1.bin"))
  (define f2 (tmp-file "2.bin"))
  ;; every byte value, with bytes that are not valid UTF-8 (128..255 alone)
  (define all-bytes
    (let loop ((i 255) (acc '())) (if (< i 0) acc (loop (- i 1) (cons i acc)))))
  (test 'written
        (let ((out (open-binary-output-file f1)))
          (for-each (lambda (b) (write-u8 b out)) all-bytes)
          (close-port out)
          'written))
  (test all-bytes (let ((in (open-binary-input-file f1)))
                    (let ((l (drain in))) (close-port in) l)))
  (test '(#t #t #f)
        (let ((in (open-binary-input-file f1)))
          (let ((r (list (binary-port? in) (input-port? in) (textual-port? in))))
            (close-port in)
            r)))
  (test 256 (let ((in (open-binary-input-file f1)))
              (let ((b (read-bytevector 1000 in))) (close-port in) (bytevector-length b))))
  ;; text written by a textual port is UTF-8: λ is CE BB, newline is 0A
  (test '(206 187 10)
        (begin
          (call-with-output-file f2 (lambda (p) (write-char #\λ p) (newline p)))
          (let ((in (open-binary-input-file f2))) (let ((l (drain in))) (close-port in) l))))
  ;; and bytes written by a binary port read back as text
  (test "hi"
        (begin
          (let ((out (open-binary-output-file f2)))
            (write-bytevector #u8(104 105) out)
            (close-port out))
          (call-with-input-file f2 read-line)))
  ;; more than one 64 KiB block: 70000 bytes, byte i being i mod 256
  (test '(70000 #t)
        (let ((out (open-binary-output-file f2)))
          (let loop ((i 0))
            (if (< i 70000) (begin (write-u8 (modulo i 256) out) (loop (+ i 1)))))
          (close-port out)
          (let ((in (open-binary-input-file f2)))
            (let loop ((i 0) (ok #t))
              (let ((b (read-u8 in)))
                (if (eof-object? b)
                    (begin (close-port in) (list i ok))
                    (loop (+ i 1) (and ok (= b (modulo i 256))))))))))
  (test-error (open-binary-input-file (tmp-file "does-not-exist.bin")))
  (test #t (file-error? (guard (e (#t e)) (open-binary-input-file (tmp-file "missing.bin")))))
  (test '(ok ok) (begin (delete-file f1) (delete-file f2) '(ok ok))))

(test-group "textual operations on binary ports"
  (let ((in (open-input-bytevector #u8(40 41 10))) (out (open-output-bytevector)))
    (test-error-message "binary port" (read-char in))
    (test-error-message "binary port" (peek-char in))
    (test-error-message "binary port" (read-line in))
    (test-error-message "binary port" (read-string 1 in))
    (test-error-message "binary port" (read in))
    (test-error-message "binary port" (char-ready? in))
    (test-error-message "binary port" (write-char #\a out))
    (test-error-message "binary port" (write-string "a" out))
    (test-error-message "binary port" (write 'a out))
    (test-error-message "binary port" (display "a" out))
    (test-error-message "binary port" (newline out))
    (test-error (get-output-string out))
    ;; nothing was consumed or written
    (test '(40 41 10) (drain in))
    (test #u8() (get-output-bytevector out))))

(test-group "binary operations on textual ports"
  (let ((in (open-input-string "abc")) (out (open-output-string)))
    (test-error-message "textual port" (read-u8 in))
    (test-error-message "textual port" (peek-u8 in))
    (test-error-message "textual port" (u8-ready? in))
    (test-error-message "textual port" (read-bytevector 2 in))
    (test-error-message "textual port" (write-u8 1 out))
    (test-error-message "textual port" (write-bytevector #u8(1) out))
    (test-error (get-output-bytevector out))
    (test #\a (read-char in))))

(test-group "bad arguments"
  (test-error (write-u8 256 (open-output-bytevector)))
  (test-error (write-u8 -1 (open-output-bytevector)))
  (test-error (write-u8 #\a (open-output-bytevector)))
  (test-error (open-input-bytevector "abc"))
  (test-error (write-bytevector "abc" (open-output-bytevector)))
  (test-error (write-bytevector #u8(1 2) (open-output-bytevector) 3))
  (test-error (write-bytevector #u8(1 2) (open-output-bytevector) 2 1))
  (test-error (read-bytevector -1 (open-input-bytevector #u8(1))))
  (test-error (read-u8 (open-output-bytevector))))

;; A port sent in a message travels as the pid of a proxy process on its
;; node (paper 3.1).  The library's proxy serves textual and byte
;; operations; a binary port behind it answers textual ones with the
;; port's own error.
(test-group "binary ports through serialization"
  (let ((pid (u8vector->object (object->u8vector (open-input-bytevector #u8(1 2 3 4))))))
    (test #t (pid? pid))
    (test 1 (!? pid '(peek-u8)))
    (test 1 (!? pid '(read-u8)))
    (test #u8(2 3) (!? pid '(read-bytevector 2)))
    (test #t (!? pid '(u8-ready?)))
    (test-assert (let ((r (!? pid '(read-char))))
                   (and (pair? r) (eq? (car r) 'port-proxy-error)
                        (error-object? (cadr r))
                        (%test-string-search "binary port"
                                             (error-object-message (cadr r))))))))

(test-group "binary output through a proxy"
  (let* ((port (open-output-bytevector))
         (pid (u8vector->object (object->u8vector port))))
    (!? pid '(write-u8 65))
    (!? pid '(write-bytevector #u8(66 67)))
    (test #u8(65 66 67) (!? pid '(get-output-bytevector)))
    (test #u8(65 66 67) (get-output-bytevector port))))
