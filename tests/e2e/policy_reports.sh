#!/usr/bin/env bash
# Policy and reports end to end: a waiver with a justification turns a failing
# image into pass and is listed in every report format; the same waiver past
# its expiry does not, and is reported as policy.waiver-expired; every JSON and
# SARIF output validates against its schema; --fail-on review; a policy that
# does not parse is a usage error naming its line.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
. "$SRC/tests/e2e/lib/fixtures.sh"
PY=/usr/bin/python3
VALIDATE="$PY $SRC/tests/e2e/lib/validate.py"
SARIF_SCHEMA="$SRC/docs/schema/sarif-schema-2.1.0.json"
CDX_SCHEMA="$SRC/docs/schema/cyclonedx/bom-1.5.SNAPSHOT.schema.json"

make_img "$t/img"
policy_fail "$t/fail.yaml"
policy_waive "$t/waive.yaml" 2099-12-31
policy_waive "$t/expired.yaml" 2020-01-01

"$POSTERN" scan "$t/img" --no-run -f json > "$t/default.json"; rc=$?
# The random tail is unexplained: not examined, so review (exit 0), never pass.
check "default policy: unexplained bytes keep the image at review" '[ $rc -eq 0 ] && grep -q "\"verdict\": \"review\"" "$t/default.json"'
"$POSTERN" scan "$t/img" --policy "$t/fail.yaml" > "$t/fail.txt"; rc=$?
check "override to high: the image fails (exit 1)" '[ $rc -eq 1 ] && head -1 "$t/fail.txt" | grep -q "verdict: FAIL"'

for fmt in text json sarif html cyclonedx; do
  "$POSTERN" scan "$t/img" --policy "$t/waive.yaml" --no-run -f $fmt -o "$t/waived.$fmt"; rc=$?
  check "waiver: $fmt report passes (exit 0)" '[ $rc -eq 0 ]'
  check "waiver: $fmt report lists the waiver and its justification" 'grep -q "ticket LAB-12" "$t/waived.$fmt"'
  check "live waiver: no policy.waiver-expired in $fmt" '! grep -q "policy.waiver-expired" "$t/waived.$fmt"'
  "$POSTERN" scan "$t/img" --policy "$t/expired.yaml" --no-run -f $fmt -o "$t/expired.$fmt"; rc=$?
  check "expired waiver: $fmt report fails (exit 1)" '[ $rc -eq 1 ]'
  check "expired waiver: $fmt report names policy.waiver-expired" 'grep -q "policy.waiver-expired" "$t/expired.$fmt"'
