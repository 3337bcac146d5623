#!/usr/bin/env bash
# bombs_memory.sh - the live-memory budget (--max-memory, docs/limits.md):
# several bombs examined at once by 1, 2 and 4 workers stay under 512 MB of
# peak RSS, and a budget hit is cut, reported (limit.memory) and counted in
# coverage. Decoder windows (xz dictionaries, zstd long windows) count too.
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
W=$(mktemp -d "${TMPDIR:-/tmp}/postern-bombs-mem-XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$SRC/tests/e2e/lib/bounded.sh"

echo "four 256 MiB xz bombs in one tar, by 1, 2 and 4 workers: RSS and the ratio limit hold"
mkdir "$W/par"
head -c 256M /dev/zero | xz -0 -T1 > "$W/par/z1.xz"
for i in 2 3 4; do cp "$W/par/z1.xz" "$W/par/z$i.xz"; done
"$SRC"/tests/tools/randbytes 1500000 bombs_memory1 > "$W/par/pad.bin"
tar -cf "$W/par.tar" -C "$W/par" .
lim=$(( $(stat -c %s "$W/par.tar") * 500 ))
for j in 1 2 4; do
  bounded "par$j" "$W/par.tar" -j $j
  [ "$(cov par$j bytes_unpacked)" -le "$lim" ] ||
    fail "par$j: $(cov par$j bytes_unpacked) bytes unpacked past the ratio limit $lim"
  has_rule par$j limit.ratio || fail "par$j: no limit.ratio"
  # workers wait for one another's memory rather than cut
  if has_rule par$j limit.memory; then fail "par$j: cut by the memory budget"; fi
done

echo "the same tar under a 64 MiB budget without spill files, 4 workers: cut, reported, and far less memory"
# (each 256 MiB member alone passes the budget: with spill files, the
# default, it would go to disk whole; test_mem scan_spill_examines_whole)
bounded parmem "$W/par.tar" -j 4 --max-memory 64M --max-spill 0
has_rule parmem limit.memory || fail "parmem: no limit.memory"
[ "$(cov parmem truncated)" -ge 1 ] && [ "$(cov parmem limits_hit)" -ge 1 ] ||
  fail "parmem: the cut is not in coverage"
[ -n "${SANITIZED:-}" ] || [ "$RSS_KB" -lt $((200 * 1024)) ] ||
  fail "parmem: peak RSS ${RSS_KB} KB under a 64 MiB budget"
rm -rf "$W/par" "$W/par.tar"

echo "decoder windows: xz declaring a 1.5 GiB dictionary, zstd with a 128 MiB window, two of each"
mkdir "$W/win"
head -c 300M /dev/zero | xz -T1 --lzma2=preset=0,dict=1536MiB > "$W/win/d1.xz"
head -c 300M /dev/zero | zstd -q -1 --long=27 -o "$W/win/l1.zst"
cp "$W/win/d1.xz" "$W/win/d2.xz"; cp "$W/win/l1.zst" "$W/win/l2.zst"
"$SRC"/tests/tools/randbytes 1500000 bombs_memory2 > "$W/win/pad.bin"
tar -cf "$W/win.tar" -C "$W/win" .
# A 300 MiB output goes to a spill file (past half the budget), so at the
# default budget a window of up to 300 MiB fits beside it and one worker
# decodes all four whole; under 256 MiB no window can: cut, reported.
bounded win1d "$W/win.tar" -j 1
if has_rule win1d limit.memory; then fail "win1d: cut although each window fits the budget"; fi
for j in 1 4; do
  bounded "win$j" "$W/win.tar" -j $j --max-memory 256M
  has_rule win$j limit.memory || fail "win$j: no limit.memory"
  [ "$(cov win$j limits_hit)" -ge 1 ] && [ "$(cov win$j truncated)" -ge 1 ] ||
    fail "win$j: the cut is not in coverage"
done
rm -rf "$W/win" "$W/win.tar"

echo "42.zip-style nested bomb and an overlapping zip, 4 workers"
G="python3 $SRC/tests/e2e/lib/bombs.py"
$G zip42 "$W/z42.zip" 4 16 16
bounded z42j4 "$W/z42.zip" -j 4
has_rule z42j4 limit.ratio || fail "z42j4: no limit.ratio"
$G overlap "$W/ov.zip" 2000 16
bounded ovj4 "$W/ov.zip" -j 4
[ "$(cov ovj4 bytes_unpacked)" -le $((64 << 20)) ] || fail "ovj4: unpacked more than the ratio floor"

echo "bombs_memory: ok"
