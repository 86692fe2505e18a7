;;; Paper, section 4.9: process cloning.  A process answers a clone
;;; request with a thunk that makes any process continue as a copy of it.
;;; Fixed typo: one closing parenthesis too many in the paper's original.
;;; The paper's original has no observable state; the second half does the
;;; same with a counter, to show that the clone starts with the original's
;;; state and then lives on its own.
;; expect: #t
;; expect: #t
;; expect: #t
;; expect: (original 3 clone 2)
;; expect: (original 3 clone 12)

(define original
  (spawn
    (lambda ()
      (let loop ()
        (recv
          ((from tag 'clone)
            (call/cc
              (lambda (clone)
                (! from (list tag (lambda ()
                  (clone #t))))))))
        (loop)))))

(define clone (spawn (!? original 'clone)))

(write (and (pid? clone) (not (eq? clone original))))
(newline)
;; The clone runs the original's loop: it too answers clone requests.
(write (procedure? (!? clone 'clone 1)))
(newline)
(write (procedure? (!? original 'clone 1)))
(newline)

(define counter
  (spawn
    (lambda ()
      (let loop ((n 0))
        (recv
          ((from tag 'clone)
            (call/cc
              (lambda (clone)
                (! from (list tag (lambda ()
                  (clone #t)))))))
          ('inc (loop (+ n 1)))
          ((from tag 'get) (! from (list tag n))))
        (loop n)))))

(! counter 'inc)
(! counter 'inc)
(define counter-clone (spawn (!? counter 'clone)))
(! counter 'inc)
(write (list 'original (!? counter 'get) 'clone (!? counter-clone 'get)))
(newline)
(let loop ((i 0))
  (if (< i 10) (begin (! counter-clone 'inc) (loop (+ i 1)))))
(write (list 'original (!? counter 'get) 'clone (!? counter-clone 'get)))
(newline)
