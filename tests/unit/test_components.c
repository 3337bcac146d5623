/*
 * test_components.c - component fingerprints (src/analyze/compfp.c and the
 * data in rules/components/): the built-in files load; a malformed file is
 * an error naming the file and line; each family reads its version from
 * bytes laid out as the real program keeps them (NUL-terminated strings in
 * .rodata) and stays silent on a near miss; where a pattern applies (ELF,
 * module, data); several versions in one file are ambiguous, a version and
 * its refinement ("9.2", "9.2p1") are not.
 */
#include <string.h>
#include "helpers.h"
#include "internal.h"
#include "analyze/compfp.h"

struct got {
	char names[16][32], versions[16][64], cpes[16][256], purls[16][320];
	size_t n;
};

static void collect(void *ctx, const struct pst_fp_hit *h)
{
	struct got *g = ctx;
	if (g->n == 16)
		return;
	snprintf(g->names[g->n], sizeof(g->names[0]), "%s", h->name);
	snprintf(g->versions[g->n], sizeof(g->versions[0]), "%s", h->version);
	snprintf(g->cpes[g->n], sizeof(g->cpes[0]), "%s", h->cpe);
	snprintf(g->purls[g->n], sizeof(g->purls[0]), "%s", h->purl);
	g->n++;
}

/* bytes: strings separated by NULs, padded as .rodata would be */
static void scan(const struct pst_compfp *fp, const char *bytes, size_t len, unsigned where,
		 struct got *g)
{
	char buf[4096];
	memset(g, 0, sizeof(*g));
	memset(buf, 0, sizeof(buf));
	assert_true(len + 128 < sizeof(buf));
	memcpy(buf + 64, bytes, len);
	pst_compfp_scan(fp, pst_view_make(buf, len + 128), NULL, where, collect, g);
}

static struct pst_compfp *builtin(void)
{
	char err[512];
	struct pst_compfp *fp = pst_compfp_load(NULL, err, sizeof(err));
	if (!fp)
		fail_msg("%s", err);
	return fp;
}

static void test_builtin_load(void **state)
{
	struct pst_compfp *fp = builtin();
	(void)state;
	assert_true(pst_compfp_count(fp) >= 60);
	pst_compfp_free(fp);
}

static void expect_error(const char *text, const char *want)
{
	char err[512];
	struct pst_compfp *fp = pst_compfp_parse("bad.yaml", text, strlen(text), err, sizeof(err));
	assert_null(fp);
	if (!strstr(err, want))
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("name: x\ntype: library\npurl: generic/x\n", "bad.yaml:1: a component needs");
	expect_error("name: x\ntype: library\npurl: generic/x\npatterns:\n  - match: \"abcd{Q}\"\n",
		     "bad.yaml:5: unknown token");
	expect_error("name: x\ntype: library\npurl: generic/x\npatterns:\n  - match: \"ab{V}\"\n",
		     "bad.yaml:5: match: must start with at least 4 literal bytes");
	expect_error("name: x\ntype: library\npurl: generic/x\npatterns:\n  - match: \"abcdef\"\n",
		     "bad.yaml:5: match: needs a {V}");
	expect_error("name: x\ntype: library\npurl: generic/x\npatterns:\n  - match: \"ab{V}cd\"\n"
		     "    near: \"{V}\"\n", "match: must start with at least 4 literal bytes");
	expect_error("name: x\ntype: library\npurl: generic/x\npatterns:\n  - match: \"abcd{V}\"\n"
		     "    near: \"{V}\"\n",
		     "bad.yaml:6: with near:, match: is the identifying string");
	expect_error("name: x\ntype: library\npurl: generic/x\npatterns:\n  - match: \"abcd\"\n"
		     "    near: \"v{D}\"\n", "bad.yaml:6: near: needs a {V}");
	expect_error("name: x\ntype: library\npurl: generic/x\npatterns:\n  - match: \"abcd\"\n"
		     "    near: \"{V}\"\n    within: 5000\n", "bad.yaml:7: within: is a number");
	expect_error("name: x\ntype: library\npurl: generic/x\npatterns:\n  - match: \"abcd{V}\"\n"
		     "    within: 10\n", "bad.yaml:5: within: needs near:");
	expect_error("name: x\ntype: gadget\npurl: generic/x\npatterns:\n  - match: \"abcd{V}\"\n",
		     "bad.yaml:1: type:");
	expect_error("name: x\ntype: library\ncpe: x:y\npurl: generic/x\npatterns:\n  - match: \"abcd{V}\"\n",
		     "bad.yaml:1: cpe:");
	expect_error("name: x\ntype: library\npurl: generic/x\npatterns:\n  - match: \"abcd{V}\"\n"
		     "    in: [elf, rom]\n", "bad.yaml:6: in:");
	expect_error("name: x\ntype: library\npurl: generic/x\nversion: 1\npatterns:\n  - match: \"abcd{V}\"\n",
		     "bad.yaml:4: unknown key");
	expect_error("name: x\ntype: library\npurl: generic/x\npatterns:\n  - file: \"abcd{V}\"\n"
		     "    starts: \"12345678\"\n", "bad.yaml:6: starts: is at most 7 bytes");
	expect_error("name: x\nname: y\n", "given twice");
	expect_error("name: [x\n", "bad.yaml:");
}

