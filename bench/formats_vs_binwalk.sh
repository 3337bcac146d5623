#!/usr/bin/env bash
# formats_vs_binwalk.sh - how many files postern recovers from each
# filesystem fixture, next to what `binwalk -Me` (Debian's binwalk 2.3)
# recovers from the same bytes. Fixtures: binwalk's own samples under
# tests/fixtures/binwalk, images made here with Debian's tools and the
# generators in tests/tools (among them DD-WRT's layouts: squashfs 3.0 with
# its per-block LZMA under hsqt/tqsh, and a TRX with a size-less LZMA
# kernel), and the real DD-WRT r31277 image from tests/fixtures/real. Exits non-zero when postern recovers fewer
# files than binwalk on any fixture. Not part of the test run.
#
# Counting: postern - regular files below the target in `--inventory`
# (carved regions, which are not files, excluded); binwalk - regular files
# under its extraction directory, less the raw blobs it carves and names
# by hexadecimal offset ("1A0", "0.squashfs", ...), which are not files of
# the image but the image's own bytes.
#
# usage: bench/formats_vs_binwalk.sh [POSTERN]   (default build/postern)
set -uo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
POSTERN=${1:-$SRC/build/postern}
TOOLS=$SRC/tests/tools
FIX=$SRC/tests/fixtures/binwalk
W=$(mktemp -d "${TMPDIR:-/tmp}/formats-bench-XXXXXX")
# binwalk "extracts" ext images by loop-mounting them when run as root:
# unmount whatever it left under the work directory before removing it.
unmount_under() {
  findmnt -rn -o TARGET | grep "^$1" | sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
}
trap 'unmount_under "$W"; rm -rf "$W"' EXIT
export MTOOLS_SKIP_CHECK=1

command -v binwalk >/dev/null || { echo "binwalk is not installed (scripts/install-deps)" >&2; exit 2; }
[ -x "$POSTERN" ] || { echo "no postern binary at $POSTERN" >&2; exit 2; }

# A source tree with the usual kinds of entries.
mk_src() {
  local d=$1
  mkdir -p "$d/etc/init.d" "$d/bin" "$d/usr/share/doc" "$d/empty"
  printf 'root::0:0:root:/root:/bin/sh\n' > "$d/etc/passwd"
  printf '#!/bin/sh\ntelnetd -l /bin/sh\n' > "$d/etc/init.d/rcS"
  seq 1 60000 > "$d/usr/share/doc/numbers"
  head -c 150000 /dev/urandom > "$d/bin/random"
  for i in $(seq 1 40); do echo "file $i" > "$d/usr/share/doc/f$i.txt"; done
  ln -s /etc/passwd "$d/bin/pw"
}

