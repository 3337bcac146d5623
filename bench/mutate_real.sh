#!/usr/bin/env bash
# mutate_real.sh - the large mutation run on the real router images (issue 22):
# tests/fuzz/mutate_real.sh with N mutated copies per image (default 200: 1,000
# scans of the five images in tests/fixtures/real, plus any FILE given), by
# default with the ASan build, niced. ctest runs the same script with N=2.
# An abort or hang is kept in OUTDIR/failed with its log and recipe: to keep
# it as a regression input, fix it and add its recipe line to
# tests/fuzz/real_recipes.tsv (docs/fuzzing.md).
# usage: bench/mutate_real.sh [N] [SEED] [POSTERN] [FILE...]
#   env JOBS (scans at once, default 1), TIMEOUT (per scan, default 60)
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-200} seed=${2:-$(date -u +%Y%m%d)} postern=${3:-$src/build-asan/postern}
shift 3 2>/dev/null || shift $#
out=$src/bench/out/mutate_real-$seed
mkdir -p "$src/bench/out"
start=$(date +%s)
nice -n 10 "$src/tests/fuzz/mutate_real.sh" -n "$n" -s "$seed" -t "${TIMEOUT:-60}" -j "${JOBS:-1}" \
  -o "$out" "$postern" "$@"
rc=$?
echo "mutate_real: $(( $(date +%s) - start )) s wall with $postern"
exit $rc
