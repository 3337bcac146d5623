/* test_binary_sockets.c - socket() arguments recovered from the code
 * (src/analyze/sockets.c) and the raw-socket capability rules: an ICMP back
 * door (tests/implants/rawtrigger.c) built at test time for x86-64, armel
 * and mipsel (dynamic and static), i386 and AArch64 (both), PowerPC 32
 * (static, dynamic PIE and non-PIE) and 64 (static), ARM Thumb-2 (both) is
 * flagged; a ping (pinger.c) only gets the low raw-socket record; TCP
 * clients and servers get neither. Never executed. */
#include "helpers.h"
#include "analyze/binfeat.h"

static char *dir;

static const char *const arches[] = { "x86_64", "armel", "mipsel" };
static const char *const links[] = { "dynamic", "static" };

static int build(void **state)
{
	(void)state;
	dir = th_tmpdir();
	th_sh("'%s/tests/implants/build.sh' '%s' rawtrigger pinger bindshell revshell > /dev/null",
	      getenv("SRC"), dir);
	th_sh("cd %s && mkdir -p other && for n in rawtrigger pinger bindshell; do "
	      "i686-linux-gnu-gcc -O2 -static -s -w -o other/i386-$n '%s/tests/implants/'$n.c && "
	      "i686-linux-gnu-gcc -O2 -s -w -o other/i386dyn-$n '%s/tests/implants/'$n.c && "
	      "powerpc-linux-gnu-gcc -O2 -static -s -w -o other/ppc32-$n '%s/tests/implants/'$n.c && "
	      "powerpc-linux-gnu-gcc -O2 -s -w -o other/ppc32dyn-$n '%s/tests/implants/'$n.c && "
	      "powerpc-linux-gnu-gcc -O2 -no-pie -fno-pic -s -w -o other/ppc32nopie-$n '%s/tests/implants/'$n.c && "
	      "powerpc64le-linux-gnu-gcc -O2 -static -s -w -o other/ppc64le-$n '%s/tests/implants/'$n.c && "
	      "aarch64-linux-gnu-gcc -O2 -static -s -w -o other/a64-$n '%s/tests/implants/'$n.c && "
	      "aarch64-linux-gnu-gcc -O2 -s -w -o other/a64dyn-$n '%s/tests/implants/'$n.c && "
	      "arm-linux-gnueabi-gcc -mthumb -march=armv7-a -O2 -s -w -o other/thumbdyn-$n '%s/tests/implants/'$n.c && "
	      "arm-linux-gnueabi-gcc -mthumb -march=armv7-a -O2 -static -s -w -o other/thumb-$n '%s/tests/implants/'$n.c;"
	      " done", dir, getenv("SRC"), getenv("SRC"), getenv("SRC"), getenv("SRC"), getenv("SRC"),
	      getenv("SRC"), getenv("SRC"), getenv("SRC"), getenv("SRC"), getenv("SRC"));
	return 0;
}

static int cleanup(void **state)
{
	(void)state;
	th_rmtree(dir);
	return 0;
}

static void check(const struct pst_scan *s, const char *prefix)
{
	char where[128];
	const struct pst_finding *f;
	snprintf(where, sizeof(where), "%srawtrigger", prefix);
	f = th_finding(s, "capability.raw-socket-trigger", where);
	if (!f)
		fail_msg("%s: capability.raw-socket-trigger did not fire", where);
	assert_int_equal(f->severity, PST_SEV_CRITICAL);
	assert_non_null(strstr(f->evidence, "inet/raw/icmp"));
	assert_true(th_fact_has(s, where, "bin.sockets[]", "inet/raw/icmp"));
	assert_null(th_finding(s, "capability.raw-socket", where));

	snprintf(where, sizeof(where), "%spinger", prefix);
	f = th_finding(s, "capability.raw-socket", where);
	if (!f)
		fail_msg("%s: capability.raw-socket did not fire", where);
	assert_int_equal(f->severity, PST_SEV_LOW);
	assert_null(th_finding(s, "capability.raw-socket-trigger", where));

	/* TCP: the type is told right (MIPS numbers SOCK_STREAM 2) and no
	 * raw-socket rule fires */
	snprintf(where, sizeof(where), "%sbindshell", prefix);
	if (!th_fact_has(s, where, "bin.sockets[]", "inet/stream/0"))
		fail_msg("%s: socket(AF_INET, SOCK_STREAM, 0) not recovered", where);
	assert_null(th_finding(s, "capability.raw-socket", where));
	assert_null(th_finding(s, "capability.raw-socket-trigger", where));
}

