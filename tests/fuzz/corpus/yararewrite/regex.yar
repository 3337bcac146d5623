import "math"
rule r { strings: $a = /a\/b/ condition: math.entropy(0, filesize) > 7 and $a } // x
