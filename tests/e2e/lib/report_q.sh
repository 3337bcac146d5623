# q FILE EXPR: exit 0 when the Python expression EXPR holds on the JSON
# report FILE, with d (the report), F (its findings) and rank (severity
# names to numbers) in scope. Sourced by the back-door pair tests.
q() {
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
F = d["findings"]
rank = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}
