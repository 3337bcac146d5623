#!/usr/bin/env bash
# The web interface of `postern serve` without a browser (issue 17,
# docs/service.md "Web pages"): curl for the requests, html5lib's strict
# parser for the pages (tests/e2e/lib/web_pages.py), so the essentials are
# tested where Chromium is absent too (tests/e2e/web_browser.sh drives a
# real browser).
#  - every answer carries the CSP default-src 'self', nosniff,
#    Referrer-Policy and frame denial; pages need a session (else /login);
#  - sign-in exchanges a token for an HttpOnly, SameSite=Strict cookie (no
#    Secure on plain HTTP); a wrong token, or a sign-in form without its
#    token (CSRF), is refused and gets no session;
#  - an upload through the form without the CSRF field is refused and
#    stores nothing; with it the image is scanned and its page shows the
#    verdict, the finding with the catalog's explanation, the file tree, the
#    file page, the hex view, the diff, the downloads and the audit trail;
#  - a file named <script>alert(1)</script> in the image and a product of
#    that name (written into the store as a hostile row) are text;
#  - every page parses without an error and labels every field;
#  - the hex view reads the image: a planted file's bytes exactly (two
#    windows, paging), a location that names no file, or tries "..", a
#    host path or control bytes, is a 404 that leaves the data directory as
#    it was; a hostile file name is shown as text with its bytes;
#  - another tenant's submission is a 404; sessions are kept in the store
#    (only their id's hash): a restart of serve keeps them, an expired one
#    is refused and deleted; sign-out needs its CSRF field and ends the
#    session; a revoked token ends its sessions at once.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
command -v curl > /dev/null || { echo "skip - curl missing (scripts/install-deps)"; exit 77; }
/usr/bin/python3 -c 'import html5lib' 2> /dev/null ||
  { echo "skip - python3-html5lib missing (scripts/install-deps)"; exit 77; }
t=$(mktemp -d)
spid=""
cleanup() { [ -n "$spid" ] && kill "$spid" 2> /dev/null && wait "$spid" 2> /dev/null; [ -n "${KEEP:-}" ] || rm -rf "$t"; }
trap cleanup EXIT
PY=/usr/bin/python3
D=$t/data
PAGES="$PY $SRC/tests/e2e/lib/web_pages.py"
XSS='<script>alert(1)</script>'
XSS_TEXT='&lt;script&gt;alert(1)&lt;/script&gt;'

$PY "$SRC/tests/tools/mkwebfix.py" "$t"
tok() { "$POSTERN" admin --data "$D" token create "$@" 2> /dev/null; }
ALICE=$(tok --role submitter --tenant acme --name alice)
MALLORY=$(tok --role submitter --tenant other --name mallory)
GONE=$(tok --role submitter --tenant acme --name gone)
BOB=$(tok --role reviewer --name bob); CAROL=$(tok --role reviewer --name carol)
ADMIN=$(tok --role admin --tenant acme --name root)
port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
B=http://127.0.0.1:$port
serve() {
  "$POSTERN" serve --data "$D" --listen 127.0.0.1:$port --workers 1 2>> "$t/serve.log" &
  spid=$!
  for i in $(seq 100); do curl -sf "$B/healthz" > /dev/null && break; sleep 0.2; done
}
serve

# h URL [curl args]: headers of a GET; g JAR URL FILE: a page into FILE, its status printed
h() { local u=$1; shift; curl -s -o /dev/null -D - "$@" "$B$u" | tr -d '\r'; }
g() { curl -s -b "$1" -c "$1" -o "$3" -w '%{http_code}' "$B$2"; }
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$1" | head -n1 | cut -d'"' -f4; }
signin() { # JAR TOKEN: prints the status of the sign-in POST
  g "$1" /login "$t/login.html" > /dev/null
  curl -s -b "$1" -c "$1" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$(csrf_of "$t/login.html")" \
    --data-urlencode "token=$2" "$B/login"
}

