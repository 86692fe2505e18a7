;;; known-gaps.scm -- R7RS features not implemented yet: write-shared
;;; labels for shared (not only cyclic) structure, and binary (bytevector)
;;; ports.  tests/test_scheme.py marks this file as an expected failure
;;; (strict), so it turns red the day these start to work.
;; expect-count: 4

(define (write->string x) (let ((p (open-output-string))) (write x p) (get-output-string p)))

(test "(#0=(1 2) #0#)"
      (let ((x (list 1 2)))
        (let ((port (open-output-string))) (write-shared (list x x) port) (get-output-string port))))

;; binary ports
(test #u8(1 2 3)
      (let ((port (open-output-bytevector)))
        (write-u8 1 port) (write-u8 2 port) (write-u8 3 port)
        (get-output-bytevector port)))
(test '(1 2 #t)
      (let ((port (open-input-bytevector #u8(1 2))))
        (let* ((a (read-u8 port)) (b (read-u8 port)) (c (eof-object? (read-u8 port))))
          (list a b c))))
(test '(7 7) (let ((port (open-input-bytevector #u8(7))))
               (let* ((a (peek-u8 port)) (b (read-u8 port))) (list a b))))

