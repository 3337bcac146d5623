#!/usr/bin/env bash
# A damaged stream claims what its decoder read before the damage, not the
# rest of its container (issue 22's mutation runs): one flipped bit in the
# TL-WR703N image's LZMA kernel hid its squashfs root filesystem (594 files
# down to 2, every finding gone). The root filesystem must still be found
# and the damage reported; the undamaged image is the reference.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
img="$SRC/tests/fixtures/real/openwrt-r42647-ar71xx-generic-tl-wr703n-v1-squashfs-factory.bin"
python3 "$SRC/tests/tools/mutate_blocks.py" apply "$img" "$t/flip.bin" "flip:78417:7"
"$POSTERN" scan "$img" --format json --no-run > "$t/clean.json"
"$POSTERN" scan "$t/flip.bin" --format json --no-run > "$t/flip.json"
q() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d["coverage"]
print({"files": c["files"], "incomplete": c["incomplete"], "verdict": d["verdict"],
       "damaged": sum(f["rule"] == "unpack.damaged" for f in d["findings"])}[sys.argv[2]])' "$t/$1.json" "$2"; }
check "the damaged kernel stream is reported" '[ "$(q flip damaged)" -ge 1 ] && [ "$(q flip incomplete)" -ge 1 ]'
check "the root filesystem behind it is still opened (as many files as the clean image)" \
  '[ "$(q flip files)" -eq "$(q clean files)" ]'
check "not pass" '[ "$(q flip verdict)" != pass ]'
exit $fail
