#!/usr/bin/env bash
# The vetting service on SQLite (issue 16, docs/service.md): `postern serve` on
# a free 127.0.0.1 port with two local workers, driven with curl.
#  - the clean router image (make demo's) and one with a telnet root shell
#    planted get the CLI's verdicts; every report format downloads as the same
#    bytes `postern scan --no-run` writes; the attestation verifies with
#    `postern verify` against the service's published key;
#  - the same bytes again (another tenant) are not scanned again;
#  - another tenant's submission is a 404; no or a revoked token 401; a wrong
#    role 403; a token over its rate 429;
#  - malformed requests (bad names, no body, wrong type, oversized headers, a
#    body over the limit, an upload cut off halfway) get a JSON error and
#    leave no blob and no submission behind;
#  - a worker killed (-9) mid-scan loses its lease and the job still ends
#    done once; a scan that crashes on every attempt ends error after 3;
#  - the audit chain verifies, refuses UPDATE, and a forged row is found.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
command -v curl > /dev/null || { echo "skip - curl missing (scripts/install-deps)"; exit 77; }
t=$(mktemp -d)
spid=""
cleanup() { [ -n "$spid" ] && kill "$spid" 2> /dev/null && wait "$spid" 2> /dev/null; rm -rf "$t"; }
trap cleanup EXIT
PY=/usr/bin/python3
D=$t/data
plant='printf "::respawn:/usr/sbin/telnetd -F -l /bin/sh\n" >> etc/inittab'

bash "$SRC/scripts/make-router-image" "$t/clean.bin" 2> /dev/null || { echo "not ok - clean image"; exit 1; }
bash "$SRC/scripts/make-router-image" --plant "$plant" "$t/planted.bin" 2> /dev/null ||
  { echo "not ok - planted image"; exit 1; }

tok() { "$POSTERN" admin --data "$D" token create "$@" 2> /dev/null; }
ADM=$(tok --role admin --name ops); ACME=$(tok --role submitter --tenant acme)
OTHER=$(tok --role submitter --tenant other); REV=$(tok --role reviewer)
AUD=$(tok --role auditor); BURST=$(tok --role submitter --tenant burst --name burst)
GONE=$(tok --role submitter --tenant acme --name gone)
check "tokens are printed once, 256-bit" '[[ $ACME =~ ^pst_[0-9a-f]{64}$ ]]'
check "only their SHA-256 is stored" '! grep -qa "${ACME#pst_}" "$D/postern.db"'
gone_id=$("$POSTERN" admin --data "$D" token list | awk -F'\t' '$4 == "gone" {print $1}')
"$POSTERN" admin --data "$D" token revoke "$gone_id" > /dev/null
check "token list shows roles, tenants and the revoked one" \
  '"$POSTERN" admin --data "$D" token list | grep -q "	gone	.*revoked" &&
   "$POSTERN" admin --data "$D" token list | grep -q "submitter	acme"'

port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
B=http://127.0.0.1:$port
POSTERN_TEST_CRASH_SCAN=crash.bin "$POSTERN" serve --data "$D" --listen 127.0.0.1:$port --workers 2 \
  --max-upload 30M --lease 4 --rate 10 --burst 30 2> "$t/serve.log" &
spid=$!
for i in $(seq 50); do curl -sf "$B/healthz" > /dev/null && break; sleep 0.2; done
check "serve answers /healthz" 'curl -sf "$B/healthz" | grep -q ok'
curl -s "$B/api/v1/openapi.json" > "$t/openapi.json"
check "the OpenAPI 3.1 document is served and names every route, method and error status" \
  '$PY - "$t/openapi.json" "$SRC/src/service/api.c" <<"P"
