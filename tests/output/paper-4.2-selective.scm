;;; Paper, section 4.2: selective message retrieval with ??.
;; expect: 1
;; expect: 3
;; expect: 2
;; expect: none

(! (self) 1)
(! (self) 2)
(! (self) 3)

(write (?))            ; => 1
(newline)
(write (?? odd?))      ; => 3
(newline)
(write (?))            ; => 2
(newline)
(write (?? odd? 0.05 'none))
(newline)
