#!/usr/bin/env bash
# rpm's BerkeleyDB hash database /var/lib/rpm/Packages (src/analyze/rpmbdb.c;
# docs/components.md), written by tests/tools/mkrpmbdb.py: the packages are
# those rpmdb.sqlite gives (components_meta.sh: same names, versions, purls)
# with headers on overflow chains and one on the hash page, in both byte
# orders and two page sizes; with db5.3-util, the same records loaded by the
# real library (db_load -t hash; also with page checksums, big-endian) read
# the same; a truncated file, a chain that loops, a chain past the last page
# and a wrong magic are unpack.damaged (low) saying why, never a crash or a
# hang; the same for rpm 4.16's NDB Packages.db (truncated, a slot past the
# file, a wrong magic); a package name past PST_CAP_PKG_FIELD is limit.cap;
# the package cap holds; a Packages file outside the rpm directories is not
# read.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
PY=/usr/bin/python3
GEN="$PY $SRC/tests/tools/mkrpmbdb.py"

# the components (name version purl) and the rules of the findings on the
# database file ($3, default Packages)
summary() {
  db=${3:-Packages}
  mkdir -p "$t/tree_$1/var/lib/rpm"
  cp "$2" "$t/tree_$1/var/lib/rpm/$db"
  timeout 60 "$POSTERN" scan "$t/tree_$1" --no-run -f json --inventory -o "$t/$1.json"
  echo "rc=$?" > "$t/$1.rc"
  $PY - "$t/$1.json" "/var/lib/rpm/$db" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for c in sorted(d.get('components', []), key=lambda c: c['name']):
    print(c['name'], c.get('version'), c.get('purl', ''))
for f in sorted(d['findings'], key=lambda f: f['rule']):
    if f['location'].endswith(sys.argv[2]):
        print('finding', f['rule'], f['severity'])
PY
}
want='bash 5.1.8-9.el9 pkg:rpm/rpm/bash@5.1.8-9.el9?arch=x86_64
openssl-libs 1:3.0.7-27.el9 pkg:rpm/rpm/openssl-libs@1%3A3.0.7-27.el9?arch=x86_64
zlib 1.2.11-31.el9 pkg:rpm/rpm/zlib@1.2.11-31.el9?arch=x86_64'

$GEN "$t/le4k" --dump "$t/le4k.dump"
check "4096-byte pages, little-endian: the three packages, as from rpmdb.sqlite, no finding" \
  '[ "$(summary le4k "$t/le4k")" = "$want" ] && grep -q "rc=0" "$t/le4k.rc"'
$GEN "$t/be1k" --psize 1024 --big
check "1024-byte pages, big-endian (long chains): the same three packages" \
  '[ "$(summary be1k "$t/be1k")" = "$want" ]'
check "the headers did need overflow chains (file of more than 3 pages)" \
  '[ $(stat -c %s "$t/le4k") -gt $((4096 * 3)) ]'

if command -v db5.3_load >/dev/null; then
  db5.3_load -t hash -f "$t/le4k.dump" "$t/real.db"
  check "db_load -t hash (the real library) writes a file read the same" \
    '[ "$(summary real "$t/real.db")" = "$want" ]'
  db5.3_load -t hash -c chksum=1 -f "$t/le4k.dump" "$t/chksum.db"
  check "db_load with page checksums (32-byte page headers): read the same" \
    '[ "$(summary chksum "$t/chksum.db")" = "$want" ]'
  db5.3_load -t hash -c db_lorder=4321 -c db_pagesize=1024 -f "$t/le4k.dump" "$t/realbe.db"
  check "db_load big-endian with 1024-byte pages: read the same" \
    '[ "$(summary realbe "$t/realbe.db")" = "$want" ]'
else
  echo "ok - # SKIP db5.3-util not installed (scripts/install-deps installs it)"
fi

dmg="finding unpack.damaged low"
$GEN "$t/trunc" --damage truncate
check "truncated inside a chain: unpack.damaged (low), only the package on the hash page" \
  '[ "$(summary trunc "$t/trunc")" = "$(printf "%s\n%s" "$(echo "$want" | sed -n 3p)" "$dmg")" ]'
