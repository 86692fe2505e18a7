;;; bignums.scm -- fixnums overflow transparently into bignums.
;; expect-count: 66

(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))

;; overflow at the machine-word boundaries
(test 4611686018427387904 (+ 4611686018427387903 1))
(test 9223372036854775808 (+ 9223372036854775807 1))
(test -9223372036854775809 (- -9223372036854775808 1))
(test -9223372036854775808 (- (expt 2 63)))
(test 9223372037000250000 (* 3037000500 3037000500))
(test 145474193 (- (* 3037000500 3037000500) 9223372036854775807))
(test 18446744073709551616 (* 4294967296 4294967296))
(test 9223372036854775808 (- 0 -9223372036854775808))
(test 9223372036854775808 (abs -9223372036854775808))
(test 4611686018427387904 (* 2 2305843009213693952))
(test -4611686018427387905 (- -4611686018427387904 1))

;; big results
(test 9999999999800000000001 (* 99999999999 99999999999))
(test 1267650600228229401496703205376 (expt 2 100))
(test 12157665459056928801 (expt 3 40))
(test 265252859812191058636308480000000 (fact 30))
(test 15511210043330985984000000 (fact 25))
(test 1219326311370217952237463801111263526900
      (* 12345678901234567890 98765432109876543210))
(test 1180591620717411303424 (abs (- (expt 2 70))))

;; results that shrink back to fixnums
(test 0 (- (expt 2 100) (expt 2 100)))
(test #t (eqv? 0 (- (expt 2 100) (expt 2 100))))
(test 1 (- (+ (expt 2 100) 1) (expt 2 100)))
(test #t (eqv? 1 (- (+ (expt 2 100) 1) (expt 2 100))))
(test 1000000000000000 (quotient (expt 10 30) (expt 10 15)))
(test 42 (/ (* 42 (expt 10 40)) (expt 10 40)))
(test 1 (fact 0))

;; division with bignums
(test 7 (remainder (+ (expt 2 100) 7) (expt 2 50)))
(test -33333333333333333333 (quotient (- (expt 10 20)) 3))
(test -1 (remainder (- (expt 10 20)) 3))
(test 2 (modulo (- (expt 10 20)) 3))
(test 5 (modulo (- (expt 2 100)) 7))
(test -1125899906842623 (quotient (- (expt 2 100)) (+ (expt 2 50) 1)))
(test -1 (remainder (- (expt 2 100)) (+ (expt 2 50) 1)))
(test 1125899906842624 (modulo (- (expt 2 100)) (+ (expt 2 50) 1)))
(test 2238393297946874000179418290327143433 (quotient (expt 2 200) (expt 3 50)))
(test 249667313308346329176559 (remainder (expt 2 200) (expt 3 50)))
(test 1125899906842624 (gcd (expt 2 100) (expt 6 50)))
(test-values (values 100000000000000000000 0) (exact-integer-sqrt (expt 10 40)))
(test-values (values (expt 2 50) 1) (exact-integer-sqrt (+ (expt 2 100) 1)))

;; comparison and predicates
(test #t (= (expt 2 100) (* (expt 2 50) (expt 2 50))))
(test #t (< (expt 2 100) (expt 2 101)))
(test #t (> (expt 2 100) 1))
(test #t (< (- (expt 2 100)) 0))
(test #t (< (- (expt 2 100)) -9223372036854775808))
(test #t (even? (expt 2 100)))
(test #t (odd? (+ 1 (expt 2 100))))
(test #t (exact-integer? (expt 2 100)))
(test #t (exact? (expt 2 100)))
(test #t (integer? (expt 2 100)))
(test #t (negative? (- (expt 2 100))))
(test #t (equal? (expt 2 100) (expt 2 100)))
(test #t (eqv? (expt 2 100) (expt 2 100)))
(test (expt 2 100) (max (expt 2 100) 1 2))
(test (- (expt 2 100)) (min (expt 2 100) (- (expt 2 100))))

;; conversions
(test "1267650600228229401496703205376" (number->string (expt 2 100)))
(test "-1267650600228229401496703205376" (number->string (- (expt 2 100))))
(test "10000000000000000" (number->string (expt 2 64) 16))
(test "100000000000000000000000000000000000000000000000000000000000000000"
      (number->string (expt 2 65) 2))
(test 123456789012345678901234567890
      (string->number "123456789012345678901234567890"))
(test (expt 2 64) (string->number "10000000000000000" 16))
(test -123456789012345678901234567890
      (string->number "-123456789012345678901234567890"))
(test 1.2676506002282294e30 (exact->inexact (expt 2 100)))
(test 1.2676506002282294e30 (inexact (expt 2 100)))
(test 100000000000000000000 (exact 1e20))
(test (expt 2 100) (exact (inexact (expt 2 100))))
(test 1.5 (+ 0.5 (- (expt 2 100) (expt 2 100) -1)))
(test 2.5e30 (* 2.5 (expt 10 30)))
