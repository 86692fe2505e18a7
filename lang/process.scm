;;; process.scm — the Termite process API (paper sections 2-4) on top of
;;; the primitives of src/process.c and the VM's blocking receives.

;;; ---- termite exceptions ------------------------------------------------
;;; Raised in a process at its next message retrieval when a process it is
;;; linked to dies (paper 3.3).  reason is failure or terminated; object is
;;; what was raised.

(define-record-type termite-exception
  (make-termite-exception origin reason object)
  termite-exception?
  (origin termite-exception-origin)
  (reason termite-exception-reason)
  (object termite-exception-object))

(%set-exception-type! termite-exception)

;;; ---- spawning ------------------------------------------------------------

;; (spawn thunk #!key (name #f)) is a primitive (src/process.c).

;; The link is made before the new process can run: no window.
(define (spawn-link thunk #!key (name #f))
  (let ((pid (%spawn thunk name)))
    (%link pid (self))
    (%link (self) pid)
    pid))

(define (spawn-linked-to thunk to #!key (name #f))
  (let ((pid (%spawn thunk name)))
    (%link pid to)
    (%link to pid)
    pid))

(define (process-name pid)
  (let ((info (process-info pid)))
    (and info (cdr (assq 'name info)))))

;;; ---- receiving -------------------------------------------------------------

(define %timeout (%timeout-marker))
(define %no-default (list 'no-default))

(define (%timeout-result default)
  (if (eq? default %no-default) (raise 'timeout) default))

;; (? [timeout [default]]), the first message of the mailbox, is a
;; primitive of the VM (src/vm.c): it is the most common receive.

;; (?? pred [timeout [default]]): the first message satisfying pred; the
;; others stay in the mailbox, in order.  The timeout is a deadline from
;; the call, not restarted by messages that do not match.
(define (?? pred #!optional (timeout #f) (default %no-default))
  (let ((deadline (%deadline timeout)))
    (%recv-reset)
    (let loop ()
      (let* ((m (%recv-peek deadline))
             (pos (%recv-save)))
        (cond ((eq? m %timeout) (%timeout-result default))
              ((pred m) (%recv-restore pos) (%recv-take) m)
              (else (%recv-restore pos) (%recv-advance) (loop)))))))

;; (!? pid msg [timeout [default]]): send (self tag msg) and wait for the
;; reply (tag reply).  Messages that were in the mailbox before the tag was
;; made are not looked at again.
(define (!? pid msg #!optional (timeout #f) (default %no-default))
  (let ((tag (make-tag)))
    (! pid (list (self) tag msg))
    (let ((deadline (%deadline timeout)))
      (%recv-reset-from tag)
      (let loop ()
        (let ((m (%recv-peek deadline)))
          (cond ((eq? m %timeout) (%timeout-result default))
                ((and (pair? m) (equal? (car m) tag)
                      (pair? (cdr m)) (null? (cddr m)))
                 (%recv-take)
                 (cadr m))
                (else (%recv-advance) (loop))))))))

;;; ---- pattern matching: recv and match --------------------------------------
;;; Patterns: _ ; a variable binds ; literals (numbers, strings, chars,
;;; booleans, keywords, ()) and 'datum match equal? data ; ,expr matches a
;;; value equal? to expr evaluated in the enclosing scope ; lists, dotted
;;; lists and vectors of patterns.  A clause may have (where guard) after
;;; its pattern.

(define (%pattern-code pat var success fail)
  (cond ((eq? pat '_) success)
        ((symbol? pat) `(let ((,pat ,var)) ,success))
        ((and (pair? pat) (eq? (car pat) 'quote))
         `(if (equal? ,var ',(cadr pat)) ,success ,fail))
        ((and (pair? pat) (eq? (car pat) 'unquote))
         `(if (equal? ,var ,(cadr pat)) ,success ,fail))
        ((pair? pat)
         (let ((a (gensym 'a)) (d (gensym 'd)))
           `(if (pair? ,var)
                (let ((,a (car ,var)) (,d (cdr ,var)))
                  ,(%pattern-code (car pat) a
                                  (%pattern-code (cdr pat) d success fail)
                                  fail))
                ,fail)))
        ((vector? pat)
         (let ((l (gensym 'l)))
           `(if (and (vector? ,var) (= (vector-length ,var) ,(vector-length pat)))
                (let ((,l (vector->list ,var)))
                  ,(%pattern-code (vector->list pat) l success fail))
                ,fail)))
        (else `(if (equal? ,var ',pat) ,success ,fail))))

(define (%clause-guard clause)
  (and (pair? (cdr clause)) (pair? (cadr clause)) (eq? (car (cadr clause)) 'where)
       (cadr (cadr clause))))

(define (%clause-body clause)
  (if (%clause-guard clause) (cddr clause) (cdr clause)))

;; Code that tries clauses on var in order; on-match wraps each body.
(define (%match-code clauses var on-match no-match)
  (if (null? clauses)
      no-match
      (let* ((clause (car clauses))
             (next (gensym 'next))
             (guard (%clause-guard clause))
             (body (on-match `(begin ,@(%clause-body clause))))
             (success (if guard `(if ,guard ,body (,next)) body)))
        `(let ((,next (lambda () ,(%match-code (cdr clauses) var on-match no-match))))
           ,(%pattern-code (car clause) var success `(,next))))))

(define-macro (match expr . clauses)
  (let ((v (gensym 'v)))
    `(let ((,v ,expr))
       ,(%match-code clauses v (lambda (body) body)
                     `(error "match: no clause matches" ,v)))))

(define (%after-clause? c) (and (pair? c) (eq? (car c) 'after)))

(define-macro (recv . clauses)
  (let* ((after (let loop ((cs clauses))
                  (cond ((null? cs) #f)
                        ((%after-clause? (car cs)) (car cs))
                        (else (loop (cdr cs))))))
         (clauses (filter (lambda (c) (not (%after-clause? c))) clauses))
         (m (gensym 'msg))
         (loop (gensym 'loop))
         (pos (gensym 'pos))
         (deadline (gensym 'deadline)))
    `(let ((,deadline (%deadline ,(if after (cadr after) #f))))
       (%recv-reset)
       (let ,loop ()
         (let* ((,m (%recv-peek ,deadline))
                (,pos (%recv-save)))
           (if (eq? ,m %timeout)
               ,(if after `(begin ,@(cddr after)) `(raise 'timeout))
               ,(%match-code clauses m
                             (lambda (body)
                               `(begin (%recv-restore ,pos) (%recv-take) ,body))
                             `(begin (%recv-restore ,pos) (%recv-advance) (,loop)))))))))

;;; ---- state as processes (paper 4.6) ------------------------------------------

(define (make-cell content)
  (spawn
   (lambda ()
     (let loop ((content content))
       (recv
        ((from tag 'ref)
         (! from (list tag content))
         (loop content))
        (('set! content)
         (loop content)))))
   name: 'cell))

(define (cell-ref cell) (!? cell 'ref))
(define (cell-set! cell value) (! cell (list 'set! value)))

;;; ---- logging (Gambit Termite's names) --------------------------------------
;;; (info x ...), (warning x ...) and (debug x ...) write one line on the
;;; current error port: "(info: #<pid N> x ...)", the logging process's
;;; pid, then the arguments displayed and separated by spaces.  The
;;; supervisors' messages leave out the pid, as in the paper's trace
;;; (section 5.3): "(info: restarting...)".  The line is built first and
;;; written at once, so that lines of processes that log concurrently do
;;; not mix.

(define (%log level args)
  (let ((line (call-with-output-string
               (lambda (out)
                 (display "(" out)
                 (display level out)
                 (display ":" out)
                 (for-each (lambda (x) (display " " out) (display x out)) args)
                 (display ")" out)
                 (newline out))))
        (port (current-error-port)))
    (display line port)
    (flush-output-port port)))

(define (info . args) (%log 'info (cons (self) args)))
(define (warning . args) (%log 'warning (cons (self) args)))
(define (debug . args) (%log 'debug (cons (self) args)))

;; Called by the node with the caller's time slice used up, so that the
;; call lets the other runnable processes run first (tm_node_run_background).
(define (%yield) #t)

;;; ---- port proxies (paper 3.1) ------------------------------------------------
;;; A port sent in a message travels as the pid of a process running this
;;; loop on the port's node.  Request (from tag (op arg ...)), reply
;;; (tag result); the port is the last argument of op.

(define %port-proxy-operations
  (list (cons 'read-char read-char) (cons 'peek-char peek-char)
        (cons 'read-line read-line) (cons 'read read)
        (cons 'char-ready? char-ready?) (cons 'write-char write-char)
        (cons 'write-string write-string) (cons 'write write)
        (cons 'display display) (cons 'newline newline)
        (cons 'flush-output-port flush-output-port)
        (cons 'get-output-string get-output-string)
        (cons 'read-u8 read-u8) (cons 'peek-u8 peek-u8)
        (cons 'u8-ready? u8-ready?) (cons 'read-bytevector read-bytevector)
        (cons 'write-u8 write-u8) (cons 'write-bytevector write-bytevector)
        (cons 'get-output-bytevector get-output-bytevector)
        (cons 'close-port close-port)))

(define (%port-proxy-loop port)
  (let loop ()
    (recv
     ((from tag (op . args))
      (let ((entry (assq op %port-proxy-operations)))
        (! from (list tag (with-exception-catcher
                           (lambda (e) (list 'port-proxy-error e))
                           (lambda ()
                             (if entry
                                 (apply (cdr entry) (append args (list port)))
                                 (error "port proxy: unknown operation" op))))))))
     (_ #f))
    (loop)))
