;;; lang/testing.scm -- a tiny, stateless test library for Termite Scheme.
;;;
;;; Termite has no mutation, so this library keeps no counters.  Every
;;; check prints exactly one line on the current output port and the
;;; test harness (tests/test_scheme.py) does the counting:
;;;
;;;   ok - NAME
;;;   FAIL - NAME: expected X got Y
;;;   FAIL - NAME: raised Z
;;;
;;; Forms (all are macros, so the expression text can serve as the name
;;; and an exception inside the expression is reported, not fatal):
;;;
;;;   (test expected expr)            compare with %test-equal? (below)
;;;   (test name expected expr)       same, with an explicit string name
;;;   (test-assert expr)              passes when expr is not #f
;;;   (test-assert name expr)
;;;   (test-values (values v ...) expr)        compares all values
;;;   (test-values name (values v ...) expr)
;;;   (test-error expr)               passes when evaluating expr raises
;;;   (test-error name expr)          (any object)
;;;   (test-error-message substring expr)
;;;       passes when expr raises an error object whose message or
;;;       written irritants contain SUBSTRING
;;;   (test-group name body ...)      prefixes test names with "name: "
;;;
;;; Comparison: equal?, except that an inexact expected number matches an
;;; inexact actual number that is = to it or, both being finite, within a
;;; relative tolerance of 1e-9 (NaN matches NaN); this applies inside lists
;;; and vectors too.
;;; An exact expected number never matches an inexact one.
;;;
;;; The expected value is evaluated before the tested expression and is
;;; not protected against exceptions.

(define %test-group-prefix (make-parameter ""))

(define (%test-write-string obj)
  (let ((port (open-output-string)))
    (write obj port)
    (get-output-string port)))

