#!/usr/bin/env bash
# The hidden-command search's other bounds (src/analyze/compares.c): the
# call targets of the functions it follows (MAX_TARGETS) and the bytes of
# code it sweeps (CODE_MAX) end the search like the instruction budget
# does, so they are reported the same way (analyze.budget, info, counted in
# coverage.partial), never passed in silence. e2e_hidden_budget covers the
# comparisons followed.
#  - targets: a static, unstripped TCP responder linked with 200 small
#    units that each have a local function named system (200 symbols the
#    search must watch), against the same responder with 8 of them;
#  - code: the responder with 33 MiB of nops in an executable section,
#    against the responder alone.
# Compiled here, never run.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
command -v gcc >/dev/null || { echo "skip - gcc missing"; exit 77; }

python3 "$SRC/tests/tools/mkmanycmp.py" 8 "$t/resp.c"
units() { # N DIR: N units, each with a local system() and a caller
	mkdir -p "$2"
	for i in $(seq 1 "$1"); do
		printf '%s\n' "__attribute__((noinline, used)) static int system(const char *s)" \
			"{ return s[0] == $i; }" "int use_$i(const char *s) { return system(s); }" \
			> "$2/u$i.c"
	done
}
units 200 "$t/u200"
units 8 "$t/u8"
mkdir -p "$t/targets" "$t/code"
gcc -O1 -fno-builtin -static -o "$t/targets/many" "$t/resp.c" "$t"/u200/*.c &&
	gcc -O1 -fno-builtin -static -o "$t/targets/few" "$t/resp.c" "$t"/u8/*.c ||
	{ echo "not ok - build the static responders"; exit 1; }
printf '%s\n' '__asm__(".section .text.pad,\"ax\",@progbits\n.fill 34603008, 1, 0x90\n.previous");' \
	> "$t/pad.c"
gcc -O1 -fno-builtin -o "$t/code/big" "$t/resp.c" "$t/pad.c" &&
	gcc -O1 -fno-builtin -o "$t/code/small" "$t/resp.c" ||
	{ echo "not ok - build the code-size responders"; exit 1; }
strip "$t/code/big" "$t/code/small"

# the analyze.budget findings of the file at SUFFIX: "severity evidence"
budget() {
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    if f["rule"] == "analyze.budget" and f["location"].endswith(sys.argv[2]):
        print(f["severity"], f.get("evidence", ""))
PY
}
for d in targets code; do
	"$POSTERN" scan "$t/$d" --format json --no-progress -o "$t/$d.json" >/dev/null
done
many=$(budget "$t/targets.json" /many) few=$(budget "$t/targets.json" /few)
big=$(budget "$t/code.json" /big) small=$(budget "$t/code.json" /small)
echo "# many: $many"; echo "# few: $few"; echo "# big: $big"; echo "# small: $small"
check "200 local system(): analyze.budget names the call targets" \
	'grep -q "^info .*call targets of the functions of interest" <<<"$many"'
check "8 local system(): no call-target bound" '! grep -q "call targets" <<<"$few"'
check "33 MiB of code: analyze.budget names the bytes of code swept" \
	'grep -q "^info .*bytes of code swept (32 MiB)" <<<"$big"'
check "the responder alone: no code bound" '! grep -q "bytes of code" <<<"$small"'
check "partial counts the bounded programs" \
	'python3 -c "import json,sys; sys.exit(json.load(open(\"$t/targets.json\"))[\"coverage\"][\"partial\"] < 1)"'
exit $fail
