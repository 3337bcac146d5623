#!/usr/bin/env bash
# Software components in the CycloneDX BOM (src/analyze/components.c): a tree
# with a dpkg status file, an opkg status file and control file, and Debian's
# busybox-static binary gives exactly those components (the binary's BusyBox
# version is the upstream part of the version dpkg records for
# busybox-static); packages that are gone, banners in text files, ambiguous
# banners and OpenSSH's compatibility patterns give none; a tree without any
# gives no software component. Every BOM validates against the official
# CycloneDX 1.5 schema, and the output is the same on every run.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
PY=/usr/bin/python3
VALIDATE="$PY $SRC/tests/e2e/lib/validate.py"
CDX_SCHEMA="$SRC/docs/schema/cyclonedx/bom-1.5.SNAPSHOT.schema.json"

bbver=$(dpkg-query -W -f '${Version}' busybox-static 2>/dev/null)
bbarch=$(dpkg-query -W -f '${Architecture}' busybox-static 2>/dev/null)
if [ -z "$bbver" ] || [ ! -x /bin/busybox ]; then
  echo "not ok - busybox-static is not installed (scripts/install-deps installs it)"
  exit 1
fi

r=$t/tree
mkdir -p "$r/var/lib/dpkg" "$r/usr/lib/opkg/info" "$r/bin" "$r/usr/share/doc/x" "$r/opt"
cp /bin/busybox "$r/bin/busybox"
cat > "$r/var/lib/dpkg/status" <<EOF
Package: busybox-static
Status: install ok installed
Priority: optional
Architecture: $bbarch
Version: $bbver
Description: Standalone rescue shell with tons of builtin utilities
 Version: 9.9 (a continuation line is not a field)

Package: gone
Status: deinstall ok config-files
Architecture: $bbarch
Version: 1.0-1

Package: libfoo1
Status: install ok unpacked
Architecture: $bbarch
Version: 2:1.2+dfsg-3
EOF
cat > "$r/usr/lib/opkg/status" <<'EOF'
Package: dropbear
Version: 2022.82-2
Depends: libc
Status: install user installed
Architecture: mipsel_24kc
Installed-Time: 1700000000

Package: half
Version: 1
Status: install user half-installed
Architecture: mipsel_24kc
EOF
printf 'Package: uhttpd\nVersion: 2023-06-25-34a8a74d-1\nArchitecture: mipsel_24kc\nDescription: web server\n' \
  > "$r/usr/lib/opkg/info/uhttpd.control"
# Not components: a banner in a text file, two versions in one file, the
# "OpenSSH_7.4*" patterns of a compatibility table.
printf 'BusyBox v1.2.3 (2001) was old.\nLinux version 2.6.32 (x@y) too.\n' > "$r/usr/share/doc/x/NEWS"
{ head -c 512 /dev/zero; printf 'BusyBox v1.2.3 (a)\0'; head -c 64 /dev/zero;
  printf 'BusyBox v1.2.4 (b)\0'; head -c 512 /dev/zero; } > "$r/opt/two.bin"
{ head -c 512 /dev/zero; printf 'OpenSSH_7.4*,OpenSSH_7.5*\0OpenSSH_6.6.1*\0'; head -c 512 /dev/zero; } \
  > "$r/opt/compat.bin"

"$POSTERN" scan "$r" --no-run -f cyclonedx -o "$t/a.cdx.json"; rc=$?
check "scan of the tree succeeds" '[ $rc -eq 0 ] || [ $rc -eq 1 ]'
"$POSTERN" scan "$r" --no-run -f cyclonedx -o "$t/b.cdx.json"
check "same BOM on every run" 'cmp -s "$t/a.cdx.json" "$t/b.cdx.json"'
check "exactly the expected components, with purl, CPE and where they were found" "$PY - '$t/a.cdx.json' '$bbver' '$bbarch' <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1])); dpkgver, arch = sys.argv[2], sys.argv[3]
sw = [c for c in d['components'] if c['type'] != 'file']
got = sorted((c['type'], c['name'], c.get('version'), c.get('purl'), c.get('cpe')) for c in sw)
upstream = re.sub(r'-[^-]*$', '', dpkgver.split(':', 1)[-1])
enc = lambda s: ''.join(ch if ch.isalnum() or ch in '.-_~' else '%%%02X' % ord(ch) for ch in s)
want = sorted([
  ('application', 'busybox', upstream, 'pkg:generic/busybox@' + upstream,
   'cpe:2.3:a:busybox:busybox:%s:*:*:*:*:*:*:*' % upstream),
  ('application', 'busybox-static', dpkgver, 'pkg:deb/debian/busybox-static@%s?arch=%s' % (enc(dpkgver), arch), None),
  ('library', 'libfoo1', '2:1.2+dfsg-3', 'pkg:deb/debian/libfoo1@2%%3A1.2%%2Bdfsg-3?arch=%s' % arch, None),
  ('application', 'dropbear', '2022.82-2', 'pkg:opkg/dropbear@2022.82-2?arch=mipsel_24kc', None),
  ('application', 'uhttpd', '2023-06-25-34a8a74d-1', 'pkg:opkg/uhttpd@2023-06-25-34a8a74d-1?arch=mipsel_24kc', None),
])
assert got == want, (got, want)
files = {c['name']: c['hashes'][0]['content'] for c in d['components'] if c['type'] == 'file'}
for c in sw:
    occ = [o['location'] for o in c['evidence']['occurrences']]
    found = [p['value'] for p in c['properties'] if p['name'] == 'postern:found-in']
    assert len(occ) == 1 and len(found) == 1, c
    path = occ[0].split('!', 1)[1]
    assert found[0] == files[path] + '  ' + occ[0], (found, path)
    tech = c['evidence']['identity']['methods'][0]['technique']
    assert tech == ('binary-analysis' if c['name'] == 'busybox' else 'manifest-analysis'), c
