/* test_access_accounts.c - accounts analyzer: every rule fires, and stays
 * silent on clean input. */
#include "access_cases.h"

#define PASSWD "printf 'root:x:0:0:root:/root:/bin/sh\\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\\n' > etc/passwd"
#define MD5(pw) "$(openssl passwd -1 -salt Qx7 '" pw "')"
#define SHA512(pw) "$(openssl passwd -6 -salt Qx7aaaaa '" pw "')"

/* A distribution's first-configuration mechanism, in the shape of OpenWrt's
 * login wrapper (our own words): it tests root's shadow line and tells the
 * user to set a password. */
#define FIRSTCONFIG " && printf 'root::19000:0:99999:7:::\\n' > etc/shadow && " \
	"printf '#!/bin/sh\\nif grep -qs \"^root::\" /etc/shadow; then\\n" \
	"  echo \"Root has no password: run \x27passwd\x27 to choose one.\"\\nfi\\nexec /bin/sh --login\\n' > bin/login-wrapper.sh"

/* The same wrapper in the shape of OpenWrt 14.07's /bin/login.sh, whose
 * test also takes "!" or "x" in root's entry for no password, with root's
 * shadow entry "x" (tl-wr703n r42647 ships that). */
#define WRAPPER_X(pattern) "printf '#!/bin/sh\\nif grep -qs \"" pattern "\" /etc/shadow; " \
	"then\\n  echo \"Use \\047passwd\\047 to set your login password\"\\nfi\\n" \
	"exec /bin/ash --login\\n' > bin/login.sh"
/* an init script that starts telnetd with OpenWrt's login wrapper, after
 * the given text (a gate, or nothing) */
#define INITD_TELNET(before) "mkdir -p etc/init.d && printf '#!/bin/sh\\n" before \
	"/usr/sbin/telnetd -l /bin/login.sh\\n' > etc/init.d/telnet"
#define SHADOW_X " && printf 'root:x:0:0:99999:7:::\\n' > etc/shadow && "

