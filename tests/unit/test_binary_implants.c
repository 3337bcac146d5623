/* test_binary_implants.c - implant shapes of issue 14 §4, built at test
 * time and never executed:
 * - tests/implants/icmpshell.c, an ICMP-triggered reverse shell, static
 *   and stripped (glibc) for x86-64, armel, mipsel, mips, i386, PowerPC and
 *   AArch64: capability.raw-socket-trigger is critical from the recovered
 *   socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) and receive calls, the
 *   verdict fail, although its gethostbyname() links glibc's NSS, whose
 *   table names /etc/shadow (that string used to count as authentication
 *   and silenced every shell rule); a static ping (pinger.c) only gets the
 *   low raw-socket record; a static login daemon with NSS that verifies
 *   with getspnam() and crypt() (nsslogin.c, x86-64: the only libcrypt.a
 *   here) stays quiet, and so does a sash-like static shell (staticsh.c)
 *   whose only connections are NSS's (the resolver, nscd);
 * - tests/implants/tinydl.c, a libc-free downloader of under 2 KB for
 *   x86-64, armel, mips, mipsel, PowerPC, SuperH, SPARC64 and m68k:
 *   capability.tiny-downloader is critical (GET /bins/) and the verdict
 *   fail; on the machines whose system calls postern cannot recover
 *   (sh4, sparc64, m68k) analyze.partial says so; elsewhere socket and
 *   execve are recovered (on MIPS through the stub's generic wrapper,
 *   `move v0,a0` before the syscall); tinyhello.c, built the
 *   same way, gets no downloader finding;
 * - tests/implants/ircbot.c, an IRC-controlled bot, dynamic and static for
 *   the same seven glibc targets: capability.irc-bot is critical (its
 *   server is a public IP literal), the verdict fail; its -DNOTIFY
 *   counterpart (joins and posts, runs nothing) gets no irc-bot finding. */
#include "helpers.h"

static char *dir;

static const struct {
	const char *name, *cc;
} glibc[] = {
	{ "x86_64", "gcc" },
	{ "armel", "arm-linux-gnueabi-gcc" },
	{ "mipsel", "mipsel-linux-gnu-gcc" },
	{ "mips", "mips-linux-gnu-gcc" },
	{ "i386", "i686-linux-gnu-gcc" },
	{ "ppc", "powerpc-linux-gnu-gcc" },
	{ "a64", "aarch64-linux-gnu-gcc" },
};

static const struct {
	const char *name, *cc;
	bool recovered; /* postern recovers this machine's system calls */
} bare[] = {
	{ "x86_64", "gcc", true },
	{ "armel", "arm-linux-gnueabi-gcc", true },
	{ "mips", "mips-linux-gnu-gcc", true },
	{ "mipsel", "mipsel-linux-gnu-gcc", true },
	{ "ppc", "powerpc-linux-gnu-gcc", true },
	{ "sh4", "sh4-linux-gnu-gcc", false },
	{ "sparc64", "sparc64-linux-gnu-gcc", false },
	{ "m68k", "m68k-linux-gnu-gcc", false },
};
#define NGLIBC (sizeof(glibc) / sizeof(glibc[0]))
#define NBARE (sizeof(bare) / sizeof(bare[0]))

/* -nostdlib: no memcpy for an initialiser to call, _start as the entry
 * (MIPS defaults to __start), no build-id note, no page padding */
#define BARE_FLAGS "-Os -s -nostdlib -static -fno-stack-protector -fno-pic -fno-builtin " \
		   "-fno-tree-loop-distribute-patterns -Wl,-e,_start -Wl,-n -Wl,--build-id=none"

