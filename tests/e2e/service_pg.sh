#!/usr/bin/env bash
# The vetting service on PostgreSQL (issue 16, docs/service.md): a throwaway
# cluster (tests/tools/pg_cluster.sh: initdb and pg_ctl in a temporary
# directory, a Unix socket only), `postern serve --db URL` (with one local
# worker) and three `postern worker --db URL` processes that share nothing
# but the database (each its own scratch directory).
#  - 60 submissions (58 small tar.gz images made here, a third with a telnet
#    root shell planted, and the two router images, slow enough to be caught
#    mid-scan) from 10 concurrent clients, in two rounds;
#  - the worker holding a router image's lease is killed (-9) mid-scan and
#    `serve` is restarted between the rounds;
#  - every submission ends done exactly once (one job.done per job, none
#    lost, none duplicated) with the CLI's verdict and the same JSON report
#    bytes as `postern scan --no-run`; the images are large objects, none
#    on disk; the audit chain verifies;
#  - the review workflow on PostgreSQL (issue 17): every pass's approval is
#    in the log (decided by policy); two persons override a fail (the same
#    one twice is 403, with this token or another of that person), the gate
#    then says approved, and the log holds the decision: its signed tree
#    head, an inclusion proof that `postern verify --log-proof` accepts,
#    `postern log check --server`;
#  - the web pages on PostgreSQL: the session is a row of the store, the
#    hex view reads the image (a large object) through the peek process.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
command -v curl > /dev/null || { echo "skip - curl missing (scripts/install-deps)"; exit 77; }
command -v psql > /dev/null || { echo "skip - psql missing (scripts/install-deps: postgresql)"; exit 77; }
t=$(mktemp -d)
chmod 0755 "$t" # the cluster runs as nobody when root runs the test
spid="" wpids=()
cleanup() {
  [ -n "$spid" ] && kill "$spid" 2> /dev/null && wait "$spid" 2> /dev/null
  for p in "${wpids[@]}"; do kill "$p" 2> /dev/null; done
  wait 2> /dev/null
  bash "$SRC/tests/tools/pg_cluster.sh" stop "$t/pg"
  rm -rf "$t"
}
trap cleanup EXIT
PY=/usr/bin/python3

U=$(bash "$SRC/tests/tools/pg_cluster.sh" start "$t/pg"); rc=$?
[ $rc = 77 ] && { echo "skip - no PostgreSQL cluster can be made here"; exit 77; }
[ $rc = 0 ] || { echo "not ok - PostgreSQL cluster"; exit 1; }
q() { psql "$U" -XAtqc "$1"; }

