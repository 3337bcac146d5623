#!/usr/bin/env bash
# clean_kernels.sh - Debian's own kernels (the d-i netboot kernels for armhf
# and amd64) pass: the RSA private keys a kernel built with the crypto
# manager's self-tests carries (crypto/testmgr.h) are published test keys,
# reported as key.known-test-key (info) naming their source, never as
# key.embedded-private, and nothing else in the kernel is above low.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
export XDG_CACHE_HOME="$t/cache"
. "$(dirname "$0")/lib/debs.sh"

for arch in armhf amd64; do
  deb=$(cached_deb "debian-installer-12-netboot-$arch")
  if [ -z "$deb" ]; then echo "not ok - $arch: apt-get download failed"; fail=1; continue; fi
  rm -rf "$t/deb"; mkdir "$t/deb"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$t/deb" --wildcards '*/text/debian-installer/*/vmlinuz' '*/text/debian-installer/*/linux' 2> /dev/null
  kernel=$(find "$t/deb" -type f \( -name vmlinuz -o -name linux \) | head -n1)
  if [ -z "$kernel" ]; then echo "not ok - $arch: no kernel in $deb"; fail=1; continue; fi
  "$POSTERN" scan "$kernel" --format json --no-run > "$t/$arch.json" 2> "$t/err"
  check "$arch d-i kernel: passes; self-test keys are known test keys; nothing above low" 'python3 - "$t/$arch.json" <<'"'"'EOF2'"'"'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verdict"] == "pass", d["verdict"]
known = [x for x in d["findings"] if x["rule"] == "key.known-test-key"]
assert known and all("Linux kernel crypto self-test" in x["message"] for x in known), known
assert not [x for x in d["findings"] if x["rule"] == "key.embedded-private"]
loud = [(x["rule"], x["location"]) for x in d["findings"] if x["severity"] not in ("info", "low")]
assert not loud, loud
EOF2'
done
exit $fail
