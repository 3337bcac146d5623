#!/usr/bin/env bash
# No script.* finding, and nothing at high or above, on Debian's own Perl,
# Python and Lua programs that do what the script rules look for in benign
# ways: needrestart and debian-goodies' checkrestart walk /proc/<pid>/exe
# for deleted programs and kill nothing, lua-socket and python3-psutil are
# network and process libraries, and the host's own Perl and Python
# libraries (/usr/share/perl5, /usr/lib/python3*) when present.
# Packages come from lib/debs.sh's cache (apt-get download, kept between
# runs); without the Debian mirror or the cached files the case is skipped,
# never faked.
set -u
fail=0
checked=0
check() {
	checked=$((checked + 1))
	if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi
}
. "$(dirname "$0")/lib/debs.sh"
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
pkgs="needrestart debian-goodies lua-socket python3-psutil"

# script findings and findings at high or above, from the JSON report
bad() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
bad = [f for f in d["findings"]
       if f["rule"].startswith("script.") or f["severity"] in ("high", "critical")]
for f in bad:
    print(f["rule"], f["location"], file=sys.stderr)
print(len(bad))
PY
}

for p in $pkgs; do
	deb=$(cached_deb "$p")
	[ -n "$deb" ] || continue
	"$POSTERN" scan "$deb" --format json -o "$t/$p.json" >/dev/null
	check "$p: no script finding, nothing high" '[ "$(bad "$t/$p.json")" = 0 ]'
done
for d in /usr/share/perl5 /usr/lib/python3; do
	[ -d "$d" ] || continue
	"$POSTERN" scan "$d" --format json -o "$t/host.json" >/dev/null
	check "$d: no script finding" \
		'[ "$(python3 -c "import json,sys; print(sum(f[\"rule\"].startswith(\"script.\") for f in json.load(open(sys.argv[1]))[\"findings\"]))" "$t/host.json")" = 0 ]'
done
if [ "$checked" = 0 ]; then
	echo "skip: no Debian package and no host library to scan"
	exit 77
fi
exit $fail
