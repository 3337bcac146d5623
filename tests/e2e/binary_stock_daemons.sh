#!/usr/bin/env bash
# Stock daemons stay quiet: Debian's DHCPv6 client (wide-dhcpv6-client's
# dhcp6c: a control listener, a hook script run with execve), web servers
# (lighttpd, mini-httpd) and FTP servers (vsftpd, proftpd) for amd64, mipsel
# and armel get nothing above medium from the capability rules and no
# signature. Also their builds as router vendors ship them,
# made here by planting strings into .rodata (tests/tools/plant_strings.py):
# a dhcp6c that names /bin/sh (TP-Link's, which got capability.bind-shell,
# critical) and web servers whose firmware upgrade runs wget and chmod (which
# got capability.download-execute, high): low at most. And the configuration
# back door beside them (tests/implants/cfgdaemon.c for mipsel) is critical.
# And haveged, rdnssd and brltty from the d-i initrds of mips64el, ppc64el and
# amd64: no command server, no keylogger.
# Packages are fetched with apt-get download PKG:ARCH into
# ~/.cache/postern/debs (lib/debs.sh; foreign architectures need `dpkg --add-architecture`,
# which scripts/install-deps does); what cannot be had is skipped, never faked.
set -u
fail=0
checked=0
check() {
	checked=$((checked + 1))
	if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi
}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
. "$(dirname "$0")/lib/debs.sh"

# capability findings above medium on ELF files: "N rule@location..."
loud() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
bad = [f for f in d["findings"] if f["rule"].startswith("capability.")
       and f["severity"] in ("high", "critical")]
for f in bad:
    print(f["rule"], f["severity"], f["location"], file=sys.stderr)
print(len(bad))
PY
}

# severity of rule on the file whose location ends with suffix, or "none"
sev_of() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = [f["severity"] for f in d["findings"] if f["rule"] == sys.argv[2]
     and f["location"].endswith(sys.argv[3])]
print(s[0] if s else "none")
PY
}

mkdir -p "$t/stock" "$t/vendor"
n=0
for spec in wide-dhcpv6-client:amd64 wide-dhcpv6-client:mipsel wide-dhcpv6-client:armel \
	lighttpd:amd64 lighttpd:mipsel mini-httpd:amd64 mini-httpd:mipsel mini-httpd:armel \
	vsftpd:amd64 vsftpd:mipsel proftpd-core:mipsel; do
	p=${spec%%:*} a=${spec##*:}
	f=$(cached_deb "$spec")
	if [ -z "$f" ]; then
		echo "skip - $spec: not downloadable here"
		continue
	fi
	n=$((n + 1))
	mkdir -p "$t/stock/$p-$a"
	dpkg-deb -x "$f" "$t/stock/$p-$a"
	# the vendor-style builds
	case $p in
	wide-dhcpv6-client)
		python3 "$SRC/tests/tools/plant_strings.py" "$t/stock/$p-$a/usr/sbin/dhcp6c" \
			"$t/vendor/dhcp6c-$a" /bin/sh ;;
	lighttpd)
		python3 "$SRC/tests/tools/plant_strings.py" "$t/stock/$p-$a/usr/sbin/lighttpd" \
			"$t/vendor/lighttpd-$a" "wget -O /tmp/fw.bin http://" "chmod +x /tmp/fw.bin" ;;
	mini-httpd)
		python3 "$SRC/tests/tools/plant_strings.py" "$t/stock/$p-$a/usr/sbin/mini_httpd" \
			"$t/vendor/mini_httpd-$a" "wget -O /tmp/fw.bin http://" "chmod +x /tmp/fw.bin" ;;
	esac
done
[ "$n" -gt 0 ] || { echo "skip - no package downloadable"; exit 77; }

"$POSTERN" scan "$t/stock" --format json --inventory --no-progress -o "$t/stock.json"
check "stock: $n packages, no capability above medium" '[ "$(loud "$t/stock.json")" = 0 ]'
# the FTP servers whose tampered sources the signature pack names
check "stock: no signature" '! grep -q "\"signature\." "$t/stock.json"'

"$POSTERN" scan "$t/vendor" --format json --no-progress -o "$t/vendor.json"
check "vendor builds: no capability above medium" '[ "$(loud "$t/vendor.json")" = 0 ]'
for f in "$t"/vendor/dhcp6c-*; do
	[ -e "$f" ] || continue
	b=/$(basename "$f")
	check "$b naming /bin/sh: no bind-shell" '[ "$(sev_of "$t/vendor.json" capability.bind-shell "$b")" = none ]'
done
for f in "$t"/vendor/*httpd*; do
	[ -e "$f" ] || continue
	b=/$(basename "$f")
	check "$b with a wget firmware upgrade: download-execute low" \
		'[ "$(sev_of "$t/vendor.json" capability.download-execute "$b")" = low ]'
done

# Debian's installer programs on the 64-bit ABIs whose socket() arguments
# were once not read (mips64el's n64, ppc64el's ELFv2; both were medium) and
# on amd64: haveged's command socket (AF_UNIX), rdnssd's netlink and ICMPv6
# sockets and brltty's BrlAPI socket stay on the device, so no command
# server and no keylogger. From the d-i netboot packages (Architecture: all).
mkdir -p "$t/di"
for a in mips64el ppc64el amd64; do
	f=$(cached_deb "debian-installer-12-netboot-$a")
	if [ -z "$f" ]; then
		echo "skip - d-i $a: not downloadable here"
		continue
	fi
	case $a in
	mips64el) img=mips64el/malta/initrd.gz ;;
	*) img=$a/text/debian-installer/$a/initrd.gz ;;
	esac
	mkdir -p "$t/di/$a"
	dpkg-deb --fsys-tarfile "$f" | tar -x -O "./usr/lib/debian-installer/images/12/$img" |
		gzip -dc | (cd "$t/di/$a" && cpio -id --quiet usr/sbin/haveged sbin/rdnssd bin/brltty \
			2>/dev/null)
	"$POSTERN" scan "$t/di/$a" --format json --no-progress -o "$t/di-$a.json"
	for b in /usr/sbin/haveged /sbin/rdnssd /bin/brltty; do
		if [ ! -e "$t/di/$a$b" ]; then
			echo "skip - d-i $a: no $b"
			continue
		fi
		check "d-i $a $b: no command server, no keylogger" \
			'[ "$(sev_of "$t/di-$a.json" capability.unauthenticated-config-server "$b")" = none ] &&
			 [ "$(sev_of "$t/di-$a.json" capability.keylogger "$b")" = none ]'
	done
done

# the back door beside them still fails
if command -v mipsel-linux-gnu-gcc >/dev/null; then
	mkdir -p "$t/bd"
	mipsel-linux-gnu-gcc -O2 -s -shared -fPIC -o "$t/libnvram.so" "$SRC/tests/implants/nvram.c"
	mipsel-linux-gnu-gcc -O2 -s -w -o "$t/bd/cfgdaemon" "$SRC/tests/implants/cfgdaemon.c" \
		-L"$t" -lnvram
	cp "$t"/vendor/dhcp6c-* "$t/bd/" 2>/dev/null
	"$POSTERN" scan "$t/bd" --format json --no-progress -o "$t/bd.json"
	check "cfgdaemon beside them: critical" \
		'[ "$(sev_of "$t/bd.json" capability.unauthenticated-config-server /cfgdaemon)" = critical ]'
fi

echo "1..$checked"
exit $fail