static const struct acase cases[] = {
	{ "extra uid0, weak hash", PASSWD " && echo \"toor:" MD5("S3cr3t-x") ":0:0::/root:/bin/sh\" >> etc/passwd",
	  "account.extra-uid0", "/etc/passwd", HIGH, HIGH },
	{ "extra uid0, locked", PASSWD " && echo 'installer:*:0:0::/:/bin/network-console' >> etc/passwd"
	  " && printf '#!/bin/sh\\nexec /bin/sh\\n' > bin/network-console",
	  "account.extra-uid0", "/etc/passwd", MED, MED },
	{ "extra uid0, no shadow file", PASSWD " && echo 'installer:x:0:0::/:/bin/sh' >> etc/passwd"
	  " && printf '#!/bin/sh\\n' > bin/sh",
	  "account.extra-uid0", "/etc/passwd", MED, MED },
	/* Debian's installer: no shadow file and a login program the image
	 * does not carry (network-console comes only for an SSH install) */
	{ "extra uid0, no password, login program absent: low", PASSWD
	  " && echo 'installer:x:0:0:installer:/:/bin/network-console' >> etc/passwd",
	  "account.extra-uid0", "/etc/passwd", LOW, LOW },
	{ "extra uid0, locked, login program absent: low", PASSWD
	  " && echo 'installer:*:0:0:installer:/:/bin/network-console' >> etc/passwd",
	  "account.extra-uid0", "/etc/passwd", LOW, LOW },
	/* a directory that is a link (merged /usr) may hold it elsewhere */
	{ "extra uid0, login program's directory a link: medium", PASSWD
	  " && rm -rf bin && ln -s usr/bin bin && echo 'installer:x:0:0::/:/bin/network-console' >> etc/passwd",
	  "account.extra-uid0", "/etc/passwd", MED, MED },
	{ "extra uid0, usable password, login program absent: still high", PASSWD
	  " && echo \"toor:" MD5("S3cr3t-x") ":0:0::/root:/bin/rootsh\" >> etc/passwd",
	  "account.extra-uid0", "/etc/passwd", HIGH, HIGH },
	{ "extra uid0, empty password, login program absent: still critical", PASSWD
	  " && echo 'toor::0:0::/root:/bin/rootsh' >> etc/passwd",
	  "account.extra-uid0", "/etc/passwd", CRIT, CRIT },
	{ "extra uid0 silent", PASSWD, "account.extra-uid0", NULL, 0, 0 },
	{ "root empty password", "echo 'root::0:0:root:/root:/bin/sh' > etc/passwd",
	  "account.empty-password", "/etc/passwd", CRIT, CRIT },
	{ "empty password in shadow", PASSWD " && printf 'root::19000:0:99999:7:::\\n' > etc/shadow",
	  "account.empty-password", "/etc/shadow", CRIT, CRIT },
	/* the documented first-boot state: low, under its own rule (a policy
	 * raises it), and the critical rule stays silent */
	{ "empty root password with the first-configuration mechanism: first-boot, low",
	  PASSWD FIRSTCONFIG, "account.first-boot-password", "/etc/shadow", LOW, LOW },
	{ "silent: no empty-password finding in the first-boot state", PASSWD FIRSTCONFIG,
	  "account.empty-password", NULL, 0, 0 },
	{ "first-boot, telnet gated on root's password: low", PASSWD FIRSTCONFIG " && "
	  INITD_TELNET("has_root_pwd /etc/shadow || "), "account.first-boot-password",
	  "/etc/shadow", LOW, LOW },
	{ "first-boot, failsafe-only telnet: low", PASSWD FIRSTCONFIG " && mkdir -p lib/preinit"
	  " && printf 'fs() {\\n telnetd -l /bin/login.sh\\n}\\nboot_hook_add failsafe fs\\n'"
	  " > lib/preinit/99_10_failsafe_login", "account.first-boot-password", "/etc/shadow",
	  LOW, LOW },
	{ "first-boot, dropbear without -B: low", PASSWD FIRSTCONFIG " && mkdir -p etc/init.d"
	  " && printf '#!/bin/sh\\n/usr/sbin/dropbear -p 22\\n' > etc/init.d/dropbear",
	  "account.first-boot-password", "/etc/shadow", LOW, LOW },
	{ "first-boot, a shell without login on the serial console: low (physical access)",
	  PASSWD FIRSTCONFIG " && printf '::askconsole:/bin/ash --login\\n' > etc/inittab",
	  "account.first-boot-password", "/etc/shadow", LOW, LOW },
	{ "silent: a serial console shell does not make root's first-boot state critical",
	  PASSWD FIRSTCONFIG " && printf '::askconsole:/bin/ash --login\\n' > etc/inittab",
	  "account.empty-password", NULL, 0, 0 },
	{ "first-boot, the same shell through telnetd in inittab: critical", PASSWD FIRSTCONFIG
	  " && printf '::respawn:/usr/sbin/telnetd -F -l /bin/ash\\n' > etc/inittab",
	  "account.empty-password", "/etc/shadow", CRIT, CRIT },
	{ "root's shadow 'x' read as no password by the mechanism: first-boot, low",
	  PASSWD SHADOW_X WRAPPER_X("^root:[!x]\\\\?:"), "account.first-boot-password",
	  "/etc/shadow", LOW, LOW },
	{ "silent: root's shadow 'x', a mechanism that tests for an empty field", PASSWD SHADOW_X
	  WRAPPER_X("^root::"), "account.empty-password", NULL, 0, 0 },
	{ "silent: root's shadow 'x', a mechanism that tests for an empty field (first-boot)",
	  PASSWD SHADOW_X WRAPPER_X("^root::"), "account.first-boot-password", NULL, 0, 0 },
	{ "silent: root's shadow 'x' and no mechanism", PASSWD SHADOW_X "true",
	  "account.empty-password", NULL, 0, 0 },
	{ "silent: empty root password without the mechanism is no first-boot state",
	  PASSWD " && printf 'root::19000:0:99999:7:::\\n' > etc/shadow",
	  "account.first-boot-password", NULL, 0, 0 },
	/* telnet started whatever root's password: the empty password is a
	 * network login, as severe as without the mechanism */
	{ "first-configuration mechanism, telnetd with login started unconditionally: critical",
	  PASSWD FIRSTCONFIG " && " INITD_TELNET(""), "account.empty-password", "/etc/shadow",
	  CRIT, CRIT },
	{ "silent: no first-boot finding when telnet runs unconditionally", PASSWD FIRSTCONFIG
	  " && " INITD_TELNET(""), "account.first-boot-password", NULL, 0, 0 },
	{ "first-configuration mechanism, the gate defined but unused: critical", PASSWD
	  FIRSTCONFIG " && " INITD_TELNET("has_root_pwd() { grep -q ^root:: /etc/shadow; }\\n"),
	  "account.empty-password", "/etc/shadow", CRIT, CRIT },
	{ "root's shadow 'x' under the mechanism, telnetd in inittab: critical", PASSWD SHADOW_X
	  WRAPPER_X("^root:[!x]\\\\?:")
	  " && printf '::respawn:/usr/sbin/telnetd -F -l /bin/login.sh\\n' > etc/inittab",
	  "account.empty-password", "/etc/shadow", CRIT, CRIT },
	{ "first-configuration mechanism, but dropbear -B lets it in: critical", PASSWD FIRSTCONFIG
	  " && mkdir -p etc/init.d && printf '#!/bin/sh\\n/usr/sbin/dropbear -B -p 22\\n' > etc/init.d/sshd",
	  "account.empty-password", "/etc/shadow", CRIT, CRIT },
	{ "first-configuration mechanism, but telnetd hands out a shell: critical", PASSWD FIRSTCONFIG
	  " && mkdir -p etc/init.d && printf '#!/bin/sh\\ntelnetd -l /bin/sh\\n' > etc/init.d/rcS",
	  "account.empty-password", "/etc/shadow", CRIT, CRIT },
	{ "a banner that names passwd without testing root's entry: still critical", PASSWD
	  " && printf 'root::19000:0:99999:7:::\\n' > etc/shadow && echo \"Use 'passwd' to change your password\" > etc/motd",
	  "account.empty-password", "/etc/shadow", CRIT, CRIT },
	{ "first-configuration mechanism does not cover a second uid-0 account", PASSWD FIRSTCONFIG
	  " && echo 'toor::0:0::/root:/bin/sh' >> etc/passwd",
	  "account.empty-password", "/etc/passwd", CRIT, CRIT },
	{ "empty password silent (locked)", PASSWD " && printf 'root:!:19000::::::\\ndaemon:*:19000::::::\\n' > etc/shadow",
	  "account.empty-password", NULL, 0, 0 },
	{ "default password in shadow", PASSWD " && echo \"root:" SHA512("admin") ":19000:0:99999:7:::\" > etc/shadow",
	  "account.default-password", "/etc/shadow", CRIT, CRIT },
	{ "default password (Mirai list) md5", "echo \"admin:" MD5("xc3511") ":1000:1000::/home/admin:/bin/sh\" > etc/passwd",
	  "account.default-password", "/etc/passwd", HIGH, HIGH },
	{ "default password silent", PASSWD " && echo \"root:" SHA512("S3cr3t-unique-long") ":19000:0:99999:7:::\" > etc/shadow",
	  "account.default-password", NULL, 0, 0 },
	{ "weak hash (md5crypt) for root", PASSWD " && echo \"root:" MD5("S3cr3t-y") ":19000::::::\" > etc/shadow",
	  "account.weak-hash", "/etc/shadow", HIGH, HIGH },
	{ "weak hash (DES) for a user", "echo \"alice:$(python3 -c \"import crypt;print(crypt.crypt('S3cr3t-z','ab'))\" 2>/dev/null):1000:1000::/home/alice:/bin/sh\" > etc/passwd",
	  "account.weak-hash", "/etc/passwd", MED, MED },
	{ "weak hash silent (sha512crypt)", PASSWD " && echo \"root:" SHA512("S3cr3t-unique-long") ":19000::::::\" > etc/shadow",
	  "account.weak-hash", NULL, 0, 0 },
	{ "service account with a shell", "printf 'root:*:0:0::/root:/bin/sh\\nftp:*:21:21::/srv/ftp:/bin/sh\\n' > etc/passwd",
	  "account.service-shell", "/etc/passwd", LOW, LOW },
	{ "service account silent", PASSWD, "account.service-shell", NULL, 0, 0 },
	{ "htpasswd plaintext", "mkdir -p www && echo 'admin:S3cr3t-web' > www/.htpasswd",
	  "account.plaintext-password", "/www/.htpasswd", HIGH, HIGH },
	{ "htpasswd default {SHA}", "mkdir -p etc/lighttpd && echo \"admin:{SHA}$(printf admin | openssl dgst -sha1 -binary | base64)\" > etc/lighttpd/lighttpd.htpasswd",
	  "account.default-password", "/etc/lighttpd/lighttpd.htpasswd", HIGH, HIGH },
	{ "htpasswd plaintext, gzip-compressed", "mkdir -p www && echo 'admin:S3cr3t-web' | gzip > www/.htpasswd.gz",
	  "account.plaintext-password", "/www/.htpasswd.gz!/.htpasswd", HIGH, HIGH },
	{ "silent: examples in a compressed man page", "mkdir -p usr/share/man/man1 && printf 'htpasswd example\\nadmin:S3cr3t-web\\n' | gzip > usr/share/man/man1/htpasswd.1.gz",
	  "account.plaintext-password", NULL, 0, 0 },
	{ "htpasswd silent (bcrypt-like)", "mkdir -p www && echo \"admin:" SHA512("S3cr3t-unique-long") "\" > www/.htpasswd",
	  "account.plaintext-password", NULL, 0, 0 },
	{ "embedded passwd template", "mkdir -p etc/config && echo 'root::0:0:root:/root:/bin/ash' > etc/config/passwd",
	  "account.empty-password", "/etc/config/passwd", CRIT, CRIT },
	{ "privileged group", PASSWD " && printf 'root:x:0:\\nsudo:x:27:alice\\n' > etc/group",
	  "account.privileged-group", "/etc/group", LOW, LOW },
	{ "privileged group silent", PASSWD " && printf 'root:x:0:\\nsudo:x:27:\\nusers:x:100:alice\\n' > etc/group",
	  "account.privileged-group", NULL, 0, 0 },
};

ACASES(cases)