#define S(x) x, sizeof(x) - 1

/* One case: bytes in a place, the component and version expected (NULL: none). */
struct fcase {
	const char *bytes;
	size_t len;
	unsigned where;
	const char *name, *version, *cpe;
};

static const struct fcase cases[] = {
	{ S("BusyBox v1.35.0 (Debian 1:1.35.0-4)\0"), PST_FP_ELF, "busybox", "1.35.0",
	  "cpe:2.3:a:busybox:busybox:1.35.0:*:*:*:*:*:*:*" },
	{ S("BusyBox is a multi-call binary\0BusyBox v%s (%s)\0"), PST_FP_ELF, NULL, NULL, NULL },
	{ S("Linux version 5.10.176 (builder@host) (gcc) #0 SMP\n"), PST_FP_DATA, "linux", "5.10.176",
	  "cpe:2.3:o:linux:linux_kernel:5.10.176:*:*:*:*:*:*:*" },
	{ S("Linux version 6.1.0-18-4kc-malta (debian-kernel@lists.debian.org)"), PST_FP_DATA, "linux",
	  "6.1.0-18-4kc-malta", "" },
	{ S("Linux version %s (%s)\0"), PST_FP_DATA, NULL, NULL, NULL },
	{ S("vermagic=5.10.176 SMP mod_unload MIPS32_R2 32BIT \0"), PST_FP_MODULE, "linux", "5.10.176", NULL },
	{ S("vermagic=5.10.176 SMP mod_unload\0"), PST_FP_ELF, NULL, NULL, NULL },
	{ S("OpenSSL 1.1.1w  11 Sep 2023\0"), PST_FP_ELF, "openssl", "1.1.1w",
	  "cpe:2.3:a:openssl:openssl:1.1.1w:*:*:*:*:*:*:*" },
	{ S("OpenSSL 3.0.11 19 Sep 2023\0"), PST_FP_ELF, "openssl", "3.0.11", NULL },
	{ S("needs OpenSSL 3.0 or later\0OpenSSL 1.0.2 support\0"), PST_FP_ELF, NULL, NULL, NULL },
	{ S("OpenSSL 3.0.11 19 Sep 2023\0"), PST_FP_DATA, NULL, NULL, NULL },
	{ S("SSH-2.0-dropbear_2022.83\0"), PST_FP_ELF, "dropbear", "2022.83",
	  "cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2022.83:*:*:*:*:*:*:*" },
	{ S("SSH-2.0-dropbear_%s\0"), PST_FP_ELF, NULL, NULL, NULL },
	{ S("OpenSSH_2*,OpenSSH_3*\0OpenSSH_6.6.1*\0OpenSSH_9.2\0OpenSSH_9.2p1\0OpenSSH_9.2p1 Debian-2\0"),
	  PST_FP_ELF, "openssh", "9.2p1", "cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*" },
	{ S("OpenSSH_7.4*,OpenSSH_7.5*\0OpenSSH_6.6.1*\0"), PST_FP_ELF, NULL, NULL, NULL },
	{ S("GNU C Library (Debian GLIBC 2.36-9+deb12u4) stable release version 2.36.\n"), PST_FP_ELF,
	  "glibc", "2.36", "cpe:2.3:a:gnu:glibc:2.36:*:*:*:*:*:*:*" },
	{ S("ldconfig (Debian GLIBC 2.36-9+deb12u4) stable release version 2.36\0"), PST_FP_ELF, "glibc",
	  "2.36", NULL },
	{ S(" deflate 1.2.13 Copyright 1995-2022 Jean-loup Gailly and Mark Adler \0"), PST_FP_ELF, "zlib",
	  "1.2.13", NULL },
	{ S("deflate 1.2.13\0"), PST_FP_ELF, NULL, NULL, NULL },
	{ S("dnsmasq-2.90\0"), PST_FP_ELF, "dnsmasq", "2.90", "cpe:2.3:a:thekelleys:dnsmasq:2.90:*:*:*:*:*:*:*" },
	{ S("dnsmasq-%s\0/etc/dnsmasq-2.conf\0"), PST_FP_ELF, NULL, NULL, NULL },
	{ S("lighttpd/1.4.69 (ssl) - a light and fast webserver\0"), PST_FP_ELF, "lighttpd", "1.4.69", NULL },
	{ S("hostapd_cli v2.10\0"), PST_FP_ELF, "hostapd", "2.10", "cpe:2.3:a:w1.fi:hostapd:2.10:*:*:*:*:*:*:*" },
	{ S("hostapd v%s\0"), PST_FP_ELF, NULL, NULL, NULL },
	{ S("wpa_supplicant v2.10\0"), PST_FP_ELF, "wpa_supplicant", "2.10", NULL },
	{ S("curl 7.88.1 (x86_64-pc-linux-gnu) %s\0"), PST_FP_ELF, "curl", "7.88.1", NULL },
	{ S("libcurl/7.88.1\0"), PST_FP_ELF, "libcurl", "7.88.1", "cpe:2.3:a:haxx:libcurl:7.88.1:*:*:*:*:*:*:*" },
	{ S("expat_2.5.0\0"), PST_FP_ELF, "expat", "2.5.0", NULL },
	{ S("$LuaVersion: Lua 5.3.6  Copyright (C) 1994-2020 Lua.org, PUC-Rio $"), PST_FP_ELF, "lua", "5.3.6", NULL },
	{ S("/usr/lib/pppd/2.4.9\0"), PST_FP_ELF, "ppp", "2.4.9", NULL },
	{ S("/usr/lib/pppd/%s\0"), PST_FP_ELF, NULL, NULL, NULL },
	{ S("SAMBA_4.17.12_PRIVATE_SAMBA\0"), PST_FP_ELF, "samba", "4.17.12", NULL },
	{ S("util-linux 2.38.1\0"), PST_FP_ELF, "util-linux", "2.38.1", NULL },
	{ S("OpenVPN 2.6.14 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO]\0"), PST_FP_ELF, "openvpn", "2.6.14", NULL },
	{ S("OpenVPN 2.4 or later is required\0"), PST_FP_ELF, NULL, NULL, NULL },
	{ S("U-Boot 2023.01 (Jan 10 2023 - 12:00:00 +0000)\0"), PST_FP_DATA, "u-boot", "2023.01", NULL },
	{ S("mbed TLS 2.28.3\0"), PST_FP_ELF, "mbedtls", "2.28.3", "cpe:2.3:a:arm:mbed_tls:2.28.3:*:*:*:*:*:*:*" },
	{ S("wolfSSL 5.5.4\0"), PST_FP_ELF, "wolfssl", "5.5.4", NULL },
	{ S("X-Powered-By: PHP/8.2.36\0"), PST_FP_ELF, "php", "8.2.36", NULL },
	{ S("ntpd 4.2.8p15@1.3728-o Wed Jun 23 2021\0"), PST_FP_ELF, "ntp", "4.2.8p15",
	  "cpe:2.3:a:ntp:ntp:4.2.8:p15:*:*:*:*:*:*" },
	{ S("Portable SDK for UPnP devices/1.8.4\0"), PST_FP_ELF, "libupnp", "1.8.4", NULL },
	/* one hit for every other family, as its source writes the string */
	{ S(" libpng version 1.6.39 - November 20, 2022\0"), PST_FP_ELF, "libpng", "1.6.39", NULL },
	{ S("libjpeg-turbo version 2.1.5 (build 20230203)\0"), PST_FP_ELF, "libjpeg-turbo", "2.1.5", NULL },
	{ S("Enabled GnuTLS 3.7.9 logging...\n\0"), PST_FP_ELF, "gnutls", "3.7.9", NULL },
	{ S("mini_httpd/1.30 26Oct2018\0"), PST_FP_ELF, "mini_httpd", "1.30", NULL },
	{ S("thttpd/2.29 23May2018\0"), PST_FP_ELF, "thttpd", "2.29", NULL },
	{ S("Boa/0.94.14rc21\0"), PST_FP_ELF, "boa", "0.94.14rc21", NULL },
	{ S("GoAhead/3.6.5\0"), PST_FP_ELF, "goahead", "3.6.5", NULL },
	{ S("nginx/1.22.1\0"), PST_FP_ELF, "nginx", "1.22.1", "cpe:2.3:a:f5:nginx:1.22.1:*:*:*:*:*:*:*" },
	{ S("OpenWrt/21.02 UPnP/1.1 MiniUPnPd/2.3.1\0"), PST_FP_ELF, "miniupnpd", "2.3.1", NULL },
	{ S("ebtables v2.0.11 (December 2011)\0"), PST_FP_ELF, "ebtables", "2.0.11", NULL },
	{ S("libpcap version 1.10.3 (with TPACKET_V3)\0"), PST_FP_ELF, "libpcap", "1.10.3", NULL },
	{ S("ip utility, iproute2-6.1.0\0"), PST_FP_ELF, "iproute2", "6.1.0", NULL },
	{ S("@(#)Bash version 5.2.15(1) release GNU\0"), PST_FP_ELF, "bash", "5.2.15", NULL },
	{ S("SSH-2.0-libssh2_1.10.0\0"), PST_FP_ELF, "libssh2", "1.10.0", NULL },
	{ S("Internet Systems Consortium DHCP Client 4.4.3-P1\0"), PST_FP_ELF, "isc-dhcp", "4.4.3-P1", "" },
	{ S("vsftpd: version 3.0.3\0"), PST_FP_ELF, "vsftpd", "3.0.3", NULL },
	{ S("MiniDLNA/1.3.0\0"), PST_FP_ELF, "minidlna", "1.3.0", NULL },
	{ S("ncurses 6.4.20221231\0"), PST_FP_ELF, "ncurses", "6.4.20221231", NULL },
	{ S("iptables v1.4.21: unknown option\0"), PST_FP_ELF, "iptables", "1.4.21", NULL },
	{ S("SQLite version 3.40.1 2022-12-28 14:03:47\0"), PST_FP_ELF, "sqlite", "3.40.1", NULL },
	{ S("libxml2-2.9.14\0"), PST_FP_ELF, "libxml2", "2.9.14", NULL },
	{ S("Linux strongSwan U5.9.8/K6.1.0\0"), PST_FP_ELF, "strongswan", "5.9.8", NULL },
	/* the starter (Debian 12 amd64, mipsel); the format alone is not a version */
	{ S("Starting %sSwan 5.9.8 IPsec [starter]...\n\0"), PST_FP_ELF, "strongswan", "5.9.8", NULL },
	{ S("Starting %sSwan %s IPsec [starter]...\n\0"), PST_FP_ELF, NULL, NULL, NULL },
	{ S("chronyc (chrony) version 4.3 (+READLINE)\0"), PST_FP_ELF, "chrony", "4.3", NULL },
	{ S("musl libc version 1.2.3\0"), PST_FP_ELF, "musl", "1.2.3", NULL },
	{ S("This is perl 5, version 36, subversion 0 (v5.36.0)\0"), PST_FP_ELF, "perl", "5.36.0", NULL },
	{ S("Python 2.7.18 (default, Apr 20 2020)\0"), PST_FP_ELF, "python", "2.7.18", NULL },
	{ S("BlueZ 5.66\0"), PST_FP_ELF, "bluez", "5.66", NULL },
	{ S("Libgcrypt 1.10.1\0"), PST_FP_ELF, "libgcrypt", "1.10.1", NULL },
	{ S("Hello, this is Quagga (version 1.2.4).\0"), PST_FP_ELF, "quagga", "1.2.4", NULL },
	{ S("mksquashfs version 4.5.1 (2022/03/17)\0"), PST_FP_ELF, "squashfs-tools", "4.5.1", NULL },
	{ S("mke2fs 1.47.0 (5-Feb-2023)\0"), PST_FP_ELF, "e2fsprogs", "1.47.0", NULL },
	{ S("@(#) $OpenLDAP: libldap 2.5.13 (Jul 26 2022) $\0"), PST_FP_ELF, "openldap", "2.5.13", NULL },
	{ S("libevent-2.1.12-stable\0"), PST_FP_ELF, "libevent", "2.1.12", NULL },
	{ S("avahi 0.8\0"), PST_FP_ELF, "avahi", "0.8", NULL },
	{ S("libdbus 1.14.10\0"), PST_FP_ELF, "dbus", "1.14.10", NULL },
	{ S("Mbed TLS 3.4.0\0"), PST_FP_ELF, "mbedtls", "3.4.0", NULL },
	{ S("pppoe-discovery from pppd 2.4.9\0"), PST_FP_ELF, "ppp", "2.4.9", NULL },
	{ S("wpa_cli v2.10\0"), PST_FP_ELF, "wpa_supplicant", "2.10", NULL },
	/* near misses: a format, a placeholder, a prose mention */
	{ S("SQLite version %s %.19s\0"), PST_FP_ELF, NULL, NULL, NULL },
	{ S("Enabled GnuTLS %s logging...\0"), PST_FP_ELF, NULL, NULL, NULL },
	{ S("nginx/\0nginx/%s\0"), PST_FP_ELF, NULL, NULL, NULL },
	{ S("needs mbed TLS 2.16 or later\0"), PST_FP_ELF, NULL, NULL, NULL },
	{ S("ntpd %s@%s\0"), PST_FP_ELF, NULL, NULL, NULL },
	/* two releases in one file: a changelog, not a component */
	{ S("BusyBox v1.2.3 (a)\0BusyBox v1.2.4 (b)\0"), PST_FP_ELF, NULL, NULL, NULL },
};

