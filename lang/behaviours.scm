;;; behaviours.scm — abstractions built on the process model (paper
;;; section 5): persistent dictionaries, the generic server (5.2), the
;;; supervisors (5.3) and a node-local service registry.  Like the rest of
;;; the language there is no mutation here: state lives in the arguments
;;; of process loops.

;;; ---- persistent dictionaries ---------------------------------------------
;;; An AVL tree: dict-set, dict-remove and dict-ref take O(log n) steps and
;;; return new dictionaries, sharing most of the old one.
;;;
;;; Keys are ordered by a total preorder: first by kind (real numbers, NaN,
;;; strings, symbols, chars, booleans, keywords, (), anything else), then
;;; within a kind by <, string<? (symbols and keywords by name), char<?, #f
;;; before #t; other values by their written representation.  Keys that this
;;; order cannot tell apart (1 and 1.0 are told apart: exact first; but not
;;; two distinct pids, or a symbol and an uninterned symbol of the same
;;; name) share a tree node and are kept in a short list there, compared
;;; with equal?.  So any value can be a key, and two keys are the same key
;;; exactly when they are equal?.  (Pids print with their number and node,
;;; #<pid 3>, so distinct pids are told apart, unless they come from two
;;; incarnations of one node address; tags all print as #<tag>: as keys
;;; they share one node and cost O(n) each.)
;;;
;;; (dict-ref dict key [default]) returns DEFAULT, or #f without one, when
;;; the key is missing: a missing key is not an error (Gambit's table-ref
;;; would raise), so a server looking up an unknown key does not die.

(define-record-type dict
  (%make-dict root count)
  dict?
  (root %dict-root)
  (count dict-count))

;; A tree node: SKEY is the sort key of the node's keys (see
;; %dict-sort-key); ENTRIES is a non-empty list of (key . value) pairs
;; whose keys have that sort key, pairwise not equal?.
(define-record-type %dict-tree
  (%dict-node skey entries left right height)
  %dict-node?
  (skey %dict-node-skey)
  (entries %dict-node-entries)
  (left %dict-node-left)
  (right %dict-node-right)
  (height %dict-node-height))