mk_fixtures() {
  local s=$W/src
  mk_src "$s"
  python3 "$TOOLS/mksquashfs3.py" "$s" "$W/squashfs3-le-gzip.bin" --endian little --comp gzip
  python3 "$TOOLS/mksquashfs3.py" "$s" "$W/squashfs3-be-lzma.bin" --endian big --comp lzma
  python3 "$TOOLS/mksquashfs3.py" "$s" "$W/squashfs3-le-lzma-props.bin" --endian little --comp lzma-props
  python3 "$TOOLS/mksquashfs3.py" "$s" "$W/squashfs4-vendor-lzma.bin" --major 4 --comp lzma-props
  python3 "$TOOLS/mksquashfs3.py" "$s" "$W/squashfs20-le-gzip.bin" --major 2 --minor 0 --endian little
  python3 "$TOOLS/mksquashfs3.py" "$s" "$W/squashfs21-be-gzip.bin" --major 2 --minor 1 --endian big
  python3 "$TOOLS/mksquashfs3.py" "$s" "$W/squashfs21-be-lzma.bin" --major 2 --endian big --comp lzma
  python3 "$TOOLS/mksquashfs3.py" "$s" "$W/squashfs30-le-ddwrt-hsqt.bin" --endian little --minor 0 \
    --comp ddwrt --magic ddwrt
  python3 "$TOOLS/mksquashfs3.py" "$s" "$W/squashfs30-be-ddwrt-tqsh.bin" --endian big --minor 0 \
    --comp ddwrt --magic ddwrt
  # DD-WRT's Broadcom layout: TRX with a gzip'd loader, a size-less LZMA
  # kernel (properties 0x6e, no size field) and the hsqt root filesystem
  { echo "Linux version 2.6.24.111 (dd-wrt@bench)"; seq 1 90000; } > "$W/vmlinux"
  python3 "$TOOLS/mkvendor.py" lzma-nosize "$W/kernel.lzma" "$W/vmlinux"
  printf 'lzma-loader\n' | gzip -9n > "$W/loader.gz"
  python3 "$TOOLS/mkvendor.py" trx "$W/trx-ddwrt.bin" "$W/loader.gz" "$W/kernel.lzma" \
    "$W/squashfs30-le-ddwrt-hsqt.bin"
  mksquashfs "$s" "$W/squashfs4-lzma.bin" -comp lzma -noappend -quiet >/dev/null
  mkfs.cramfs -N big "$s" "$W/cramfs-be.bin" >/dev/null
  mkfs.cramfs -N little "$s" "$W/cramfs-le.bin" >/dev/null
  python3 "$TOOLS/cramfs_lzma.py" "$W/cramfs-le.bin" "$W/cramfs-le-lzma-openrg.bin"
  mkfs.jffs2 -l -r "$s" -o "$W/jffs2-le.bin"
  mkfs.jffs2 -b -X lzo -x zlib -r "$s" -o "$W/jffs2-be-lzo.bin"
  python3 "$TOOLS/mkjffs2.py" "$W/jffs2-log.bin"
  python3 "$TOOLS/mkjffs2.py" "$W/jffs2-dynrubin.bin" --tree "$s" --compr dynrubin
  mke2fs -q -t ext4 -d "$s" "$W/ext4.bin" 8M
  mke2fs -q -t ext2 -d "$s" "$W/ext2.bin" 4M
  mkfs.ubifs -q -r "$s" -m 2048 -e 129024 -c 64 -x lzo -o "$W/ubifs.bin"
  printf '[rootfs]\nmode=ubi\nimage=%s\nvol_id=0\nvol_type=dynamic\nvol_name=rootfs\n' "$W/ubifs.bin" > "$W/ubi.ini"
  ubinize -o "$W/ubi.bin" -m 2048 -p 128KiB -s 512 "$W/ubi.ini" 2>/dev/null
  python3 "$TOOLS/mkyaffs2.py" "$s" "$W/yaffs2-2048.bin"
  python3 "$TOOLS/mkyaffs2.py" "$s" "$W/yaffs2-512-be.bin" --page 512 --spare 16 --endian big
  genromfs -f "$W/romfs.bin" -d "$s"
  mkfs.vfat -C "$W/fat12.bin" 4000 >/dev/null && mcopy -s -i "$W/fat12.bin" "$s"/etc "$s"/usr ::/
  mkfs.vfat -F 32 -C "$W/fat32.bin" 40000 >/dev/null && mcopy -s -i "$W/fat32.bin" "$s"/etc "$s"/usr ::/
  # a router-style raw flash image: erased padding, then the root filesystem
  { head -c 131072 /dev/zero | tr '\0' '\377'; cat "$W/squashfs3-be-lzma.bin"; } > "$W/flash-squashfs3.bin"
  # raw NAND/flash dumps: erased padding, a YAFFS2 partition; random bytes,
  # a big-endian small-page YAFFS2 partition, then a FAT volume at an odd
  # sector past it
  { head -c 135168 /dev/zero | tr '\0' '\377'; cat "$W/yaffs2-2048.bin"; } > "$W/flash-yaffs2.bin"
  { head -c 5001 /dev/urandom; cat "$W/yaffs2-512-be.bin"; } > "$W/flash-yaffs2-fat.bin"
  local n; n=$(stat -c %s "$W/flash-yaffs2-fat.bin")
  truncate -s $(( (n / 512 + 7) * 512 )) "$W/flash-yaffs2-fat.bin" && cat "$W/fat12.bin" >> "$W/flash-yaffs2-fat.bin"
  # vendor containers: a little-endian SEAMA image and a FIT image with hash
  # nodes, each around a root filesystem
  python3 "$TOOLS/mkvendor.py" seama-le "$W/seama-le-squashfs3.bin" "$W/squashfs3-le-gzip.bin"
  printf '/dts-v1/;\n/ { description = "b"; #address-cells = <1>; images { rootfs-1 { data = /incbin/("%s");
    type = "ramdisk"; arch = "arm"; os = "linux"; compression = "none"; hash-1 { algo = "sha256"; }; }; };
    configurations { default = "c"; c { ramdisk = "rootfs-1"; }; }; };\n' "$W/squashfs4-lzma.bin" > "$W/fit.its"
  mkimage -f "$W/fit.its" "$W/fit-squashfs4.bin" >/dev/null
  # issue 13: a CSYS header, a uImage whose LZMA kernel stream ends long
  # before the payload it declares, and a squashfs 3.0 LE LZMA root
  # filesystem inside that payload (aligned, and at an odd offset)
  seq 1 200000 | xz --format=lzma -1 > "$W/kernel.lzma"
  python3 "$TOOLS/mksquashfs3.py" "$s" "$W/sq30-le-lzma.sqfs" --major 3 --minor 0 --endian little --comp lzma
  python3 "$TOOLS/mkcsys.py" "$W/csys-uimage-squashfs30.bin" "$W/kernel.lzma" "$W/sq30-le-lzma.sqfs"
  python3 "$TOOLS/mkcsys.py" "$W/csys-uimage-squashfs30-odd.bin" "$W/kernel.lzma" "$W/sq30-le-lzma.sqfs" --loose
}

