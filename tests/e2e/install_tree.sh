#!/usr/bin/env bash
# `make install` (cmake --install) into a DESTDIR tree: the binary, the rule
# pack, policies, man pages, completion, include/postern/, the static library
# and postern.pc. A small program compiles and links against the installed
# library with `pkg-config --cflags --libs postern` (PKG_CONFIG_SYSROOT_DIR),
# and the installed binary finds the installed rule pack beside itself.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/lib/destdir.sh"
check "cmake --install with DESTDIR succeeds" '[ $install_rc -eq 0 ]' || cat "$t/install.log"
check "nothing is installed outside DESTDIR" '! grep "Installing: " "$t/install.log" | grep -v "Installing: $d/" | grep -q .'
check "the binary" '[ -x "$d/usr/bin/postern" ]'
check "the rule pack and the policies" \
  '[ -d "$d/usr/share/postern/rules/yara" ] && [ -s "$d/usr/share/postern/policies/default.yaml" ] && [ -s "$d/usr/share/postern/policies/strict.yaml" ]'
check "man pages: postern(1), one per command, postern-policy(5)" \
  'for p in man1/postern.1 man1/postern-scan.1 man1/postern-diff.1 man1/postern-verify.1 man1/postern-explain.1 man1/postern-version.1 man5/postern-policy.5; do [ -s "$d/usr/share/man/$p" ] || exit 1; done'
check "bash and zsh completion" \
  '[ -s "$d/usr/share/bash-completion/completions/postern" ] && [ -s "$d/usr/share/zsh/vendor-completions/_postern" ]'
check "headers and the static library" '[ -s "$d/usr/include/postern/postern.h" ] && ls "$d"/usr/lib*/libpostern.a "$d"/usr/lib/*/libpostern.a 2>/dev/null | grep -q .'
pc=$(ls "$d"/usr/lib/pkgconfig/postern.pc "$d"/usr/lib/*/pkgconfig/postern.pc 2>/dev/null | head -1)
check "postern.pc, its prefix the install prefix" '[ -n "$pc" ] && grep -qx "prefix=/usr" "$pc"'

cat > "$t/hello.c" <<'C'
#include <stdio.h>
#include <postern/postern.h>
static void count(const char *id, void *ctx) { (void)id; (*(unsigned *)ctx)++; }
int main(void)
{
	unsigned n = 0;
	pst_rule_foreach(count, &n);
	printf("%s %s %u\n", PST_VERSION, pst_build_commit(), n);
	return n > 0 ? 0 : 1;
}
C
flags=$(PKG_CONFIG_SYSROOT_DIR=$d PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs postern 2>&1); rc=$?
check "pkg-config --cflags --libs postern resolves in the DESTDIR tree" '[ $rc -eq 0 ] && [[ $flags == *"-I$d/usr/include"* ]] && [[ $flags == *"-lpostern"* ]]' || echo "$flags"
# a sanitizer build's library needs its runtime linked in
. "$(dirname "${BASH_SOURCE[0]}")/lib/sanitized.sh"
san=; [ -z "$SANITIZED" ] || san="-fsanitize=address,undefined"
# shellcheck disable=SC2086
cc -std=c11 -Wall -Wextra $san -o "$t/hello" "$t/hello.c" $flags 2> "$t/cc.err"; rc=$?
check "a program compiles and links against the installed library" '[ $rc -eq 0 ]' || cat "$t/cc.err"
out=$("$t/hello"); rc=$?
check "and runs: version, commit, catalog ids ($out)" '[ $rc -eq 0 ] && [[ $out == "$("$POSTERN" version | sed -n "1s/postern //p") "* ]]'

# The installed binary uses the pack beside it (../share/postern/rules), not
# the source tree's: a rule added to the installed copy fires.
mkdir -p "$t/target"; printf 'install-tree-marker-5f3a\n' > "$t/target/readme.txt"
scan_installed() {
  (cd / && env -u POSTERN_RULES_DIR "$d/usr/bin/postern" scan "$t/target" --format json --no-run --no-progress)
}
check "the source tree's pack has no such rule" '! scan_installed | grep -q install_tree_marker'
printf 'rule install_tree_marker\n{\n\tmeta:\n\t\tdescription = "test marker"\n\t\tseverity = "low"\n\tstrings:\n\t\t$a = "install-tree-marker-5f3a"\n\tcondition:\n\t\t$a\n}\n' \
  > "$d/usr/share/postern/rules/yara/zz_install_tree_marker.yar"
check "the installed binary reads the installed rule pack" 'scan_installed | grep -q "signature.postern.install_tree_marker"'
exit $fail
