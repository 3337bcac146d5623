#!/usr/bin/env bash
# False-positive sweep: scans clean Debian packages — by default the network,
# web, crypto and system software appliances are built from — and lists every
# finding of medium severity or above. A clean package should pass; each
# review or fail here is either a real property of the package worth a look
# or a false positive to fix. Packages come from `apt-get download` (cached in
# ${POSTERN_CACHE:-~/.cache/postern}/sweep) or, with --apt-cache, from every
# .deb in /var/cache/apt/archives.
# usage: bench/debian_sweep.sh [--apt-cache] [PACKAGE...]
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
postern=${POSTERN:-$here/build/postern}
cache=${POSTERN_CACHE:-$HOME/.cache/postern}/sweep
out=$here/bench/out/sweep
mkdir -p "$cache" "$out"
[ -x "$postern" ] || { echo "debian_sweep: build postern first" >&2; exit 69; }
default_pkgs="openssh-server openssh-client dropbear-bin busybox busybox-static lighttpd nginx-core
apache2-bin openssl libssl3 curl wget dnsmasq-base hostapd wpasupplicant iptables nftables ppp
samba vsftpd mosquitto avahi-daemon miniupnpd bind9 isc-dhcp-server chrony rsyslog snmpd
iproute2 ethtool tcpdump socat netcat-openbsd inetutils-telnetd telnet ftp lftp rsync
sudo login passwd util-linux procps coreutils systemd udev kmod e2fsprogs dosfstools
python3.11-minimal perl-base bash dash zlib1g libc6 libcurl4 libgnutls30 libmbedtls14
ca-certificates tzdata"
debs=()
if [ "${1:-}" = --apt-cache ]; then
  shift
  for f in /var/cache/apt/archives/*.deb; do debs+=("$f"); done
else
  pkgs=${*:-$default_pkgs}
  for p in $pkgs; do
    f=$(ls "$cache/${p}_"*.deb 2>/dev/null | head -n1)
    if [ -z "$f" ]; then
      (cd "$cache" && apt-get download "$p" >/dev/null 2>&1) || { echo "debian_sweep: cannot download $p" >&2; continue; }
      f=$(ls "$cache/${p}_"*.deb | head -n1)
    fi
    debs+=("$f")
  done
fi
: > "$out/results.txt"
pass=0 review=0 fail=0 err=0
for f in "${debs[@]}"; do
  timeout 600 "$postern" scan "$f" --no-progress --format json -o "$out/cur.json" 2>/dev/null
  line=$(python3 - "$f" "$out/cur.json" <<'PY'
import json, os, sys
try:
    d = json.load(open(sys.argv[2]))
except Exception as e:
    print("error", os.path.basename(sys.argv[1]), e); sys.exit()
fs = [f for f in d["findings"] if f["severity"] in ("critical", "high", "medium")]
print(d["verdict"], os.path.basename(sys.argv[1]),
      "; ".join("%s %s at %s" % (f["severity"], f["rule"], f["location"].split("!")[-1]) for f in fs))
PY
)
  echo "$line" >> "$out/results.txt"
  case "$line" in pass*) pass=$((pass+1));; review*) review=$((review+1));; fail*) fail=$((fail+1));; *) err=$((err+1));; esac
done
grep -v '^pass' "$out/results.txt"
echo "debian_sweep: ${#debs[@]} packages: $pass pass, $review review, $fail fail, $err not scanned (details: $out/results.txt)"
