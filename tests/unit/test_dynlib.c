/*
 * test_dynlib.c - opening a library by SONAME and resolving its functions
 * (src/core/dynlib.c): a library that is not there and a function that is
 * not there are named in the error and leave nothing callable; real ones
 * resolve to functions that answer as the linked ones do, once, from any
 * thread.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>
#include "dynlib.h"
#ifdef PST_LIBCLAMAV_SONAME
#include <clamav.h>
#endif

#define NO_LIB "libpostern-not-there.so.7"

/* Declared for its type only: no library defines it. */
int pst_test_not_there(int x);

#define Z_FUNCS(X) X(zlibVersion) X(crc32)
struct z_fns {
	Z_FUNCS(PST_DYNLIB_FN)
};
#define Z_SYM(f) PST_DYNLIB_SYM(struct z_fns, f)
static const struct pst_dynsym z_syms[] = { Z_FUNCS(Z_SYM) };

#define BAD_FUNCS(X) X(zlibVersion) X(pst_test_not_there)
struct bad_fns {
	BAD_FUNCS(PST_DYNLIB_FN)
};
#define BAD_SYM(f) PST_DYNLIB_SYM(struct bad_fns, f)
static const struct pst_dynsym bad_syms[] = { BAD_FUNCS(BAD_SYM) };

static void test_missing_library(void **st)
{
	static struct z_fns z;
	static struct pst_dynlib lib = PST_DYNLIB(NO_LIB, z_syms, z);
	(void)st;
	assert_string_equal(pst_dynlib_error(&lib), "");
	assert_false(pst_dynlib_load(&lib));
	assert_non_null(strstr(pst_dynlib_error(&lib), "cannot load " NO_LIB));
	assert_null(z.zlibVersion);
	/* the first answer stands */
	assert_false(pst_dynlib_load(&lib));
	assert_non_null(strstr(pst_dynlib_error(&lib), NO_LIB));
}

static void test_missing_function(void **st)
{
	static struct bad_fns b;
	static struct pst_dynlib lib = PST_DYNLIB(PST_LIBZ_SONAME, bad_syms, b);
	const char *e;
	(void)st;
	assert_false(pst_dynlib_load(&lib));
	e = pst_dynlib_error(&lib);
	assert_non_null(strstr(e, PST_LIBZ_SONAME));
	assert_non_null(strstr(e, "pst_test_not_there"));
	/* all or nothing: the function that resolved is not kept either */
	assert_null(b.zlibVersion);
	assert_null(b.pst_test_not_there);
}

static struct z_fns z_real;
static struct pst_dynlib z_lib = PST_DYNLIB(PST_LIBZ_SONAME, z_syms, z_real);

static void *load_z(void *arg)
{
	(void)arg;
	return pst_dynlib_load(&z_lib) ? &z_real : NULL;
}

static void test_real_library(void **st)
{
	pthread_t t[4];
	void *r;
	int i;
	(void)st;
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, load_z, NULL), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], &r), 0);
		assert_ptr_equal(r, &z_real);
	}
	assert_string_equal(pst_dynlib_error(&z_lib), "");
	assert_string_equal(z_real.zlibVersion(), zlibVersion());
	/* CRC-32 of "abc" (the check value of the IEEE polynomial's tables) */
	assert_int_equal(z_real.crc32(0, (const Bytef *)"abc", 3), 0x352441c2);
}

#ifdef PST_LIBCLAMAV_SONAME
/* libclamav is linked into nothing: this is a library the process did not
 * have mapped before. */
#define CL_FUNCS(X) X(cl_retflevel) X(cl_strerror)
struct cl_fns {
	CL_FUNCS(PST_DYNLIB_FN)
};
#define CL_SYM(f) PST_DYNLIB_SYM(struct cl_fns, f)
static const struct pst_dynsym cl_syms[] = { CL_FUNCS(CL_SYM) };

static void test_clamav(void **st)
{
	static struct cl_fns cl;
	static struct pst_dynlib lib = PST_DYNLIB(PST_LIBCLAMAV_SONAME, cl_syms, cl);
	(void)st;
	assert_true(pst_dynlib_load(&lib));
	assert_true(cl.cl_retflevel() > 0);
	assert_string_equal(cl.cl_strerror(CL_SUCCESS), "No viruses detected");
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_missing_function),
		cmocka_unit_test(test_real_library),
#ifdef PST_LIBCLAMAV_SONAME
		cmocka_unit_test(test_clamav),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