static void test_rules(void **state)
{
	struct pst_scan *s = th_scan(dir, 2);
	size_t a, l;
	char prefix[64];
	(void)state;
	for (a = 0; a < 3; a++)
		for (l = 0; l < 2; l++) {
			snprintf(prefix, sizeof(prefix), "/%s-%s/", arches[a], links[l]);
			check(s, prefix);
			snprintf(prefix, sizeof(prefix), "/%s-%s/revshell", arches[a], links[l]);
			assert_null(th_finding(s, "capability.raw-socket", prefix));
			assert_null(th_finding(s, "capability.raw-socket-trigger", prefix));
		}
	check(s, "/other/i386-");
	check(s, "/other/i386dyn-");
	check(s, "/other/ppc32-");
	/* PowerPC's secure-PLT call stubs: PIC (through r30, the .got2
	 * pointer) and non-PIC (lis/lwz) */
	check(s, "/other/ppc32dyn-");
	check(s, "/other/ppc32nopie-");
	check(s, "/other/ppc64le-");
	check(s, "/other/a64-");
	check(s, "/other/a64dyn-");
	/* Thumb-2 callers: of an ARM-mode PLT (BLX) and of an ARM-mode libc
	 * wrapper in a static binary */
	check(s, "/other/thumbdyn-");
	check(s, "/other/thumb-");
	pst_scan_free(s);
}

static void test_names(void **state)
{
	static const struct {
		struct pst_sockcall c;
		const char *want;
	} t[] = {
		{ { 2, 3, 1 }, "inet/raw/icmp" },     { { 10, 3, 58 }, "inet6/raw/icmpv6" },
		{ { 17, 3, 0x0300 }, "packet/raw/all" }, { { 17, 2, 3 }, "packet/dgram/all" },
		{ { 2, 1, -1 }, "inet/stream/?" },    { { 2, 3, 255 }, "inet/raw/raw" },
		{ { 42, -1, 7 }, "42/?/7" },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char b[48];
		pst_sockcall_str(&t[i].c, b, sizeof(b));
		assert_string_equal(b, t[i].want);
	}
}

/* socket: features in user rules: fields by name, number, * and ?; a
 * malformed one stops the scan before it starts. */
static void test_rule_syntax(void **state)
{
	char *d = th_tmpdir(), rules[4200], target[4200];
	const char *dirs[2] = { rules, NULL };
	struct pst_options o;
	struct pst_scan *s;
	static const char *const broken[] = {
		"socket:inet/raw", "socket:inet/raw/icmp/x", "socket:ether/raw/*",
		"socket:inet/rare/*", "socket:inet/raw/70000",
	};
	size_t i;
	(void)state;
	snprintf(rules, sizeof(rules), "%s/r", d);
	snprintf(target, sizeof(target), "%s/x86_64-dynamic", dir);
	th_sh("mkdir -p %s/r/capabilities && printf '%%s\\n' '- id: capability.test-icmp'"
	      " '  severity: medium' '  all:' '    - [socket:2/3/1]'"
	      " '- id: capability.test-any' '  severity: info' '  all:' '    - [socket:*/stream/*]'"
	      " > %s/r/capabilities/x.yaml", d, d);
	pst_options_default(&o);
	o.rule_dirs = dirs;
	s = th_scan_opts(target, &o);
	assert_non_null(th_finding(s, "capability.test-icmp", "/rawtrigger"));
	assert_null(th_finding(s, "capability.test-icmp", "/bindshell"));
	assert_non_null(th_finding(s, "capability.test-any", "/bindshell"));
	assert_null(th_finding(s, "capability.test-any", "/rawtrigger"));
	pst_scan_free(s);
	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		th_sh("printf '%%s\\n' '- id: capability.broken' '  all:' '    - %s'"
		      " > %s/r/capabilities/x.yaml", broken[i], d);
		s = pst_scan_new(&o);
		assert_non_null(s);
		if (pst_scan_run(s, target) == PST_OK)
			fail_msg("%s accepted", broken[i]);
		pst_scan_free(s);
	}
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_rule_syntax),
	};
	return cmocka_run_group_tests(tests, build, cleanup);
}
