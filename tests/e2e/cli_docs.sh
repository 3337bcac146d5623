#!/usr/bin/env bash
# --help, the man pages and the parsers come from one table (src/cli/cmdtable.c):
# every option a command's --help lists is in its man page and back, the parser
# accepts each one (long and short), no command builds a getopt table of its
# own, and every page passes `mandoc -T lint` and `man --warnings`.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT

# The commands, as postern's own usage lists them.
"$POSTERN" help > "$t/usage"
mapfile -t cmds < <(sed -n 's/^  postern \([a-z]*\).*/\1/p' "$t/usage")
check "usage lists the commands" '[ "${#cmds[@]}" -ge 6 ] && printf "%s\n" "${cmds[@]}" | grep -qx scan && printf "%s\n" "${cmds[@]}" | grep -qx version'

"$POSTERN" __manpage --all "$t/man"; rc=$?
check "__manpage --all writes the pages" '[ $rc -eq 0 ] && [ -s "$t/man/man1/postern.1" ] && [ -s "$t/man/man5/postern-policy.5" ] && [ -s "$t/man/man8/postern-serve.8" ] && [ -s "$t/man/man8/postern-worker.8" ]'

opts_of_help() { grep -o '^  \(-[a-zA-Z], \)\?--[a-z][a-z-]*\|^      --[a-z][a-z-]*' | grep -o -- '--[a-z-]*' | sort -u; }
opts_of_man() { grep -o '^\\fB\\-\\-[a-z\\-]*\|^\\fB\\-[a-zA-Z]\\fR, \\fB\\-\\-[a-z\\-]*' | sed 's/.*\\fB//; s/\\-/-/g; s/\\f.*//' | sort -u; }
shorts_of_help() { grep -o '^  -[a-zA-Z], --[a-z-]*' | sed 's/^  //; s/, /=/' | sort -u; }

for c in "${cmds[@]}"; do
  "$POSTERN" "$c" --help > "$t/$c.help"; rc=$?
  check "$c --help exits 0" '[ $rc -eq 0 ] && [ -s "$t/$c.help" ]'
  check "$c --help fits 79 columns" '! awk "length > 79" "$t/$c.help" | grep -q .'
  # the service's commands are system administration: section 8
  sec=1; [ -s "$t/man/man8/postern-$c.8" ] && sec=8
  page="$t/man/man$sec/postern-$c.$sec"
  check "$c has a man page, named in postern(1)" '[ -s "$page" ] && grep -q "^.BR postern\\\\-$c ($sec)" "$t/man/man1/postern.1"'
  opts_of_help < "$t/$c.help" > "$t/$c.hopts"
  opts_of_man < "$page" > "$t/$c.mopts"
  check "$c: --help and the man page list the same options" \
    '[ -s "$t/$c.hopts" ] && diff "$t/$c.hopts" "$t/$c.mopts"'
  # every listed option is one the parser takes (arguments are dummies: the
  # command may then fail, but not on an unknown option; serve and worker run
  # until stopped, so each try is cut short: a refused option is said at once)
  while read -r o; do
    (cd "$t" && timeout -k 1 3 "$POSTERN" "$c" "$o" 1 > /dev/null 2> "$t/err" < /dev/null)
    if grep -q "unrecognized option\|invalid option" "$t/err"; then
      echo "not ok - $c: the parser refuses $o, which --help lists"; fail=1
    fi
  done < "$t/$c.hopts"
  while IFS== read -r s l; do
    (cd "$t" && timeout -k 1 3 "$POSTERN" "$c" "$s" 1 > /dev/null 2> "$t/err" < /dev/null)
    if grep -q "unrecognized option\|invalid option" "$t/err"; then
      echo "not ok - $c: the parser refuses $s (listed as $l)"; fail=1
    fi
  done < <(shorts_of_help < "$t/$c.help")
  "$POSTERN" "$c" --no-such-option > /dev/null 2> "$t/err"; rc=$?
  check "$c: an option no table lists is refused (64)" '[ $rc -eq 64 ] && grep -q "unrecognized option" "$t/err"'
done
check "scan --help lists the options it had before the table (--no-run, --max-memory, --root)" \
  'grep -qx -- --no-run "$t/scan.hopts" && grep -qx -- --max-memory "$t/scan.hopts" && grep -qx -- --root "$t/scan.hopts"'
check "scan --help lists the formats" 'grep -q "FMT: text, json, sarif, html or cyclonedx" "$t/scan.help"'
check "diff --help lists its formats only" 'grep -q "FMT: text, json or html" "$t/diff.help"'

# No parser outside the table: only usage.c calls getopt_long or fills a
# struct option.
check "only usage.c builds getopt tables" \
  '[ "$(grep -l "getopt_long\|struct option " "$SRC"/src/cli/*.c | xargs -n1 basename | tr "\n" " ")" = "usage.c " ]'

if command -v mandoc > /dev/null && command -v man > /dev/null; then
  for p in "$t"/man/man*/*; do
    out=$(mandoc -T lint -W warning "$p" 2>&1)
    check "mandoc -T lint: $(basename "$p") clean" '[ -z "$out" ]' || echo "$out"
    out=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$p" 2>&1 > /dev/null)
    check "man --warnings: $(basename "$p") clean" '[ -z "$out" ]' || echo "$out"
  done
else
  echo "not ok - mandoc and man are needed (scripts/install-deps installs them)"; fail=1
fi
check "postern-policy(5) documents the keys and the built-in policies" \
  'grep -q "^.SS \"Keys\"" "$t/man/man5/postern-policy.5" && grep -q "strict   medium   low" "$t/man/man5/postern-policy.5"'
"$POSTERN" __manpage no-such-page > /dev/null 2>&1; rc=$?
check "__manpage of an unknown page: 64" '[ $rc -eq 64 ]'
exit $fail
