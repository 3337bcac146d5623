#!/usr/bin/env bash
# postern vulndb import/status and the vuln.* findings (issue 18): the
# fixtures in tests/fixtures/vuln (NVD, KEV, EPSS, OSV) imported into a
# fresh database; planted old versions of BusyBox, dnsmasq, Dropbear, the
# kernel and a static OpenSSL (small programs compiled here, never run) match with the record
# and range named; one version past each fix matches nothing; a Debian
# package whose Debian record says fixed is not matched by the upstream
# range its binary's version falls in (a backport); the router image's
# udebs match Debian's records. vulndb.stale fires for an old import.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
PY=/usr/bin/python3
F="$SRC/tests/fixtures/vuln"
export XDG_CACHE_HOME="$t/cache" # never the user's default database
db="$t/v.sqlite"

"$POSTERN" vulndb import --db "$db" "$F/nvd.json" "$F/kev.json" "$F/kev.csv" "$F/epss.csv" \
  "$F/osv-debian.json" > "$t/imp.out"; rc=$?
check "import of NVD, KEV (JSON and CSV), EPSS and OSV succeeds" '[ $rc -eq 0 ] && [ $(wc -l < "$t/imp.out") -eq 5 ]'
(cd "$F" && zip -q "$t/osv.zip" osv-ghsa.json README.md)
"$POSTERN" vulndb import --db "$db" "$t/osv.zip" > /dev/null
"$POSTERN" vulndb import --db "$db" "$F/nvd.json" > /dev/null
"$POSTERN" vulndb status --db "$db" > "$t/status"
check "status: each kind, records held (a re-import replaces), the source's date" \
  'grep -q "^nvd *5 .*2024-06-01" "$t/status" && grep -q "^osv *5 " "$t/status" && grep -q "^kev *2 " "$t/status" && grep -q "^epss *2 " "$t/status"'
check "OSV CVSS v3 vectors are scored by the CVSS 3.1 formula (S:C 6.1 as GitHub gives it; 9.8)" \
  "$PY -c \"import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=dict(c.execute('SELECT id, score FROM vuln WHERE src=\\'osv\\'')); sys.exit(not (r['GHSA-j8r2-6x86-q33q'] == 6.1 and r['DEBIAN-CVE-2022-48174'] == 9.8 and r['DEBIAN-CVE-2024-1086'] is None))\" '$db'"
check "the scan's range lookup has its covering index (the old (pkg, eco) index is dropped on import)" \
  "$PY -c \"import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('CREATE INDEX affected_pkg ON affected(pkg, eco)'); c.commit()\" '$db' && \"$POSTERN\" vulndb import --db '$db' '$F/kev.json' > /dev/null && $PY -c \"import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); n={r[0] for r in c.execute('SELECT name FROM sqlite_master WHERE type=\\'index\\'')}; p=' '.join(r[3] for r in c.execute('EXPLAIN QUERY PLAN SELECT src, id, lo, lo_incl, hi, hi_incl, scheme, why FROM affected WHERE eco=\\'cpe\\' AND pkg=\\'busybox:busybox\\' ORDER BY src, id, rowid')); sys.exit(not ('affected_look' in n and 'affected_pkg' not in n and 'COVERING INDEX affected_look' in p))\" '$db'"
printf 'not a feed\n' > "$t/junk.txt"
"$POSTERN" vulndb import --db "$db" "$t/junk.txt" 2> /dev/null; rc=$?
check "an unknown format is a data error (65)" '[ $rc -eq 65 ]'

# A program holding a version banner: compiled, never executed.
banner() { mkdir -p "$(dirname "$1")"; printf 'const char v[] = "%s";\nint main(void) { return v[0]; }\n' "$2" > "$t/b.c"
  cc -O0 -o "$1" "$t/b.c"; }
