# Clean router-style products for bench/accuracy.sh (issue 14 §5): root
# filesystems built from Debian packages of one architecture, laid out the way
# appliance vendors ship them, packed in the formats and vendor habits postern
# opens. Nothing is planted: every file is a Debian package's or one of the
# boot files written below (a product's own init scripts, accounts locked or in
# OpenWrt's documented first-boot state, docs/first-boot.md).
# Sourced; expects $cache (downloads), $here (the repository), log() and fetch_into(); the
# packing tools' complaints go to $prod_log when it is set.

# The products: a package set each, as a vendor would choose for that device.
prod_names="ap gw nas owrt"
# Some carry the shared libraries their programs link (a glibc product);
# OpenWrt's shape (musl there) and the others ship the programs alone.
prod_pkgs_ap="busybox dropbear-bin dnsmasq-base hostapd wpasupplicant iw wireless-tools iptables
ebtables bridge-utils vlan iproute2 ethtool mtd-utils u-boot-tools libnl-3-200 libnl-genl-3-200
libnl-route-3-200 libmnl0 libxtables12 libip4tc2 libip6tc2"
prod_pkgs_gw="busybox dropbear-bin ppp pppoe xl2tpd openvpn wireguard-tools iptables nftables radvd
wide-dhcpv6-client isc-dhcp-client miniupnpd chrony iputils-ping arptables libc6 libssl3 liblzo2-2
liblz4-1 libpcap0.8 libnftables1 libnftnl11"
prod_pkgs_nas="busybox lighttpd mini-httpd vsftpd avahi-daemon snmpd rsync mosquitto curl socat
netcat-openbsd inetutils-telnet zlib1g libpcre2-8-0 libavahi-common3 libavahi-core7 libdaemon0
libexpat1 libwrap0 libcap2"
prod_pkgs_owrt="busybox dropbear-bin dnsmasq-base hostapd iw iptables ppp pppoe ethtool
wireguard-tools"

# The formats, taken in turn so that each (architecture, product) gets four
# different ones and every format comes up on several architectures.
#   sqfs777   xz squashfs, every file and directory 0777 (a vendor habit; read-only)
#   sqfs-pad  gzip squashfs followed by 0xff up to a 1 MiB boundary (erased flash)
#   cramfs777 cramfs, every file 0777 (read-only)
#   cramfs    cramfs with the packages' modes
#   jffs2     JFFS2, 64 KiB erase blocks, owners squashed, padded to the last block
#   ubi       UBIFS in a UBI image (ubinize), 128 KiB PEBs, 2 KiB pages
#   ext4      ext4 (mke2fs -d), as an eMMC or USB-stick product
#   romfs     romfs (genromfs)
#   uimage    the kernel as a gzip uImage, 64 KiB aligned, then the squashfs, 0xff padded
#   uimage-pad the same with the uImage's data padded with 0xff to the next 64 KiB and its
#             size field counting the padding (a kernel partition's size, not the stream's)
#   trx       Broadcom TRX v1: LZMA kernel and squashfs
#   trx-lying TRX padded with 0xff to its flash partition (8 MiB steps), whose length field says the
#             partition while its CRC is still the one computed over the data alone
#   tplink    TP-Link v1 header: LZMA kernel and squashfs
#   chk       Netgear .chk header: LZMA kernel and squashfs
prod_formats="sqfs777 sqfs-pad cramfs777 cramfs jffs2 ubi ext4 romfs uimage uimage-pad trx
trx-lying tplink chk"

prod_fetch() { # ARCH: the product packages not already in $cache/debs/ARCH, into $cache/prod/ARCH
  local a=$1 d=$cache/prod/$1 miss=() p
  mkdir -p "$d"
  for p in $prod_pkgs_ap $prod_pkgs_gw $prod_pkgs_nas $prod_pkgs_owrt; do
    ls "$cache/debs/$a/${p}_"*.deb > /dev/null 2>&1 || ls "$d/${p}_"*.deb > /dev/null 2>&1 ||
      miss+=("$p")
  done
  fetch_into "$a" "$d" $(printf '%s\n' "${miss[@]}" | sort -u)
}

prod_kernel() { # ARCH OUT: the architecture's d-i netboot kernel, as it is
  local a=$1 deb pat
  deb=$(ls "$cache/debs/debian-installer-12-netboot-${a}_"*.deb 2>/dev/null | head -n1)
  [ -n "$deb" ] || return 1
  case $a in
    armel) pat='*/kirkwood/vmlinuz-*' ;;
    mipsel) pat='*/malta/vmlinuz-*' ;;
    *) pat="*/text/debian-installer/$a/linux" ;;
  esac
  rm -rf "$2.x"; mkdir -p "$2.x"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$2.x" --wildcards "$pat" 2>/dev/null
  find "$2.x" -type f | head -n1 | xargs -r -I{} mv {} "$2"
  rm -rf "$2.x"
  [ -s "$2" ]
}

