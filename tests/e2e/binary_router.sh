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

"$SRC/tests/implants/build.sh" "$t/impl" bindshell revshell pkttrigger keylogger bruteforce \
	rawtrigger streamc2 \
	> /dev/null || { echo "not ok - implants build"; exit 1; }
plant="cp '$t/impl/mipsel-static/bindshell' usr/sbin/dropbear-helper; \
cp '$t/impl/mipsel-dynamic/revshell' usr/lib/libupnp-agent; \
cp '$t/impl/mipsel-static/pkttrigger' sbin/kthreadd-helper; \
cp '$t/impl/mipsel-dynamic/keylogger' usr/bin/inputd; \
cp '$t/impl/mipsel-static/bruteforce' bin/telnet-check; \
cp '$t/impl/mipsel-static/rawtrigger' usr/sbin/icmpd; \
cp '$t/impl/mipsel-static/streamc2' usr/bin/cloud-sync"
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
for pair in bind-shell:/usr/sbin/dropbear-helper reverse-shell:/usr/lib/libupnp-agent \
	packet-trigger:/sbin/kthreadd-helper keylogger:/usr/bin/inputd \
	credential-list:/bin/telnet-check raw-socket-trigger:/usr/sbin/icmpd \
	crypto.rc4-hidden:/usr/bin/cloud-sync; do
	rule=${pair%%:*} path=${pair#*:}
	case $rule in crypto.*) ;; *) rule=capability.$rule ;; esac
	check "planted image: $rule at $path" \
		'grep -q "\"rule\": \"$rule\".*\"location\": \"planted.bin!.*!$path\"" "$t/planted.json"'
done
exit $fail
