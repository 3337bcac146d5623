#!/usr/bin/env bash
# Appliance benchmark (issue 15): a real tree as a virtual appliance disk,
# scanned by postern at default settings beside the reference pipelines on
# the same input, in one run:
#   - floor:     qemu-img convert -O raw, then e2fsck -fn of the partition
#                in place ("raw?offset=1048576"; reads every metadata block of the
#                filesystem; the issue's "fair floor": a scanner must at least
#                convert the disk and walk the filesystem)
#   - reference: qemu-img convert -O raw, then 7z x of the raw disk (7-Zip
#                opens the GPT and the ext4 and writes every file out: the
#                Debian-packaged "unpack everything" pipeline, as binwalk -e
#                would, without binwalk's hours of carving over 4 GB)
# for the disk as qcow2 and as VMDK (monolithic sparse). Prints wall, CPU,
# peak RSS (/usr/bin/time -v), limit.* findings and the ratios; the target is
# postern's wall at most 1.5 x the floor, RSS within the budget, no limit.*.
#
# The appliance: a GPT disk of SIZE (default 4G), one ext4 partition made by
# `mke2fs -d DIR` (no mount, no root), converted by qemu-img.
#
# usage: bench/appliance.sh [-s SIZE] [-j JOBS] [DIR]
#   DIR  the tree put on the disk (default /usr/lib/jvm, ~560 MB); the issue's
#        debootstrap'ed Debian 12 root works the same way
#        (`debootstrap bookworm ROOT && chroot ROOT apt-get install
#        default-jdk-headless python3-full libreoffice-core`)
#   env POSTERN (default build/postern)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
postern=${POSTERN:-$here/build/postern}
jobs=2 size=4G
while getopts "s:j:" o; do
  case $o in
    s) size=$OPTARG ;;
    j) jobs=$OPTARG ;;
    *) echo "usage: $0 [-s SIZE] [-j JOBS] [DIR]" >&2; exit 64 ;;
  esac
done
shift $((OPTIND - 1))
dir=$(cd "${1:-/usr/lib/jvm}" && pwd)
out=$here/bench/out/appliance
mkdir -p "$out"
for t in qemu-img mke2fs e2fsck 7z /usr/bin/time python3; do
  command -v "$t" >/dev/null || { echo "appliance: $t missing (scripts/install-deps)" >&2; exit 69; }
done
[ -x "$postern" ] || { echo "appliance: build postern first ($postern)" >&2; exit 69; }
w=$(mktemp -d "${TMPDIR:-/tmp}/postern-appliance-XXXXXX")
trap 'rm -rf "$w"' EXIT

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
part_mib=$(( $(numfmt --from=iec "$size") / 1048576 - 2 ))
truncate -s "${part_mib}M" "$w/part.img"
mke2fs -q -t ext4 -E lazy_itable_init=1,lazy_journal_init=1 -d "$dir" "$w/part.img"
python3 "$here/tests/tools/mkdisk.py" gpt "$w/disk.raw" "$(( part_mib + 2 ))" "$w/part.img"
rm -f "$w/part.img"
qemu-img convert -O qcow2 "$w/disk.raw" "$w/appliance.qcow2"
qemu-img convert -O vmdk "$w/disk.raw" "$w/appliance.vmdk"
rm -f "$w/disk.raw"
ls -l "$w/appliance.qcow2" "$w/appliance.vmdk" | awk '{print "  " $9 ": " $5 " bytes"}'

row() { printf '%-44s %9s %9s %10s\n' "$@"; }
for fmt in qcow2 vmdk; do
  img=$w/appliance.$fmt
  read -r w_f c_f r_f <<< "$(run floor_$fmt bash -c "
    qemu-img convert -O raw '$img' '$w/raw' && e2fsck -fn '$w/raw?offset=1048576';
    rm -f '$w/raw'")"
  read -r w_r c_r r_r <<< "$(run ref_$fmt bash -c "
    qemu-img convert -O raw '$img' '$w/raw' && 7z x -y -bd -o'$w/x' '$w/raw';
    rm -rf '$w/raw' '$w/x'")"
  read -r w_p c_p r_p <<< "$(run postern_$fmt "$postern" scan "$img" --no-progress -j "$jobs" \
    --format json -o "$out/$fmt.json")"
  echo
  echo "== $fmt"
  row "" "wall s" "cpu s" "peak RSS"
  row "floor: qemu-img convert + e2fsck -fn" "$w_f" "$c_f" "$((r_f / 1024)) MiB"
  row "reference: qemu-img convert + 7z x" "$w_r" "$c_r" "$((r_r / 1024)) MiB"
  row "postern scan -j $jobs" "$w_p" "$c_p" "$((r_p / 1024)) MiB"
  echo "postern: $(summary "$out/$fmt.json"); budget $(budget_mib "$img") MiB"
  python3 -c "
wp, wf, wr = $w_p, $w_f, $w_r
print('ratio wall postern / floor: %.2f (target <= 1.5)   / reference: %.2f' % (wp / max(wf, .01), wp / max(wr, .01)))"
done
