#!/usr/bin/env bash
# Package data issue 18 names beyond components_meta.sh (src/analyze/jarmf.c,
# cargodep.c; docs/components.md): jars made here give their manifest as a
# component (continuation lines joined, the per-entry sections ignored),
# none beside a pom.properties component of the same jar, pkg:maven with the
# group of a version-less pom.properties; a hostile manifest (a title
# continued over 1.4 MB, no final newline) is read without its cut title; a
# C program (compiled, never run) with a cargo auditable .dep-v0 section
# gives one pkg:cargo component per package; a truncated or garbage stream
# is unpack.damaged, one inflating past the cap limit.cap, with no component
# and no crash. POSTERN_COMPONENTS=binaries drops them all.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
PY=/usr/bin/python3

$PY "$SRC/tests/tools/mkjars.py" "$t/jars"
comps() { $PY -c '
import json, sys
d = json.load(sys.stdin)
for c in sorted(d["components"], key=lambda c: (c["name"], c.get("version", ""))):
    if c["type"] != "file":
        print(c["type"], c["name"], c.get("version"), c.get("purl", ""))'; }
"$POSTERN" scan "$t/jars" --no-run -f cyclonedx | comps > "$t/jars.txt"
cat > "$t/jars.want" <<'W'
library gson 2.10.1 pkg:maven/com.google.code.gson/gson@2.10.1
library org.apache.commons.lang3 3.12.0 pkg:generic/org.apache.commons.lang3@3.12.0
library slf4j-api 1.7.36 pkg:maven/org.slf4j/slf4j-api@1.7.36
library spec-x 1.0 pkg:generic/spec-x@1.0
W
check "jars: exactly the expected components, slf4j-api once" 'diff "$t/jars.want" "$t/jars.txt"'
"$POSTERN" scan "$t/jars" --no-run -f cyclonedx | grep -o '"value": "[^"]*slf4j[^"]*"' > "$t/ev"
check "slf4j-api from pom.properties, not from the manifest" \
  'grep -q "pom.properties: slf4j-api" "$t/ev" && ! grep -q MANIFEST "$t/ev"'
"$POSTERN" scan "$t/jars" --no-run -f json > "$t/jars.json"
check "hostile manifest: limit.cap PST_CAP_PKG_FIELD on it (its cut title passed over), none on the others" \
  '$PY - "$t/jars.json" <<'"'"'P'"'"'
import json, sys
caps = [f["location"] for f in json.load(open(sys.argv[1]))["findings"] if f["rule"] == "limit.cap"]
sys.exit(not (len(caps) == 1 and "hostile.jar" in caps[0] and caps[0].endswith("/META-INF/MANIFEST.MF")))
P'
POSTERN_COMPONENTS=binaries "$POSTERN" scan "$t/jars" --no-run -f cyclonedx | comps > "$t/bin.txt"
check "POSTERN_COMPONENTS=binaries: no manifest components" '[ ! -s "$t/bin.txt" ]'

printf 'int main(void) { return 0; }\n' > "$t/m.c"
cc -O1 -o "$t/m" "$t/m.c"
mkdir -p "$t/rust"
for k in ok trunc garbage bomb; do
  $PY "$SRC/tests/tools/mkdepv0.py" "$t/dep.$k" $k
  objcopy --add-section .dep-v0="$t/dep.$k" "$t/m" "$t/rust/agent_$k"
done
mkdir -p "$t/rustcap" # past the caps: beside, not in, the thread-count tree below
for k in long many; do
  $PY "$SRC/tests/tools/mkdepv0.py" "$t/dep.$k" $k
  objcopy --add-section .dep-v0="$t/dep.$k" "$t/m" "$t/rustcap/agent_$k"
done
"$POSTERN" scan "$t/rust/agent_ok" --no-run -f cyclonedx | comps > "$t/rust.txt"
cat > "$t/rust.want" <<'W'
application agent 0.3.1 pkg:cargo/agent@0.3.1
library libc 0.2.150 pkg:cargo/libc@0.2.150
library serde 1.0.193 pkg:cargo/serde@1.0.193
W
check ".dep-v0: one pkg:cargo component per package, the root the application" \
  'diff "$t/rust.want" "$t/rust.txt"'
"$POSTERN" scan "$t/rust/agent_ok" --no-run -f json > "$t/ok.json"
check ".dep-v0 within the caps: no limit.cap" '! grep -q "limit.cap" "$t/ok.json"'
"$POSTERN" scan "$t/rustcap/agent_long" --no-run -f cyclonedx | comps > "$t/long.txt"
"$POSTERN" scan "$t/rustcap/agent_long" --no-run -f json > "$t/long.json"
check ".dep-v0 with a crate name past PST_CAP_PKG_FIELD: the others listed, limit.cap" \
  'diff "$t/rust.want" "$t/long.txt" && grep -q "PST_CAP_PKG_FIELD" "$t/long.json"'
"$POSTERN" scan "$t/rustcap/agent_many" --no-run -f cyclonedx | comps > "$t/many.txt"
"$POSTERN" scan "$t/rustcap/agent_many" --no-run -f json > "$t/many.json"
check ".dep-v0 past PST_CAP_CARGO_PACKAGES: the first 10000 listed, limit.cap" \
  '[ $(grep -c "pkg:cargo/" "$t/many.txt") -eq 10000 ] && grep -q "PST_CAP_CARGO_PACKAGES" "$t/many.json"'
"$POSTERN" scan "$t/m" --no-run -f json > "$t/plain.json"
check "a program without .dep-v0: no cargo component, no finding about it" \
  '! grep -q "pkg:cargo\|dep-v0" "$t/plain.json"'
for k in trunc garbage; do
  "$POSTERN" scan "$t/rust/agent_$k" --no-run -f json > "$t/$k.json"; rc=$?
  check "$k .dep-v0: scanned (rc $rc), unpack.damaged, no cargo component" \
    '[ $rc -le 2 ] && grep -q "unpack.damaged" "$t/$k.json" && ! grep -q "pkg:cargo" "$t/$k.json"'
done
"$POSTERN" scan "$t/rust/agent_bomb" --no-run -f json > "$t/bomb.json"; rc=$?
check ".dep-v0 past PST_CAP_CARGO_DEP_BYTES: limit.cap naming it, verdict review" \
  'grep -q "PST_CAP_CARGO_DEP_BYTES" "$t/bomb.json" && grep -q "\"verdict\": \"review\"" "$t/bomb.json"'
cp -r "$t/jars" "$t/rust/"
"$POSTERN" scan "$t/rust" --no-run -f cyclonedx -j 1 > "$t/j1.json"
"$POSTERN" scan "$t/rust" --no-run -f cyclonedx -j 4 > "$t/j4.json"
check "same components (jars and cargo, 7) whatever the thread count" \
  'diff <(comps < "$t/j1.json") <(comps < "$t/j4.json") && [ $(comps < "$t/j1.json" | wc -l) -eq 7 ]'
exit $fail
