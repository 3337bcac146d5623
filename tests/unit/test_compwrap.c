/*
 * test_compwrap.c - comparison wrappers (src/analyze/compwrap.c): a
 * program's own function that passes two of its arguments to a comparison
 * function and returns the result (a tail jump: as it is) or whether it
 * was zero is a wrapper, with its polarity; one that compares with a
 * constant of its own, or does arithmetic on the result, is not. Also the
 * request-header names the search recognises, and the web server modules
 * the role rules name (pst_caprules_module_role).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <capstone/capstone.h>
#include "analyze/binfeat.h"
#include "analyze/compwrap.h"
#include "analyze/elf.h"

/* gcc -O2 -fno-pic -c of, at 0x1000, 0x1030, 0x1050, 0x1060 (the calls'
 * displacements left 0: the sites are given to the scan, not read):
 *   int eq_slen(const struct buf *b, const char *s, size_t n)
 *   { return b->used == n + 1 && 0 == memcmp(b->ptr, s, n); }
 *   int is_foo(const char *x) { return strcmp(x, "foo") == 0; }
 *   int cmpw(const char *a, const char *b) { return strcmp(a, b); }
 *   int before(const char *a, const char *b) { return strcmp(a, b) < 0; } */
static const uint8_t code[] = {
	0x48, 0x8d, 0x4a, 0x01, 0x48, 0x39, 0x4f, 0x08, 0x74, 0x06, 0x31, 0xc0, 0xc3, 0x0f,
	0x1f, 0x00, 0x48, 0x83, 0xec, 0x08, 0x48, 0x8b, 0x3f, 0xe8, 0x00, 0x00, 0x00, 0x00,
	0x85, 0xc0, 0x0f, 0x94, 0xc0, 0x48, 0x83, 0xc4, 0x08, 0x0f, 0xb6, 0xc0, 0xc3, 0x0f,
	0x1f, 0x80, 0x00, 0x00, 0x00, 0x00,
	0x48, 0x83, 0xec, 0x08, 0xbe, 0x00, 0x00, 0x00, 0x00, 0xe8, 0x00, 0x00, 0x00, 0x00,
	0x85, 0xc0, 0x0f, 0x94, 0xc0, 0x48, 0x83, 0xc4, 0x08, 0x0f, 0xb6, 0xc0, 0xc3, 0x0f,
	0x1f, 0x44, 0x00, 0x00,
	0xe9, 0x00, 0x00, 0x00, 0x00, 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00,
	0x00, 0x00,
	0x48, 0x83, 0xec, 0x08, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x48, 0x83, 0xc4, 0x08, 0xc1,
	0xe8, 0x1f, 0xc3,
};

enum { STRCMP = 0, MEMCMP = 4 };

static void test_wrappers_x86(void **state)
{
	struct pst_elf_sect text = { .name = ".text", .type = PST_SHT_PROGBITS,
				     .flags = PST_SHF_EXECINSTR, .addr = 0x1000, .off = 0,
				     .size = sizeof(code) };
	struct pst_elf e;
	struct pst_compwrap w[8];
	struct pst_wrapscan *s = pst_wrapscan_new();
	csh h;
	size_t n;
	(void)state;
	memset(&e, 0, sizeof(e));
	e.v.p = code;
	e.v.len = sizeof(code);
	e.sects = &text;
	e.nsects = 1;
	assert_non_null(s);
	assert_int_equal(cs_open(CS_ARCH_X86, CS_MODE_64, &h), CS_ERR_OK);
	pst_wrapscan_target(s, 0x1060);
	pst_wrapscan_target(s, 0x1000);
	pst_wrapscan_target(s, 0x1030);
	pst_wrapscan_target(s, 0x1050);
	pst_wrapscan_target(s, 0x1000);
	pst_wrapscan_cmp(s, 0x1017, MEMCMP, false);
	pst_wrapscan_cmp(s, 0x1039, STRCMP, false);
	pst_wrapscan_cmp(s, 0x1050, STRCMP, true);
	pst_wrapscan_cmp(s, 0x1064, STRCMP, false);
	n = pst_wrapscan_find(s, &e, h, PST_ISA_X64, w, 8);
	assert_int_equal(n, 2);
	/* eq_slen: memcmp(b->ptr, s, n) == 0, so nonzero when equal */
	assert_int_equal(w[0].addr, 0x1000);
	assert_int_equal(w[0].id, MEMCMP);
	assert_true(w[0].inverted);
	/* cmpw: the tail jump returns strcmp's own result */
	assert_int_equal(w[1].addr, 0x1050);
	assert_int_equal(w[1].id, STRCMP);
	assert_false(w[1].inverted);
	/* is_foo compares with its own constant, before returns a sign */
	assert_null(pst_compwrap_at(w, n, 0x1030));
	assert_null(pst_compwrap_at(w, n, 0x1060));
	assert_ptr_equal(pst_compwrap_at(w, n, 0x1050), &w[1]);
	assert_string_equal(pst_compwrap_via("memcmp"), "memcmp wrapper");
	/* the same code read as i386 or AArch64: their calls, returns and
	 * argument registers are not what this reading knows, no wrapper */
	assert_int_equal(pst_wrapscan_find(s, &e, h, PST_ISA_X86, w, 8), 0);
	assert_int_equal(pst_wrapscan_find(s, &e, h, PST_ISA_A64, w, 8), 0);
	cs_close(&h);
	pst_wrapscan_free(s);
}

