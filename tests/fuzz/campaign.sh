#!/usr/bin/env bash
# Fuzzing campaign: runs each named libFuzzer harness until it has used
# CPU_SECONDS of CPU time (utime + stime of the fuzzer, read from /proc, so a
# niced fuzzer on a busy machine still gets its full budget), then stops it
# with SIGINT. Appends one line per harness to WORKDIR/ledger.tsv:
#   harness  cpu_s  wall_s  executions  cov  ft  corpus_units  result
# result is "clean", or the kind of artifact libFuzzer wrote (crash, leak,
# timeout, oom) with its path. Corpora live in WORKDIR/corpus/NAME, seeded from
# tests/fuzz/corpus/NAME and tests/fuzz/crashes/NAME (fuzz_real: from the real
# images in tests/fixtures/real and tests/fixtures/crashes, with an 8 MiB
# max_len and a 60 s timeout); merge new units back by hand (docs/fuzzing.md).
# usage: tests/fuzz/campaign.sh BUILD_FUZZ_DIR WORKDIR CPU_SECONDS HARNESS...
set -uo pipefail
[ $# -ge 4 ] || { echo "usage: $0 BUILD_FUZZ_DIR WORKDIR CPU_SECONDS HARNESS..." >&2; exit 64; }
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$1 work=$2 budget=$3; shift 3
tck=$(getconf CLK_TCK)
mkdir -p "$work/corpus" "$work/art" "$work/log"
[ -f "$work/ledger.tsv" ] || printf 'harness\tcpu_s\twall_s\texecutions\tcov\tft\tcorpus_units\tresult\n' > "$work/ledger.tsv"

cpu_of() { # utime + stime of PID in whole seconds
  awk -v t="$tck" '{ sub(/^.*\) /, ""); print int(($12 + $13) / t) }' "/proc/$1/stat" 2>/dev/null || echo -1
}

for name in "$@"; do
  bin=$build/tests/fuzz_$name
  [ -x "$bin" ] || { echo "campaign: no $bin" >&2; continue; }
  corpus=$work/corpus/$name
  # fuzz_real: whole real images (a few MB), its seeds and crashes in tests/fixtures
  maxlen=65536 timeout=20 seeds=("$src/tests/fuzz/corpus/$name" "$src/tests/fuzz/crashes/$name")
  if [ "$name" = real ]; then
    maxlen=$((8 << 20)) timeout=60 seeds=("$src/tests/fixtures/real" "$src/tests/fixtures/crashes")
  fi
  if [ ! -d "$corpus" ]; then
    mkdir -p "$corpus"
    for d in "${seeds[@]}"; do
      find "$d" -maxdepth 1 -type f ! -name '*.md' -exec cp {} "$corpus"/ \; 2>/dev/null || true
    done
  fi
  log=$work/log/$name.log
  start=$(date +%s); touch "$log.start"
  nice -n 19 "$bin" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=$timeout -max_len=$maxlen \
    -print_final_stats=1 -artifact_prefix="$work/art/$name-" "$corpus" > "$log" 2>&1 &
  pid=$!
  cpu=0
  while kill -0 "$pid" 2>/dev/null; do
    c=$(cpu_of "$pid"); [ "$c" -ge 0 ] && cpu=$c
    if [ "$cpu" -ge "$budget" ]; then kill -INT "$pid"; break; fi
    sleep 5
  done
  wait "$pid"; rc=$?
  wall=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -n1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
  [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<< "$last")
  # a crash, leak, timeout or oom outranks slow units (libFuzzer keeps going after those)
  art=$(find "$work/art" -name "$name-*" -newer "$log.start" ! -name "$name-slow-unit-*" | head -n1)
  [ -n "$art" ] || art=$(find "$work/art" -name "$name-slow-unit-*" -newer "$log.start" | head -n1)
  result=clean
  if [ -n "$art" ]; then
    result="$(basename "$art" | sed "s/^$name-//; s/-.*//") $art"
  elif [ "$rc" -ne 0 ] && [ "$cpu" -lt "$budget" ]; then
    result="exit $rc (see $log)"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$cpu" "$wall" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
    "$(ls "$corpus" | wc -l)" "$result" >> "$work/ledger.tsv"
done
