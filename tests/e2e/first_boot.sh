#!/usr/bin/env bash
# OpenWrt's documented first-boot state (docs/first-boot.md) on an image made
# here: a squashfs root filesystem in OpenWrt's shape, written in our own words
# (root without a password in /etc/shadow, a login wrapper that tells the user
# to run passwd, telnet started only while root has no password, failsafe
# telnet, dropbear without -B).
#   - as shipped: root's empty password is account.first-boot-password (low,
#     naming the wrapper), never account.empty-password; nothing at medium or
#     above, verdict pass;
#   - the strict policy raises the first-boot state to medium (fail), and a
#     lab's own policy can ask for review of it;
#   - the same image with the gate removed from /etc/init.d/telnet (telnetd
#     started whatever root's password): account.empty-password critical, fail;
#   - the same image without the login wrapper (a planted empty password, no
#     first-boot mechanism): critical, fail;
#   - with dropbear -B (empty passwords over SSH): critical, fail;
#   - a root shell without login on the serial console (r44918's
#     `::askconsole:/bin/ash --login`): service.console-shell low (physical
#     access), pass; the strict policy raises it to medium, fail; the same
#     shell handed out by a telnetd in inittab: critical, fail.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
command -v mksquashfs > /dev/null || { echo "SKIP: mksquashfs not installed"; exit 0; }

# q JSON PYTHON-EXPR: exit 0 when the expression over findings F (and the
# report d) is true
q() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
F = d["findings"]
rank = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
def sev(f): return rank[f["severity"]]
def rule(r): return [f for f in F if f["rule"] == r]
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}

# the OpenWrt-like root filesystem
r=$t/root
mkdir -p "$r"/{bin,sbin,usr/sbin,etc/init.d,lib/preinit,root,tmp}
printf 'root:x:0:0:root:/root:/bin/ash\ndaemon:*:1:1:daemon:/var:/bin/false\n' > "$r/etc/passwd"
printf 'root::0:0:99999:7:::\ndaemon:*:0:0:99999:7:::\n' > "$r/etc/shadow"
cat > "$r/bin/login.sh" <<'EOF'
#!/bin/sh
# first login: no password yet, tell the owner how to set one
if grep -qs '^root::' /etc/shadow; then
	echo "There is no root password yet. Run 'passwd' to choose one."
	exec /bin/ash --login