/* Each case gives its component and version, or nothing. */
static void check_cases(const struct fcase *cases_, size_t n, const char *what)
{
	struct pst_compfp *fp = builtin();
	struct got g;
	for (size_t i = 0; i < n; i++) {
		const struct fcase *c = &cases_[i];
		scan(fp, c->bytes, c->len, c->where, &g);
		if (!c->name) {
			if (g.n)
				fail_msg("%s %zu: %s %s found in \"%s\"", what, i, g.names[0],
					 g.versions[0], c->bytes);
			continue;
		}
		if (g.n != 1 || strcmp(g.names[0], c->name) || strcmp(g.versions[0], c->version))
			fail_msg("%s %zu: want %s %s, got %zu (%s %s)", what, i, c->name,
				 c->version, g.n, g.n ? g.names[0] : "-",
				 g.n ? g.versions[0] : "-");
		if (c->cpe && strcmp(g.cpes[0], c->cpe))
			fail_msg("%s %zu: cpe %s, want %s", what, i, g.cpes[0], c->cpe);
	}
	pst_compfp_free(fp);
}

static void test_families(void **state)
{
	(void)state;
	check_cases(cases, sizeof(cases) / sizeof(cases[0]), "case");
}

/* near: patterns: programs that print their version through %s keep it as a
 * lone string; the layouts are those of Debian 12's amd64 binaries (the
 * strings beside the version in .rodata, in order). */
