#!/usr/bin/env bash
# Issue 13, the property behind the CSYS layout: in every container, a child
# that ends before the region its container declared leaves the rest to be
# carved. Each container here declares one payload: a gzip stream (a
# "kernel"), then a root filesystem (squashfs, or a gzip'd cpio) inside the
# same declared payload, at an odd offset and at a 64 KiB-aligned one. The
# object must be found (its marker file in the inventory), or its bytes must
# be unexplained and the verdict not pass. Never silently read.
set -u
fail=0
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mk="python3 $SRC/tests/tools/mkvendor.py"

mkdir -p "$t/rootfs/etc"
echo "marker $RANDOM" > "$t/rootfs/etc/marker"
mksquashfs "$t/rootfs" "$t/tail.squashfs" -noappend -quiet -comp xz >/dev/null
(cd "$t/rootfs" && find . | cpio -o -H newc 2>/dev/null | gzip -n -9) > "$t/tail.cpiogz"
seq 1 30000 | gzip -n -9 > "$t/kernel.gz"

# payload TAIL PLACEMENT: the stream, then the tail at an odd offset or at a
# 64 KiB boundary of the payload (headers are small and aligned, so the
# boundary stays a round offset in the image too for most containers).
payload() {
  python3 - "$t/kernel.gz" "$t/tail.$1" "$2" "$t/payload" <<'EOF'
import sys
k = open(sys.argv[1], "rb").read(); tail = open(sys.argv[2], "rb").read()
at = len(k) + 7 if sys.argv[3] == "odd" else (len(k) + 0xffff) // 0x10000 * 0x10000
body = k + b"\xff" * (at - len(k)) + tail
open(sys.argv[4], "wb").write(body + b"\xff" * (-len(body) % 4))
EOF
}

# wrap CONTAINER OUT: the payload inside the container, declared as one part.
wrap() {
  case "$1" in
    uimage-gzip) mkimage -A mips -O linux -T kernel -C gzip -a 0x80000000 -e 0x80000000 -n k \
                   -d "$t/payload" "$2" >/dev/null ;;
    uimage-none) mkimage -A arm -O linux -T kernel -C none -a 0x8000 -e 0x8000 -n k \
                   -d "$t/payload" "$2" >/dev/null ;;
    trx|tplink|chk|seama|realtek) $mk "$1" "$2" "$t/payload" ;;
    csys) python3 - "$t/payload" "$2" <<'EOF'
import struct, sys
p = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(b"CSYS" + struct.pack("<III", 0x80500000, len(p), 0) + b"\0" * 4 + p)
EOF
    ;;
    tar) (cd "$t" && cp payload fw.part && tar -cf "$2" fw.part) ;;
    cpio) (cd "$t" && cp payload fw.part && echo fw.part | cpio -o -H newc 2>/dev/null > "$2") ;;
  esac
}

# The bytes of a carved gzip'd cpio inside a container stream are counted
# like any other: the gzip decodes to the cpio, whose marker is listed.
n=0 found=0 held=0
for c in uimage-gzip uimage-none trx tplink chk seama realtek csys tar cpio; do
  for tail in squashfs cpiogz; do
    for place in odd aligned; do
      payload "$tail" "$place"
      img="$t/$c-$tail-$place.bin"
      wrap "$c" "$img" || { echo "not ok - $c: could not build"; fail=1; continue; }
      "$POSTERN" scan "$img" --format json --inventory --no-run > "$t/out.json" 2>/dev/null
      r=$(python3 - "$t/out.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
found = any(n["location"].endswith("!/etc/marker") for n in d.get("inventory", []))
unexplained = d["coverage"]["unexplained_bytes"] > 0 and d["verdict"] != "pass"
print("found" if found else ("held" if unexplained else "missed:" + d["verdict"]))
EOF
)
      n=$((n + 1))
      case "$r" in
        found) found=$((found + 1)); echo "ok - $c, $tail at an $place offset: found" ;;
        held) held=$((held + 1)); echo "ok - $c, $tail at an $place offset: unexplained, verdict not pass" ;;
        *) echo "not ok - $c, $tail at an $place offset: $r"; fail=1 ;;
      esac
    done
  done
done
echo "# $n layouts: $found found, $held held at review as unexplained"
# Found is what a scanner that opens everything must do; held is the floor.
[ "$found" -eq "$n" ] || echo "# note: $((n - found)) layouts only held, not opened"
exit $fail
