#!/usr/bin/env bash
# Other people's signatures from the command line (issue 24): --clamav-db
# with a database made here (sigtool and by hand) over a tar made here;
# run.signatures in the JSON report (schema-valid) says what was loaded and
# that libclamav was not without the option; the same findings with 1 and 4
# jobs; a broken user rule is info (exit 0 with --fail-on review) until a
# policy raises it; a directory that is no database is a usage error.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
export XDG_CACHE_HOME="$t/cache"
command -v sigtool >/dev/null || { echo "not ok - sigtool missing (scripts/install-deps: clamav)"; exit 1; }
if "$POSTERN" scan "$t" --no-rules-pack --clamav-db "$t" 2>&1 | grep -q "is unavailable"; then
  echo "ok - # SKIP this postern was built without libclamav"; exit 77
fi

mkdir -p "$t/root/bin" "$t/root/etc" "$t/root/www" "$t/db" "$t/rules"
head -c 8192 /bin/true > "$t/root/bin/implant"
head -c 8192 /bin/ls > "$t/root/bin/clean"
{ head -c 1000 /dev/zero | tr '\0' x; printf 'LAB-BODY-INDICATOR-5521'; } > "$t/root/www/admin.cgi"
printf 'nothing to see\n' > "$t/root/etc/motd"
tar -C "$t/root" -cf "$t/fw.tar" .
sigtool --sha256 "$t/root/bin/implant" > "$t/db/lab.hsb"
printf 'Lab.Body.Indicator:0:*:%s\n' "$(printf 'LAB-BODY-INDICATOR-5521' | xxd -p)" > "$t/db/lab.ndb"
printf 'rule cgi_by_extension { condition: extension == ".cgi" and filepath == "/www" }\n' > "$t/rules/lab.yar"

check "--help names --clamav-db" '"$POSTERN" scan --help | grep -q -- "--clamav-db DIR"'
"$POSTERN" scan "$t/fw.tar" --no-rules-pack --clamav-db /nonexistent/db > /dev/null 2> "$t/err"; rc=$?
check "a --clamav-db that is not a directory: exit 64" '[ $rc = 64 ] && grep -q "not a directory" "$t/err"'

"$POSTERN" scan "$t/fw.tar" --no-progress --no-rules-pack --rules "$t/rules" --clamav-db "$t/db" \
  --format json -j 1 > "$t/j1.json" 2> "$t/err1"
"$POSTERN" scan "$t/fw.tar" --no-progress --no-rules-pack --rules "$t/rules" --clamav-db "$t/db" \
  --format json -j 4 --no-run > "$t/j4.json" 2> "$t/err4"
"$POSTERN" scan "$t/fw.tar" --no-progress --no-rules-pack --format json > "$t/none.json" 2> /dev/null
check "reports are schema-valid" '/usr/bin/python3 "$SRC/tests/e2e/lib/validate.py" "$SRC/docs/schema/postern.schema.json" "$t/j1.json" "$t/none.json"'
check "ClamAV and the external variables fire on the right files" 'python3 - "$t/j1.json" <<'"'"'EOF'"'"'
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((f["rule"], f["location"].split("!")[-1], f.get("evidence")) for f in d["findings"]
             if f["rule"].startswith("signature."))
want = [("signature.clamav", "/bin/implant", "implant.UNOFFICIAL"),
        ("signature.clamav", "/www/admin.cgi", "Lab.Body.Indicator.UNOFFICIAL"),
        ("signature.lab.cgi_by_extension", "/www/admin.cgi", None)]
assert got == want, got
r = d["run"]["signatures"]
assert r["clamav"] is True and r["clamav_signatures"] == 2 and r["yara_rules"] == 1, r
assert (r["clamav_hash"], r["clamav_yara"], r["clamav_libclamav"]) == (1, 1, 0), r
EOF'
check "without --clamav-db libclamav is not loaded" 'python3 -c "import json,sys; r=json.load(open(sys.argv[1]))[\"run\"][\"signatures\"]; assert r[\"clamav\"] is False and \"clamav_signatures\" not in r, r" "$t/none.json"'
check "same findings with 1 and 4 jobs" 'python3 -c "
import json,sys
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); a.pop(\"run\")
assert a == b" "$t/j1.json" "$t/j4.json"'

printf 'rule needs_md5 { condition: md5 == "0" }\n' > "$t/rules/broken.yar"
"$POSTERN" scan "$t/root/etc" --no-progress --no-rules-pack --rules "$t/rules" --fail-on review --format json > "$t/b.json" 2> /dev/null; rc=$?
check "a broken user rule is info: the verdict stays (exit 0 with --fail-on review)" '[ $rc = 0 ] && grep -q "\"signature.rule-error\"" "$t/b.json"'
printf 'name: lab\nseverity:\n  signature.rule-error: medium\n' > "$t/lab.yaml"
"$POSTERN" scan "$t/root/etc" --no-progress --no-rules-pack --rules "$t/rules" --policy "$t/lab.yaml" --fail-on review > /dev/null 2>&1; rc=$?
check "a policy raises it to review" '[ $rc = 1 ]'
# postern diff takes --clamav-db as scan does: the new file's detection is a
# new finding; once with a signature left to libclamav (::i, case-insensitive),
# which runs inside the diff's sandbox
mkdir -p "$t/old" "$t/db2"
printf 'nothing to see\n' > "$t/old/motd"
tar -C "$t/old" -cf "$t/old.tar" .
printf 'Lab.Nocase;Engine:81-255,Target:0;0;%s::i\n' "$(printf 'lab-body-indicator' | xxd -p)" > "$t/db2/lab.ldb"
check "diff --help names --clamav-db" '"$POSTERN" diff --help | grep -q -- "--clamav-db DIR"'
for db in db db2; do
  "$POSTERN" diff "$t/old.tar" "$t/fw.tar" --clamav-db "$t/$db" --format json > "$t/diff-$db.json" 2> "$t/diff-$db.err"; rc=$?
  check "diff --clamav-db ($db): the detection is a new finding, exit 1" '[ $rc = 1 ] && python3 - "$t/diff-$db.json" <<'"'"'EOF'"'"'
import json, sys
d = json.load(open(sys.argv[1]))
new = [(f["rule"], f["inner"]) for f in d["findings"]["new"] if f["rule"] == "signature.clamav"]
assert ("signature.clamav", "!/www/admin.cgi") in new, new
EOF'
done
"$POSTERN" diff "$t/old.tar" "$t/fw.tar" --format json > "$t/diff-none.json" 2> /dev/null
check "diff without --clamav-db: no ClamAV finding" '! grep -q "signature.clamav" "$t/diff-none.json"'
check "postern explain signature.clamav" '"$POSTERN" explain signature.clamav | grep -q "cl_scanmap_callback"'
exit $fail
