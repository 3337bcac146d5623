/* test_binary_arch.c - syscall recovery on the ABIs beyond x86-64, armel and
 * mipsel: PowerPC (32/64, big and little endian), MIPS n32 and i386 with
 * socketcall. The implants are compiled at test time with Debian's cross
 * compilers (never executed): glibc static where Debian ships a libc for
 * the ABI, otherwise -nostdlib with inline system calls
 * (tests/implants/bare-bindshell.c), which is what a stripped static
 * implant for such a device looks like. */
#include "helpers.h"
#include "analyze/elf.h"
#include "analyze/syscalls.h"

static const struct {
	const char *name, *cc, *flags, *src, *abi;
} targets[] = {
	{ "ppc32-bare", "powerpc-linux-gnu-gcc", "-nostdlib -Wl,-e,_start", "bare-bindshell", "ppc32" },
	{ "ppc64-bare", "powerpc64-linux-gnu-gcc", "-nostdlib -Wl,-e,_start", "bare-bindshell", "ppc64" },
	{ "ppc64le-bare", "powerpc64le-linux-gnu-gcc", "-nostdlib -Wl,-e,_start", "bare-bindshell",
	  "ppc64" },
	{ "n32-bare", "mips64el-linux-gnuabi64-gcc", "-mabi=n32 -nostdlib -Wl,-e,_start",
	  "bare-bindshell", "mips_n32" },
	{ "ppc32-glibc", "powerpc-linux-gnu-gcc", "", "bindshell", "ppc32" },
	{ "ppc64le-glibc", "powerpc64le-linux-gnu-gcc", "", "bindshell", "ppc64" },
	{ "i386-glibc", "i686-linux-gnu-gcc", "", "bindshell", "i386" },
	{ "i386-glibc-Os", "i686-linux-gnu-gcc", "-Os", "bindshell", "i386" },
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static char *dir;

static int build(void **state)
{
	size_t i;
	(void)state;
	dir = th_tmpdir();
	for (i = 0; i < NTARGETS; i++)
		th_sh("cd %s && %s -O2 %s -static -s -w -o %s '%s/tests/implants/%s.c'", dir,
		      targets[i].cc, targets[i].flags, targets[i].name, getenv("SRC"), targets[i].src);
	return 0;
}

static int cleanup(void **state)
{
	(void)state;
	th_rmtree(dir);
	return 0;
}

static bool has(const struct pst_sysres *r, const char *name)
{
	size_t k;
	for (k = 0; k < r->n; k++)
		if (strcmp(r->names[k], name) == 0)
			return true;
	return false;
}

static void test_tables(void **state)
{
	(void)state;
	assert_string_equal(pst_sysname_of(pst_sys_mips_n32, 6040), "socket");
	assert_string_equal(pst_sysname_of(pst_sys_mips_n32, 6057), "execve");
	assert_string_equal(pst_sysname_of(pst_sys_ppc32, 326), "socket");
	assert_string_equal(pst_sysname_of(pst_sys_ppc32, 11), "execve");
	assert_string_equal(pst_sysname_of(pst_sys_ppc64, 327), "bind");
	assert_string_equal(pst_sysname_of(pst_socketcall, 1), "socket");
	assert_string_equal(pst_sysname_of(pst_socketcall, 2), "bind");
	assert_string_equal(pst_sysname_of(pst_socketcall, 12), "recvfrom");
	assert_null(pst_sysname_of(pst_socketcall, 0));
}

/* Every implant's own system calls are recovered, from the right table. */
static void test_recovered(void **state)
{
	static const char *const need[] = { "socket", "bind", "listen", "accept", "dup2", "execve" };
	size_t i, k;
	(void)state;
	for (i = 0; i < NTARGETS; i++) {
		char path[4200];
		uint8_t *p;
		size_t len;
		struct pst_elf e;
		struct pst_sysres r;
		snprintf(path, sizeof(path), "%s/%s", dir, targets[i].name);
		p = th_read(path, &len);
		assert_true(pst_elf_parse(pst_view_make(p, len), &e));
		assert_false(e.has_symtab);
		assert_true(pst_syscalls_recover(&e, &r));
		if (!r.abi || strcmp(r.abi, targets[i].abi) != 0)
			fail_msg("%s: abi %s, want %s", targets[i].name, r.abi ? r.abi : "none",
				 targets[i].abi);
		for (k = 0; k < sizeof(need) / sizeof(need[0]); k++)
			if (!has(&r, need[k]))
				fail_msg("%s: %s not recovered (%zu/%zu sites)", targets[i].name,
					 need[k], r.resolved, r.sites);
		/* the bare implants: every site resolved, nothing invented */
		if (strstr(targets[i].name, "bare")) {
			assert_int_equal(r.resolved, r.sites);
			assert_int_equal(r.n, 7); /* the six above and exit */
		}
		/* nearly every syscall instruction's number is recovered (64-bit
		 * PowerPC: also glibc's sc fallback reached by a branch) */
		if (r.resolved * 10 < r.sites * 7)
			fail_msg("%s: %zu of %zu sites resolved", targets[i].name, r.resolved, r.sites);
		/* i386: socket calls go through socketcall (102) */
		if (strcmp(targets[i].abi, "i386") == 0)
			assert_true(has(&r, "socketcall"));
		pst_sysres_free(&r);
		pst_elf_free(&e);
		free(p);
	}
}

/* The capability rule fires on every one of them. */
static void test_flagged(void **state)
{
	struct pst_scan *s = th_scan(dir, 2);
	size_t i;
	(void)state;
	for (i = 0; i < NTARGETS; i++) {
		char where[64];
		const struct pst_finding *f;
		snprintf(where, sizeof(where), "/%s", targets[i].name);
		f = th_finding(s, "capability.bind-shell", where);
		if (!f)
			fail_msg("%s: capability.bind-shell did not fire", targets[i].name);
		assert_int_equal(f->severity, PST_SEV_CRITICAL);
	}
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
	pst_scan_free(s);
}

/* A clean static program for the same ABIs (no network, no shell) stays
 * silent: recovery alone makes no finding. */
static void test_clean(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && printf '%%s\\n' '#include <stdio.h>' '#include <fcntl.h>' '#include <unistd.h>'"
	      " 'int main(int c, char **v) { char b[512]; int f = open(v[c - 1], O_RDONLY);"
	      " ssize_t n; while ((n = read(f, b, sizeof b)) > 0) write(1, b, (size_t)n);"
	      " return close(f); }' > cat.c"
	      " && powerpc-linux-gnu-gcc -O2 -static -s -o cat-ppc cat.c"
	      " && powerpc64le-linux-gnu-gcc -O2 -static -s -o cat-ppc64le cat.c"
	      " && i686-linux-gnu-gcc -O2 -static -s -o cat-i386 cat.c", d);
	s = th_scan(d, 2);
	assert_int_equal(th_count_at_least(s, PST_SEV_LOW), 0);
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_PASS);
	pst_scan_free(s);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_recovered),
		cmocka_unit_test(test_flagged),
		cmocka_unit_test(test_clean),
	};
	return cmocka_run_group_tests(tests, build, cleanup);
}
