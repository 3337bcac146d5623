# timed.sh - sourced by the benchmarks: run NAME CMD... runs CMD under
# /usr/bin/time -v (its output and errors in $out/NAME.time, $out/NAME.err)
# and prints "wall cpu rss_kb" (seconds, user+sys seconds, peak RSS in KB).
run() {
  local name=$1; shift
  /usr/bin/time -v -o "$out/$name.time" "$@" > /dev/null 2> "$out/$name.err" || true
  python3 - "$out/$name.time" <<'EOF'
import sys, re
t = open(sys.argv[1]).read()
def num(k):
    m = re.search(r"\t" + re.escape(k) + r": (.*)", t)
    return m.group(1).strip() if m else "0"
w = num("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(w)))
cpu = float(num("User time (seconds)")) + float(num("System time (seconds)"))
print("%.2f %.2f %s" % (wall, cpu, num("Maximum resident set size (kbytes)")))
EOF
}