count_postern() {
  "$POSTERN" scan "$1" --format json --inventory 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sum(1 for x in d.get("inventory", [])
          if "!" in x["location"] and x.get("mode", "").startswith("100")
          and not {"virtual", "region"} & set(x.get("flags") or [])))'
}

count_binwalk() {
  local out=$W/bw-$(basename "$1")
  (cd "$W" && timeout 600 binwalk -Me -q -C "$out" --run-as=root "$1" >/dev/null 2>&1)
  [ -d "$out" ] || { echo 0; return; }
  find "$out" -type f | awk -F/ '{ n = $NF } n !~ /^[0-9A-Fa-f]+(\.[A-Za-z0-9_-]+)?$/' | wc -l
  unmount_under "$out"
}

mk_fixtures
fail=0 tp=0 tb=0
printf '%-28s %8s %8s\n' fixture postern binwalk
for f in "$FIX"/squashfs_v2.bin "$FIX"/squashfs.bin "$FIX"/cramfs.bin "$FIX"/romfs.bin \
         "$FIX"/yaffs2.bin "$W"/*.bin "$SRC"/tests/fixtures/real/dd-wrt-*.bin; do
  [ -f "$f" ] || continue
  p=$(count_postern "$f")
  b=$(count_binwalk "$f")
  mark=""
  if [ "${p:-0}" -lt "${b:-0}" ]; then mark="  <-- fewer"; fail=1; fi
  tp=$((tp + ${p:-0})) tb=$((tb + ${b:-0}))
  printf '%-28s %8s %8s%s\n' "$(basename "$f" | cut -c1-28)" "$p" "$b" "$mark"
done
printf '%-28s %8s %8s   postern/binwalk %s\n' total "$tp" "$tb" \
  "$(python3 -c "import sys; print('%.2f' % (int(sys.argv[1]) / max(1, int(sys.argv[2]))))" "$tp" "$tb")"
exit $fail
