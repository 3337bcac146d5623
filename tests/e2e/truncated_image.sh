#!/usr/bin/env bash
# truncated_image.sh - a router-style image laid out as scripts/make-router-image
# does it (gzip uImage kernel, 64 KiB aligned xz squashfs root with a tar.gz,
# a cpio and a symlink inside, 0xff padding), but small, cut at every container
# boundary (uImage header/data/end, padding, squashfs superblock, each of its
# tables, its end) and one byte either side. Every cut must scan bounded
# (RSS < 512 MB, time, exit < 64, valid JSON), and a cut inside a container
# must be reported (incomplete, damage finding or unexplained bytes).
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
for tool in mkimage mksquashfs; do command -v $tool >/dev/null || { echo "skip: $tool missing"; exit 77; }; done
W=$(mktemp -d "${TMPDIR:-/tmp}/postern-trunc-XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
. "$SRC/tests/e2e/lib/bounded.sh"
MAX_SECONDS=60

# The small rootfs and image.
R="$W/rootfs"
mkdir -p "$R/etc" "$R/bin" "$R/usr/share/doc" "$R/www"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$R/etc/passwd"
cp /bin/true "$R/bin/busybox"; ln -s busybox "$R/bin/sh"
seq 1 3000 > "$R/usr/share/doc/changelog"
(cd "$R/etc" && tar -czf "$R/www/site.tar.gz" passwd)
(cd "$R" && printf 'etc/passwd\nbin/busybox\n' | cpio -o -H newc --quiet > "$R/www/backup.cpio")
head -c 40000 /bin/ls | gzip -9 -n > "$W/kernel.gz"
mkimage -A mips -O linux -T kernel -C gzip -a 0x80100000 -e 0x80100000 -n Linux-small \
  -d "$W/kernel.gz" "$W/uImage" >/dev/null
SOURCE_DATE_EPOCH=1700000000 mksquashfs "$R" "$W/root.sqfs" -comp xz -noappend -all-root \
  -no-progress -quiet >/dev/null
pad() { local s r; s=$(stat -c %s "$1"); r=$(( (65536 - s % 65536) % 65536 ));
        [ "$r" -eq 0 ] || head -c "$r" /dev/zero | tr '\0' '\377' >> "$1"; }
cp "$W/uImage" "$W/img"; pad "$W/img"
sq=$(stat -c %s "$W/img")
cat "$W/root.sqfs" >> "$W/img"; pad "$W/img"
size=$(stat -c %s "$W/img")
ulen=$(stat -c %s "$W/uImage")

# The whole image first: both containers found, nothing incomplete.
bounded full "$W/img" --inventory
[ "$(cov full incomplete)" -eq 0 ] || fail "the whole image is incomplete"
has_node full "img!squashfs@0x$(printf %x "$sq")!/etc/passwd" || fail "squashfs not unpacked"

# Boundaries: the uImage header (64 bytes) and its data (gzip header, end),
# the squashfs start, superblock end, each table start, bytes_used, image end.
read -r -a tables < <(python3 - "$W/root.sqfs" <<'P'
import struct, sys
sb = open(sys.argv[1], "rb").read(96)
used, idt, xat, ino, dirt, frag, exp = struct.unpack_from("<7Q", sb, 40)
print(used, *[t for t in (idt, xat, ino, dirt, frag, exp) if t < used])
P
)
used=${tables[0]}
bounds="0 4 28 64 74 $((64 + ulen / 2)) $ulen $sq $((sq + 4)) $((sq + 96)) $((sq + used)) $size"
for t in "${tables[@]:1}"; do bounds="$bounds $((sq + t))"; done
cuts=$(for b in $bounds; do for d in -1 0 1; do c=$((b + d)); [ "$c" -gt 0 ] && [ "$c" -lt "$size" ] && echo $c; done; done | sort -nu)

n=0
for c in $cuts; do
  head -c "$c" "$W/img" > "$W/cut"
  bounded "cut$c" "$W/cut" -j 2 > /dev/null
  n=$((n + 1))
  inside=0
  # under 64 bytes the uImage header itself is cut: plain data, nothing to unpack
  { [ "$c" -gt 64 ] && [ "$c" -lt "$ulen" ]; } && inside=1
  # A squashfs stub shorter than its 96-byte superblock plus carve.c's 64-byte
  # noise floor (MIN_GAP) is indistinguishable from stray bytes: not required.
  { [ "$c" -ge $((sq + 160)) ] && [ "$c" -lt $((sq + used)) ]; } && inside=1
  if [ "$inside" = 1 ]; then
    r=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d["coverage"]
print(int(c["incomplete"] > 0 or c["truncated"] > 0 or c["unexplained_bytes"] > 0 or
      any(f["rule"].startswith("unpack.") for f in d["findings"])))' "$W/cut$c.json")
    [ "$r" = 1 ] || { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["coverage"], d["findings"])' "$W/cut$c.json" >&2
                      fail "cut at $c (inside a container) was not reported"; }
  fi
  rm -f "$W/cut$c.json" "$W/cut$c.err" "$W/cut$c.time"
done
echo "truncated_image: ok ($n cuts of a $size-byte image, squashfs at $sq)"
