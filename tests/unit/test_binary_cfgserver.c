/* test_binary_cfgserver.c - the configuration back-door shape (the Sercomm
 * TCP 32764 service): tests/implants/cfgdaemon.c, linked dynamically against
 * a stub libnvram and stripped, built at test time for x86-64, i386, armel,
 * ARM Thumb-2, mipsel, mips, 32-bit PowerPC (PIE and not) and AArch64. On each, bind()'s
 * port and the magic compared
 * with received data are recovered (src/analyze/netconst.c),
 * capability.unauthenticated-config-server is critical with both in its
 * evidence, the Sercomm signature matches the compiled immediates and the
 * verdict is fail. Its clean counterpart (-DLOGIN: port 8080, the
 * administrator's password checked, no magic) gets neither the rule nor the
 * signature. Also as routers ship it: MIPS non-PIC through a PLT, section
 * headers stripped (sstrip); and static, stripped. Rule variants: a UDP
 * server is high without magic or unusual port, silent on a Unix socket.
 * Never executed. */
#include "helpers.h"

static char *dir;

static const struct {
	const char *name, *cc, *flags;
} arches[] = {
	{ "x86_64", "gcc", "" },
	{ "i386", "i686-linux-gnu-gcc", "" },
	{ "armel", "arm-linux-gnueabi-gcc", "" },
	{ "thumb", "arm-linux-gnueabi-gcc", "-mthumb -march=armv7-a" },
	{ "mipsel", "mipsel-linux-gnu-gcc", "" },
	{ "mips", "mips-linux-gnu-gcc", "" },
	/* PowerPC's secure-PLT stubs, PIC (through r30) and not */
	{ "ppc32", "powerpc-linux-gnu-gcc", "" },
	{ "ppc32nopie", "powerpc-linux-gnu-gcc", "-no-pie -fno-pic" },
	/* AArch64: PLT stubs through adrp/ldr, port and magic by movz/movk */
	{ "aarch64", "aarch64-linux-gnu-gcc", "" },
};
#define NARCH (sizeof(arches) / sizeof(arches[0]))

static int build(void **state)
{
	size_t i;
	(void)state;
	dir = th_tmpdir();
	for (i = 0; i < NARCH; i++) {
		const char *imp = getenv("SRC");
		th_sh("cd %s && mkdir -p lib-%s bin-%s && "
		      "%s %s -O2 -s -shared -fPIC -o lib-%s/libnvram.so "
		      "'%s/tests/implants/nvram.c' && "
		      "%s %s -O2 -s -w -o bin-%s/cfgdaemon '%s/tests/implants/cfgdaemon.c' "
		      "-Llib-%s -lnvram && "
		      "%s %s -O2 -s -w -DLOGIN -o bin-%s/cfglogin '%s/tests/implants/cfgdaemon.c' "
		      "-Llib-%s -lnvram",
		      dir, arches[i].name, arches[i].name, arches[i].cc, arches[i].flags,
		      arches[i].name, imp, arches[i].cc, arches[i].flags, arches[i].name, imp,
		      arches[i].name, arches[i].cc, arches[i].flags, arches[i].name, imp,
		      arches[i].name);
	}
	return 0;
}

static int cleanup(void **state)
{
	(void)state;
	th_rmtree(dir);
	return 0;
}

static void test_implant_every_arch(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < NARCH; i++) {
		char path[4200], where[64];
		struct pst_scan *s;
		const struct pst_finding *f;
		snprintf(path, sizeof(path), "%s/bin-%s", dir, arches[i].name);
		s = th_scan(path, 2);
		snprintf(where, sizeof(where), "/cfgdaemon");
		f = th_finding(s, "capability.unauthenticated-config-server", where);
		if (!f)
			fail_msg("%s: capability.unauthenticated-config-server did not fire",
				 arches[i].name);
		assert_int_equal(f->severity, PST_SEV_CRITICAL);
		if (!strstr(f->evidence, "32764") || !strstr(f->evidence, "0x53634d4d"))
			fail_msg("%s: evidence lacks the port or the magic: %s", arches[i].name,
				 f->evidence);
		assert_true(th_fact_has(s, where, "bin.listen_ports[]", "32764"));
		assert_true(th_fact_has(s, where, "bin.magics[]", "0x53634d4d 'ScMM'"));
		if (!th_finding(s, "signature.postern.sercomm_scmm_tcp32764_backdoor", where))
			fail_msg("%s: the Sercomm signature did not match", arches[i].name);
		assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);

		/* the clean counterpart: its port is read, nothing fires */
		assert_true(th_fact_has(s, "/cfglogin", "bin.listen_ports[]", "8080"));
		assert_false(th_fact_has(s, "/cfglogin", "bin.magics[]", "0x53634d4d 'ScMM'"));
		if (th_finding(s, "capability.unauthenticated-config-server", "/cfglogin"))
			fail_msg("%s: the authenticating daemon was flagged", arches[i].name);
		assert_null(th_finding(s, "signature.postern.sercomm_scmm_tcp32764_backdoor",
				       "/cfglogin"));
		pst_scan_free(s);
	}
}

