/* test_access_fsperm.c - setuid/setgid, world-writable, hidden, disguised. */
#include "access_cases.h"

static const struct acase cases[] = {
	{ "setuid shell by name", "mkdir -p lib/.x && cp /bin/true lib/.x/sh && chmod 4755 lib/.x/sh",
	  "fs.setuid-shell", "/lib/.x/sh", CRIT, CRIT },
	{ "setuid copy of the shell by content", "cp /bin/true bin/busybox && cp bin/busybox usr/bin/netcfg-helper && chmod 4755 usr/bin/netcfg-helper",
	  "fs.setuid-shell", "/usr/bin/netcfg-helper", CRIT, CRIT },
	{ "setuid interpreter", "cp /bin/true usr/bin/python3 && chmod 4755 usr/bin/python3",
	  "fs.setuid-shell", "/usr/bin/python3", CRIT, CRIT },
	{ "setuid in a hidden path", "mkdir -p usr/lib/.cache && cp /bin/true usr/lib/.cache/helper && chmod 4755 usr/lib/.cache/helper",
	  "fs.setuid-hidden", "/usr/lib/.cache/helper", HIGH, HIGH },
	{ "unexpected setuid", "cp /bin/true usr/bin/vendor-tool && chmod 4755 usr/bin/vendor-tool",
	  "fs.unexpected-setuid", "/usr/bin/vendor-tool", MED, MED },
	{ "silent: expected setuid", "cp /bin/true bin/su && chmod 4755 bin/su && cp /bin/true usr/bin/passwd && chmod 4755 usr/bin/passwd && cp /bin/true usr/bin/screen && chmod 2755 usr/bin/screen",
	  "fs.unexpected-setuid", NULL, 0, 0 },
	{ "silent: no setuid shell", "cp /bin/true bin/busybox && ln -s busybox bin/sh && cp /bin/false bin/su && chmod 4755 bin/su",
	  "fs.setuid-shell", NULL, 0, 0 },
	{ "world-writable program", "cp /bin/true usr/bin/tool && chmod 0777 usr/bin/tool",
	  "fs.world-writable", "/usr/bin/tool", HIGH, HIGH },
	{ "world-writable directory", "mkdir -p etc/init.d && chmod 0777 etc/init.d",
	  "fs.world-writable", "/etc/init.d", HIGH, HIGH },
	{ "silent: sticky /tmp, devices, 644", "mkdir -p tmp dev && chmod 1777 tmp && cp /bin/true usr/bin/tool && chmod 0755 usr/bin/tool && mkdir -p usr/share/x && chmod 0777 usr/share/x",
	  "fs.world-writable", NULL, 0, 0 },
	{ "hidden directory in /dev", "mkdir -p dev/.x && echo data > dev/.x/conf",
	  "fs.hidden-path", "/dev/.x", MED, MED },
	{ "hidden program in /lib", "cp /bin/true lib/.rootkit", "fs.hidden-path", "/lib/.rootkit", HIGH, HIGH },
	{ "silent: benign dotfiles", "mkdir -p etc/skel usr/lib/debug/.build-id/ab && echo x > etc/skel/.bashrc && touch etc/.pwd.lock usr/lib/.keep && echo x > usr/lib/debug/.build-id/ab/cd.debug",
	  "fs.hidden-path", NULL, 0, 0 },
	{ "silent: dotfiles deep in a package", "mkdir -p usr/lib/node_modules/x/.github && echo x > usr/lib/node_modules/x/.npmignore && echo y > usr/lib/node_modules/x/.github/cfg",
	  "fs.hidden-path", NULL, 0, 0 },
	{ "ELF named like an image", "cp /bin/true usr/bin/logo.jpg", "fs.disguised-executable", "/usr/bin/logo.jpg", HIGH, HIGH },
	{ "ELF named like a kernel thread", "cp /bin/true usr/bin/'[kworker0]'", "fs.disguised-executable", "/usr/bin/[kworker0]", HIGH, HIGH },
	{ "silent: [ and text files", "cp /bin/true usr/bin/'[' && echo hi > usr/bin/readme.txt",
	  "fs.disguised-executable", NULL, 0, 0 },
};

ACASES(cases)
