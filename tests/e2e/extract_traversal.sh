#!/usr/bin/env bash
# extract_traversal.sh - a tar that tries every classic way out of the
# extraction directory: "../" names, absolute names, and a symlink escape
# (evil -> /tmp/outside, then a member evil/pwned), plus a relative symlink
# escape (up -> ../../.., then up/escape-up). `postern scan --extract DIR`
# must write nothing outside DIR, store the symlinks as links, and report
# the attempt as unpack.path-traversal.
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"

fail() { echo "extract_traversal: FAIL: $*" >&2; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/postern-e2e-XXXXXX")
OUT=/tmp/outside
made_outside=0
cleanup() {
  rm -rf "$W"
  if [ "$made_outside" = 1 ]; then rm -rf "$OUT"; fi
}
trap cleanup EXIT

# The symlink's target must exist as a directory for the escape to be possible.
if [ ! -e "$OUT" ]; then mkdir -p "$OUT"; made_outside=1; fi
[ -d "$OUT" ] || fail "$OUT exists and is not a directory"
for f in pwned abs-pwned; do
  [ ! -e "$OUT/$f" ] || fail "$OUT/$f exists before the test"
done

# The tar, built with GNU tar (-P keeps ../ and absolute names).
mkdir -p "$W/src/x" "$W/a/b/c"
cd "$W/src"
echo pwn > x/pwned; echo dotdot > x/dotdot; echo abs > x/abs; echo up > x/up
ln -s "$OUT" evil
ln -s ../../.. up
tar -cf "$W/t.tar" evil up
tar -rf "$W/t.tar" --transform='s,^x/pwned$,evil/pwned,' x/pwned
tar -rf "$W/t.tar" --transform='s,^x/up$,up/escape-up,' x/up
tar -rPf "$W/t.tar" --transform='s,^x/dotdot$,../../escape-dotdot,' x/dotdot
tar -rPf "$W/t.tar" --transform="s,^x/abs\$,$OUT/abs-pwned," x/abs
tar -tPf "$W/t.tar" | grep -x '../../escape-dotdot' >/dev/null || fail "fixture lacks its ../ member"

# DIR sits three levels down, so "../../" and "../../.." land in watched places.
DIR="$W/a/b/c/out"
snapshot() { (cd "$W" && find . \( -path ./a/b/c/out -o -path ./r.json \) -prune -o -print | sort); ls -A "$OUT" | sort; }
before=$(snapshot)

for jobs in 1 2 4; do
  rm -rf "$DIR"
  set +e
  "$POSTERN" scan "$W/t.tar" --extract "$DIR" --format json --jobs "$jobs" > "$W/r.json"
  rc=$?
  set -e
  [ "$rc" -lt 64 ] || fail "postern exited $rc"
  after=$(snapshot)
  if [ "$before" != "$after" ]; then
    diff <(echo "$before") <(echo "$after") >&2 || true
    fail "jobs=$jobs: something was written outside $DIR"
  fi
  for f in pwned abs-pwned; do [ ! -e "$OUT/$f" ] || fail "jobs=$jobs: $OUT/$f was written"; done
  [ ! -e "$W/escape-dotdot" ] && [ ! -e "$W/a/escape-dotdot" ] && [ ! -e "$W/a/b/escape-dotdot" ] ||
    fail "jobs=$jobs: a ../ member escaped"
  [ ! -e "$W/a/escape-up" ] && [ ! -e "$W/a/b/escape-up" ] || fail "jobs=$jobs: up/escape-up escaped"
  # Every file under DIR is a plain file, directory or link, and links are not followed.
  bad=$(find "$DIR" ! -type f ! -type d ! -type l | head -1)
  [ -z "$bad" ] || fail "jobs=$jobs: unexpected file type $bad"
  grep -q '"rule": *"unpack.path-traversal"' "$W/r.json" || fail "jobs=$jobs: no unpack.path-traversal finding"
  # The ../ member and the absolute one were re-rooted inside DIR.
  [ -f "$DIR/escape-dotdot" ] || fail "jobs=$jobs: ../../escape-dotdot not re-rooted into DIR"
  [ -f "$DIR/$OUT/abs-pwned" ] || fail "jobs=$jobs: absolute member not re-rooted into DIR"
  # Members are written as they are emitted, so with any number of workers
  # the link comes first: it is stored as a link, and the member beneath it
  # is refused rather than written through it.
  [ -L "$DIR/evil" ] || fail "jobs=$jobs: evil was not stored as a symlink"
  [ "$(readlink "$DIR/evil")" = "$OUT" ] || fail "jobs=$jobs: evil's target changed"
  [ -L "$DIR/up" ] || fail "jobs=$jobs: up was not stored as a symlink"
  grep -q '"rule": *"extract.refused"' "$W/r.json" || fail "jobs=$jobs: evil/pwned was not refused"
done
# Non-UTF-8 and very long names: ../ with invalid bytes, overlong "..",
# 255-byte components, a 6 KB path, 300 "../" and up-then-down names.
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
python3 "$SRC/tests/e2e/lib/bombs.py" traversal-tar "$W/t2.tar"
DIR2="$W/a/b/c/out2"
snap2() { (cd "$W" && find . \( -path ./a/b/c/out2 -o -path ./a/b/c/out -o -name 'r*.json' \) -prune -o -print | sort); ls -A "$OUT" | sort; }
before=$(snap2)
set +e
"$POSTERN" scan "$W/t2.tar" --extract "$DIR2" --format json > "$W/r2.json"
rc=$?
set -e
[ "$rc" -lt 64 ] || fail "non-UTF-8/long names: postern exited $rc"
after=$(snap2)
[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after") >&2 || true; fail "non-UTF-8/long names: written outside"; }
python3 -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read().decode("utf-8"))' "$W/r2.json" ||
  fail "non-UTF-8/long names: report is not valid UTF-8 JSON"
n=$(grep -o '"rule": *"unpack.path-traversal"' "$W/r2.json" | wc -l)
[ "$n" -ge 6 ] || fail "non-UTF-8/long names: $n path-traversal findings, want >= 6"
[ "$(find "$DIR2" -type f | wc -l)" -ge 5 ] || fail "non-UTF-8/long names: members not extracted inside DIR"
[ -f "$DIR2/escape-many-dotdots" ] || fail "300 x ../ not re-rooted"
find "$W" -name 'escape-*' ! -path "$DIR2/*" ! -path "$DIR/*" | grep . >&2 && fail "an escape-* file landed outside DIR"
echo "extract_traversal: ok"
