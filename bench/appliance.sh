#!/usr/bin/env bash
# Appliance benchmark (issue 15): a real tree as a virtual appliance disk,
# scanned by postern at default settings beside the reference pipelines on
# the same input, in one run:
#   - floor:     qemu-img convert -O raw, then e2fsck -fn of the partition
#                in place ("raw?offset=1048576"; reads every metadata block of the
#                filesystem; the issue's "fair floor": a scanner must at least
#                convert the disk and walk the filesystem)
#   - floor + reading: qemu-img convert -O raw, then debugfs -R 'rdump / DIR'
#                (every file's bytes read out of the ext4 and written once: the
#                least any tool that looks at every file must do)
#   - reference: qemu-img convert -O raw, then 7z x of the raw disk (7-Zip
#                opens the GPT and the ext4 and writes every file out: the
#                Debian-packaged "unpack everything" pipeline, as binwalk -e
#                would, without binwalk's hours of carving over 4 GB)
# for the disk as qcow2, as VMDK (monolithic sparse) and as an OVA (a tar of
# an OVF descriptor and the disk as a streamOptimized VMDK; the references
# first take the VMDK out of the tar). Prints wall, CPU, peak RSS
# (/usr/bin/time -v), limit.* findings and the ratios; the target is postern's
# wall at most 1.5 x the floor, RSS within the budget, no limit.*.
#
# The appliance: a GPT disk of SIZE (default 4G), one ext4 partition made by
# `mke2fs -d DIR` (no mount, no root), converted by qemu-img.
#
# usage: bench/appliance.sh [-s SIZE] [-j JOBS] [-f FORMATS] [-r ROOT | DIR]
#   DIR  the tree put on the disk (default /usr/lib/jvm, ~560 MB)
#   -r   make once (bench/lib/debian_root.sh) and use ROOT, the issue's
#        debootstrap'ed Debian 12 with default-jdk-headless, python3-full and
#        libreoffice-core
#   -f   the forms, comma-separated (default qcow2,vmdk,ova)
#   env POSTERN (default build/postern); BASE: a second build (e.g. main's)
#   scanned in the same run, after this one, for before/after ratios; REF=0
#   leaves the 7z reference out (it takes longest and is not the target's
#   floor); KEEP=DIR makes the images in DIR once and reuses them (making
#   them takes minutes: time the scans apart from it, on a quiet machine)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
postern=${POSTERN:-$here/build/postern}
base=${BASE:-} ref=${REF:-1}
jobs=2 size=4G forms=qcow2,vmdk,ova root=""
while getopts "s:j:f:r:" o; do
  case $o in
    s) size=$OPTARG ;;
    j) jobs=$OPTARG ;;
    f) forms=$OPTARG ;;
    r) root=$OPTARG ;;
    *) echo "usage: $0 [-s SIZE] [-j JOBS] [-f FORMATS] [-r ROOT | DIR]" >&2; exit 64 ;;
  esac
done
shift $((OPTIND - 1))
if [ -n "$root" ]; then
  . "$here/bench/lib/debian_root.sh"
  debian_root "$root"
  set -- "$root"
fi
dir=$(cd "${1:-/usr/lib/jvm}" && pwd)
out=$here/bench/out/appliance
mkdir -p "$out"
for t in qemu-img mke2fs e2fsck debugfs 7z tar /usr/bin/time python3; do
  command -v "$t" >/dev/null || { echo "appliance: $t missing (scripts/install-deps)" >&2; exit 69; }
done
[ -x "$postern" ] || { echo "appliance: build postern first ($postern)" >&2; exit 69; }
w=$(mktemp -d "${TMPDIR:-/tmp}/postern-appliance-XXXXXX")
trap 'rm -rf "$w"' EXIT
imgs=$w
if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP"; imgs=$(cd "$KEEP" && pwd); fi

. "$here/bench/lib/timed.sh" # run NAME CMD...: "wall cpu rss_kb"