/* Nothing seen: no wrapper, and freeing NULL is allowed. */
static void test_empty(void **state)
{
	struct pst_wrapscan *s = pst_wrapscan_new();
	struct pst_compwrap w[1];
	struct pst_elf e;
	csh h;
	(void)state;
	memset(&e, 0, sizeof(e));
	assert_int_equal(cs_open(CS_ARCH_X86, CS_MODE_64, &h), CS_ERR_OK);
	assert_int_equal(pst_wrapscan_find(s, &e, h, PST_ISA_X64, w, 1), 0);
	pst_wrapscan_cmp(s, 0x1017, MEMCMP, false);
	assert_int_equal(pst_wrapscan_find(s, &e, h, PST_ISA_X64, w, 1), 0);
	cs_close(&h);
	pst_wrapscan_free(s);
	pst_wrapscan_free(NULL);
}

static void test_header_names(void **state)
{
	(void)state;
	assert_true(pst_http_header_name("User-Agent"));
	assert_true(pst_http_header_name("X-Forwarded-For"));
	assert_true(pst_http_header_name("Cookie"));
	assert_true(pst_http_header_name("Authorization"));
	assert_false(pst_http_header_name("REMOTE_USER"));
	assert_false(pst_http_header_name("QUERY_STRING"));
	assert_false(pst_http_header_name("user-agent"));
	assert_false(pst_http_header_name("Basic "));
	assert_false(pst_http_header_name("/dev.cgi"));
	assert_false(pst_http_header_name("Content-"));
}

/* A role's modules: (rules/roles/10-servers.yaml) names the entry points of
 * the modules its servers load: a shared object exporting one is such a
 * module; an import of that name, another name or a program is not. */
static void test_module_role(void **state)
{
	const char *dirs[1] = { NULL };
	char err[512];
	struct pst_needles *ns = pst_needles_new();
	struct pst_caprules *r;
	struct pst_elf_sym sym = { .name = "mod_auth_plugin_init", .shndx = 11, .type = 2,
				   .dynamic = true };
	struct pst_elf e;
	const char *role;
	(void)state;
	assert_non_null(ns);
	r = pst_caprules_load(dirs, ns, 0, err, sizeof(err));
	assert_non_null(r);
	memset(&e, 0, sizeof(e));
	e.type = PST_ET_DYN;
	e.syms = &sym;
	e.nsyms = 1;
	role = pst_caprules_module_role(r, &e);
	assert_non_null(role);
	assert_string_equal(role, "capability.role.web-server");
	sym.name = "mod_auth_init";
	assert_null(pst_caprules_module_role(r, &e));
	sym.name = "mod_auth_plugin_init";
	sym.shndx = 0; /* an import */
	assert_null(pst_caprules_module_role(r, &e));
	sym.shndx = 11;
	e.interp = "/lib/ld-linux.so.2"; /* a program */
	assert_null(pst_caprules_module_role(r, &e));
	pst_caprules_free(r);
	pst_needles_free(ns);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrappers_x86),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_header_names),
		cmocka_unit_test(test_module_role),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