$GEN "$t/loop" --damage loop --psize 1024
check "a chain that loops back: unpack.damaged, the other packages still read" \
  '[ "$(summary loop "$t/loop")" = "$(printf "%s\n%s\n%s" "$(echo "$want" | sed -n 1p)" \
     "$(echo "$want" | sed -n 3p)" "$dmg")" ]'
$GEN "$t/past" --damage pastend
check "a chain pointing past the last page: unpack.damaged, the others read" \
  '[ "$(summary past "$t/past")" = "$(printf "%s\n%s\n%s" "$(echo "$want" | sed -n 1p)" \
     "$(echo "$want" | sed -n 3p)" "$dmg")" ]'
$GEN "$t/magic" --damage magic
check "a wrong magic: unpack.damaged, no package" '[ "$(summary magic "$t/magic")" = "$dmg" ]'
head -c 300 "$t/le4k" > "$t/tiny"
check "300 bytes of it: unpack.damaged, no crash" '[ "$(summary tiny "$t/tiny")" = "$dmg" ]'
why() { grep -o '"message": "rpm database: [^"]*' "$t/$1.json"; }
check "the reasons: a loop, past the file, no hash database" \
  'why loop | grep -q "a loop" && why past | grep -q "points past the file" &&
   why magic | grep -q "no BerkeleyDB hash database"'
check "no scan crashed or timed out" '[ $(cat "$t"/*.rc | grep -c "^rc=[01]$") -ge 8 ]'

# rpm 4.16's NDB database, /var/lib/rpm/Packages.db: a slot page, then blobs
ndb() { $GEN "$t/$1.db" --ndb "${@:2}" && summary "$1" "$t/$1.db" Packages.db; }
check "NDB Packages.db: the same three packages, no finding" '[ "$(ndb ndb_ok)" = "$want" ]'
check "NDB truncated in its last blob: unpack.damaged, the other two read" \
  '[ "$(ndb ndb_trunc --damage truncate)" = \
     "$(printf "%s\n%s\n%s" "$(echo "$want" | sed -n 1,2p)" "$dmg")" ]'
check "NDB with a slot past the file: unpack.damaged, the others read" \
  '[ "$(ndb ndb_past --damage pastend)" = "$(printf "%s\n%s\n%s" "$(echo "$want" | sed -n 1p)" \
     "$(echo "$want" | sed -n 3p)" "$dmg")" ]'
check "NDB with a wrong magic: unpack.damaged, no package" \
  '[ "$(ndb ndb_magic --damage magic)" = "$dmg" ]'
check "NDB with a package name past PST_CAP_PKG_FIELD: the three others, limit.cap" \
  '[ "$(ndb ndb_long --long)" = "$(printf "%s\n%s" "$want" "finding limit.cap medium")" ] &&
   grep -q "PST_CAP_PKG_FIELD" "$t/ndb_long.json"'

# PST_CAP_RPM_PACKAGES (50000): the 50001st package is limit.cap, the 50000th is not
count() { $PY -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['components']),
  ' '.join(f['message'].split('(internal cap ')[-1].split(',')[0]
           for f in d['findings'] if f['rule'] == 'limit.cap'))" "$t/$1.json"; }
$GEN "$t/many1" --many 50001
summary many1 "$t/many1" > /dev/null
check "50001 packages: 50000 listed, limit.cap naming PST_CAP_RPM_PACKAGES" \
  '[ "$(count many1)" = "50000 PST_CAP_RPM_PACKAGES" ]'
$GEN "$t/many0" --many 50000
summary many0 "$t/many0" > /dev/null
check "50000 packages: all listed, no cap" '[ "$(count many0)" = "50000 " ]'

mkdir -p "$t/other/srv"
cp "$t/le4k" "$t/other/srv/Packages"
"$POSTERN" scan "$t/other" --no-run -f json --inventory -o "$t/other.json"
check "a Packages file outside /var/lib/rpm is not read as the rpm database" \
  "! grep -q 'pkg:rpm/' '$t/other.json'"
exit $fail
