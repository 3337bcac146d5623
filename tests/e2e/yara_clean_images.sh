#!/usr/bin/env bash
# False-positive review of the bundled signature pack: the Debian d-i root
# filesystems for mipsel, armhf and amd64 (every installer flavour) give no
# signature.* or hash.* finding (mipsel also as a router image, in
# yara_router.sh). The initrds come from Debian's netboot packages, fetched
# once into ${POSTERN_CACHE:-~/.cache/postern}/debs as make-router-image does.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
export XDG_CACHE_HOME="$t/cache"
. "$(dirname "$0")/lib/debs.sh"

for arch in mipsel armhf amd64; do
  pkg=debian-installer-12-netboot-$arch
  deb=$(cached_deb "$pkg")
  if [ -z "$deb" ]; then echo "not ok - $arch: apt-get download $pkg failed"; fail=1; continue; fi
  rm -rf "$t/deb"; dpkg -x "$deb" "$t/deb"
  for initrd in $(find "$t/deb" -name initrd.gz | sort); do
    flavour=$(echo "$initrd" | sed -E 's|.*/images/12/[^/]+/([^/]+)/.*|\1|')
    root="$t/root-$arch-$flavour"
    mkdir -p "$root"
    (cd "$root" && gzip -dc "$initrd" | cpio -id --quiet --no-absolute-filenames 2>/dev/null)
    "$POSTERN" scan "$root" --format json --no-run > "$t/out.json" 2> "$t/err"
    check "$arch $flavour d-i root filesystem: the pack stays silent" 'python3 - "$t/out.json" <<'"'"'EOF'"'"'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["coverage"]["files"] > 300, d["coverage"]
sig = [(x["rule"], x["location"]) for x in d["findings"] if x["rule"].startswith(("signature.", "hash."))]
assert not sig, sig
EOF'
    check "$arch $flavour: no rule errors" '! grep -q "postern: rules:" "$t/err"'
    rm -rf "$root"
  done
done
exit $fail
