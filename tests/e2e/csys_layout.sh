#!/usr/bin/env bash
# Issue 13, the layout that once passed a trojanised router image: a 20-byte
# "CSYS" header, a uImage whose LZMA kernel stream ends long before the data
# size it declares, and a squashfs 3.0 little-endian LZMA root filesystem
# inside that declared payload (tests/tools/mkcsys.py). The root filesystem
# must be found and its back door must fail the image; the same layout with
# the root filesystem at an odd offset too; with unknown bytes in its place
# the verdict must not be pass.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
tools="$SRC/tests/tools"

. "$SRC/tests/e2e/lib/fixtures.sh"
planted_router "$t" --rootfs-out "$t/root" || { echo "not ok - make-router-image failed"; exit 1; }
python3 "$tools/mksquashfs3.py" "$t/root" "$t/root.sqfs" --major 3 --minor 0 --endian little --comp lzma ||
  { echo "not ok - mksquashfs3.py failed"; exit 1; }
python3 "$tools/mkcsys.py" "$t/csys.bin" "$t/kernel.lzma" "$t/root.sqfs"
python3 "$tools/mkcsys.py" "$t/loose.bin" "$t/kernel.lzma" "$t/root.sqfs" --loose
"$SRC"/tests/tools/randbytes "$(stat -c %s "$t/root.sqfs")" csys_layout1 > "$t/unknown.bin"
python3 "$tools/mkcsys.py" "$t/unknown-root.bin" "$t/kernel.lzma" "$t/unknown.bin"
nfiles=$(cd "$t/root" && find . -type f | wc -l)

scan() { "$POSTERN" scan "$t/$1.bin" --format json --inventory --no-run > "$t/$1.json"; echo $? > "$t/$1.rc"; }
q() { python3 - "$t/$1.json" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
inv = d.get("inventory", [])
sq = [n for n in inv if "!squashfs" in n["location"] and n["location"].split("!")[-2].startswith("squashfs")]
bad = [f for f in d["findings"] if f["severity"] in ("critical", "high")]
what = sys.argv[2]
if what == "files":
    print(len([n for n in sq if n.get("mode", "").startswith("10")]))
elif what == "inittab-bad":
    # the uImage is the CSYS payload; the squashfs is carved inside it
    print(len([f for f in bad if f["location"].endswith("!/etc/inittab") and "!/payload!squashfs" in f["location"]]))
elif what == "header":
    print(inv[0].get("format") == "csys" and inv[0].get("detail", "").startswith("CSYS header, 20 bytes"))
else:
    print(d["coverage"][what] if what in d["coverage"] else d[what])
EOF
}

for img in csys loose unknown-root; do scan "$img"; done
for img in csys loose; do
  check "$img: the back door fails the image" '[ "$(cat "$t/$img.rc")" -eq 1 ]'
  check "$img: the planted inittab is critical or high, inside the uImage payload" '[ "$(q "$img" inittab-bad)" -ge 1 ]'
  check "$img: every file of the root filesystem is in the inventory" '[ "$(q "$img" files)" -ge "$nfiles" ]'
  check "$img: nothing unexplained" '[ "$(q "$img" unexplained_bytes)" -eq 0 ]'
  check "$img: nothing unidentified" '[ "$(q "$img" unidentified)" -eq 0 ]'
done
check "csys: the CSYS header is recognised and its fields reported" '[ "$(q csys header)" = True ]'
check "unknown bytes in the root filesystem's place: not pass" '[ "$(q unknown-root verdict)" != pass ]'
check "unknown bytes: counted as unexplained" '[ "$(q unknown-root unexplained_bytes)" -gt 100000 ]'
exit $fail