# the images: img/NN.tgz (every third planted) and the two router images
mkdir -p "$t/img"
$PY - "$t/img" <<'P'
import io, sys, tarfile
for i in range(58):
    with tarfile.open("%s/i%02d.tgz" % (sys.argv[1], i), "w:gz") as t:
        def add(name, data):
            ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 0; t.addfile(ti, io.BytesIO(data))
        add("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
        shell = b"::respawn:/usr/sbin/telnetd -F -l /bin/sh\n" if i % 3 == 0 else b""
        add("etc/inittab", b"::sysinit:/etc/init.d/rcS\n" + shell)
        add("etc/version", b"build %d\n" % i)
P
bash "$SRC/scripts/make-router-image" "$t/img/big0.bin" 2> /dev/null || { echo "not ok - clean image"; exit 1; }
bash "$SRC/scripts/make-router-image" --plant 'printf "::respawn:/usr/sbin/telnetd -F -l /bin/sh\n" >> etc/inittab' \
  "$t/img/big1.bin" 2> /dev/null || { echo "not ok - planted image"; exit 1; }
# the CLI's JSON for each, made while the service works (below)
cli_all() {
  for f in "$t"/img/*; do
    n=$(basename "$f")
    nice "$POSTERN" scan "$f" -f json --no-run -o "$t/cli.$n.json" 2> /dev/null
  done
}

tok() { "$POSTERN" admin --db "$U" token create "$@" 2> /dev/null; }
ADM=$(tok --role admin --name ops)
for i in $(seq 0 9); do echo "$(tok --role submitter --tenant "t$i")" > "$t/tok.$i"; done
check "admin --db makes tokens in PostgreSQL" \
  '[[ $ADM =~ ^pst_[0-9a-f]{64}$ ]] && [ "$(q "SELECT count(*) FROM tokens")" = 11 ]'

port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
B=http://127.0.0.1:$port
serve() {
  "$POSTERN" serve --db "$U" --data "$t/serve" --listen 127.0.0.1:$port --workers 1 --lease 4 \
    --rate 1000 --burst 1000 2>> "$t/serve.log" &
  spid=$!
  for _ in $(seq 100); do curl -sf "$B/healthz" > /dev/null && return 0; sleep 0.2; done
  return 1
}
check "serve --db postgresql:// answers /healthz" 'serve'
for i in 1 2 3; do
  "$POSTERN" worker --db "$U" --data "$t/w$i" --lease 4 2> "$t/w$i.log" &
  wpids+=($!)
done

# client C ROUND: submits images C+10k of its share, one after the other
images=("$t"/img/big0.bin "$t"/img/big1.bin $(ls "$t"/img/i*.tgz))
client() {
  local c=$1 round=$2 k n f
  for k in 0 1 2; do
    n=$((c + 10 * (k + 3 * round)))
    f=${images[$n]}
    curl -s -w '\t%{http_code}\n' -H "Authorization: Bearer $(cat "$t/tok.$c")" \
      -H 'Content-Type: application/octet-stream' --data-binary @"$f" \
      "$B/api/v1/submissions?product=p$c&version=$n&name=$(basename "$f")" |
      sed "s|^|$(basename "$f")\t|" >> "$t/subs.$c"
  done
}
round() { local cp=() c; for c in $(seq 0 9); do client "$c" "$1" & cp+=($!); done; wait "${cp[@]}"; }
round 0
check "round 1: 30 submissions accepted (201)" '[ "$(cat "$t"/subs.* | grep -c "	201$")" = 30 ]'

# kill -9 the worker that holds a router image's lease, in the middle of its scan
victim="" killed_job=""
for _ in $(seq 150); do
  w=$(q "SELECT worker || ' ' || key FROM jobs WHERE status = 'running' AND filename LIKE 'big%' LIMIT 1")
  [ -n "$w" ] && { killed_job=${w#* }; w=${w%% *}; victim=${w##*:}; break; }
  sleep 0.2
done
check "a worker is caught in the middle of a router image's scan" '[ -n "$victim" ]'
[ -n "$victim" ] && { echo "# kill -9 worker $w (job $killed_job)"; kill -9 "$victim"; }
for i in 0 1 2; do [ "${wpids[$i]}" = "$victim" ] && {
  # a killed external worker: another one takes its place, as an operator would
  wait "$victim" 2> /dev/null # reaped, so the next worker there sweeps its scratch
  "$POSTERN" worker --db "$U" --data "$t/w$((i + 1))" --lease 4 2>> "$t/w$((i + 1)).log" &
  wpids[$i]=$!
}; done

# serve restarted once while jobs are queued and running
kill "$spid"; wait "$spid" 2> /dev/null; spid=""
check "serve restarts on the same database" 'serve'
round 1 &
rpid=$!
cli_all
wait "$rpid"
check "round 2: 60 submissions accepted in all (201), 60 ids" \
  '[ "$(cat "$t"/subs.* | grep -c "	201$")" = 60 ] &&
   [ "$(cut -f2 "$t"/subs.* | $PY -c "import json,sys; print(len({json.loads(l)[\"id\"] for l in sys.stdin}))")" = 60 ]'

for _ in $(seq 600); do
  [ "$(q "SELECT count(*) FROM jobs WHERE status IN ('queued', 'running')")" = 0 ] && break
  sleep 0.5
done
states=$(q "SELECT string_agg(status || count, ',') FROM (SELECT status, count(*) FROM jobs GROUP BY status) s")
check "every job ended done (none queued, running or error): $states" '[ "$states" = done60 ]'
nsub=$(q "SELECT count(*) FROM submissions")
ndone=$(q "SELECT count(DISTINCT object) || '/' || count(*) FROM audit WHERE action = 'job.done'")
check "nothing lost or duplicated: $nsub submissions, job.done $ndone (distinct/all)" \
  '[ "$nsub" = 60 ] && [ "$ndone" = 60/60 ]'
kj=$(q "SELECT attempts || status FROM jobs WHERE key = '${killed_job:-none}'")
kl=$(q "SELECT count(*) FROM audit WHERE action = 'job.lease' AND object = '${killed_job:-none}'")
check "the killed worker's job ran again (attempt 2) and was stored once: $kj, $kl leases" \
  '[ "$kj" = 2done ] && [ "$kl" = 2 ]'
# on a failure, what the store and the workers said about that job
if [ "$kj" != 2done ]; then
  q "SELECT seq, at, action, actor, detail FROM audit WHERE object = '${killed_job:-none}'
     ORDER BY seq" | sed 's/^/# audit: /'
  q "SELECT status, attempts, error FROM jobs WHERE key = '${killed_job:-none}'" | sed 's/^/# job: /'
  grep -h "postern: worker" "$t"/*.log | sed 's/^/# log: /'
fi

# each submission's status, verdict and JSON report against the CLI's
get() { curl -s -H "Authorization: Bearer $ADM" "$B$1"; }
bad=0
while IFS=$'\t' read -r n body code; do
  id=$($PY -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$body")
  s=$(get "/api/v1/submissions/$id")
  want=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$t/cli.$n.json")
  got=$($PY -c 'import json,sys; d = json.loads(sys.argv[1]); print(d["status"], d["verdict"])' "$s")
  get "/api/v1/submissions/$id/report?format=json" > "$t/svc.json"
  if [ "$got" != "done $want" ] || ! cmp -s "$t/svc.json" "$t/cli.$n.json"; then
    echo "# $n: service says '$got', the CLI '$want'"; bad=$((bad + 1))
  fi
done < <(cat "$t"/subs.*)
check "all 60: done with the CLI's verdict and report bytes" '[ $bad = 0 ]'
nverd=$(q "SELECT count(DISTINCT verdict) FROM jobs")
check "clean and planted images both among them ($nverd verdicts)" '[ "$nverd" -ge 2 ]'
nblob=$(q "SELECT count(*) FROM blobs WHERE lo IS NOT NULL")/$(q "SELECT count(*) FROM pg_largeobject_metadata")
left=$(find "$t/serve" "$t"/w? -type f ! -path "*/keys/*" 2> /dev/null)
check "images are large objects in the database ($nblob), none left on local disk" \
  '[ "$nblob" = 60/60 ] && [ -z "$left" ]'
check "every worker signs with the one key the database holds" \
  'cmp -s "$t/serve/keys/service.pub" "$t/w1/keys/service.pub" &&
   cmp -s "$t/w1/keys/service.pub" "$t/w3/keys/service.pub"'
"$POSTERN" admin --db "$U" audit verify > "$t/audit"; rc=$?
check "the audit chain verifies" '[ $rc = 0 ] && grep -q "intact" "$t/audit"'
check "the audit table refuses UPDATE" '! q "UPDATE audit SET detail = '\''x'\''" 2> /dev/null'

# The diff against the product's previous version, from images the database
# holds as large objects (serve copies them out for the diff process): client
# 0's last submission against its one before, the bytes postern diff gives.
last=$(tail -n1 "$t/subs.0"); prev=$(tail -n2 "$t/subs.0" | head -n1)
id=$($PY -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$(cut -f2 <<< "$last")")
(cd "$t/img" && "$POSTERN" diff -f json "$(cut -f1 <<< "$prev")" "$(cut -f1 <<< "$last")" \
  > "$t/cli.diff" 2> /dev/null) || true
r=$(curl -s -o "$t/svc.diff" -w '%{http_code}' -H "Authorization: Bearer $ADM" \
  "$B/api/v1/submissions/$id/diff")
check "diff on PostgreSQL: 200, the bytes postern diff gives ($r)" \
  '[ "$r" = 200 ] && [ -s "$t/cli.diff" ] && cmp -s "$t/svc.diff" "$t/cli.diff"'

# The review workflow on PostgreSQL: one fail overridden by two reviewers.
RA=$("$POSTERN" admin --db "$U" token create --role reviewer --name ra 2> /dev/null)
RB=$("$POSTERN" admin --db "$U" token create --role reviewer --name rb 2> /dev/null)
RA2=$("$POSTERN" admin --db "$U" token create --role reviewer --name ra-2 --person ra 2> /dev/null)
npass=$(q "SELECT count(*) FROM submissions s JOIN jobs j ON j.key = s.job_key WHERE j.verdict = 'pass'")
fid=$(q "SELECT s.id FROM submissions s JOIN jobs j ON j.key = s.job_key
  WHERE j.verdict = 'fail' ORDER BY s.n LIMIT 1")
fsha=$(q "SELECT sha256 FROM submissions WHERE id = '$fid'")
fname=$(q "SELECT filename FROM submissions WHERE id = '$fid'")
dec() {
  curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" \
    -H 'Content-Type: application/json' -d "{\"decision\": \"approve\", \"justification\": \"$2\"}" \
    "$B/api/v1/submissions/$fid/decision"; }
gate() { get "/api/v1/gate/$fsha" | $PY -c 'import json, sys; print(json.load(sys.stdin)["decision"])'; }
size() { get /api/v1/log/sth | $PY -c 'import json, sys; print(json.load(sys.stdin)["tree_size"])'; }
g0=$(gate); s0=$(size)
npolicy=$(q "SELECT count(*) FROM final_decisions WHERE decided_by = 'policy'")
check "PG: every pass's approval is in the log, decided by policy ($npass passes, log $s0)" \
  '[ "$npass" -gt 0 ] && [ "$s0" = "$npass" ] && [ "$npolicy" = "$npass" ]'
d=$(dec "$RA" "lab console"; dec "$RA" "again"; dec "$RA2" "me again"); g1=$(gate)
d=$d$(dec "$RB" "agreed")
check "PG: a fail is rejected ($g0); approvals 202, same person 403 (either token), second 200" \
  '[ "$g0/$g1" = rejected/rejected ] && [ "$d" = 202403403200 ]'
check "PG: the gate now says approved, the log grew by one" \
  '[ "$(gate)" = approved ] && [ "$(size)" = $((npass + 1)) ] &&
   [ "$(q "SELECT count(*) FROM tlog_leaf")" = $((npass + 1)) ]'
get "/api/v1/submissions/$fid/decision" > "$t/pg.att"
leaf=$($PY -c 'import hashlib, sys; print(hashlib.sha256(b"\0" + open(sys.argv[1], "rb").read()).hexdigest())' "$t/pg.att")
get "/api/v1/log/proof/inclusion?leaf=$leaf" > "$t/pg.proof"
(cd "$t/img" 2> /dev/null && [ -f "$fname" ]) && art=$t/img/$fname || art=""
check "PG: the decision's attestation is in the log (verify --log-proof)" \
  '[ -n "$art" ] && "$POSTERN" verify --attestation "$t/pg.att" --log-proof "$t/pg.proof" \
     --log-key "$t/serve/keys/service.pub" --any-verdict "$art" | grep -q "transparency log"'
POSTERN_TOKEN=$ADM "$POSTERN" log check --server "$B" --state "$t/pg.state" \
  --log-key "$t/serve/keys/service.pub" > /dev/null; l=$?
check "PG: log check --server keeps the signed head of the log's size" \
  '[ "$l" = 0 ] && grep -q "\"tree_size\": $((npass + 1))" "$t/pg.state"'

# The web page of that submission on PostgreSQL: its audit trail (the
# engine's audit_list) and its file tree (the stored CycloneDX report)
curl -s -c "$t/jar" -o "$t/login.html" "$B/login"
pre=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$t/login.html" | cut -d'"' -f4)
curl -s -b "$t/jar" -c "$t/jar" -o /dev/null --data-urlencode "csrf=$pre" --data-urlencode "token=$ADM" \
  "$B/login"
check "web page on PostgreSQL: the submission's audit trail and its file tree" \
  '[ "$(curl -s -b "$t/jar" -o "$t/sub.html" -w "%{http_code}" "$B/sub/$id")" = 200 ] &&
   grep -q "submission.create" "$t/sub.html" && grep -q "job.done" "$t/sub.html" &&
   curl -s -b "$t/jar" "$B/sub/$id/tree" | grep -q "tree?at="'
sid=$(awk '$6 == "pst_session" {print $7}' "$t/jar")
nsess=$(q "SELECT count(*) FROM web_sessions WHERE hash = '$(printf %s "$sid" | sha256sum | cut -c1-64)'")
check "PG: the web session is a row of the store (the id's SHA-256)" \
  '[ -n "$sid" ] && [ "$nsess" = 1 ]'
floc=$($PY -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$fname")
r=$(curl -s -b "$t/jar" -o "$t/hex.html" -w "%{http_code}" "$B/sub/$fid/hex?path=$floc&offset=0")
check "PG: the hex view reads the image from the store: its first 512 bytes" \
  '[ "$r" = 200 ] && [ -n "$art" ] &&
   [ "$($PY "$SRC/tests/e2e/lib/hex_page.py" "$t/hex.html")" = "$(head -c 512 "$art" | od -An -v -tx1 | tr -d " \n")" ]'
exit $fail