/* As router images ship programs: MIPS non-PIC code calling through a PLT
 * (-mplt -fno-pic, calls by jal to lui/lw/jr stubs), and section headers
 * stripped away as OpenWrt's sstrip does (tests/tools/sstrip.py): symbols,
 * relocations and PLT stubs come from the dynamic segment. */
static void test_router_builds(void **state)
{
	static const char *const names[] = { "mips-plt", "mips-plt-sstrip", "mipsel-sstrip",
					     "armel-sstrip", "x86_64-sstrip" };
	char d[4200];
	struct pst_scan *s;
	size_t i;
	(void)state;
	snprintf(d, sizeof(d), "%s/router", dir);
	th_sh("cd %s && mkdir -p router && mips-linux-gnu-gcc -O2 -s -w -mplt -fno-pic -no-pie "
	      "-o router/mips-plt '%s/tests/implants/cfgdaemon.c' -Llib-mips -lnvram && "
	      "for a in mips-plt:router/mips-plt mipsel:bin-mipsel/cfgdaemon "
	      "armel:bin-armel/cfgdaemon "
	      "x86_64:bin-x86_64/cfgdaemon; do python3 '%s/tests/tools/sstrip.py' ${a#*:} "
	      "router/${a%%%%:*}-sstrip; done",
	      dir, getenv("SRC"), getenv("SRC"));
	s = th_scan(d, 2);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char where[64];
		const struct pst_finding *f;
		snprintf(where, sizeof(where), "/%s", names[i]);
		f = th_finding(s, "capability.unauthenticated-config-server", where);
		if (!f || f->severity != PST_SEV_CRITICAL)
			fail_msg("%s: not critical", names[i]);
		if (!strstr(f->evidence, "32764") || !strstr(f->evidence, "0x53634d4d"))
			fail_msg("%s: evidence lacks the port or the magic: %s", names[i],
				 f->evidence);
		if (!th_fact_has(s, where, "bin.sockets[]", "inet/stream/0") &&
		    !th_fact_has(s, where, "bin.sockets[]", "inet/?/0"))
			fail_msg("%s: socket() arguments not read", names[i]);
	}
	pst_scan_free(s);
}

/* Static and stripped for x86-64, i386, armel, Thumb-2, mipsel, mips,
 * 32-bit and 64-bit little-endian PowerPC and AArch64 (the stub NVRAM linked in, so
 * nothing names it): the
 * bind and recv system calls and their libc wrappers are found by the
 * syscall sweep, the port and magic read at their callers. Its clean
 * counterpart (-DLOGIN), static: static libc's system() brings dup2 and
 * /bin/sh, but no dup2 call puts a descriptor on 0, 1 or 2 with a
 * constant, so it is no bind shell (as quiet as the dynamic build). */
