#!/usr/bin/env bash
# Components from binaries alone against the package database's ground truth
# (issue 18; docs/components.md). Inputs: the installer initrd of Debian's
# d-i netboot package for four architectures, and the router-style image
# (scripts/make-router-image, mipsel). Each is scanned with
# POSTERN_COMPONENTS=binaries (dpkg's status file ignored); the truth is that
# status file (udebs) in the same tree, mapped to fingerprinted components
# below, the expected version being the upstream part of the package version
# (the kernel's: the /lib/modules release). Per component: recall (present
# in the truth and found with that version) and precision (found versions
# that the truth confirms); components with no package in the map are listed
# apart ("no ground truth").
# Second part: Debian's own packages of the fingerprinted components for
# amd64 and mipsel (DEB_PKGS below), each unpacked and scanned alone; the
# package's upstream version is the truth for its component. A component
# written -NAME is not in the package's files (its programs load the
# library from another package: the openssl program, the sqlite3 shell):
# not counted for recall, and any version reported there must agree.
# usage: bench/components.sh [ARCH...]   (default: amd64 arm64 armhf mipsel)
# env: POSTERN (the binary), OUT (work directory, default bench/out/components),
# DEB_ARCHS (the packages' architectures, default amd64 mipsel)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
POSTERN=${POSTERN:-$here/build/postern}
out=${OUT:-$here/bench/out/components}
mkdir -p "$out/debs"
archs=${*:-amd64 arm64 armhf mipsel}

for a in $archs; do
  pkg=debian-installer-12-netboot-$a
  ls "$out/debs/${pkg}_"*.deb >/dev/null 2>&1 || (cd "$out/debs" && apt-get download "$pkg" >/dev/null 2>&1)
  rm -rf "$out/$a" && mkdir -p "$out/$a/deb" "$out/$a/root"
  dpkg-deb -x "$out/debs/${pkg}_"*.deb "$out/$a/deb"
  # the text installer's initrd (mipsel has one per board: malta's)
  initrd=$(find "$out/$a/deb" -name initrd.gz \( -path '*/text/*' -o -path '*/malta/*' \) | sort | head -n1)
  (cd "$out/$a/root" && gzip -dc "$initrd" | cpio -id --quiet --no-absolute-filenames 2>/dev/null) || true
  rm -rf "$out/$a/deb"
  POSTERN_COMPONENTS=binaries "$POSTERN" scan "$out/$a/root" --no-run -f json --inventory \
    -o "$out/$a.json" || true
done
"$here/scripts/make-router-image" --arch mipsel --rootfs-out "$out/router-root" "$out/router.bin" >/dev/null
POSTERN_COMPONENTS=binaries "$POSTERN" scan "$out/router.bin" --no-run -f json --inventory \
  -o "$out/router.json" || true