prod_svc() { # ROOT NAME CMD...: a SysV-style start script for a daemon the product carries
  local r=$1 n=$2
  shift 2
  [ -x "$r/$1" ] || return 0
  printf '#!/bin/sh\ncase "$1" in\nstart) echo "Starting %s"; %s ;;\nstop) killall %s ;;\nesac\n' \
    "$n" "$*" "$(basename "$1")" > "$r/etc/init.d/S50$n"
  chmod 755 "$r/etc/init.d/S50$n"
}

prod_skel() { # ROOT PRODUCT: the boot files and accounts of the product
  local r=$1 p=$2
  mkdir -p "$r/etc/init.d" "$r/root" "$r/tmp" "$r/var/run" "$r/proc" "$r/sys" "$r/dev" "$r/bin" \
    "$r/sbin" "$r/usr/bin" "$r/usr/sbin"
  # BusyBox provides the base commands, as on a router
  [ -x "$r/bin/busybox" ] && for c in sh ash ls cat mount umount login; do
    [ -e "$r/bin/$c" ] || ln -s busybox "$r/bin/$c"
  done
  [ -x "$r/bin/busybox" ] && for c in init syslogd klogd udhcpc ifconfig route; do
    [ -e "$r/sbin/$c" ] || ln -s ../bin/busybox "$r/sbin/$c"
  done
  if [ "$p" = owrt ]; then
    prod_owrt "$r"
    return
  fi
  printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\n' > "$r/etc/passwd"
  printf 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >> "$r/etc/passwd"
  printf 'root:!:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n' \
    > "$r/etc/shadow"
  chmod 640 "$r/etc/shadow"
  printf 'root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n' > "$r/etc/group"
  printf '::sysinit:/etc/init.d/rcS\n::respawn:/sbin/getty -L ttyS0 115200 vt100\n' > "$r/etc/inittab"
  printf '::shutdown:/bin/umount -a -r\n' >> "$r/etc/inittab"
  printf '#!/bin/sh\nmount -t proc proc /proc\nmount -t sysfs sysfs /sys\n' > "$r/etc/init.d/rcS"
  printf 'for s in /etc/init.d/S*; do [ -x "$s" ] && "$s" start; done\n' >> "$r/etc/init.d/rcS"
  chmod 755 "$r/etc/init.d/rcS"
  printf 'proc /proc proc defaults 0 0\ntmpfs /tmp tmpfs defaults 0 0\n' > "$r/etc/fstab"
  echo "$p" > "$r/etc/hostname"
  case $p in
    ap)
      prod_svc "$r" dnsmasq /usr/sbin/dnsmasq -C /etc/dnsmasq.conf
      prod_svc "$r" hostapd /usr/sbin/hostapd -B /etc/hostapd.conf
      prod_svc "$r" dropbear /usr/sbin/dropbear -s -g -p 22
      printf 'interface=br-lan\ndhcp-range=192.168.1.100,192.168.1.200,12h\n' > "$r/etc/dnsmasq.conf"
      printf 'interface=wlan0\nbridge=br-lan\nssid=Product\nwpa=2\nwpa_key_mgmt=WPA-PSK\n' > "$r/etc/hostapd.conf"
      printf 'wpa_pairwise=CCMP\n' >> "$r/etc/hostapd.conf" ;;
    gw)
      prod_svc "$r" pppoe /usr/sbin/pppd call provider
      prod_svc "$r" dropbear /usr/sbin/dropbear -s -g -p 22
      prod_svc "$r" miniupnpd /usr/sbin/miniupnpd -f /etc/miniupnpd/miniupnpd.conf
      prod_svc "$r" chronyd /usr/sbin/chronyd -f /etc/chrony/chrony.conf ;;
    nas)
      prod_svc "$r" lighttpd /usr/sbin/lighttpd -f /etc/lighttpd/lighttpd.conf
      prod_svc "$r" vsftpd /usr/sbin/vsftpd /etc/vsftpd.conf
      prod_svc "$r" avahi /usr/sbin/avahi-daemon -D
      prod_svc "$r" snmpd /usr/sbin/snmpd -Lsd -Lf /dev/null -u Debian-snmp -g Debian-snmp -I -smux ;;
  esac
}

