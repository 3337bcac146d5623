#!/usr/bin/env bash
# The transparency log's offline checks (docs/transparency.md), against tree
# heads and proofs made by a second implementation of the format
# (tests/tools/tlog_make.py, python3-cryptography):
# - postern verify --log-proof: an attestation in the log verifies (0); the
#   proof of another entry, a changed proof hash, a tree head signed by
#   another key, an attestation changed by one byte are 5; usage 64, a
#   malformed proof 65, a missing one 66.
# - postern log check: the first tree head is kept; a grown log with its
#   consistency proof is accepted and kept; a fork (same size, another root)
#   and a rewritten entry are exit 1 with "history rewritten" and leave the
#   state alone; another key 2; no proof 64; a proof for other sizes 65.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
. "$SRC/tests/e2e/lib/fixtures.sh"
MAKE="python3 $SRC/tests/tools/tlog_make.py"
if ! python3 -c 'import cryptography' 2> /dev/null; then
  echo "skip: python3-cryptography is missing"; exit 77
fi

make_img "$t/img"
policy_waive "$t/lab.yaml" 2099-12-31
"$POSTERN" keygen -o "$t/svc" > /dev/null
"$POSTERN" keygen -o "$t/other" > /dev/null
"$POSTERN" scan "$t/img" --policy "$t/lab.yaml" --sign "$t/svc.key" --attest "$t/img.att" > /dev/null
check "the service's attestation is made" '[ -s "$t/img.att" ]'

# The log: other decisions before and after ours (entry 5 of 11).
for i in 0 1 2 3 4 6 7 8 9 10; do printf 'decision %d\n' "$i" > "$t/e$i"; done
cp "$t/img.att" "$t/e5"
E=("$t"/e{0..10})
$MAKE inclusion --key "$t/svc.key" --index 5 --size 11 "${E[@]}" > "$t/proof.json"
$MAKE inclusion --key "$t/svc.key" --index 4 --size 11 "${E[@]}" > "$t/proof4.json"
$MAKE inclusion --key "$t/other.key" --index 5 --size 11 "${E[@]}" > "$t/proof-other.json"

v() { "$POSTERN" verify --attestation "$t/img.att" "$@" "$t/img"; }
v --log-proof "$t/proof.json" --log-key "$t/svc.pub" > "$t/out"; rc=$?
check "verify --log-proof: in the log (0)" '[ $rc -eq 0 ] && grep -q "entry 5 of 11" "$t/out" && grep -q "^verified" "$t/out"'
v --key "$t/svc.pub" --log-proof "$t/proof.json" --log-key "$t/svc.pub" > /dev/null; rc=$?
check "verify --key and --log-proof together (0)" '[ $rc -eq 0 ]'
v --log-proof "$t/proof4.json" --log-key "$t/svc.pub" 2> "$t/err"; rc=$?
check "another entry's proof: not in the log (5)" '[ $rc -eq 5 ] && grep -q "another entry" "$t/err"'
python3 - "$t/proof.json" "$t/proof-hash.json" "$t/proof-size.json" <<'P'
import json, sys
p = json.load(open(sys.argv[1]))
h = p["hashes"][1]; p["hashes"][1] = ("0" if h[0] != "0" else "1") + h[1:]
json.dump(p, open(sys.argv[2], "w"))
p = json.load(open(sys.argv[1])); p["sth"]["tree_size"] = 12; p["tree_size"] = 12
json.dump(p, open(sys.argv[3], "w"))
P
v --log-proof "$t/proof-hash.json" --log-key "$t/svc.pub" 2> "$t/err"; rc=$?
check "one proof hash changed: not in the log (5)" '[ $rc -eq 5 ] && grep -q "does not lead to the signed root" "$t/err"'
v --log-proof "$t/proof-size.json" --log-key "$t/svc.pub" 2> "$t/err"; rc=$?
check "tree head's size changed: not signed (5)" '[ $rc -eq 5 ] && grep -q "not signed by the log key" "$t/err"'
v --key "$t/svc.pub" --log-proof "$t/proof-other.json" --log-key "$t/svc.pub" 2> "$t/err"; rc=$?
check "tree head signed by another key (5)" '[ $rc -eq 5 ] && grep -q "not signed by the log key" "$t/err"'
# still a valid DSSE envelope (JSON whitespace), but not the bytes logged
sed 's/^{/{ /' "$t/img.att" > "$t/img-ws.att"
"$POSTERN" verify --attestation "$t/img-ws.att" --log-proof "$t/proof.json" --log-key "$t/svc.pub" "$t/img" 2> "$t/err"; rc=$?
check "attestation changed by one byte: not the logged entry (5)" '[ $rc -eq 5 ] && grep -q "another entry" "$t/err"'
v --key "$t/other.pub" --log-proof "$t/proof.json" --log-key "$t/svc.pub" 2> /dev/null; rc=$?
check "the attestation is checked first: bad signature (2)" '[ $rc -eq 2 ]'
v --key "$t/svc.pub" --log-proof "$t/proof.json" > /dev/null 2>&1; rc=$?
check "--log-proof without --log-key: usage (64)" '[ $rc -eq 64 ]'
echo '{"sth": {}}' > "$t/bad.json"
v --log-proof "$t/bad.json" --log-key "$t/svc.pub" 2> /dev/null; rc=$?
check "malformed proof (65)" '[ $rc -eq 65 ]'
v --log-proof "$t/none.json" --log-key "$t/svc.pub" 2> /dev/null; rc=$?
check "missing proof (66)" '[ $rc -eq 66 ]'
v --log-proof "$t/proof.json" --log-key "$t/none.pub" 2> /dev/null; rc=$?
check "missing log key (66)" '[ $rc -eq 66 ]'

