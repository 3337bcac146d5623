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
# budget + 64 MiB (a sanitizer build's shadow memory is exempt: bounded.sh)
[ -n "$SANITIZED" ] || RSS_MAX_KB=$(( (8 + 64) * 1024 ))

ssh-keygen -q -t ed25519 -N '' -f "$W/k"
mkdir "$W/dir" "$W/tmp"
{ "$SRC"/tests/tools/randbytes 44000000 mem_accounting | base64 -w 76
  cat "$W/k"; } > "$W/dir/big.txt"
rm -f "$W/k" "$W/k.pub"
export TMPDIR=$W/tmp
size=$(stat -c %s "$W/dir/big.txt")

norun() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); r.pop('run',None); print(json.dumps(r,sort_keys=True))" "$W/$1.json"; }
limits() { python3 -c "import json,sys; print(' '.join(sorted(f['rule'] for f in json.load(open(sys.argv[1]))['findings'] if f['rule'].startswith('limit.'))))" "$W/$1.json"; }

check() { # check NAME: the key at the end found, nothing cut
  local name=$1 off
  [ -z "$(limits "$name")" ] || fail "$name: limits hit: $(limits "$name")"
  has_rule "$name" key.embedded-private || fail "$name: the key at the member's end was not found"
  off=$(python3 -c "import json,sys; print([f['offset'] for f in json.load(open(sys.argv[1]))['findings'] if f['rule']=='key.embedded-private'][0])" "$W/$name.json")
  [ "$off" -ge $((size - 4096)) ] || fail "$name: key found at $off, not at the end ($size)"
  [ "$(cov "$name" truncated)" -eq 0 ] || fail "$name: content truncated"
  [ -z "$(ls -A "$W/tmp")" ] || fail "$name: files left in TMPDIR: $(ls -A "$W/tmp")"
}

echo "a $size-byte file under an 8 MiB budget: the target's mapping is trimmed"
for j in 1 2; do
  bounded "file$j" "$W/dir/big.txt" -j $j --max-memory 8M
  check "file$j"
done
[ "$(norun file1)" = "$(norun file2)" ] || fail "file: the report depends on the thread count"

echo "the same member in a directory target: read, spilled, trimmed"
for j in 1 2; do
  bounded "dir$j" "$W/dir" -j $j --max-memory 8M
  check "dir$j"
done
[ "$(norun dir1)" = "$(norun dir2)" ] || fail "dir: the report depends on the thread count"
echo "mem_accounting: ok"
