#!/usr/bin/env bash
# False-positive review of the bundled signature pack on a Debian 12 minbase
# root filesystem (debootstrap --variant=minbase): no signature.* or hash.*
# finding. The root filesystem is built once (needs root, debootstrap and
# Debian's mirror) and kept as a tarball in ${POSTERN_CACHE:-~/.cache/postern}.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
export XDG_CACHE_HOME="$t/cache"
cache=${POSTERN_CACHE:-$HOME/.cache/postern}
tarball=$cache/minbase-bookworm-$(dpkg --print-architecture).tar.gz
mkdir -p "$cache"

if [ ! -s "$tarball" ]; then
  command -v debootstrap >/dev/null || { echo "not ok - debootstrap missing (scripts/install-deps)"; exit 1; }
  [ "$(id -u)" = 0 ] || { echo "not ok - building the minbase root filesystem needs root"; exit 1; }
  debootstrap --variant=minbase bookworm "$t/root" http://deb.debian.org/debian > "$t/log" 2>&1 ||
    { tail -5 "$t/log"; echo "not ok - debootstrap"; exit 1; }
  tar -C "$t/root" -czf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -rf "$t/root"
fi

mkdir -p "$t/root"
tar -C "$t/root" -xzf "$tarball" 2>/dev/null
"$POSTERN" scan "$t/root" --format json --no-run > "$t/out.json" 2> "$t/err"
check "minbase root filesystem: the pack stays silent" 'python3 - "$t/out.json" <<'"'"'EOF'"'"'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["coverage"]["files"] > 3000, d["coverage"]
sig = [(x["rule"], x["location"]) for x in d["findings"] if x["rule"].startswith(("signature.", "hash."))]
assert not sig, sig
EOF'
check "no rule errors" '! grep -q "postern: rules:" "$t/err"'
exit $fail
