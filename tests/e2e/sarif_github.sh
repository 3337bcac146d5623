#!/usr/bin/env bash
# SARIF as GitHub code scanning documents it needs it (tests/e2e/lib/sarif_github.py):
# every rule with id, name, short/full description, help, default level,
# the "security" tag, security-severity and precision; every result with
# ruleId, level, message.text, 1..10 locations with a relative URI and a
# region.startLine, and partial fingerprints including primaryLocationLineHash.
# The checker itself must reject a file that breaks each requirement.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
PY=/usr/bin/python3
GH="$PY $SRC/tests/e2e/lib/sarif_github.py"

# A tree with findings of several rules and severities.
r=$t/tree; mkdir -p "$r/etc/ssh" "$r/root/.ssh" "$r/bin"
printf 'root::0:0:root:/root:/bin/sh\nadmin:x:1000:1000::/home/admin:/bin/sh\n' > "$r/etc/passwd"
printf 'root::19000:0:99999:7:::\nadmin:$1$abc$0123456789abcdefghijk.:19000:0:99999:7:::\n' > "$r/etc/shadow"
printf '::sysinit:/etc/init.d/rcS\n::respawn:/usr/sbin/telnetd -l /bin/sh -p 2323\n' > "$r/etc/inittab"
ssh-keygen -q -t ed25519 -N '' -C '' -f "$r/etc/ssh/ssh_host_ed25519_key" > /dev/null
cp "$r/etc/ssh/ssh_host_ed25519_key.pub" "$r/root/.ssh/authorized_keys"
"$POSTERN" scan "$r" --no-run -f sarif -o "$t/tree.sarif"
check "the tree gives findings of several rules" "$PY -c '
import json; d=json.load(open(\"$t/tree.sarif\")); run=d[\"runs\"][0]
assert len(run[\"tool\"][\"driver\"][\"rules\"]) >= 3 and len(run[\"results\"]) >= 3, run[\"results\"]'"
check "GitHub code scanning requirements hold" '$GH "$t/tree.sarif"'
check "and the official schema validates it" \
  '$PY "$SRC/tests/e2e/lib/validate.py" "$SRC/docs/schema/sarif-schema-2.1.0.json" "$t/tree.sarif"'
check "security-severity follows the level; precision; line 1 and the byte offset kept" "$PY - '$t/tree.sarif' <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))['runs'][0]
rules = run['tool']['driver']['rules']
band = {'error': (7.0, 10.0), 'warning': (4.0, 6.9), 'note': (0.0, 3.9)}
for r in rules:
    lo, hi = band[r['defaultConfiguration']['level']]
    assert lo <= float(r['properties']['security-severity']) <= hi, r
    assert r['properties']['precision'] == 'high'
for x in run['results']:
    assert x['level'] == rules[x['ruleIndex']]['defaultConfiguration']['level']
    reg = x['locations'][0]['physicalLocation']['region']
    assert reg['startLine'] == 1 and 'byteOffset' not in reg, reg
    assert isinstance(x['properties']['byteOffset'], int)
    fp = x['partialFingerprints']
    assert fp['primaryLocationLineHash'] == fp['postern/v1'] and len(fp['postern/v1']) == 64
assert any(x['level'] == 'error' for x in run['results'])
PY"

# The checker must be able to fail: one broken requirement at a time.
n=0
for mut in "r['locations'][0]['physicalLocation']['region'].pop('startLine')" \
           "r['locations'][0]['physicalLocation']['artifactLocation']['uri']='file:///etc/passwd'" \
           "r['locations']=[]" "r.pop('partialFingerprints')" "r['message'].pop('text'); r['message']['id']='m'" \
           "rule['properties']['tags']=['x']" "rule['properties']['security-severity']=9" \
           "rule.pop('fullDescription')" "rule['properties'].pop('precision')" "r['ruleIndex']=99"; do
  n=$((n + 1))
  $PY -c "
import json; d=json.load(open('$t/tree.sarif')); run=d['runs'][0]
r=run['results'][0]; rule=run['tool']['driver']['rules'][r['ruleIndex']]
$mut
json.dump(d, open('$t/bad$n.sarif','w'))"
  check "checker rejects: $mut" '! $GH "$t/bad$n.sarif" > /dev/null'
done
exit $fail
