;;; prelude.scm — the part of the Termite runtime written in Termite
;;; Scheme.  It is compiled into every node when the node starts, so it
;;; must stay small and fast to compile.  Procedures whose names start
;;; with % are internal.

;;; ---- the dynamic environment ------------------------------------------
;;; (%dynenv) is an immutable vector #(handlers winders parameters): a new
;;; vector is installed for every change, so a captured continuation can
;;; restore the environment it was captured in.

(define (%dynenv-set d i v)
  (cond ((= i 0) (vector v (vector-ref d 1) (vector-ref d 2)))
        ((= i 1) (vector (vector-ref d 0) v (vector-ref d 2)))
        (else (vector (vector-ref d 0) (vector-ref d 1) v))))

(define (%with-dynenv d thunk)
  (let ((saved (%dynenv)))
    (%set-dynenv! d)
    (call-with-values thunk
      (lambda results
        (%set-dynenv! saved)
        (apply values results)))))

;;; ---- exceptions (paper section 4.7) ------------------------------------

(define (with-exception-handler handler thunk)
  (if (not (procedure? handler))
      (error "with-exception-handler: handler must be a procedure" handler))
  (let ((d (%dynenv)))
    (%with-dynenv (%dynenv-set d 0 (cons handler (vector-ref d 0))) thunk)))

;; The handler runs in the dynamic environment of the raise, minus its own
;; handler.  When it returns, raise returns its value: execution resumes
;; at the point of the raise, as in the paper's (123) example.
(define (raise obj)
  (let* ((d (%dynenv))
         (handlers (vector-ref d 0)))
    (if (null? handlers)
        (%abort obj)
        (%with-dynenv (%dynenv-set d 0 (cdr handlers))
                      (lambda () ((car handlers) obj))))))

(define raise-continuable raise)

;; Gambit's catcher: the handler runs after escaping to the point where it
;; was installed, and its value is the value of the whole form: (42).
(define (with-exception-catcher handler thunk)
  ((call-with-current-continuation
    (lambda (k)
      (with-exception-handler
       (lambda (e) (k (lambda () (handler e))))
       (lambda ()
         (call-with-values thunk
           (lambda results (lambda () (apply values results))))))))))

;; (catch handler body ...) as in the paper's examples (section 4.7).
(define-syntax catch
  (syntax-rules ()
    ((_ handler body ...) (with-exception-catcher handler (lambda () body ...)))))

(define (error-object-message* e)
  (if (error-object? e) (error-object-message e) ""))

;; Gambit names
(define error-exception? error-object?)
(define error-exception-message error-object-message)
(define error-exception-parameters error-object-irritants)

;;; ---- continuations and dynamic-wind ----------------------------------------

(define (%common-tail a b)
  (let ((la (length a)) (lb (length b)))
    (let loop ((a (if (> la lb) (list-tail a (- la lb)) a))
               (b (if (> lb la) (list-tail b (- lb la)) b)))
      (if (eq? a b) a (loop (cdr a) (cdr b))))))

;; Run the after thunks of the winders being left and the before thunks of
;; the ones being entered, each in the winders list of its extent.
(define (%wind-to target)
  (let* ((from (vector-ref (%dynenv) 1))
         (common (%common-tail from target)))
    (let unwind ((l from))
      (if (not (eq? l common))
          (begin
            (%set-dynenv! (%dynenv-set (%dynenv) 1 (cdr l)))
            ((cdr (car l)))
            (unwind (cdr l)))))
    (let rewind ((l target))
      (if (not (eq? l common))
          (begin
            (rewind (cdr l))
            ((car (car l)))
            (%set-dynenv! (%dynenv-set (%dynenv) 1 l)))))))

(define (call-with-current-continuation f)
  (let ((saved (%dynenv)))
    (%call/cc
     (lambda (k)
       (f (lambda results
            (%wind-to (vector-ref saved 1))
            (%set-dynenv! saved)
            (apply k results)))))))