static const struct fcase near_cases[] = {
	{ S("src/adapter.c\0/etc/bluetooth\0005.66\0BlueZ %s\0%hhu.%hhu\0"), PST_FP_ELF, "bluez",
	  "5.66", "cpe:2.3:a:bluez:bluez:5.66:*:*:*:*:*:*:*" },
	{ S("\t%s\n\0005.66\0Bluetooth monitor ver %s\n\0"), PST_FP_ELF, "bluez", "5.66", NULL },
	{ S("internal use\0005.66\0hcitool - HCI Tool ver %s\n\0Commands:\0"), PST_FP_ELF, "bluez",
	  "5.66", NULL },
	{ S("--help\0--version\0004.3\0+46acdf:h:mnNp:v\0 \t\n\r\0chronyc> \0"), PST_FP_ELF,
	  "chrony", "4.3", "cpe:2.3:a:tuxfamily:chrony:4.3:*:*:*:*:*:*:*" },
	{ S("/etc/chrony/chrony.conf\0--help\0--version\0004.3\0Not superuser\0"), PST_FP_ELF,
	  "chrony", "4.3", NULL },
	{ S("</iptables-rules>\0verbose\0combine\0help\0001.8.9\0Usage: %s [-c]\0"), PST_FP_ELF,
	  "iptables", "1.8.9", "cpe:2.3:a:netfilter:iptables:1.8.9:*:*:*:*:*:*:*" },
	{ S("charon\0005.9.8\0charon-systemd\0%s.user\0"), PST_FP_ELF, "strongswan", "5.9.8",
	  NULL },
	{ S("/proc/self/fd/\0001.2.3\0Unsupported request %d\0/dev/tty\0"), PST_FP_ELF, "musl",
	  "1.2.3", "cpe:2.3:a:musl-libc:musl:1.2.3:*:*:*:*:*:*:*" },
	{ S("pagesize unknown\0PERL_INTERNAL_RAND_SEED\0v5.36.0\0panic: sysconf: %s\0"), PST_FP_ELF,
	  "perl", "5.36.0", "cpe:2.3:a:perl:perl:5.36.0:*:*:*:*:*:*:*" },
	{ S("pymalloc_debug\0003.11.2\0strict\0<prefix>/lib/pythonX.X\0Python %s\n\0"), PST_FP_ELF,
	  "python", "3.11.2", "cpe:2.3:a:python:python:3.11.2:*:*:*:*:*:*:*" },
	{ S("Option \"%s\" is unknown, try \"ip -help\".\n\0\0\0006.1.0\0Deleted \0"), PST_FP_ELF,
	  "iproute2", "6.1.0", NULL },
	{ S("dhclient.c\0004.4.3-P1\0{--version|--help|-h}\0Usage: %s %s%s\n\0"), PST_FP_ELF,
	  "isc-dhcp", "4.4.3-P1", NULL },
	{ S("%12s\0001.2.2\0ntpd ntpsec-%s\0INIT: %s: Starting\0"), PST_FP_ELF, "ntpsec", "1.2.2",
	  "cpe:2.3:a:ntpsec:ntpsec:1.2.2:*:*:*:*:*:*:*" },
	{ S("bad revision level - %s\0005-Feb-2023\0001.47.0\0mke2fs %s (%s)\0"), PST_FP_ELF,
	  "e2fsprogs", "1.47.0", "cpe:2.3:a:e2fsprogs_project:e2fsprogs:1.47.0:*:*:*:*:*:*:*" },
	{ S("/usr/share/locale\0001.47.0\0E2FSCK_FORCE_INTERACTIVE\0%llu\0"), PST_FP_ELF,
	  "e2fsprogs", "1.47.0", NULL },
	{ S("%s: %d events finalizing\0002.1.12-stable\0EV_TIMEOUT \0"), PST_FP_ELF, "libevent",
	  "2.1.12", "cpe:2.3:a:libevent_project:libevent:2.1.12:*:*:*:*:*:*:*" },
	/* libevent's version without its -stable is another number, not the library's */
	{ S("%s: %d events finalizing\0002.1.12\0EV_TIMEOUT \0"), PST_FP_ELF, NULL, NULL, NULL },
	/* Debian 12 mipsel: other neighbours */
	{ S("--version\0\0\0+CMDMON +NTP\0004.3\0chronyd (chrony) version %s (%s)\n\0"), PST_FP_ELF,
	  "chrony", "4.3", NULL },
	{ S("dhclient.c\0\0\0004.4.3-P1\0\0\0"), PST_FP_ELF, "isc-dhcp", "4.4.3-P1", NULL },
	{ S("b:cd:e:g:i:jl:m:no:qr:s:t:vC:DE:FG:I:J:KL:M:N:O:R:ST:U:Vz:\0001.47.0\0mke2fs %s (%s)\0"
	    "5-Feb-2023\0"), PST_FP_ELF, "e2fsprogs", "1.47.0", NULL },
	{ S("/proc/self/fd/\0\0\0001.2.3\0\0\0Dynamic linker failed to allocate memory for error "
	    "message\0"), PST_FP_ELF, "musl", "1.2.3", NULL },
	{ S("linux\0\0\0003.11.2\0\0%.80s (%.80s) %.80s\0"), PST_FP_ELF, "python", "3.11.2", NULL },
	/* libsqlite3 (Debian 12 amd64 and mipsel): the version, then the
	   allocator's messages (mem1.c) */
	{ S("\b\0\0\0003.40.1\0\0\0\0\0\0\0\0\0\0failed memory resize %u to %u bytes\0"),
	  PST_FP_ELF, "sqlite", "3.40.1", "cpe:2.3:a:sqlite:sqlite:3.40.1:*:*:*:*:*:*:*" },
	/* the format without its version nearby: nothing */
	{ S("BlueZ %s\0unrelated text\0"), PST_FP_ELF, NULL, NULL, NULL },
	/* a number inside another string is no lone version */
	{ S("up to 5.66 devices\0BlueZ %s\0"), PST_FP_ELF, NULL, NULL, NULL },
	/* two lone versions around the anchor: ambiguous */
	{ S("4.3\0chronyc> \0004.4\0"), PST_FP_ELF, NULL, NULL, NULL },
	/* beyond within: (64 bytes) */
	{ S("5.66\0........................................................"
	    "............\0BlueZ %s\0"), PST_FP_ELF, NULL, NULL, NULL },
	/* near patterns read ELF files only by default */
	{ S("\0005.66\0BlueZ %s\0"), PST_FP_DATA, NULL, NULL, NULL },
};

