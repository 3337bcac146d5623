#!/usr/bin/env bash
# The router-style image (scripts/make-router-image: Debian's d-i netboot
# kernel and initrd) lists its kernel and BusyBox as components in the
# CycloneDX BOM: BusyBox from the /bin/busybox banner, the kernel release from
# the kernel's own banner (inside the self-decompressing vmlinuz) and its
# modules' vermagic (the same release as /lib/modules/RELEASE), the
# installer's udebs from its dpkg status file; the BOM validates against the
# official CycloneDX 1.5 schema. Skipped (77) without the d-i package.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
PY=/usr/bin/python3

if ! "$SRC/scripts/make-router-image" --arch mipsel --rootfs-out "$t/rootfs" "$t/router.bin" \
	> /dev/null 2>&1; then
  echo "skip - make-router-image failed (no d-i netboot package here)"
  exit 77
fi
release=$(ls "$t/rootfs/lib/modules" | head -n1)
bbline=$(grep -a -o -m1 'BusyBox v[0-9.]*' "$t/rootfs/bin/busybox" | head -n1)
"$POSTERN" scan "$t/router.bin" --no-run -f cyclonedx -o "$t/router.cdx.json"
check "kernel and BusyBox are components of the router image" "$PY - '$t/router.cdx.json' '$release' '${bbline#BusyBox v}' <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); release, bb = sys.argv[2], sys.argv[3]
sw = [c for c in d['components'] if c['type'] != 'file']
k = [c for c in sw if c['name'] == 'linux']
assert len(k) == 1 and k[0]['version'] == release and k[0]['type'] == 'operating-system', k
occ = [o['location'] for o in k[0]['evidence']['occurrences']]
# the kernel's own banner, in the xz image inside the self-decompressing vmlinuz, and its modules
assert [o for o in occ if o.startswith('router.bin!/kernel!xz@')] == [o for o in occ if '!/lib/modules/' not in o], occ
assert len([o for o in occ if o.startswith('router.bin!/kernel!xz@')]) == 1, occ
assert all('!/lib/modules/%s/' % release in o for o in occ if not o.startswith('router.bin!/kernel!')), occ
b = [c for c in sw if c['name'] == 'busybox']
assert len(b) == 1 and b[0]['version'] == bb and b[0]['cpe'].startswith('cpe:2.3:a:busybox:busybox:' + bb + ':'), b
assert [o['location'].split('!')[-1] for o in b[0]['evidence']['occurrences']] == ['/bin/busybox'], b
u = [c for c in sw if c['name'] == 'busybox-udeb']
assert len(u) == 1 and u[0]['purl'].startswith('pkg:deb/debian/busybox-udeb@'), u
PY"
check "the router BOM validates against the official CycloneDX 1.5 schema" \
  '$PY "$SRC/tests/e2e/lib/validate.py" "$SRC/docs/schema/cyclonedx/bom-1.5.SNAPSHOT.schema.json" "$t/router.cdx.json"'
exit $fail