static void test_static_builds(void **state)
{
	static const char *const cc[][3] = {
		{ "x86_64", "gcc", "" },
		{ "i386", "i686-linux-gnu-gcc", "" }, /* bind through socketcall(2) */
		{ "armel", "arm-linux-gnueabi-gcc", "" },
		{ "thumb", "arm-linux-gnueabi-gcc", "-mthumb -march=armv7-a" },
		{ "mipsel", "mipsel-linux-gnu-gcc", "" },
		{ "mips", "mips-linux-gnu-gcc", "" },
		{ "ppc32", "powerpc-linux-gnu-gcc", "" },
		/* 64-bit PowerPC (ELFv2): the magic by xoris/cmpwi */
		{ "ppc64le", "powerpc64le-linux-gnu-gcc", "" },
		{ "aarch64", "aarch64-linux-gnu-gcc", "" },
	};
#define NCC (sizeof(cc) / sizeof(cc[0]))
	char d[4200];
	struct pst_scan *s;
	size_t i;
	(void)state;
	snprintf(d, sizeof(d), "%s/static", dir);
	for (i = 0; i < NCC; i++)
		th_sh("mkdir -p %s && %s %s -O2 -s -w -static -o %s/%s "
		      "'%s/tests/implants/cfgdaemon.c' "
		      "'%s/tests/implants/nvram.c' && %s %s -O2 -s -w -static -DLOGIN -o "
		      "%s/%s-login "
		      "'%s/tests/implants/cfgdaemon.c' '%s/tests/implants/nvram.c'",
		      d, cc[i][1], cc[i][2], d, cc[i][0], getenv("SRC"), getenv("SRC"), cc[i][1],
		      cc[i][2], d, cc[i][0], getenv("SRC"), getenv("SRC"));
	s = th_scan(d, 2);
	for (i = 0; i < NCC; i++) {
		char where[64];
		const struct pst_finding *f;
		snprintf(where, sizeof(where), "/%s", cc[i][0]);
		assert_true(th_fact_has(s, where, "bin.listen_ports[]", "32764"));
		assert_true(th_fact_has(s, where, "bin.magics[]", "0x53634d4d 'ScMM'"));
		f = th_finding(s, "capability.bind-shell", where);
		if (!f)
			f = th_finding(s, "capability.unauthenticated-config-server", where);
		if (!f || f->severity != PST_SEV_CRITICAL || !strstr(f->evidence, "port 32764") ||
		    !strstr(f->evidence, "0x53634d4d"))
			fail_msg("%s: no critical finding naming the port and the magic", cc[i][0]);
		/* the clean counterpart, static: its dup2 and /bin/sh are libc's
		 * system() (posix_spawn), it puts nothing on 0, 1 or 2: as quiet
		 * as the dynamic build */
		snprintf(where, sizeof(where), "/%s-login", cc[i][0]);
		assert_true(th_fact_has(s, where, "bin.listen_ports[]", "8080"));
		if (th_finding(s, "capability.bind-shell", where) ||
		    th_finding(s, "capability.unauthenticated-config-server", where))
			fail_msg("%s: the authenticating daemon was flagged", where);
	}
	pst_scan_free(s);
}

/* Writes text as DIR/name.c (its path into src[4300]); d[4200] gets
 * DIR/name, where the test puts what it builds. */
static void put_source(char *d, char *src, const char *name, const char *text)
{
	snprintf(d, 4200, "%s/%s", dir, name);
	snprintf(src, 4300, "%s/%s.c", dir, name);
	th_write(src, text, strlen(text));
}

/* The magic and the port escalate; without them a UDP command server is
 * high; a well-known port alone does not escalate. Built for x86-64 from
 * small sources written here. */
static void test_udp_server_levels(void **state)
{
	static const char udp[] =
		"#include <netinet/in.h>\n#include <stdlib.h>\n#include <string.h>\n"
		"#include <sys/socket.h>\n#ifndef FAM\n#define FAM AF_INET\n#endif\n"
		"int main(void){char b[256];struct sockaddr_in a;int s=socket(FAM,SOCK_DGRAM,0);"
		"memset(&a,0,sizeof(a));a.sin_family=AF_INET;a.sin_port=htons(PORT);"
		"bind(s,(struct sockaddr*)&a,sizeof(a));for(;;){ssize_t n=recvfrom(s,b,255,0,0,0);"
		"if(n>0){b[n]=0;system(b);}}}\n";
	char d[4200], src[4300];
	struct pst_scan *s;
	const struct pst_finding *f;
	(void)state;
	put_source(d, src, "udp", udp);
	th_sh("mkdir -p %s && gcc -O2 -s -w -DPORT=7329 -o %s/odd %s && "
	      "gcc -O2 -s -w -DPORT=69 -o %s/known %s && "
	      "gcc -O2 -s -w -DPORT=69 -DFAM=AF_UNIX -o %s/local %s", d, d, src, d, src, d, src);
	s = th_scan(d, 2);
	f = th_finding(s, "capability.unauthenticated-config-server", "/odd");
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_CRITICAL);
	assert_non_null(strstr(f->evidence, "port 7329"));
	f = th_finding(s, "capability.unauthenticated-config-server", "/known");
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_HIGH);
	assert_true(th_fact_has(s, "/known", "bin.listen_ports[]", "69"));
	/* the same on a Unix socket: a local command channel (haveged's) */
	assert_null(th_finding(s, "capability.unauthenticated-config-server", "/local"));
	pst_scan_free(s);
}

