#!/usr/bin/env bash
# Accuracy on a labelled set (issue 14 §5, issue 21): what postern concludes on
# inputs whose truth is known. Not part of the test run.
#   positives  every test implant (tests/implants, built by its build.sh for every
#              architecture the tests use) and the back doors the e2e tests plant
#              into the router-style image (tests/e2e/lib/plants.sh, scripts/make-router-image)
#   negatives  Debian packages an appliance carries, for five architectures (each
#              ELF file in them is one clean executable); clean images: every distinct
#              root filesystem image of Debian 12's eight d-i packages, a router-like
#              root filesystem per architecture (squashfs, cpio, tar), four products per
#              architecture each in four vendor formats (bench/lib/clean_products.sh);
#              the test programs that only look like back doors; the real images of
#              tests/fixtures/real (three labelled known-real, outside the rates)
# Prints detection and false-positive rates (bench/accuracy.py); --doc appends
# the tables to docs/accuracy.md. Downloads: ${XDG_CACHE_HOME:-~/.cache}/postern-bench;
# output: ${ACCURACY_OUT:-bench/out/accuracy}. --images: the clean images only.
# usage: bench/accuracy.sh [--doc] [--offline] [--images]
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
postern=${POSTERN:-$here/build/postern}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/postern-bench
out=${ACCURACY_OUT:-$here/bench/out/accuracy}
doc=0 offline=0 images=0
for a in "$@"; do
  case $a in --doc) doc=1 ;; --offline) offline=1 ;; --images) images=1 ;; *) sed -n '2,20p' "$0"; exit 64 ;; esac
done
[ -x "$postern" ] || { echo "accuracy: build postern first ($postern)" >&2; exit 69; }
# the implants are kept between runs (delete bench/out/accuracy/impl to rebuild them)
rm -rf "$out/json" "$out/images" "$out/plant" "$out/errors"; mkdir -p "$out/json" "$cache/debs" "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial"
manifest=$out/manifest.tsv # set label arch item json focus
: > "$manifest"
log() { echo "accuracy: $*" >&2; }
add() { # SET LABEL ARCH ITEM PATH [FOCUS]: one labelled item; prints its row number
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "${6:-}" >> "$manifest"
  wc -l < "$manifest"
}
scan_row() { # N PATH: the JSON report of row N
  nice -n 10 timeout 900 "$postern" scan "$2" --format json --inventory --no-progress --no-run \
    -j "${3:-1}" -o "$out/json/$1.json" > /dev/null 2>&1
  [ -s "$out/json/$1.json" ] || echo "$2" >> "$out/errors"
}
# Images are big and the disk may not be: each one made from the cache is
# scanned as soon as it is made, then deleted.
scan_now() { scan_row "$(add "$@")" "$5" 2; rm -f "$5"; }
# The same, in the background, at most ${JOBS:-2} at a time: the next image is
# made while the last ones are scanned; at most JOBS+1 images are on disk.
scan_bg() {
  local n
  n=$(add "$@")
  while [ "$(jobs -rp | wc -l)" -ge "${JOBS:-2}" ]; do wait -n; done
  (scan_row "$n" "$5" 1; rm -f "$5") &
}
SECONDS=0

# --- the clean packages ------------------------------------------------------
# The architectures Debian and the host's apt know (amd64, armel, mipsel: the
# machine's own lists) and two more through a private apt state in the cache,
# so the system's apt configuration is left alone.
sys_archs="amd64 armel mipsel" own_archs="arm64 i386"
# Debian 12 ships its installer as one package per architecture,
# debian-installer-12-netboot-ARCH (Architecture: all): these are all of them
di_archs="amd64 armhf armel mipsel arm64 i386 mips64el ppc64el"
. "$here/bench/lib/clean_products.sh"
apt_own=(-o "Dir::State::Lists=$cache/apt/lists" -o "Dir::Cache=$cache/apt/cache"
  -o APT::Architectures::=arm64 -o APT::Architectures::=i386)