static int build(void **state)
{
	const char *src = getenv("SRC");
	size_t i;
	(void)state;
	dir = th_tmpdir();
	th_sh("mkdir -p %s/glibc %s/bare", dir, dir);
	for (i = 0; i < NGLIBC; i++)
		th_sh("cd %s/glibc && %s -O2 -s -w -static -o icmpshell-%s '%s/tests/implants/icmpshell.c' && "
		      "%s -O2 -s -w -static -o pinger-%s '%s/tests/implants/pinger.c' && "
		      "%s -O2 -s -w -static -o staticsh-%s '%s/tests/implants/staticsh.c'",
		      dir, glibc[i].cc, glibc[i].name, src, glibc[i].cc, glibc[i].name, src,
		      glibc[i].cc, glibc[i].name, src);
	th_sh("cd %s/glibc && gcc -O2 -s -w -static -o nsslogin-x86_64 '%s/tests/implants/nsslogin.c' "
	      "-lcrypt 2>/dev/null", dir, src);
	for (i = 0; i < NGLIBC; i++)
		th_sh("mkdir -p %s/irc && cd %s/irc && for l in dynamic static; do f=; "
		      "[ $l = static ] && f=-static; "
		      "%s -O2 -s -w $f -o ircbot-$l-%s '%s/tests/implants/ircbot.c' && "
		      "%s -O2 -s -w $f -DNOTIFY -o notify-$l-%s '%s/tests/implants/ircbot.c' || exit 1; done",
		      dir, dir, glibc[i].cc, glibc[i].name, src, glibc[i].cc, glibc[i].name, src);
	for (i = 0; i < NBARE; i++)
		th_sh("cd %s/bare && for n in tinydl tinyhello; do %s " BARE_FLAGS
		      " -o $n-%s '%s/tests/implants/'$n.c -lgcc || exit 1; done",
		      dir, bare[i].cc, bare[i].name, src);
	return 0;
}

static int cleanup(void **state)
{
	(void)state;
	th_rmtree(dir);
	return 0;
}

static void test_icmpshell(void **state)
{
	char path[4200];
	struct pst_scan *s;
	size_t i;
	(void)state;
	snprintf(path, sizeof(path), "%s/glibc", dir);
	s = th_scan(path, 2);
	for (i = 0; i < NGLIBC; i++) {
		char where[64];
		const struct pst_finding *f;
		snprintf(where, sizeof(where), "/icmpshell-%s", glibc[i].name);
		f = th_finding(s, "capability.raw-socket-trigger", where);
		if (!f || f->severity != PST_SEV_CRITICAL)
			fail_msg("%s: capability.raw-socket-trigger not critical", where);
		if (!strstr(f->evidence, "inet/raw/icmp"))
			fail_msg("%s: evidence lacks the ICMP socket: %s", where, f->evidence);
		f = th_finding(s, "capability.reverse-shell", where);
		if (!f || f->severity < PST_SEV_HIGH)
			fail_msg("%s: capability.reverse-shell below high", where);
		if (!th_fact_has(s, where, "bin.capabilities[]", "capability.static-nss"))
			fail_msg("%s: glibc's NSS not recognised", where);

		/* the ping: a raw ICMP socket, no shell */
		snprintf(where, sizeof(where), "/pinger-%s", glibc[i].name);
		f = th_finding(s, "capability.raw-socket", where);
		if (!f || f->severity != PST_SEV_LOW)
			fail_msg("%s: capability.raw-socket not low", where);
		if (th_finding(s, "capability.raw-socket-trigger", where) ||
		    th_finding(s, "capability.reverse-shell", where))
			fail_msg("%s: the ping was taken for a back door", where);

		/* a static shell whose only connections are NSS's (sash) */
		snprintf(where, sizeof(where), "/staticsh-%s", glibc[i].name);
		if (!th_fact_has(s, where, "bin.capabilities[]", "capability.nss-only-client"))
			fail_msg("%s: NSS's connections not recognised", where);
		if (th_finding(s, "capability.reverse-shell", where) ||
		    th_finding(s, "capability.bind-shell", where))
			fail_msg("%s: a static shell taken for a back door", where);
	}
	/* authenticates through NSS and crypt(): no shell rule */
	assert_true(th_fact_has(s, "/nsslogin-x86_64", "bin.capabilities[]", "capability.static-nss"));
	assert_true(th_fact_has(s, "/nsslogin-x86_64", "bin.capabilities[]",
				"capability.authenticates-own"));
	assert_null(th_finding(s, "capability.bind-shell", "/nsslogin-x86_64"));
	assert_null(th_finding(s, "capability.reverse-shell", "/nsslogin-x86_64"));
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
	pst_scan_free(s);
}

