#!/usr/bin/env bash
# mem_member_stream.sh - members bigger than the memory budget (issue 15,
# "members on demand"): a 57 MiB member (a private key planted at its end)
# in a tar.gz and, deflated, in a zip, under a 32 MiB budget. The zip's
# member is decoded by libarchive straight into a spill file (its declared
# size is past half the budget: pst_obuf_expect), the tar.gz's stream goes
# to one as it grows, and the tar's member is read from there: each is
# examined completely (the key found at its end, no limit.*, nothing cut),
# peak RSS stays within the budget + 64 MiB, the report is the same with 1
# and 2 workers, and nothing is left in $TMPDIR.
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
W=$(mktemp -d "${TMPDIR:-/tmp}/postern-memstream-XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$SRC/tests/e2e/lib/bounded.sh"
BOUND_KB=$(( (32 + 64) * 1024 ))  # budget + 64 MiB

mkdir "$W/m" "$W/tmp"
key_text "$W/m/member.txt" 44000000 mem_member_stream
size=$(stat -c %s "$W/m/member.txt")
(cd "$W/m" && tar -czf "$W/t.tar.gz" member.txt && zip -q -6 "$W/z.zip" member.txt)
rm -rf "$W/m"
export TMPDIR=$W/tmp

for c in t.tar.gz z.zip; do
  for j in 1 2; do
    n="${c%%.*}$j"
    bounded_rss "$n" "$W/$c" "$BOUND_KB" -j $j --max-memory 32M
    key_whole "$n" "$size" member.txt
  done
  [ "$(norun "${c%%.*}1")" = "$(norun "${c%%.*}2")" ] || fail "$c: the report depends on the thread count"
done
echo "mem_member_stream: ok"
