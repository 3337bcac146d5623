#!/usr/bin/env bash
# Boot files read as the shell reads them, on a router-style image built here
# (an xz squashfs of a small mipsel root filesystem; the implants of
# tests/implants compiled static, never run):
#  - the trojanised-router shape: init runs rcS, rcS copies the /etc template
#    (cp -Rf /etc.tmp/* /etc), the template's profile says "bd &" and /bin/bd
#    is a bind shell: the image fails with a critical service.starts-suspicious
#    on /etc.tmp/profile naming /bin/bd; the same root filesystem as a
#    squashfs 3.0 LZMA in the CSYS layout of that real image (tests/tools);
#  - the same image without the implant (bd a stock program, a daemon that
#    offers export ciphers started at boot) has no service.starts-suspicious;
#  - the real OpenWrt/DD-WRT images of tests/fixtures/real get no
#    service.starts-suspicious for hygiene (fs.world-writable) or crypto
#    (crypto.weak-cipher-network) findings of the programs they start.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
cc=mipsel-linux-gnu-gcc
command -v $cc >/dev/null || { echo "SKIP: $cc missing"; exit 77; }
command -v mksquashfs >/dev/null || { echo "SKIP: mksquashfs missing"; exit 77; }

# starts FILE: the service.starts-suspicious findings, one "severity location :: message" a line
starts() {
  python3 - "$1" <<'P'
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    if f["rule"] == "service.starts-suspicious":
        print(f["severity"], f["location"], "::", f["message"])
P
}
verdict() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$1"; }

rootfs() { # DIR BD-SOURCE
  local r=$1
  mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,etc/init.d,etc.tmp,var/run}
  printf '::sysinit:/etc/init.d/rcS\n::respawn:/sbin/getty -L ttyS0 115200 vt100\n' > "$r/etc/inittab"
  printf '#!/bin/sh\n# the writable /etc is made from the template at every boot\nmount -t tmpfs tmpfs /etc\ncp -Rf /etc.tmp/* /etc\nfor i in /etc/init.d/S*; do $i start; done\n' > "$r/etc/init.d/rcS"
  printf '#!/bin/sh\nexport PATH=/bin:/sbin:/usr/bin:/usr/sbin\nulimit -c 0\nbd &\n' > "$r/etc.tmp/profile"
  printf '#!/bin/sh\nDAEMON=/usr/sbin/weakcipherd\n[ -x $DAEMON ] && start-stop-daemon -S -x $DAEMON -- -p 443\n' > "$r/etc/init.d/S50web"
  chmod 755 "$r/etc/init.d/rcS" "$r/etc/init.d/S50web"
  $cc -O2 -s -w -static -o "$r/bin/bd" "$2"
  $cc -O2 -s -w -static -o "$r/usr/sbin/weakcipherd" "$SRC/tests/implants/weakcipherd.c"
}
rootfs "$t/bad" "$SRC/tests/implants/bindshell.c"
rootfs "$t/good" "$SRC/tests/implants/multitool.c"
for v in bad good; do
  mksquashfs "$t/$v" "$t/$v.img" -all-root -noappend -comp xz -quiet >/dev/null 2>&1 || { echo "mksquashfs failed"; exit 1; }
  "$POSTERN" scan "$t/$v.img" --format json --no-run > "$t/$v.json"
  starts "$t/$v.json" > "$t/$v.starts"
  sed 's/^/# /' "$t/$v.starts"
done
# the layout of the real trojanised image: CSYS header, uImage LZMA kernel,
# squashfs 3.0 LZMA inside the uImage's declared payload
head -c 200000 /dev/zero | tr '\0' 'k' | xz --format=lzma -1 -c > "$t/kernel.lzma"
python3 "$SRC/tests/tools/mksquashfs3.py" "$t/bad" "$t/bad.sqfs" --major 3 --minor 0 --endian little --comp lzma &&
  python3 "$SRC/tests/tools/mkcsys.py" "$t/csys.bin" "$t/kernel.lzma" "$t/bad.sqfs" ||
  { echo "not ok - CSYS image not built"; exit 1; }
"$POSTERN" scan "$t/csys.bin" --format json --no-run > "$t/csys.json"
starts "$t/csys.json" > "$t/csys.starts"
sed 's/^/# /' "$t/csys.starts"
check "CSYS layout fails" '[ "$(verdict "$t/csys.json")" = fail ]'
check "CSYS layout: the template profile inside the squashfs is critical for /bin/bd" \
  'grep -q "^critical .*!squashfs[^!]*!/etc.tmp/profile :: .*bd (found at /bin/bd).*(critical)" "$t/csys.starts"'

check "trojanised image fails" '[ "$(verdict "$t/bad.json")" = fail ]'
check "its /etc template profile is critical for starting bd (/bin/bd)" \
  'grep -q "^critical .*!/etc.tmp/profile :: .*bd (found at /bin/bd).*capability.bind-shell (critical)" "$t/bad.starts"'
check "the crypto-hygiene daemon does not make S50web suspicious" '! grep -q "S50web" "$t/bad.starts"'
check "stock image: no service.starts-suspicious" '[ ! -s "$t/good.starts" ]'
check "stock image does not fail" '[ "$(verdict "$t/good.json")" != fail ]'

for img in "$SRC"/tests/fixtures/real/*.bin "$SRC"/tests/fixtures/real/*.img; do
  [ -f "$img" ] || continue
  n=$(basename "$img")
  "$POSTERN" scan "$img" --format json --no-run > "$t/real.json"
  starts "$t/real.json" > "$t/real.starts"
  sed 's/^/# /' "$t/real.starts"
  check "$n: no starts-suspicious for hygiene or crypto findings" \
    '! grep -qE "fs.world-writable|crypto\.|\((medium|low|info)\)$" "$t/real.starts"'
done
exit $fail
