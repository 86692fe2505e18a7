#0=(a b . #0#) #1=(x) (#1# #1#)
#;(skipped datum) #| block #| nested |# comment |# (kept)
#u8(0 1 255) #(1 #t #f "s" #\a #\space #\x41 #\newline)
"tab\tnl\nq\"bs\\x\x41;" |sym with space| ||
(1 -2 +3 1/3 -7/9 1.5 -0.25 1e10 6.02e23 #x-ff #b101 #o17 #e1.5 #i1/3 +inf.0 -inf.0 +nan.0 123456789012345678901234567890)
(quote x) 'x `(a ,b ,@c) #!optional #!key #!rest #!eof #!default key: (a . b) [1 2]