plant() { # DIR BUSYBOX DNSMASQ DROPBEAR KERNEL OPENSSL
  banner "$1/bin/busybox" "BusyBox v$2 (2020-01-01 00:00:00 UTC) multi-call binary."
  banner "$1/usr/sbin/dnsmasq" "dnsmasq-$3"
  banner "$1/usr/sbin/dropbear" "SSH-2.0-dropbear_$4"
  # OpenSSL linked in statically (the program needs no libcrypto): its banner is its own
  banner "$1/usr/bin/tlsd" "OpenSSL $6  24 Oct 2023"
  mkdir -p "$1/boot"; { head -c 256 /dev/zero; printf 'Linux version %s (b@h) (gcc version 5.4.0) #1 SMP\0' "$5"; head -c 256 /dev/zero; } > "$1/boot/kernel.bin"
}
if ! command -v cc > /dev/null || ! command -v zip > /dev/null; then echo "skip - no cc or zip"; exit 77; fi
plant "$t/old" 1.30.1 2.82 2016.72 4.4.10 3.0.12
plant "$t/new" 1.36.0 2.83 2016.74 4.4.26 3.0.13
"$POSTERN" scan "$t/old" --no-run --vulndb "$db" -f json -o "$t/old.json"; rc=$?
check "old versions: the scan fails on the known-exploited and critical ones" '[ $rc -eq 1 ]'
check "old versions: each planted component matches its record, naming source and range" "$PY - '$t/old.json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = {(f['rule'], f['severity'], f['location'].split('!')[-1], f['message'].split(' is affected by ')[1].split(' ')[0]): f for f in d['findings'] if f['rule'].startswith('vuln')}
want = {('vuln.high', 'medium', '/bin/busybox', 'CVE-2022-28391'),
        ('vuln.high', 'medium', '/usr/sbin/dnsmasq', 'CVE-2020-25681'),
        ('vuln.critical', 'high', '/usr/sbin/dropbear', 'CVE-2016-7406'),
        ('vuln.known-exploited', 'high', '/boot/kernel.bin', 'CVE-2016-5195'),
        ('vuln.other', 'low', '/usr/bin/tlsd', 'CVE-2023-5678')}
assert set(v) == want, sorted(v)
bb = v[('vuln.high', 'medium', '/bin/busybox', 'CVE-2022-28391')]
assert bb['evidence'] == 'nvd CVE-2022-28391: nvd cpeMatch busybox:busybox versionEndIncluding 1.35.0, 1.30.1 <= 1.35.0', bb
k = v[('vuln.known-exploited', 'high', '/boot/kernel.bin', 'CVE-2016-5195')]
assert 'CISA KEV' in k['message'] and 'versionStartIncluding 4.4 versionEndExcluding 4.4.26' in k['evidence'], k
PY"
"$POSTERN" scan "$t/new" --no-run --vulndb "$db" -f json -o "$t/new.json"
check "one version past each fix: no vulnerability" "$PY -c \"import json,sys; d=json.load(open('$t/new.json')); sys.exit(any(f['rule'].startswith('vuln') for f in d['findings']))\""
"$POSTERN" scan "$t/old" --no-run -f json -o "$t/nodb.json"
check "no database: no vuln finding (and the default path is not there)" "$PY -c \"import json,sys; d=json.load(open('$t/nodb.json')); sys.exit(any(f['rule'].startswith('vuln') for f in d['findings']))\""
for j in 1 2; do "$POSTERN" scan "$t/old" --no-run --vulndb "$db" -j $j -f cyclonedx -o "$t/old$j.cdx"; done
check "same CycloneDX with 1 and 2 threads" 'cmp -s "$t/old1.cdx" "$t/old2.cdx"'
check "CycloneDX lists the vulnerabilities with the components they affect" "$PY - '$t/old1.cdx' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
vs = {v['id']: v for v in d['vulnerabilities']}
assert sorted(vs) == ['CVE-2016-5195', 'CVE-2016-7406', 'CVE-2020-25681', 'CVE-2022-28391',
                     'CVE-2023-5678'], sorted(vs)
refs = {c['bom-ref'] for c in d['components']}
for v in vs.values():
    assert v['affects'] and all(a['ref'] in refs for a in v['affects']), v
