import "math"
rule e_gt { condition: math.entropy(0, filesize) > 7.5 }
rule e_lt { condition: math.entropy(0, filesize) < 2.0 }
rule e_ne { condition: math.entropy(0, filesize) != 3.0 }
rule e_not { condition: not (math.entropy(0, filesize) > 7.5) }
rule e_arith { condition: math.entropy(0, filesize) * 2 >= 1.0 }
rule e_spaced { condition: math . entropy ( 0 ,
  filesize ) >= 0.0 }
rule e_or { condition: math.entropy(0, filesize) < 0.5 or filesize > 1000000 }
// math.entropy(0, filesize) in a comment
/* and math.entropy(0, filesize)
   in a block comment */
rule text_kept { strings: $a = "math.entropy(0, filesize)" condition: $a }
rule regex_kept { strings: $r = /math.entropy\(0, filesize\)/ condition: $r }
rule other_range { condition: math.entropy(0, 16) >= 0.0 }
rule bigmath { condition: xmath.entropy(0, filesize) >= 0.0 or true }
