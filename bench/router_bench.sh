#!/usr/bin/env bash
# Foundation benchmark (issue 2): the router-style image from Debian's d-i
# mipsel netboot package (uImage kernel + 64 KiB-aligned xz squashfs), scanned
# by postern, and in the same run unpacked by `unsquashfs -p 2` (the floor:
# decompression alone) and by `binwalk -Me`; also in the same run, on the same
# image's root filesystem, `yara -r -N -p 2` with postern's bundled pack (over
# the tree unsquashfs wrote, and unsquashfs + yara as the pipeline from the
# image) and `checksec --dir` (the hardening facts postern reports per ELF).
# With BASE=path/to/an/older/postern, that build is run interleaved with
# this one and their ratio printed (the "does not get slower" check of issues
# 14, 21 and 23). Prints medians of wall and CPU (user+sys) seconds, ratios,
# and checks:
#   - postern accounts for every file of the root filesystem (= unsquashfs -l)
#   - postern wall time <= 2x unsquashfs -p 2, and >= 20x less than binwalk -Me
#   - postern peak RSS <= 300 MB
#   - two runs give byte-identical JSON except the "run" object
# usage: bench/router_bench.sh [RUNS]   (env POSTERN=path/to/postern,
#        BASE=path/to/a/baseline/postern)
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
base=${BASE:-}
for t in unsquashfs binwalk yara checksec /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "bench: $t missing (scripts/install-deps)" >&2; exit 69; }
done

# time_cmd NAME CMD... : appends "wall rss_kb cpu" to $out/NAME.times
time_cmd() {
  local name=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$out/$name.t" "$@" >/dev/null 2>&1 || true
  awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$out/$name.t" > "$out/$name.t2"
  mv "$out/$name.t2" "$out/$name.t"
  cat "$out/$name.t" >> "$out/$name.times"
}
rm -f "$out"/*.times
for i in $(seq "$runs"); do
  # with BASE, the two take turns going first: the one after the other tools
  # starts with colder caches
  if [ -n "$base" ] && [ $((i % 2)) = 0 ]; then
    time_cmd base "$base" scan "$img" --format json -o "$out/base-$i.json" --no-progress
  fi
  time_cmd postern "$postern" scan "$img" --format json -o "$out/scan-$i.json" --no-progress
  if [ -n "$base" ] && [ $((i % 2)) = 1 ]; then
    time_cmd base "$base" scan "$img" --format json -o "$out/base-$i.json" --no-progress
  fi
  rm -rf "$out/unsq"; time_cmd unsquashfs unsquashfs -p 2 -no-progress -d "$out/unsq" "$sq"
  time_cmd yara yara -r -N -w -p 2 "$here"/rules/yara/*.yar "$out/unsq"
  time_cmd checksec checksec --dir="$out/unsq" --output=csv
  time_cmd unsq_yara bash -c "rm -rf '$out/unsq2' && unsquashfs -p 2 -no-progress \
    -d '$out/unsq2' '$sq' && yara -r -N -w -p 2 '$here'/rules/yara/*.yar '$out/unsq2'"
done
rm -rf "$out/unsq2"
# binwalk -Me is slow: once (twice with RUNS >= 3)
bw_runs=$(( runs >= 3 ? 2 : 1 ))
for i in $(seq "$bw_runs"); do
  rm -rf "$out/bw"; mkdir -p "$out/bw"
  (cd "$out/bw" && time_cmd binwalk binwalk -q -Me --run-as=root "$img")
done
rm -rf "$out/bw" "$out/unsq"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print $c}' "$out/$1.times" | median; }
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
printf 'same run, same root filesystem (median wall s / CPU s):\n'
for t in postern base unsquashfs yara unsq_yara checksec binwalk; do
  [ -f "$out/$t.times" ] || continue
  printf '  %-30s %6.2f  %6.2f\n' "$(case $t in
    base) echo "baseline postern (BASE)" ;; unsq_yara) echo "unsquashfs + yara -r -N -p 2" ;;
    yara) echo "yara -r -N -p 2 (bundled pack)" ;; checksec) echo "checksec --dir" ;;
    *) echo "$t" ;; esac)" "$(col "$t" 1)" "$(col "$t" 3)"
done
rat() { awk -v a="$(col "$1" "$3")" -v b="$(col "$2" "$3")" 'BEGIN {printf "%.2f", a / b}'; }
printf 'ratios (wall, cpu): postern / yara -r %s %s; / unsquashfs + yara %s %s;' \
  "$(rat postern yara 1)" "$(rat postern yara 3)" "$(rat postern unsq_yara 1)" \
  "$(rat postern unsq_yara 3)"
printf ' / checksec --dir %s %s\n' "$(rat postern checksec 1)" "$(rat postern checksec 3)"
[ -z "$base" ] || printf 'postern / baseline (%s): wall %s, cpu %s\n' "$base" \
  "$(rat postern base 1)" "$(rat postern base 3)"
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
