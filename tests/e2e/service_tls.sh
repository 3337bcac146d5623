#!/usr/bin/env bash
# postern serve --tls-cert/--tls-key (issue 16, docs/service.md): HTTPS
# straight from libmicrohttpd (GnuTLS). A self-signed certificate for
# 127.0.0.1 is made with `openssl req` at test time; curl trusts it with
# --cacert. The API answers over TLS (healthz, a token's request, a
# submission); plain HTTP on the TLS port gets no answer; the two options go
# together (64) and an unreadable certificate stops serve with a clear error;
# a web sign-in over TLS gets a Secure session cookie.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
for tool in curl openssl; do
  command -v $tool > /dev/null || { echo "skip - $tool missing (scripts/install-deps)"; exit 77; }
done
t=$(mktemp -d)
spid=""
cleanup() { [ -n "$spid" ] && kill "$spid" 2> /dev/null && wait "$spid" 2> /dev/null; rm -rf "$t"; }
trap cleanup EXIT
D=$t/data

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$t/key.pem" -out "$t/cert.pem" 2> /dev/null ||
  { echo "not ok - openssl req made no certificate"; exit 1; }
TOK=$("$POSTERN" admin --data "$D" token create --role admin 2> /dev/null)

"$POSTERN" serve --data "$D" --tls-cert "$t/cert.pem" 2> "$t/err"; rc=$?
check "--tls-cert without --tls-key: usage (64)" '[ $rc -eq 64 ] && grep -q "go together" "$t/err"'
"$POSTERN" serve --data "$D" --listen 127.0.0.1:0 --tls-cert "$t/nope.pem" --tls-key "$t/key.pem" \
  2> "$t/err"; rc=$?
check "an unreadable certificate: serve stops and names it" \
  '[ $rc -ne 0 ] && grep -q "cannot read .*nope.pem" "$t/err"'

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
B=https://127.0.0.1:$port
"$POSTERN" serve --data "$D" --listen 127.0.0.1:$port --workers 1 --tls-cert "$t/cert.pem" \
  --tls-key "$t/key.pem" 2> "$t/serve.log" &
spid=$!
for i in $(seq 50); do curl -sf --cacert "$t/cert.pem" "$B/healthz" > /dev/null && break; sleep 0.2; done
check "healthz over HTTPS, the certificate verified by curl --cacert" \
  'curl -sf --cacert "$t/cert.pem" "$B/healthz" | grep -q ok'
check "serve says it serves https" 'grep -q "serving on https://127.0.0.1:$port/" "$t/serve.log"'
check "a token's request over HTTPS: 200" \
  '[ "$(curl -s -o /dev/null -w "%{http_code}" --cacert "$t/cert.pem" -H "Authorization: Bearer $TOK" "$B/api/v1/products")" = 200 ]'
"$SRC"/tests/tools/randbytes 4096 service_tls1 > "$t/img.bin"
check "a submission over HTTPS: 201" \
  '[ "$(curl -s -o /dev/null -w "%{http_code}" --cacert "$t/cert.pem" -H "Authorization: Bearer $TOK" -H "Content-Type: application/octet-stream" --data-binary @"$t/img.bin" "$B/api/v1/submissions?product=tls&version=1")" = 201 ]'
check "an untrusted certificate is refused by curl (no --cacert)" '! curl -sf "$B/healthz" > /dev/null 2>&1'
check "plain HTTP on the TLS port gets no API answer" \
  '! curl -sf --max-time 5 "http://127.0.0.1:$port/healthz" 2> /dev/null | grep -q ok'
# The web pages' cookies over TLS carry Secure (docs/service.md, "Web pages")
curl -s --cacert "$t/cert.pem" -c "$t/jar" -o "$t/login.html" "$B/login"
pre=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$t/login.html" | cut -d'"' -f4)
curl -s --cacert "$t/cert.pem" -b "$t/jar" -D "$t/login.h" -o /dev/null --data-urlencode "csrf=$pre" \
  --data-urlencode "token=$TOK" "$B/login"
check "web sign-in over HTTPS: the session cookie is Secure, HttpOnly, SameSite=Strict" \
  'grep -i "^Set-Cookie: pst_session=" "$t/login.h" | grep -q "HttpOnly; SameSite=Strict; Secure"'
# The client commands over HTTPS (src/cli/httpget.c): the service's
# certificate checked against --cacert, or the system's store, and the host
"$POSTERN" gate --server "$B" --token "$TOK" --cacert "$t/cert.pem" "$t/img.bin" > "$t/gate.out" 2>&1
rc=$?
check "postern gate over HTTPS with --cacert asks and answers (2: not decided yet)" \
  '[ $rc -eq 2 ] && grep -Eq "^(pending|unknown): " "$t/gate.out"'
"$POSTERN" gate --server "$B" --token "$TOK" "$t/img.bin" 2> "$t/gate.err"; rc=$?
check "postern gate refuses a certificate the system's store does not trust (69, said)" \
  '[ $rc -eq 69 ] && grep -q "no trusted TLS connection" "$t/gate.err"'
"$POSTERN" gate --server "https://localhost:$port" --token "$TOK" --cacert "$t/cert.pem" \
  "$t/img.bin" 2> "$t/gate.err"; rc=$?
check "postern gate refuses a trusted certificate made for another host (69)" \
  '[ $rc -eq 69 ] && grep -q "not for that host" "$t/gate.err"'
"$POSTERN" log check --server "$B" --token "$TOK" --cacert "$t/cert.pem" --state "$t/state.json" \
  --log-key "$D/keys/service.pub" > "$t/log.out" 2>&1; rc=$?
check "postern log check --server over HTTPS fetches the tree head (0, state kept)" \
  '[ $rc -eq 0 ] && [ -s "$t/state.json" ]'
check "serve still runs" 'kill -0 $spid'
exit $fail
