#!/usr/bin/env bash
# mutate_real.sh - mutation testing on real firmware images (issue 22): every
# image in tests/fixtures/real, and every FILE given, is mutated N times with a
# fixed seed by tests/tools/mutate_blocks.py (bit flips, blocks of 0x00/0xff,
# duplicated and moved blocks, truncation; half of them near a container
# magic), and each copy is scanned once by POSTERN under a timeout; the report
# format rotates over json, text, sarif, html and cyclonedx so every writer
# reads what a damaged scan left. Each scan is classified by
# tests/fuzz/lib/scan_one.sh (ok, dataerr, abort, hang). With -R, the recipes
# in FILE (lines "IMAGE<TAB>RECIPE", IMAGE a name in tests/fixtures/real;
# '#' starts a comment) are regenerated and scanned first: the regression
# inputs of aborts found this way, kept as recipes because the copies are 3-4 MB.
# Failing inputs are kept in OUTDIR with their log and recipe; the last line is
#   N passed, N failed (aborts A, hangs H; data errors D)
# and the exit status is 1 when anything failed.
# usage: tests/fuzz/mutate_real.sh [-n N] [-s SEED] [-t SECONDS] [-o OUTDIR]
#                                  [-R RECIPES] [-j JOBS] POSTERN [FILE...]
#   -n N  mutated copies per image (default 2)     -s SEED  default 1
#   -t    timeout per scan (default 60)            -j JOBS  scans at once (default 1)
#   -o    where failing inputs go (default: a new directory under $TMPDIR)
set -uo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/fuzz/lib/scan_one.sh"
n=2 seed=1 secs=60 out= recipes= jobs=1
while getopts "n:s:t:o:R:j:" opt; do
  case $opt in
    n) n=$OPTARG ;; s) seed=$OPTARG ;; t) secs=$OPTARG ;; o) out=$OPTARG ;;
    R) recipes=$OPTARG ;; j) jobs=$OPTARG ;;
    *) echo "usage: $0 [-n N] [-s SEED] [-t SECONDS] [-o OUTDIR] [-R RECIPES] [-j JOBS] POSTERN [FILE...]" >&2
       exit 64 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [options] POSTERN [FILE...]" >&2; exit 64; }
postern=$1; shift
[ -x "$postern" ] || { echo "mutate_real: $postern is not executable" >&2; exit 64; }
real=$SRC/tests/fixtures/real
images=()
for f in "$real"/*.bin "$real"/*.img "$@"; do [ -f "$f" ] && images+=("$f"); done
[ -n "$out" ] || out=$(mktemp -d "${TMPDIR:-/tmp}/mutate-real-XXXXXX")
rm -rf "$out/work"
mkdir -p "$out/work" "$out/failed"
formats=(json text sarif html cyclonedx)

# One job: regenerate or generate the copy, scan it, keep it when it failed.
# Writes "VERDICT<TAB>RC<TAB>IMAGE<TAB>RECIPE<TAB>FORMAT" to $out/work/ID.res.
one() { # ID IMAGE FORMAT gen INDEX | ID IMAGE FORMAT apply RECIPE
  local id=$1 img=$2 fmt=$3 mode=$4 arg=$5 copy recipe
  copy=$out/work/$id.bin
  if [ "$mode" = gen ]; then
    recipe=$(python3 "$SRC/tests/tools/mutate_blocks.py" gen "$img" "$copy" "$seed" "$arg") || return
  else
    recipe=$arg
    python3 "$SRC/tests/tools/mutate_blocks.py" apply "$img" "$copy" "$recipe" || return
  fi
  scan_one "$postern" "$copy" "$fmt" "$secs" "$out/work/$id.log"
  printf '%s\t%s\t%s\t%s\t%s\n' "$VERDICT" "$RC" "$(basename "$img")" "$recipe" "$fmt" > "$out/work/$id.res"
  if [ "$VERDICT" = abort ] || [ "$VERDICT" = hang ]; then
    mv "$copy" "$out/failed/$id.bin"
    mv "$out/work/$id.log" "$out/failed/$id.log"
    printf '%s\t%s\n' "$(basename "$img")" "$recipe" > "$out/failed/$id.recipe"
    echo "mutate_real: $VERDICT (exit $RC): $(basename "$img") $recipe ($fmt) -> $out/failed/$id.bin" >&2
  else
    rm -f "$copy" "$out/work/$id.log"
  fi
}

run() { # waits for a free slot, then starts one job
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  one "$@" &
}

k=0
if [ -n "$recipes" ]; then
  while IFS=$'\t' read -r name recipe; do
    case $name in ''|'#'*) continue ;; esac
    [ -f "$real/$name" ] || { echo "mutate_real: $recipes: no image $name" >&2; exit 64; }
    run "r$k" "$real/$name" "${formats[k % 5]}" apply "$recipe"; k=$((k + 1))
  done < "$recipes"
fi
# round by round over the images, so a run stopped early has covered each alike
for ((i = 0; i < n; i++)); do
  for img in "${images[@]}"; do
    run "m$k" "$img" "${formats[(k + i) % 5]}" gen "$i"; k=$((k + 1))
  done
done
wait

cat "$out"/work/*.res 2>/dev/null > "$out/results.tsv"
count() { awk -F'\t' -v v="$1" '$1 == v' "$out/results.tsv" | wc -l; }
ok=$(count ok) data=$(count dataerr) ab=$(count abort) hang=$(count hang)
rm -rf "$out/work"
echo "mutate_real: $k scans of ${#images[@]} images (seed $seed, $n each${recipes:+, recipes from $recipes}); results in $out/results.tsv"
missing=$((k - ok - data - ab - hang))
[ "$missing" -eq 0 ] || echo "mutate_real: $missing copies could not be made (see the errors above)" >&2
echo "$((ok + data)) passed, $((ab + hang)) failed (aborts $ab, hangs $hang; data errors $data)"
[ $((ab + hang)) -eq 0 ] && [ "$missing" -eq 0 ]
