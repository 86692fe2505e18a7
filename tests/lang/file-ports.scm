;;; file-ports.scm -- file ports: writing, reading back, deleting.
;; expect-count: 19

(define tmp-base
  (string-append "/tmp/termite-test-"
                 (number->string (current-jiffy)) "-"
                 (number->string (random-integer 1000000000))))
(define (tmp-file suffix) (string-append tmp-base "-" suffix))

(define f1 (tmp-file "1.txt"))
(define f2 (tmp-file "2.txt"))
(define f3 (tmp-file "3.txt"))
(define f4 (tmp-file "4.txt"))
(define missing (tmp-file "does-not-exist.txt"))

(test #f (file-exists? f1))
(test #f (file-exists? missing))

;; call-with-output-file / call-with-input-file
(test 'written
      (begin
        (call-with-output-file f1
          (lambda (port)
            (write '(hello "world" 42) port)
            (newline port)
            (display "line two" port)
            (newline port)
            (write-string "λ😀" port)
            (newline port)))
        'written))
(test #t (file-exists? f1))
(test '(hello "world" 42) (call-with-input-file f1 read))
(test '("(hello \"world\" 42)" "line two" "λ😀" #t)
      (call-with-input-file f1
        (lambda (port)
          (let* ((a (read-line port))
                 (b (read-line port))
                 (c (read-line port))
                 (d (eof-object? (read-line port))))
            (list a b c d)))))
(test '(#\( #\( #\h)
      (call-with-input-file f1
        (lambda (port)
          (let* ((a (peek-char port)) (b (read-char port)) (c (read-char port)))
            (list a b c)))))
(test "(hello"
      (call-with-input-file f1 (lambda (port) (read-string 6 port))))
(test #t (call-with-input-file f1 (lambda (port) (char-ready? port))))
(test 31
      (call-with-input-file f1
        (lambda (port)
          (let loop ((n 0))
            (if (eof-object? (read-char port)) n (loop (+ n 1)))))))

;; open-output-file / open-input-file / close
(test "abc 123"
      (let ((out (open-output-file f2)))
        (display "abc " out)
        (write 123 out)
        (close-output-port out)
        (let* ((in (open-input-file f2))
               (line (read-line in)))
          (close-input-port in)
          line)))
(test #t (let ((in (open-input-file f2)))
           (let ((r (and (input-port? in) (not (output-port? in)))))
             (close-port in)
             r)))

;; with-output-to-file / with-input-from-file
(test "abc"
      (begin
        (with-output-to-file f3 (lambda () (display "abc")))
        (call-with-input-file f3 (lambda (port) (read-line port)))))
(test '(1 2 3)
      (begin
        (with-output-to-file f4 (lambda () (write '(1 2 3)) (newline)))
        (with-input-from-file f4 read)))

;; errors
(test-error (open-input-file missing))
(test #t (guard (e ((file-error? e) #t) (else 'other)) (open-input-file missing)))
(test-error (call-with-input-file missing read))

;; deleting
(test '(#f #f #f #f)
      (begin
        (delete-file f1)
        (delete-file f2)
        (delete-file f3)
        (delete-file f4)
        (map file-exists? (list f1 f2 f3 f4))))
(test-error (delete-file missing))
