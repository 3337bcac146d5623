#!/usr/bin/env bash
# Service knowledge as data (rules/services/, docs/services-rules.md): a
# --rules directory's services/*.yaml adds to the built-in knowledge, and a
# misspelt key there fails the scan naming the file, line and key.
#  - a boot script starts "vtelnetd -x /bin/sh" (a vendor telnet daemon the
#    built-in rules do not know): silent (pass) without the user rules;
#  - with a services file declaring vtelnetd a telnet server whose -x names
#    the login program: critical service.unauthenticated-shell, verdict fail;
#  - the same file with "login-optoin": exit 65, the message names the key.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mkdir -p "$t/root/etc/init.d" "$t/good/services" "$t/bad/services"
printf '#!/bin/sh\nvtelnetd -x /bin/sh &\n' > "$t/root/etc/init.d/S50x"
printf -- '- daemon: telnet-server\n  programs: [vtelnetd]\n  login-option: -x\n' \
  > "$t/good/services/vendor.yaml"
sed 's/login-option/login-optoin/' "$t/good/services/vendor.yaml" > "$t/bad/services/vendor.yaml"

summary() { # JSON report: "verdict rule:severity ..."
  python3 -c 'import json,sys; d=json.load(sys.stdin)
print(d["verdict"], *sorted(f["rule"] + ":" + f["severity"] for f in d["findings"]))'
}
plain=$("$POSTERN" scan "$t/root" --format json | summary)
check "built-in rules: vtelnetd is not a known daemon (got: $plain)" '[ "$plain" = "pass" ]'
user=$("$POSTERN" scan "$t/root" --rules "$t/good" --format json | summary)
check "user rules: vtelnetd -x /bin/sh is an unauthenticated shell (got: $user)" \
  '[ "$user" = "fail service.unauthenticated-shell:critical" ]'
"$POSTERN" scan "$t/root" --rules "$t/bad" --format json > "$t/out" 2> "$t/err"
rc=$?
check "misspelt key: exit 65 (got $rc)" '[ $rc -eq 65 ]'
check "misspelt key: the message names file, line and key" \
  'grep -q "bad/services/vendor.yaml:3: unknown key .login-optoin." "$t/err"'
exit $fail