;; Make sure a name or a value description fits on one output line.
(define (%test-one-line str)
  (list->string
   (map (lambda (c) (if (or (char=? c #\newline) (char=? c #\return)) #\space c))
        (string->list str))))

(define (%test-name name form)
  (%test-one-line
   (string-append (%test-group-prefix)
                  (if (string? name) name (%test-write-string form)))))

(define (%test-describe-condition e)
  (if (error-object? e)
      (string-append "error " (%test-write-string (error-object-message e))
                     " irritants " (%test-write-string (error-object-irritants e)))
      (%test-write-string e)))

(define (%test-nan? x) (not (= x x)))

(define (%test-number-match? expected actual)
  (if (and (real? expected) (inexact? expected))
      (and (number? actual)
           (real? actual)
           (inexact? actual)
           (or (= expected actual)
               (and (%test-nan? expected) (%test-nan? actual))
               (and (finite? expected)
                    (finite? actual)
                    (<= (abs (- expected actual))
                        (* 1e-9 (max 1.0 (abs expected)))))))
      (equal? expected actual)))

(define (%test-equal? expected actual)
  (cond ((equal? expected actual) #t)
        ((number? expected) (%test-number-match? expected actual))
        ((and (pair? expected) (pair? actual))
         (and (%test-equal? (car expected) (car actual))
              (%test-equal? (cdr expected) (cdr actual))))
        ((and (vector? expected) (vector? actual))
         (%test-equal? (vector->list expected) (vector->list actual)))
        (else #f)))

(define (%test-pass name)
  (display "ok - ")
  (display name)
  (newline))

(define (%test-fail name detail)
  (display "FAIL - ")
  (display name)
  (display ": ")
  (display (%test-one-line detail))
  (newline))

;; Runs THUNK; returns (value . v) or (raised . condition).
(define (%test-protect thunk)
  (with-exception-catcher
   (lambda (e) (cons 'raised e))
   (lambda () (cons 'value (thunk)))))

(define (%test-run name form expected thunk)
  (let ((name (%test-name name form))
        (result (%test-protect thunk)))
    (cond ((eq? (car result) 'raised)
           (%test-fail name (string-append "raised "
                                           (%test-describe-condition (cdr result)))))
          ((%test-equal? expected (cdr result))
           (%test-pass name))
          (else
           (%test-fail name (string-append "expected " (%test-write-string expected)
                                           " got " (%test-write-string (cdr result))))))))

(define (%test-run-assert name form thunk)
  (let ((name (%test-name name form))
        (result (%test-protect thunk)))
    (cond ((eq? (car result) 'raised)
           (%test-fail name (string-append "raised "
                                           (%test-describe-condition (cdr result)))))
          ((cdr result) (%test-pass name))
          (else (%test-fail name "expected a true value got #f")))))

(define (%test-run-values name form expected-thunk thunk)
  (let ((name (%test-name name form))
        (expected (call-with-values expected-thunk list))
        (result (%test-protect (lambda () (call-with-values thunk list)))))
    (cond ((eq? (car result) 'raised)
           (%test-fail name (string-append "raised "
                                           (%test-describe-condition (cdr result)))))
          ((%test-equal? expected (cdr result)) (%test-pass name))
          (else
           (%test-fail name (string-append "expected values " (%test-write-string expected)
                                           " got values " (%test-write-string (cdr result))))))))

(define (%test-run-error name form thunk)
  (let ((name (%test-name name form))
        (result (%test-protect thunk)))
    (if (eq? (car result) 'raised)
        (%test-pass name)
        (%test-fail name (string-append "expected an exception got "
                                        (%test-write-string (cdr result)))))))

(define (%test-string-search needle haystack)
  (let ((n (string-length needle))
        (h (string-length haystack)))
    (let loop ((i 0))
      (cond ((> (+ i n) h) #f)
            ((string=? needle (substring haystack i (+ i n))) i)
            (else (loop (+ i 1)))))))

(define (%test-run-error-message name form substring thunk)
  (let ((name (%test-name name form))
        (result (%test-protect thunk)))
    (cond ((not (eq? (car result) 'raised))
           (%test-fail name (string-append "expected an exception got "
                                           (%test-write-string (cdr result)))))
          ((not (error-object? (cdr result)))
           (%test-fail name (string-append "expected an error object got "
                                           (%test-write-string (cdr result)))))
          ((let ((msg (error-object-message (cdr result))))
             (or (and (string? msg) (%test-string-search substring msg))
                 (%test-string-search
                  substring
                  (%test-write-string (error-object-irritants (cdr result))))))
           (%test-pass name))
          (else
           (%test-fail name (string-append "expected the error to mention "
                                           (%test-write-string substring)
                                           " got "
                                           (%test-describe-condition (cdr result))))))))

(define-syntax test
  (syntax-rules ()
    ((_ name expected expr)
     (%test-run name 'expr expected (lambda () expr)))
    ((_ expected expr)
     (%test-run #f 'expr expected (lambda () expr)))))

(define-syntax test-assert
  (syntax-rules ()
    ((_ name expr)
     (%test-run-assert name 'expr (lambda () expr)))
    ((_ expr)
     (%test-run-assert #f 'expr (lambda () expr)))))

(define-syntax test-values
  (syntax-rules ()
    ((_ name expected expr)
     (%test-run-values name 'expr (lambda () expected) (lambda () expr)))
    ((_ expected expr)
     (%test-run-values #f 'expr (lambda () expected) (lambda () expr)))))

(define-syntax test-error
  (syntax-rules ()
    ((_ name expr)
     (%test-run-error name 'expr (lambda () expr)))
    ((_ expr)
     (%test-run-error #f 'expr (lambda () expr)))))

(define-syntax test-error-message
  (syntax-rules ()
    ((_ substring expr)
     (%test-run-error-message #f 'expr substring (lambda () expr)))))

(define-syntax test-group
  (syntax-rules ()
    ((_ name body ...)
     (parameterize ((%test-group-prefix
                     (string-append (%test-group-prefix) name ": ")))
       (display "# group ")
       (display (%test-group-prefix))
       (newline)
       body ...))))
