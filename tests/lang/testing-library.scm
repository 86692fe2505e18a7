;;; testing-library.scm -- checks of lang/testing.scm itself: every form,
;;; the comparison rules and the exact output protocol.
;; expect-count: 43

(define (starts-with? s prefix)
  (and (>= (string-length s) (string-length prefix))
       (string=? prefix (substring s 0 (string-length prefix)))))
(define (output-of thunk) (with-output-to-string thunk))

;; every form, passing
(test 1 1)
(test "named test" 2 (+ 1 1))
(test-assert (memq 'b '(a b)))
(test-assert "named assert" #t)
(test-values (values 1 2) (values 1 2))
(test-values "named values" (values) (values))
(test-error (car '()))
(test-error "named error" (raise 'x))
(test-error-message "custom message" (error "custom message" 1))
(test-error-message "irritant-xyz" (error "msg" 'irritant-xyz))
(test-group "group"
  (test 3 (+ 1 2))
  (test-assert #t))

;; comparison: equal?, with a tolerance for inexact expected numbers
(test 0.3 (+ 0.1 0.2))
(test '(1 0.3 #(0.3)) (list 1 (+ 0.1 0.2) (vector (+ 0.1 0.2))))
(test #t (%test-equal? 1.0 1.0000000000001))
(test #f (%test-equal? 1.0 1.1))
(test #f (%test-equal? 1 1.0))
(test #f (%test-equal? 1.0 1))
(test #t (%test-equal? (/ 0. 0.) (/ 0. 0.)))
(test #f (%test-equal? (/ 0. 0.) 1.0))
(test #t (%test-equal? (/ 1. 0.) (/ 1. 0.)))
(test #f (%test-equal? (/ 1. 0.) (/ -1. 0.)))
(test #t (%test-equal? '(a "b" #\c) (list 'a "b" #\c)))
(test #f (%test-equal? '(a) '(b)))
(test #f (%test-equal? '(1.0) '(1.5)))

;; the output protocol, captured with with-output-to-string
(test "ok - x\n" (output-of (lambda () (test "x" 1 1))))
(test "ok - (+ 1 1)\n" (output-of (lambda () (test 2 (+ 1 1)))))
(test "FAIL - x: expected 1 got 2\n" (output-of (lambda () (test "x" 1 2))))
(test "FAIL - x: expected \"a\" got #\\a\n" (output-of (lambda () (test "x" "a" #\a))))
(test "ok - (memq 1 (list 1))\n" (output-of (lambda () (test-assert (memq 1 (list 1))))))
(test "FAIL - a: expected a true value got #f\n" (output-of (lambda () (test-assert "a" #f))))
(test "ok - e\n" (output-of (lambda () (test-error "e" (raise 1)))))
(test "FAIL - e: expected an exception got 5\n" (output-of (lambda () (test-error "e" 5))))
(test "FAIL - v: expected values (1 2) got values (1)\n"
      (output-of (lambda () (test-values "v" (values 1 2) 1))))
(test "# group g: \nok - g: x\n" (output-of (lambda () (test-group "g" (test "x" 1 1)))))
(test "# group g: \n# group g: h: \nok - g: h: x\n"
      (output-of (lambda () (test-group "g" (test-group "h" (test "x" 1 1))))))
(test "# group g: \nok - after\n" (output-of (lambda () (test-group "g" 'nothing) (test "after" 1 1))))
(test-assert (starts-with? (output-of (lambda () (test "boom" 1 (raise 'oops))))
                           "FAIL - boom: raised oops"))
(test-assert (starts-with? (output-of (lambda () (test "boom" 1 (error "bad" 7))))
                           "FAIL - boom: raised error \"bad\" irritants (7)"))
(test-assert (starts-with? (output-of (lambda () (test-error-message "zzz" (error "bad"))))
                           "FAIL - (error \"bad\"): expected the error to mention \"zzz\""))
(test-assert (starts-with? (output-of (lambda () (test-error-message "x" (raise 'x))))
                           "FAIL - (raise"))
(test "FAIL - n: expected 1 got \"a\\nb\"\n" (output-of (lambda () (test "n" 1 "a\nb"))))
(test "ok - line1 line2\n" (output-of (lambda () (test "line1\nline2" 1 1))))