# ---- postern log check ----
$MAKE sth --key "$t/svc.key" --size 4 --timestamp 1000 "${E[@]}" > "$t/sth4.json"
$MAKE sth --key "$t/svc.key" --size 7 --timestamp 2000 "${E[@]}" > "$t/sth7.json"
$MAKE sth --key "$t/svc.key" --size 11 --timestamp 3000 "${E[@]}" > "$t/sth11.json"
$MAKE sth --key "$t/other.key" --size 11 --timestamp 3000 "${E[@]}" > "$t/sth11-other.json"
$MAKE consistency --first 4 --second 7 "${E[@]}" > "$t/c4-7.json"
$MAKE consistency --first 7 --second 11 "${E[@]}" > "$t/c7-11.json"
# A rewritten history: entry 5 (our attestation) replaced after the fact.
printf 'rewritten\n' > "$t/f5"
F=("$t"/e{0..4} "$t/f5" "$t"/e{6..10})
$MAKE sth --key "$t/svc.key" --size 11 --timestamp 3000 "${F[@]}" > "$t/fork11.json"
$MAKE sth --key "$t/svc.key" --size 12 --timestamp 4000 "${F[@]}" "$t/e0" > "$t/fork12.json"
$MAKE consistency --first 11 --second 12 "${F[@]}" "$t/e0" > "$t/cf11-12.json"

lc() { "$POSTERN" log check --state "$t/state.json" --log-key "$t/svc.pub" "$@"; }
size_kept() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tree_size"])' "$t/state.json"; }
lc --sth "$t/sth4.json" > "$t/out"; rc=$?
check "log check: first tree head kept (0)" '[ $rc -eq 0 ] && grep -q "first tree head" "$t/out" && [ "$(size_kept)" = 4 ]'
lc --sth "$t/sth7.json" --consistency "$t/c4-7.json" > "$t/out"; rc=$?
check "log grew 4 -> 7 with its proof (0), kept" '[ $rc -eq 0 ] && grep -q "grew from 4 to 7" "$t/out" && [ "$(size_kept)" = 7 ]'
lc --sth "$t/sth7.json" > /dev/null; rc=$?
check "the same tree head again (0)" '[ $rc -eq 0 ] && [ "$(size_kept)" = 7 ]'
lc --sth "$t/sth11.json" 2> "$t/err"; rc=$?
check "grew without a proof: usage (64), state kept" '[ $rc -eq 64 ] && grep -q "consistency proof" "$t/err" && [ "$(size_kept)" = 7 ]'
lc --sth "$t/sth11.json" --consistency "$t/c4-7.json" 2> "$t/err"; rc=$?
check "a proof for other sizes (65)" '[ $rc -eq 65 ] && grep -q "sizes 4 to 7, not 7 to 11" "$t/err"'
lc --sth "$t/sth11-other.json" --consistency "$t/c7-11.json" 2> "$t/err"; rc=$?
check "tree head signed by another key (2)" '[ $rc -eq 2 ] && [ "$(size_kept)" = 7 ]'
lc --sth "$t/sth11.json" --consistency "$t/c7-11.json" > /dev/null; rc=$?
check "log grew 7 -> 11 (0)" '[ $rc -eq 0 ] && [ "$(size_kept)" = 11 ]'
cp "$t/state.json" "$t/state.before"
lc --sth "$t/fork11.json" 2> "$t/err"; rc=$?
check "forked tree head, same size, another root: rewritten (1)" '[ $rc -eq 1 ] && grep -q "history rewritten" "$t/err" && cmp -s "$t/state.json" "$t/state.before"'
lc --sth "$t/fork12.json" --consistency "$t/cf11-12.json" 2> "$t/err"; rc=$?
check "rewritten entry, the fork's own proof: rewritten (1)" '[ $rc -eq 1 ] && grep -q "history rewritten" "$t/err" && cmp -s "$t/state.json" "$t/state.before"'
lc --sth "$t/sth4.json" --consistency "$t/c4-7.json" 2> "$t/err"; rc=$?
check "an older head with a proof for other sizes (65)" '[ $rc -eq 65 ]'
$MAKE consistency --first 4 --second 11 "${E[@]}" > "$t/c4-11.json"
lc --sth "$t/sth4.json" --consistency "$t/c4-11.json" > "$t/out"; rc=$?
check "an older head the kept one extends (0), state unchanged" '[ $rc -eq 0 ] && grep -q "older tree head" "$t/out" && cmp -s "$t/state.json" "$t/state.before"'
echo 'not json' > "$t/junk.json"
lc --sth "$t/junk.json" 2> /dev/null; rc=$?
check "not a tree head (65)" '[ $rc -eq 65 ]'
lc --sth "$t/none.json" 2> /dev/null; rc=$?
check "missing tree head (66)" '[ $rc -eq 66 ]'
"$POSTERN" log check --sth "$t/sth4.json" --log-key "$t/svc.pub" 2> /dev/null; rc=$?
check "log check without --state: usage (64)" '[ $rc -eq 64 ]'
"$POSTERN" log verify --state "$t/state.json" --sth "$t/sth4.json" --log-key "$t/svc.pub" 2> /dev/null; rc=$?
check "log with another action: usage (64)" '[ $rc -eq 64 ]'
# the kept state is a signed head too: a tampered state is caught
python3 - "$t/state.json" <<'P'
import json, sys
s = json.load(open(sys.argv[1])); s["tree_size"] = 10; json.dump(s, open(sys.argv[1], "w"))
P
lc --sth "$t/sth11.json" 2> "$t/err"; rc=$?
check "a tampered state file is not signed (2)" '[ $rc -eq 2 ] && grep -q "kept tree head" "$t/err"'
check "no temporary state files left" '[ -z "$(ls "$t" | grep "state.json\.")" ]'
exit $fail
