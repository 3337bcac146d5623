#!/usr/bin/env bash
# Role profiles (rules/roles/) on stock servers: Debian's builds of the
# servers the profiles describe - web (lighttpd, mini_httpd, BusyBox httpd),
# FTP (vsftpd, ProFTPD), DHCP (udhcpc in BusyBox, wide-dhcpv6's dhcp6c,
# dnsmasq), UPnP (miniupnpd), SNMP (snmpd), remote shells (dropbear,
# inetutils telnetd, BusyBox telnetd), NTP (ntpsec, openntpd), and programs that
# once looked like servers out of role (wget: an FTP client; hostapd and
# wpa_supplicant: WPS; mosquitto: drops privileges after its configuration) - for amd64 and,
# where Debian builds them, mipsel and armel. Each is recognised in its role
# (the inventory's capability.role.*), and none gets an out-of-role finding,
# a log-wiping finding, or any capability or signature finding above low.
# Packages come from apt-get download (lib/debs.sh); what cannot be had is
# skipped, never faked.
set -u
fail=0
checked=0
check() {
	checked=$((checked + 1))
	if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi
}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
. "$(dirname "$0")/lib/debs.sh"

n=0
for spec in lighttpd:amd64 lighttpd:mipsel mini-httpd:amd64 mini-httpd:armel vsftpd:amd64 \
	vsftpd:mipsel vsftpd:armel proftpd-core:amd64 proftpd-core:mipsel busybox-static:amd64 \
	busybox-static:mipsel wide-dhcpv6-client:amd64 wide-dhcpv6-client:mipsel dnsmasq-base:amd64 \
	dnsmasq-base:mipsel miniupnpd-iptables:amd64 miniupnpd-iptables:mipsel snmpd:amd64 \
	dropbear-bin:amd64 dropbear-bin:mipsel inetutils-telnetd:amd64 ntpsec:amd64 openntpd:amd64 \
	wget:mipsel hostapd:mipsel wpasupplicant:amd64 mosquitto:mipsel; do
	f=$(cached_deb "$spec")
	if [ -z "$f" ]; then
		echo "skip - $spec: not downloadable here"
		continue
	fi
	n=$((n + 1))
	# the programs only: documentation and configuration are not servers
	mkdir -p "$t/x" "$t/stock/${spec/:/-}"
	dpkg-deb -x "$f" "$t/x"
	find "$t/x" -type f -path '*bin/*' -exec mv {} "$t/stock/${spec/:/-}/" \;
	rm -rf "$t/x"
done
[ "$n" -gt 0 ] || { echo "skip - no package downloadable"; exit 77; }

"$POSTERN" scan "$t/stock" --format json --inventory --no-progress -o "$t/stock.json"

# q PYTHON-EXPR over findings F and the inventory's ELF capabilities C
# (location suffix -> list): exit 0 when true
q() {
	python3 - "$t/stock.json" "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
F = d["findings"]
rank = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
C = {n["location"]: n["binary"].get("capabilities", []) for n in d["inventory"] if "binary" in n}
def role(suffix, r):
    return any(l.endswith(suffix) and "capability.role." + r in c for l, c in C.items())
ok = eval(sys.argv[2])
if not ok:
    for f in F:
        if rank[f["severity"]] >= 2 or "out-of-role" in f["rule"]:
            print("  ", f["rule"], f["severity"], f["location"], file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}

check "$n packages: no out-of-role finding" \
	"q 'not any(\"out-of-role\" in f[\"rule\"] for f in F)'"
check "no log wiping" "q 'not any(f[\"rule\"] == \"capability.log-wiping\" for f in F)'"
check "no capability, signature or hidden-command finding above low" \
	"q 'all(rank[f[\"severity\"]] <= 1 for f in F if f[\"rule\"].split(\".\")[0] in (\"capability\", \"signature\", \"backdoor\"))'"
for r in "/lighttpd web-server" "/mini_httpd web-server" "/vsftpd ftp-server" "/proftpd ftp-server" \
	"/dhcp6c dhcp-agent" "/dnsmasq dns-forwarder" "/miniupnpd upnp-daemon" "/snmpd snmp-agent" \
	"/dropbear remote-shell" "/telnetd remote-shell" "/ntpd ntp-client" "/hostapd wps-agent" \
	"/wpa_supplicant wps-agent"; do
	set -- $r
	if grep -q "\"[^\"]*$1\"" "$t/stock.json"; then
		check "$1 is recognised as $2" "q 'role(\"$1\", \"$2\")'"
	fi
done

echo "1..$checked"
exit $fail