assert vs['CVE-2016-7406']['ratings'][0]['score'] == 9.8
PY"
"$POSTERN" scan "$t/old" --no-run --vulndb "$db" -f sarif -o "$t/old.sarif"
check "SARIF: one rule per CVE, with the vuln.* catalog entry as its help" "$PY - '$t/old.sarif' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
run = d['runs'][0]
rules = {r['id']: r for r in run['tool']['driver']['rules']}
for cve, rule in [('CVE-2016-5195', 'vuln.known-exploited'), ('CVE-2016-7406', 'vuln.critical'),
                  ('CVE-2020-25681', 'vuln.high'), ('CVE-2022-28391', 'vuln.high'),
                  ('CVE-2023-5678', 'vuln.other')]:
    assert rules[cve]['properties']['postern-rule'] == rule, rules[cve]
    h = rules[cve]['help']['markdown']
    assert 'Why it matters: ' in h and 'How to fix: ' in h, rules[cve]
res = [r for r in run['results'] if r['ruleId'].startswith('CVE-')]
assert len(res) == 5 and all(run['tool']['driver']['rules'][r['ruleIndex']]['id'] == r['ruleId'] for r in res), res
PY"
cat > "$t/waive.yaml" <<'YAML'
waivers:
  - rule: vuln.critical
    location: "*!/usr/sbin/dropbear"
    justification: "dbclient is not built in (ticket 18)"
    expires: 2099-12-31
YAML
"$POSTERN" scan "$t/old" --no-run --vulndb "$db" --policy "$t/waive.yaml" --vex "$t/old.vex" -f cyclonedx -o "$t/oldw.cdx"
check "VEX: the vulnerabilities by BOM-Link, a waived one not_affected with its justification" "$PY - '$t/old.vex' '$t/oldw.cdx' <<'PY'
import json, sys
v = json.load(open(sys.argv[1])); bom = json.load(open(sys.argv[2]))
assert v['bomFormat'] == 'CycloneDX' and v['specVersion'] == '1.5' and 'components' not in v
assert v['serialNumber'] != bom['serialNumber']
link = 'urn:cdx:%s/1#' % bom['serialNumber'][len('urn:uuid:'):]
refs = {c['bom-ref'] for c in bom['components']}
st = {x['id']: x['analysis'] for x in v['vulnerabilities']}
assert st['CVE-2016-7406'] == {'state': 'not_affected', 'detail': 'dbclient is not built in (ticket 18)'}, st
assert st['CVE-2022-28391']['state'] == 'in_triage', st
for x in v['vulnerabilities']:
    for a in x['affects']:
        assert a['ref'].startswith(link) and a['ref'][len(link):] in refs, a
PY"
check "the BOM with vulnerabilities and the VEX document validate against CycloneDX 1.5" \
  '$PY "$SRC/tests/e2e/lib/validate.py" "$SRC/docs/schema/cyclonedx/bom-1.5.SNAPSHOT.schema.json" "$t/oldw.cdx" && $PY "$SRC/tests/e2e/lib/validate.py" "$SRC/docs/schema/cyclonedx/bom-1.5.SNAPSHOT.schema.json" "$t/old.vex"'
check "the JSON report with vuln findings validates against postern's schema" \
  '$PY "$SRC/tests/e2e/lib/validate.py" "$SRC/docs/schema/postern.schema.json" "$t/old.json"'
check "the SARIF report validates against the OASIS 2.1.0 schema" \
  '$PY "$SRC/tests/e2e/lib/validate.py" "$SRC/docs/schema/sarif-schema-2.1.0.json" "$t/old.sarif"'

# Debian: the busybox package is Debian's 1:1.35.0-4+deb12u1; upstream
# 1.35.0 is in CVE-2022-28391's NVD range, but Debian's record says fixed in
# 1:1.35.0-4 (a backport): not matched. Its CVE-2022-48174 record (fixed
# 1:1.36.1-1) matches.
deb="$t/deb"; mkdir -p "$deb/etc" "$deb/var/lib/dpkg"
banner "$deb/bin/busybox" "BusyBox v1.35.0 (2023-01-01 00:00:00 UTC) multi-call binary."
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' > "$deb/etc/os-release"
printf 'Package: busybox\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:1.35.0-4+deb12u1\n\n' > "$deb/var/lib/dpkg/status"
"$POSTERN" scan "$deb" --no-run --vulndb "$db" -f json -o "$t/deb.json"
check "Debian backport: matched by Debian's records only" "$PY - '$t/deb.json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = [(f['rule'], f['message'].split(' is affected by ')[1].split(' ')[0], f['evidence']) for f in d['findings'] if f['rule'].startswith('vuln')]
assert len(v) == 1 and v[0][:2] == ('vuln.critical', 'CVE-2022-48174'), v
assert v[0][2].startswith('osv DEBIAN-CVE-2022-48174: osv ECOSYSTEM range, 1:1.35.0-4+deb12u1 < 1:1.36.1-1'), v
PY"
rm "$deb/var/lib/dpkg/status"
"$POSTERN" scan "$deb" --no-run --vulndb "$db" -f json -o "$t/deb2.json"
check "the same binary without the package: the upstream range matches" "grep -q CVE-2022-28391 '$t/deb2.json'"

