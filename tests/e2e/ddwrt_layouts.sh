#!/usr/bin/env bash
# DD-WRT-style images (issue 13, section 2): a Broadcom TRX whose parts are
# a gzip'd loader, a size-less LZMA kernel with properties 0x6e (lc2 lp2 pb2,
# no 8-byte size field) and a squashfs 3.0 with DD-WRT's per-block LZMA
# under the magic hsqt (little-endian) or tqsh (big-endian), all built here
# from a root filesystem this script makes (tests/tools/mksquashfs3.py,
# mkvendor.py). Each must open completely: the inventory under the root
# filesystem equals the tree it was made from (paths, kinds, file sha256s,
# link targets) and the kernel's decoded sha256 is in the inventory. The
# variant with a telnetd shell planted in /etc/inittab fails on that file;
# the clean one does not fail; the same kernel with lzma-alone's size field
# decodes too. Bytes after the kernel stream inside its TRX
# part are not counted as explained. Last, the real DD-WRT r31277 image
# (tests/fixtures/real) opens: its squashfs inventory equals the listing of
# tests/tools/lssquashfs3.py, a separate Python reading of the same bytes.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
tools="$SRC/tests/tools"

mkroot() { # mkroot DIR PLANT(0|1)
  local r=$1
  mkdir -p "$r"/bin "$r"/sbin "$r"/etc/init.d "$r"/usr/sbin "$r"/www/images "$r"/lib "$r"/tmp
  if [ -x /bin/busybox ]; then cp /bin/busybox "$r/bin/busybox"; else cp /bin/ls "$r/bin/busybox"; fi
  ln -s busybox "$r/bin/sh"
  ln -s ../bin/busybox "$r/sbin/init"
  printf '::sysinit:/etc/init.d/rcS\n::shutdown:/bin/umount -a -r\n' > "$r/etc/inittab"
  [ "$2" = 1 ] && printf '::respawn:/usr/sbin/telnetd -l /bin/sh -p 2323\n' >> "$r/etc/inittab"
  printf '#!/bin/sh\nmount -t proc proc /proc\n' > "$r/etc/init.d/rcS"
  chmod 755 "$r/etc/init.d/rcS"
  echo DD-WRT > "$r/etc/hostname"
  seq 1 40000 | sed 's/^/<p>row /' > "$r/www/index.html"   # bigger than one block
  printf 'GIF89a\001\000\001\000\000\000\000;' > "$r/www/images/dot.gif"
}

list_tree() { # list_tree DIR: path kind [sha256|target], sorted
  (cd "$1" && find . -mindepth 1 | sed 's|^\.||' | LC_ALL=C sort | while read -r p; do
    if [ -L ".$p" ]; then echo "$p symlink $(readlink ".$p")"
    elif [ -d ".$p" ]; then echo "$p directory"
    else echo "$p file $(sha256sum ".$p" | cut -d' ' -f1)"; fi
  done)
}

list_inv() { # list_inv JSON PREFIX: the same for inventory entries under PREFIX
  python3 -c 'import json,sys
pre = sys.argv[2]
for n in json.load(open(sys.argv[1]))["inventory"]:
    loc = n["location"]
    if not loc.startswith(pre) or loc == pre[:-1]:
        continue
    p, k = loc[len(pre):], n["kind"]
    if k == "directory": print(p, "directory")
    elif k == "symlink": print(p, "symlink", n.get("link", ""))
    else: print(p, "file", n.get("sha256", ""))' "$1" "$2" | LC_ALL=C sort
}

cov() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["coverage"][sys.argv[2]])' "$1" "$2"; }

# The kernel: text-like bytes with a Linux banner (a kernel's decoded size, not its code).
{ for i in 1 2 3 4; do echo "Linux version 2.6.24.111 (dd-wrt@builder) (gcc version 4.1.2) #$i"; done
  seq 1 90000; } > "$t/vmlinux"
python3 "$tools/mkvendor.py" lzma-nosize "$t/kernel.lzma" "$t/vmlinux"
check "the kernel stream starts 6e 00 00 20 00 with no size field" \
  "[ \"\$(head -c 6 '$t/kernel.lzma' | od -An -tx1 | tr -d ' ')\" = 6e0000200000 ]"
printf 'lzma-loader stub\n' | gzip -9n > "$t/loader.gz"
ksha=$(sha256sum "$t/vmlinux" | cut -d' ' -f1)

