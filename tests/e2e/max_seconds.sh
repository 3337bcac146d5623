#!/usr/bin/env bash
# max_seconds.sh - a scan of something big with --max-seconds 1 stops in
# time, reports limit.time and incomplete coverage, and still writes a
# valid report. The target: a 42.zip-style bomb (1 TiB declared), with the
# size and ratio limits lifted so that only the clock can stop it (at the
# default limits the ratio cut ends it in about a second on a quiet machine).
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
W=$(mktemp -d "${TMPDIR:-/tmp}/postern-maxsec-XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$SRC/tests/e2e/lib/bounded.sh"

python3 "$SRC/tests/e2e/lib/bombs.py" zip42 "$W/z42.zip" 4 16 16
# Stopping is checked between and inside units of work; allow 3 s of
# slack on a shared, loaded machine for the report and process exit.
MAX_SECONDS=1
set +e
/usr/bin/time -f "%M %e" -o "$W/t" "$POSTERN" scan "$W/z42.zip" --max-seconds 1 --format json \
  --max-ratio 1000000000 --max-total-bytes 2T --no-progress > "$W/r.json"
rc=$?
set -e
[ "$rc" -lt 64 ] || fail "postern exited $rc"
read -r rss wall < "$W/t"
echo "  --max-seconds 1: rc=$rc peak RSS $rss KB, $wall s"
awk -v w="$wall" 'BEGIN { exit !(w < 4) }' || fail "took $wall s with --max-seconds 1"
[ "$rss" -lt 524288 ] || fail "peak RSS $rss KB"
cp "$W/r.json" "$W/ms.json"
python3 -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read().decode("utf-8"))' "$W/ms.json" ||
  fail "report not valid JSON"
has_rule ms limit.time || fail "no limit.time finding"
[ "$(cov ms incomplete)" -ge 1 ] || fail "coverage does not say the scan is incomplete"
[ "$(cov ms limits_hit)" -ge 1 ] || fail "coverage does not count the limit"
v=$(python3 -c 'import json; print(json.load(open("'"$W/ms.json"'"))["verdict"])')
[ "$v" != pass ] || fail "an interrupted scan passed"
echo "max_seconds: ok"
