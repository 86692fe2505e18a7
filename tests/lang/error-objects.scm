;;; error-objects.scm -- primitive errors raise catchable error objects
;;; with useful messages.
;; expect-count: 44

(define (condition-of thunk)
  (with-exception-catcher (lambda (e) e) (lambda () (thunk) 'no-error)))
(define (error-object-with-message? obj)
  (and (error-object? obj)
       (string? (error-object-message obj))
       (> (string-length (error-object-message obj)) 0)
       (list? (error-object-irritants obj))))
(define not-a-procedure (car (list 5)))

;; error-object? with a non-empty message and a list of irritants
(test-assert (error-object-with-message? (condition-of (lambda () (car 5)))))
(test-assert (error-object-with-message? (condition-of (lambda () (cdr '())))))
(test-assert (error-object-with-message? (condition-of (lambda () (vector-ref (vector 1 2) 10)))))
(test-assert (error-object-with-message? (condition-of (lambda () (/ 1 0)))))
(test-assert (error-object-with-message? (condition-of (lambda () (quotient 7 0)))))
(test-assert (error-object-with-message? (condition-of (lambda () (string-ref "abc" 5)))))
(test-assert (error-object-with-message? (condition-of (lambda () ((lambda (x) x))))))
(test-assert (error-object-with-message? (condition-of (lambda () ((lambda (x) x) 1 2)))))
(test-assert (error-object-with-message? (condition-of (lambda () (car)))))
(test-assert (error-object-with-message? (condition-of (lambda () (cons 1 2 3)))))
(test-assert (error-object-with-message? (condition-of (lambda () no-such-variable-xyz))))
(test-assert (error-object-with-message? (condition-of (lambda () (no-such-procedure-xyz 1)))))
(test-assert (error-object-with-message? (condition-of (lambda () (+ 1 "a")))))
(test-assert (error-object-with-message? (condition-of (lambda () (not-a-procedure 3)))))
(test-assert (error-object-with-message? (condition-of (lambda () (vector-ref '(1 2) 0)))))
(test-assert (error-object-with-message? (condition-of (lambda () (symbol->string "a")))))
(test-assert (error-object-with-message? (condition-of (lambda () (length '(1 . 2))))))
(test-assert (error-object-with-message? (condition-of (lambda () (apply car '(1 2))))))
(test-assert (error-object-with-message? (condition-of (lambda () (exact->inexact 'a)))))
(test-assert (error-object-with-message? (condition-of (lambda () (list-tail '(1) 5)))))
(test-assert (error-object-with-message? (condition-of (lambda () (integer->char 'x)))))
(test-assert (error-object-with-message? (condition-of (lambda () (make-vector 'x)))))
(test-assert (error-object-with-message? (condition-of (lambda () (bytevector-u8-ref (bytevector) 0)))))
(test-assert (error-object-with-message? (condition-of (lambda () (error "custom" 'x)))))

;; the message (or the irritants) names the culprit
(test-error-message "car" (car 5))
(test-error-message "cdr" (cdr '()))
(test-error-message "vector-ref" (vector-ref (vector 1 2) 10))
(test-error-message "string-ref" (string-ref "abc" 5))
(test-error-message "no-such-variable-xyz" no-such-variable-xyz)
(test-error-message "no-such-procedure-xyz" (no-such-procedure-xyz 1))
(test-error-message "symbol->string" (symbol->string "a"))
(test-error-message "custom" (error "custom" 'x))

;; irritants of user errors
(test '(x 1 "two") (error-object-irritants (condition-of (lambda () (error "msg" 'x 1 "two")))))
(test "msg" (error-object-message (condition-of (lambda () (error "msg" 'x 1 "two")))))

;; a primitive error's message shows the offending value, so the value is
;; not repeated as an irritant (a report prints message and irritants)
(test "car: argument 1 must be a pair, got 5"
      (error-object-message (condition-of (lambda () (car 5)))))
(test '() (error-object-irritants (condition-of (lambda () (car 5)))))
(test "string-ref: index 5 out of range for string of length 3"
      (error-object-message (condition-of (lambda () (string-ref "abc" 5)))))
(test '() (error-object-irritants (condition-of (lambda () (string-ref "abc" 5)))))

;; things that are not error objects
(test #f (error-object? (condition-of (lambda () (raise 'sym)))))
(test #f (error-object? (condition-of (lambda () (raise 42)))))
(test #f (error-object? 'no-error))
(test 'no-error (condition-of (lambda () (car '(1)))))

;; catching a primitive error lets the program continue normally
(test '(caught 2) (list (guard (e ((error-object? e) 'caught)) (car 5)) (car '(2))))
(test 10 (+ 1 (with-exception-catcher (lambda (e) 9) (lambda () (vector-ref (vector) 0)))))