done
check "text: verdict first" 'head -1 "$t/waived.text" | grep -q "verdict: PASS" && head -1 "$t/expired.text" | grep -q "verdict: FAIL"'
check "json: waived finding carries its waiver" "$PY -c '
import json,sys; d=json.load(open(\"$t/waived.json\"))
f=[x for x in d[\"findings\"] if x[\"rule\"]==\"coverage.unexplained\"][0]
assert d[\"verdict\"]==\"pass\" and f[\"waiver\"][\"expires\"]==\"2099-12-31\" and f[\"declared_severity\"]==\"low\" and f[\"severity\"]==\"high\"
assert d[\"policy\"][\"waivers\"][0][\"matched\"]==1'"
check "json: expired waiver applies to nothing" "$PY -c '
import json; d=json.load(open(\"$t/expired.json\"))
assert d[\"verdict\"]==\"fail\" and d[\"policy\"][\"waivers\"]==[] and not any(\"waiver\" in f for f in d[\"findings\"])'"
check "sarif: waived result is an accepted external suppression" "$PY -c '
import json; d=json.load(open(\"$t/waived.sarif\")); r=d[\"runs\"][0][\"results\"]
s=[x for x in r if x[\"ruleId\"]==\"coverage.unexplained\"][0][\"suppressions\"][0]
assert s[\"kind\"]==\"external\" and s[\"status\"]==\"accepted\" and \"LAB-12\" in s[\"justification\"]'"

# Schemas: every JSON and SARIF output of this test, plus an inventory and a directory target.
"$POSTERN" scan "$t/img" --no-run -f json --inventory > "$t/inv.json"
mkdir -p "$t/tree/etc"; printf 'root:x:0:0::/root:/bin/sh\n' > "$t/tree/etc/passwd"; cp "$t/img" "$t/tree/etc/fw.img"
"$POSTERN" scan "$t/tree" --no-run -f json --inventory > "$t/dir.json"
"$POSTERN" scan "$t/tree" -f sarif > "$t/dir.sarif"
cp "$t/img" "$t/my fw:1%.bin"   # a name that is not a URI as it stands
"$POSTERN" scan "$t/my fw:1%.bin" -f sarif > "$t/odd.sarif"
check "sarif: odd target names are percent-encoded" 'grep -q "\"uri\": \"my%20fw%3A1%25.bin\"" "$t/odd.sarif"'
check "JSON reports validate against docs/schema/postern.schema.json" \
  '$VALIDATE "$SRC/docs/schema/postern.schema.json" $(ls "$t"/*.json | grep -v "\.cdx\.json$")'
check "SARIF reports validate against the official OASIS schema docs/schema/sarif-schema-2.1.0.json" \
  '$VALIDATE "$SARIF_SCHEMA" "$t"/*.sarif'
"$POSTERN" scan "$t/tree" --no-run -f cyclonedx -o "$t/dir.cdx.json"
cp "$t/waived.cyclonedx" "$t/waived.cdx.json"; cp "$t/expired.cyclonedx" "$t/expired.cdx.json"
check "CycloneDX BOMs validate against the official CycloneDX 1.5 schema (docs/schema/cyclonedx/)" \
  '$VALIDATE "$CDX_SCHEMA" "$t"/*.cdx.json'
# The validators must be able to fail.
$PY -c "import json; d=json.load(open('$t/waived.json')); d['verdict']='maybe'; json.dump(d, open('$t/broken.jsn','w'))"
$PY -c "import json; d=json.load(open('$t/waived.sarif')); d['runs'][0]['results'][0]['level']='fatal'; json.dump(d, open('$t/broken.srf','w'))"
check "schema rejects a bad verdict" '! $VALIDATE "$SRC/docs/schema/postern.schema.json" "$t/broken.jsn" > /dev/null'
check "SARIF reports meet GitHub code scanning's requirements (tests/e2e/lib/sarif_github.py)" \
  '$PY "$SRC/tests/e2e/lib/sarif_github.py" "$t"/*.sarif'
check "SARIF schema rejects a bad level" '! $VALIDATE "$SARIF_SCHEMA" "$t/broken.srf" > /dev/null'
$PY -c "import json; d=json.load(open('$t/waived.cyclonedx')); d['metadata']['component']['licenses']=[{'license':{'id':'NOT-SPDX'}}]; json.dump(d, open('$t/broken.cdx','w'))"
check "CycloneDX schema rejects a license id that is not SPDX (spdx.schema.json resolved locally)" '! $VALIDATE "$CDX_SCHEMA" "$t/broken.cdx" > /dev/null'
check "sarif: rule help comes from the findings catalog" "$PY -c '
import json; d=json.load(open(\"$t/expired.sarif\")); rules={r[\"id\"]:r for r in d[\"runs\"][0][\"tool\"][\"driver\"][\"rules\"]}
r=rules[\"policy.waiver-expired\"]; assert \"renew it\" in r[\"help\"][\"text\"] and r[\"properties\"][\"catalog\"]==\"docs/findings/policy.md\", r'"
check "sarif: one run, levels, image-relative URIs, fingerprints" "$PY -c '
import json; d=json.load(open(\"$t/expired.sarif\")); run=d[\"runs\"][0]; assert len(d[\"runs\"])==1
r=[x for x in run[\"results\"] if x[\"ruleId\"]==\"coverage.unexplained\"][0]
assert r[\"level\"]==\"error\" and r[\"locations\"][0][\"physicalLocation\"][\"artifactLocation\"][\"uri\"]==\"img\"
assert len(r[\"partialFingerprints\"][\"postern/v1\"])==64'"
# The same nested gzip at two offsets: limit.depth at fw1.bin!gzip@0x3e8!/data
# and fw2.bin!gzip@0x12c!/data must share a fingerprint (de-duplication across versions).
gzip -9 -n -c "$t/p.z" > "$t/pp.z"
head -c 1000 /dev/zero > "$t/fw1.bin"; cat "$t/pp.z" >> "$t/fw1.bin"
head -c 300 /dev/zero > "$t/fw2.bin"; cat "$t/pp.z" >> "$t/fw2.bin"
"$POSTERN" scan "$t/fw1.bin" --max-depth 2 -f sarif -o "$t/fw1.sarif"
"$POSTERN" scan "$t/fw2.bin" --max-depth 2 -f sarif -o "$t/fw2.sarif"
check "sarif: fingerprints do not depend on container offsets or the target name" "$PY -c '
import json
def fp(p):
    r=[x for x in json.load(open(p))[\"runs\"][0][\"results\"] if x[\"ruleId\"]==\"limit.depth\"]
    assert len(r)==1, r
    return r[0][\"locations\"][0][\"physicalLocation\"][\"artifactLocation\"][\"uri\"], r[0][\"partialFingerprints\"][\"postern/v1\"]
(u1,f1),(u2,f2)=fp(\"$t/fw1.sarif\"),fp(\"$t/fw2.sarif\")
assert u1==\"fw1.bin!gzip@0x3e8!/data\" and u2==\"fw2.bin!gzip@0x12c!/data\", (u1,u2)
assert f1==f2'"
check "cyclonedx: 1.5 BOM with the product, files and hashes" "$PY -c '
import json; d=json.load(open(\"$t/waived.cyclonedx\"))
assert d[\"bomFormat\"]==\"CycloneDX\" and d[\"specVersion\"]==\"1.5\" and d[\"metadata\"][\"component\"][\"type\"]==\"firmware\"
assert d[\"metadata\"][\"component\"][\"hashes\"][0][\"alg\"]==\"SHA-256\"
files=[c for c in d[\"components\"] if c[\"type\"]==\"file\"]; assert files and all(c[\"hashes\"][0][\"content\"] for c in files)
assert any(p[\"name\"]==\"postern:waiver\" for p in d[\"metadata\"][\"component\"][\"properties\"])'"

# --fail-on review: a medium finding (limit.depth from --max-depth 1) gives review.
"$POSTERN" scan "$t/pp.z" --max-depth 1 > "$t/review.txt"; rc=$?
check "limit hit: review, exit 0" '[ $rc -eq 0 ] && head -1 "$t/review.txt" | grep -q REVIEW'
"$POSTERN" scan "$t/pp.z" --max-depth 1 --fail-on review > /dev/null; rc=$?
check "--fail-on review: review exits 1" '[ $rc -eq 1 ]'
"$POSTERN" scan "$t/pp.z" --max-depth 1 --policy strict > "$t/strict.txt"; rc=$?
check "strict policy: incomplete content fails" '[ $rc -eq 1 ] && head -1 "$t/strict.txt" | grep -q FAIL'
"$POSTERN" scan "$t/pp.z" --max-depth 1 --policy "$SRC/policies/strict.yaml" > /dev/null; rc=$?
check "policies/strict.yaml from the tree: same" '[ $rc -eq 1 ]'

# Policies that do not parse: usage error (64) with file:line:col.
printf 'name: x\nfail: hgh\n' > "$t/bad1.yaml"
printf 'name: x\nwaivers:\n  - rule: a\n    location: b\n    expires: 2030-01-01\n' > "$t/bad2.yaml"
printf 'name: [x\n' > "$t/bad3.yaml"
printf 'name: x\nfial: high\n' > "$t/bad4.yaml"
"$POSTERN" scan "$t/img" --policy "$t/bad1.yaml" > /dev/null 2> "$t/e1"; rc=$?
check "bad severity: exit 64, line 2" '[ $rc -eq 64 ] && grep -q "bad1.yaml:2:" "$t/e1"'
"$POSTERN" scan "$t/img" --policy "$t/bad2.yaml" > /dev/null 2> "$t/e2"; rc=$?
check "waiver without justification: exit 64, line 3" '[ $rc -eq 64 ] && grep -q "bad2.yaml:3:.*justification" "$t/e2"'
"$POSTERN" scan "$t/img" --policy "$t/bad3.yaml" > /dev/null 2> "$t/e3"; rc=$?
check "not YAML: exit 64 with a position" '[ $rc -eq 64 ] && grep -q "bad3.yaml:[0-9]*:[0-9]*:" "$t/e3"'
"$POSTERN" scan "$t/img" --policy "$t/bad4.yaml" > /dev/null 2> "$t/e4"; rc=$?
check "unknown key (typo): exit 64" '[ $rc -eq 64 ] && grep -q "unknown key .fial." "$t/e4"'
"$POSTERN" scan "$t/img" --policy "$t/nonexistent.yaml" > /dev/null 2>&1; rc=$?
check "missing policy file: exit 64" '[ $rc -eq 64 ]'
exit $fail
