#!/usr/bin/env bash
# postern diff: trees aligned by inner path across container layouts; added,
# removed and changed files; new and resolved findings; a verdict on the
# change (new failing finding -> fail; the reverse -> pass); text, JSON, HTML.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
. "$SRC/tests/e2e/lib/fixtures.sh"
PY=/usr/bin/python3
policy_fail "$t/fail.yaml"

# Same content, different layout: the gzip stream sits at 0x3e8 in v1 and
# 0x12c in v2; v2 also carries 4 KiB nothing explains (coverage.unexplained,
# raised to high by the policy).
seq 1 20000 > "$t/payload"; gzip -9 -n -c "$t/payload" > "$t/p.z"
head -c 1000 /dev/zero > "$t/fw1.bin"; cat "$t/p.z" >> "$t/fw1.bin"
head -c 300 /dev/zero > "$t/fw2.bin"; cat "$t/p.z" >> "$t/fw2.bin"; "$SRC"/tests/tools/randbytes 4096 diff1 >> "$t/fw2.bin"

"$POSTERN" diff "$t/fw1.bin" "$t/fw2.bin" --policy "$t/fail.yaml" -f json > "$t/d.json"; rc=$?
check "new failing finding: the change fails (exit 1)" '[ $rc -eq 1 ]'
check "json: exactly the new finding, nothing resolved, payload aligned across layouts" "$PY -c '
import json; d=json.load(open(\"$t/d.json\"))
assert d[\"verdict\"]==\"fail\"
assert [f[\"rule\"] for f in d[\"findings\"][\"new\"]]==[\"coverage.unexplained\"], d[\"findings\"]
assert d[\"findings\"][\"resolved\"]==[]
assert d[\"files\"][\"added\"]==[] and d[\"files\"][\"removed\"]==[] and d[\"files\"][\"changed\"]==[], d[\"files\"]'"
"$POSTERN" diff "$t/fw2.bin" "$t/fw1.bin" --policy "$t/fail.yaml" -f json > "$t/r.json"; rc=$?
check "reverse: resolved, the change passes (exit 0)" '[ $rc -eq 0 ]'
check "reverse json: one resolved, none new" "$PY -c '
import json; d=json.load(open(\"$t/r.json\")); assert d[\"verdict\"]==\"pass\"
assert d[\"findings\"][\"new\"]==[] and [f[\"rule\"] for f in d[\"findings\"][\"resolved\"]]==[\"coverage.unexplained\"]'"

mkdir -p "$t/a/etc" "$t/b/etc"
printf '::sysinit:/etc/init.d/rcS\n' > "$t/a/etc/inittab"
printf '::sysinit:/etc/init.d/rcS\n::respawn:/usr/sbin/telnetd -l /bin/sh\n' > "$t/b/etc/inittab"
printf 'hello\n' > "$t/a/etc/motd"
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n' > "$t/b/etc/backdoor_key"
"$POSTERN" diff "$t/a" "$t/b" > "$t/d.txt"; rc=$?
check "text: verdict first" 'head -1 "$t/d.txt" | grep -q "^change verdict: "'
check "text: added, removed, changed files" 'grep -q "1 added, 1 removed, 1 changed" "$t/d.txt" && grep -q "~ b!/etc/inittab (content)" "$t/d.txt"'
# The access analyzers report the telnetd root shell added to inittab as
# critical (service.unauthenticated-shell), so this change fails.
check "a new key file is new attack surface; the telnet root shell fails the change" 'grep -Eq "^  key +new key or certificate file: b!/etc/backdoor_key" "$t/d.txt" && head -1 "$t/d.txt" | grep -q FAIL && grep -q "service.unauthenticated-shell" "$t/d.txt"'
"$POSTERN" diff "$t/a" "$t/b" -f html -o "$t/d.html"; rc=$?
check "html diff written, self-contained" '[ -s "$t/d.html" ] && grep -q "id=\"surface\"" "$t/d.html" && ! grep -Eq "(src|href)=\"(https?:)?//" "$t/d.html"'
"$POSTERN" diff "$t/a" "$t/b" --fail-on review > /dev/null; rc=$?
check "--fail-on review: a review change exits 1" '[ $rc -eq 1 ]'
"$POSTERN" diff "$t/a" > /dev/null 2>&1; rc=$?
check "diff needs two targets (64)" '[ $rc -eq 64 ]'
exit $fail