(define (make-dict) (%make-dict '() 0))

(define (list->dict alist)
  (fold-left (lambda (d p) (dict-set d (car p) (cdr p))) (make-dict) alist))

;; The written representation of a key of the last kind, computed once
;; per operation and kept in the tree.
(define-record-type %dict-written
  (%make-dict-written string)
  %dict-written?
  (string %dict-written-string))

(define (%dict-kind k)
  (cond ((and (real? k) (= k k)) 0)
        ((real? k) 1)                       ; NaN
        ((string? k) 2)
        ((symbol? k) 3)
        ((char? k) 4)
        ((boolean? k) 5)
        ((keyword? k) 6)
        ((null? k) 7)
        (else 8)))

(define (%dict-sort-key k)
  (if (= (%dict-kind k) 8)
      (let ((port (open-output-string)))
        (write k port)
        (%make-dict-written (get-output-string port)))
      k))

(define (%dict-compare-strings a b)
  (cond ((string<? a b) -1) ((string<? b a) 1) (else 0)))

;; Compares sort keys: -1, 0 or 1; 0 means "the same tree node", not
;; necessarily equal? keys.
(define (%dict-compare a b)
  (cond ((and (exact-integer? a) (exact-integer? b))
         (cond ((< a b) -1) ((< b a) 1) (else 0)))
        ((and (string? a) (string? b)) (%dict-compare-strings a b))
        ((and (symbol? a) (symbol? b))
         (%dict-compare-strings (symbol->string a) (symbol->string b)))
        (else
         (let ((ka (%dict-kind a)) (kb (%dict-kind b)))
           (cond ((< ka kb) -1)
                 ((> ka kb) 1)
                 (else
                  (case ka
                    ((0) (cond ((< a b) -1)
                               ((< b a) 1)
                               ((and (exact? a) (inexact? b)) -1)
                               ((and (inexact? a) (exact? b)) 1)
                               (else 0)))
                    ((1 7) 0)
                    ((4) (cond ((char<? a b) -1) ((char<? b a) 1) (else 0)))
                    ((5) (cond ((eq? a b) 0) (a 1) (else -1)))
                    ((6) (%dict-compare-strings (keyword->string a) (keyword->string b)))
                    (else (%dict-compare-strings (%dict-written-string a)
                                                 (%dict-written-string b))))))))))

(define (%dict-height t) (if (null? t) 0 (%dict-node-height t)))

(define (%dict-make skey entries l r)
  (%dict-node skey entries l r (+ 1 (max (%dict-height l) (%dict-height r)))))

(define (%dict-rotate-right t)
  (let ((l (%dict-node-left t)))
    (%dict-make (%dict-node-skey l) (%dict-node-entries l)
                (%dict-node-left l)
                (%dict-make (%dict-node-skey t) (%dict-node-entries t)
                            (%dict-node-right l) (%dict-node-right t)))))

(define (%dict-rotate-left t)
  (let ((r (%dict-node-right t)))
    (%dict-make (%dict-node-skey r) (%dict-node-entries r)
                (%dict-make (%dict-node-skey t) (%dict-node-entries t)
                            (%dict-node-left t) (%dict-node-left r))
                (%dict-node-right r))))

;; A node from children whose heights differ by at most 2.
(define (%dict-balance skey entries l r)
  (let ((hl (%dict-height l)) (hr (%dict-height r)))
    (cond ((> hl (+ hr 1))
           (if (< (%dict-height (%dict-node-left l)) (%dict-height (%dict-node-right l)))
               (%dict-rotate-right (%dict-make skey entries (%dict-rotate-left l) r))
               (%dict-rotate-right (%dict-make skey entries l r))))
          ((> hr (+ hl 1))
           (if (< (%dict-height (%dict-node-right r)) (%dict-height (%dict-node-left r)))
               (%dict-rotate-left (%dict-make skey entries l (%dict-rotate-right r)))
               (%dict-rotate-left (%dict-make skey entries l r))))
          (else (%dict-node skey entries l r (+ 1 (max hl hr)))))))

;; The (key . value) pair of KEY, or #f.
(define (%dict-find t key skey)
  (if (null? t)
      #f
      (let ((c (%dict-compare skey (%dict-node-skey t))))
        (cond ((< c 0) (%dict-find (%dict-node-left t) key skey))
              ((> c 0) (%dict-find (%dict-node-right t) key skey))
              (else (assoc key (%dict-node-entries t)))))))

(define (%dict-entries-set entries key value)
  (cond ((null? entries) (list (cons key value)))
        ((equal? (car (car entries)) key) (cons (cons key value) (cdr entries)))
        (else (cons (car entries) (%dict-entries-set (cdr entries) key value)))))

(define (%dict-insert t key skey value)
  (if (null? t)
      (%dict-node skey (list (cons key value)) '() '() 1)
      (let ((c (%dict-compare skey (%dict-node-skey t)))
            (s (%dict-node-skey t))
            (e (%dict-node-entries t)))
        (cond ((< c 0)
               (%dict-balance s e (%dict-insert (%dict-node-left t) key skey value)
                              (%dict-node-right t)))
              ((> c 0)
               (%dict-balance s e (%dict-node-left t)
                              (%dict-insert (%dict-node-right t) key skey value)))
              (else
               (%dict-node s (%dict-entries-set e key value)
                           (%dict-node-left t) (%dict-node-right t) (%dict-node-height t)))))))

;; The leftmost node, and the tree without it.
(define (%dict-min t)
  (if (null? (%dict-node-left t)) t (%dict-min (%dict-node-left t))))

(define (%dict-remove-min t)
  (if (null? (%dict-node-left t))
      (%dict-node-right t)
      (%dict-balance (%dict-node-skey t) (%dict-node-entries t)
                     (%dict-remove-min (%dict-node-left t)) (%dict-node-right t))))

(define (%dict-join l r)
  (cond ((null? l) r)
        ((null? r) l)
        (else (let ((m (%dict-min r)))
                (%dict-balance (%dict-node-skey m) (%dict-node-entries m)
                               l (%dict-remove-min r))))))

(define (%dict-delete t key skey)
  (if (null? t)
      '()
      (let ((c (%dict-compare skey (%dict-node-skey t)))
            (s (%dict-node-skey t))
            (e (%dict-node-entries t)))
        (cond ((< c 0)
               (%dict-balance s e (%dict-delete (%dict-node-left t) key skey) (%dict-node-right t)))
              ((> c 0)
               (%dict-balance s e (%dict-node-left t) (%dict-delete (%dict-node-right t) key skey)))
              (else
               (let ((rest (filter (lambda (p) (not (equal? (car p) key))) e)))
                 (if (null? rest)
                     (%dict-join (%dict-node-left t) (%dict-node-right t))
                     (%dict-node s rest (%dict-node-left t) (%dict-node-right t)
                                 (%dict-node-height t)))))))))

(define (%dict-check who d)
  (if (not (dict? d)) (error (string-append who ": not a dict") d)))

(define (dict-set d key value)
  (%dict-check "dict-set" d)
  (let* ((skey (%dict-sort-key key))
         (root (%dict-root d)))
    (%make-dict (%dict-insert root key skey value)
                (if (%dict-find root key skey) (dict-count d) (+ (dict-count d) 1)))))

(define (dict-ref d key #!optional (default #f))
  (%dict-check "dict-ref" d)
  (let ((p (%dict-find (%dict-root d) key (%dict-sort-key key))))
    (if p (cdr p) default)))

(define (dict-contains? d key)
  (%dict-check "dict-contains?" d)
  (if (%dict-find (%dict-root d) key (%dict-sort-key key)) #t #f))

(define (dict-remove d key)
  (%dict-check "dict-remove" d)
  (let ((skey (%dict-sort-key key)))
    (if (%dict-find (%dict-root d) key skey)
        (%make-dict (%dict-delete (%dict-root d) key skey) (- (dict-count d) 1))
        d)))

;; (dict-update dict key f [default]): key bound to (f old), where old is
;; the current value or DEFAULT (#f).
(define (dict-update d key f #!optional (default #f))
  (dict-set d key (f (dict-ref d key default))))

;; (dict-fold f init dict): (f key value acc) over the entries in key
;; order, the first entry first.
(define (dict-fold f init d)
  (%dict-check "dict-fold" d)
  (let walk ((t (%dict-root d)) (acc init))
    (if (null? t)
        acc
        (walk (%dict-node-right t)
              (fold-left (lambda (acc p) (f (car p) (cdr p) acc))
                         (walk (%dict-node-left t) acc)
                         (%dict-node-entries t))))))

;; Lists are built from the right so that they come out in key order.
(define (%dict-fold-right f init d)
  (let walk ((t (%dict-root d)) (acc init))
    (if (null? t)
        acc
        (walk (%dict-node-left t)
              (fold-right (lambda (p acc) (f (car p) (cdr p) acc))
                          (walk (%dict-node-right t) acc)
                          (%dict-node-entries t))))))

(define (dict->list d)
  (%dict-check "dict->list" d)
  (%dict-fold-right (lambda (k v acc) (cons (cons k v) acc)) '() d))

(define (dict-keys d)
  (%dict-check "dict-keys" d)
  (%dict-fold-right (lambda (k v acc) (cons k acc)) '() d))

(define (dict-values d)
  (%dict-check "dict-values" d)
  (%dict-fold-right (lambda (k v acc) (cons v acc)) '() d))

(define (dict-for-each f d)
  (dict-fold (lambda (k v acc) (f k v) acc) #t d)
  (if #f #f))

;;; ---- the generic server (paper 5.2) -------------------------------------
;;; A plugin holds four callbacks:
;;;   (INIT arg ...)            -> the initial state
;;;   (CALL term from state)    -> (reply value new-state)
;;;                              | (noreply new-state)
;;;                              | (stop reason reply new-state)
;;;   (CAST term state)         -> (noreply new-state) | (stop reason new-state)
;;;   (TERMINATE reason state)  -> ignored
;;; FROM is (pid tag): with noreply, the callback answers later with
;;; (generic-server-reply from value).
;;;
;;; The protocol: a call is (!? server (call term)), a cast is the message
;;; (cast term), a stop request is (!? server (stop reason)).  Other
;;; messages are dropped.  When a callback raises, TERMINATE is called with
;;; the raised object and the server dies of it (its links are signaled).
;;; A server stopping with a reason other than normal raises that reason
;;; after TERMINATE, so that processes linked to it learn of it.

(define-record-type generic-server-plugin
  (make-generic-server-plugin init call cast terminate)
  generic-server-plugin?
  (init generic-server-plugin-init)
  (call generic-server-plugin-call)
  (cast generic-server-plugin-cast)
  (terminate generic-server-plugin-terminate))

(define generic-server-default-timeout 5)

;; (ok . value) or (raised . object)
(define (%server-protect thunk)
  (with-exception-catcher
   (lambda (e) (cons 'raised e))
   (lambda () (cons 'ok (thunk)))))

(define (%server-fail plugin state e)
  ((generic-server-plugin-terminate plugin) e state)
  (raise e))

(define (%server-finish plugin reason state)
  ((generic-server-plugin-terminate plugin) reason state)
  (if (not (eq? reason 'normal)) (raise reason)))

(define (generic-server-reply from value)
  (! (car from) (list (cadr from) value)))

(define (%server-loop plugin state)
  (recv
   ((from tag ('call term))
    (let ((r (%server-protect
              (lambda () ((generic-server-plugin-call plugin) term (list from tag) state)))))
      (if (eq? (car r) 'raised)
          (%server-fail plugin state (cdr r))
          (match (cdr r)
            (('reply value new-state)
             (! from (list tag value))
             (%server-loop plugin new-state))
            (('noreply new-state)
             (%server-loop plugin new-state))
            (('stop reason value new-state)
             (! from (list tag value))
             (%server-finish plugin reason new-state))
            (other
             (%server-fail plugin state
                           (%server-error "generic server: bad CALL result" other)))))))
   (('cast term)
    (let ((r (%server-protect
              (lambda () ((generic-server-plugin-cast plugin) term state)))))
      (if (eq? (car r) 'raised)
          (%server-fail plugin state (cdr r))
          (match (cdr r)
            (('noreply new-state)
             (%server-loop plugin new-state))
            (('stop reason new-state)
             (%server-finish plugin reason new-state))
            (other
             (%server-fail plugin state
                           (%server-error "generic server: bad CAST result" other)))))))
   ((from tag ('stop reason))
    ((generic-server-plugin-terminate plugin) reason state)
    (! from (list tag 'ok))
    (if (not (eq? reason 'normal)) (raise reason)))
   (_ (%server-loop plugin state))))

;; An error object to raise, made without leaving this process.
(define (%server-error message irritant)
  (with-exception-catcher (lambda (e) e) (lambda () (error message irritant))))

;; Starting is synchronous: it returns once INIT has run, and raises what
;; INIT raised if it failed.
(define (%server-start spawner plugin args name)
  (if (not (generic-server-plugin? plugin))
      (error "generic-server-start: not a plugin" plugin))
  (let* ((me (self))
         (tag (make-tag))
         (server
          (spawner
           (lambda ()
             (let ((r (%server-protect
                       (lambda () (apply (generic-server-plugin-init plugin) args)))))
               (if (eq? (car r) 'raised)
                   (begin (! me (list tag 'failed (cdr r)))
                          (raise (cdr r)))
                   (begin (! me (list tag 'started))
                          (%server-loop plugin (cdr r))))))
           name)))
    (recv
     ((,tag 'started) server)
     ((,tag 'failed e) (raise e)))))

(define (generic-server-start plugin . args)
  (%server-start (lambda (thunk name) (spawn thunk name: name)) plugin args 'generic-server))

(define (generic-server-start-link plugin . args)
  (%server-start (lambda (thunk name) (spawn-link thunk name: name)) plugin args 'generic-server))

(define %server-no-default (list 'no-default))

;; (generic-server-call server term [timeout [default]]): the reply of
;; CALL; after TIMEOUT seconds (default 5) DEFAULT, or the symbol timeout
;; is raised when there is no default.
(define (generic-server-call server term
                             #!optional (timeout generic-server-default-timeout)
                             (default %server-no-default))
  (if (eq? default %server-no-default)
      (!? server (list 'call term) timeout)
      (!? server (list 'call term) timeout default)))

(define (generic-server-cast server term)
  (! server (list 'cast term)))

;; Synchronous: returns ok once TERMINATE has run, or #f when the server
;; did not answer within TIMEOUT seconds (it may be dead already).
(define (generic-server-stop server #!optional (reason 'normal)
                             (timeout generic-server-default-timeout))
  (!? server (list 'stop reason) timeout #f))

;; Gambit Termite's names
(define make-server-plugin make-generic-server-plugin)
(define server:start generic-server-start)
(define server:start-link generic-server-start-link)
(define server:call generic-server-call)
(define server:cast generic-server-cast)
(define server:stop generic-server-stop)
(define server:reply generic-server-reply)

;;; ---- supervisors (paper 5.3) -----------------------------------------------
;;; The log lines are the paper's trace: "(info: MESSAGE)" on stderr, written
;;; by info's own procedure (process.scm), called by its internal name so
;;; that a program defining its own `info` does not change them.

(define (%supervisor-log message) (%log 'info (list message)))

(define (%now) (/ (current-jiffy) (exact->inexact (jiffies-per-second))))

;; The restart times within the last PERIOD seconds, NOW added, or #f
;; when that makes more than MAX-RESTARTS.
(define (%restart-allowed times max-restarts period)
  (let* ((now (%now))
         (recent (cons now (filter (lambda (t) (< (- now t) period)) times))))
    (and (<= (length recent) max-restarts) recent)))

;; Start THUNK in a process that the current process monitors and is
;; linked to (outbound: when the supervisor dies the worker is signaled).
(define (%start-supervised thunk name)
  (let ((pid (spawn thunk name: name)))
    (monitor pid)
    (outbound-link pid)
    pid))

;; (spawn-thunk-supervised thunk [max-restarts: 3] [period: 5]
;;                         [shutdown-delay: 1] [name: #f])
;; The pid of a supervisor running THUNK in a worker process.  Every
;; message sent to the supervisor is forwarded to the worker, except the
;; symbol shutdown.  A failed worker is restarted, unless that makes more
;; than MAX-RESTARTS restarts within PERIOD seconds: then the supervisor
;; gives up and halts.  On shutdown the worker is sent
;; (supervisor-shutdown SUPERVISOR-PID) and is given SHUTDOWN-DELAY
;; seconds to end; then it is terminated.  A worker that ends normally
;; ends the supervisor too.
(define (spawn-thunk-supervised thunk #!key (max-restarts 3) (period 5)
                                (shutdown-delay 1) (name #f))
  (spawn
   (lambda ()
     (let ((start (lambda ()
                    (%supervisor-log "starting up supervised process")
                    (%start-supervised thunk name))))
       (let loop ((worker (start)) (restarts '()))
         (recv
          (('DOWN ,worker reason)
           (if (eq? reason 'normal)
               (halt!)
               (begin
                 (%supervisor-log "process failed")
                 (let ((recent (%restart-allowed restarts max-restarts period)))
                   (if recent
                       (begin
                         (%supervisor-log "restarting...")
                         (loop (start) recent))
                       (begin
                         (%supervisor-log "too many restarts")
                         (%supervisor-log "halting supervisor")
                         (halt!)))))))
          ('shutdown
           (! worker (list 'supervisor-shutdown (self)))
           (recv
            (('DOWN ,worker _) #t)
            (after shutdown-delay
                   (%supervisor-log "had to terminate the process")
                   (terminate! worker)))
           (%supervisor-log "halting supervisor")
           (halt!))
          (msg
           (! worker msg)
           (loop worker restarts))))))
   name: 'supervisor))

;;; ---- supervisors of several children ---------------------------------------
;;; (make-supervisor specs [strategy] [max-restarts: 3] [period: 5])
;;; SPECS is a list of (name . thunk).  STRATEGY is one-for-one (restart
;;; only the failed child, the default) or one-for-all (terminate the other
;;; children and restart them all).  A child that ends normally is not
;;; restarted and leaves the list of children.  More than MAX-RESTARTS
;;; restarts within PERIOD seconds: the supervisor terminates its children
;;; and halts.  The supervisor answers
;;;   (supervisor-children sup)      -> ((name pid) ...) in spec order
;;;   (supervisor-child sup name)    -> the pid, or #f
;;;   (supervisor-stop sup)          -> terminates the children and halts

(define (make-supervisor specs #!optional (strategy 'one-for-one)
                         #!key (max-restarts 3) (period 5))
  (if (not (memq strategy '(one-for-one one-for-all)))
      (error "make-supervisor: unknown strategy" strategy))
  (for-each (lambda (s)
              (if (not (and (pair? s) (procedure? (cdr s))))
                  (error "make-supervisor: a child is (name . thunk)" s)))
            specs)
  (spawn
   (lambda ()
     ;; children: list of (name thunk pid)
     (define (start-child spec) (list (car spec) (cdr spec) (%start-supervised (cdr spec) (car spec))))
     (define (stop-all children)
       (for-each (lambda (c) (terminate! (caddr c))) children))
     (define (restart-one children pid)
       (map (lambda (c)
              (if (eq? (caddr c) pid) (start-child (cons (car c) (cadr c))) c))
            children))
     (define (restart-all children)
       (stop-all children)
       (map (lambda (c) (start-child (cons (car c) (cadr c)))) children))
     (let loop ((children (map start-child specs)) (restarts '()))
       (recv
        (('DOWN pid reason)
         (where (any (lambda (c) (eq? (caddr c) pid)) children))
         (if (eq? reason 'normal)
             (loop (filter (lambda (c) (not (eq? (caddr c) pid))) children) restarts)
             (let ((recent (%restart-allowed restarts max-restarts period)))
               (cond ((not recent)
                      (%supervisor-log "too many restarts")
                      (stop-all children)
                      (%supervisor-log "halting supervisor")
                      (halt!))
                     ((eq? strategy 'one-for-one)
                      (loop (restart-one children pid) recent))
                     (else
                      (loop (restart-all children) recent))))))
        (('DOWN _ _) (loop children restarts))   ; a child already replaced
        ((from tag 'children)
         (! from (list tag (map (lambda (c) (list (car c) (caddr c))) children)))
         (loop children restarts))
        ((from tag ('child name))
         (let ((c (find (lambda (c) (equal? (car c) name)) children)))
           (! from (list tag (and c (caddr c)))))
         (loop children restarts))
        ((from tag 'stop)
         (stop-all children)
         (! from (list tag 'ok))
         (halt!))
        (_ (loop children restarts)))))
   name: 'supervisor))

(define (supervisor-children sup) (!? sup 'children 5))
(define (supervisor-child sup name) (!? sup (list 'child name) 5))
(define (supervisor-stop sup) (!? sup 'stop 5 #f))

;;; ---- the service registry ---------------------------------------------------
;;; One registry process per node, started with the node.  A name stays
;;; published until it is unpublished or its process dies.

(define (%service-registry-loop services)
  (recv
   ((from tag ('publish name pid))
    (monitor pid)
    (! from (list tag #t))
    (%service-registry-loop (dict-set services name pid)))
   ((from tag ('unpublish name))
    (! from (list tag (dict-contains? services name)))
    (%service-registry-loop (dict-remove services name)))
   ((from tag ('resolve name))
    (! from (list tag (dict-ref services name #f)))
    (%service-registry-loop services))
   ((from tag 'services)
    (! from (list tag (dict->list services)))
    (%service-registry-loop services))
   (('DOWN pid _)
    (%service-registry-loop
     (dict-fold (lambda (name p acc) (if (eq? p pid) (dict-remove acc name) acc))
                services services)))
   (_ (%service-registry-loop services))))

(define %service-registry
  (spawn (lambda () (%service-registry-loop (make-dict))) name: 'service-registry))

(define (publish-service name pid)
  (if (not (pid? pid)) (error "publish-service: not a pid" pid))
  (!? %service-registry (list 'publish name pid)))

(define (unpublish-service name)
  (!? %service-registry (list 'unpublish name)))

(define (resolve-service name)
  (!? %service-registry (list 'resolve name)))

;; ((name . pid) ...) sorted by name
(define (service-list)
  (!? %service-registry 'services))
