#!/usr/bin/env bash
# No finding of severity high or above on any ELF of Debian's legitimate
# remote-access and network packages, nor on the unmodified d-i root
# filesystems (mipsel malta, armhf) and a minbase root filesystem, and a
# hardening summary for each package.
# Packages are fetched with apt-get download into ~/.cache/postern/debs
# (kept between runs) and unpacked with dpkg-deb -x; without the Debian
# mirror or the cached files the case is skipped, never faked.
set -u
fail=0
checked=0
check() {
	checked=$((checked + 1))
	if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi
}
cache=${POSTERN_DEB_CACHE:-$HOME/.cache/postern/debs}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mkdir -p "$cache"
pkgs="openssh-server dropbear-bin inetutils-telnetd busybox-static lighttpd dnsmasq-base"

missing=""
for p in $pkgs; do ls "$cache/${p}_"*.deb >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
	(cd "$cache" && apt-get download $missing >/dev/null 2>&1) || true
fi

# high or critical findings on ELF files, from the JSON report
high_on_elf() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
elf = {n["location"] for n in d.get("inventory", []) if n.get("kind") == "elf"}
bad = [f for f in d["findings"] if f["severity"] in ("high", "critical") and f["location"] in elf]
for f in bad:
    print(f["rule"], f["location"], file=sys.stderr)
nelf = len(elf)
print(len(bad), nelf)
PY
}

for p in $pkgs; do
	deb=$(ls "$cache/${p}_"*.deb 2>/dev/null | head -1)
	if [ -z "$deb" ]; then
		echo "skip - $p: not downloadable here"
		continue
	fi
	mkdir -p "$t/$p"
	dpkg-deb -x "$deb" "$t/$p"
	"$POSTERN" scan "$t/$p" --format json --inventory --no-progress -o "$t/$p.json"
	read -r nbad nelf < <(high_on_elf "$t/$p.json")
	check "$p: $nelf ELF files, no high finding" '[ "$nelf" -gt 0 ] && [ "$nbad" -eq 0 ]'
	check "$p: hardening summary" 'grep -q "binary.hardening-summary" "$t/$p.json"'
done

# The d-i root filesystems, from the netboot image packages if cached.
for spec in mipsel:malta/initrd.gz armhf:text/debian-installer/armhf/initrd.gz; do
	arch=${spec%%:*}
	deb=$(ls "$cache"/debian-installer-12-netboot-"$arch"_*.deb 2>/dev/null | head -1)
	if [ -z "$deb" ]; then
		echo "skip - d-i $arch: debian-installer-12-netboot-$arch not cached"
		continue
	fi
	mkdir -p "$t/di-$arch"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -O "./usr/lib/debian-installer/images/12/$arch/${spec#*:}" \
		| gzip -dc | (cd "$t/di-$arch" && cpio -id --quiet 2>/dev/null)
	"$POSTERN" scan "$t/di-$arch" --format json --inventory --no-progress -o "$t/di-$arch.json"
	read -r nbad nelf < <(high_on_elf "$t/di-$arch.json")
	check "d-i $arch rootfs: $nelf ELF files, no high finding" '[ "$nelf" -gt 300 ] && [ "$nbad" -eq 0 ]'
	rm -rf "$t/di-$arch"
done
# A Debian minbase root filesystem (debootstrap --foreign only unpacks the
# packages: no chroot, nothing executed), kept in the cache.
mb=${POSTERN_MINBASE:-$HOME/.cache/postern/minbase-bookworm}
if [ ! -d "$mb/usr/bin" ] && command -v debootstrap >/dev/null; then
	debootstrap --foreign --variant=minbase bookworm "$mb" http://deb.debian.org/debian \
		> /dev/null 2>&1 || rm -rf "$mb"
fi
if [ -d "$mb/usr/bin" ]; then
	"$POSTERN" scan "$mb" --format json --inventory --no-progress -o "$t/minbase.json"
	read -r nbad nelf < <(high_on_elf "$t/minbase.json")
	check "minbase rootfs: $nelf ELF files, no high finding" '[ "$nelf" -gt 300 ] && [ "$nbad" -eq 0 ]'
else
	echo "skip - no minbase root filesystem (install debootstrap)"
fi
[ $checked -gt 0 ] || exit 77
exit $fail
