#!/usr/bin/env bash
# The hidden-command search (src/analyze/compares.c) is bounded per program;
# when a bound ends it, the program is marked as examined in part, never
# passed in silence: an analyze.budget info finding naming the bound, counted
# in coverage.partial, which keeps the verdict at review. A responder with
# 600 compared commands (tests/tools/mkmanycmp.py) passes the 512 comparisons
# followed; the same responder with 8 commands gets no mark and passes.
# Compiled here, never run.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
command -v gcc >/dev/null || { echo "skip - gcc missing"; exit 77; }

for n in 600 8; do
	mkdir -p "$t/$n"
	python3 "$SRC/tests/tools/mkmanycmp.py" "$n" "$t/$n/resp.c"
	gcc -O1 -fno-builtin -o "$t/$n/resp" "$t/$n/resp.c" || { echo "not ok - build $n"; exit 1; }
	strip "$t/$n/resp"
	rm "$t/$n/resp.c"
done
# rule severity evidence, then coverage.partial, then the verdict
summary() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    if f["rule"] == "analyze.budget":
        print(f["rule"], f["severity"], f.get("evidence", ""))
print("partial", d["coverage"]["partial"])
print("verdict", d["verdict"])
PY
}
# The responder runs a command for an unauthenticated client
# (capability.unauthenticated-config-server, critical): accepted here, so the
# verdict shows what the bound alone does to it.
waive() {
	{ echo "waivers:"
	  for r in capability.unauthenticated-config-server "$@"; do
		printf '  - rule: %s\n    location: "*"\n    justification: test\n    expires: 2099-01-01\n' "$r"
	  done; } > "$t/policy.yaml"
}
waive
for n in 600 8; do
	"$POSTERN" scan "$t/$n" --policy "$t/policy.yaml" --format json --no-progress -o "$t/$n.json"
done
big=$(summary "$t/600.json")
small=$(summary "$t/8.json")
echo "$big" | sed 's/^/# 600: /'
echo "$small" | sed 's/^/# 8: /'
check "600 comparisons: an analyze.budget info finding naming the bound" \
	'grep -qE "^analyze.budget info .*(instructions explored per program|comparisons followed)" <<<"$big"'
check "600 comparisons: counted in coverage.partial" 'grep -qx "partial 1" <<<"$big"'
check "600 comparisons: verdict review, not pass" 'grep -qx "verdict review" <<<"$big"'
check "8 comparisons: no analyze.budget" '! grep -q "^analyze.budget" <<<"$small"'
check "8 comparisons: coverage.partial 0" 'grep -qx "partial 0" <<<"$small"'
check "8 comparisons: verdict pass" 'grep -qx "verdict pass" <<<"$small"'
# a person who accepts the gap waives analyze.budget
waive analyze.budget
"$POSTERN" scan "$t/600" --policy "$t/policy.yaml" --format json --no-progress -o "$t/w.json"
check "600 comparisons, analyze.budget waived: verdict pass" \
	'grep -qx "verdict pass" <<<"$(summary "$t/w.json")"'
exit $fail
