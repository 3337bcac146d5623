# bounded.sh - sourced by the bomb tests. bounded NAME FILE [postern args...]
# scans FILE with the CLI under /usr/bin/time and checks the run stayed
# bounded: exit status below 64 (no crash, no internal error), peak RSS
# under $RSS_MAX_KB, wall time under $MAX_SECONDS (passed as --max-seconds),
# and the JSON report strictly valid (UTF-8 included). Leaves the report in
# $W/NAME.json and sets RSS_KB / WALL_S.
: "${POSTERN:?set POSTERN to the postern binary}"
# A sanitizer build (make test-asan) carries shadow memory and a quarantine:
# the 512 MB bound is for real builds; there it only has to stay bounded.
. "$(dirname "${BASH_SOURCE[0]}")/sanitized.sh"
[ -z "$SANITIZED" ] || RSS_MAX_KB=${RSS_MAX_KB:-4194304}
RSS_MAX_KB=${RSS_MAX_KB:-524288}
MAX_SECONDS=${MAX_SECONDS:-120}

fail() { echo "$(basename "$0" .sh): FAIL: $*" >&2; exit 1; }

bounded() {
  local name=$1 file=$2 rc
  shift 2
  set +e
  /usr/bin/time -f "%M %e" -o "$W/$name.time" \
    "$POSTERN" scan "$file" --format json --no-progress --max-seconds "$MAX_SECONDS" "$@" \
    > "$W/$name.json" 2> "$W/$name.err"
  rc=$?
  set -e
  [ "$rc" -lt 64 ] || { cat "$W/$name.err" >&2; fail "$name: postern exited $rc"; }
  read -r RSS_KB WALL_S < <(tail -n1 "$W/$name.time")
  echo "  $name: rc=$rc peak RSS ${RSS_KB} KB, ${WALL_S} s"
  [ "$RSS_KB" -lt "$RSS_MAX_KB" ] || fail "$name: peak RSS ${RSS_KB} KB >= ${RSS_MAX_KB} KB"
  awk -v w="$WALL_S" -v m="$MAX_SECONDS" 'BEGIN { exit !(w < m) }' ||
    fail "$name: wall time ${WALL_S} s not under --max-seconds $MAX_SECONDS"
  python3 -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read().decode("utf-8"))' \
    "$W/$name.json" || fail "$name: report is not valid UTF-8 JSON"
}

# jq-free queries: cov NAME FIELD prints coverage.FIELD; has_rule NAME RULE
cov() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["coverage"][sys.argv[2]])' "$W/$1.json" "$2"
}
has_rule() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not any(f["rule"]==sys.argv[2] for f in d["findings"]))' \
    "$W/$1.json" "$2"
}
has_node() { # has_node NAME LOCATION (needs --inventory)
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not any(n["location"]==sys.argv[2] for n in d["inventory"]))' \
    "$W/$1.json" "$2"
}
# norun NAME: the report without its run object, to compare reports
norun() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r.pop("run",None); print(json.dumps(r,sort_keys=True))' \
    "$W/$1.json"
}
# limits NAME: the limit.* rules the report holds, sorted
limits() {
  python3 -c 'import json,sys; print(" ".join(sorted(f["rule"] for f in json.load(open(sys.argv[1]))["findings"] if f["rule"].startswith("limit."))))' \
    "$W/$1.json"
}
# key_text FILE N LABEL: N pseudo-random bytes (tests/tools/randbytes) as
# base64 text, then a fresh private key: a plant at the end of a big member
key_text() {
  local t
  t=$(mktemp -d "$W/key-XXXXXX")
  ssh-keygen -q -t ed25519 -N '' -f "$t/k"
  { "$SRC"/tests/tools/randbytes "$2" "$3" | base64 -w 76; cat "$t/k"; } > "$1"
  rm -rf "$t"
}
# key_whole NAME SIZE [SUFFIX]: the run NAME examined the SIZE-byte member
# key_text made whole: exactly one key.embedded-private (in a file whose
# location ends with SUFFIX), at the member's end; no limit.* hit, nothing
# truncated, nothing left in $TMPDIR
key_whole() {
  local name=$1 size=$2 off
  [ -z "$(limits "$name")" ] || fail "$name: limits hit: $(limits "$name")"
  off=$(python3 -c 'import json,sys
print(" ".join(str(f["offset"]) for f in json.load(open(sys.argv[1]))["findings"]
               if f["rule"] == "key.embedded-private" and f["location"].endswith(sys.argv[2])))' \
    "$W/$name.json" "${3:-}")
  [[ "$off" =~ ^[0-9]+$ ]] && [ "$off" -ge $((size - 4096)) ] ||
    fail "$name: the key at the member's end ($size) was not found once (got '$off')"
  [ "$(cov "$name" truncated)" -eq 0 ] || fail "$name: content truncated"
  [ -z "$(ls -A "$TMPDIR")" ] || fail "$name: files left in TMPDIR: $(ls -A "$TMPDIR")"
}
# bounded_rss NAME FILE BOUND_KB [postern args...]: bounded, then peak RSS
# under BOUND_KB (a sanitizer build is exempt). Pages of spill files and of
# the target's mapping are let go by a thread every 20 ms (src/core/spill.c);
# on a machine loaded to starvation that thread may not run for a whole
# read, so an excess is measured once more before it fails.
bounded_rss() {
  local name=$1 file=$2 bound=$3 try
  shift 3
  for try in 1 2; do
    bounded "$name" "$file" "$@"
    if [ -n "$SANITIZED" ] || [ "$RSS_KB" -lt "$bound" ]; then return 0; fi
    echo "  $name: peak RSS ${RSS_KB} KB >= ${bound} KB (try $try)"
  done
  fail "$name: peak RSS ${RSS_KB} KB >= ${bound} KB twice"
}