/* Scans one libc-free build (each alone: its verdict is its own); where
 * gets its name. */
static struct pst_scan *scan_bare(const char *prog, size_t i, char *where, size_t wlen)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/bare/%s-%s", dir, prog, bare[i].name);
	snprintf(where, wlen, "%s-%s", prog, bare[i].name);
	return th_scan(path, 1);
}

static void test_tinydl(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < NBARE; i++) {
		char where[64];
		struct pst_scan *s = scan_bare("tinydl", i, where, sizeof(where));
		const struct pst_finding *f;
		f = th_finding(s, "capability.tiny-downloader", where);
		if (!f || f->severity != PST_SEV_CRITICAL)
			fail_msg("%s: capability.tiny-downloader not critical", where);
		if (!strstr(f->evidence, "tiny") || !strstr(f->evidence, "GET /"))
			fail_msg("%s: evidence: %s", where, f->evidence);
		if (pst_scan_verdict(s) != PST_VERDICT_FAIL)
			fail_msg("%s: verdict not fail", where);
		/* the raw system calls, through a generic syscall(2)-style
		 * wrapper where -Os does not inline the stub (MIPS) */
		if (bare[i].recovered && (!th_fact_has(s, where, "bin.syscalls[]", "socket") ||
					  !th_fact_has(s, where, "bin.syscalls[]", "execve")))
			fail_msg("%s: socket or execve not recovered", where);
		f = th_finding(s, "analyze.partial", where);
		if (bare[i].recovered && f)
			fail_msg("%s: analyze.partial on a supported machine", where);
		if (!bare[i].recovered && (!f || f->severity != PST_SEV_LOW))
			fail_msg("%s: not reported as partly analysed", where);
		pst_scan_free(s);
	}
}

/* The same build without a request: tiny and static, nothing to fetch. */
static void test_tinyhello_quiet(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < NBARE; i++) {
		char where[64];
		struct pst_scan *s = scan_bare("tinyhello", i, where, sizeof(where));
		if (th_finding(s, "capability.tiny-downloader", where))
			fail_msg("%s: a hello world taken for a downloader", where);
		if (pst_scan_verdict(s) == PST_VERDICT_FAIL)
			fail_msg("%s: verdict fail", where);
		pst_scan_free(s);
	}
}

static void test_ircbot(void **state)
{
	static const char *const links[] = { "dynamic", "static" };
	char path[4200];
	struct pst_scan *s;
	size_t i, l;
	(void)state;
	snprintf(path, sizeof(path), "%s/irc", dir);
	s = th_scan(path, 2);
	for (i = 0; i < NGLIBC; i++)
		for (l = 0; l < 2; l++) {
			char where[64];
			const struct pst_finding *f;
			snprintf(where, sizeof(where), "/ircbot-%s-%s", links[l], glibc[i].name);
			f = th_finding(s, "capability.irc-bot", where);
			if (!f || f->severity != PST_SEV_CRITICAL)
				fail_msg("%s: capability.irc-bot not critical", where);
			if (!strstr(f->evidence, "PRIVMSG"))
				fail_msg("%s: evidence: %s", where, f->evidence);
			snprintf(where, sizeof(where), "/notify-%s-%s", links[l], glibc[i].name);
			if (th_finding(s, "capability.irc-bot", where))
				fail_msg("%s: a notifier that runs nothing taken for a bot", where);
		}
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
	pst_scan_free(s);
}

/* Only the notifiers: nothing at fail. */
static void test_notify_quiet(void **state)
{
	char path[4200];
	struct pst_scan *s;
	(void)state;
	snprintf(path, sizeof(path), "%s/notify", dir);
	th_sh("mkdir -p %s && cp %s/irc/notify-* %s/", path, dir, path);
	s = th_scan(path, 2);
	assert_int_not_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
	pst_scan_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icmpshell),
		cmocka_unit_test(test_tinydl),
		cmocka_unit_test(test_tinyhello_quiet),
		cmocka_unit_test(test_ircbot),
		cmocka_unit_test(test_notify_quiet),
	};
	return cmocka_run_group_tests(tests, build, cleanup);
}
