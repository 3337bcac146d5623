#!/usr/bin/env bash
# The review workflow, the market gate and the transparency log of the vetting
# service on SQLite (issue 17, docs/service.md, docs/transparency.md):
#  - four eyes, per person: a reviewer's decision on their own submission
#    (with another token of the same person too), a second approval of a
#    fail by the same token or another of the same person, and the wrong
#    roles are 403;
#  - a review is decided by one reviewer, a fail only by two different ones
#    (202 after the first), a decided submission is 409; the recorded scan
#    never changes, only the decision beside it;
#  - a waiver applies to the next version's scan (a new job, the finding
#    waived) and, once expired, no longer does;
#  - the gate answers approved / rejected / pending / unknown, and
#    `postern gate` exits 0 / 1 / 2 / 2, and 69 on a closed port; without
#    --public-gate it needs a token;
#  - the log grows by one per final decision, a pass's automatic approval
#    (decided by policy) included, the decision's attestation is in it
#    (`postern verify --log-proof`), and `postern log check --server`
#    accepts the grown log and reports a rewritten one with exit 1.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
command -v curl > /dev/null || { echo "skip - curl missing (scripts/install-deps)"; exit 77; }
t=$(mktemp -d)
spid=""
stop() { [ -n "$spid" ] && kill "$spid" 2> /dev/null && wait "$spid" 2> /dev/null; spid=""; }
trap 'stop; rm -rf "$t"' EXIT
PY=/usr/bin/python3
D=$t/data

mk() { bash "$SRC/scripts/make-router-image" ${2:+--plant "$2"} "$t/$1" 2> /dev/null ||
  { echo "not ok - image $1"; exit 1; }; }
mk clean.bin
mk planted.bin 'printf "::respawn:/usr/sbin/telnetd -F -l /bin/sh\n" >> etc/inittab'
mk review.bin 'printf "::respawn:/usr/sbin/telnetd -F\n" >> etc/inittab'
"$SRC"/tests/tools/randbytes 4096 review1 > "$t/never.bin"

tok() { "$POSTERN" admin --data "$D" token create "$@" 2> /dev/null; }
SUB=$(tok --role submitter --tenant acme); ADM=$(tok --role admin --name ops)
R1=$(tok --role reviewer --name r1); R2=$(tok --role reviewer --name r2)
AUD=$(tok --role auditor)
# second tokens of persons who have one already: four eyes count them once
R1B=$(tok --role reviewer --name r1-laptop --person r1)
OPSR=$(tok --role reviewer --name ops-review --person ops)
"$POSTERN" admin --data "$D" token create --role reviewer --person 'bad name!' > /dev/null 2>&1; badp=$?
check "token create --person: token list shows each token's person; a bad person is 64" \
  '[ "$badp" = 64 ] && "$POSTERN" admin --data "$D" token list | grep -q "	r1-laptop	r1	" &&
   "$POSTERN" admin --data "$D" token list | grep -q "	r2	r2	"'

port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
B=http://127.0.0.1:$port
serve() {
  "$POSTERN" serve --data "$D" --listen 127.0.0.1:$port --workers 2 "$@" 2>> "$t/serve.log" &
  spid=$!
  for i in $(seq 50); do curl -sf "$B/healthz" > /dev/null && break; sleep 0.2; done
}
serve --public-gate

