#!/usr/bin/env bash
# A ctest subset of bench/backdoor_pairs.sh: Debian's wide-dhcpv6 source,
# dhcp6c built for mipsel (the cross compiler the tests already use) clean
# and with bench/backdoor_pairs/dhcp6c-magic.patch (a datagram whose first
# word is 0x4d6f6f7a runs the rest with system(), our own code). gcc puts
# the compare in a block after the function's body, reached by the length
# check's branch, with the magic spilled to the frame before the loop: the
# back-doored build fails with backdoor.magic-trigger 'zooM' unlocking
# system(<computed command>); the clean build passes with nothing above
# low. A few minutes; skipped (77) when the source cannot be fetched or
# built here.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
for c in apt-get dpkg-source mipsel-linux-gnu-gcc; do
	command -v $c >/dev/null || { echo "skip - no $c"; exit 77; }
done
WORK=$t POSTERN=$POSTERN bash "$SRC/bench/backdoor_pairs.sh" -p dhcp6c -a mipsel \
	>"$t/table" 2>"$t/err"
b="$t/json/dhcp6c-magic-mipsel.json" c="$t/json/dhcp6c-clean-mipsel.json"
if [ ! -s "$b" ] || [ ! -s "$c" ]; then
	echo "skip - dhcp6c could not be fetched or built here:"; sed 's/^/# /' "$t/err" | tail -5
	exit 77
fi
. "$(dirname "$0")/lib/report_q.sh"
check "back-doored dhcp6c fails" "q '$b' 'd[\"verdict\"] == \"fail\"'"
trig='f["rule"] == "backdoor.magic-trigger" and f["severity"] == "critical"'
ev='"zooM" in f["evidence"] and "system(<computed command>)" in f["evidence"]'
check "its trigger: 'zooM' unlocks system(<computed command>), critical" \
	"q '$b' 'any($trig and $ev for f in F)'"
check "clean dhcp6c passes, nothing above low" \
	"q '$c' 'd[\"verdict\"] == \"pass\" and all(rank[f[\"severity\"]] <= 1 for f in F)'"
check "the table says found" "grep -q '| dhcp6c | magic | mipsel | fail | .* | yes: ' '$t/table'"
exit $fail
