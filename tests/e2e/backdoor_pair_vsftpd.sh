#!/usr/bin/env bash
# The small ctest subset of bench/backdoor_pairs.sh: Debian's vsftpd source,
# built for x86-64 clean and with bench/backdoor_pairs/vsftpd-smiley.patch
# (vsftpd 2.3.4's ":)" shell on TCP 6200, our own code). The back-doored
# build fails with capability.out-of-role-shell naming port 6200; the clean
# build passes with nothing above low. About half a minute; skipped (77)
# when the source cannot be fetched (no network to Debian) or built.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
command -v apt-get >/dev/null && command -v dpkg-source >/dev/null || { echo "skip - no apt-get/dpkg-source"; exit 77; }
WORK=$t POSTERN=$POSTERN bash "$SRC/bench/backdoor_pairs.sh" -p vsftpd -a x86_64 >"$t/table" 2>"$t/err"
if [ ! -s "$t/json/vsftpd-clean-x86_64.json" ] || [ ! -s "$t/json/vsftpd-smiley-x86_64.json" ]; then
	echo "skip - vsftpd could not be fetched or built here:"; sed 's/^/# /' "$t/err" | tail -5
	exit 77
fi
. "$(dirname "$0")/lib/report_q.sh"
b="$t/json/vsftpd-smiley-x86_64.json" c="$t/json/vsftpd-clean-x86_64.json"
check "back-doored vsftpd fails" "q '$b' 'd[\"verdict\"] == \"fail\"'"
check "its shell is out of an FTP server's role, port 6200 in the evidence" \
	"q '$b' 'any(f[\"rule\"] == \"capability.out-of-role-shell\" and f[\"severity\"] == \"critical\" and \"6200\" in f[\"evidence\"] for f in F)'"
check "clean vsftpd passes, nothing above low" \
	"q '$c' 'd[\"verdict\"] == \"pass\" and all(rank[f[\"severity\"]] <= 1 for f in F)'"
check "the table says found" "grep -q '| vsftpd | smiley | x86_64 | fail | .* | yes: ' '$t/table'"
exit $fail