for v in le-planted le-clean be-planted be-clean; do
  endian=little; [ "${v%%-*}" = be ] && endian=big
  plant=0; [ "${v#*-}" = planted ] && plant=1
  mkroot "$t/root-$v" $plant
  python3 "$tools/mksquashfs3.py" "$t/root-$v" "$t/$v.sq" --endian $endian --minor 0 \
    --comp ddwrt --magic ddwrt --block-log 17
  python3 "$tools/mkvendor.py" trx "$t/$v.trx" "$t/loader.gz" "$t/kernel.lzma" "$t/$v.sq"
  "$POSTERN" scan "$t/$v.trx" --format json --inventory --no-run > "$t/$v.json"; rc=$?
  magic=$(head -c 4 "$t/$v.sq")
  list_tree "$t/root-$v" > "$t/$v.tree"
  list_inv "$t/$v.json" "$v.trx!/part2!" > "$t/$v.inv"
  check "$v ($magic): inventory equals the root filesystem ($(wc -l < "$t/$v.tree") entries)" \
    "diff '$t/$v.tree' '$t/$v.inv' >&2"
  check "$v: the size-less LZMA kernel is decoded" "grep -q '\"sha256\": \"$ksha\"' '$t/$v.json'"
  check "$v: nothing incomplete" "[ \"\$(cov '$t/$v.json' incomplete)\" = 0 ]"
  if [ $plant = 1 ]; then
    check "$v: fails (exit 1)" "[ $rc = 1 ]"
    check "$v: the finding is on /etc/inittab" \
      "python3 -c 'import json,sys; d=json.load(open(\"$t/$v.json\")); sys.exit(not any(f[\"location\"].endswith(\"!/etc/inittab\") and f[\"severity\"] in (\"critical\",\"high\") for f in d[\"findings\"]))'"
  else
    check "$v: does not fail (exit $rc)" "[ $rc = 0 ]"
    check "$v: verdict is not fail" "python3 -c 'import json,sys; sys.exit(json.load(open(\"$t/$v.json\"))[\"verdict\"] == \"fail\")'"
  fi
done
check "both magic spellings were written" "[ \"\$(head -c 4 '$t/le-clean.sq')\" = hsqt ] && [ \"\$(head -c 4 '$t/be-clean.sq')\" = tqsh ]"

# The same 0x6e kernel with lzma-alone's 8-byte size field (how a public
# binwalk listing shows DD-WRT v24's VINT_mini TRX): decoded too.
python3 "$tools/mkvendor.py" lzma-alone "$t/kernel-alone.lzma" "$t/vmlinux"
python3 "$tools/mkvendor.py" trx "$t/alone.trx" "$t/loader.gz" "$t/kernel-alone.lzma" "$t/be-clean.sq"
"$POSTERN" scan "$t/alone.trx" --format json --inventory --no-run > "$t/alone.json"
check "0x6e kernel with a size field: decoded" "grep -q '\"sha256\": \"$ksha\"' '$t/alone.json'"
check "0x6e kernel with a size field: root filesystem opened" \
  "diff '$t/be-clean.tree' <(list_inv '$t/alone.json' 'alone.trx!/part2!') >&2"

# Bytes after the kernel stream inside its part: not explained by anything.
"$SRC"/tests/tools/randbytes 8192 ddwrt_layouts1 > "$t/junk"
cat "$t/kernel.lzma" "$t/junk" > "$t/kernel+junk"
python3 "$tools/mkvendor.py" trx "$t/junk.trx" "$t/loader.gz" "$t/kernel+junk" "$t/le-clean.sq"
"$POSTERN" scan "$t/junk.trx" --format json --inventory --no-run > "$t/junk.json"
check "bytes after the kernel stream count as unexplained ($(cov "$t/junk.json" unexplained_bytes))" \
  "[ \"\$(cov '$t/junk.json' unexplained_bytes)\" -ge 8000 ]"
check "the kernel before them is still decoded" "grep -q '\"sha256\": \"$ksha\"' '$t/junk.json'"

# The real DD-WRT image: TP-Link header, lzma-alone kernel, tqsh squashfs 3.0 at 0xee000.
real="$SRC/tests/fixtures/real/dd-wrt-r31277-tl-wr941nd-v5-factory-to-ddwrt.bin"
if [ -f "$real" ]; then
  "$POSTERN" scan "$real" --format json --inventory --no-run > "$t/real.json"
  pre="$(basename "$real")!squashfs-old@0xee000!"
  list_inv "$t/real.json" "$pre" > "$t/real.inv"
  python3 "$tools/lssquashfs3.py" "$real" 0xee000 | python3 -c 'import sys
kinds = {"dir": "directory", "link": "symlink", "file": "file"}
for line in sys.stdin:
    f = line.split()
    k = kinds.get(f[1], "special")
    print(f[0], k, *(f[3:4] if k == "file" else f[2:3]))' | LC_ALL=C sort > "$t/real.py"
  n=$(grep -c ' file ' "$t/real.inv")
  echo "# real DD-WRT r31277: $n files, $(wc -l < "$t/real.inv") entries, unexplained_bytes $(cov "$t/real.json" unexplained_bytes)"
  check "real DD-WRT: the squashfs opens with more than 300 files" "[ $n -gt 300 ]"
  check "real DD-WRT: inventory equals lssquashfs3.py's listing" "diff '$t/real.py' '$t/real.inv' >&2"
  check "real DD-WRT: nothing incomplete" "[ \"\$(cov '$t/real.json' incomplete)\" = 0 ]"
  check "real DD-WRT: no unexplained bytes (the rest is padding)" "[ \"\$(cov '$t/real.json' unexplained_bytes)\" = 0 ]"
  # Its PPTP/L2TP daemons start pppd, wrt-radauth speaks RADIUS, wpad runs
  # 802.1X: protocols that authenticate their peers, not config back doors.
  check "real DD-WRT: no capability.unauthenticated-config-server on its stock daemons" \
    "! grep -q 'capability.unauthenticated-config-server' '$t/real.json'"
fi
exit $fail
