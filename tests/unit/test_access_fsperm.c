/* test_access_fsperm.c - setuid/setgid, world-writable, hidden, disguised. */
#include "access_cases.h"

/* A tree r/ with a program, packed into a squashfs image at the end. */
#define SQ_PREP "mkdir -p r/usr/bin r/etc && cp /bin/true r/usr/bin/tool && "
#define SQ_PACK " && mksquashfs r fs.img -quiet -noappend >/dev/null && rm -rf r"
/* OpenWrt's preinit shape: the root becomes an overlay of the image and a
 * writable partition. */
#define OVERLAY "mkdir -p r/lib/functions && printf '#!/bin/sh\\nmount -o noatime,lowerdir=/,upperdir=$1,workdir=$2 -t overlay overlayfs:$1 /mnt\\n' > r/lib/functions/preinit.sh && "

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
	{ "setuid script: low (Linux ignores it)", "printf '#!/bin/sh\\nid\\n' > usr/bin/tool && chmod 4755 usr/bin/tool",
	  "fs.unexpected-setuid", "/usr/bin/tool", LOW, LOW },
	{ "silent: expected setuid", "cp /bin/true bin/su && chmod 4755 bin/su && cp /bin/true usr/bin/passwd && chmod 4755 usr/bin/passwd && cp /bin/true usr/bin/screen && chmod 2755 usr/bin/screen",
	  "fs.unexpected-setuid", NULL, 0, 0 },
	{ "silent: Debian's pppoe, 4754 root:dip", "mkdir -p usr/sbin && cp /bin/true usr/sbin/pppoe && chmod 4754 usr/sbin/pppoe",
	  "fs.unexpected-setuid", NULL, 0, 0 },
	{ "pppoe outside a program directory", "mkdir -p opt/x && cp /bin/true opt/x/pppoe && chmod 4754 opt/x/pppoe",
	  "fs.unexpected-setuid", "/opt/x/pppoe", MED, MED },
	{ "silent: no setuid shell", "cp /bin/true bin/busybox && ln -s busybox bin/sh && cp /bin/false bin/su && chmod 4755 bin/su",
	  "fs.setuid-shell", NULL, 0, 0 },
	{ "world-writable program", "cp /bin/true usr/bin/tool && chmod 0777 usr/bin/tool",
	  "fs.world-writable", "/usr/bin/tool", HIGH, HIGH },
	{ "world-writable directory", "mkdir -p etc/init.d && chmod 0777 etc/init.d",
	  "fs.world-writable", "/etc/init.d", HIGH, HIGH },
	/* The file system decides what the bit grants at run time (r/ is packed,
	 * then removed, so the location names only the copy inside the image). */
	{ "world-writable on squashfs: read-only, low", SQ_PREP "chmod 0777 r/usr/bin/tool" SQ_PACK,
	  "fs.world-writable", "fs.img!/usr/bin/tool", LOW, LOW },
	{ "world-writable directory on squashfs: low", SQ_PREP "mkdir -p r/etc/init.d && chmod 0777 r/etc/init.d" SQ_PACK,
	  "fs.world-writable", "fs.img!/etc/init.d", LOW, LOW },
	{ "world-writable on squashfs under an overlay: medium", SQ_PREP OVERLAY "chmod 0777 r/usr/bin/tool" SQ_PACK,
	  "fs.world-writable", "fs.img!/usr/bin/tool", MED, MED },
	{ "world-writable config under an overlay: low", SQ_PREP OVERLAY "echo x > r/etc/motd && chmod 0666 r/etc/motd" SQ_PACK,
	  "fs.world-writable", "fs.img!/etc/motd", LOW, LOW },
	{ "world-writable on squashfs, copied with its mode at boot: high",
	  SQ_PREP "mkdir -p r/etc.tmp/init.d r/etc/init.d && printf '#!/bin/sh\\necho hi\\n' > r/etc.tmp/init.d/S10net && chmod 0777 r/etc.tmp/init.d/S10net && "
	  "printf '#!/bin/sh\\ncp -a /etc.tmp/* /etc\\n' > r/etc/init.d/rcS && chmod 0755 r/etc/init.d/rcS" SQ_PACK,
	  "fs.world-writable", "fs.img!/etc.tmp/init.d/S10net", HIGH, HIGH },
	{ "silent: template copied by plain cp -R (the umask clears the bit)",
	  SQ_PREP "mkdir -p r/etc.tmp/init.d r/etc/init.d && printf '#!/bin/sh\\necho hi\\n' > r/etc.tmp/init.d/S10net && chmod 0777 r/etc.tmp/init.d/S10net && "
	  "printf '#!/bin/sh\\ncp -Rf /etc.tmp/* /etc\\n' > r/etc/init.d/rcS && chmod 0755 r/etc/init.d/rcS" SQ_PACK,
	  "fs.world-writable", NULL, 0, 0 },
	{ "world-writable on cramfs: low", SQ_PREP "chmod 0777 r/usr/bin/tool && mkfs.cramfs r fs.img >/dev/null && rm -rf r",
	  "fs.world-writable", "fs.img!/usr/bin/tool", LOW, LOW },
	{ "world-writable on JFFS2 (writable): high", SQ_PREP "chmod 0777 r/usr/bin/tool && mkfs.jffs2 -l -r r -o fs.img && rm -rf r",
	  "fs.world-writable", "fs.img!/usr/bin/tool", HIGH, HIGH },
	{ "world-writable in a tar (unpacked where it is written): high", SQ_PREP "chmod 0777 r/usr/bin/tool && tar -C r -cf fs.tar . && rm -rf r",
	  "fs.world-writable", "fs.tar!/usr/bin/tool", HIGH, HIGH },
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