# PyPI through OSV: a requests dist-info in the GHSA record's range (vuln.other,
# CVSS 6.1); after the same record comes back withdrawn, nothing.
py="$t/py/usr/lib/python3/dist-packages/requests-2.28.1.dist-info"; mkdir -p "$py"
printf 'Metadata-Version: 2.1\nName: requests\nVersion: 2.28.1\n' > "$py/METADATA"
"$POSTERN" scan "$t/py" --no-run --vulndb "$db" -f json -o "$t/py1.json"
$PY -c "import json,sys; r=json.load(open(sys.argv[1])); r['withdrawn']='2024-06-01T00:00:00Z'; r['modified']='2024-06-01T00:00:00Z'; json.dump(r, open(sys.argv[2], 'w'))" \
  "$F/osv-ghsa.json" "$t/withdrawn.json"
"$POSTERN" vulndb import --db "$db" "$t/withdrawn.json" > /dev/null
"$POSTERN" scan "$t/py" --no-run --vulndb "$db" -f json -o "$t/py2.json"
check "PyPI: requests 2.28.1 matches GHSA-j8r2-6x86-q33q (CVE-2023-32681, low); withdrawn, it does not" "$PY - '$t/py1.json' '$t/py2.json' <<'PY'
import json, sys
v1 = [(f['rule'], f['severity'], f['message'].split(' is affected by ')[1].split(' ')[0], f['evidence']) for f in json.load(open(sys.argv[1]))['findings'] if f['rule'].startswith('vuln')]
v2 = [f for f in json.load(open(sys.argv[2]))['findings'] if f['rule'].startswith('vuln')]
assert v1 == [('vuln.other', 'low', 'CVE-2023-32681', 'osv GHSA-j8r2-6x86-q33q: osv ECOSYSTEM range, 2.3.0 <= 2.28.1 < 2.31.0')], v1
assert v2 == [], v2
PY"

# Stale: the newest import 30 days old; the default age is 7 days.
$PY -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('UPDATE source SET imported=imported-30*86400'); c.commit()" "$db"
"$POSTERN" scan "$t/new" --no-run --vulndb "$db" -f json -o "$t/stale.json"
"$POSTERN" scan "$t/new" --no-run --vulndb "$db" --vulndb-max-age 60 -f json -o "$t/fresh.json"
check "vulndb.stale (info) past the age, silent within it" "grep -q '\"vulndb.stale\"' '$t/stale.json' && ! grep -q 'vulndb.stale' '$t/fresh.json'"

# The demo router image (Debian d-i udebs): busybox-udeb against Debian's records.
if "$SRC/scripts/make-router-image" --arch mipsel "$t/router.bin" > /dev/null 2>&1; then
  "$POSTERN" scan "$t/router.bin" --no-run --vulndb "$db" --vulndb-max-age 36500 -f json -o "$t/router.json"
  check "router image (Debian 12 from its +deb12u versions): busybox-udeb matches CVE-2022-48174 through Debian's record, not CVE-2022-28391's Debian 11 range; the kernel image 6.1.176-1 is past CVE-2024-1086's fix" "$PY - '$t/router.json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = sorted((f['rule'], f['message'].split(' is affected by ')[1].split(' ')[0], f['location'].split('!')[-1]) for f in d['findings'] if f['rule'].startswith('vuln'))
assert v == [('vuln.critical', 'CVE-2022-48174', '/var/lib/dpkg/status')], v
PY"
else
  echo "ok - router image skipped (no d-i netboot package here)"
fi
exit $fail
