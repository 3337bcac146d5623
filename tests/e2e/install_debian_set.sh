#!/usr/bin/env bash
# `make install` installs what the Debian packages ship (issue 20): the file
# list of `DESTDIR=T cmake --install --prefix /usr` is compared with what the
# packages take. Without building them (that is scripts/package-test's job):
# each installed file must be claimed by a debian/<package>.install pattern
# (what dh_install copies out of the same install) or be one the dh helpers
# add from debian/ themselves - the systemd units (dh_installsystemd), the
# sysusers file (dh_installsysusers), the examples (dh_installexamples) - and
# each of those must be installed by CMake too, byte for byte. With a built
# package (POSTERN_DEB_DIR, or build/deb beside $POSTERN) its `dpkg-deb -c`
# list is compared as well (man pages gzipped, Debian's changelog,
# copyright and lintian overrides left out).
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/lib/destdir.sh"
[ "$install_rc" -eq 0 ] || { cat "$t/install.log"; exit 1; }
(cd "$d" && find . -type f -o -type l | sed 's/^\.//' | sort) > "$t/installed"

unitdir=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null || echo /lib/systemd/system)
sysusersdir=$(pkg-config --variable=sysusersdir systemd 2>/dev/null || echo /usr/lib/sysusers.d)
# what the dh helpers add from debian/: "INSTALLED-PATH SOURCE"
{
  for u in "$SRC"/debian/postern.*.service; do
    n=$(basename "$u"); echo "$unitdir/${n#postern.} $u"
  done
  echo "$sysusersdir/postern.conf $SRC/debian/postern.sysusers"
  while read -r e; do
    echo "/usr/share/doc/postern/examples/$(basename "$e") $SRC/$e"
  done < "$SRC/debian/postern.examples"
} > "$t/dh-added"

# the packages' .install patterns, applied to the installed tree as dh_install does;
# dh_auto_configure sets the multiarch libdir (usr/lib/*/), a build may not
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' "$build/CMakeCache.txt")
: > "$t/claimed"
for inst in "$SRC"/debian/*.install; do
  pkg=$(basename "$inst" .install)
  while read -r pat; do
    [ -n "$pat" ] && [ "${pat#\#}" = "$pat" ] || continue
    [ "$libdir" = lib ] && pat=${pat/usr\/lib\/\*\//usr/lib/}
    # shellcheck disable=SC2086
    for m in "$d"/$pat; do
      [ -e "$m" ] || continue
      (cd "$d" && find "${m#"$d"/}" -type f -o -type l) | sed "s|^|/|; s|$| $pkg|" >> "$t/claimed"
    done
  done < "$inst"
done
cut -d' ' -f1 "$t/claimed" | sort -u > "$t/claimed.files"
cut -d' ' -f1 "$t/dh-added" | sort > "$t/dh.files"
sort -u "$t/claimed.files" "$t/dh.files" > "$t/packaged"

stray=$(comm -23 "$t/installed" "$t/packaged")
check "every installed file is in a package${stray:+ (not: $stray)}" '[ -z "$stray" ]'
lost=$(comm -13 "$t/installed" "$t/packaged")
check "every packaged file is installed${lost:+ (not: $lost)}" '[ -z "$lost" ]'
while read -r path srcfile; do
  check "installed as the package has it: $path" 'cmp -s "$d$path" "$srcfile"'
done < "$t/dh-added"
check "units, man pages, completion in the list" \
  'grep -qx "$unitdir/postern-serve.service" "$t/installed" &&
   grep -qx "$unitdir/postern-worker@.service" "$t/installed" &&
   grep -qx /usr/share/man/man8/postern-serve.8 "$t/installed" &&
   grep -qx /usr/share/man/man1/postern-scan.1 "$t/installed" &&
   grep -qx /usr/share/bash-completion/completions/postern "$t/installed" &&
   grep -qx /usr/share/zsh/vendor-completions/_postern "$t/installed"'

debdir=${POSTERN_DEB_DIR:-$build/deb}
if ls "$debdir"/postern_*.deb "$debdir"/libpostern-dev_*.deb > /dev/null 2>&1; then
  for deb in "$debdir"/postern_*.deb "$debdir"/libpostern-dev_*.deb; do
    dpkg-deb -c "$deb"
  done | awk '$1 !~ /^d/ {print $6}' | sed 's/^\.//; s/ ->.*//' |
    grep -v -e '^/usr/share/doc/[^/]*/\(changelog\.Debian\.gz\|copyright\)$' \
      -e '^/usr/share/lintian/' | sed 's|^\(/usr/share/man/.*\)\.gz$|\1|' | sort -u > "$t/deb"
  diff=$(diff "$t/installed" "$t/deb")
  check "the built packages list the same files ($debdir)" '[ -z "$diff" ]' || echo "$diff"
else
  echo "# no built package in $debdir: dpkg-deb comparison skipped"
fi
exit $fail
