#!/usr/bin/env bash
# mem_spill.sh - spill files (src/core/spill.c, docs/limits.md "Spill"):
# through the CLI, in its sandbox, a member bigger than the whole memory
# budget goes to an unlinked temporary file in $TMPDIR and is examined whole
# (a private key planted after 24 MiB of base64 text is found, nothing is cut), the
# report is byte-identical with 1, 2 and 4 workers, and no file is left in
# $TMPDIR. With --max-spill 0 the same member is cut (limit.memory) and the
# key is not seen: the spill is what made the difference.
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
W=$(mktemp -d "${TMPDIR:-/tmp}/postern-spill-XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$SRC/tests/e2e/lib/bounded.sh"

ssh-keygen -q -t ed25519 -N '' -f "$W/k"
{ "$SRC"/tests/tools/randbytes 19000000 mem_spill | base64 -w 76
  cat "$W/k"; } | gzip -1 > "$W/big.gz"
rm -f "$W/k" "$W/k.pub"
mkdir "$W/tmp"
export TMPDIR=$W/tmp

rules() { python3 -c "import json,sys; print(' '.join(sorted(f['rule'] for f in json.load(open(sys.argv[1]))['findings'])))" "$W/$1.json"; }
norun() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); r.pop('run',None); print(json.dumps(r,sort_keys=True))" "$W/$1.json"; }

echo "a 24 MiB member under a 16 MiB budget, spilled, by 1, 2 and 4 workers"
for j in 1 2 4; do
  bounded "sp$j" "$W/big.gz" -j $j --max-memory 16M
  has_rule "sp$j" limit.memory && fail "sp$j: cut by the memory budget despite spill files"
  has_rule "sp$j" key.embedded-private || fail "sp$j: the key at the member's end was not found ($(rules sp$j))"
  off=$(python3 -c "import json,sys; print([f['offset'] for f in json.load(open(sys.argv[1]))['findings'] if f['rule']=='key.embedded-private'][0])" "$W/sp$j.json")
  [ "$off" -ge 25165824 ] || fail "sp$j: key found at $off, not at the end"
  [ "$(cov "sp$j" truncated)" -eq 0 ] || fail "sp$j: content truncated"
  [ -z "$(ls -A "$W/tmp")" ] || fail "sp$j: files left in TMPDIR: $(ls -A "$W/tmp")"
done
[ "$(norun sp1)" = "$(norun sp2)" ] && [ "$(norun sp1)" = "$(norun sp4)" ] ||
  fail "the report depends on the thread count"

echo "the same without spill files: cut, reported, and the key not seen"
bounded nosp "$W/big.gz" -j 2 --max-memory 16M --max-spill 0
has_rule nosp limit.memory || fail "nosp: no limit.memory"
has_rule nosp key.embedded-private && fail "nosp: the key was found in a cut member"

echo "mem_spill: ok"