# package=component: Debian's binaries of the fingerprinted components
DEB_PKGS="busybox=busybox busybox-static=busybox dnsmasq-base=dnsmasq hostapd=hostapd
wpasupplicant=wpa_supplicant lighttpd=lighttpd dropbear-bin=dropbear openssh-server=openssh
openssh-client=openssh libssl3=openssl openssl=-openssl libwolfssl35=wolfssl libmbedcrypto7=mbedtls
libgnutls30=gnutls curl=curl libcurl4=libcurl zlib1g=zlib libpng16-16=libpng
libjpeg62-turbo=libjpeg-turbo libexpat1=expat openvpn=openvpn libupnp13=libupnp ppp=ppp
liblua5.3-0=lua lua5.1=lua avahi-daemon=avahi libdbus-1-3=dbus libpcap0.8=libpcap
mini-httpd=mini_httpd util-linux=util-linux ebtables=ebtables libc6=glibc libc-bin=glibc
sqlite3=-sqlite libsqlite3-0=sqlite iproute2=iproute2 bash=bash libssh2-1=libssh2
isc-dhcp-client=isc-dhcp vsftpd=vsftpd minidlna=minidlna libtinfo6=ncurses libgcrypt20=libgcrypt
iptables=iptables strongswan-starter=strongswan chrony=chrony musl=musl perl-base=perl
python3.11-minimal=python bluez=bluez samba=samba php8.2-cli=php nginx=nginx
miniupnpd-nftables=miniupnpd ntpsec=ntpsec libxml2=libxml2 e2fsprogs=e2fsprogs
squashfs-tools=squashfs-tools libevent-2.1-7=libevent libldap-2.5-0=openldap"
# One apt-get for all of an architecture's missing packages (each apt-get
# rebuilds the package cache in memory: a minute per call on a loaded
# machine); a package the architecture lacks would fail the whole call, so
# only those with a candidate are asked for.
fetch() { # ARCH DIR
  local want=() pc p
  for pc in $DEB_PKGS; do
    p=${pc%%=*}
    ls "$2/${p}_"*.deb >/dev/null 2>&1 || want+=("$p:$1")
  done
  [ ${#want[@]} -gt 0 ] || return 0
  mapfile -t want < <(apt-cache policy "${want[@]}" 2>/dev/null |
    awk '/^[^ ]/ {p = $1; sub(/:$/, "", p)} /Candidate:/ && $2 != "(none)" {print p}')
  [ ${#want[@]} -gt 0 ] || return 0
  (cd "$2" && apt-get download "${want[@]}" >/dev/null 2>&1) || true
}
for a in ${DEB_ARCHS:-amd64 mipsel}; do
  mkdir -p "$out/pkgs-$a/debs"; : > "$out/pkgs-$a.truth"
  fetch "$a" "$out/pkgs-$a/debs"
  for pc in $DEB_PKGS; do
    p=${pc%%=*}; c=${pc#*=}
    ls "$out/pkgs-$a/debs/${p}_"*.deb >/dev/null 2>&1 || continue
    deb=$(ls "$out/pkgs-$a/debs/${p}_"*.deb | head -n1)
    rm -rf "$out/pkgs-$a/$p" && mkdir -p "$out/pkgs-$a/$p" && dpkg-deb -x "$deb" "$out/pkgs-$a/$p"
    printf '%s\t%s\t%s\n' "$p" "$c" "$(dpkg-deb -f "$deb" Version)" >> "$out/pkgs-$a.truth"
  done
  find "$out/pkgs-$a" -maxdepth 1 -name '*.deb' -delete
  POSTERN_COMPONENTS=binaries "$POSTERN" scan "$out/pkgs-$a" --no-run -f json --inventory \
    -o "$out/pkgs-$a.json" || true
done

python3 - "$out" $archs router <<'PY'
import json, os, re, sys
out, targets = sys.argv[1], sys.argv[2:]
# component -> the packages (udebs and debs) that ship it
MAP = {
  'busybox': r'busybox(-udeb|-static)?', 'glibc': r'libc6(-udeb)?', 'zlib': r'zlib1g(-udeb)?',
  'openssl': r'lib(ssl|crypto)[0-9.]*(-udeb)?', 'dropbear': r'dropbear.*',
  'openssh': r'openssh-(server|client)(-udeb)?', 'wpa_supplicant': r'wpasupplicant(-udeb)?',
  'hostapd': r'hostapd', 'libpng': r'libpng16-16(-udeb)?', 'util-linux': r'(util-linux|mount|fdisk)(-udeb)?',
  'ppp': r'ppp(-udeb)?', 'curl': r'curl', 'libcurl': r'libcurl[0-9].*', 'expat': r'libexpat1(-udeb)?',
  'dnsmasq': r'dnsmasq(-base)?', 'lighttpd': r'lighttpd', 'gnutls': r'libgnutls30(-udeb)?',
  'mbedtls': r'libmbed(crypto|tls)[0-9]+', 'wolfssl': r'libwolfssl[0-9]+', 'lua': r'liblua5\..*|lua5\..*',
  'dbus': r'libdbus-1-3(-udeb)?', 'avahi': r'avahi-daemon|libavahi-common3', 'libpcap': r'libpcap0\.8',
  'iproute2': r'iproute2(-udeb)?', 'libgcrypt': r'libgcrypt20(-udeb)?', 'ncurses': r'libncurses[w]?6(-udeb)?|libtinfo6(-udeb)?',
}
def upstream(v):
    v = v.split(':', 1)[-1]
    v = re.sub(r'-[^-]*$', '', v) if '-' in v else v
    return re.sub(r'[.+~](dfsg|ds|really).*$|-stable$', '', v)
def agrees(found, vs):
    # a version more specific than the package's (ncurses 6.4.20221231 for 6.4) agrees
    return any(found == v or found.startswith(v + '.') for v in vs)
def truth(root):
    st = os.path.join(root, 'var/lib/dpkg/status')
    pk = {}
    if os.path.exists(st):
        for para in open(st, errors='replace').read().split('\n\n'):
            f = dict(l.split(': ', 1) for l in para.splitlines() if ': ' in l and not l.startswith(' '))
            if 'Package' in f and 'Version' in f:
                pk[f['Package']] = f['Version']
    want = {}
    for comp, rx in MAP.items():
        vs = {upstream(v) for p, v in pk.items() if re.fullmatch(rx, p)}
        if vs:
            want[comp] = vs
    mods = os.path.join(root, 'lib/modules')
    if os.path.isdir(mods) and os.listdir(mods):
        want['linux'] = set(os.listdir(mods))
    return want
stats = {}
def add(c, k):
    stats.setdefault(c, {'present': 0, 'found': 0, 'tp': 0, 'fp': 0, 'miss': [], 'false': []})[k] += 1
for t in targets:
    root = os.path.join(out, 'router-root' if t == 'router' else t + '/root')
    want = truth(root)
    d = json.load(open(os.path.join(out, t + '.json')))
    got = {}
    for c in d.get('components', []):
        got.setdefault(c['name'], set()).add(c.get('version', ''))
    for c, vs in want.items():
        add(c, 'present')
        if not any(agrees(g, vs) for g in got.get(c, set())):
            stats[c]['miss'].append('%s:%s' % (t, '/'.join(sorted(vs))))
    for c, vs in got.items():
        for v in vs:
            add(c, 'found')
            if c not in MAP and c != 'linux':
                continue
            if agrees(v, want.get(c, set())):
                add(c, 'tp')
            else:
                add(c, 'fp')
                stats[c]['false'].append('%s:%s' % (t, v))
print('| component | present in | found (files agree on) | recall | precision | notes |')
print('|---|---|---|---|---|---|')
T = {'present': 0, 'tp': 0, 'fp': 0}
for c in sorted(stats):
    s = stats[c]
    tp = s['tp']
    known = c in MAP or c == 'linux'
    rec = '%d%%' % round(100 * min(tp, s['present']) / s['present']) if s['present'] else '-'
    pre = '%d%%' % round(100 * tp / (tp + s['fp'])) if known and tp + s['fp'] else '-'
    note = '; '.join(filter(None, ['missed ' + ', '.join(s['miss']) if s['miss'] else '',
                                   'wrong ' + ', '.join(s['false']) if s['false'] else '',
                                   '' if known else 'no ground truth (no package mapped)']))
    print('| %s | %d | %d | %s | %s | %s |' % (c, s['present'], s['found'], rec, pre, note))
    if known:
        T['present'] += s['present']; T['tp'] += min(tp, s['present']); T['fp'] += s['fp']
tot_tp = T['tp']
print('| **all mapped** | %d | | %d%% | %d%% | |' % (T['present'], round(100 * tot_tp / max(T['present'], 1)),
      round(100 * tot_tp / max(tot_tp + T['fp'], 1))))
PY

# Debian's packages, one by one: is the package's component found in it,
# with the package's upstream version? Precision counts every hit of a
# package's own component; other components found in a package (a static
# library, a build-time banner) are listed beside it.
for a in ${DEB_ARCHS:-amd64 mipsel}; do
  echo; echo "Debian packages, $a:"
  python3 - "$out/pkgs-$a.json" "$out/pkgs-$a.truth" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
truth = [l.rstrip('\n').split('\t') for l in open(sys.argv[2]) if l.strip()]
def upstream(v):
    v = v.split(':', 1)[-1]
    v = re.sub(r'-[^-]*$', '', v) if '-' in v else v
    return re.sub(r'[.+~](dfsg|ds|really).*$|-stable$', '', v)
hits = {}
for c in d.get('components', []):
    for f in c['files']:
        pkg = f['location'].split('!', 1)[1].split('/')[1]
        hits.setdefault(pkg, []).append((c['name'], c.get('version', '')))
rows, tp, fn, fp = [], 0, 0, 0
for pkg, comp, ver in truth:
    want = upstream(ver)
    elsewhere = comp.startswith('-')
    comp = comp.lstrip('-')
    mine = [v for n, v in hits.get(pkg, []) if n == comp]
    ok = [v for v in mine if v == want or v.startswith(want + '.') or (comp == 'linux' and v.startswith(want.split('.')[0]))]
    bad = [v for v in mine if v not in ok]
    fp += len(set(bad))
    if elsewhere:
        tp += bool(ok)
        found = 'WRONG ' + ','.join(sorted(set(bad))) if bad else 'yes' if ok else 'not in it (linked)'
    else:
        tp += bool(ok); fn += not ok
        found = 'yes' if ok else ('WRONG ' + ','.join(sorted(set(bad))) if bad else 'no')
    others = sorted({'%s %s' % h for h in hits.get(pkg, []) if h[0] != comp})
    rows.append('| %s | %s | %s | %s | %s |' % (pkg, comp, want, found, ', '.join(others)))
print('| package | component | version | found | also found |')
print('|---|---|---|---|---|')
print('\n'.join(rows))
print('recall %d/%d = %d%%, precision %d/%d = %d%%' % (tp, tp + fn, round(100 * tp / max(tp + fn, 1)),
      tp, tp + fp, round(100 * tp / max(tp + fp, 1))))
PY
done