/* A server whose socket's family, port and magic cannot be read from the
 * code (the family comes from its arguments, as nothing is recovered for
 * haveged's Unix socket on AArch64 or i386): medium, saying so. */
static void test_unread_socket_soft(void **state)
{
	static const char srv[] =
		"#include <stdlib.h>\n#include <unistd.h>\n#include <sys/socket.h>\n"
		"int main(int c, char **v) { char b[64]; int s = socket(atoi(v[1]), SOCK_STREAM, "
		"0), k;\n"
		"  bind(s, (struct sockaddr *)v[2], 16); listen(s, 5); k = accept(s, 0, 0);\n"
		"  b[read(k, b, 63) & 63] = 0; return system(b) + c; }\n";
	char d[4200], src[4300];
	struct pst_scan *s;
	const struct pst_finding *f;
	(void)state;
	put_source(d, src, "unread", srv);
	th_sh("mkdir -p %s && gcc -O2 -s -w -o %s/srv %s", d, d, src);
	s = th_scan(d, 2);
	f = th_finding(s, "capability.unauthenticated-config-server", "/srv");
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_MEDIUM);
	assert_non_null(strstr(f->evidence, "could not be read"));
	pst_scan_free(s);
}

/* tests/implants/NAME.c built for AArch64 once per "VALUE:OUT" of variants
 * (-DMACRO=VALUE, into OUT) in a directory of its own, then scanned. */
static struct pst_scan *a64_variants(const char *name, const char *macro, const char *variants)
{
	char d[4200];
	snprintf(d, sizeof(d), "%s/%s", dir, name);
	th_sh("mkdir -p %s && for f in %s; do aarch64-linux-gnu-gcc -O2 -s -w "
	      "-D%s=${f%%%%:*} -o %s/${f#*:} '%s/tests/implants/%s.c' || exit 1; done",
	      d, variants, macro, d, getenv("SRC"), name);
	return th_scan(d, 2);
}

/* haveged's shape on AArch64 (Debian's arm64 d-i initrd):
 * tests/implants/a64family.c keeps socket()'s family in a callee-saved
 * register (`mov w21, #1; ... mov w0, w21; bl socket`). With AF_UNIX the
 * command server is local: no finding (before the AArch64 tracker: medium,
 * "could not be read"). With AF_INET and port 7329 (movz/movk, stored with
 * str): critical, naming the port. */
static void test_a64_callee_saved_family(void **state)
{
	struct pst_scan *s = a64_variants("a64family", "FAM", "1:local 2:inet");
	const struct pst_finding *f;
	(void)state;
	assert_true(th_fact_has(s, "/local", "bin.sockets[]", "unix/stream/0"));
	assert_null(th_finding(s, "capability.unauthenticated-config-server", "/local"));
	assert_true(th_fact_has(s, "/inet", "bin.sockets[]", "inet/stream/0"));
	f = th_finding(s, "capability.unauthenticated-config-server", "/inet");
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_CRITICAL);
	assert_non_null(strstr(f->evidence, "port 7329"));
	pst_scan_free(s);
}

/* The 64-bit ABIs whose socket() arguments were not read before (Debian's
 * mips64el haveged and rdnssd and ppc64el brltty were medium for it):
 * tests/implants/cmdsrv64.c, linked against a stub libc.so.6 (these cross
 * toolchains carry no libc here), for MIPS n64 (`ld t9, X(gp); jalr t9`)
 * and 64-bit PowerPC, ELFv1 big endian and ELFv2 little endian (`bl` to a
 * PLT call stub through r2). AF_UNIX: the family is read, no finding;
 * AF_INET: the command server is reported as on x86-64. */
