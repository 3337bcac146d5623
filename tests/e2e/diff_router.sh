#!/usr/bin/env bash
# The issue's acceptance test for diff: a router-style image (scripts/make-router-image)
# and the same image with a telnet root shell planted in /etc/inittab.
# `postern diff clean planted` reports exactly that new service as its new
# finding and fails; the reverse diff reports it resolved and passes.
# Needs the squashfs unpacker and an analyzer that flags the planted line: until
# both are in the tree (checked on a small squashfs first), the test says so
# and exits 77 (ctest: skipped).
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
PY=/usr/bin/python3
plant='printf "::respawn:/usr/sbin/telnetd -F -l /bin/sh\n" >> etc/inittab'

# Cheap gates first: a small squashfs with the planted line must be opened and
# flagged before the two router images (minutes to build) are worth making.
mkdir -p "$t/mini/etc"
printf '::sysinit:/etc/init.d/rcS\n' > "$t/mini/etc/inittab"
(cd "$t/mini" && bash -c "$plant")
mksquashfs "$t/mini" "$t/mini.sqfs" -noappend -all-root -no-progress -quiet > /dev/null
"$POSTERN" scan "$t/mini.sqfs" -f json --inventory --no-run > "$t/mini.json"
$PY - "$t/mini.json" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
if not any(n["location"].endswith("!/etc/inittab") for n in d.get("inventory", [])):
    print("skip - /etc/inittab in a squashfs is not reached (no squashfs unpacker in this tree)"); sys.exit(77)
if not any(f["location"].endswith("!/etc/inittab") for f in d["findings"]):
    print("skip - no analyzer flags the planted inittab line in this tree"); sys.exit(77)
P
rc=$?; [ $rc -eq 77 ] && exit 77

bash "$SRC/scripts/make-router-image" --plant "$plant" "$t/planted.bin" 2> "$t/mk.err" || {
  cat "$t/mk.err"; echo "not ok - make-router-image failed"; exit 1; }
bash "$SRC/scripts/make-router-image" "$t/clean.bin" 2> /dev/null
"$POSTERN" diff "$t/clean.bin" "$t/planted.bin" -f json > "$t/d.json"; rc=$?
check "clean -> planted fails (exit 1)" '[ $rc -eq 1 ]'
check "exactly one new finding: the service in /etc/inittab; nothing resolved" "$PY -c '
import json; d=json.load(open(\"$t/d.json\")); new=d[\"findings\"][\"new\"]
assert d[\"verdict\"]==\"fail\", d[\"verdict\"]
assert len(new)==1 and new[0][\"location\"].endswith(\"!/etc/inittab\"), new
assert d[\"findings\"][\"resolved\"]==[]
assert [s[\"rule\"] for s in d[\"attack_surface\"] if \"rule\" in s]==[new[0][\"rule\"]], d[\"attack_surface\"]
assert [c[\"inner\"].endswith(\"/etc/inittab\") for c in d[\"files\"][\"changed\"]].count(True)==1'"
"$POSTERN" diff "$t/planted.bin" "$t/clean.bin" -f json > "$t/r.json"; rc=$?
check "planted -> clean passes (exit 0)" '[ $rc -eq 0 ]'
check "reverse: the service is resolved, nothing new" "$PY -c '
import json; d=json.load(open(\"$t/r.json\")); n=json.load(open(\"$t/d.json\"))[\"findings\"][\"new\"][0]
assert d[\"verdict\"]==\"pass\" and d[\"findings\"][\"new\"]==[]
assert [(f[\"rule\"], f[\"inner\"]) for f in d[\"findings\"][\"resolved\"]]==[(n[\"rule\"], n[\"inner\"])]'"
"$POSTERN" diff "$t/clean.bin" "$t/planted.bin" > "$t/d.txt"
check "text: the new service is listed as new attack surface" 'sed -n "/^new attack surface:/,/^$/p" "$t/d.txt" | grep -q "/etc/inittab"'
exit $fail
