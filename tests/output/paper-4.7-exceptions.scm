;;; Paper, section 4.7: with-exception-catcher resumes where the handler
;;; was installed, with-exception-handler where the exception was raised;
;;; an exception crosses a link made by spawn-link, not a plain spawn.
;;; Fixed typos in the catch examples: the paper closes the catch form
;;; after the spawn (one parenthesis too many); the body of catch is
;;; (spawn ...) (? 1 'ok) #f.
;; expect: (42)
;; expect: (123)
;; expect: #f
;; expect: #t
;; expect-stderr-contains: died: error

(write
 (list
  (with-exception-catcher
    (lambda (exception) exception)
    (lambda ()
      (raise 42) ; this will not return
      123))))          ; => (42)
(newline)

(write
 (list
  (with-exception-handler
    (lambda (exception) exception)
    (lambda ()
      (raise 42) ; control will resume here
      123))))          ; => (123)
(newline)

(write
 (catch
   (lambda (exception) #t)
   (spawn (lambda () (raise 'error)))
   (? 1 'ok)
   #f))          ; => #f
(newline)

(write
 (catch
   (lambda (exception) #t)
   (spawn-link (lambda () (raise 'error)))
   (? 1 'ok)
   #f))          ; => #t
(newline)