prod_owrt() { # ROOT: OpenWrt's shape and its documented first-boot state (docs/first-boot.md)
  local r=$1
  mkdir -p "$r/lib/preinit" "$r/etc/rc.d" "$r/overlay" "$r/rom"
  printf 'root:x:0:0:root:/root:/bin/ash\ndaemon:*:1:1:daemon:/var:/bin/false\n' > "$r/etc/passwd"
  printf 'nobody:*:65534:65534:nobody:/var:/bin/false\n' >> "$r/etc/passwd"
  printf 'root::0:0:99999:7:::\ndaemon:*:0:0:99999:7:::\nnobody:*:0:0:99999:7:::\n' > "$r/etc/shadow"
  printf 'root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n' > "$r/etc/group"
  [ -e "$r/bin/ash" ] || ln -s busybox "$r/bin/ash"
  printf '::sysinit:/etc/init.d/rcS S boot\n::shutdown:/etc/init.d/rcS K shutdown\n' > "$r/etc/inittab"
  printf '::askconsole:/bin/login.sh\n' >> "$r/etc/inittab"
  cat > "$r/etc/init.d/rcS" <<'EOF'
#!/bin/sh
# run the start scripts linked from /etc/rc.d in order
for i in /etc/rc.d/$1*; do
	[ -x $i ] && $i $2 2>&1
done | logger -s -p 6 -t sysinit
EOF
  cat > "$r/bin/login.sh" <<'EOF'
#!/bin/sh
# the first login: root has no password yet, tell the owner to set one
if grep -qs '^root::' /etc/shadow; then
	echo "No root password is set. Use 'passwd' to set one now."
	exec /bin/ash --login
fi
exec /bin/login
EOF
  cat > "$r/etc/init.d/telnet" <<'EOF'
#!/bin/sh /etc/rc.common
# telnet only until root has a password; then dropbear
START=50
has_root_pwd() {
	local pwd=$([ -f "$1" ] && cat "$1")
	pwd="${pwd#*root:}"
	pwd="${pwd%%:*}"
	test -n "${pwd#[\!x]}"
}
start() {
	if ! has_root_pwd /etc/passwd && ! has_root_pwd /etc/shadow; then
		/usr/sbin/telnetd -l /bin/login.sh
	fi
}
EOF
  cat > "$r/etc/init.d/dropbear" <<'EOF'
#!/bin/sh /etc/rc.common
START=50
start() {
	/usr/sbin/dropbear -P /var/run/dropbear.pid -p 22
}
EOF
  cat > "$r/etc/init.d/dnsmasq" <<'EOF'
#!/bin/sh /etc/rc.common
START=60
start() {
	/usr/sbin/dnsmasq -C /var/etc/dnsmasq.conf -k -x /var/run/dnsmasq.pid
}
EOF
  cat > "$r/lib/preinit/99_10_failsafe_login" <<'EOF'
# failsafe mode (a button pressed during boot): a telnet login for recovery
failsafe_netlogin() {
	telnetd -l /bin/login.sh <> /dev/null 2>&1
}
boot_hook_add failsafe failsafe_netlogin
EOF
  cat > "$r/etc/rc.common" <<'EOF'
#!/bin/sh
# the init scripts' common frame: source the script, run its action
. "$1"
shift
"$@"
EOF
  chmod 755 "$r/etc/init.d/rcS" "$r/bin/login.sh" "$r/etc/init.d/telnet" "$r/etc/init.d/dropbear" \
    "$r/etc/init.d/dnsmasq" "$r/etc/rc.common"
  ln -s ../init.d/dropbear "$r/etc/rc.d/S50dropbear"
  ln -s ../init.d/telnet "$r/etc/rc.d/S50telnet"
  ln -s ../init.d/dnsmasq "$r/etc/rc.d/S60dnsmasq"
  [ -e "$r/usr/sbin/telnetd" ] || ln -s ../../bin/busybox "$r/usr/sbin/telnetd"
  echo OpenWrt > "$r/etc/hostname"
}

prod_root() { # ARCH PRODUCT DIR: the product's root filesystem
  local a=$1 p=$2 r=$3 pkg deb var
  rm -rf "$r"; mkdir -p "$r"
  var=prod_pkgs_$p
  for pkg in ${!var}; do
    for deb in "$cache/debs/$a/${pkg}_"*.deb "$cache/prod/$a/${pkg}_"*.deb; do
      [ -e "$deb" ] && dpkg-deb -x "$deb" "$r"
    done
  done
  rm -rf "$r/usr/share/doc" "$r/usr/share/man" "$r/usr/share/info" "$r/usr/share/locale"
  prod_skel "$r" "$p"
}

