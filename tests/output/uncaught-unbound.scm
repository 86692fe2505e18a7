;;; uncaught-unbound.scm -- referencing an unbound variable.
;; expect-exit: nonzero
;; expect-stderr-contains: this-variable-is-not-bound

(display this-variable-is-not-bound)
