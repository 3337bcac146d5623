#!/usr/bin/env bash
# Test implants (built here, never executed) planted into the router-style
# image make the verdict fail with a finding on their location; the image's
# own ELF files get no high finding.
# Needs the Debian d-i netboot package (scripts/make-router-image downloads
# it once) and postern's squashfs unpacker; skipped (exit 77), not faked,
# without them.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT

. "$SRC/tests/e2e/lib/plants.sh"
"$SRC/tests/implants/build.sh" "$t/impl" $implant_plant_names \
	> /dev/null || { echo "not ok - implants build"; exit 1; }
plant=$(implant_plant "$t/impl")
# One image (building it takes most of this test's time): the planted
# files must be flagged, every other ELF must stay below high.
if ! "$SRC/scripts/make-router-image" --arch mipsel --plant "$plant" "$t/planted.bin" \
	> /dev/null 2>&1; then
	echo "skip - make-router-image failed (no d-i netboot package here)"
	exit 77
fi
"$POSTERN" scan "$t/planted.bin" --format json --inventory --no-progress -o "$t/planted.json"; rc=$?
if ! grep -q '"location": "planted.bin!.*squashfs.*!/bin/busybox"' "$t/planted.json"; then
	echo "skip - this build does not open the image's squashfs yet"
	exit 77
fi
python3 - "$t/planted.json" <<'PY' || fail=1
import json, sys
planted = ("/usr/sbin/dropbear-helper", "/usr/lib/libupnp-agent", "/sbin/kthreadd-helper",
           "/usr/bin/inputd", "/bin/telnet-check", "/usr/sbin/icmpd", "/usr/bin/cloud-sync")
d = json.load(open(sys.argv[1]))
elf = {n["location"] for n in d["inventory"] if n.get("kind") == "elf"}
others = {l for l in elf if not l.endswith(planted)}
bad = [f for f in d["findings"] if f["severity"] in ("high", "critical") and f["location"] in others]
ok = not bad and len(others) > 300
print(("ok" if ok else "not ok") +
      f" - router image: {len(others)} unmodified ELF files, {len(bad)} high findings on them")
for f in bad:
    print("   ", f["rule"], f["location"])
sys.exit(0 if ok else 1)
PY
check "planted image: exit status 1 (fail)" '[ $rc -eq 1 ]'
check "planted image: verdict fail" 'grep -q "\"verdict\": \"fail\"" "$t/planted.json"'
for pair in $implant_plant_files; do
	rule=${pair%%:*} path=${pair#*:}
	case $rule in crypto.*) ;; *) rule=capability.$rule ;; esac
	check "planted image: $rule at $path" \
		'grep -q "\"rule\": \"$rule\".*\"location\": \"planted.bin!.*!$path\"" "$t/planted.json"'
done
exit $fail