pad_to() { # FILE N: pad FILE with 0xff to a multiple of N bytes
  local size rem
  size=$(stat -c %s "$1"); rem=$(( ($2 - size % $2) % $2 ))
  [ "$rem" -eq 0 ] || head -c "$rem" /dev/zero | tr '\0' '\377' >> "$1"
}

prod_pack() { # FORMAT ROOT KERNEL ARCH OUT: pack ROOT as FORMAT into OUT
  # the work directory's path must not start with ROOT's: mkfs.ubifs refuses
  # an output whose path has the root directory's as a prefix, even a sibling's
  local f=$1 r=$2 k=$3 a=$4 o=$5 w uarch kb
  w=$(dirname "$5")/.work-$(basename "$5")
  rm -rf "$w"; mkdir -p "$w"
  sq() { SOURCE_DATE_EPOCH=1700000000 nice -n 10 mksquashfs "$1" "$2" -comp "${3:-xz}" -all-root \
    -noappend -quiet -no-progress > /dev/null 2>> "${prod_log:-/dev/null}"; }
  case $a in amd64) uarch=x86_64 ;; i386) uarch=x86 ;; arm64) uarch=arm64 ;; armel) uarch=arm ;; *) uarch=mips ;; esac
  case $f in
    sqfs777|cramfs777)
      cp -a "$r" "$w/r" && find "$w/r" ! -type l -exec chmod 777 {} + &&
        if [ $f = sqfs777 ]; then sq "$w/r" "$o"; else mkfs.cramfs "$w/r" "$o" > /dev/null 2>> "${prod_log:-/dev/null}"; fi ;;
    sqfs-pad) sq "$r" "$o" gzip && pad_to "$o" 1048576 ;;
    cramfs) mkfs.cramfs "$r" "$o" > /dev/null 2>> "${prod_log:-/dev/null}" ;;
    jffs2) mkfs.jffs2 -r "$r" -o "$o" -e 0x10000 -l -q -p -n > /dev/null 2>> "${prod_log:-/dev/null}" ;;
    ubi)
      mkfs.ubifs -r "$r" -m 2048 -e 126976 -c 4096 -U -o "$w/ubifs.img" > /dev/null 2>> "${prod_log:-/dev/null}" &&
        printf '[rootfs]\nmode=ubi\nimage=%s\nvol_id=0\nvol_type=dynamic\nvol_name=rootfs\nvol_flags=autoresize\n' \
          "$w/ubifs.img" > "$w/ubi.cfg" &&
        ubinize -o "$o" -m 2048 -p 128KiB -s 2048 "$w/ubi.cfg" > /dev/null 2>> "${prod_log:-/dev/null}" ;;
    ext4)
      kb=$(( $(du -sk "$r" | cut -f1) * 3 / 2 + 8192 ))
      mke2fs -q -t ext4 -d "$r" -E root_owner=0:0 -L rootfs "$o" "${kb}k" > /dev/null 2>> "${prod_log:-/dev/null}" ;;
    romfs) genromfs -d "$r" -f "$o" -V rootfs > /dev/null 2>> "${prod_log:-/dev/null}" ;;
    uimage|uimage-pad)
      gzip -9 -n -c "$k" > "$w/k.gz"
      [ $f = uimage-pad ] && pad_to "$w/k.gz" 65536
      mkimage -A "$uarch" -O linux -T kernel -C gzip -a 0x80008000 -e 0x80008000 -n "Linux-6.1-$a" \
        -d "$w/k.gz" "$o" > /dev/null 2>> "${prod_log:-/dev/null}" && pad_to "$o" 65536 && sq "$r" "$w/root.sqfs" &&
        cat "$w/root.sqfs" >> "$o" && pad_to "$o" 65536 ;;
    trx|trx-lying|tplink|chk)
      xz --format=lzma -6 -c "$k" > "$w/k.lzma" && sq "$r" "$w/root.sqfs" &&
        python3 "$here/tests/tools/mkvendor.py" "${f%-lying}" "$o" "$w/k.lzma" "$w/root.sqfs" > /dev/null 2>> "${prod_log:-/dev/null}" &&
        if [ $f = trx-lying ]; then # padded to the partition, which the length says; the CRC stays
          python3 - "$o" <<'EOF'
import struct, sys
p = sys.argv[1]
d = bytearray(open(p, "rb").read())
part = -(-len(d) // (8 << 20)) * (8 << 20)
d += b"\xff" * (part - len(d))
struct.pack_into("<I", d, 4, part)
open(p, "wb").write(d)
EOF
        fi ;;
    *) log "unknown product format $f"; false ;;
  esac
  local rc=$?
  rm -rf "$w"
  return $rc
}