fi
exec /bin/login
EOF
cat > "$r/etc/init.d/telnet" <<'EOF'
#!/bin/sh /etc/rc.common
START=50
USE_PROCD=1
has_root_pwd() {
	local pwd=$([ -f "$1" ] && cat "$1")
	pwd="${pwd#*root:}"
	pwd="${pwd%%:*}"
	test -n "${pwd#[\!x]}"
}
start_service() {
	if ! has_root_pwd /etc/passwd && ! has_root_pwd /etc/shadow; then
		procd_open_instance
		procd_set_param command /usr/sbin/telnetd -F -l /bin/login.sh
		procd_close_instance
	fi
}
EOF
cat > "$r/etc/init.d/dropbear" <<'EOF'
#!/bin/sh /etc/rc.common
START=50
USE_PROCD=1
start_service() {
	procd_open_instance
	procd_set_param command /usr/sbin/dropbear -F -P /var/run/dropbear.pid -p 22
	procd_close_instance
}
EOF
cat > "$r/lib/preinit/99_10_failsafe_login" <<'EOF'
failsafe_netlogin () {
	telnetd -l /bin/login.sh <> /dev/null 2>&1
}
boot_hook_add failsafe failsafe_netlogin
EOF
printf '::sysinit:/etc/init.d/rcS S boot\n::shutdown:/etc/init.d/rcS K shutdown\n' > "$r/etc/inittab"
printf '::askconsole:/bin/login.sh\n' >> "$r/etc/inittab"
chmod 755 "$r/bin/login.sh" "$r"/etc/init.d/*

pack() { # NAME: the root filesystem as it is now, as NAME.sqfs, scanned into NAME.json
  mksquashfs "$r" "$t/$1.sqfs" -all-root -noappend -quiet > /dev/null 2>&1 || { echo "not ok - mksquashfs $1"; fail=1; }
  "$POSTERN" scan "$t/$1.sqfs" --format json --no-run -o "$t/$1.json" "${@:2}"
}

pack stock
j=$t/stock.json
check "stock: root's empty password is the first-boot state, low, naming the wrapper" \
  "q '$j' 'len(rule(\"account.first-boot-password\")) == 1 and all(sev(f) == 1 and \"/bin/login.sh\" in f[\"message\"] and \"first-boot state\" in f[\"message\"] and f[\"location\"].endswith(\"!/etc/shadow\") for f in rule(\"account.first-boot-password\"))'"
check "stock: no account.empty-password" "q '$j' 'not rule(\"account.empty-password\")'"
check "stock: the gated and failsafe telnet are low" \
  "q '$j' 'len(rule(\"service.telnet\")) == 2 and all(sev(f) == 1 for f in rule(\"service.telnet\"))'"
check "stock: nothing at medium or above" "q '$j' 'all(sev(f) < 2 for f in F)'"
check "stock: verdict pass" "q '$j' 'd[\"verdict\"] == \"pass\"'"

"$POSTERN" scan "$t/stock.sqfs" --format json --no-run --policy strict -o "$t/strict.json"
check "strict policy: the first-boot state is medium and fails" \
  "q '$t/strict.json' 'all(sev(f) == 2 for f in rule(\"account.first-boot-password\")) and rule(\"account.first-boot-password\") and d[\"verdict\"] == \"fail\"'"
printf 'name: lab\nseverity:\n  account.first-boot-password: medium\n' > "$t/lab.yaml"
"$POSTERN" scan "$t/stock.sqfs" --format json --no-run --policy "$t/lab.yaml" -o "$t/lab.json"
check "a lab policy raising the first-boot state to medium: review" \
  "q '$t/lab.json' 'd[\"verdict\"] == \"review\"'"

# the gate removed: telnet runs whatever root's password
cp "$r/etc/init.d/telnet" "$t/telnet.gated"
sed -i -e '/if ! has_root_pwd/d' -e '/^\tfi$/d' "$r/etc/init.d/telnet"
grep -q has_root_pwd "$r/etc/init.d/telnet" && ! grep -q 'has_root_pwd /etc' "$r/etc/init.d/telnet" ||
  { echo "not ok - the gate was not removed"; fail=1; }
pack ungated
j=$t/ungated.json
check "telnet ungated: root's empty password is critical, naming the telnet script" \
  "q '$j' 'any(sev(f) == 4 and \"/etc/init.d/telnet\" in f[\"message\"] for f in rule(\"account.empty-password\"))'"
check "telnet ungated: no first-boot finding" "q '$j' 'not rule(\"account.first-boot-password\")'"
check "telnet ungated: the telnet itself is medium" \
  "q '$j' 'any(sev(f) == 2 and f[\"location\"].endswith(\"/etc/init.d/telnet\") for f in rule(\"service.telnet\"))'"
check "telnet ungated: fail" "q '$j' 'd[\"verdict\"] == \"fail\"'"
cp "$t/telnet.gated" "$r/etc/init.d/telnet"

# no first-boot mechanism: an empty root password planted into an image
mv "$r/bin/login.sh" "$t/login.sh"
pack planted
check "no login wrapper: root's empty password is critical, fail" \
  "q '$t/planted.json' 'any(sev(f) == 4 for f in rule(\"account.empty-password\")) and not rule(\"account.first-boot-password\") and d[\"verdict\"] == \"fail\"'"
mv "$t/login.sh" "$r/bin/login.sh"

# dropbear told to accept empty passwords
sed -i 's/ -p 22/ -B -p 22/' "$r/etc/init.d/dropbear"
pack dropbear_b
check "dropbear -B: root's empty password is critical, fail" \
  "q '$t/dropbear_b.json' 'any(sev(f) == 4 for f in rule(\"account.empty-password\")) and d[\"verdict\"] == \"fail\"'"
sed -i 's/ -B -p 22/ -p 22/' "$r/etc/init.d/dropbear"

# a shell without login on the serial console, as r44918 ships it
sed -i 's|^::askconsole:.*|::askconsole:/bin/ash --login|' "$r/etc/inittab"
pack console
j=$t/console.json
check "console shell: service.console-shell low, for physical access" \
  "q '$j' 'len(rule(\"service.console-shell\")) == 1 and all(sev(f) == 1 and \"physical access: serial console shell without login\" in f[\"message\"] for f in rule(\"service.console-shell\"))'"
check "console shell: nothing at medium or above, pass" \
  "q '$j' 'all(sev(f) < 2 for f in F) and d[\"verdict\"] == \"pass\"'"
"$POSTERN" scan "$t/console.sqfs" --format json --no-run --policy strict -o "$t/console-strict.json"
check "console shell, strict policy: medium, fail" \
  "q '$t/console-strict.json' 'rule(\"service.console-shell\") and all(sev(f) == 2 for f in rule(\"service.console-shell\")) and d[\"verdict\"] == \"fail\"'"
# the same shell handed out over the network by a telnetd
printf '::respawn:/usr/sbin/telnetd -F -l /bin/ash\n' >> "$r/etc/inittab"
pack console_telnet
j=$t/console_telnet.json
check "the shell through telnetd: unauthenticated shell critical, root critical, fail" \
  "q '$j' 'any(sev(f) == 4 for f in rule(\"service.unauthenticated-shell\")) and any(sev(f) == 4 for f in rule(\"account.empty-password\")) and d[\"verdict\"] == \"fail\"'"
exit $fail
