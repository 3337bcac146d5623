#!/usr/bin/env bash
# A directory target that is part of a root filesystem is judged at the paths
# its files have in that root: Debian 12's stock set-uid programs (passwd,
# chsh, chfn, gpasswd from passwd; mount, umount, su from mount and
# util-linux), laid out merged-/usr as x/usr/bin/NAME, are expected there.
# Scanned as x/usr/bin (root inferred from the path) or from a directory of
# any name with --root /usr/bin: no fs.unexpected-setuid. The same files at
# a root that is not a system directory stay reported (medium each). The
# report says which root was taken (text line, target.root in JSON).
# Packages come from Debian's mirror through apt-get download into
# ~/.cache/postern/debs (kept between runs); without them the case is
# skipped (77), never faked.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
cache=${POSTERN_DEB_CACHE:-$HOME/.cache/postern/debs}
mkdir -p "$cache"
pkgs="passwd mount util-linux"
missing=""
for p in $pkgs; do ls "$cache/${p}_"*_amd64.deb >/dev/null 2>&1 || missing="$missing $p:amd64"; done
[ -z "$missing" ] || (cd "$cache" && apt-get download $missing >/dev/null 2>&1) || true
for p in $pkgs; do
  deb=$(ls "$cache/${p}_"*_amd64.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || { echo "skip - $p not available (no Debian mirror, no cache)"; exit 77; }
  dpkg-deb -x "$deb" "$t/pkg"
done
setuid="passwd chsh chfn gpasswd mount umount su"
mkdir -p "$t/x/usr/bin" "$t/vendor-drop" "$t/fw/squashfs-root/usr/bin" "$t/fw/squashfs-root/backup"
for b in $setuid; do
  src=$(ls "$t/pkg/usr/bin/$b" "$t/pkg/bin/$b" 2>/dev/null | head -1)
  for d in "$t/x/usr/bin" "$t/vendor-drop" "$t/fw/squashfs-root/usr/bin" "$t/fw/squashfs-root/backup"; do
    cp -p "$src" "$d/$b"
  done
done
check "the stock programs are set-uid as shipped" \
  '[ "$(find "$t/x/usr/bin" -type f -perm -4000 | wc -l)" -eq 7 ]'

# scan DIR [OPTIONS...] -> $t/r.json; prints the unexpected-setuid count
scan() {
  "$POSTERN" scan "$@" -f json --no-run > "$t/r.json"
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(sum(1 for f in d["findings"] if f["rule"] == "fs.unexpected-setuid" and f["severity"] == "medium"),
      d["target"].get("root"), d["target"].get("root_from"))' "$t/r.json"
}

r=$(scan "$t/x/usr/bin")
check "x/usr/bin: root /usr/bin inferred, no unexpected set-uid ($r)" '[ "$r" = "0 /usr/bin inferred" ]'
"$POSTERN" scan "$t/x/usr/bin" --inventory -f json --no-run > "$t/inv.json"
check "its locations carry the path in the root" 'grep -q "\"location\": \"bin!/usr/bin/passwd\"" "$t/inv.json"'
r=$(cd "$t/x/usr/bin" && scan .)
check "'.' inside x/usr/bin: the same ($r)" '[ "$r" = "0 /usr/bin inferred" ]'
r=$(scan "$t/vendor-drop" --root /usr/bin)
check "any directory name with --root /usr/bin: none ($r)" '[ "$r" = "0 /usr/bin option" ]'
r=$(scan "$t/vendor-drop" --root //usr/./bin/)
check "--root is normalised ($r)" '[ "$r" = "0 /usr/bin option" ]'
r=$(scan "$t/fw/squashfs-root/usr")
check "squashfs-root/usr: root /usr inferred, none ($r)" '[ "$r" = "0 /usr inferred" ]'

# The same files where a root filesystem has no programs: still reported.
r=$(scan "$t/vendor-drop")
check "a directory that is no system path: root / by default, all 7 reported ($r)" '[ "$r" = "7 / default" ]'
r=$(scan "$t/vendor-drop" --root /opt/vendor)
check "--root /opt/vendor: all 7 reported ($r)" '[ "$r" = "7 /opt/vendor option" ]'
r=$(scan "$t/fw/squashfs-root/backup")
check "squashfs-root/backup (no system place): root / by default, all 7 reported ($r)" '[ "$r" = "7 / default" ]'
r=$(scan "$t/fw/squashfs-root")
check "squashfs-root: the root filesystem itself, 7 under /backup reported ($r)" '[ "$r" = "7 / default" ]'
r=$(scan "$t/x/usr/bin" --root /)
check "--root / overrides the inference: 7 reported ($r)" '[ "$r" = "7 / option" ]'

"$POSTERN" scan "$t/x/usr/bin" --no-progress > "$t/out.txt"
check "text report names the root and why" \
  'grep -q "^root: /usr/bin (inferred from the target.s path; --root PATH sets it)" "$t/out.txt"'
"$POSTERN" scan "$t/vendor-drop" --no-progress > "$t/out.txt"
check "text report of the default root" 'grep -q "^root: / (the directory is taken as a whole root filesystem" "$t/out.txt"'
"$POSTERN" scan "$t/vendor-drop" --root usr/bin > /dev/null 2> "$t/err"; rc=$?
check "a relative --root is a usage error (64)" '[ $rc -eq 64 ] && grep -q "absolute path" "$t/err"'
"$POSTERN" scan "$t/vendor-drop" --root /usr/../etc > /dev/null 2>&1; rc=$?
check "a --root with .. is a usage error (64)" '[ $rc -eq 64 ]'
"$POSTERN" scan "$t/vendor-drop/su" --root /usr/bin > /dev/null 2> "$t/err"; rc=$?
check "--root on a file target is a usage error (64)" '[ $rc -eq 64 ] && grep -q "directory target" "$t/err"'

# The JSON contract: target.root only for directories, schema-valid, and the
# same bytes whatever the thread count.
"$POSTERN" scan "$t/x/usr/bin" -f json --no-run -j 1 > "$t/j1.json"
"$POSTERN" scan "$t/x/usr/bin" -f json --no-run -j 2 > "$t/j2.json"
check "deterministic across thread counts" 'cmp -s "$t/j1.json" "$t/j2.json"'
"$POSTERN" scan "$t/vendor-drop/su" -f json --no-run > "$t/file.json"
check "a file target has no target.root" '! grep -q "\"root\"" "$t/file.json"'
check "both validate against docs/schema/postern.schema.json" 'python3 -c "
import json, sys, jsonschema
s = json.load(open(sys.argv[1]))
for f in sys.argv[2:]:
    jsonschema.validate(json.load(open(f)), s)" "$SRC/docs/schema/postern.schema.json" "$t/j1.json" "$t/file.json"'
# The HTML report's banner says it too (rendered by headless Chromium).
"$POSTERN" scan "$t/x/usr/bin" -f html -o "$t/r.html"
if [ -x /usr/bin/chromium ]; then
  timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --user-data-dir="$t/chromium" \
    --dump-dom "file://$t/r.html" 2>/dev/null > "$t/dom.html"
  check "html banner: judged as root /usr/bin (inferred)" \
    'grep -q "<span id=\"target\" class=\"meta\">bin · 0 B · judged as root /usr/bin (inferred)</span>" "$t/dom.html"'
else
  echo "not ok - chromium is required (scripts/install-deps)"; fail=1
fi
exit $fail