# c TOKEN ARGS...: curl with a token, prints the body then the status line
c() { local k=$1; shift; curl -s -w '\n%{http_code}' ${k:+-H "Authorization: Bearer $k"} "$@"; }
status() { tail -n 1 <<< "$1"; }
body() { sed '$d' <<< "$1"; }
jq1() { $PY -c 'import json, sys; d = json.loads(sys.stdin.read() or "null")
for k in sys.argv[1].split("."): d = d[int(k)] if isinstance(d, list) else d[k]
print(d if not isinstance(d, bool) else str(d).lower())' "$1"; }
submit() { # TOKEN FILE PRODUCT VERSION: prints the submission id
  c "$1" -H 'Content-Type: application/octet-stream' --data-binary @"$t/$2" \
    "$B/api/v1/submissions?product=$3&version=$4" | sed '$d' | jq1 id; }
decide() { # TOKEN ID DECISION
  c "$1" -H 'Content-Type: application/json' \
    -d "{\"decision\": \"$3\", \"justification\": \"${4:-checked by hand}\"}" \
    "$B/api/v1/submissions/$2/decision"; }
waive() { # TOKEN ID RULE LOCATION EXPIRES
  c "$1" -H 'Content-Type: application/json' \
    -d "{\"rule\": \"$3\", \"location\": \"$4\", \"justification\": \"lab unit\", \"expires\": \"$5\"}" \
    "$B/api/v1/submissions/$2/waivers"; }
wait_done() {
  for i in $(seq 300); do
    s=$(c "$R1" "$B/api/v1/submissions/$1" | sed '$d' | jq1 status)
    [ "$s" = done ] || [ "$s" = error ] && return 0; sleep 0.3
  done; return 1; }
sha() { sha256sum "$t/$1" | cut -c1-64; }
gate() { c "" "$B/api/v1/gate/$1" | sed '$d' | jq1 decision; }
logsize() { c "" "$B/api/v1/log/sth" | sed '$d' | jq1 tree_size; }

pass=$(submit "$SUB" clean.bin pr 1); failed=$(submit "$SUB" planted.bin rt 1)
rev=$(submit "$SUB" review.bin rv 1); rev2=$(submit "$SUB" review.bin rw 1)
own=$(submit "$ADM" review.bin own 1)
for s in $pass $failed $rev $rev2 $own; do wait_done "$s"; done
check "the three images get pass, fail and review" \
  '[ "$(c "$R1" "$B/api/v1/submissions/$pass" | sed "\$d" | jq1 verdict)" = pass ] &&
   [ "$(c "$R1" "$B/api/v1/submissions/$failed" | sed "\$d" | jq1 verdict)" = fail ] &&
   [ "$(c "$R1" "$B/api/v1/submissions/$rev" | sed "\$d" | jq1 verdict)" = review ]'

check "gate: a pass is approved, a fail rejected, a review pending, unseen bytes unknown" \
  '[ "$(gate "$(sha clean.bin)")" = approved ] && [ "$(gate "$(sha planted.bin)")" = rejected ] &&
   [ "$(gate "$(sha review.bin)")" = pending ] && [ "$(gate "$(sha never.bin)")" = unknown ]'
check "gate: a malformed digest is 400" '[ "$(status "$(c "" "$B/api/v1/gate/XYZ")")" = 400 ]'
"$POSTERN" gate --server "$B" "$t/clean.bin" > "$t/g.out"; g1=$?
"$POSTERN" gate --server "$B" "$t/planted.bin" > /dev/null; g2=$?
"$POSTERN" gate --server "$B" "$t/review.bin" > /dev/null; g3=$?
"$POSTERN" gate --server "$B" "$t/never.bin" > /dev/null; g4=$?
check "postern gate exits 0 approved, 1 rejected, 2 pending, 2 unknown" \
  '[ "$g1$g2$g3$g4" = 0122 ] && grep -q "^approved: .*clean.bin is pr 1" "$t/g.out"'
closed=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$POSTERN" gate --server "http://127.0.0.1:$closed" "$t/clean.bin" 2> /dev/null; g5=$?
"$POSTERN" gate --server "$B" "$t/missing.bin" 2> /dev/null; g6=$?
check "postern gate: 69 on a closed port, 66 for a missing file" '[ "$g5" = 69 ] && [ "$g6" = 66 ]'

"$POSTERN" log check --server "$B" --state "$t/state.json" --log-key "$D/keys/service.pub" \
  > /dev/null 2>&1; l0=$?
check "the pass's automatic approval is the log's first leaf; log check keeps that head" \
  '[ "$(logsize)" = 1 ] && [ "$l0" = 0 ] && [ "$(jq1 tree_size < "$t/state.json")" = 1 ] &&
   [ "$(c "$R1" "$B/api/v1/submissions/$pass" | sed "\$d" | jq1 review.decided.by)" = policy ] &&
   [ "$(c "$R1" "$B/api/v1/submissions/$pass" | sed "\$d" | jq1 review.decided.log_index)" = 0 ]'
# the gate's attestation for the pass is that leaf: verify proves it
"$POSTERN" gate --server "$B" --attestation "$t/pass.att" "$t/clean.bin" > /dev/null
pleaf=$($PY -c 'import hashlib, sys; print(hashlib.sha256(b"\0" + open(sys.argv[1], "rb").read()).hexdigest())' "$t/pass.att")
curl -s -o "$t/pass.proof" "$B/api/v1/log/proof/inclusion?leaf=$pleaf"
check "the gate's approved for a pass is provable: its attestation is in the log, by policy" \
  '"$POSTERN" verify --attestation "$t/pass.att" --log-proof "$t/pass.proof" \
     --log-key "$D/keys/service.pub" "$t/clean.bin" | grep -q "transparency log" &&
   $PY - "$t/pass.att" <<"P"
import base64, json, sys
st = json.loads(base64.b64decode(json.load(open(sys.argv[1]))["payload"]))
d = st["predicate"]["decision"]
assert st["predicate"]["verdict"] == "pass" and d["decision"] == "approved", d
assert [x["role"] for x in d["decidedBy"]] == ["policy"], d
P'

check "four eyes: a decision on one's own submission is 403" \
  '[ "$(status "$(decide "$ADM" "$own" approve)")" = 403 ]'
check "four eyes per person: another token of the submitter's person is 403 too" \
  '[ "$(status "$(decide "$OPSR" "$own" approve)")" = 403 ] &&
   [ "$(status "$(waive "$OPSR" "$own" service.telnet "*" 2099-12-31)")" = 403 ] &&
   decide "$OPSR" "$own" approve | grep -q "same person"'
check "four eyes: a waiver on one's own submission is 403" \
  '[ "$(status "$(waive "$ADM" "$own" service.telnet "*" 2099-12-31)")" = 403 ]'
check "submitters and auditors do not decide (403)" \
  '[ "$(status "$(decide "$SUB" "$rev" approve)")" = 403 ] &&
   [ "$(status "$(decide "$AUD" "$rev" approve)")" = 403 ]'
check "a malformed decision is 400, an unknown submission 404, a pass 409" \
  '[ "$(status "$(decide "$R1" "$rev" maybe)")" = 400 ] &&
   [ "$(status "$(c "$R1" -H "Content-Type: application/json" -d "[1]" \
       "$B/api/v1/submissions/$rev/decision")")" = 400 ] &&
   [ "$(status "$(decide "$R1" 0123456789abcdef0123456789abcdef approve)")" = 404 ] &&
   [ "$(status "$(decide "$R1" "$pass" approve)")" = 409 ]'
check "a decision that is not JSON is 415" \
  '[ "$(status "$(c "$R1" -d x "$B/api/v1/submissions/$rev/decision")")" = 415 ]'
check "nothing of that reached the log" '[ "$(logsize)" = 1 ]'

a=$(decide "$R1" "$rev" approve "telnet is firewalled on this model")
check "one reviewer decides a review: 200, approved, final" \
  '[ "$(status "$a")" = 200 ] && [ "$(body "$a" | jq1 decision)" = approved ] &&
   [ "$(body "$a" | jq1 final)" = true ] && [ "$(body "$a" | jq1 decided.by)" = reviewer ]'
check "the log grew by one; the gate says approved; postern gate exits 0" \
  '[ "$(logsize)" = 2 ] && [ "$(gate "$(sha review.bin)")" = approved ] &&
   "$POSTERN" gate --server "$B" "$t/review.bin" > /dev/null'
check "a decided submission is 409 and the log stays" \
  '[ "$(status "$(decide "$R2" "$rev" reject)")" = 409 ] && [ "$(logsize)" = 2 ]'
check "the recorded scan is unchanged: verdict review, the same report" \
  '[ "$(c "$R1" "$B/api/v1/submissions/$rev" | sed "\$d" | jq1 verdict)" = review ]'

a=$(decide "$R1" "$failed" approve "the shell is the lab console")
check "overriding a fail: the first approval is 202, one more needed, still rejected" \
  '[ "$(status "$a")" = 202 ] && [ "$(body "$a" | jq1 approvals_needed)" = 1 ] &&
   [ "$(gate "$(sha planted.bin)")" = rejected ] && [ "$(logsize)" = 2 ]'
check "four eyes: the same reviewer approving the fail again is 403" \
  '[ "$(status "$(decide "$R1" "$failed" approve)")" = 403 ] && [ "$(logsize)" = 2 ]'
check "four eyes per person: the same person's other token cannot be the second approval" \
  '[ "$(status "$(decide "$R1B" "$failed" approve)")" = 403 ] && [ "$(logsize)" = 2 ] &&
   [ "$(gate "$(sha planted.bin)")" = rejected ] &&
   [ "$(c "$R1" "$B/api/v1/submissions/$failed" | sed "\$d" | jq1 review.approvals_needed)" = 1 ]'
a=$(decide "$R2" "$failed" approve "agreed: lab console only")
check "a second person overrides the fail: approved by reviewer+reviewer, log 3" \
  '[ "$(status "$a")" = 200 ] && [ "$(body "$a" | jq1 decided.by)" = reviewer+reviewer ] &&
   [ "$(gate "$(sha planted.bin)")" = approved ] && [ "$(logsize)" = 3 ]'
check "the overridden scan still says fail" \
  '[ "$(c "$R1" "$B/api/v1/submissions/$failed" | sed "\$d" | jq1 verdict)" = fail ] &&
   c "$R1" "$B/api/v1/submissions/$failed/report" | sed "\$d" | jq1 verdict | grep -qx fail'

# the final decision's attestation is in the log, and verify proves it
curl -s -H "Authorization: Bearer $R1" -o "$t/rev.att" "$B/api/v1/submissions/$rev/decision"
leaf=$($PY -c 'import hashlib, sys; print(hashlib.sha256(b"\0" + open(sys.argv[1], "rb").read()).hexdigest())' "$t/rev.att")
curl -s -o "$t/rev.proof" "$B/api/v1/log/proof/inclusion?leaf=$leaf"
check "the decision's attestation verifies and is in the log (verify --log-proof)" \
  '"$POSTERN" verify --attestation "$t/rev.att" --log-proof "$t/rev.proof" \
     --log-key "$D/keys/service.pub" --allow-review "$t/review.bin" | grep -q "transparency log"'
check "it records the decision, the deciders' role and the justification's digest" \
  '$PY - "$t/rev.att" <<"P"
import base64, hashlib, json, sys
st = json.loads(base64.b64decode(json.load(open(sys.argv[1]))["payload"]))
d = st["predicate"]["decision"]
assert st["predicate"]["verdict"] == "review" and d["decision"] == "approved", d
assert d["decidedBy"][0]["role"] == "reviewer"
want = hashlib.sha256(b"telnet is firewalled on this model").hexdigest()
assert d["decidedBy"][0]["justificationDigest"]["sha256"] == want
P'
"$POSTERN" gate --server "$B" --attestation "$t/gate.att" "$t/planted.bin" > /dev/null
check "postern gate --attestation saves the override's attestation; it verifies" \
  '"$POSTERN" verify --attestation "$t/gate.att" --log-key "$D/keys/service.pub" \
     --any-verdict "$t/planted.bin" > /dev/null'
check "a tampered attestation is not in the log" \
  '! "$POSTERN" verify --attestation <(sed "s/payload/payl0ad/" "$t/rev.att") \
     --log-proof "$t/rev.proof" --log-key "$D/keys/service.pub" --allow-review \
     "$t/review.bin" > /dev/null 2>&1'
check "log entries list the attestations by index" \
  '[ "$(c "" "$B/api/v1/log/entries?start=0&end=10" | sed "\$d" | jq1 entries.2.index)" = 2 ] &&
   cmp -s <(curl -s "$B/api/v1/log/entries?start=1&end=2" | $PY -c "import json, sys
sys.stdout.write(json.load(sys.stdin)[\"entries\"][0][\"entry\"])") "$t/rev.att" &&
   cmp -s <(curl -s "$B/api/v1/log/entries?start=0&end=1" | $PY -c "import json, sys
sys.stdout.write(json.load(sys.stdin)[\"entries\"][0][\"entry\"])") "$t/pass.att"'
curl -s "$B/api/v1/openapi.json" > "$t/openapi.json"
curl -s "$B/api/v1/gate/$(sha planted.bin)" > "$t/gate.json"
c "$R1" "$B/api/v1/submissions/$failed" | sed '$d' > "$t/sub.json"
curl -s "$B/api/v1/log/sth" > "$t/sth.json"
check "the OpenAPI document names the new routes and the answers match its schemas" \
  '$PY - "$t" <<"P"
import json, sys, jsonschema
t = sys.argv[1]
d = json.load(open(t + "/openapi.json"))
want = {"/api/v1/submissions/{id}/decision": ("get", "post"), "/api/v1/submissions/{id}/waivers": ("post",),
        "/api/v1/gate/{sha256}": ("get",), "/api/v1/log/sth": ("get",), "/api/v1/log/entries": ("get",),
        "/api/v1/log/proof/inclusion": ("get",), "/api/v1/log/proof/consistency": ("get",)}
for p, ms in want.items():
    for m in ms:
        assert d["paths"][p][m]["responses"], (p, m)
def check(file, name):
    schema = {"$ref": "#/components/schemas/" + name, "components": d["components"]}
    jsonschema.Draft202012Validator(schema).validate(json.load(open(t + "/" + file)))
check("gate.json", "Gate"); check("sth.json", "TreeHead")
check("sub.json", "Submission")
sub = json.load(open(t + "/sub.json"))
jsonschema.Draft202012Validator({"$ref": "#/components/schemas/Review", "components": d["components"]}).validate(sub["review"])
assert d["paths"]["/api/v1/gate/{sha256}"]["get"]["security"] == [{"bearer": []}, {}]
P'
check "a consistency proof beyond the log is 404, a reversed one 400" \
  '[ "$(status "$(c "" "$B/api/v1/log/proof/consistency?first=1&second=9")")" = 404 ] &&
   [ "$(status "$(c "" "$B/api/v1/log/proof/consistency?first=2&second=1")")" = 400 ]'

# waivers: for the next versions, until they expire
check "a waiver with a bad or past expiry, or no justification, is 400" \
  '[ "$(status "$(waive "$R1" "$failed" service.unauthenticated-shell "*" 2001-01-01)")" = 400 ] &&
   [ "$(status "$(waive "$R1" "$failed" service.unauthenticated-shell "*" 2099-02-30)")" = 400 ] &&
   [ "$(status "$(waive "$R1" "$failed" "bad rule!" "*" 2099-12-31)")" = 400 ]'
w=$(waive "$R1" "$failed" service.unauthenticated-shell "*!/etc/inittab" 2099-12-31)
check "a reviewer waives the fail's finding for the product: 201" \
  '[ "$(status "$w")" = 201 ] && [ "$(body "$w" | jq1 product)" = rt ]'
check "the submission shows its waiver and its scan is unchanged" \
  '[ "$(c "$R1" "$B/api/v1/submissions/$failed" | sed "\$d" | jq1 review.waivers.0.rule)" = \
     service.unauthenticated-shell ] &&
   [ "$(c "$R1" "$B/api/v1/submissions/$failed" | sed "\$d" | jq1 verdict)" = fail ]'
v2=$(submit "$SUB" planted.bin rt 2); wait_done "$v2"
check "the next version's scan sees the waiver: a new job, pass, the finding waived" \
  '[ "$(c "$R1" "$B/api/v1/submissions/$v2" | sed "\$d" | jq1 verdict)" = pass ] &&
   [ "$(logsize)" = 4 ] &&
   c "$R1" "$B/api/v1/submissions/$v2/report" | sed "\$d" | $PY -c "import json, sys
d = json.load(sys.stdin)
f = [x for x in d[\"findings\"] if x[\"rule\"] == \"service.unauthenticated-shell\"]
assert f and all(x.get(\"waiver\") for x in f), f"'
check "another product does not get the waiver" \
  'o=$(submit "$SUB" planted.bin other 1); wait_done "$o" &&
   [ "$(c "$R1" "$B/api/v1/submissions/$o" | sed "\$d" | jq1 verdict)" = fail ]'
$PY - "$D/postern.db" <<'P'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); db.execute("UPDATE waivers SET expires = '2001-01-01'"); db.commit()
P
v3=$(submit "$SUB" planted.bin rt 3); wait_done "$v3"
check "once expired, the waiver no longer applies: the next version fails again" \
  '[ "$(c "$R1" "$B/api/v1/submissions/$v3" | sed "\$d" | jq1 verdict)" = fail ]'

check "every decision and waiver is in the audit chain, which verifies" \
  '"$POSTERN" admin --data "$D" audit verify > /dev/null &&
   [ "$($PY -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
     \"SELECT count(*) FROM audit WHERE action LIKE \x27decision.%\x27 OR action = \x27waiver.add\x27\"
     ).fetchone()[0])" "$D/postern.db")" = 8 ] &&
   [ "$($PY -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
     \"SELECT count(*) FROM audit WHERE actor = \x27policy\x27 AND action = \x27decision.final\x27\"
     ).fetchone()[0])" "$D/postern.db")" = 2 ]'

# the log only grew: log check --server accepts it, then catches a rewrite
"$POSTERN" log check --server "$B" --state "$t/state.json" --log-key "$D/keys/service.pub" \
  > /dev/null 2>&1; l1=$?
check "log check --server: the grown log extends the kept head (state now 4)" \
  '[ "$l1" = 0 ] && [ "$(jq1 tree_size < "$t/state.json")" = 4 ]'
$PY - "$D/postern.db" <<'P'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
forged = b"a decision nobody made\n"
db.execute("UPDATE tlog_leaf SET entry = ?, hash = ? WHERE idx = 0",
           (forged, hashlib.sha256(b"\0" + forged).hexdigest()))
db.execute("DELETE FROM tlog_node"); db.commit()
P
a=$(decide "$R1" "$rev2" reject "telnet must not ship")
check "a rejection is final at once; the log grows to 5" \
  '[ "$(status "$a")" = 200 ] && [ "$(logsize)" = 5 ] &&
   [ "$(gate "$(sha review.bin)")" = rejected ]'
"$POSTERN" log check --server "$B" --state "$t/state.json" --log-key "$D/keys/service.pub" \
  > /dev/null 2> "$t/check.err"; l2=$?
check "log check --server reports the rewritten history with exit 1, state kept" \
  '[ "$l2" = 1 ] && [ "$(jq1 tree_size < "$t/state.json")" = 4 ]'

stop
serve
check "without --public-gate the gate and the log need a token" \
  '[ "$(status "$(c "" "$B/api/v1/gate/$(sha clean.bin)")")" = 401 ] &&
   [ "$(status "$(c "" "$B/api/v1/log/sth")")" = 401 ] &&
   [ "$(c "$AUD" "$B/api/v1/gate/$(sha clean.bin)" | sed "\$d" | jq1 decision)" = approved ]'
POSTERN_TOKEN=$AUD "$POSTERN" gate --server "$B" "$t/clean.bin" > /dev/null; g7=$?
"$POSTERN" gate --server "$B" "$t/clean.bin" > /dev/null 2>&1; g8=$?
check "postern gate takes POSTERN_TOKEN (0); without a token 77" '[ "$g7" = 0 ] && [ "$g8" = 77 ]'
check "a submitter's gate sees only its tenant" \
  'o=$(submit "$ADM" never.bin x 1) && [ "$(c "$SUB" "$B/api/v1/gate/$(sha never.bin)" | sed "\$d" |
     jq1 decision)" = unknown ]'
stop
exit $fail