hd=$(h /login)
check "headers: CSP default-src 'self', nosniff, Referrer-Policy, frame denial" \
  'grep -q "^Content-Security-Policy: default-src '"'"'self'"'"';.*frame-ancestors '"'"'none'"'"'" <<< "$hd" &&
   grep -q "^X-Content-Type-Options: nosniff" <<< "$hd" && grep -q "^Referrer-Policy: no-referrer" <<< "$hd" &&
   grep -q "^X-Frame-Options: DENY" <<< "$hd"'
check "the stylesheet and script are served by postern with the same headers" \
  'h /static/style.css | grep -q "^Content-Type: text/css" && h /static/app.js | grep -q "^Content-Security-Policy: default-src"'
check "without a session: / and /queue go to /login" \
  'h / | grep -q "^Location: /login" && h /queue | grep -q "^Location: /login"'
check "a token in an Authorization header is no web session" \
  'h /queue -H "Authorization: Bearer $ALICE" | grep -q "^Location: /login"'

g "$t/jar0" /login "$t/login.html" > /dev/null
r=$(curl -s -D "$t/h0" -b "$t/jar0" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$(printf %064d 0)" \
  --data-urlencode "token=$ALICE" "$B/login")
check "sign-in without the form's token (CSRF): 403, no session" '[ "$r" = 403 ] && ! grep -qi "pst_session=[0-9a-f]" "$t/h0"'
r=$(curl -s -D "$t/h1" -b "$t/jar0" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$(csrf_of "$t/login.html")" \
  --data-urlencode "token=pst_$(printf %064d 0)" "$B/login")
check "sign-in with an unknown token: 403, no session" '[ "$r" = 403 ] && ! grep -qi "pst_session=[0-9a-f]" "$t/h1"'
g "$t/jar" /login "$t/login.html" > /dev/null
curl -s -D "$t/h2" -b "$t/jar" -c "$t/jar" -o /dev/null --data-urlencode "csrf=$(csrf_of "$t/login.html")" \
  --data-urlencode "token=$ALICE" "$B/login"
cookie=$(grep -i "^Set-Cookie: pst_session=" "$t/h2" | tr -d '\r')
check "sign-in: 303 to the queue, the session cookie HttpOnly, SameSite=Strict, not Secure on HTTP" \
  'grep -q "^HTTP/1.1 303" "$t/h2" && grep -qi "^Location: /queue" "$t/h2" &&
   [[ $cookie =~ pst_session=[0-9a-f]{64}\; ]] && [[ $cookie == *HttpOnly* ]] &&
   [[ $cookie == *SameSite=Strict* ]] && [[ $cookie != *Secure* ]]'
check "the token itself is not in the cookie" '! grep -q "${ALICE#pst_}" "$t/jar"'
check "signed in: the queue is 200" '[ "$(g "$t/jar" /queue "$t/queue0.html")" = 200 ]'

# Uploads through the form
g "$t/jar" /submit "$t/submit.html" > /dev/null
CSRF=$(csrf_of "$t/submit.html")
up() { # CSRF FILE VERSION -> status; Location in $t/up.h
  curl -s -D "$t/up.h" -b "$t/jar" -o /dev/null -w '%{http_code}' -F "csrf=$1" -F product=router \
    -F "version=$3" -F "image=@$2" "$B/submit"
}
nsub() { $PY -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM submissions").fetchone()[0])' "$D/postern.db"; }
r=$(up "" "$t/clean.tgz" 1.0)
check "an upload without the CSRF field: 403, nothing stored" '[ "$r" = 403 ] && [ "$(nsub)" = 0 ] && [ -z "$(ls "$D/blobs")" ]'
r=$(up "$(printf %064d 0)" "$t/clean.tgz" 1.0)
check "an upload with a wrong CSRF value: 403, nothing stored" '[ "$r" = 403 ] && [ "$(nsub)" = 0 ]'
r=$(up "$CSRF" "$t/clean.tgz" "1.0/../x")
check "a bad version name: 400, nothing stored" '[ "$r" = 400 ] && [ "$(nsub)" = 0 ]'
r=$(up "$CSRF" "$t/clean.tgz" 1.0)
clean=$(sed -n 's|^Location: /sub/\([0-9a-f]\{32\}\).*|\1|p' "$t/up.h" | tr -d '\r')
check "the clean upload: 303 to its page" '[ "$r" = 303 ] && [ -n "$clean" ]'
r=$(up "$CSRF" "$t/planted.tgz" 1.1)
sub=$(sed -n 's|^Location: /sub/\([0-9a-f]\{32\}\).*|\1|p' "$t/up.h" | tr -d '\r')
check "the planted upload: 303 to its page" '[ "$r" = 303 ] && [ -n "$sub" ]'
for i in $(seq 120); do
  g "$t/jar" "/sub/$sub/state" "$t/state" > /dev/null; g "$t/jar" "/sub/$clean/state" "$t/state0" > /dev/null
  [ "$(cat "$t/state")" = done ] && [ "$(cat "$t/state0")" = done ] && break
  sleep 0.5
done
check "both scans finish (the page's poll URL says done)" '[ "$(cat "$t/state")" = done ]'

g "$t/jar" "/sub/$sub" "$t/sub.html" > /dev/null
check "the submission page: the fail badge first, then the finding with the catalog's why/how" \
  'grep -q "badge big v-fail\">fail<" "$t/sub.html" && grep -q "service.unauthenticated-shell" "$t/sub.html" &&
   grep -q "Why it matters / how to fix" "$t/sub.html" && grep -q "critical (1)" "$t/sub.html" &&
   [ "$(grep -n "badge big" "$t/sub.html" | cut -d: -f1)" -lt "$(grep -n "id=\"findings\"" "$t/sub.html" | cut -d: -f1)" ]'
check "... its coverage, downloads and audit trail (created, scanned)" \
  'grep -q "id=\"coverage\"" "$t/sub.html" && grep -q "/download/sarif" "$t/sub.html" &&
   grep -q "submission.create" "$t/sub.html" && grep -q "job.done" "$t/sub.html"'
loc=$(grep -o '/file?loc=[^"]*' "$t/sub.html" | head -n1)
g "$t/jar" "/sub/$sub$loc" "$t/file.html" > /dev/null
check "the finding's file page: kind and SHA-256 of etc/inittab, its finding" \
  'grep -q "inittab" "$t/file.html" && grep -q "<dt>SHA-256</dt>" "$t/file.html" && grep -q "<dt>Kind</dt><dd>text" "$t/file.html" &&
   grep -q "service.unauthenticated-shell" "$t/file.html"'
g "$t/jar" "/sub/$sub/tree" "$t/tree0.html" > /dev/null
# down the containers (a link that goes deeper than here) until www/ shows
cur=tree0 www=""
for depth in 1 2 3 4; do
  www=$(grep -o 'tree?at=[^"]*www%2F"' "$t/$cur.html" | head -n1 | tr -d '"')
  [ -n "$www" ] && break
  at=$(grep -o 'tree?at=[^"]*%21%2F"' "$t/$cur.html" | tail -n1 | tr -d '"')
  g "$t/jar" "/sub/$sub/$at" "$t/tree$depth.html" > /dev/null
  cur=tree$depth
done
g "$t/jar" "/sub/$sub/$www" "$t/tree2.html" > /dev/null
check "the file tree browses down to www/ and shows the hostile names as text" \
  '[ -n "$www" ] && grep -q "&lt;script&gt;alert(1)&lt;/" "$t/tree2.html" && ! grep -q "<script>alert" "$t/tree2.html"'
xloc=$(grep -o 'tree?at=[^"]*%3Cscript%3Ealert%281%29%3C%2F' "$t/tree2.html" | head -n1)
g "$t/jar" "/sub/$sub/$xloc" "$t/tree3.html" > /dev/null
floc=$(grep -o 'file?loc=[^"]*' "$t/tree3.html" | head -n1)
g "$t/jar" "/sub/$sub/$floc" "$t/xssfile.html" > /dev/null
check "the file named <script>alert(1)</script>: its page shows the name literally, no script element" \
  'grep -q "www/$XSS_TEXT" "$t/xssfile.html" && ! grep -q "$XSS" "$t/xssfile.html" &&
   [ "$(grep -c "<script" "$t/xssfile.html")" = 1 ]'
hex=$(grep -o '/hex?f=[0-9]*' "$t/sub.html" | head -n1)
check "a finding with evidence links a hex view, which shows offsets and bytes" \
  '[ -n "$hex" ] && [ "$(g "$t/jar" "/sub/$sub$hex" "$t/hex.html")" = 200 ] && grep -q "^0000" "$t/hex.html"'
check "... with the bytes of the finding's file read from the image, and its evidence" \
  'grep -q "read from the stored image by a sandboxed process" "$t/hex.html" &&
   grep -q "Evidence in the report" "$t/hex.html"'

# The hex view of any file: the planted etc/hexview.bin, by its location
$PY "$SRC/tests/tools/mkwebfix.py" --hexview "$t/hexview.want"
hloc=$(curl -s -H "Authorization: Bearer $ALICE" "$B/api/v1/submissions/$sub/report?format=cyclonedx" |
  $PY -c 'import json, sys
for c in json.load(sys.stdin)["components"]:
    p = {x["name"]: x["value"] for x in c.get("properties", [])}
    if p.get("postern:location", "").endswith("!/etc/hexview.bin"): print(p["postern:location"])')
enc() { $PY -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
hexbytes() { $PY "$SRC/tests/e2e/lib/hex_page.py" "$1"; }
want() { $PY -c 'import sys; d = open(sys.argv[1], "rb").read(); print(d[int(sys.argv[2]):int(sys.argv[3])].hex())' "$t/hexview.want" "$1" "$2"; }
r0=$(g "$t/jar" "/sub/$sub/hex?path=$(enc "$hloc")&offset=0" "$t/hexv0.html")
check "hex view of a planted file: its first 512 bytes exactly, markup as text, a next link" \
  '[ -n "$hloc" ] && [ "$r0" = 200 ] && [ "$(hexbytes "$t/hexv0.html")" = "$(want 0 512)" ] &&
   grep -q "Bytes 0 to 512 of 1200" "$t/hexv0.html" && grep -q "&lt;b&gt;&amp;amp;" "$t/hexv0.html" &&
   grep -q "offset=512\">Next bytes" "$t/hexv0.html" && ! grep -q "Previous bytes" "$t/hexv0.html"'
r1=$(g "$t/jar" "/sub/$sub/hex?path=$(enc "$hloc")&offset=1024" "$t/hexv1.html")
check "... paging: from byte 1024 the last 176 bytes, a previous link, no next" \
  '[ "$r1" = 200 ] && [ "$(hexbytes "$t/hexv1.html")" = "$(want 1024 1200)" ] &&
   grep -q "offset=512\">Previous bytes" "$t/hexv1.html" && ! grep -q "Next bytes" "$t/hexv1.html"'
find "$D" -path "$D/work" -prune -o -print | grep -v -e '-wal$' -e '-shm$' | sort > "$t/data.before"
hostile_ok=1
for p in "${hloc}x" "${hloc%%!*}!../../../../etc/passwd" "../../../../etc/passwd" "/etc/passwd" \
         "${hloc%/etc/hexview.bin}/../etc/hexview.bin" "$hloc"$'\n' \
         "${hloc%%!*}!$(head -c 3000 /dev/zero | tr '\0' a)"; do
  r=$(g "$t/jar" "/sub/$sub/hex?path=$(enc "$p")&offset=0" "$t/hexbad.html")
  # refused by the report's list of files, before any process walks the image
  { [ "$r" = 404 ] && ! grep -q "root:x:0:0" "$t/hexbad.html" &&
    grep -q "No file of that location in this image" "$t/hexbad.html"; } ||
    { echo "# $p: $r"; hostile_ok=0; }
done
find "$D" -path "$D/work" -prune -o -print | grep -v -e '-wal$' -e '-shm$' | sort > "$t/data.after"
check "a location that names no file (.., a host path, a newline, too long): 404, nothing changed" \
  '[ "$hostile_ok" = 1 ] && cmp -s "$t/data.before" "$t/data.after"'
check "a bad offset is 400; another tenant gets a 404 for the same view" \
  '[ "$(g "$t/jar" "/sub/$sub/hex?path=$(enc "$hloc")&offset=-1" "$t/hexbad.html")" = 400 ] &&
   [ "$(g "$t/jar" "/sub/$sub/hex?path=$(enc "$hloc")&offset=18446744073709551617" \
        "$t/hexbad.html")" = 400 ] &&
   [ "$(signin "$t/jarm0" "$MALLORY")" = 303 ] &&
   [ "$(g "$t/jarm0" "/sub/$sub/hex?path=$(enc "$hloc")&offset=0" "$t/hexbad.html")" = 404 ]'
xhloc="${hloc%/etc/hexview.bin}/www/$XSS"
r=$(g "$t/jar" "/sub/$sub/hex?path=$(enc "$xhloc")&offset=0" "$t/hexx.html")
check "the file named <script>alert(1)</script>: its bytes, its name as text, no script element" \
  '[ "$r" = 200 ] && [ "$(hexbytes "$t/hexx.html")" = "$(printf "hello\n" | od -An -tx1 | tr -d " \n")" ] &&
   grep -q "www/$XSS_TEXT" "$t/hexx.html" && ! grep -q "$XSS" "$t/hexx.html" &&
   [ "$(grep -c "<script" "$t/hexx.html")" = 1 ]'
check "the file page links the hex view of its bytes" \
  'g "$t/jar" "/sub/$sub/file?loc=$(enc "$hloc")" "$t/hexfile.html" > /dev/null &&
   grep -q "/hex?path=.*offset=0\">Hex view of its bytes" "$t/hexfile.html"'
check "the diff against 1.0: inittab changed, the finding new" \
  '[ "$(g "$t/jar" "/sub/$sub/diff" "$t/diff.html")" = 200 ] && grep -q "etc/inittab" "$t/diff.html" &&
   grep -q "service.unauthenticated-shell" "$t/diff.html"'
for f in json sarif html cyclonedx attestation; do
  curl -s -b "$t/jar" -D "$t/dl.h" -o "$t/web.$f" "$B/sub/$sub/download/$f"
  curl -s -H "Authorization: Bearer $ALICE" -o "$t/api.$f" \
    "$B/api/v1/submissions/$sub/$([ $f = attestation ] && echo attestation || echo "report?format=$f")"
  check "download $f: the API's bytes, as an attachment, sandboxed" \
    'cmp -s "$t/web.$f" "$t/api.$f" && grep -qi "^Content-Disposition: attachment" "$t/dl.h" &&
     grep -qi "^Content-Security-Policy: default-src '"'"'none'"'"'; sandbox" "$t/dl.h"'
done

# Review through the forms: the planted image failed; overriding a fail
# takes two different reviewers; nobody decides on their own submission.
check "a reviewer signs in; the page shows the decision and waiver forms, labelled" \
  '[ "$(signin "$t/jarb" "$BOB")" = 303 ] && [ "$(g "$t/jarb" "/sub/$sub" "$t/rev.html")" = 200 ] &&
   grep -q "action=\"/sub/$sub/decision\"" "$t/rev.html" && grep -q "action=\"/sub/$sub/waiver\"" "$t/rev.html" &&
   grep -q "Decision: <span class=\"badge v-rejected\">rejected" "$t/rev.html"'
check "the submitter sees no forms" '! grep -q "/decision\"" "$t/sub.html"'
BCSRF=$(csrf_of "$t/rev.html")
post() { # JAR PATH ARGS...: status, headers in $t/post.h
  local j=$1 p=$2; shift 2
  curl -s -D "$t/post.h" -b "$j" -c "$j" -o "$t/post.html" -w '%{http_code}' "$@" "$B$p"
}
ndec() { $PY -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM decisions").fetchone()[0])' "$D/postern.db"; }
r=$(post "$t/jarb" "/sub/$sub/decision" --data-urlencode decision=approve --data-urlencode "justification=lab device")
check "a decision without the CSRF field: 403, nothing recorded" '[ "$r" = 403 ] && [ "$(ndec)" = 0 ]'
r=$(post "$t/jarb" "/sub/$sub/waiver" --data-urlencode "csrf=$BCSRF" --data-urlencode finding=0 \
  --data-urlencode "justification=lab only" --data-urlencode expires=2020-01-01)
check "a waiver that expired already: 400 with the API's reason" '[ "$r" = 400 ] && grep -q "today or later" "$t/post.html"'
r=$(post "$t/jarb" "/sub/$sub/waiver" --data-urlencode "csrf=$BCSRF" --data-urlencode finding=0 \
  --data-urlencode "justification=lab only" --data-urlencode expires=2099-12-31)
check "a waiver of the finding with an expiry: recorded, shown on the page" \
  '[ "$r" = 303 ] && grep -q "^Location: /sub/$sub?done=waiver#review" "$t/post.h" &&
   g "$t/jarb" "/sub/$sub?done=waiver" "$t/rev2.html" > /dev/null &&
   grep -q "The waiver is recorded" "$t/rev2.html" && grep -q "until 2099-12-31: lab only" "$t/rev2.html"'
r=$(post "$t/jarb" "/sub/$sub/decision" --data-urlencode "csrf=$BCSRF" --data-urlencode decision=approve \
  --data-urlencode "justification=the telnet shell is the lab's")
g "$t/jarb" "/sub/$sub" "$t/rev3.html" > /dev/null
check "one reviewer's approval of a fail: recorded, one more needed" \
  '[ "$r" = 303 ] && grep -q "1 more needed" "$t/rev3.html" && [ "$(ndec)" = 1 ]'
r=$(post "$t/jarb" "/sub/$sub/decision" --data-urlencode "csrf=$BCSRF" --data-urlencode decision=approve \
  --data-urlencode "justification=again")
check "the same reviewer again: 403, four eyes" '[ "$r" = 403 ] && grep -q "four eyes" "$t/post.html" && [ "$(ndec)" = 1 ]'
check "an admin's own submission: no decision on it (403, four eyes)" \
  'curl -s -o "$t/own.json" -H "Authorization: Bearer $ADMIN" -H "Content-Type: application/octet-stream" \
     --data-binary @"$t/planted.tgz" "$B/api/v1/submissions?product=own&version=1" &&
   own=$($PY -c "import json,sys; print(json.load(open(sys.argv[1]))[\"id\"])" "$t/own.json") &&
   [ "$(signin "$t/jara" "$ADMIN")" = 303 ] && g "$t/jara" "/sub/$own" "$t/own.html" > /dev/null &&
   [ "$(post "$t/jara" "/sub/$own/decision" --data-urlencode "csrf=$(csrf_of "$t/own.html")" \
        --data-urlencode decision=approve --data-urlencode "justification=mine")" = 403 ] &&
   grep -q "four eyes" "$t/post.html"'
sth() { curl -s -H "Authorization: Bearer $BOB" "$B/api/v1/log/sth" | $PY -c 'import json,sys; print(json.load(sys.stdin)["tree_size"])'; }
size0=$(sth)
signin "$t/jarc" "$CAROL" > /dev/null
g "$t/jarc" "/sub/$sub" "$t/rev4.html" > /dev/null
r=$(post "$t/jarc" "/sub/$sub/decision" --data-urlencode "csrf=$(csrf_of "$t/rev4.html")" \
  --data-urlencode decision=approve --data-urlencode "justification=agreed: lab unit")
g "$t/jarc" "/sub/$sub" "$t/rev5.html" > /dev/null
sha=$(sha256sum < "$t/planted.tgz" | cut -c1-64)
gate=$(curl -s -H "Authorization: Bearer $BOB" "$B/api/v1/gate/$sha" | $PY -c 'import json,sys; print(json.load(sys.stdin)["decision"])')
check "a second reviewer's approval: approved (final), in the log; the gate says approved; the log grew by one" \
  '[ "$r" = 303 ] && grep -q "Decision: <span class=\"badge v-approved\">approved</span> (final)" "$t/rev5.html" &&
   grep -q "transparency log entry" "$t/rev5.html" && [ "$gate" = approved ] && [ "$(sth)" = $((size0 + 1)) ] &&
   ! grep -q "action=\"/sub/$sub/decision\"" "$t/rev5.html"'
check "the decisions are in the submission's audit trail" \
  'grep -q "decision.approve" "$t/rev5.html" && grep -q "waiver.add" "$t/rev5.html"'

# A hostile product name, written straight into the store (the API refuses
# such names; a page must not depend on that)
$PY - "$D/postern.db" "$sub" "$XSS" <<'P'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
row = db.execute("SELECT tenant, version, filename, sha256, job_key, token_id, created FROM submissions WHERE id = ?", (sys.argv[2],)).fetchone()
db.execute("INSERT INTO submissions (id, tenant, product, version, filename, sha256, job_key, token_id, created)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ("f" * 32, row[0], sys.argv[3], sys.argv[3], sys.argv[3]) + row[3:])
db.commit()
P
g "$t/jar" /products "$t/products.html" > /dev/null
g "$t/jar" /queue "$t/queue.html" > /dev/null
g "$t/jar" "/sub/$(printf f%.0s $(seq 32))" "$t/xsssub.html" > /dev/null
check "a product named <script>alert(1)</script>: text on the products, queue and submission pages" \
  'for p in products queue xsssub; do grep -q "$XSS_TEXT" "$t/$p.html" && ! grep -q "$XSS" "$t/$p.html" || exit 1; done'
check "the queue shows progress and verdict badges, and names its poll URL" \
  'grep -q "<progress max=\"100\" value=\"100\"" "$t/queue.html" && grep -q "v-fail" "$t/queue.html" &&
   grep -q "v-pass" "$t/queue.html" && grep -q "data-poll=\"/queue/state\"" "$t/queue.html"'
g "$t/jar" /products/router "$t/product.html" > /dev/null
g "$t/jar" /nope "$t/404.html" > /dev/null
check "every page parses with html5lib's strict parser, every field labelled, nothing the CSP forbids" \
  '$PAGES "$t"/login.html "$t"/queue0.html "$t"/queue.html "$t"/submit.html "$t"/sub.html "$t"/file.html \
     "$t"/tree*.html "$t"/xssfile.html "$t"/hex.html "$t"/hexv0.html "$t"/hexv1.html \
     "$t"/hexx.html "$t"/hexbad.html "$t"/hexfile.html \
     "$t"/diff.html "$t"/products.html "$t"/product.html "$t"/xsssub.html "$t"/404.html \
     "$t"/rev*.html "$t"/own.html'

# Tenants, sign-out, revocation
check "another tenant's submission is a 404 page" \
  '[ "$(signin "$t/jarm" "$MALLORY")" = 303 ] && [ "$(g "$t/jarm" "/sub/$sub" "$t/m.html")" = 404 ] &&
   [ "$(g "$t/jarm" "/sub/$sub/download/json" "$t/m.json")" = 404 ] && ! grep -q router "$t/m.json"'
# Sessions live in the store: a restart keeps them; expired ones go
cookie_of() { awk '$6 == "pst_session" {print $7}' "$1"; }
# session_rows SID: the store's rows keyed by SID's SHA-256, then by SID itself
session_rows() { $PY -c 'import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1]); sid = sys.argv[2]
n = lambda k: db.execute("SELECT count(*) FROM web_sessions WHERE hash = ?", (k,)).fetchone()[0]
print(n(hashlib.sha256(sid.encode()).hexdigest()), n(sid))' "$D/postern.db" "$1"; }
check "the store keeps the session id's SHA-256, not the id" \
  'sid=$(cookie_of "$t/jar") && [ -n "$sid" ] && [ "$(session_rows "$sid")" = "1 0" ]'
kill "$spid" && wait "$spid" 2> /dev/null
spid=""
serve
check "after a restart of serve the session cookie still works, its form token too" \
  '[ "$(g "$t/jar" /queue "$t/q2.html")" = 200 ] && [ "$(csrf_of "$t/q2.html")" = "$CSRF" ]'
sidb=$(cookie_of "$t/jarb")
$PY - "$D/postern.db" "$sidb" <<'P'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE web_sessions SET expires = 1 WHERE hash = ?",
           (hashlib.sha256(sys.argv[2].encode()).hexdigest(),))
db.commit()
P
check "an expired session is refused and its row deleted" \
  'curl -s -o /dev/null -D - -b "$t/jarb" "$B/queue" | grep -q "^Location: /login" &&
   [ "$(session_rows "$sidb")" = "0 0" ]'
r=$(curl -s -b "$t/jar" -o /dev/null -w '%{http_code}' -X POST "$B/logout" --data "x=1")
check "sign-out without its CSRF field: 403, still signed in" '[ "$r" = 403 ] && [ "$(g "$t/jar" /queue "$t/q.html")" = 200 ]'
curl -s -D "$t/out.h" -b "$t/jar" -c "$t/jar" -o /dev/null --data-urlencode "csrf=$CSRF" "$B/logout"
old=$(sed -n 's/^Set-Cookie: pst_session=\([0-9a-f]*\);.*/\1/p' "$t/h2" | tr -d '\r')
check "sign-out clears the cookie and ends the session (an old cookie is refused, its row gone)" \
  'grep -qi "^Set-Cookie: pst_session=;.*Max-Age=0" "$t/out.h" &&
   curl -s -o /dev/null -D - -H "Cookie: pst_session=$old" "$B/queue" | grep -q "^Location: /login" &&
   [ "$(session_rows "$old")" = "0 0" ]'
check "the sign-in and sign-out are in the audit chain" \
  '"$POSTERN" admin --data "$D" audit verify > /dev/null &&
   $PY -c "import sqlite3,sys; a=[r[0] for r in sqlite3.connect(sys.argv[1]).execute(\"SELECT action FROM audit\")]; assert \"web.signin\" in a and \"web.signout\" in a" "$D/postern.db"'
signin "$t/jarg" "$GONE" > /dev/null
before=$(g "$t/jarg" /queue "$t/g.html")
gone_id=$("$POSTERN" admin --data "$D" token list | awk -F'\t' '$4 == "gone" {print $1}')
"$POSTERN" admin --data "$D" token revoke "$gone_id" > /dev/null
check "a revoked token's session ends at once" \
  '[ "$before" = 200 ] && curl -s -o /dev/null -D - -b "$t/jarg" "$B/queue" | grep -q "^Location: /login"'
check "serve still runs" 'kill -0 $spid'
kill "$spid" && wait "$spid" 2> /dev/null
spid=""
check "serve stopped cleanly: no sanitizer report in its log (the ASan build)" \
  '! grep -Eq "ERROR: [A-Za-z]+Sanitizer|runtime error:" "$t/serve.log"'
exit $fail
