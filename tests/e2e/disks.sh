#!/usr/bin/env bash
# disks.sh - disk images and virtual appliances (issue 15), made at test time
# without mounting anything: an ext4 (mke2fs -d), an XFS (mkfs.xfs -p
# protofile), an NTFS (mkntfs, files put in by ntfscp, which cannot make
# directories, so its plant sits at the root, with a private key in an
# alternate data stream) and a LUKS header, each with a
# planted back door, in a GPT disk (tests/tools/mkdisk.py), converted by
# qemu-img to qcow2, VMDK (sparse and stream-optimized), VHD and VHDX, and
# wrapped with an OVF descriptor in an OVA. Each plant must be found at its
# location (appliance.ova!/disk1.vmdk!disk!gpt@p1!/etc/shadow); the same
# disks without plants stay quiet; every fixture cut in half or with bytes
# flipped in its headers stays bounded (lib/bounded.sh), is reported
# damaged or incomplete, and never passes.
# An LVM2 physical volume (tests/tools/mklvm.py writes the format: lvm2's
# tools need a block device) with an ext4 logical volume is the fifth
# partition.
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
for t in mke2fs mkfs.xfs mkntfs ntfscp qemu-img tar python3 ssh-keygen; do
  command -v "$t" >/dev/null || { echo "skip - $t missing (scripts/install-deps)"; exit 77; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/postern-disks-XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$SRC/tests/e2e/lib/bounded.sh"
MK="python3 $SRC/tests/tools/mkdisk.py"

finding_at() { # finding_at NAME RULE LOCATION
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(not any(f["rule"]==sys.argv[2] and f["location"]==sys.argv[3] for f in d["findings"]))' \
    "$W/$1.json" "$2" "$3" || fail "$1: no $2 at $3"
}
verdict() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$W/$1.json"; }
no_access() { # no finding of the access/integrity kinds a plant or damage would give
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
bad=[f for f in d["findings"] if f["rule"].split(".")[0] in ("account","key","unpack","limit")]
sys.exit("\n".join(f["rule"]+" "+f["location"] for f in bad) if bad else 0)' "$W/$1.json" ||
    fail "$1: findings on clean disks"
}

# make_fs DIR PLANT(0/1): the four volumes in DIR
make_fs() {
  local d=$1 plant=$2
  mkdir -p "$d/r1/etc" "$d/r2/root/.ssh"
  printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1::/:/bin/false\n' > "$d/r1/etc/passwd"
  if [ "$plant" = 1 ]; then
    printf 'root::19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n' > "$d/r1/etc/shadow"
    echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPlantedKeyForPosternTestsOnly0000000000 planted@test" \
      > "$d/r2/root/.ssh/authorized_keys"
    printf 'admin:x:0:0::/:/bin/sh\n' > "$d/ntfs-file"
  else
    printf 'root:$6$Zb9n2Yk1$3vQ0m2f5G7h8J9k0L1m2N3o4P5q6R7s8T9u0V1w2X3y4Z5a6B7c8D9e0F1g2H3i4J5k6L7m8N9o0P1q2R3:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n' \
      > "$d/r1/etc/shadow"
    echo "welcome" > "$d/r2/root/motd"
    echo "readme" > "$d/ntfs-file"
  fi
  chmod 600 "$d/r1/etc/shadow"
  truncate -s 8M "$d/e.img" && mke2fs -q -t ext4 -d "$d/r1" "$d/e.img"
  {
    printf 'boot\n0 0\nd--755 0 0\nroot d--700 0 0\n'
    if [ "$plant" = 1 ]; then
      printf '.ssh d--700 0 0\nauthorized_keys ---600 0 0 %s\n$\n' "$d/r2/root/.ssh/authorized_keys"
    else
      printf 'motd ---644 0 0 %s\n' "$d/r2/root/motd"
    fi
    printf '$\n$\n'
  } > "$d/proto"
  # xfsprogs refuses filesystems under 300 MB unless it is run by the
  # filesystem test suite, which these variables say
  truncate -s 16M "$d/x.img" && TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1 mkfs.xfs -q -p "$d/proto" "$d/x.img"
  truncate -s 8M "$d/n.img" && mkntfs -q -F -Q "$d/n.img" > /dev/null 2>&1
  ntfscp -q "$d/n.img" "$d/ntfs-file" passwd
  if [ "$plant" = 1 ]; then
    # a private key hidden in an alternate data stream of that file
    ssh-keygen -q -t ed25519 -N '' -C planted -f "$d/hidden-key"
    ntfscp -q -N hidden "$d/n.img" "$d/hidden-key" passwd
  fi
  mkdir -p "$d/r3/etc"
  if [ "$plant" = 1 ]; then
    printf 'root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n' > "$d/r3/etc/passwd"
  else
    printf 'root:x:0:0:root:/root:/bin/sh\n' > "$d/r3/etc/passwd"
  fi
  printf 'root:*:19000:0:99999:7:::\ntoor:*:19000:0:99999:7:::\n' > "$d/r3/etc/shadow"
  truncate -s 4M "$d/lv.img" && mke2fs -q -t ext4 -d "$d/r3" "$d/lv.img"
  python3 "$SRC/tests/tools/mklvm.py" "$d/pv.img" root="$d/lv.img"
}

mkdir -p "$W/p" "$W/c"
make_fs "$W/p" 1
make_fs "$W/c" 0
$MK luks "$W/p/l.img" 512
$MK gpt "$W/disk.img" 48 "$W/p/e.img" "$W/p/x.img" "$W/p/n.img" "$W/p/l.img" "$W/p/pv.img"
$MK gpt "$W/clean.img" 48 "$W/c/e.img" "$W/c/x.img" "$W/c/n.img" "$W/c/pv.img"
$MK mbr "$W/mbr.img" 40 "$W/c/e.img" - "$W/p/e.img" "$W/c/n.img"
qemu-img convert -O qcow2 "$W/disk.img" "$W/disk.qcow2"
qemu-img convert -O vmdk "$W/disk.img" "$W/disk.vmdk"
qemu-img convert -O vmdk -o subformat=streamOptimized "$W/disk.img" "$W/disk1.vmdk"
qemu-img convert -O vhdx "$W/disk.img" "$W/disk.vhdx"
qemu-img convert -O vpc "$W/disk.img" "$W/disk.vhd"
qemu-img convert -O qcow2 "$W/clean.img" "$W/clean.qcow2"
cat > "$W/appliance.ovf" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1">
  <References><File ovf:href="disk1.vmdk" ovf:id="file1"/></References>
  <VirtualSystem ovf:id="vm">
    <ProductSection>
      <Info>The appliance</Info>
      <Product>Example Gateway</Product>
      <Vendor>Example Networks</Vendor>
      <Version>4.2.1</Version>
    </ProductSection>
  </VirtualSystem>
</Envelope>
EOF
tar -C "$W" -cf "$W/appliance.ova" appliance.ovf disk1.vmdk

# plants(NAME PREFIX): the four volumes' findings under PREFIX
plants() {
  finding_at "$1" account.empty-password "$2!gpt@p1!/etc/shadow"
  finding_at "$1" key.authorized-keys "$2!gpt@p2!/root/.ssh/authorized_keys"
  finding_at "$1" account.extra-uid0 "$2!gpt@p3!/passwd"
  finding_at "$1" key.private "$2!gpt@p3!/passwd:hidden"
  finding_at "$1" coverage.encrypted "$2!gpt@p4"
  finding_at "$1" account.extra-uid0 "$2!gpt@p5!lvm@root!/etc/passwd"
  [ "$(verdict "$1")" = fail ] || fail "$1: verdict $(verdict "$1")"
}

echo "raw GPT disk: ext4, XFS, NTFS, LUKS, LVM2"
bounded raw "$W/disk.img"
plants raw disk.img
echo "MBR: a primary partition, an empty one, logical partitions 5 and 6 in an extended one"
bounded mbr "$W/mbr.img"
finding_at mbr account.empty-password "mbr.img!mbr@p5!/etc/shadow"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
bad=[f for f in d["findings"] if f["rule"].startswith("account.") and "mbr@p5" not in f["location"]]
sys.exit(bool(bad))' "$W/mbr.json" || fail "mbr: a clean partition has account findings"
for f in qcow2 vmdk vhdx vhd; do
  echo "virtual disk: $f"
  bounded "v$f" "$W/disk.$f"
  plants "v$f" "disk.$f!disk"
done
echo "OVA: OVF descriptor and a stream-optimized VMDK"
bounded ova "$W/appliance.ova" --inventory
plants ova "appliance.ova!/disk1.vmdk!disk"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
c=[c for n in d["inventory"] if n["location"]=="appliance.ova!/appliance.ovf" for c in n.get("components",[])]
sys.exit(not any(x["name"]=="Example-Gateway" and x["version"]=="4.2.1" and
  x["purl"]=="pkg:generic/Example-Networks/Example-Gateway@4.2.1" for x in c))' "$W/ova.json" ||
  fail "ova: the OVF product is not in the report"

echo "the same JSON whatever the thread count"
for j in 1 4; do
  "$POSTERN" scan "$W/appliance.ova" --format json --no-progress -j $j > "$W/ova-j$j.raw" || [ $? -lt 64 ]
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("run",None); print(json.dumps(d,sort_keys=True))' \
    "$W/ova-j$j.raw" > "$W/ova-j$j.json"
done
cmp -s "$W/ova-j1.json" "$W/ova-j4.json" || fail "ova: -j1 and -j4 reports differ"

echo "clean disks stay quiet"
for f in clean.img clean.qcow2; do
  n=clean_${f#clean.}
  bounded "$n" "$W/$f"
  no_access "$n"
  [ "$(verdict "$n")" = pass ] || fail "$n: verdict $(verdict "$n")"
done

# damaged copies: cut in half; bytes flipped in the headers each format
# checks (GPT header and entry CRCs, qcow2's L1 table offset, VMDK's grain
# directory, VHDX's headers, the OVA's tar header of the disk)
damaged() { # damaged NAME FILE
  bounded "$1" "$2"
  [ "$(verdict "$1")" != pass ] || fail "$1: a damaged image passes"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d["coverage"]
sys.exit(not (c["incomplete"] or c["truncated"] or c["unexplained_bytes"] or c["unidentified"] or
  any(f["rule"].startswith(("unpack.","coverage.")) for f in d["findings"])))' "$W/$1.json" ||
    fail "$1: the damage is not reported"
}
flip() { # flip FILE OUT OFFSET...
  python3 - "$@" <<'PY'
import sys
src, out, offs = sys.argv[1], sys.argv[2], [int(x, 0) for x in sys.argv[3:]]
b = bytearray(open(src, "rb").read())
for o in offs:
    if o < len(b):
        b[o] ^= 0x5a
open(out, "wb").write(b)
PY
}
echo "partition tables that lie: an EBR chain looping back, both GPT copies broken, overlaps"
python3 - "$W" <<'PY'
import struct, sys
w = sys.argv[1]
b = bytearray(open(w + "/mbr.img", "rb").read())
# the extended partition is entry 3; its first EBR links the next one: point
# that link back at the first EBR (a loop)
ext = struct.unpack_from("<I", b, 446 + 32 + 8)[0]
struct.pack_into("<I", b, ext * 512 + 446 + 16 + 8, 0)
open(w + "/loop.img", "wb").write(b)
g = bytearray(open(w + "/clean.img", "rb").read())
g[512 + 40] ^= 1                # primary header's CRC no longer matches
g[len(g) - 512 + 40] ^= 1       # nor does the backup's
open(w + "/nogpt.img", "wb").write(g)
o = bytearray(open(w + "/clean.img", "rb").read())
# partition 2 starts inside partition 1 (entries and their CRCs rewritten)
import zlib
first1 = struct.unpack_from("<Q", o, 1024 + 32)[0]
struct.pack_into("<Q", o, 1024 + 128 + 32, first1 + 8)
for hdr in (512, len(o) - 512):
    ents = struct.unpack_from("<Q", o, hdr + 72)[0] * 512
    if hdr != 512:
        o[ents:ents + 128 * 128] = o[1024:1024 + 128 * 128]
    struct.pack_into("<I", o, hdr + 88, zlib.crc32(bytes(o[ents:ents + 128 * 128])))
    struct.pack_into("<I", o, hdr + 16, 0)
    struct.pack_into("<I", o, hdr + 16, zlib.crc32(bytes(o[hdr:hdr + 92])))
open(w + "/overlap.img", "wb").write(o)
PY
bounded loop "$W/loop.img"
grep -q 'EBR link 0 out of order' "$W/loop.json" || fail "loop: the EBR loop is not reported"
finding_at loop account.empty-password "loop.img!mbr@p5!/etc/shadow"
bounded nogpt "$W/nogpt.img"
grep -q 'GPT primary header or entries damaged' "$W/nogpt.json" || fail "nogpt: not reported"
[ "$(verdict nogpt)" != pass ] || fail "nogpt: passes"
# with no table, the disk is carved: the ext4 (which has a magic) is still opened
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(not d["coverage"]["files"] >= 3)' "$W/nogpt.json" || fail "nogpt: the ext4 was not carved"
bounded overlap "$W/overlap.img"
grep -q 'gpt@p2 overlaps the partition before it' "$W/overlap.json" || fail "overlap: not reported"

echo "damaged images: no crash, reported, never pass"
for f in clean.img clean.qcow2 disk.vmdk disk1.vmdk disk.vhdx disk.vhd appliance.ova; do
  size=$(stat -c %s "$W/$f")
  head -c $((size / 2)) "$W/$f" > "$W/cut-$f"
  damaged "cut_${f//./_}" "$W/cut-$f"
done
flip "$W/clean.img" "$W/flip-gpt.img" 0x210 0x400
damaged flip_gpt "$W/flip-gpt.img"
flip "$W/clean.qcow2" "$W/flip.qcow2" 0x28 0x29 0x2a
damaged flip_qcow2 "$W/flip.qcow2"
flip "$W/disk1.vmdk" "$W/flip.vmdk" 0x38 0x39 0x3a
damaged flip_vmdk "$W/flip.vmdk"
flip "$W/disk.vhdx" "$W/flip.vhdx" 0x10000 0x20000 0x30000 0x40000
damaged flip_vhdx "$W/flip.vhdx"
# an LVM physical volume alone: cut, and its metadata text damaged
head -c $(( $(stat -c %s "$W/c/pv.img") / 2 )) "$W/c/pv.img" > "$W/cut-pv.img"
damaged cut_pv "$W/cut-pv.img"
flip "$W/c/pv.img" "$W/flip-pv.img" 0x1210 0x1240 0x1280
damaged flip_pv "$W/flip-pv.img"
echo "disks: ok"
