#!/usr/bin/env bash
# Signatures end to end: a login CGI we write, whose login the D-Link
# User-Agent bypasses, planted into the router-style image (Debian d-i
# mipsel root filesystem) makes the verdict fail with a finding naming the
# rule and its reference; nothing else in the image matches the pack.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
export XDG_CACHE_HOME="$t/cache"

cat > "$t/login.c" <<'EOF'
/* Test implant (never executed): the router's login CGI. A request with the
 * back door User-Agent is let in without a password. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int password_ok(void)
{
	const char *q = getenv("QUERY_STRING");
	return q && strstr(q, "pass=") && strcmp(strstr(q, "pass=") + 5, "router-admin") == 0;
}

int main(void)
{
	const char *ua = getenv("HTTP_USER_AGENT");
	int in = (ua && strcmp(ua, "xmlset_roodkcableoj28840ybtide") == 0) || password_ok();
	printf("Status: %s\r\nContent-Type: text/html\r\n\r\n", in ? "200 OK" : "403 Forbidden");
	printf("%s\n", in ? "<h1>Advanced setup</h1>" : "<h1>Login</h1>");
	return 0;
}
EOF
mipsel-linux-gnu-gcc -O2 -o "$t/login.cgi" "$t/login.c" || { echo "not ok - cross compile"; exit 1; }

"$SRC/scripts/make-router-image" --arch mipsel \
  --plant "mkdir -p www/cgi-bin && cp '$t/login.cgi' www/cgi-bin/login.cgi && chmod 755 www/cgi-bin/login.cgi" \
  "$t/fw.bin" 2> "$t/mk.err" || { cat "$t/mk.err"; echo "not ok - make-router-image"; exit 1; }

"$POSTERN" scan "$t/fw.bin" --format json --no-run --inventory > "$t/out.json" 2> "$t/err"; rc=$?
check "planted back door: verdict fail, exit 1" '[ $rc -eq 1 ] && grep -q "\"verdict\": \"fail\"" "$t/out.json"'
check "finding names the rule, the file and the reference" 'python3 - "$t/out.json" <<'"'"'EOF'"'"'
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["rule"] == "signature.postern.dlink_xmlset_useragent_backdoor"]
assert len(f) == 1, f
f = f[0]
# Where the squashfs is opened the finding sits on the CGI itself; until then
# it sits on the carved stream holding the bytes of the CGI.
if any(n["location"].endswith("!/www/cgi-bin/login.cgi") for n in d["inventory"]):
    assert f["location"].endswith("!/www/cgi-bin/login.cgi"), f["location"]
assert f["location"].startswith("fw.bin!"), f["location"]
assert f["severity"] == "critical" and f["category"] == "signature"
assert "reference: http://www.devttys0.com/2013/10/reverse-engineering-a-d-link-backdoor/" in f["message"]
assert "xmlset_roodkcableoj28840ybtide" in f["evidence"]
EOF'
check "nothing else in the d-i root filesystem matches the pack" 'python3 - "$t/out.json" <<'"'"'EOF'"'"'
import json, sys
d = json.load(open(sys.argv[1]))
sig = [x for x in d["findings"] if x["rule"].startswith(("signature.", "hash."))]
assert len(sig) == 1, [(x["rule"], x["location"]) for x in sig]
EOF'
check "no rule errors on stderr" '! grep -q "postern: rules:" "$t/err"'

# The same image without the pack: the back door goes unnoticed (the pack is what finds it).
"$POSTERN" scan "$t/fw.bin" --format json --no-run --no-rules-pack > "$t/nopack.json" 2>/dev/null
check "without the pack no signature finding" '! grep -q "signature.postern" "$t/nopack.json"'
exit $fail
