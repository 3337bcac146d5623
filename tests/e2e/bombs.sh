#!/usr/bin/env bash
# bombs.sh - decompression bombs and lying archives, made at test time
# (tests/e2e/lib/bombs.py). Every scan must stay bounded (peak RSS < 512 MB,
# wall time under --max-seconds, exit status < 64, valid JSON) and report what
# it could not examine in coverage and findings.
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
W=$(mktemp -d "${TMPDIR:-/tmp}/postern-bombs-XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$SRC/tests/e2e/lib/bounded.sh"
G="python3 $SRC/tests/e2e/lib/bombs.py"

echo "42.zip-style nested bomb (4 levels x 16 copies of 16 MiB zeros: 1 TiB declared)"
$G zip42 "$W/z42.zip" 4 16 16
bounded z42 "$W/z42.zip"
has_rule z42 limit.ratio || fail "z42: no limit.ratio"
[ "$(cov z42 limits_hit)" -ge 1 ] && [ "$(cov z42 incomplete)" -ge 1 ] ||
  fail "z42: limit not in coverage"
[ "$(cov z42 bytes_unpacked)" -le $((64 << 20)) ] || fail "z42: unpacked past the 64 MiB ratio floor"

echo "overlapping zip: 2000 central entries on one 16 MiB local entry"
$G overlap "$W/ov.zip" 2000 16
bounded ov "$W/ov.zip"
[ "$(cov ov bytes_unpacked)" -le $((64 << 20)) ] || fail "ov: unpacked more than the ratio floor"
[ "$(cov ov files)" -ge 2 ] || fail "ov: the shared entry was not examined"
has_rule ov unpack.damaged && [ "$(cov ov incomplete)" -ge 1 ] ||
  fail "ov: 1999 dropped central-directory entries not reported"

echo "overlapping zip: B's local header inside A's data"
$G overlap2 "$W/ov2.zip"
bounded ov2 "$W/ov2.zip" --inventory
has_node ov2 'ov2.zip!/A' || fail "ov2: A missing"

echo "overlapping romfs (zero-copy): 300 files whose data all run to the image's end (78 MB handed out)"
$G romfs-overlap "$W/rov.img" 300 256
bounded rov "$W/rov.img" --inventory --max-total-bytes 8M
has_rule rov limit.total-size || fail "rov: re-used bytes not counted against --max-total-bytes"
[ "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(sum(n["size"] for n in d["inventory"] if "!/f" in n["location"]))' "$W/rov.json")" -le $(((8 << 20) + 2 * 271776)) ] ||
  fail "rov: examined past the total-bytes limit"
[ "$(cov rov truncated)" -ge 1 ] || fail "rov: the cut is not counted"

echo "declared sizes that lie (tar octal and base-256, cpio newc, zip)"
$G liar-tar "$W/lt.tar"; $G liar-cpio "$W/lc.cpio"; $G liar-zip "$W/lz.zip"
for n in lt lc lz; do
  f=$(ls "$W/$n".*)
  bounded "$n" "$f"
  has_rule "$n" unpack.damaged || fail "$n: lying size not reported as unpack.damaged"
  [ "$(cov "$n" incomplete)" -ge 1 ] || fail "$n: lying size not counted incomplete"
  [ "$(cov "$n" bytes_unpacked)" -lt 1048576 ] || fail "$n: believed the declared size"
done

echo "streams inflating to 4 GiB: xz, bzip2 (concatenated streams), zstd (one frame)"
head -c 256M /dev/zero | xz -0 -T1 > "$W/z256.xz"
for i in $(seq 16); do cat "$W/z256.xz"; done > "$W/z.xz"
head -c 64M /dev/zero | bzip2 -1 > "$W/z64.bz2"
for i in $(seq 64); do cat "$W/z64.bz2"; done > "$W/z.bz2"
head -c 4G /dev/zero | zstd -1 -q > "$W/z.zst"
for ext in xz bz2 zst; do
  bounded "s$ext" "$W/z.$ext"
  [ "$(cov "s$ext" limits_hit)" -ge 1 ] && [ "$(cov "s$ext" truncated)" -ge 1 ] ||
    fail "s$ext: the bomb was not cut and reported"
  lim=$(( $(stat -c %s "$W/z.$ext") * 500 )); [ "$lim" -ge $((64 << 20)) ] || lim=$((64 << 20))
  [ "$(cov "s$ext" bytes_unpacked)" -le "$lim" ] || fail "s$ext: unpacked past the ratio limit"
done

rm -f "$W"/z*.xz "$W"/z*.bz2 "$W"/z.zst
# Several bombs at once under 1, 2 and 4 workers: tests/e2e/bombs_memory.sh.

echo "100,000 tiny files in a tar.gz"
$G tiny-tar "$W/tiny.tgz" 100000
bounded tiny "$W/tiny.tgz"
[ "$(cov tiny files)" -eq 100002 ] || fail "tiny: $(cov tiny files) files counted, want 100000 + tar + tgz"
[ "$(cov tiny limits_hit)" -eq 0 ] || fail "tiny: a limit was hit"

echo "2,000-level directory tree in a tar"
$G deep-tar "$W/deep.tar" 2000
bounded deep "$W/deep.tar" --inventory
[ "$(cov deep directories)" -eq 2000 ] || fail "deep: $(cov deep directories) directories"
has_node deep "deep.tar!/$(printf 'd/%.0s' $(seq 2000))bottom.txt" || fail "deep: bottom file missing"

echo "non-UTF-8, control-character and enormous names (JSON, SARIF stay valid)"
$G names-tar "$W/names.tar"
bounded names "$W/names.tar" --inventory
has_rule names limit.path || fail "names: enormous names not reported as limit.path"
[ "$(cov names files)" -eq 12 ] || fail "names: $(cov names files) files, want 11 + the tar"
for fmt in sarif cyclonedx html; do
  "$POSTERN" scan "$W/names.tar" --format $fmt --inventory --no-progress > "$W/names.$fmt" || true
  python3 -c 'import json,sys
t = open(sys.argv[1], "rb").read().decode("utf-8")
if sys.argv[2] != "html": json.loads(t)' "$W/names.$fmt" $fmt || fail "names: $fmt report not valid UTF-8 (JSON)"
done

echo "symlink loops and a 200-link chain, in a tar and in a directory target"
$G links-tar "$W/links.tar"
bounded links "$W/links.tar"
[ "$(cov links links)" -eq 206 ] || fail "links: $(cov links links) links, want 206"
mkdir -p "$W/dir/sub"
ln -s loop-b "$W/dir/loop-a"; ln -s loop-a "$W/dir/loop-b"; ln -s self "$W/dir/self"
ln -s . "$W/dir/dot"; ln -s .. "$W/dir/sub/up"; ln -s / "$W/dir/root"
for i in $(seq 0 199); do ln -s "c$((i + 1))" "$W/dir/c$i"; done
echo end > "$W/dir/c200"
bounded dirlinks "$W/dir"
[ "$(cov dirlinks links)" -eq 206 ] || fail "dirlinks: $(cov dirlinks links) links, want 206"
[ "$(cov dirlinks files)" -le 3 ] || fail "dirlinks: links were followed ($(cov dirlinks files) files)"

echo "bombs: ok"
