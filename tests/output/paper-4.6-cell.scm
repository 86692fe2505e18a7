;;; Paper, section 4.6: a mutable cell as a process.  The paper's
;;; definitions (the runtime has the same ones; these redefine them).
;; expect: 0
;; expect: 5
;; expect: (a b)
;; expect: 0

(define (make-cell content)
  (spawn
    (lambda ()
      (let loop ((content content))
        (recv
          ((from tag 'ref)
           (! from (list tag content))
           (loop content))

          (('set! content)
           (loop content)))))))

(define (cell-ref cell)
  (!? cell 'ref))

(define (cell-set! cell value)
  (! cell (list 'set! value)))

(define c (make-cell 0))
(write (cell-ref c))
(newline)
(cell-set! c 5)
(write (cell-ref c))
(newline)
(cell-set! c '(a b))
(write (cell-ref c))
(newline)

;; Two cells are independent.
(define d (make-cell 0))
(write (cell-ref d))
(newline)