bb = [c for c in sw if c['name'] == 'busybox'][0]
assert bb['evidence']['occurrences'][0]['location'].endswith('!/bin/busybox')
assert len({c['bom-ref'] for c in d['components']}) == len(d['components'])
PY"
check "the BOM validates against the official CycloneDX 1.5 schema" '$VALIDATE "$CDX_SCHEMA" "$t/a.cdx.json"'

"$POSTERN" scan "$r" --no-run -f json --inventory -o "$t/inv.json"
check "JSON inventory: each file lists the components found in it" "$PY - '$t/inv.json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
comps = {n['location'].split('!', 1)[1]: [c['name'] for c in n['components']]
         for n in d['inventory'] if 'components' in n}
assert comps == {'/bin/busybox': ['busybox'], '/var/lib/dpkg/status': ['busybox-static', 'libfoo1'],
                 '/usr/lib/opkg/status': ['dropbear'], '/usr/lib/opkg/info/uhttpd.control': ['uhttpd']}, comps
PY"
check "JSON inventory validates against docs/schema/postern.schema.json" \
  '$VALIDATE "$SRC/docs/schema/postern.schema.json" "$t/inv.json"'

# A tree without any: no software component, still valid.
mkdir -p "$t/plain/etc"; printf 'root:x:0:0::/root:/bin/sh\n' > "$t/plain/etc/passwd"
cp "$r/opt/two.bin" "$t/plain/etc/"
"$POSTERN" scan "$t/plain" --no-run -f cyclonedx -o "$t/plain.cdx.json"
check "no components: only file components" "$PY -c '
import json; d=json.load(open(\"$t/plain.cdx.json\"))
assert d[\"components\"] and all(c[\"type\"]==\"file\" for c in d[\"components\"]), d[\"components\"]'"
check "no components: valid against the official schema" '$VALIDATE "$CDX_SCHEMA" "$t/plain.cdx.json"'

# Each banner on its own: OpenSSL, dropbear, OpenSSH in programs (small C
# programs holding the strings, compiled here, never run), Linux in a raw
# image (data) and in a module's vermagic. The same strings in a data file
# are no component (only the kernel's banner is looked for in data).
mkdir -p "$t/banners/lib/modules/5.10.176/kernel" "$t/banners/data"
b="$t/banners"
prog() { printf 'const char v[] = "%s";\nint main(void) { return v[0]; }\n' "$2" | gcc -O0 -x c - -o "$1"; }
prog "$b/libcrypto.so.1.1" 'OpenSSL 1.1.1w  11 Sep 2023\0needs OpenSSL 3.0 or later'
prog "$b/dropbear" 'SSH-2.0-dropbear_2022.83'
prog "$b/sshd" 'OpenSSH_7.4*\0OpenSSH_9.2p1'
pad() { head -c 256 /dev/zero; }
{ pad; printf 'Linux version 5.10.176 (builder@buildhost) (mipsel-openwrt-linux-musl-gcc) #0 SMP\n'; pad; } > "$b/Image"
printf 'const char m[] __attribute__((section(".modinfo"))) = "vermagic=5.10.176 SMP mod_unload MIPS32_R2 32BIT ";\n' |
  gcc -O0 -c -x c - -o "$b/lib/modules/5.10.176/kernel/foo.ko"
{ pad; printf 'OpenSSL 3.0.11 19 Sep 2023\0SSH-2.0-dropbear_2020.81\0OpenSSH_8.4p1\0BusyBox v1.30.1 (x)\0'; pad; } > "$b/data/blob"
"$POSTERN" scan "$b" --no-run -f cyclonedx -o "$t/banners.cdx.json"
check "banners: OpenSSL, dropbear, OpenSSH, Linux (banner and vermagic merged)" "$PY - '$t/banners.cdx.json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
sw = [c for c in d['components'] if c['type'] != 'file']
assert sorted(c['name'] for c in sw) == ['dropbear', 'linux', 'openssh', 'openssl'], sw
assert not any('/data/blob' in o['location'] for c in sw for o in c['evidence']['occurrences'])
sw = {c['name']: c for c in sw}
assert sw['openssl']['version'] == '1.1.1w' and sw['openssl']['type'] == 'library'
assert sw['openssl']['cpe'] == 'cpe:2.3:a:openssl:openssl:1.1.1w:*:*:*:*:*:*:*'
assert sw['dropbear']['cpe'] == 'cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2022.83:*:*:*:*:*:*:*'
assert sw['openssh']['version'] == '9.2p1' and sw['openssh']['cpe'] == 'cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*'
k = sw['linux']
assert k['version'] == '5.10.176' and k['type'] == 'operating-system'
assert k['cpe'] == 'cpe:2.3:o:linux:linux_kernel:5.10.176:*:*:*:*:*:*:*'
occ = sorted(o['location'].split('!', 1)[1] for o in k['evidence']['occurrences'])
assert occ == ['/Image', '/lib/modules/5.10.176/kernel/foo.ko'], occ
PY"
check "banners: valid against the official schema" '$VALIDATE "$CDX_SCHEMA" "$t/banners.cdx.json"'
exit $fail