static void test_near(void **state)
{
	(void)state;
	check_cases(near_cases, sizeof(near_cases) / sizeof(near_cases[0]), "near");
}

/* A statically linked program: its own banner and its libraries' are all
 * components of that one file; the purl encodes what a version may hold. */
static void test_static_and_purl(void **state)
{
	struct pst_compfp *fp = builtin();
	struct got g;
	(void)state;
	scan(fp, S("SSH-2.0-dropbear_2019.78\0 deflate 1.2.11 Copyright 1995-2017 Jean-loup Gailly \0"),
	     PST_FP_ELF, &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.names[0], "dropbear");
	assert_string_equal(g.names[1], "zlib");
	assert_string_equal(g.purls[1], "pkg:generic/zlib@1.2.11");
	scan(fp, S("Linux version 4.14.0+git~1 (x@y)"), PST_FP_DATA, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.purls[0], "pkg:generic/linux@4.14.0%2Bgit~1");
	assert_string_equal(g.cpes[0], "");
	pst_compfp_free(fp);
}

/* The components a file's name alone gives (an empty body), added to g. */
static void scan_name(const struct pst_compfp *fp, const char *name, unsigned where,
		      struct got *g)
{
	static const char none[64];
	pst_compfp_scan(fp, pst_view_make(none, sizeof(none)), name, where, collect, g);
}

