#!/usr/bin/env bash
# Signed vetting attestations: keygen, scan --sign/--attest, verify. The
# untouched attestation verifies; one byte of the payload or of the signature
# changed, and a changed artifact, are each rejected with their own status
# (2 bad signature, 3 artifact mismatch); a verdict other than pass is 4
# unless --allow-review/--any-verdict.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
. "$SRC/tests/e2e/lib/fixtures.sh"
PY=/usr/bin/python3

make_img "$t/img"
policy_fail "$t/fail.yaml"
# The image's random tail is unexplained (review under the default policy):
# the lab's policy accepts it with a waiver, so the scan passes.
policy_waive "$t/lab.yaml" 2099-12-31
"$POSTERN" keygen -o "$t/lab" > /dev/null; rc=$?
check "keygen writes a key pair" '[ $rc -eq 0 ] && [ -s "$t/lab.key" ] && [ -s "$t/lab.pub" ]'
check "secret key is private (0600)" '[ "$(stat -c %a "$t/lab.key")" = 600 ]'
"$POSTERN" keygen -o "$t/lab" > /dev/null 2>&1; rc=$?
check "keygen never overwrites a key" '[ $rc -ne 0 ]'
"$POSTERN" keygen -o "$t/other" > /dev/null

"$POSTERN" scan "$t/img" --policy "$t/lab.yaml" --sign "$t/lab.key" --attest "$t/img.att" > /dev/null; rc=$?
check "scan --sign --attest writes an envelope" '[ $rc -eq 0 ] && [ -s "$t/img.att" ]'
check "DSSE envelope with an in-toto Statement v1" "$PY -c '
import json,base64,hashlib
e=json.load(open(\"$t/img.att\")); assert e[\"payloadType\"]==\"application/vnd.in-toto+json\"
s=json.loads(base64.b64decode(e[\"payload\"])); assert s[\"_type\"]==\"https://in-toto.io/Statement/v1\"
assert s[\"subject\"][0][\"digest\"][\"sha256\"]==hashlib.sha256(open(\"$t/img\",\"rb\").read()).hexdigest()
p=s[\"predicate\"]; assert p[\"verdict\"]==\"pass\" and p[\"tool\"][\"version\"] and len(p[\"rulePack\"][\"digest\"][\"sha256\"])==64
assert len(p[\"policy\"][\"digest\"][\"sha256\"])==64 and p[\"coverage\"][\"files\"]>=1 and \"info\" in p[\"findings\"]'"

"$POSTERN" verify --key "$t/lab.pub" --attestation "$t/img.att" "$t/img" > "$t/out"; rc=$?
check "untouched attestation verifies (0)" '[ $rc -eq 0 ] && grep -q "verified" "$t/out"'

$PY - "$t" <<'P'
import base64, json, sys
t = sys.argv[1]
e = json.load(open(t + "/img.att"))
p = bytearray(base64.b64decode(e["payload"])); p[len(p) // 2] ^= 0x01
e["payload"] = base64.b64encode(bytes(p)).decode(); json.dump(e, open(t + "/payload.att", "w"))
e = json.load(open(t + "/img.att"))
s = bytearray(base64.b64decode(e["signatures"][0]["sig"])); s[10] ^= 0x01
e["signatures"][0]["sig"] = base64.b64encode(bytes(s)).decode(); json.dump(e, open(t + "/sig.att", "w"))
P
"$POSTERN" verify --key "$t/lab.pub" --attestation "$t/payload.att" "$t/img" 2> /dev/null; rc=$?
check "one payload byte changed: bad signature (2)" '[ $rc -eq 2 ]'
"$POSTERN" verify --key "$t/lab.pub" --attestation "$t/sig.att" "$t/img" 2> /dev/null; rc=$?
check "one signature byte changed: bad signature (2)" '[ $rc -eq 2 ]'
"$POSTERN" verify --key "$t/other.pub" --attestation "$t/img.att" "$t/img" 2> /dev/null; rc=$?
check "another key: bad signature (2)" '[ $rc -eq 2 ]'
cp "$t/img" "$t/img.tampered"; printf '\001' | dd of="$t/img.tampered" bs=1 seek=100 conv=notrunc 2> /dev/null
"$POSTERN" verify --key "$t/lab.pub" --attestation "$t/img.att" "$t/img.tampered" 2> "$t/err"; rc=$?
check "tampered artifact: mismatch (3)" '[ $rc -eq 3 ] && grep -q "not the attested subject" "$t/err"'

"$POSTERN" scan "$t/img" --policy "$t/fail.yaml" --sign "$t/lab.key" --attest "$t/fail.att" > /dev/null; rc=$?
check "a failing scan is attested too (exit 1)" '[ $rc -eq 1 ] && [ -s "$t/fail.att" ]'
"$POSTERN" verify --key "$t/lab.pub" --attestation "$t/fail.att" "$t/img" 2> /dev/null; rc=$?
check "verdict fail: rejected (4)" '[ $rc -eq 4 ]'
"$POSTERN" verify --key "$t/lab.pub" --attestation "$t/fail.att" "$t/img" --allow-review 2> /dev/null; rc=$?
check "verdict fail with --allow-review: still rejected (4)" '[ $rc -eq 4 ]'
"$POSTERN" verify --key "$t/lab.pub" --attestation "$t/fail.att" "$t/img" --any-verdict > /dev/null; rc=$?
check "verdict fail with --any-verdict: verified (0)" '[ $rc -eq 0 ]'
gzip -9 -n -c "$t/p.z" > "$t/pp.z"
"$POSTERN" scan "$t/pp.z" --max-depth 1 --sign "$t/lab.key" --attest "$t/review.att" > /dev/null
"$POSTERN" verify --key "$t/lab.pub" --attestation "$t/review.att" "$t/pp.z" 2> /dev/null; rc=$?
check "verdict review: rejected (4)" '[ $rc -eq 4 ]'
"$POSTERN" verify --key "$t/lab.pub" --attestation "$t/review.att" "$t/pp.z" --allow-review > /dev/null; rc=$?
check "verdict review with --allow-review: verified (0)" '[ $rc -eq 0 ]'
printf 'not json' > "$t/junk.att"
"$POSTERN" verify --key "$t/lab.pub" --attestation "$t/junk.att" "$t/img" 2> /dev/null; rc=$?
check "not an envelope: 65" '[ $rc -eq 65 ]'
"$POSTERN" scan "$t/img" --sign "$t/lab.key" > /dev/null 2>&1; rc=$?
check "--sign without --attest: usage (64)" '[ $rc -eq 64 ]'
mkdir -p "$t/dir"
"$POSTERN" scan "$t/dir" --sign "$t/lab.key" --attest "$t/dir.att" > /dev/null 2>&1; rc=$?
check "a directory cannot be attested: usage (64), before scanning" '[ $rc -eq 64 ] && [ ! -e "$t/dir.att" ]'
"$POSTERN" scan "$t/img" --sign "$t/missing.key" --attest "$t/x.att" > /dev/null 2>&1; rc=$?
check "missing secret key: 66, before scanning" '[ $rc -eq 66 ] && [ ! -e "$t/x.att" ]'
exit $fail
