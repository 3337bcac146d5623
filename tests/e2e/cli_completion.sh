#!/usr/bin/env bash
# Shell completion written from the command table (postern __completion):
# bash, sourced in a bash subshell, completes commands, options, formats,
# policy names, fail-on levels, files, and rule ids for explain (asked of the
# binary being completed); zsh's script at least parses.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT

"$POSTERN" __completion bash > "$t/postern.bash"; rc=$?
check "__completion bash exits 0" '[ $rc -eq 0 ] && [ -s "$t/postern.bash" ]'
"$POSTERN" __completion fish > /dev/null 2>&1; rc=$?
check "__completion of another shell: 64" '[ $rc -eq 64 ]'

# complete WORD... : what bash offers for the last word, one a line, sorted.
complete_words() {
  bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=()
    _postern
    printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$t/postern.bash" "$POSTERN" "$@"
}

out=$(bash --norc --noprofile -c 'source "$1"; complete -p postern' _ "$t/postern.bash")
check "complete -p postern: the function is registered" '[ "$out" = "complete -F _postern postern" ]'
check "commands" '[ "$(complete_words sc)" = scan ] && complete_words "" | grep -qx verify && complete_words "" | grep -qx explain'
check "hidden commands are not offered" '! complete_words "" | grep -q "^__"'
check "scan options" 'complete_words scan --fo | grep -qx -- --format && complete_words scan --max- | grep -qx -- --max-memory'
check "scan's formats" '[ "$(complete_words scan --format "" | tr "\n" " ")" = "cyclonedx html json sarif text " ]'
check "diff's formats (its own)" '[ "$(complete_words diff -f "" | tr "\n" " ")" = "html json text " ]'
check "policy names" 'complete_words scan --policy "" | grep -qx default && complete_words scan --policy st | grep -qx strict'
check "fail-on levels" '[ "$(complete_words diff --fail-on r)" = review ]'
check "rule ids for explain, from the binary's catalog" \
  'complete_words explain account.empty | grep -qx account.empty-password && [ "$(complete_words explain account. | wc -l)" -ge 3 ]'
check "rule ids for scan --explain" 'complete_words scan --explain fs.unexpected | grep -qx fs.unexpected-setuid'
mkdir "$t/dir"; : > "$t/dir/fw.bin"
check "files for a scan target" '[ "$(complete_words scan "$t/dir/f")" = "$t/dir/fw.bin" ]'
check "a value that fits nothing: no offer" '[ -z "$(complete_words scan --format xml)" ]'
check "version has only --help" '[ "$(complete_words version --h)" = --help ] && [ -z "$(complete_words version --f)" ]'

"$POSTERN" __completion zsh > "$t/_postern"; rc=$?
check "__completion zsh exits 0, a #compdef file" '[ $rc -eq 0 ] && head -1 "$t/_postern" | grep -qx "#compdef postern"'
check "zsh: every command has its case" 'for c in scan diff explain keygen verify version; do grep -q "^	$c)" "$t/_postern" || exit 1; done'
check "zsh: formats and policy names are offered" \
  'grep -q "(text json sarif html cyclonedx)" "$t/_postern" && grep -q "compadd default strict" "$t/_postern"'
if command -v zsh > /dev/null; then
  check "zsh -n parses it" 'zsh -n "$t/_postern"'
  # Run it in zsh with the completion system's functions as stand-ins that
  # print what they are given.
  zcomp() {
    PATH=$(dirname "$POSTERN"):$PATH zsh -f -c '
      _describe() { print -l -- ${(P)2} }
      _arguments() { print -l -- "$@" }
      compadd() { [ "$1" = -a ] && print -l -- ${(P)2} || print -l -- "$@" }
      words=(postern "") CURRENT=2; source "$1" > /dev/null
      shift; words=(postern "$@") CURRENT=$(( $# + 1 )); _postern' _ "$t/_postern" "$@"
  }
  check "zsh: commands with their summaries" 'zcomp "" | grep -qx "verify:check a signed vetting attestation"'
  check "zsh: scan's format values and policy names" \
    'zcomp scan "" | grep -qxF -- "--format=[report format (default text)]:FMT:(text json sarif html cyclonedx)" && zcomp scan "" | grep -qF -- "--policy=[policy file, or a built-in policy (postern-policy(5))]:FILE:{compadd default strict; _files}"'
  check "zsh: diff's own formats" 'zcomp diff "" | grep -qF -- ":FMT:(text json html)"'
  check "zsh: explain's operand is a rule id" 'zcomp explain "" | grep -qx "\*:RULE:_postern_rules"'
  out=$(PATH=$(dirname "$POSTERN"):$PATH zsh -f -c 'compadd() { print -l -- ${(P)2} }; words=(postern "") CURRENT=2; _describe() { :; }; source "$1" > /dev/null; _postern_rules' _ "$t/_postern" 2>&1)
  check "zsh: the rule ids come from the binary" 'grep -qx account.empty-password <<< "$out"'
fi
exit $fail