/* file: patterns read the file's name, whole: uClibc names its version
 * nowhere else. */
static void test_file_name(void **state)
{
	struct pst_compfp *fp = builtin();
	struct got g;
	(void)state;
	memset(&g, 0, sizeof(g));
	scan_name(fp, "libuClibc-0.9.33.2.so", PST_FP_ELF, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.names[0], "uclibc-ng");
	assert_string_equal(g.versions[0], "0.9.33.2");
	memset(&g, 0, sizeof(g));
	scan_name(fp, "libuClibc-0.9.33.2.so.bak", PST_FP_ELF, &g);
	scan_name(fp, "libuClibc-0.9.33.2.so", PST_FP_DATA, &g);
	assert_int_equal(g.n, 0);
	/* libxml2 keeps its version as an integer; its file's name (2.x) has it */
	scan_name(fp, "libxml2.so.2.9.14", PST_FP_ELF, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.names[0], "libxml2");
	assert_string_equal(g.versions[0], "2.9.14");
	assert_string_equal(g.cpes[0], "cpe:2.3:a:xmlsoft:libxml2:2.9.14:*:*:*:*:*:*:*");
	/* starts: "2.": 2.14's libxml2.so.16.0.0 is no version; the soname link has none */
	memset(&g, 0, sizeof(g));
	scan_name(fp, "libxml2.so.16.0.0", PST_FP_ELF, &g);
	scan_name(fp, "libxml2.so.2", PST_FP_ELF, &g);
	assert_int_equal(g.n, 0);
	pst_compfp_free(fp);
}

static void test_user_rule(void **state)
{
	static const char text[] = "name: acme-agent\ntype: application\ncpe: a:acme:agent\n"
				   "purl: generic/acme-agent\npatterns:\n"
				   "  - match: \"ACME agent r{V} built {D}-{A}\"\n    dotless: true\n"
				   "    chars: \"0123456789\"\n    in: [data]\n";
	char err[256];
	struct pst_compfp *fp = pst_compfp_parse("acme.yaml", text, sizeof(text) - 1, err, sizeof(err));
	struct got g;
	(void)state;
	assert_non_null(fp);
	scan(fp, S("ACME agent r42 built 2024-Jan\0"), PST_FP_DATA, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.versions[0], "42");
	scan(fp, S("ACME agent r42 built 2024-Jan\0"), PST_FP_ELF, &g);
	assert_int_equal(g.n, 0);
	scan(fp, S("ACME agent r42b built 2024-Jan\0"), PST_FP_DATA, &g);
	assert_int_equal(g.n, 0);
	pst_compfp_free(fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_load),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_near),
		cmocka_unit_test(test_static_and_purl),
		cmocka_unit_test(test_file_name),
		cmocka_unit_test(test_user_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