pkgs="busybox dropbear-bin openssh-server openssh-client openssh-sftp-server lighttpd nginx-core
dnsmasq-base hostapd wpasupplicant wide-dhcpv6-client isc-dhcp-client isc-dhcp-server miniupnpd
ppp pppoe iptables nftables ebtables arptables curl wget openvpn vsftpd proftpd-core
inetutils-telnetd inetutils-telnet inetutils-ftp snmpd avahi-daemon ntpsec chrony socat
netcat-openbsd tcpdump iproute2 iputils-ping ethtool bridge-utils vlan iw wireless-tools rsync
mosquitto radvd xl2tpd strongswan-charon wireguard-tools openssl smbclient samba-common-bin
coreutils util-linux procps bash dash sed grep findutils tar gzip xz-utils kmod e2fsprogs
mtd-utils u-boot-tools login passwd sudo cron rsyslog logrotate ifupdown net-tools
uhttpd mini-httpd thttpd"
apt_for() { case " $own_archs " in *" $1 "*) echo own ;; *) echo sys ;; esac; }
fetch_into() { # ARCH DIR PKG...: those of the packages ARCH has, into DIR, one apt-get call
  local arch=$1 d=$2 want=() p opts=()
  shift 2
  [ $# -gt 0 ] || return 0
  [ "$(apt_for "$arch")" = own ] && opts=("${apt_own[@]}")
  for p in $(apt-cache "${opts[@]}" show --no-all-versions "${@/%/:$arch}" 2>/dev/null |
    sed -n 's/^Package: //p' | sort -u); do want+=("$p:$arch"); done
  [ ${#want[@]} -gt 0 ] || return 0
  (cd "$d" && apt-get -q "${opts[@]}" download "${want[@]}" > /dev/null 2>&1) || log "some $arch packages failed"
}
fetch_arch() { # ARCH: the packages of $pkgs not yet in $cache/debs/ARCH
  local d=$cache/debs/$1 miss=() p
  mkdir -p "$d"
  for p in $pkgs; do ls "$d/${p}_"*.deb > /dev/null 2>&1 || miss+=("$p"); done
  fetch_into "$1" "$d" "${miss[@]}"
}
if [ $offline = 0 ]; then
  if [ ! -s "$cache/apt/lists/lock" ] && ! ls "$cache/apt/lists/"*arm64_Packages* > /dev/null 2>&1; then
    log "apt lists for $own_archs (private, under $cache/apt)"
    apt-get -q "${apt_own[@]}" update > /dev/null 2>&1 || log "apt-get update for $own_archs failed"
  fi
  for a in $sys_archs $own_archs; do log "packages for $a"; fetch_arch "$a"; prod_fetch "$a"; done
  for a in $di_archs; do
    p=debian-installer-12-netboot-$a
    ls "$cache/debs/${p}_"*.deb > /dev/null 2>&1 && continue
    # scripts/make-router-image's cache may have it already
    f=$(ls "${POSTERN_CACHE:-$HOME/.cache/postern}/debs/${p}_"*.deb 2>/dev/null | head -n1)
    [ -n "$f" ] && { ln -f "$f" "$cache/debs/" 2>/dev/null || cp "$f" "$cache/debs/"; continue; }
    log "$p"
    if [ "$(apt_for "$a")" = own ]; then (cd "$cache/debs" && apt-get -q "${apt_own[@]}" download "$p" > /dev/null 2>&1)
    else (cd "$cache/debs" && apt-get -q download "$p" > /dev/null 2>&1); fi || log "cannot download $p"
  done
fi
log "downloads ready (${SECONDS}s)"

# streamc2 connects out and decrypts with a hidden RC4 but runs nothing: a
# shape a person should look at (review, medium), not a back door (fail).
review_names="streamc2"
# --- positives: implants ------------------------------------------------------
if [ $images = 0 ]; then
pos_names="bindshell revshell pkttrigger keylogger bruteforce rawtrigger icmpshell ircbot
cfgdaemon tinydl bare-bindshell"
neg_names="authdaemon multitool pinger weakcipherd nsslogin staticsh tinyhello ircbot:NOTIFY cfgdaemon:LOGIN"
impl_archs="x86_64 armel mipsel mips i386 powerpc aarch64 sh4 sparc64 m68k"
if [ ! -e "$out/impl/.done" ]; then
  log "building implants for $impl_archs"
  rm -rf "$out/impl"
  ARCHS=$impl_archs nice -n 10 "$here/tests/implants/build.sh" "$out/impl" $pos_names $review_names $neg_names \
    > "$out/impl.log" 2>&1 && : > "$out/impl/.done" || log "implant build failed (see $out/impl.log)"
fi
# one scan per build directory (x86_64-static...): each file in it is one unit,
# a positive when its name is among $pos_names (the report splits them)
for d in "$out"/impl/*/; do
  d=${d%/}
  add implants mixed "$(basename "$d" | cut -d- -f1)" "$(basename "$d")" "$d" "$(echo $pos_names)" > /dev/null
done
# issue 21's hidden-command servers (tests/hidden): each back-doored build a
# positive, its clean build a negative
if [ ! -e "$out/hidden/.done" ]; then
  log "building the hidden-command servers"
  rm -rf "$out/hidden"
  nice -n 10 "$here/tests/hidden/build.sh" "$out/hidden" > "$out/hidden.log" 2>&1 && : > "$out/hidden/.done" \
    || log "hidden-command build failed (see $out/hidden.log)"
fi
for d in "$out"/hidden/*/; do
  d=${d%/}
  case $d in *-lib) continue ;; esac
  add implants mixed "$(basename "$d" | cut -d- -f1)" "hidden-$(basename "$d")" "$d" \
    "$(cd "$d" && ls | grep -- '-backdoor$' | tr '\n' ' ')" > /dev/null
done

fi

# --- positives: planted images (the e2e tests' generators) --------------------
. "$here/tests/e2e/lib/plants.sh"
mk=$here/scripts/make-router-image
plant_dir=$out/plant
mkdir -p "$plant_dir"
if "$mk" --arch mipsel --rootfs-out "$plant_dir/rootfs" "$plant_dir/clean.bin" > "$out/mk.log" 2>&1; then
  all=""
  for p in "${access_plants[@]}"; do all="$all ( ${p#*|} ) &&"; done
  files=$(for p in "${access_plants[@]}"; do printf '%s ' "${p%%|*}"; done)
  [ $images = 0 ] && "$mk" --plant "$all true" "$plant_dir/access.bin" >> "$out/mk.log" 2>&1 &&
    scan_now plant positive mipsel image+access-plants "$plant_dir/access.bin" "$files"
  # streamc2 (crypto.rc4-hidden) is planted too, but as a review shape: it is
  # expected at medium, so it is not among the files that must be >= high
  files=$(for r in $implant_plant_files; do
    case $r in crypto.rc4-hidden:*) continue ;; esac
    printf '%s ' "${r#*:}"
  done)
  [ $images = 0 ] && "$mk" --plant "$(implant_plant "$out/impl")" "$plant_dir/implants.bin" >> "$out/mk.log" 2>&1 &&
    scan_now plant positive mipsel image+implants "$plant_dir/implants.bin" "$files"
  scan_now image negative mipsel router-image-clean "$plant_dir/clean.bin"
  rm -rf "$plant_dir/rootfs"
else
  log "make-router-image failed: no planted images (see $out/mk.log)"
fi

# --- negatives: packages, their executables, images made of them --------------
[ $images = 1 ] || for a in $sys_archs $own_archs; do # one scan per architecture: each ELF in each .deb is a unit
  add package negative "$a" "debs-$a" "$cache/debs/$a" > /dev/null
done
skel() { # DIR: what a router's root filesystem has beside its packages
  mkdir -p "$1/etc/init.d" "$1/root" "$1/tmp" "$1/var/run"
  printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$1/etc/passwd"
  printf 'root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n' > "$1/etc/shadow"
  printf '::sysinit:/etc/init.d/rcS\n::askfirst:-/bin/login\n::shutdown:/bin/umount -a -r\n' > "$1/etc/inittab"
  printf '#!/bin/sh\nmount -a\nfor s in /etc/init.d/S*; do [ -x "$s" ] && "$s" start; done\n' > "$1/etc/init.d/rcS"
  chmod 755 "$1/etc/init.d/rcS"; chmod 640 "$1/etc/shadow"
}
img_dir=$out/images
mkdir -p "$img_dir"
# what a router's root filesystem holds (the big base packages - coreutils,
# util-linux, samba, strongswan - are measured as executables, not imaged)
image_pkgs="busybox dropbear-bin dnsmasq-base hostapd wpasupplicant wide-dhcpv6-client
isc-dhcp-client miniupnpd ppp pppoe iptables ebtables arptables curl openvpn inetutils-telnetd
iproute2 iputils-ping iw wireless-tools bridge-utils vlan ethtool lighttpd mini-httpd vsftpd
socat netcat-openbsd chrony radvd xl2tpd mtd-utils u-boot-tools wireguard-tools snmpd
avahi-daemon mosquitto"
for a in $sys_archs $own_archs; do
  r=$img_dir/root-$a
  rm -rf "$r"; mkdir -p "$r"
  for p in $image_pkgs; do
    for deb in "$cache/debs/$a/${p}_"*.deb; do [ -e "$deb" ] && dpkg-deb -x "$deb" "$r"; done
  done
  skel "$r"
  log "router-like root filesystem for $a: $(du -sm "$r" | cut -f1) MB"
  SOURCE_DATE_EPOCH=1700000000 nice -n 10 mksquashfs "$r" "$img_dir/router-$a.sqfs" -comp xz -all-root \
    -noappend -quiet -no-progress > /dev/null 2>&1 &&
    scan_bg image negative "$a" router-rootfs.squashfs "$img_dir/router-$a.sqfs"
  (cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -6 -n) > "$img_dir/router-$a.cpio.gz" &&
    scan_bg image negative "$a" router-rootfs.cpio.gz "$img_dir/router-$a.cpio.gz"
  tar -C "$r" --owner=0 --group=0 -czf "$img_dir/router-$a.tar.gz" . &&
    scan_bg image negative "$a" router-rootfs.tar.gz "$img_dir/router-$a.tar.gz"
  tar -C "$r" --owner=0 --group=0 -cf "$img_dir/router-$a.tar" . &&
    scan_bg image negative "$a" router-rootfs.tar "$img_dir/router-$a.tar"
  wait
  rm -rf "$r"
done
# every distinct root filesystem image of every d-i package: the text and gtk
# initrds, the U-Boot-wrapped uInitrd, Buffalo's initrd and the DNS-320's
# netboot.img (kernels alone are not root filesystems and are left out)
for a in $di_archs; do
  deb=$(ls "$cache/debs/debian-installer-12-netboot-${a}_"*.deb 2>/dev/null | head -n1)
  [ -n "$deb" ] || continue
  d=$img_dir/di-$a
  rm -rf "$d"; mkdir -p "$d/x"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$d/x" --wildcards '*/initrd.gz' '*/uInitrd' \
    '*/initrd.buffalo' '*/netboot.img' 2>/dev/null
  while read -r f; do # not a pipe: the scans in the background are this shell's jobs
    h=$(sha256sum < "$f" | cut -c1-12)
    [ -e "$d/$h.seen" ] && continue
    : > "$d/$h.seen"
    mv "$f" "$d/$h.img"
    item="d-i$(echo "${f#"$d"/x/usr/lib/debian-installer/images/12/$a}" | tr / _)"
    label=negative
    # docs/accuracy.md: the DNS-320 network-console image preseeds the UID-0
    # installer account's SSH password to "install" (oldsys-preseed): a real finding
    case $item in *dns-320*netboot.img) label=known-real ;; esac
    scan_bg image "$label" "$a" "$item" "$d/$h.img"
  done < <(find "$d/x" -type f | LC_ALL=C sort)
  wait
  rm -rf "$d"
  log "d-i images for $a scanned (${SECONDS}s)"
done
# the products (bench/lib/clean_products.sh): four package sets per
# architecture, each packed in four of the vendor formats, in turn
fi_=0 prod_log=$out/pack.log
: > "$prod_log"
set -- $prod_formats
nf=$#
for a in $sys_archs $own_archs; do
  k=$img_dir/kernel-$a
  prod_kernel "$a" "$k" || { log "no d-i kernel for $a: its vendor-wrapped products are skipped"; rm -f "$k"; }
  for p in $prod_names; do
    r=$img_dir/prod-$a-$p
    prod_root "$a" "$p" "$r"
    for i in 1 2 3 4; do
      eval "f=\${$(( fi_ % nf + 1 ))}"
      fi_=$((fi_ + 1))
      case $f in uimage*|trx*|tplink|chk) [ -s "$k" ] || continue ;; esac
      o=$img_dir/prod-$a-$p.$f
      if prod_pack "$f" "$r" "$k" "$a" "$o"; then scan_bg image negative "$a" "product-$p.$f" "$o"
      else log "packing $a $p as $f failed"; rm -f "$o"; fi
    done
    wait
    rm -rf "$r"
  done
  rm -f "$k"
  log "products for $a scanned (${SECONDS}s)"