import json, re, sys
d = json.load(open(sys.argv[1]))
assert d["openapi"] == "3.1.0" and d["info"]["title"] and d["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
want = {"/api/v1/submissions": "post", "/api/v1/submissions/{id}": "get", "/api/v1/submissions/{id}/report": "get",
        "/api/v1/submissions/{id}/attestation": "get", "/api/v1/submissions/{id}/diff": "get", "/api/v1/keys": "get", "/api/v1/products": "get",
        "/api/v1/products/{name}": "get", "/healthz": "get", "/metrics": "get", "/api/v1/openapi.json": "get"}
for p, m in want.items():
    assert m in d["paths"][p] and d["paths"][p][m]["responses"], p
def refs(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == "$ref":
                node = d
                for part in v[2:].split("/"): node = node[part]
            refs(v)
    elif isinstance(o, list):
        for v in o: refs(v)
refs(d)
codes = set(re.findall(r"svc_error\(c, (\d{3})", open(sys.argv[2]).read()))
documented = {c for p in d["paths"].values() for op in p.values() for c in op["responses"]}
assert codes <= documented, codes - documented
P'

# c TOKEN ARGS...: curl with a token, prints the body then the status line
c() { local k=$1; shift; curl -s -w '\n%{http_code}' ${k:+-H "Authorization: Bearer $k"} "$@"; }
code() { tail -n1 <<< "$1"; }
body() { sed '$d' <<< "$1"; }
field() { $PY -c 'import json,sys; v=json.loads(sys.stdin.read()).get(sys.argv[1]); print("" if v is None else v)' "$1"; }
submit() { c "$1" -H 'Content-Type: application/octet-stream' --data-binary "@$2" "$B/api/v1/submissions?$3"; }
wait_done() {
  local s
  for i in $(seq 300); do
    s=$(body "$(c "$1" "$B/api/v1/submissions/$2")" | field status)
    [ "$s" = done ] || [ "$s" = error ] && break
    sleep 1
  done
  echo "$s"
}

r=$(submit "$ACME" "$t/clean.bin" "product=router&version=1.0&name=clean.bin")
check "submission accepted: 201 queued" '[ "$(code "$r")" = 201 ] && [ "$(body "$r" | field status)" = queued ]'
clean_id=$(body "$r" | field id)
check "sha256 computed on the way in" '[ "$(body "$r" | field sha256)" = "$(sha256sum < "$t/clean.bin" | cut -c1-64)" ]'
r=$(submit "$ACME" "$t/planted.bin" "product=router&version=1.1&name=planted.bin")
planted_id=$(body "$r" | field id)
check "blobs are content-addressed" '[ -f "$D/blobs/$(sha256sum < "$t/planted.bin" | cut -c1-64)" ]'

# kill a worker in the middle of the planted scan: its lease expires, the job runs again
for i in $(seq 100); do
  [ "$(body "$(c "$ACME" "$B/api/v1/submissions/$planted_id")" | field status)" = running ] && break
  sleep 0.2
done
victim=$($PY - "$D/postern.db" "$planted_id" <<'P'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
w = db.execute("SELECT j.worker FROM jobs j JOIN submissions s ON s.job_key = j.key WHERE s.id = ?",
               (sys.argv[2],)).fetchone()[0]
print(w.split(":")[-1] if w else "")
P
)
[ -n "$victim" ] && kill -9 "$victim"
check "a worker holding the planted job was killed" '[ -n "$victim" ]'

check "clean image scanned: done" '[ "$(wait_done "$ACME" "$clean_id")" = done ]'
check "planted image scanned: done" '[ "$(wait_done "$ACME" "$planted_id")" = done ]'
"$POSTERN" scan "$t/clean.bin" -f json --no-run -o "$t/clean.cli.json" 2> /dev/null
"$POSTERN" scan "$t/planted.bin" -f json --no-run -o "$t/planted.cli.json" 2> /dev/null
cli_verdict() { $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$1"; }
check "clean verdict equals the CLI's" \
  '[ "$(body "$(c "$ACME" "$B/api/v1/submissions/$clean_id")" | field verdict)" = "$(cli_verdict "$t/clean.cli.json")" ]'
check "planted verdict equals the CLI's (fail)" \
  '[ "$(body "$(c "$ACME" "$B/api/v1/submissions/$planted_id")" | field verdict)" = fail ] &&
   [ "$(cli_verdict "$t/planted.cli.json")" = fail ]'
attempts=$($PY -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT attempts FROM jobs j JOIN submissions s ON s.job_key = j.key WHERE s.id = ?", (sys.argv[2],)).fetchone()[0])' "$D/postern.db" "$planted_id")
check "the killed worker's job ran again (attempt 2), done once" '[ "$attempts" = 2 ]'
for f in json sarif html cyclonedx; do
  curl -s -H "Authorization: Bearer $ACME" -o "$t/svc.$f" "$B/api/v1/submissions/$planted_id/report?format=$f"
  "$POSTERN" scan "$t/planted.bin" -f $f --no-run -o "$t/cli.$f" 2> /dev/null
  check "report $f: the bytes postern scan --no-run gives" 'cmp -s "$t/svc.$f" "$t/cli.$f"'
done
check "clean report json equals the CLI's" \
  'curl -s -H "Authorization: Bearer $ACME" "$B/api/v1/submissions/$clean_id/report" | cmp -s - "$t/clean.cli.json"'
r=$(c "$ACME" "$B/api/v1/submissions/$clean_id/report?format=pdf")
check "unknown report format: 400" '[ "$(code "$r")" = 400 ] && [ "$(body "$r" | field error)" = "bad request" ]'

c "$ACME" "$B/api/v1/keys" | sed '$d' | $PY -c 'import json,sys; open(sys.argv[1],"w").write(json.load(sys.stdin)["keys"][0]["public_key"])' "$t/svc.pub"
curl -s -H "Authorization: Bearer $ACME" -o "$t/planted.att" "$B/api/v1/submissions/$planted_id/attestation"
curl -s -H "Authorization: Bearer $ACME" -o "$t/clean.att" "$B/api/v1/submissions/$clean_id/attestation"
"$POSTERN" verify --any-verdict --key "$t/svc.pub" --attestation "$t/planted.att" "$t/planted.bin" > /dev/null; rc=$?
check "planted attestation verifies with the service key" '[ $rc -eq 0 ]'
"$POSTERN" verify --key "$t/svc.pub" --attestation "$t/planted.att" "$t/planted.bin" 2> /dev/null; rc=$?
check "... and says fail is not accepted (4)" '[ $rc -eq 4 ]'
"$POSTERN" verify --any-verdict --key "$t/svc.pub" --attestation "$t/clean.att" "$t/planted.bin" 2> /dev/null; rc=$?
check "clean attestation does not verify the planted image (3)" '[ $rc -eq 3 ]'

# The diff against the product's previous version: 1.1 (planted) against 1.0
# (clean), the bytes `postern diff -f json` gives on files of those names.
(cd "$t" && "$POSTERN" diff -f json clean.bin planted.bin > "$t/cli.diff" 2> /dev/null)
getf() { curl -s -o "$3" -w '%{http_code}' -H "Authorization: Bearer $1" "$2"; }
r=$(getf "$ACME" "$B/api/v1/submissions/$planted_id/diff" "$t/svc.diff")
check "diff: 200, the bytes postern diff gives" '[ "$r" = 200 ] && cmp -s "$t/svc.diff" "$t/cli.diff"'
check "diff shows the planted change: inittab changed, the telnet shell new, verdict fail" \
  '$PY -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"verdict\"] == \"fail\" and d[\"old\"][\"name\"] == \"clean.bin\"; assert [f[\"inner\"] for f in d[\"files\"][\"changed\"]] == [\"!squashfs!/etc/inittab\"]; assert \"service.unauthenticated-shell\" in [f[\"rule\"] for f in d[\"findings\"][\"new\"]]" "$t/svc.diff"'
r=$(getf "$AUD" "$B/api/v1/submissions/$planted_id/diff" "$t/svc2.diff")
ndiff=$($PY -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM reports WHERE format LIKE ?", ("diff:%",)).fetchone()[0])' "$D/postern.db")
check "diff computed once: asked again (an auditor), the stored one" \
  '[ "$r" = 200 ] && cmp -s "$t/svc2.diff" "$t/cli.diff" && [ "$ndiff" = 1 ]'
r=$(c "$ACME" "$B/api/v1/submissions/$clean_id/diff")
check "diff of a first version: 404" '[ "$(code "$r")" = 404 ] && [ "$(body "$r" | field error)" = "not found" ]'
check "diff of another tenant's submission: 404" \
  '[ "$(code "$(c "$OTHER" "$B/api/v1/submissions/$planted_id/diff")")" = 404 ]'

r=$(submit "$OTHER" "$t/clean.bin" "product=gw&version=2")
other_id=$(body "$r" | field id)
check "same bytes, rules and policy: not scanned again" \
  '[ "$(code "$r")" = 201 ] && [ "$(body "$r" | field status)" = done ] &&
   [ "$(body "$r" | field deduplicated)" = True ] && [ "$other_id" != "$clean_id" ]'
check "another tenant's submission is a 404" \
  '[ "$(code "$(c "$OTHER" "$B/api/v1/submissions/$clean_id")")" = 404 ] &&
   [ "$(code "$(c "$OTHER" "$B/api/v1/submissions/$clean_id/report")")" = 404 ] &&
   [ "$(code "$(c "$ACME" "$B/api/v1/submissions/$other_id")")" = 404 ]'
check "another tenant's product is a 404, its list hides it" \
  '[ "$(code "$(c "$OTHER" "$B/api/v1/products/router")")" = 404 ] &&
   ! c "$OTHER" "$B/api/v1/products" | grep -q router'
check "an auditor sees every tenant" \
  '[ "$(code "$(c "$AUD" "$B/api/v1/submissions/$clean_id")")" = 200 ] &&
   c "$AUD" "$B/api/v1/products" | grep -q "\"gw\"" && c "$AUD" "$B/api/v1/products" | grep -q router'
check "products/{name} lists versions with verdicts" \
  'c "$ACME" "$B/api/v1/products/router" | sed "\$d" | $PY -c "import json,sys; d=json.load(sys.stdin); assert [(v[\"version\"], v[\"verdict\"]) for v in d[\"versions\"]][1] == (\"1.1\", \"fail\")"'

check "no token: 401 with a JSON error" \
  'r=$(c "" "$B/api/v1/products"); [ "$(code "$r")" = 401 ] && [ "$(body "$r" | field error)" = unauthorized ]'
check "an unknown token: 401" '[ "$(code "$(c "pst_$(printf %064d 0)" "$B/api/v1/products")")" = 401 ]'
check "a revoked token: 401" '[ "$(code "$(c "$GONE" "$B/api/v1/products")")" = 401 ]'
check "a reviewer cannot submit: 403" '[ "$(code "$(submit "$REV" "$t/clean.bin" "product=x&version=1")")" = 403 ]'
check "a submitter cannot read metrics: 403" '[ "$(code "$(c "$ACME" "$B/metrics")")" = 403 ]'
m=$(c "$AUD" "$B/metrics")
check "metrics: Prometheus text with jobs, queue depth, scan seconds" \
  '[ "$(code "$m")" = 200 ] && grep -q "^postern_jobs{state=\"done\"} 2" <<< "$m" &&
   grep -q "^postern_queue_depth " <<< "$m" && grep -q "^postern_scan_seconds_count 2" <<< "$m"'

# Malformed requests: a clear error each, and nothing stored.
nblobs() { ls "$D/blobs" | wc -l; }
nsubs() { c "$AUD" "$B/metrics" | sed -n 's/^postern_submissions_total //p'; }
b0=$(nblobs); s0=$(nsubs)
"$SRC"/tests/tools/randbytes 70000 service1 > "$t/small.bin"
check "bad product name: 400" '[ "$(code "$(submit "$ACME" "$t/small.bin" "product=../etc&version=1")")" = 400 ]'
check "missing version: 400" '[ "$(code "$(submit "$ACME" "$t/small.bin" "product=x")")" = 400 ]'
check "bad file name: 400" '[ "$(code "$(submit "$ACME" "$t/small.bin" "product=x&version=1&name=a/b")")" = 400 ]'
check "missing body: 400" \
  '[ "$(code "$(c "$ACME" -X POST -H "Content-Type: application/octet-stream" "$B/api/v1/submissions?product=x&version=1")")" = 400 ]'
check "wrong content type: 415" \
  '[ "$(code "$(c "$ACME" -H "Content-Type: application/json" --data-binary @"$t/small.bin" "$B/api/v1/submissions?product=x&version=1")")" = 415 ]'
big=$(head -c 40000 /dev/zero | tr '\0' a)
check "oversized headers: refused (431)" \
  '[ "$(code "$(c "$ACME" -H "X-Big: $big" "$B/api/v1/products")")" = 431 ]'
head -c 32000000 /dev/zero > "$t/big.bin"
r=$(submit "$ACME" "$t/big.bin" "product=x&version=1")
check "a body over --max-upload: 413 (declared length)" '[ "$(code "$r")" = 413 ]'
r=$(c "$ACME" -H "Content-Type: application/octet-stream" -H "Transfer-Encoding: chunked" \
      --data-binary @"$t/big.bin" "$B/api/v1/submissions?product=x&version=1")
check "a body over --max-upload: 413 (chunked, counted as it streams)" '[ "$(code "$r")" = 413 ]'
rm -f "$t/big.bin"
$PY - "$port" "$ACME" <<'P'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(("POST /api/v1/submissions?product=cut&version=1 HTTP/1.1\r\nHost: x\r\n"
           "Authorization: Bearer %s\r\nContent-Type: application/octet-stream\r\n"
           "Content-Length: 1000000\r\n\r\n" % sys.argv[2]).encode() + b"x" * 300000)
s.close()
P
sleep 1
check "malformed requests and a cut upload left no blob, no submission" \
  '[ "$(nblobs)" = "$b0" ] && [ "$(nsubs)" = "$s0" ]'
check "unknown endpoint: 404 JSON; other methods 405" \
  '[ "$(code "$(c "$ACME" "$B/api/v1/nope")")" = 404 ] &&
   [ "$(code "$(c "$ACME" -X DELETE "$B/api/v1/submissions/$clean_id")")" = 405 ]'
check "a malformed submission id: 404" '[ "$(code "$(c "$ACME" "$B/api/v1/submissions/..%2f..%2fpostern.db")")" = 404 ]'

n429=$($PY - "$port" "$BURST" <<'P'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
n = 0
for i in range(60):
    c.request("GET", "/api/v1/products", headers={"Authorization": "Bearer " + sys.argv[2]})
    r = c.getresponse(); r.read()
    n += r.status == 429
print(n)
P
)
check "a token past its burst gets 429" '[ $n429 -ge 10 ]'
check "... others are not slowed by it" '[ "$(code "$(c "$ACME" "$B/api/v1/products")")" = 200 ]'

r=$(submit "$ACME" "$t/small.bin" "product=crashy&version=1&name=crash.bin")
crash_id=$(body "$r" | field id)
check "a scan that crashes every time ends error" '[ "$(wait_done "$ACME" "$crash_id")" = error ]'
check "... after 3 attempts, with the reason" \
  'body "$(c "$ACME" "$B/api/v1/submissions/$crash_id")" | field detail | grep -q "crashed (signal 6) on attempt 3 of 3"'
r=$(submit "$ACME" "$t/small.bin" "product=router&version=1.2")
r=$(c "$ACME" "$B/api/v1/submissions/$(body "$r" | field id)/diff")
check "diff of a version whose scan ended error: 409, nothing computed" \
  '[ "$(code "$r")" = 409 ] && [ "$(body "$r" | field error)" = "not ready" ]'
check "serve's workers survived all of it" 'c "$ACME" "$B/healthz" > /dev/null && kill -0 $spid'

kill $spid; wait $spid; spid=""
"$POSTERN" admin --data "$D" audit verify > "$t/audit"; rc=$?
check "audit chain intact" '[ $rc -eq 0 ] && grep -q "intact" "$t/audit"'
check "audit has the submissions, leases, retries and results" \
  '$PY -c "import sqlite3,sys; a=[r[0] for r in sqlite3.connect(sys.argv[1]).execute(\"SELECT action FROM audit\")]; assert {\"token.create\",\"token.revoke\",\"submission.create\",\"job.lease\",\"job.done\",\"job.retry\",\"job.error\"} <= set(a), a" "$D/postern.db"'
check "the audit table refuses UPDATE" \
  '! $PY -c "import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute(\"UPDATE audit SET detail = 1\"); d.commit()" "$D/postern.db" 2> /dev/null'
$PY - "$D/postern.db" <<'P'
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
d.execute("DROP TRIGGER audit_no_update")
d.execute("UPDATE audit SET detail = 'forged' WHERE seq = 3")
d.commit()
P
"$POSTERN" admin --data "$D" audit verify > "$t/audit"; rc=$?
check "a forged audit row is found (exit 1, its row)" '[ $rc -eq 1 ] && grep -q "broken at row 3" "$t/audit"'
check "the scratch work directories are gone" '[ -z "$(ls -A "$D/work" 2> /dev/null)" ]'
exit $fail
