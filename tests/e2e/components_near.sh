#!/usr/bin/env bash
# Components whose programs print their version through %s (issue 18): each
# is a small program compiled here (never run) that keeps the version as a
# lone string and prints it beside the text the real program uses (the
# near: patterns of rules/components/); scanned from binaries alone, each
# gives its component and version, and the same program without the
# identifying text, or with two different lone versions beside it, gives
# none. With a mipsel cross compiler the programs are built for it too.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
command -v cc > /dev/null || { echo "skip - no cc"; exit 77; }
export POSTERN_COMPONENTS=binaries

# prog CC DIR NAME ANCHOR VERSION [VERSION2]: ANCHOR printed with the version
prog() {
  mkdir -p "$2"
  { printf '#include <stdio.h>\nint main(int argc, char **argv)\n{\n\t(void)argv;\n'
    printf '\tif (argc > 1)\n\t\tprintf("%%s %%s\\n", "%s", "%s");\n' "$4" "$5"
    [ -n "${6:-}" ] && printf '\tif (argc > 2)\n\t\tputs("%s");\n' "$6"
    printf '\treturn 0;\n}\n'; } > "$t/$3.c"
  "$1" -O2 -o "$2/$3" "$t/$3.c"
}
# name|component|version|anchor (C string syntax)
cases='bluetoothd|bluez|5.66|BlueZ %s
btmon|bluez|5.66|Bluetooth monitor ver %s\n
chronyc|chrony|4.3|chronyc> 
iptables-xml|iptables|1.8.9|</iptables-rules>
charon-systemd|strongswan|5.9.8|charon-systemd
ld-musl|musl|1.2.3|Unsupported request %d
perl|perl|v5.36.0|PERL_INTERNAL_RAND_SEED
python3|python|3.11.2|Python %s\n
ip|iproute2|6.1.0|Option \"%s\" is unknown, try \"
dhclient|isc-dhcp|4.4.3-P1|dhclient.c
ntpd|ntpsec|1.2.2|ntpd ntpsec-%s'

run() { # CC LABEL
  local cc=$1 label=$2 d="$t/$2"
  while IFS='|' read -r name comp ver anchor; do
    prog "$cc" "$d/$name" "$name" "$anchor" "$ver" || return 1
  done <<< "$cases"
  "$POSTERN" scan "$d" --no-progress --no-run --inventory -f json -o "$t/$label.json" || true
  check "$label: each program gives its component and version" "python3 - '$t/$label.json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((c['files'][0]['location'].split('!')[-1].split('/')[1], c['name'], c['version']) for c in d['components'])
want = sorted([('bluetoothd', 'bluez', '5.66'), ('btmon', 'bluez', '5.66'), ('chronyc', 'chrony', '4.3'),
    ('iptables-xml', 'iptables', '1.8.9'), ('charon-systemd', 'strongswan', '5.9.8'),
    ('ld-musl', 'musl', '1.2.3'), ('perl', 'perl', '5.36.0'), ('python3', 'python', '3.11.2'),
    ('ip', 'iproute2', '6.1.0'), ('dhclient', 'isc-dhcp', '4.4.3-P1'), ('ntpd', 'ntpsec', '1.2.2')])
# bluez is one component found in two files
files = {(c['name'], c['version']): sorted(f['location'].split('/')[-1] for f in c['files']) for c in d['components']}
assert files[('bluez', '5.66')] == ['bluetoothd', 'btmon'], files
assert sorted(set((w[1], w[2]) for w in want)) == sorted(files), sorted(files)
PY"
}
run cc host
if command -v mipsel-linux-gnu-gcc > /dev/null; then run mipsel-linux-gnu-gcc mipsel; fi

# Near misses: the version without the identifying text; the text with two
# different lone versions beside it.
prog cc "$t/miss/a" lone 'nothing to see here' 5.66
prog cc "$t/miss/b" bluetoothd 'BlueZ %s' 5.66 5.67
"$POSTERN" scan "$t/miss" --no-progress --no-run --inventory -f json -o "$t/miss.json" || true
check "no identifying text, or two versions beside it: no component" \
  "python3 -c \"import json,sys; sys.exit(len(json.load(open('$t/miss.json')).get('components', [])) != 0)\""
exit $fail
