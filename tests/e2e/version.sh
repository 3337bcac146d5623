#!/usr/bin/env bash
# postern version: the version (PST_VERSION), the git commit the binary was
# built from, and the versions of the libraries it links, each matching what
# pkg-config says is installed.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT

"$POSTERN" version > "$t/v" 2> "$t/err"; rc=$?
check "exits 0, nothing on stderr" '[ $rc -eq 0 ] && [ ! -s "$t/err" ]'
want=$(sed -n 's/^#define PST_VERSION "\(.*\)"/\1/p' "$SRC/include/postern/postern.h")
check "first line: postern and PST_VERSION ($want)" '[ "$(head -1 "$t/v")" = "postern $want" ]'
commit=$(sed -n 's/^commit: //p' "$t/v")
if git -C "$SRC" rev-parse HEAD > /dev/null 2>&1; then
  head=$(git -C "$SRC" rev-parse --short=12 HEAD)
  # the binary may be a commit behind the checkout (built, then committed)
  check "the commit is a commit of this repository ($commit)" \
    '[[ $commit =~ ^[0-9a-f]{12}(-dirty)?$ ]] && git -C "$SRC" cat-file -e "${commit%-dirty}^{commit}"'
else
  check "a commit line" '[ -n "$commit" ]'
fi
lib() { awk -v n="$1" '$1 == n { print $2 }' "$t/v"; }
for pair in libarchive:libarchive libsquashfs:libsquashfs1 libyara:yara capstone:capstone \
            OpenSSL:libcrypto libyaml:yaml-0.1 zlib:zlib liblzma:liblzma libzstd:libzstd \
            jansson:jansson libsodium:libsodium libseccomp:libseccomp sqlite3:sqlite3; do
  name=${pair%%:*} mod=${pair#*:}
  pc=$(pkg-config --modversion "$mod" 2>/dev/null)
  check "$name: $(lib "$name") is pkg-config's $mod ($pc)" '[ -n "$pc" ] && [ "$(lib "$name")" = "$pc" ]'
done
check "libbz2 (no pkg-config file): its own version" '[[ $(lib libbz2) =~ ^[0-9]+\.[0-9]+ ]]'
"$POSTERN" --version > "$t/v2"; rc=$?
check "--version is the same" '[ $rc -eq 0 ] && cmp -s "$t/v" "$t/v2"'
"$POSTERN" version extra > /dev/null 2>&1; rc=$?
check "an operand is a usage error (64)" '[ $rc -eq 64 ]'
exit $fail