done
set --
for f in "$here"/tests/fixtures/real/*.bin "$here"/tests/fixtures/real/*.img "$here"/tests/fixtures/real/*.trx; do
  [ -e "$f" ] || continue
  label=negative
  case $(basename "$f") in # docs/accuracy.md: findings a person agrees with
    *r35817*) label=known-real ;; # a hard-coded root password piped into passwd at boot
    dd-wrt-*) label=known-real ;; # a private key shipped in the image
    *r9680*) label=known-real ;; # 0777 boot files and programs under a writable overlay
  esac
  printf 'real\t%s\tmips/arm\t%s\t%s\t\n' "$label" "$(basename "$f")" "$f" >> "$manifest"
done
log "images done: $(wc -l < "$manifest") items (${SECONDS}s); scanning the rest"

# --- scan everything, two at a time -------------------------------------------
export postern out
awk -F'\t' '{print NR "\t" $5}' "$manifest" | while IFS= read -r l; do [ -e "$out/json/${l%%	*}.json" ] || echo "$l"; done |
  xargs -P "${JOBS:-2}" -L 1 -d '\n' sh -c 'n=${0%%	*} f=${0#*	};
    nice -n 10 timeout 900 "$postern" scan "$f" --format json --inventory --no-progress --no-run -j 1 \
      -o "$out/json/$n.json" > /dev/null 2>&1; [ -s "$out/json/$n.json" ] || echo "$f" >> "$out/errors"'
log "scans done (${SECONDS}s)"
commit=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$here" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo "+changes")
docargs=()
[ $doc = 1 ] && docargs=(--doc "$here/docs/accuracy.md")
ACCURACY_REVIEW="$review_names" python3 "$here/bench/accuracy.py" "$manifest" "$out/json" --commit "$commit$dirty" --seconds "$SECONDS" \
  --details "$out/details.txt" "${docargs[@]}" | tee "$out/report.md"
