#!/usr/bin/env bash
# Issue 3's acceptance list on the router-style image (scripts/make-router-image:
# uImage kernel + xz squashfs of Debian d-i mipsel malta's root filesystem):
#  - each of eight back doors, planted one at a time, gives verdict fail with a
#    finding whose location ends with the planted file;
#  - the unmodified image does not fail (the second UID-0 account, locked and
#    without its login program, and the tty2/tty3 console shells are low).
# Every plant is checked one at a time on the root filesystem as a directory
# target. When the build opens the squashfs, the packed image is checked too:
# one image with all eight plants (each must carry its high/critical finding),
# or, with POSTERN_E2E_FULL=1, one image per plant (about 1.5 minutes each,
# longer than ctest's e2e timeout on a loaded machine).
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mk="$SRC/scripts/make-router-image"

if ! "$mk" --rootfs-out "$t/rootfs" "$t/clean.bin" > "$t/mk.log" 2>&1; then
  echo "SKIP: make-router-image failed (no network or package cache?):"; cat "$t/mk.log"; exit 0
fi

verdict() { sed -n 's/^  "verdict": "\(.*\)",$/\1/p' "$1"; }
# the planted file must carry a high or critical finding
hit() { grep -E "\"severity\": \"(high|critical)\"" "$1" | grep -q "\"location\": \"[^\"]*!$2\""; }
hitdir() { grep -E "\"severity\": \"(high|critical)\"" "$1" | grep -q "\"location\": \"[^\"]*$2\""; }

"$POSTERN" scan "$t/clean.bin" --format json --no-run > "$t/clean.json"; rc=$?
check "unmodified image: does not fail" '[ $rc -eq 0 ] && [ "$(verdict "$t/clean.json")" != fail ]'
"$POSTERN" scan "$t/rootfs" --format json --no-run > "$t/cleandir.json"
check "unmodified rootfs: does not fail" '[ "$(verdict "$t/cleandir.json")" != fail ]'
check "unmodified rootfs: the second UID-0 account cannot log in as shipped, low" \
  'grep "account.extra-uid0" "$t/cleandir.json" | grep -q "\"severity\": \"low\""'
check "unmodified rootfs: tty2/tty3 shells are low" \
  '[ "$(grep "service.console-shell" "$t/cleandir.json" | grep -c "\"severity\": \"low\"")" -eq 2 ]'
check "unmodified rootfs: nothing high or critical" \
  '! grep -qE "\"severity\": \"(high|critical)\"" "$t/cleandir.json"'

image_mode=0
grep -q '!/etc/passwd"' "$t/clean.json" && image_mode=1
[ $image_mode = 1 ] || echo "# image mode skipped: this build does not open the squashfs yet (directory mode only)"

. "$SRC/tests/e2e/lib/plants.sh"
plants=("${access_plants[@]}")
for p in "${plants[@]}"; do
  file=${p%%|*} cmd=${p#*|}
  rm -rf "$t/p"; cp -a "$t/rootfs" "$t/p"
  (cd "$t/p" && bash -c "$cmd")
  "$POSTERN" scan "$t/p" --format json --no-run > "$t/p.json"
  check "rootfs + $file: fail" '[ "$(verdict "$t/p.json")" = fail ] && hitdir "$t/p.json" "$file"'
  if [ $image_mode = 1 ] && [ "${POSTERN_E2E_FULL:-0}" = 1 ]; then
    "$mk" --plant "$cmd" "$t/p.bin" > /dev/null 2>&1
    "$POSTERN" scan "$t/p.bin" --format json --no-run > "$t/pi.json"
    check "image + $file: fail" '[ "$(verdict "$t/pi.json")" = fail ] && hit "$t/pi.json" "$file"'
  fi
done
if [ $image_mode = 1 ] && [ "${POSTERN_E2E_FULL:-0}" != 1 ]; then
  all=""
  for p in "${plants[@]}"; do all="$all ( ${p#*|} ) &&"; done
  "$mk" --plant "$all true" "$t/all.bin" > /dev/null 2>&1
  "$POSTERN" scan "$t/all.bin" --format json --no-run > "$t/all.json"
  check "image with all eight plants: fail" '[ "$(verdict "$t/all.json")" = fail ]'
  for p in "${plants[@]}"; do
    file=${p%%|*}
    check "image with all eight plants: high/critical at $file" 'hit "$t/all.json" "$file"'
  done
fi
exit $fail