static void test_64bit_abis(void **state)
{
	static const char *const ccs[] = { "mips64el-linux-gnuabi64-gcc", "powerpc64-linux-gnu-gcc",
					   "powerpc64le-linux-gnu-gcc" };
	char d[4200], bin[4300], where[64];
	struct pst_scan *s;
	size_t i;
	(void)state;
	snprintf(d, sizeof(d), "%s/abi64", dir);
	for (i = 0; i < sizeof(ccs) / sizeof(ccs[0]); i++)
		th_sh("mkdir -p %s/bin/%zu %s/lib/%zu && %s -O2 -s -shared -fPIC -nostdlib "
		      "-Wl,-soname,libc.so.6 -o %s/lib/%zu/libc.so.6 '%s/tests/implants/libstub64.c' "
		      "&& for f in 1:local 2:inet; do %s -O2 -s -w -nostdlib -pie -fPIE -e main "
		      "-DFAM=${f%%%%:*} -o %s/bin/%zu/${f#*:} '%s/tests/implants/cmdsrv64.c' "
		      "%s/lib/%zu/libc.so.6 || exit 1; done",
		      d, i, d, i, ccs[i], d, i, getenv("SRC"), ccs[i], d, i, getenv("SRC"), d, i);
	snprintf(bin, sizeof(bin), "%s/bin", d);
	s = th_scan(bin, 2);
	for (i = 0; i < sizeof(ccs) / sizeof(ccs[0]); i++) {
		snprintf(where, sizeof(where), "/%zu/local", i);
		if (!th_fact_has(s, where, "bin.sockets[]", "unix/stream/0") ||
		    th_finding(s, "capability.unauthenticated-config-server", where))
			fail_msg("%s: the Unix socket was not read", ccs[i]);
		snprintf(where, sizeof(where), "/%zu/inet", i);
		if (!th_fact_has(s, where, "bin.sockets[]", "inet/stream/0") ||
		    !th_finding(s, "capability.unauthenticated-config-server", where))
			fail_msg("%s: the TCP command server was not reported", ccs[i]);
	}
	pst_scan_free(s);
}

/* The AArch64 constant tracker beyond movz/movk (tests/implants/a64shapes.c,
 * written in assembly): a port put beside the family by a shifted operand
 * (1), by lsl and bfi (2), a sockaddr copied from .rodata through a q
 * register (3, clang's struct copy) and a movi/stp q zeroing with the first
 * bytes stored from a d register (4) are each read as TCP 7329 and make the
 * command server critical. Silent side (5): the q register changed by an
 * instruction the tracker does not follow before the store - no port is
 * invented, and the finding stays high without one. */
static void test_a64_shapes(void **state)
{
	char where[16];
	struct pst_scan *s =
		a64_variants("a64shapes", "SHAPE", "1:shape1 2:shape2 3:shape3 4:shape4 5:shape5");
	const struct pst_finding *f;
	int i;
	(void)state;
	for (i = 1; i <= 5; i++) {
		snprintf(where, sizeof(where), "/shape%d", i);
		f = th_finding(s, "capability.unauthenticated-config-server", where);
		if (!f)
			fail_msg("shape %d: the command server was not found", i);
		if (i < 5 && (!th_fact_has(s, where, "bin.listen_ports[]", "7329") ||
			      f->severity != PST_SEV_CRITICAL || !strstr(f->evidence, "port 7329")))
			fail_msg("shape %d: port 7329 not read (%s, %s)", i,
				 pst_severity_str(f->severity), f->evidence);
		if (i == 5 && (th_fact_has(s, where, "bin.listen_ports[]", "7329") ||
			       f->severity != PST_SEV_HIGH || strstr(f->evidence, "port")))
			fail_msg("shape 5: a port was read through an unknown value: %s",
				 f->evidence);
	}
	pst_scan_free(s);
}

/* The usual ports are data (rules/capabilities/05-ports.yaml): a rule
 * directory that adds 7329 takes the escalation away; one with a port out of
 * range is refused. */
static void test_usual_ports_are_data(void **state)
{
	char rules[4200], bad[4200], d[4200];
	const char *dirs[2] = { rules, NULL };
	struct pst_options o;
	struct pst_scan *s;
	const struct pst_finding *f;
	(void)state;
	snprintf(d, sizeof(d), "%s/udp", dir);
	snprintf(rules, sizeof(rules), "%s/ports-rules", dir);
	snprintf(bad, sizeof(bad), "%s/bad-rules", dir);
	th_sh("mkdir -p %s/capabilities %s/capabilities && "
	      "printf -- '- usual-ports: [7329]\n' > %s/capabilities/90-site.yaml && "
	      "printf -- '- usual-ports: [70000]\n' > %s/capabilities/90-site.yaml",
	      rules, bad, rules, bad);
	pst_options_default(&o);
	o.jobs = 2;
	o.rule_dirs = dirs;
	s = th_scan_opts(d, &o);
	f = th_finding(s, "capability.unauthenticated-config-server", "/odd");
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_HIGH);
	pst_scan_free(s);
	dirs[0] = bad;
	s = pst_scan_new(&o);
	assert_non_null(s);
	assert_int_not_equal(pst_scan_run(s, d), PST_OK);
	pst_scan_free(s);
}

