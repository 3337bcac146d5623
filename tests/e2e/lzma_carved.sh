#!/usr/bin/env bash
# lzma_carved.sh - carved LZMA candidates decide on their bytes only
# (src/unpack/stream.c, docs/limits.md "Carved LZMA candidates"). Class-like
# files full of chance lzma-alone headers declaring dictionaries of 48 to
# 256 MiB: liblzma used to get the declared dictionary at once, and whether
# that allocation failed depended on the address space left at that moment,
# so /usr/lib/jvm reported "lzma: out of memory" (unpack.resource) a
# different number of times from run to run. Now each candidate is probed
# with a dictionary of at most 1 MiB: the same report with 1, 2 and 4
# workers under a 16 MiB budget, twice, and under an address-space limit
# that made four 256 MiB dictionaries fail; no unpack.resource. Two real
# lzma-alone streams inside ordinary files are still decoded and examined:
# a small one and one whose output passes the probe (decoded again whole),
# each with a private key planted inside.
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
W=$(mktemp -d "${TMPDIR:-/tmp}/postern-lzc-XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$SRC/tests/e2e/lib/bounded.sh"

mkdir "$W/t"
python3 - "$W/t" <<'PY'
import os, random, sys
r = random.Random(23)
for i in range(300):
    b = bytearray(b'\xca\xfe\xba\xbe\x00\x00\x00\x3d')
    for k in range(40):
        b += r.randbytes(r.randrange(20, 200))
        d = r.choice([1 << 28, 3 << 26, 1 << 27, 1 << 26, 3 << 25])
        size = r.choice([b'\xff' * 8, r.randrange(1 << 20, 1 << 32).to_bytes(8, 'little')])
        b += bytes([0x5d]) + d.to_bytes(4, 'little') + size + b'\x00' + r.randbytes(r.randrange(30, 300))
    open(os.path.join(sys.argv[1], 'C%04d.class' % i), 'wb').write(b)
PY
ssh-keygen -q -t ed25519 -N '' -f "$W/k"
# xz -9 writes a 64 MiB dictionary; the big one decodes to ~3 MiB
{ head -c 3000 "$SRC/docs/limits.md"; cat "$W/k"; } | xz --format=lzma -9 > "$W/small.lzma"
{ "$SRC"/tests/tools/randbytes 2300000 lzma_carved | base64 -w 76; cat "$W/k"; } |
  xz --format=lzma -9 > "$W/big.lzma"
rm -f "$W/k" "$W/k.pub"
for n in small big; do
  { "$SRC"/tests/tools/randbytes 4000 "lzc-$n"; cat "$W/$n.lzma";
    "$SRC"/tests/tools/randbytes 4000 "lzc-$n-tail"; } > "$W/t/$n.bin"
done

norun() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); r.pop('run',None); print(json.dumps(r,sort_keys=True))" "$W/$1.json"; }
keys_in_lzma() {
  python3 -c "import json,sys; print(sum(1 for f in json.load(open(sys.argv[1]))['findings'] if f['rule']=='key.embedded-private' and '!lzma@' in f['location']))" "$W/$1.json"
}
check() {
  has_rule "$1" unpack.resource && fail "$1: unpack.resource reported"
  [ "$(cov "$1" incomplete)" -eq 0 ] || fail "$1: nodes incomplete"
  [ "$(keys_in_lzma "$1")" -eq 2 ] || fail "$1: the keys inside the two lzma streams were not both found"
}

echo "300 files of chance lzma-alone headers, and two real streams, under a 16 MiB budget"
for run in a b; do
  for j in 1 2 4; do
    bounded "r$j$run" "$W/t" -j $j --max-memory 16M
    check "r$j$run"
    [ "$(norun r1a)" = "$(norun "r$j$run")" ] || fail "r$j$run: the report differs from r1a"
  done
done

. "$SRC/tests/e2e/lib/sanitized.sh"
if [ -z "$SANITIZED" ]; then
  echo "the same under a 1000000 KiB address-space limit (four 256 MiB dictionaries do not fit)"
  for j in 2 4; do
    ( ulimit -v 1000000; bounded "as$j" "$W/t" -j $j --max-memory 16M --no-sandbox )
    check "as$j"
    [ "$(norun r1a)" = "$(norun "as$j")" ] || fail "as$j: the report differs from r1a"
  done
fi
echo "lzma_carved: ok"
