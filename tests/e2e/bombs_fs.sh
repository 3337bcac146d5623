#!/usr/bin/env bash
# bombs_fs.sh - filesystem images whose metadata lies about sizes and counts
# (tests/e2e/lib/bombs.py and patched mksquashfs/ubinize output): JFFS2
# inodes claiming 4 GiB, a UBI volume whose LEB numbers reach 2^32, squashfs
# superblocks claiming 4 billion fragments or 65,535 ids. Each scan stays
# bounded (lib/bounded.sh: RSS < 512 MB, time, exit status, valid JSON) and
# reports what it could not examine.
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
W=$(mktemp -d "${TMPDIR:-/tmp}/postern-bombs-fs-XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$SRC/tests/e2e/lib/bounded.sh"
G="python3 $SRC/tests/e2e/lib/bombs.py"
inv_size() { # inv_size NAME LOCATION: the node's size (needs --inventory)
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(next(n["size"] for n in d["inventory"] if n["location"]==sys.argv[2]))' "$W/$1.json" "$2"
}
finding_at() { # finding_at NAME RULE LOCATION
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(not any(f["rule"]==sys.argv[2] and f["location"]==sys.argv[3] for f in d["findings"]))' \
    "$W/$1.json" "$2" "$3"
}

echo "JFFS2: inodes claiming 4 GiB (a node at 4 GiB - 4 KiB; 3000 x 1 MiB 'zero' nodes), then a small file"
$G jffs2-huge "$W/j.img"
bounded jf "$W/j.img" --inventory
has_rule jf limit.ratio || fail "jf: no limit.ratio"
[ "$(cov jf bytes_unpacked)" -le $(( $(stat -c %s "$W/j.img") * 500 > (64 << 20) ? $(stat -c %s "$W/j.img") * 500 : (64 << 20) )) ] ||
  fail "jf: unpacked past the ratio limit"
# the hole is found when /far is loaded, on the file itself
finding_at jf unpack.damaged 'j.img!/far' || fail "jf: the 4 GiB hole not reported"
# files are loaded when examined, in no fixed order: the small file after the
# bombs is whole if it came first, else it got no room, which is reported,
# never silently empty
if [ "$(inv_size jf 'j.img!/after')" != 6 ]; then
  finding_at jf unpack.truncated 'j.img!/after' || finding_at jf limit.ratio 'j.img!/after' ||
    fail "jf: /after emptied silently"
fi
[ "$(cov jf truncated)" -ge 2 ] || fail "jf: $(cov jf truncated) truncated, want 2 or more"

echo "UBI: a dynamic volume whose LEB numbers reach 2^32 - 2"
mkdir "$W/u"
"$SRC"/tests/tools/randbytes 300000 bombs_fs1 > "$W/u/vol.bin"
printf '[data]\nmode=ubi\nimage=%s\nvol_id=0\nvol_type=dynamic\nvol_name=rootfs\nvol_size=1MiB\n' \
  "$W/u/vol.bin" > "$W/u/cfg.ini"
ubinize -o "$W/u/ubi.img" -m 2048 -p 128KiB -s 512 "$W/u/cfg.ini"
$G ubi-huge-leb "$W/ubi.img" "$W/u/ubi.img"
bounded ubi "$W/ubi.img" --inventory
# the volume table reserves 1 MiB for the volume: blocks numbered past it are left out, and said so
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(not any(f["rule"]=="unpack.damaged" and "past the" in f["message"] for f in d["findings"]))' \
  "$W/ubi.json" || fail "ubi: blocks past the volume's reservation not reported"
[ "$(inv_size ubi 'ubi.img!/rootfs')" -le $((1 << 20)) ] || fail "ubi: volume larger than its reservation"
echo "UBI: the same, with the volume table reserving 2^32 - 1 blocks"
$G ubi-huge-leb "$W/ubir.img" "$W/u/ubi.img" reserve-all
bounded ubir "$W/ubir.img" --inventory
[ "$(cov ubir limits_hit)" -ge 1 ] && [ "$(cov ubir truncated)" -ge 1 ] || fail "ubir: the cut is not reported"
[ "$(inv_size ubir 'ubir.img!/rootfs')" -le $((256 << 20)) ] || fail "ubir: volume past --max-file-bytes"

echo "squashfs: superblocks claiming 2^32 - 1 fragments, 2^28 fragments, 65,535 ids, 2^32 - 1 inodes"
mkdir -p "$W/sq/d"
for i in $(seq 1 20); do echo "file $i" > "$W/sq/d/f$i"; done
mksquashfs "$W/sq/d" "$W/sq.img" -noappend -quiet -comp gzip > /dev/null
python3 - "$W" <<'PY'
import struct, sys
w = sys.argv[1]
b = open(w + "/sq.img", "rb").read()
for name, off, fmt, val in (("frag", 16, "<I", 0xFFFFFFFF), ("frag2", 16, "<I", 0x0FFFFFFF),
                            ("ids", 26, "<H", 0xFFFF), ("inodes", 4, "<I", 0xFFFFFFFF)):
    c = bytearray(b)
    struct.pack_into(fmt, c, off, val)
    open("%s/sq-%s.img" % (w, name), "wb").write(c)
PY
for n in frag frag2 ids inodes; do
  bounded "sq$n" "$W/sq-$n.img"
  [ "$(cov sq$n files)" -ge 21 ] || fail "sq$n: $(cov sq$n files) files, want the 20 and the image"
done
for n in frag frag2 ids; do
  has_rule "sq$n" unpack.damaged || fail "sq$n: the lying table not reported"
done

echo "bombs_fs: ok"