(define call/cc call-with-current-continuation)

(define (dynamic-wind before thunk after)
  (before)
  (let ((d (%dynenv)))
    (%set-dynenv! (%dynenv-set d 1 (cons (cons before after) (vector-ref d 1))))
    (call-with-values thunk
      (lambda results
        (%set-dynenv! d)
        (after)
        (apply values results)))))

(define (call-with-values producer consumer)
  (%apply-values consumer (producer)))

;;; ---- parameters --------------------------------------------------------------

(define (make-parameter value #!optional (converter #f))
  (%make-parameter (if converter (converter value) value) converter))

(define (%parameterize params values thunk)
  (let* ((d (%dynenv))
         (bindings
          (map (lambda (p v)
                 (let ((conv (%parameter-converter p)))
                   (cons p (if conv (conv v) v))))
               params values)))
    (%with-dynenv (%dynenv-set d 2 (append bindings (vector-ref d 2))) thunk)))

(define-syntax parameterize
  (syntax-rules ()
    ((_ () body ...) (let () body ...))
    ((_ ((p v) ...) body ...)
     (%parameterize (list p ...) (list v ...) (lambda () body ...)))))

;;; ---- derived syntax --------------------------------------------------------------

(define-syntax guard
  (syntax-rules ()
    ((guard (var clause ...) e1 e2 ...)
     ((call/cc
       (lambda (guard-k)
         (with-exception-handler
          (lambda (condition)
            ((call/cc
              (lambda (handler-k)
                (guard-k
                 (lambda ()
                   (let ((var condition))
                     (%guard-aux
                      (handler-k
                       (lambda () (raise-continuable condition)))
                      clause ...))))))))
          (lambda ()
            (call-with-values (lambda () e1 e2 ...)
              (lambda args
                (guard-k (lambda () (apply values args)))))))))))))

(define-syntax %guard-aux
  (syntax-rules (else =>)
    ((_ reraise (else result1 result2 ...)) (begin result1 result2 ...))
    ((_ reraise (test => result))
     (let ((temp test)) (if temp (result temp) reraise)))
    ((_ reraise (test => result) clause1 clause2 ...)
     (let ((temp test)) (if temp (result temp) (%guard-aux reraise clause1 clause2 ...))))
    ((_ reraise (test)) (or test reraise))
    ((_ reraise (test) clause1 clause2 ...)
     (let ((temp test)) (if temp temp (%guard-aux reraise clause1 clause2 ...))))
    ((_ reraise (test result1 result2 ...))
     (if test (begin result1 result2 ...) reraise))
    ((_ reraise (test result1 result2 ...) clause1 clause2 ...)
     (if test (begin result1 result2 ...) (%guard-aux reraise clause1 clause2 ...)))))

(define-syntax receive
  (syntax-rules ()
    ((_ formals expr body ...)
     (call-with-values (lambda () expr) (lambda formals body ...)))))

;; All the inits of let-values are evaluated in the outer scope: each
;; recursion step of %let-values names its temporary with a fresh
;; identifier (hygienic renaming makes each expansion's tmp distinct).
(define-syntax let-values
  (syntax-rules ()
    ((_ (binding ...) body0 body ...)
     (%let-values (binding ...) () (let () body0 body ...)))))

(define-syntax %let-values
  (syntax-rules ()
    ((_ () ((tmp formals expr) ...) body)
     (let ((tmp (call-with-values (lambda () expr) list)) ...)
       (%let-values-bind ((formals tmp) ...) body)))
    ((_ ((formals expr) rest ...) (acc ...) body)
     (%let-values (rest ...) (acc ... (tmp formals expr)) body))))

(define-syntax %let-values-bind
  (syntax-rules ()
    ((_ () body) body)
    ((_ ((formals tmp) rest ...) body)
     (apply (lambda formals (%let-values-bind (rest ...) body)) tmp))))

(define-syntax let*-values
  (syntax-rules ()
    ((_ () body ...) (let () body ...))
    ((_ (binding rest ...) body ...)
     (let-values (binding) (let*-values (rest ...) body ...)))))

(define-syntax define-values
  (syntax-rules ()
    ((_ () expr) (define %define-values-tmp (call-with-values (lambda () expr) list)))
    ((_ (var) expr) (define var expr))
    ((_ (var0 var1 ... . rest) expr)
     (begin
       (define %define-values-tmp (call-with-values (lambda () expr) list))
       (define var0 (car %define-values-tmp))
       (%define-values-tail (cdr %define-values-tmp) var1 ... . rest)))
    ((_ var expr) (define var (call-with-values (lambda () expr) list)))))

(define-syntax %define-values-tail
  (syntax-rules ()
    ((_ l) (begin))
    ((_ l var rest ...)
     (begin (define var (car l)) (%define-values-tail (cdr l) rest ...)))
    ((_ l var . rest)
     (begin (define var (car l)) (%define-values-tail (cdr l) . rest)))
    ((_ l . rest) (define rest l))))

(define-syntax case-lambda
  (syntax-rules ()
    ((_ (formals body ...) ...)
     (%case-lambda (list (lambda formals body ...) ...)))))

(define (%case-lambda clauses)
  (lambda args
    (let ((k (length args)))
      (let loop ((cs clauses))
        (cond ((null? cs)
               (error "case-lambda: no clause accepts this many arguments" k))
              ((%arity-accepts? (car cs) k) (apply (car cs) args))
              (else (loop (cdr cs))))))))

(define-syntax assert
  (syntax-rules ()
    ((_ expr msg ...)
     (if (not expr) (error "assertion failed" 'expr msg ...)))))

;;; ---- promises (R7RS reference semantics) -----------------------------------------

(define (make-promise v) (if (promise? v) v (%make-eager-promise v)))

(define (force p)
  (if (not (promise? p))
      p
      (let loop ()
        (if (%promise-done? p)
            (%promise-value p)
            (let ((p2 ((%promise-value p))))
              (if (not (%promise-done? p))
                  (%promise-update! (make-promise p2) p))
              (loop))))))

(define (stream-car s) (car s))
(define (stream-cdr s) (force (cdr s)))

;;; ---- lists -------------------------------------------------------------------------

(define (%map1 f l)
  (cond ((pair? l)
         (let ((x (f (car l))))
           (cons x (%map1 f (cdr l)))))
        ((null? l) '())
        (else (error "map: not a proper list" l))))

;; The cars of the lists, or #f when one of them is exhausted.
(define (%cars ls)
  (if (%every-pair? ls) (%map1 car ls) #f))

(define (%every-pair? ls)
  (or (null? ls) (and (pair? (car ls)) (%every-pair? (cdr ls)))))
(define (%cdrs ls)
  (if (null? ls) '() (cons (cdr (car ls)) (%cdrs (cdr ls)))))

(define (map f l . ls)
  (if (null? ls)
      (%map1 f l)
      (let loop ((ls (cons l ls)))
        (let ((cars (%cars ls)))
          (if cars
              (let ((x (apply f cars)))
                (cons x (loop (%cdrs ls))))
              '())))))

(define (for-each f l . ls)
  (if (null? ls)
      (let loop ((l l))
        (if (pair? l) (begin (f (car l)) (loop (cdr l)))))
      (let loop ((ls (cons l ls)))
        (let ((cars (%cars ls)))
          (if cars (begin (apply f cars) (loop (%cdrs ls))))))))

(define (append-map f l . ls) (apply append (apply map f l ls)))

(define (filter pred l)
  (cond ((null? l) '())
        ((pred (car l)) (cons (car l) (filter pred (cdr l))))
        (else (filter pred (cdr l)))))

(define (remove pred l) (filter (lambda (x) (not (pred x))) l))

(define (partition pred l)
  (let loop ((l l) (yes '()) (no '()))
    (cond ((null? l) (values (reverse yes) (reverse no)))
          ((pred (car l)) (loop (cdr l) (cons (car l) yes) no))
          (else (loop (cdr l) yes (cons (car l) no))))))

(define (filter-map f l)
  (let loop ((l l))
    (if (null? l)
        '()
        (let ((x (f (car l))))
          (if x (cons x (loop (cdr l))) (loop (cdr l)))))))

(define (fold kons knil l . ls)
  (if (null? ls)
      (let loop ((acc knil) (l l))
        (if (pair? l) (loop (kons (car l) acc) (cdr l)) acc))
      (let loop ((acc knil) (ls (cons l ls)))
        (let ((cars (%cars ls)))
          (if cars (loop (apply kons (append cars (list acc))) (%cdrs ls)) acc)))))

(define (fold-left f acc l . ls)
  (if (null? ls)
      (let loop ((acc acc) (l l))
        (if (pair? l) (loop (f acc (car l)) (cdr l)) acc))
      (let loop ((acc acc) (ls (cons l ls)))
        (let ((cars (%cars ls)))
          (if cars (loop (apply f acc cars) (%cdrs ls)) acc)))))

(define (fold-right f acc l . ls)
  (if (null? ls)
      (let loop ((l l))
        (if (pair? l) (f (car l) (loop (cdr l))) acc))
      (let loop ((ls (cons l ls)))
        (let ((cars (%cars ls)))
          (if cars (apply f (append cars (list (loop (%cdrs ls))))) acc)))))

(define (reduce f ridentity l)
  (if (null? l) ridentity (fold f (car l) (cdr l))))

(define (find pred l)
  (cond ((null? l) #f) ((pred (car l)) (car l)) (else (find pred (cdr l)))))

(define (find-tail pred l)
  (cond ((null? l) #f) ((pred (car l)) l) (else (find-tail pred (cdr l)))))

(define (any pred l . ls)
  (if (null? ls)
      (let loop ((l l))
        (and (pair? l) (or (pred (car l)) (loop (cdr l)))))
      (let loop ((ls (cons l ls)))
        (let ((cars (%cars ls)))
          (and cars (or (apply pred cars) (loop (%cdrs ls))))))))

(define (every pred l . ls)
  (if (null? ls)
      (let loop ((l l) (last #t))
        (if (pair? l) (let ((r (pred (car l)))) (and r (loop (cdr l) r))) last))
      (let loop ((ls (cons l ls)) (last #t))
        (let ((cars (%cars ls)))
          (if cars (let ((r (apply pred cars))) (and r (loop (%cdrs ls) r))) last)))))

(define (count pred l)
  (let loop ((l l) (k 0))
    (if (pair? l) (loop (cdr l) (if (pred (car l)) (+ k 1) k)) k)))

(define (list-index pred l)
  (let loop ((l l) (i 0))
    (cond ((null? l) #f) ((pred (car l)) i) (else (loop (cdr l) (+ i 1))))))

(define (delete-duplicates l #!optional (same? equal?))
  (let loop ((l l) (seen '()))
    (cond ((null? l) (reverse seen))
          ((any (lambda (y) (same? (car l) y)) seen) (loop (cdr l) seen))
          (else (loop (cdr l) (cons (car l) seen))))))

(define (list-tabulate k f)
  (let loop ((i (- k 1)) (acc '()))
    (if (< i 0) acc (loop (- i 1) (cons (f i) acc)))))

(define member
  (let ((member2 member))
    (lambda (x l #!optional (same? #f))
      (if same?
          (let loop ((l l))
            (cond ((not (pair? l)) #f)
                  ((same? x (car l)) l)
                  (else (loop (cdr l)))))
          (member2 x l)))))

(define assoc
  (let ((assoc2 assoc))
    (lambda (x l #!optional (same? #f))
      (if same?
          (let loop ((l l))
            (cond ((not (pair? l)) #f)
                  ((same? x (car (car l))) (car l))
                  (else (loop (cdr l)))))
          (assoc2 x l)))))

(define delete
  (let ((delete2 delete))
    (lambda (x l #!optional (same? #f))
      (if same?
          (remove (lambda (y) (same? x y)) l)
          (delete2 x l)))))

;;; Stable merge sort.  (sort seq less?) as in Gambit; (list-sort less? l)
;;; as in SRFI 132; vectors sort into new vectors.

(define (%merge a b less?)
  (cond ((null? a) b)
        ((null? b) a)
        ((less? (car b) (car a)) (cons (car b) (%merge a (cdr b) less?)))
        (else (cons (car a) (%merge (cdr a) b less?)))))

(define (%sort-list l less?)
  (let ((k (length l)))
    (if (< k 2)
        l
        (let loop ((l l) (k k))
          (if (= k 1)
              (list (car l))
              (let ((half (quotient k 2)))
                (%merge (loop l half) (loop (list-tail l half) (- k half)) less?)))))))

(define (sort seq less?)
  (if (procedure? seq)
      (sort less? seq)
      (if (vector? seq)
          (list->vector (%sort-list (vector->list seq) less?))
          (%sort-list seq less?))))

(define (list-sort less? l) (%sort-list l less?))
(define (vector-sort less? v) (list->vector (%sort-list (vector->list v) less?)))
(define (merge-sort less? l) (%sort-list l less?))

;;; ---- vectors and strings with procedures ----------------------------------------------

(define (vector-map f v . vs)
  (list->vector (apply map f (vector->list v) (map vector->list vs))))

(define (vector-for-each f v . vs)
  (apply for-each f (vector->list v) (map vector->list vs)))

(define (string-map f s . ss)
  (list->string (apply map f (string->list s) (map string->list ss))))

(define (string-for-each f s . ss)
  (apply for-each f (string->list s) (map string->list ss)))

(define (vector-fold f acc v) (fold-left f acc (vector->list v)))

(define (string-count s pred)
  (count pred (string->list s)))

;;; ---- output conveniences ------------------------------------------------------------------

(define (call-with-port port proc)
  (call-with-values (lambda () (proc port))
    (lambda results (close-port port) (apply values results))))

(define (call-with-output-string proc)
  (let ((port (open-output-string)))
    (proc port)
    (get-output-string port)))

(define (with-output-to-string a #!optional (b #f))
  (let ((thunk (if b b a))
        (port (open-output-string)))
    (parameterize ((current-output-port port)) (thunk))
    (get-output-string port)))

(define (with-input-from-string s thunk)
  (parameterize ((current-input-port (open-input-string s))) (thunk)))

(define (call-with-input-string s proc) (proc (open-input-string s)))

(define (call-with-input-file file proc)
  (call-with-port (open-input-file file) proc))

(define (call-with-output-file file proc)
  (call-with-port (open-output-file file) proc))

(define (with-input-from-file file thunk)
  (let ((port (open-input-file file)))
    (call-with-values
        (lambda () (parameterize ((current-input-port port)) (thunk)))
      (lambda results (close-port port) (apply values results)))))

(define (with-output-to-file file thunk)
  (let ((port (open-output-file file)))
    (call-with-values
        (lambda () (parameterize ((current-output-port port)) (thunk)))
      (lambda results (close-port port) (apply values results)))))

;; exit runs the after thunks of the dynamic-wind extents it leaves.
(define (exit #!optional (code #t))
  (%wind-to '())
  (%exit code))

(define emergency-exit %exit)

;;; ---- eval and load ---------------------------------------------------------------------------

(define (eval expr #!optional env) ((%compile expr)))

(define (load file #!optional env)
  (let ((port (open-input-file file)))
    (let loop ((result (void)))
      (let ((thunk (%read-compile port)))
        (if (eof-object? thunk)
            (begin (close-port port) result)
            (loop (thunk)))))))
