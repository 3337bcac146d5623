#!/usr/bin/env bash
# README.md's first two commands, as .ci/run extracts and runs them
# (scripts/readme-commands): exactly two, the first works for root without
# sudo (install-deps elevates itself), the second is the test command. The
# commands are not run here; install-deps' elevation is checked on a copy
# with one package that is never installed, with stand-ins for sudo and
# apt-get: root runs apt-get directly, a user goes through sudo, and a user
# without sudo gets a clear message.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT

mapfile -t cmds < <("$SRC/scripts/readme-commands" "$SRC/README.md")
check "exactly two commands" '[ "${#cmds[@]}" -eq 2 ]'
check "command 1 does not start with sudo" '[[ "${cmds[0]:-}" != sudo* ]] && [[ "${cmds[0]:-}" != *"sudo "* ]]'
check "command 1 installs and runs the demo" '[ "${cmds[0]:-}" = "scripts/install-deps && make demo" ]'
check "command 2 is the test command" '[ "${cmds[1]:-}" = "make check" ]'
check ".ci/run runs the extracted lines, not a copy" \
  'grep -q "scripts/readme-commands README.md" "$SRC/.ci/run" && ! grep -qxF "${cmds[0]}" "$SRC/.ci/run" && ! grep -Eq "^make check" "$SRC/.ci/run"'

check ".ci/run builds, installs and checks the packages after the README's commands" \
  'awk "/scripts\/readme-commands README.md/ { r = NR } /^bash scripts\/package-test/ { p = NR } END { exit !(r && p > r) }" "$SRC/.ci/run"'

# The extraction itself: the first sh block only, comments and blanks dropped.
printf '%s\n' '# t' '' '```sh' 'a && b    # one' '' '  c   # two' '```' '```sh' 'd' '```' > "$t/R.md"
check "extraction on a sample README" '[ "$("$SRC/scripts/readme-commands" "$t/R.md" | tr "\n" ";")" = "a && b;c;" ]'

# install-deps without root and without sudo: a clear message, not
# "sudo: command not found". Run as an unprivileged user when we are root.
mkdir -p "$t/bin"
for tool in bash dpkg-query grep id env; do ln -s "$(command -v $tool)" "$t/bin/$tool"; done
# dpkg: a stand-in saying the router architectures are already added, so the
# only thing left to elevate is the package install.
printf '#!/bin/bash\n[ "$1" = --print-foreign-architectures ] && printf "mipsel\\narmel\\n"\nexit 0\n' > "$t/bin/dpkg"
chmod 755 "$t/bin/dpkg"
sed 's/^build=(/build=(postern-no-such-package /' "$SRC/scripts/install-deps" > "$t/install-deps"
chmod 755 "$t" "$t/install-deps"
run_unpriv() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH="$t/bin" bash "$t/install-deps"
  else
    env -i PATH="$t/bin" bash "$t/install-deps"
  fi
}
out=$(run_unpriv 2>&1); rc=$?
check "no root, no sudo: exits 1 with a clear message" \
  '[ $rc -eq 1 ] && grep -q "not root and sudo is not installed" <<<"$out" && ! grep -q "command not found" <<<"$out"'

# With sudo (a stand-in that records what it was asked): apt-get goes through it.
mkdir -p "$t/sbin"; cp -P "$t"/bin/* "$t/sbin/"
printf '#!/bin/bash\necho "sudo $*" >> %s/log\n' "$t" > "$t/sbin/sudo"
printf '#!/bin/bash\necho "apt-get $*" >> %s/log\n' "$t" > "$t/sbin/apt-get"
chmod 755 "$t/sbin/sudo" "$t/sbin/apt-get"; touch "$t/log"; chmod 666 "$t/log"
if [ "$(id -u)" = 0 ]; then
  setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH="$t/sbin" bash "$t/install-deps" >/dev/null 2>&1
  check "a user with sudo: apt-get runs through sudo" 'grep -q "^sudo apt-get install .*postern-no-such-package" "$t/log"'
  : > "$t/log"
  env -i PATH="$t/sbin" bash "$t/install-deps" >/dev/null 2>&1
  check "root: apt-get runs directly, sudo is not used" \
    'grep -q "^apt-get install .*postern-no-such-package" "$t/log" && ! grep -q "^sudo" "$t/log"'
fi
exit $fail
