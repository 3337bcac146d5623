#!/usr/bin/env bash
# mem_accounting.sh - one accounting of what is alive (docs/limits.md, "One
# accounting", issue 15): peak RSS stays within --max-memory + 64 MiB when
# the content is far bigger than the budget. A 57 MiB member (the key
# analyzer reads files up to 64 MiB), as a file target (a read-only mapping
# of the file) and inside a directory target (read into a buffer, which goes
# to a spill file), is examined whole under an 8 MiB budget: the private key
# planted at its end is found, nothing is cut (no limit.*), and the process
# never holds the member's pages: the target is hashed a step at a time and
# the trimmer lets the pages of its mapping and of spill files go as they are
# read. Before, peak RSS counted every page read (about 85 MB here, over the
# 72 MiB bound). The report is the same with 1 and 2 workers.
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
W=$(mktemp -d "${TMPDIR:-/tmp}/postern-memacct-XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$SRC/tests/e2e/lib/bounded.sh"
BOUND_KB=$(( (8 + 64) * 1024 ))  # budget + 64 MiB

mkdir "$W/dir" "$W/tmp"
key_text "$W/dir/big.txt" 44000000 mem_accounting
export TMPDIR=$W/tmp
size=$(stat -c %s "$W/dir/big.txt")

# the file itself (its mapping let go as it is read), then its directory (read, spilled)
for t in file dir; do
  target=$W/dir
  [ "$t" = dir ] || target=$W/dir/big.txt
  echo "$t target: a $size-byte member under an 8 MiB budget"
  for j in 1 2; do
    bounded_rss "$t$j" "$target" "$BOUND_KB" -j $j --max-memory 8M
    key_whole "$t$j" "$size"
  done
  [ "$(norun "${t}1")" = "$(norun "${t}2")" ] || fail "$t: the report depends on the thread count"
done
echo "mem_accounting: ok"
