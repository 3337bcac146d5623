#!/usr/bin/env bash
# A running job's progress (issue 16): GET /api/v1/submissions/{id} reports
# how far the scan is - files examined over files found, stored by the worker
# from the scan child's progress at most four times a second - instead of 0.5 for
# the whole run. The slowest real image (DD-WRT, several seconds) is
# submitted to serve on SQLite with one worker and polled every 0.1 s:
#  - while running, at least one value strictly between 0 and 1 (and below
#    0.99: 1 means done);
#  - the value moves while running (the old constant 0.5 fails this);
#  - the values never go down;
#  - done reads 1, and the verdict is the CLI's.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d)
spid=
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; wait 2>/dev/null; rm -rf "$t"' EXIT
command -v curl > /dev/null || { echo "SKIP: curl missing"; exit 77; }
img=$SRC/tests/fixtures/real/dd-wrt-r31277-tl-wr941nd-v5-factory-to-ddwrt.bin
[ -f "$img" ] || { echo "SKIP: $img missing"; exit 77; }
D=$t/data
tok=$("$POSTERN" admin --data "$D" token create --role submitter --tenant acme 2> /dev/null)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
B=http://127.0.0.1:$port
"$POSTERN" serve --data "$D" --listen "127.0.0.1:$port" --workers 1 2> "$t/serve.log" &
spid=$!
for i in $(seq 50); do curl -sf "$B/healthz" > /dev/null && break; sleep 0.2; done
auth=(-H "Authorization: Bearer $tok")
id=$(curl -s "${auth[@]}" -H 'Content-Type: application/octet-stream' --data-binary "@$img" \
  "$B/api/v1/submissions?product=ddwrt&version=1" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
check "submitted ($id)" '[ -n "$id" ]'
# "status progress verdict" every 0.1 s until done or error (at most 10 minutes)
for i in $(seq 6000); do
  curl -s "${auth[@]}" "$B/api/v1/submissions/$id" |
    python3 -c 'import json,sys; d=json.load(sys.stdin)
print(d["status"], d["progress"], d["verdict"] or "-")' >> "$t/polls"
  case $(tail -n1 "$t/polls") in done*|error*) break ;; esac
  sleep 0.1
done
echo "# $(grep -c running "$t/polls") polls while running; values: $(awk '$1 == "running" {print $2}' "$t/polls" | sort -un | tr '\n' ' ')"
check "while running, a value strictly between 0 and 0.99" \
  'awk '\''$1 == "running" && $2 > 0 && $2 < 0.99 {f=1} END {exit !f}'\'' "$t/polls"'
check "while running, the value moves (two or more values; a constant is no estimate)" \
  '[ "$(awk '\''$1 == "running" {print $2}'\'' "$t/polls" | sort -u | wc -l)" -ge 2 ]'
check "the values never go down" 'awk '\''$2 < last {exit 1} {last=$2}'\'' "$t/polls"'
check "done reads 1" '[ "$(tail -n1 "$t/polls" | cut -d" " -f1,2)" = "done 1.0" ]'
cli=$("$POSTERN" scan "$img" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["verdict"])')
check "the verdict is the CLI's ($cli)" '[ "$(tail -n1 "$t/polls" | cut -d" " -f3)" = "$cli" ]'
exit $fail