# The budget docs/limits.md gives a file target: 384 MiB, or 6 x its size,
# at most a quarter of RAM and 4 GiB.
budget_mib() {
  python3 -c "
import os, sys
l = os.path.getsize(sys.argv[1]); ram = os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES')
print(max(384 << 20, min(6 * l, ram // 4, 4 << 30)) >> 20)" "$1"
}

summary() { # summary JSON: limit.* count, bytes unpacked, files, verdict
  python3 - "$1" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["coverage"]
lim = sorted(f["rule"] for f in r["findings"] if f["rule"].startswith("limit."))
print("limit.*=%d%s files=%d bytes_unpacked=%d incomplete=%d verdict=%s" % (
    len(lim), (" (" + ",".join(sorted(set(lim))) + ")") if lim else "", c["files"],
    c["bytes_unpacked"], c["incomplete"], r["verdict"]))
EOF
}

# The appliance: ext4 of the tree inside a GPT disk, partition at 1 MiB.
bytes=$(du -sb "$dir" | cut -f1)
nfiles=$(find "$dir" -type f | wc -l)
echo "appliance: $dir ($nfiles files, $((bytes >> 20)) MiB) on a $size GPT disk; jobs $jobs;" \
  "$(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
if [ ! -e "$imgs/.made" ]; then
  part_mib=$(( $(numfmt --from=iec "$size") / 1048576 - 2 ))
  truncate -s "${part_mib}M" "$w/part.img"
  mke2fs -q -t ext4 -E lazy_itable_init=1,lazy_journal_init=1 -d "$dir" "$w/part.img"
  python3 "$here/tests/tools/mkdisk.py" gpt "$w/disk.raw" "$(( part_mib + 2 ))" "$w/part.img"
  rm -f "$w/part.img"
  qemu-img convert -O qcow2 "$w/disk.raw" "$imgs/appliance.qcow2"
  qemu-img convert -O vmdk "$w/disk.raw" "$imgs/appliance.vmdk"
  qemu-img convert -O vmdk -o subformat=streamOptimized "$w/disk.raw" "$w/disk1.vmdk"
  rm -f "$w/disk.raw"
  cat > "$w/appliance.ovf" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1">
  <References><File ovf:href="disk1.vmdk" ovf:id="file1"/></References>
  <VirtualSystem ovf:id="vm">
    <ProductSection><Info>bench</Info><Product>Bench Appliance</Product>
      <Vendor>postern bench</Vendor><Version>1.0</Version></ProductSection>
  </VirtualSystem>
</Envelope>
EOF
  tar -C "$w" -cf "$imgs/appliance.ova" appliance.ovf disk1.vmdk
  rm -f "$w/disk1.vmdk" "$w/appliance.ovf"
  : > "$imgs/.made"
fi
ls -l "$imgs"/appliance.* | awk '{print "  " $9 ": " $5 " bytes"}'

# to_raw IMG: the disk as raw at $w/raw (an OVA's disk is taken out of its tar first)
to_raw() {
  case $1 in
    *.ova) tar -C "$w" -xf "$1" disk1.vmdk && qemu-img convert -O raw "$w/disk1.vmdk" "$w/raw" &&
      rm -f "$w/disk1.vmdk" ;;
    *) qemu-img convert -O raw "$1" "$w/raw" ;;
  esac
}
export -f to_raw
export w

row() { printf '%-44s %9s %9s %10s\n' "$@"; }
for fmt in ${forms//,/ }; do
  img=$imgs/appliance.$fmt
  read -r w_f c_f r_f <<< "$(run floor_$fmt bash -c "
    to_raw '$img' && e2fsck -fn '$w/raw?offset=1048576'; rm -f '$w/raw'")"
  read -r w_d c_d r_d <<< "$(run read_$fmt bash -c "
    to_raw '$img' && mkdir -p '$w/x' && debugfs -R 'rdump / $w/x' '$w/raw?offset=1048576';
    rm -rf '$w/raw' '$w/x'")"
  w_r=0 c_r=0 r_r=0
  [ "$ref" = 0 ] || read -r w_r c_r r_r <<< "$(run ref_$fmt bash -c "
    to_raw '$img' && 7z x -y -bd -o'$w/x' '$w/raw'; rm -rf '$w/raw' '$w/x'")"
  read -r w_p c_p r_p <<< "$(run postern_$fmt "$postern" scan "$img" --no-progress -j "$jobs" \
    --format json -o "$out/$fmt.json")"
  w_b=0 c_b=0 r_b=0
  [ -z "$base" ] || read -r w_b c_b r_b <<< "$(run base_$fmt "$base" scan "$img" --no-progress \
    -j "$jobs" --format json -o "$out/base_$fmt.json")"
  echo
  echo "== $fmt"
  row "" "wall s" "cpu s" "peak RSS"
  row "floor: qemu-img convert + e2fsck -fn" "$w_f" "$c_f" "$((r_f / 1024)) MiB"
  row "floor + reading: convert + debugfs rdump" "$w_d" "$c_d" "$((r_d / 1024)) MiB"
  [ "$ref" = 0 ] || row "reference: qemu-img convert + 7z x" "$w_r" "$c_r" "$((r_r / 1024)) MiB"
  row "postern scan -j $jobs" "$w_p" "$c_p" "$((r_p / 1024)) MiB"
  [ -z "$base" ] || row "BASE scan -j $jobs" "$w_b" "$c_b" "$((r_b / 1024)) MiB"
  echo "postern: $(summary "$out/$fmt.json"); budget $(budget_mib "$img") MiB"
  [ -z "$base" ] || echo "BASE:    $(summary "$out/base_$fmt.json")"
  python3 -c "
wp, wf, wd, wr = $w_p, $w_f, $w_d, $w_r
cp, cf, cd, cr = $c_p, $c_f, $c_d, $c_r
z = lambda p, r: ('   / 7z: %.2f' % (p / r)) if r else ''
print('ratio wall postern / floor: %.2f (target <= 1.5)   / floor + reading: %.2f%s' %
      (wp / max(wf, .01), wp / max(wd, .01), z(wp, wr)))
print('ratio cpu  postern / floor: %.2f   / floor + reading: %.2f%s' %
      (cp / max(cf, .01), cp / max(cd, .01), z(cp, cr)))
if $w_b:
    print('ratio postern / BASE: wall %.2f  cpu %.2f' % (wp / $w_b, cp / max($c_b, .01)))"
done
