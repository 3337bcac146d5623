#!/usr/bin/env bash
# Hidden commands (backdoor.magic-trigger, src/analyze/compares.c): ten small
# servers and modules of our own (tests/hidden/), each clean and back-doored,
# built here for x86-64, armel, mipsel, aarch64 and i386 (dynamic, stripped),
# armel as Thumb-1 and Thumb-2 code (dynamic, stripped) and armel static: every
# back-doored build fails with the trigger constant and what it unlocks as
# evidence; no clean build gets the rule at all. Stock servers stay silent:
# the five real router images and Debian's web, FTP, SSH, DNS and NTP
# servers (fetched once into the package cache, skipped when they cannot be
# had). Never runs any of the programs.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
. "$(dirname "$0")/lib/debs.sh"

sh "$SRC/tests/hidden/build.sh" "$t/b" >/dev/null 2>&1 || { echo "not ok - build"; exit 1; }
rm -rf "$t/b"/*-lib
"$POSTERN" scan "$t/b" --format json --no-progress -o "$t/b.json"

# "constant|unlock" of the magic-trigger findings on the file, one a line
triggers() {
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    if f["rule"] == "backdoor.magic-trigger" and f["location"].endswith(sys.argv[2]):
        print(f["severity"], f.get("evidence", ""))
PY
}
# "severity evidence" of rule $2's findings on the file $3, one a line
rule_on() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    if f["rule"] == sys.argv[2] and f["location"].endswith(sys.argv[3]):
        print(f["severity"], f.get("evidence", ""))
PY
}
# the verdict one file alone would get: fail at high or critical
verdict_at() {
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
sev = {f["severity"] for f in d["findings"] if f["location"].endswith(sys.argv[2])}
print("fail" if sev & {"high", "critical"} else "not fail")
PY
}
verdict_of() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['verdict'])" "$1"; }

arches="x86_64 armel mipsel aarch64 i386 armel-thumb armel-thumb2 armel-static"
# name, the constant (its first bytes as the evidence quotes them), what it unlocks
for spec in "websecret|'/dev.cgi'|system(<computed command>)" \
	"webua|'xmlset_roodkcableoj28840ybtide'|success path of the password check" \
	"cfgmagic|'ScMM'|nvram_" \
	"udpcmd|'w302|popen(<computed command>)" \
	"ftpsmile|':)'|execl(\"/bin/sh\")" \
	"ftphelp|'ACIDBITCHEZ'|system(\"/bin/sh\")"; do
	IFS='|' read -r n want what <<<"$spec"
	for arch in $arches; do
		ev=$(triggers "$t/b.json" "/$arch/$n-backdoor")
		check "$arch/$n-backdoor: trigger $want unlocks $what" \
			'grep -qF -- "$want" <<<"$ev" && grep -qF -- "$what" <<<"$ev"'
		check "$arch/$n-backdoor: high or critical" 'grep -qE "^(high|critical) " <<<"$ev"'
	done
done
# a datagram read with recvmsg() whose first word is compared as an integer
# (bench/backdoor_pairs/dhcp6c-magic.patch's shape). On mipsel gcc hoists
# the magic into $s6 before the loop and loads system()'s GOT slot into $t9
# in the compare's delay slot.
# udpcold: the same compare in a block gcc moves out of line, after the
# function's body (dhcp6c's layout on armel and mipsel): found from the
# branch that leads there; on mipsel the magic is spilled to the frame
# before the loop and must survive the receive.
for n in udpmsg udpcold; do
	for arch in $arches; do
		ev=$(triggers "$t/b.json" "/$arch/$n-backdoor")
		check "$arch/$n-backdoor: trigger 'zooM' unlocks system(<computed command>)" \
			'grep -qF -- "'"'"'zooM'"'"'" <<<"$ev" && grep -qF -- "system(<computed command>)" <<<"$ev"'
	done
done
# lighttpd's two shapes (bench/backdoor_pairs/lighttpd-{devcgi,useragent}.patch):
# webwrap compares the path through its own out-of-line wrapper of memcmp
# (compwrap.c; Thumb wrappers are not looked for); modauth is a web server's
# module (a shared object exporting mod_hauth_plugin_init) whose secret
# User-Agent returns before the check it calls through a function pointer.
for arch in x86_64 armel mipsel armel-static; do
	ev=$(triggers "$t/b.json" "/$arch/webwrap-backdoor")
	check "$arch/webwrap-backdoor: '/dbg.cgi' through the wrapper unlocks popen" \
		'grep -qF -- "critical '"'"'/dbg.cgi'"'"' (memcmp wrapper at" <<<"$ev" &&
		 grep -qF -- "popen(<computed command>)" <<<"$ev"'
done
for arch in x86_64 armel mipsel aarch64 i386 armel-thumb armel-thumb2; do
	ev=$(triggers "$t/b.json" "/$arch/modauth-backdoor")
	check "$arch/modauth-backdoor: the User-Agent skips the handler's check" \
		'grep -qF -- "high '"'"'mod_agent_5c1e77a0b9'"'"' (strcmp at" <<<"$ev" &&
		 grep -qF -- "a return past the handler" <<<"$ev"'
done
for arch in $arches; do
	for n in websecret webua cfgmagic udpcmd udpmsg udpcold ftpsmile ftphelp webwrap modauth; do
		[ "$arch/$n" = armel-static/modauth ] && continue
		ev=$(triggers "$t/b.json" "/$arch/$n-clean")
		check "$arch/$n-clean: silent" '[ -z "$ev" ]'
	done
done
# Stripped static builds (-static -s): the library functions have no
# names; libfuncs.c recognises them by what they do (the system call in
# a wrapper, the function that loads "/bin/sh" and "-c", a strcmp-like
# byte difference). Found: the back doors compared with strcmp or inline;
# not yet: strstr (ftpsmile), NVRAM (cfgmagic, webua: the stub library is
# linked in without names).
# cfgmagic's stripped builds are found without the names: the port bind()
# gets and the magic compared after recv() (read from the branch past the
# short-read return), capability.magic-port-server, high; its clean build
# answers GET on the same port and gets the same rule (its dynamic build is
# critical as capability.unauthenticated-config-server), not the trigger.
for arch in x86_64-stripped armel-stripped mipsel-stripped; do
	for n in ftphelp websecret udpcmd udpmsg udpcold; do
		ev=$(triggers "$t/b.json" "/$arch/$n-backdoor")
		check "$arch/$n-backdoor: a trigger unlocks system()" \
			'grep -qE "^critical .* unlocks system\(" <<<"$ev"'
	done
	for n in websecret webua cfgmagic udpcmd udpmsg udpcold ftpsmile ftphelp; do
		ev=$(triggers "$t/b.json" "/$arch/$n-clean")
		check "$arch/$n-clean: silent" '[ -z "$ev" ]'
	done
	ev=$(triggers "$t/b.json" "/$arch/ftphelp-backdoor")
	check "$arch/ftphelp-backdoor: 'ACIDBITCHEZ' (strcmp-like) unlocks system(\"/bin/sh\")" \
		'grep -qF -- "'"'"'ACIDBITCHEZ'"'"' (strcmp-like" <<<"$ev" &&
		grep -qF "system(\"/bin/sh\")" <<<"$ev"'
	ev=$(triggers "$t/b.json" "/$arch/websecret-backdoor")
	check "$arch/websecret-backdoor: '/dev.cgi'" 'grep -qF -- "'"'"'/dev.cgi'"'"'" <<<"$ev"'
	ev=$(triggers "$t/b.json" "/$arch/udpmsg-backdoor")
	check "$arch/udpmsg-backdoor: 'zooM'" 'grep -qF -- "'"'"'zooM'"'"'" <<<"$ev"'
	ev=$(rule_on "$t/b.json" capability.magic-port-server "/$arch/cfgmagic-backdoor")
	check "$arch/cfgmagic-backdoor: magic 0x4d4d6353 on port 32764, high" \
		'grep -qE "^(high|critical) .*unusual port 32764, magic 0x4d4d6353" <<<"$ev"'
	check "$arch/cfgmagic-backdoor: fails" \
		'[ "$(verdict_at "$t/b.json" "/$arch/cfgmagic-backdoor")" = fail ]'
done
check "the back-doored builds fail" '[ "$(verdict_of "$t/b.json")" = fail ]'

# stock servers stay silent
for f in "$SRC"/tests/fixtures/real/*.bin "$SRC"/tests/fixtures/real/*.img; do
	[ -f "$f" ] || continue
	"$POSTERN" scan "$f" --format json --no-progress -o "$t/real.json"
	check "$(basename "$f"): silent" '[ -z "$(triggers "$t/real.json" "")" ]'
done
mkdir -p "$t/debs"
n=0
for spec in lighttpd:amd64 lighttpd:mipsel mini-httpd:amd64 mini-httpd:armel mini-httpd:mipsel \
	proftpd-core:amd64 proftpd-core:mipsel vsftpd:amd64 vsftpd:armel vsftpd:mipsel \
	dropbear-bin:amd64 dropbear-bin:mipsel dnsmasq-base:amd64 dnsmasq-base:mipsel \
	openssh-server:amd64 ntpsec:amd64 openntpd:amd64 wide-dhcpv6-client:mipsel \
	lighttpd:arm64 lighttpd:i386 mini-httpd:arm64 mini-httpd:i386 proftpd-core:arm64 \
	proftpd-core:i386 vsftpd:arm64 vsftpd:i386 dropbear-bin:arm64 dropbear-bin:i386 \
	dnsmasq-base:arm64 dnsmasq-base:i386 openssh-server:arm64 openssh-server:i386 \
	ntpsec:arm64 openntpd:i386 wide-dhcpv6-client:arm64 wide-dhcpv6-client:i386; do
	f=$(cached_deb "$spec")
	if [ -z "$f" ]; then
		echo "skip - $spec: not downloadable here"
		continue
	fi
	cp "$f" "$t/debs/"
	n=$((n + 1))
done
if [ "$n" -gt 0 ]; then
	"$POSTERN" scan "$t/debs" --format json --no-progress -o "$t/debs.json"
	check "$n Debian server packages: silent" '[ -z "$(triggers "$t/debs.json" "")" ]'
fi
exit $fail
