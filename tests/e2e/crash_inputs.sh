#!/usr/bin/env bash
# crash_inputs.sh - the crash reproducers in tests/fixtures/crashes (mutated
# real router images; issue 22: a use-after-free in the finish phase, when a
# tree-wide analyzer's fact grew the facts array another one was reading)
# scan cleanly: exit 0/1, no sanitizer report (tests/fuzz/lib/scan_one.sh),
# valid JSON, the same JSON with 1 and 2 worker threads, and the CycloneDX
# writer (which reads every fact, the late ones included) runs too. A
# sanitizer build is the real check; in a release build, where reading freed
# memory goes unseen, each input also runs once under valgrind (memcheck:
# no invalid read or write), skipped with a note when valgrind is missing.
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/e2e/lib/sanitized.sh"
. "$SRC/tests/fuzz/lib/scan_one.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/postern-crash-XXXXXX")
trap 'rm -rf "$W"' EXIT
fail() { echo "crash_inputs: FAIL: $*" >&2; exit 1; }

n=0
for f in "$SRC"/tests/fixtures/crashes/*.bin "$SRC"/tests/fixtures/crashes/*.img; do
  [ -f "$f" ] || continue
  b=$(basename "$f")
  for jobs in 1 2; do
    scan_one "$POSTERN" "$f" json 300 "$W/log" "$W/$jobs.json" --jobs "$jobs" --no-run
    [ "$VERDICT" = ok ] || { cat "$W/log" >&2; fail "$b (json, --jobs $jobs): $VERDICT, exit $RC"; }
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$W/$jobs.json" ||
      fail "$b: the JSON report does not parse"
  done
  cmp -s "$W/1.json" "$W/2.json" || fail "$b: JSON differs between --jobs 1 and --jobs 2"
  scan_one "$POSTERN" "$f" cyclonedx 300 "$W/log"
  [ "$VERDICT" = ok ] || { cat "$W/log" >&2; fail "$b (cyclonedx): $VERDICT, exit $RC"; }
  if [ -z "$SANITIZED" ]; then
    if command -v valgrind >/dev/null; then
      # valgrind implements no seccomp(2): the sandbox is left out (valgrind.sh)
      rc=0
      valgrind -q --error-exitcode=99 "$POSTERN" scan --no-sandbox --jobs 1 "$f" --format json \
        -o /dev/null > "$W/vg.log" 2>&1 || rc=$?
      [ "$rc" -le 1 ] || { cat "$W/vg.log" >&2; fail "$b: under valgrind: exit $rc"; }
    else
      echo "crash_inputs: $b: valgrind not installed, release build checked without it"
    fi
  fi
  n=$((n + 1))
done
[ "$n" -ge 2 ] || fail "expected the two reproducers of issue 22, found $n"
echo "crash_inputs: $n reproducers scan cleanly${SANITIZED:+ (sanitizer build)}"
