#!/usr/bin/env bash
# Foundation benchmark (issue 2): the router-style image from Debian's d-i
# mipsel netboot package (uImage kernel + 64 KiB-aligned xz squashfs), scanned
# by postern, and in the same run unpacked by `unsquashfs -p 2` (the floor:
# decompression alone) and by `binwalk -Me`. Prints ratios and checks:
#   - postern accounts for every file of the root filesystem (= unsquashfs -l)
#   - postern wall time <= 2x unsquashfs -p 2, and >= 20x less than binwalk -Me
#   - postern peak RSS <= 300 MB
#   - two runs give byte-identical JSON except the "run" object
# usage: bench/router_bench.sh [RUNS]   (env POSTERN=path/to/postern)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
postern=${POSTERN:-$here/build/postern}
runs=${1:-3}
out=$here/bench/out
mkdir -p "$out"
img=$out/router.bin sq=$out/router.sqfs
if [ ! -f "$img" ] || [ ! -f "$sq" ]; then
  "$here/scripts/make-router-image" --squashfs-out "$sq" "$img"
fi
for t in unsquashfs binwalk /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "bench: $t missing (scripts/install-deps)" >&2; exit 69; }
done

# time_cmd NAME CMD... : appends "wall rss_kb" to $out/NAME.times
time_cmd() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/$name.t" "$@" >/dev/null 2>&1 || true
  cat "$out/$name.t" >> "$out/$name.times"
}
rm -f "$out"/*.times
for i in $(seq "$runs"); do
  time_cmd postern "$postern" scan "$img" --format json -o "$out/scan-$i.json" --no-progress
  rm -rf "$out/unsq"; time_cmd unsquashfs unsquashfs -p 2 -no-progress -d "$out/unsq" "$sq"
done
# binwalk -Me is slow: once (twice with RUNS >= 3)
bw_runs=$(( runs >= 3 ? 2 : 1 ))
for i in $(seq "$bw_runs"); do
  rm -rf "$out/bw"; mkdir -p "$out/bw"
  (cd "$out/bw" && time_cmd binwalk binwalk -q -Me --run-as=root "$img")
done
rm -rf "$out/bw" "$out/unsq"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
p_wall=$(awk '{print $1}' "$out/postern.times" | median)
p_rss=$(awk '{print $2}' "$out/postern.times" | sort -n | tail -n1)
u_wall=$(awk '{print $1}' "$out/unsquashfs.times" | median)
b_wall=$(awk '{print $1}' "$out/binwalk.times" | median)

want=$(unsquashfs -l "$sq" | grep -c '^squashfs-root/')
got=$(python3 - "$out/scan-1.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(d["coverage"]["files"] + d["coverage"]["directories"] + d["coverage"]["links"] + d["coverage"]["specials"])
PY
)
have_inv=$("$postern" scan "$img" --format json --inventory --no-progress | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sum(1 for n in d["inventory"] if "!squashfs@" in n["location"] and n["location"].count("!") == 2 and not n["location"].endswith("!/")))')

same=yes
for i in $(seq 2 "$runs"); do
  if ! cmp -s <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("run"); print(json.dumps(d, sort_keys=True))' "$out/scan-1.json") \
            <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("run"); print(json.dumps(d, sort_keys=True))' "$out/scan-$i.json"); then
    same=no
  fi
done

r_unsq=$(awk -v a="$p_wall" -v b="$u_wall" 'BEGIN {printf "%.2f", a/b}')
r_bw=$(awk -v a="$p_wall" -v b="$b_wall" 'BEGIN {printf "%.1f", b/a}')
# The most any tool that reads every file can gain on binwalk -Me: decompressing
# the squashfs is unavoidable, and unsquashfs -p 2 is that alone.
r_floor=$(awk -v a="$u_wall" -v b="$b_wall" 'BEGIN {printf "%.1f", b/a}')
printf '\nrouter image: %s (%s bytes), %s runs (binwalk %s), median wall times\n' "$img" "$(stat -c %s "$img")" "$runs" "$bw_runs"
printf '  postern scan      %6.2f s   peak RSS %d MB\n' "$p_wall" $((p_rss / 1024))
printf '  unsquashfs -p 2   %6.2f s\n' "$u_wall"
printf '  binwalk -Me       %6.2f s\n' "$b_wall"
printf 'ratios:\n'
printf '  postern / unsquashfs -p 2 = %sx   (target <= 2)\n' "$r_unsq"
printf '  binwalk -Me / postern     = %sx   (target >= 20)\n' "$r_bw"
printf '  binwalk -Me / unsquashfs  = %sx   (the ceiling of the ratio above for any complete scan)\n' "$r_floor"
printf 'root filesystem entries: unsquashfs -l %s, postern %s (inventory %s)\n' "$want" "$got" "$have_inv"
printf 'deterministic JSON across runs: %s\n' "$same"
ok=1
awk -v r="$r_unsq" 'BEGIN {exit !(r <= 2.0)}' || { echo "FAIL: slower than 2x unsquashfs"; ok=0; }
awk -v r="$r_bw" 'BEGIN {exit !(r >= 20)}' || { echo "FAIL: less than 20x faster than binwalk -Me"; ok=0; }
[ $((p_rss / 1024)) -le 300 ] || { echo "FAIL: peak RSS above 300 MB"; ok=0; }
[ "$have_inv" = "$want" ] || { echo "FAIL: file count differs from unsquashfs -l"; ok=0; }
[ "$same" = yes ] || { echo "FAIL: JSON differs between runs"; ok=0; }
[ $ok = 1 ] && echo "all foundation targets met"