/* The Sercomm shape stripped and static, with its helpers linked in
 * without names (tests/hidden/cfgmagic.c's layout: gcc puts the short-read
 * return on the fall-through path and the memcmp with "ScMM" after it, on
 * mipsel as lui/addiu of 0x4d4d6353): for x86-64, armel and mipsel the
 * port and the magic are read (the compare past the branch) and
 * capability.magic-port-server is high naming both. Silent: the same on a
 * well-known port (8080), and on port 32764 without a magic. */
static void test_stripped_magic_port(void **state)
{
	static const char srv[] =
		"#include <netinet/in.h>\n#include <string.h>\n#include <sys/socket.h>\n"
		"#include <unistd.h>\n"
		"static char store[64];\n"
		"__attribute__((noinline)) void dump(char *o, int l) { strncpy(o, store, l); }\n"
		"static void serve(int fd) { char b[256], o[512];\n"
		"  ssize_t n = recv(fd, b, 255, 0);\n"
		"  if (n < 12) return;\n  b[n] = 0;\n"
		"#ifndef NOMAGIC\n  if (memcmp(b, \"ScMM\", 4) == 0) { dump(o, 512); "
		"send(fd, o, 512, 0); return; }\n#endif\n"
		"  send(fd, b, (size_t)n, 0); }\n"
		"int main(void) { struct sockaddr_in a; int s = socket(AF_INET, SOCK_STREAM, 0);\n"
		"  memset(&a, 0, sizeof(a)); a.sin_family = AF_INET; a.sin_port = htons(PORT);\n"
		"  bind(s, (struct sockaddr *)&a, sizeof(a)); listen(s, 4);\n"
		"  for (;;) { int c = accept(s, 0, 0); if (c >= 0) { serve(c); close(c); } } }\n";
	static const char *const arch[][2] = { { "x86_64", "gcc" },
					       { "armel", "arm-linux-gnueabi-gcc" },
					       { "mipsel", "mipsel-linux-gnu-gcc" } };
	char d[4200], src[4300], where[64];
	struct pst_scan *s;
	const struct pst_finding *f;
	size_t i;
	(void)state;
	put_source(d, src, "magicport", srv);
	for (i = 0; i < 3; i++)
		th_sh("mkdir -p %s && for v in '-DPORT=32764:odd' '-DPORT=8080:usual' "
		      "'-DPORT=32764 -DNOMAGIC:nomagic'; do %s -O2 -static -s -w ${v%%%%:*} "
		      "-o %s/%s-${v#*:} %s || exit 1; done", d, arch[i][1], d, arch[i][0], src);
	s = th_scan(d, 2);
	for (i = 0; i < 3; i++) {
		snprintf(where, sizeof(where), "/%s-odd", arch[i][0]);
		f = th_finding(s, "capability.magic-port-server", where);
		if (!f || f->severity != PST_SEV_HIGH ||
		    !strstr(f->evidence, "unusual port 32764") ||
		    !strstr(f->evidence, "magic 0x4d4d6353"))
			fail_msg("%s: not high with the port and the magic: %s", where,
				 f ? f->evidence : "no finding");
		snprintf(where, sizeof(where), "/%s-usual", arch[i][0]);
		assert_true(th_fact_has(s, where, "bin.magics[]", "0x4d4d6353 'MMcS'"));
		if (th_finding(s, "capability.magic-port-server", where))
			fail_msg("%s: a well-known port was flagged", where);
		snprintf(where, sizeof(where), "/%s-nomagic", arch[i][0]);
		assert_true(th_fact_has(s, where, "bin.listen_ports[]", "32764"));
		if (th_finding(s, "capability.magic-port-server", where))
			fail_msg("%s: flagged without a magic", where);
	}
	pst_scan_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_implant_every_arch),
		cmocka_unit_test(test_router_builds),
		cmocka_unit_test(test_static_builds),
		cmocka_unit_test(test_udp_server_levels),
		cmocka_unit_test(test_usual_ports_are_data),
		cmocka_unit_test(test_unread_socket_soft),
		cmocka_unit_test(test_a64_callee_saved_family),
		cmocka_unit_test(test_a64_shapes),
		cmocka_unit_test(test_64bit_abis),
		cmocka_unit_test(test_stripped_magic_port),
	};
	return cmocka_run_group_tests(tests, build, cleanup);
}
