#!/usr/bin/env bash
# postern explain RULE (and its alias postern scan --explain RULE): a rule's
# findings-catalog entry at the terminal; an unknown rule exits 64 and names
# the closest ids; every id --list gives has an entry; --help lists it.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT

"$POSTERN" explain fs.unexpected-setuid > "$t/out" 2> "$t/err"; rc=$?
check "known rule exits 0, nothing on stderr" '[ $rc -eq 0 ] && [ ! -s "$t/err" ]'
check "it names the rule and its catalog file" 'head -1 "$t/out" | grep -q "^fs.unexpected-setuid  (docs/findings/access.md)$"'
check "why it matters and how to fix it" 'grep -q "^Why: a setuid/setgid file not on" "$t/out" && grep -q "^Fix: drop the bit" "$t/out"'
check "markdown code marks are removed" '! grep -q "\`" "$t/out"'
check "the entry stops at the next rule" '! grep -q "fs.world-writable\|^## " "$t/out"'
"$POSTERN" scan --explain fs.unexpected-setuid > "$t/alias" 2>&1; rc=$?
check "scan --explain is the same, no scan" '[ $rc -eq 0 ] && cmp -s "$t/out" "$t/alias"'

"$POSTERN" explain signature.postern.sercomm_scmm_tcp32764_backdoor > "$t/sig"; rc=$?
check "a bundled signature rule: the pack's entry, with its reference" \
  '[ $rc -eq 0 ] && grep -q "sercomm_scmm_tcp32764_backdoor | critical" "$t/sig" && grep -q "github.com/elvanderb/TCP-32764" "$t/sig"'

"$POSTERN" explain empty-pasword > "$t/out" 2> "$t/err"; rc=$?
check "unknown rule exits 64, nothing on stdout" '[ $rc -eq 64 ] && [ ! -s "$t/out" ]'
check "it names the closest id first" 'grep -q "no rule .empty-pasword. in the findings catalog; closest: account.empty-password," "$t/err"'
"$POSTERN" scan --explain fs.setuid > /dev/null 2> "$t/err"; rc=$?
check "scan --explain of an unknown rule: 64 and ids that contain it" \
  '[ $rc -eq 64 ] && grep -q "closest: fs.setuid-shell, fs.setuid-hidden" "$t/err"'
"$POSTERN" explain > /dev/null 2>&1; rc=$?
check "no rule is a usage error (64)" '[ $rc -eq 64 ]'

"$POSTERN" explain --list > "$t/ids"; rc=$?
check "--list: every documented rule, once" '[ $rc -eq 0 ] && [ "$(wc -l < "$t/ids")" -ge 80 ] && [ -z "$(sort "$t/ids" | uniq -d)" ] && ! grep -q " " "$t/ids"'
bad=""
while read -r id; do
  "$POSTERN" explain "$id" > "$t/one" 2>/dev/null && [ "$(wc -l < "$t/one")" -ge 3 ] || bad="$bad $id"
done < "$t/ids"
check "every listed id has an entry of its own (none empty:$bad)" '[ -z "$bad" ]'
check "the list holds rules of each area" \
  '( for r in account.empty-password coverage.unexplained limit.depth policy.waiver-expired signature.postern.*; do grep -qxF "$r" "$t/ids" || exit 1; done )'

"$POSTERN" --help > "$t/help"
check "postern --help lists explain" 'grep -q "postern explain RULE" "$t/help"'
"$POSTERN" scan --help > "$t/help"
check "postern scan --help lists --explain" 'grep -q -- "--explain RULE" "$t/help"'
exit $fail
