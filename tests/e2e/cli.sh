#!/usr/bin/env bash
# The command-line contract: exit codes, one-line errors, JSON shape,
# determinism across thread counts, --inventory, text summary.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT

"$POSTERN" scan "$t/missing.bin" > "$t/out" 2> "$t/err"; rc=$?
check "missing target exits 66" '[ $rc -eq 66 ]'
check "missing target: one line on stderr" '[ "$(wc -l < "$t/err")" -eq 1 ] && grep -q "missing.bin" "$t/err"'
"$POSTERN" scan > /dev/null 2>&1; rc=$?
check "no target is a usage error (64)" '[ $rc -eq 64 ]'
"$POSTERN" scan x --format yaml > /dev/null 2>&1; rc=$?
check "unknown format is a usage error (64)" '[ $rc -eq 64 ]'
"$POSTERN" frobnicate > /dev/null 2>&1; rc=$?
check "unknown command is a usage error (64)" '[ $rc -eq 64 ]'
"$POSTERN" scan "$t" --max-files abc > /dev/null 2>&1; rc=$?
check "bad limit value is a usage error (64)" '[ $rc -eq 64 ]'

mkdir -p "$t/tree/etc" "$t/tree/bin"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$t/tree/etc/passwd"
seq 1 100000 > "$t/tree/bin/data"
ln -s /etc/passwd "$t/tree/etc/link"
tar -C "$t/tree" -czf "$t/fw.tar.gz" .
printf 'hello\n' | gzip -n > "$t/tree/bin/inner.gz"
tar -C "$t/tree" -cf "$t/fw2.tar" .
cat "$t/fw2.tar" "$t/fw.tar.gz" | xz > "$t/fw.xz"

"$POSTERN" scan "$t/fw.xz" --format json --inventory --no-run -j 1 > "$t/j1.json"; rc1=$?
"$POSTERN" scan "$t/fw.xz" --format json --inventory --no-run -j 2 > "$t/j2.json"; rc2=$?
"$POSTERN" scan "$t/fw.xz" --format json --inventory --no-run -j 7 > "$t/j7.json"
check "clean scan exits 0" '[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ]'
check "JSON identical with 1, 2 and 7 jobs" 'cmp -s "$t/j1.json" "$t/j2.json" && cmp -s "$t/j1.json" "$t/j7.json"'
check "JSON parses and has the contract keys" 'python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
assert set([\"tool\",\"target\",\"verdict\",\"coverage\",\"findings\"]) <= set(d), d.keys()
assert d[\"tool\"][\"name\"]==\"postern\"
assert d[\"target\"][\"name\"]==\"fw.xz\" and len(d[\"target\"][\"sha256\"])==64
assert d[\"verdict\"] in (\"pass\",\"review\",\"fail\")
assert \"run\" not in d
" "$t/j1.json"'
"$POSTERN" scan "$t/fw.xz" --format json > "$t/run.json"
check "run object present by default" 'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"run\"][\"jobs\"]>=1 and d[\"run\"][\"seconds\"]>=0" "$t/run.json"'
check "inventory lists the passwd inside the nested tar" 'grep -q "\"location\": \"fw.xz!/fw!/etc/passwd\"" "$t/j1.json"'
check "inventory lists the gzip inside the tar inside the tar" 'grep -q "fw.xz!/fw!/bin/inner.gz!/inner\"" "$t/j1.json"'
check "target sha256 matches sha256sum" 'grep -q "$(sha256sum "$t/fw.xz" | cut -c1-64)" "$t/j1.json"'

"$POSTERN" scan "$t/fw.xz" > "$t/text" 2>&1
check "text summary starts with the verdict" 'head -n1 "$t/text" | grep -q "^verdict: PASS"'
check "text has no colour when not a terminal" '! grep -q $'"'"'\033'"'"' "$t/text"'
check "no progress line when stderr is not a terminal" '! grep -q "files, .* MB unpacked" "$t/text"'

"$POSTERN" scan "$t/tree" --format json --inventory --no-run > "$t/dir.json"; rc=$?
check "a directory target scans" '[ $rc -eq 0 ] && grep -q "\"location\": \"tree!/etc/passwd\"" "$t/dir.json"'
check "a directory symlink is recorded, not followed" 'grep -q "\"location\": \"tree!/etc/link\", \"kind\": \"symlink\"" "$t/dir.json"'

"$SRC"/tests/tools/randbytes 300000 cli1 > "$t/blob.bin"
"$POSTERN" scan "$t/blob.bin" --format json > "$t/blob.json"; rc=$?
check "an unopenable random target is reviewed, not passed" '[ $rc -eq 0 ] && grep -q "\"verdict\": \"review\"" "$t/blob.json" && grep -q "coverage.encrypted" "$t/blob.json"'

cp /bin/true "$t/true"
"$POSTERN" scan "$t/true" --format json > "$t/true.json"; rc=$?
check "a lone program as the target is not a disguised executable" '[ $rc -eq 0 ] && ! grep -q "fs.disguised-executable" "$t/true.json"'

"$POSTERN" scan "$t/fw.xz" -o "$t/nodir/x.json" > /dev/null 2>&1; rc=$?
check "unwritable output is an error (73)" '[ $rc -eq 73 ]'
# A directory target bigger than 64 MiB: its files' bytes are its size for the
# expansion ratio, so nothing is cut (they were, at 64 MiB, as "file-size").
mkdir -p "$t/big"
for i in 1 2 3 4 5; do "$SRC"/tests/tools/randbytes 20000000 cli2 > "$t/big/f$i"; done
"$POSTERN" scan "$t/big" --format json --no-run > "$t/big.json"; rc=$?
check "100 MB directory: scanned whole, no limit hit" \
  '[ $rc -eq 0 ] && grep -q "\"limits_hit\": 0" "$t/big.json" && ! grep -q "limit\." "$t/big.json"'
"$POSTERN" scan "$t/big" --no-progress > "$t/big.txt"
check "directory summary says read from a directory" 'grep -q "100.0 MB read from a directory" "$t/big.txt"'
rm -rf "$t/big"

exit $fail
