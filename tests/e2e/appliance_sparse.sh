#!/usr/bin/env bash
# appliance_sparse.sh - a virtual appliance far bigger than the memory budget
# is scanned whole at default limits (issue 15): a 4 GiB qcow2 (and the same
# disk as a VMDK), sparse, with a GPT, a 3 GiB ext4 holding a clean system
# and, past 3 GiB, a second ext4 with a planted passwordless root. The disk
# is read on demand into a sparse spill file (src/core/sparse.c): the plant
# is found at its location, no limit.* finding, peak RSS well under the
# 384 MiB budget, the zeros not counted as unpacked bytes, the digests of
# the disk and its partitions right, and the same report with 1 and 4 workers. The same disk without the plant stays quiet.
# Without spill files (--max-spill 0) the disk is copied into memory as
# before issue 15 and cut: reported, never passed.
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
for t in mke2fs qemu-img python3; do
  command -v "$t" >/dev/null || { echo "skip - $t missing (scripts/install-deps)"; exit 77; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/postern-appliance-XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$SRC/tests/e2e/lib/bounded.sh"
MAX_SECONDS=${MAX_SECONDS:-300}

finding_at() { # finding_at NAME RULE LOCATION
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(not any(f["rule"]==sys.argv[2] and f["location"]==sys.argv[3] for f in d["findings"]))' \
    "$W/$1.json" "$2" "$3" || fail "$1: no $2 at $3"
}
no_rules() { # no_rules NAME PREFIX...: no finding whose rule starts with one of them
  local name=$1
  shift
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
bad=[f["rule"]+" "+f["location"] for f in d["findings"] if f["rule"].startswith(tuple(sys.argv[2:]))]
sys.exit("\n".join(bad) if bad else 0)' "$W/$name.json" "$@" || fail "$name: findings above"
}

# make_disk NAME PLANT(0/1): $W/NAME.raw, 4 GiB, sparse
make_disk() {
  local d="$W/$1"
  mkdir -p "$d/r1/etc" "$d/r2/etc"
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$d/r1/etc/passwd"
  cp "$d/r1/etc/passwd" "$d/r2/etc/passwd"
  printf 'root:$6$Zb9n2Yk1$3vQ0m2f5G7h8J9k0L1m2N3o4P5q6R7s8T9u0V1w2X3y4Z5a6B7c8D9e0F1g2H3i4J5k6L7m8N9o0P1q2R3:19000:0:99999:7:::\n' \
    > "$d/r1/etc/shadow"
  if [ "$2" = 1 ]; then
    printf 'root::19000:0:99999:7:::\n' > "$d/r2/etc/shadow"
  else
    cp "$d/r1/etc/shadow" "$d/r2/etc/shadow"
  fi
  chmod 600 "$d"/r*/etc/shadow
  # lazy init: the 3 GiB filesystem writes only its metadata (a few MB)
  truncate -s 3G "$d/e1.img"
  mke2fs -q -t ext4 -E lazy_itable_init=1,lazy_journal_init=1 -d "$d/r1" "$d/e1.img"
  truncate -s 64M "$d/e2.img" && mke2fs -q -t ext4 -d "$d/r2" "$d/e2.img"
  python3 "$SRC/tests/tools/mkdisk.py" gpt "$W/$1.raw" 4096 "$d/e1.img" "$d/e2.img"
  # the SHA-256 of each file, its holes hashed from memory, not read
  [ "$2" = 0 ] || python3 - "$W/$1.raw" "$d/e1.img" "$d/e2.img" > "$W/$1.sums" <<'PY'
import hashlib, os, sys
zero = bytes(1 << 20)
for path in sys.argv[1:]:
    h, fd = hashlib.sha256(), os.open(path, os.O_RDONLY)
    end, at = os.fstat(fd).st_size, 0
    while at < end:
        try:
            data = os.lseek(fd, at, os.SEEK_DATA)
        except OSError:
            data = end
        while at < data:
            k = min(len(zero), data - at)
            h.update(memoryview(zero)[:k])
            at += k
        hole = os.lseek(fd, at, os.SEEK_HOLE) if at < end else end
        while at < hole:
            b = os.pread(fd, min(1 << 20, hole - at), at)
            h.update(b)
            at += len(b)
    print(h.hexdigest())
PY
  rm -rf "$d"
}

make_disk plant 1
make_disk clean 0
qemu-img convert -O qcow2 "$W/plant.raw" "$W/plant.qcow2"
qemu-img convert -O vmdk "$W/plant.raw" "$W/plant.vmdk"
qemu-img convert -O qcow2 "$W/clean.raw" "$W/clean.qcow2"
rm -f "$W"/*.raw
size=$(stat -c %s "$W/plant.qcow2")
echo "a 4 GiB qcow2 of $size bytes"
[ "$size" -lt $((64 * 1024 * 1024)) ] || fail "the fixture is not sparse ($size bytes)"

check_plant() { # check_plant NAME FILE: found, complete, bounded
  local name=$1 file=$2
  bounded "$name" "$W/$file" --no-run "${@:3}"
  finding_at "$name" account.empty-password "$file!disk!gpt@p2!/etc/shadow"
  no_rules "$name" limit. unpack. coverage.
  [ "$(cov "$name" incomplete)" = 0 ] || fail "$name: incomplete nodes"
  # holes are padding: only the disk's data counts (a few MB, not 4 GiB)
  [ "$(cov "$name" bytes_unpacked)" -lt $((64 * 1024 * 1024)) ] ||
    fail "$name: $(cov "$name" bytes_unpacked) bytes unpacked: the zeros were counted"
  [ -n "${SANITIZED:-}" ] || [ "$RSS_KB" -lt $((128 * 1024)) ] ||
    fail "$name: peak RSS ${RSS_KB} KB, not well under the 384 MiB budget"
}

echo "the planted qcow2 with 1 and 4 workers: found, no limit, small RSS, same report"
check_plant q1 plant.qcow2 -j 1
check_plant q4 plant.qcow2 -j 4
cmp -s "$W/q1.json" "$W/q4.json" || fail "the report differs between -j1 and -j4"

echo "the digests of the disk and its partitions (hashed after they are opened, walk.c)"
"$POSTERN" scan "$W/plant.qcow2" --format json --inventory --no-progress --no-run -j 2 \
  -o "$W/inv.json" || true
python3 - "$W/inv.json" "$W/plant.sums" <<'PY' || fail "a digest differs from sha256sum's"
import json, sys
inv = {n["location"]: n.get("sha256") for n in json.load(open(sys.argv[1]))["inventory"]}
want = open(sys.argv[2]).read().split()
for loc, sha in zip(("disk", "disk!gpt@p1", "disk!gpt@p2"), want):
    got = inv.get("plant.qcow2!" + loc)
    print(loc, "ok" if got == sha else "got %s, want %s" % (got, sha))
    if got != sha:
        sys.exit(1)
PY

echo "the same disk as a VMDK"
check_plant v2 plant.vmdk -j 2

echo "the clean qcow2 stays quiet"
bounded clean "$W/clean.qcow2" --no-run
no_rules clean account. limit. unpack. coverage.

echo "no spill files: copied into memory and cut, reported, never passed"
bounded nospill "$W/plant.qcow2" --no-run --max-spill 0
has_rule nospill limit.file-size || fail "nospill: no limit.file-size"
python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["verdict"] == "pass")' \
  "$W/nospill.json" || fail "nospill: a cut disk passed"
echo "appliance_sparse: ok"
