/*
 * test_vercmp.c - the version orderings (src/core/vercmp.c): each case is a
 * pair the ecosystem's own documentation or tool orders, checked both ways.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "vercmp.h"

/* a < b under s, and b > a, and each equal to itself */
static void older(enum pst_ver_scheme s, const char *a, const char *b)
{
	if (pst_ver_cmp(s, a, b) >= 0 || pst_ver_cmp(s, b, a) <= 0)
		fail_msg("scheme %d: expected %s < %s (got %d)", (int)s, a, b,
			 pst_ver_cmp(s, a, b));
	assert_int_equal(pst_ver_cmp(s, a, a), 0);
}

static void same(enum pst_ver_scheme s, const char *a, const char *b)
{
	if (pst_ver_cmp(s, a, b) != 0 || pst_ver_cmp(s, b, a) != 0)
		fail_msg("scheme %d: expected %s == %s", (int)s, a, b);
}

static void test_dpkg(void **st)
{
	(void)st;
	older(PST_VER_DPKG, "1.0", "1.1");
	older(PST_VER_DPKG, "1.9", "1.10");
	older(PST_VER_DPKG, "2.0", "1:0.1");              /* the epoch wins */
	older(PST_VER_DPKG, "1:2.0", "2:1.0");
	same(PST_VER_DPKG, "0:1.2-3", "1.2-3");            /* a missing epoch is 0 */
	older(PST_VER_DPKG, "1.0~rc1", "1.0");            /* tilde before the end */
	older(PST_VER_DPKG, "1.0~~", "1.0~");
	older(PST_VER_DPKG, "1.0~", "1.0");
	older(PST_VER_DPKG, "1.0", "1.0a");               /* letters after the end */
	older(PST_VER_DPKG, "1.0a", "1.0+");              /* non-letters after letters */
	older(PST_VER_DPKG, "3.0.11-1~deb12u1", "3.0.11-1");  /* a backport before the release */
	older(PST_VER_DPKG, "3.0.9-1", "3.0.11-1~deb12u1");
	older(PST_VER_DPKG, "3.0.11-1~deb12u1", "3.0.11-1~deb12u2");
	older(PST_VER_DPKG, "1:1.36.1-9", "1:1.36.1-9+deb12u1");
	older(PST_VER_DPKG, "1.2-3", "1.2-10");           /* revisions compare as numbers */
	same(PST_VER_DPKG, "1.02", "1.2");
	older(PST_VER_DPKG, "1.2-3-4", "1.2-3-5");        /* the last '-' starts the revision */
}

static void test_rpm(void **st)
{
	(void)st;
	older(PST_VER_RPM, "1.0", "1.0.1");
	older(PST_VER_RPM, "1.0a", "1.0.1");              /* a number beats letters */
	older(PST_VER_RPM, "2.0", "1:1.0");
	older(PST_VER_RPM, "1.0~rc1", "1.0");
	older(PST_VER_RPM, "1.0", "1.0^git1");            /* caret after the end... */
	older(PST_VER_RPM, "1.0^git1", "1.0.1");          /* ...before anything more */
	same(PST_VER_RPM, "1.0", "1_0");                  /* separators only separate */
	same(PST_VER_RPM, "1.001", "1.1");
	older(PST_VER_RPM, "3.0.7-16.el9", "3.0.7-18.el9");
	older(PST_VER_RPM, "1.1.1k-7.el8", "1.1.1k-12.el8");
	older(PST_VER_RPM, "a", "b");
	same(PST_VER_RPM, "1.2", "1.2-5");                /* a release counts on both sides only */
}

static void test_semver(void **st)
{
	(void)st;
	older(PST_VER_SEMVER, "1.0.0-alpha", "1.0.0-alpha.1");
	older(PST_VER_SEMVER, "1.0.0-alpha.1", "1.0.0-alpha.beta");
	older(PST_VER_SEMVER, "1.0.0-alpha.beta", "1.0.0-beta");
	older(PST_VER_SEMVER, "1.0.0-beta", "1.0.0-beta.2");
	older(PST_VER_SEMVER, "1.0.0-beta.2", "1.0.0-beta.11");
	older(PST_VER_SEMVER, "1.0.0-beta.11", "1.0.0-rc.1");
	older(PST_VER_SEMVER, "1.0.0-rc.1", "1.0.0");
	older(PST_VER_SEMVER, "1.9.0", "1.10.0");
	older(PST_VER_SEMVER, "v1.2.3", "1.2.4");
	same(PST_VER_SEMVER, "1.0.0+build.1", "1.0.0+build.2"); /* build metadata is ignored */
	same(PST_VER_SEMVER, "1.2", "1.2.0");
	older(PST_VER_SEMVER, "0.0.9", "0.1.0");
}

static void test_generic(void **st)
{
	(void)st;
	older(PST_VER_GENERIC, "1.30.1", "1.34.0");
	older(PST_VER_GENERIC, "1.1.1", "1.1.1k");        /* OpenSSL letter releases */
	older(PST_VER_GENERIC, "1.1.1k", "1.1.1w");
	older(PST_VER_GENERIC, "1.1.1w", "3.0.0");
	older(PST_VER_GENERIC, "9.2", "9.2p1");
	older(PST_VER_GENERIC, "2.0rc1", "2.0");          /* a pre-release before the release */
	older(PST_VER_GENERIC, "2.0-beta2", "2.0");
	older(PST_VER_GENERIC, "2.0", "2.0.1");
	older(PST_VER_GENERIC, "2.0rc1", "2.0.1");
	older(PST_VER_GENERIC, "2.85", "2.86");
	older(PST_VER_GENERIC, "2019.78", "2020.79");     /* dropbear */
	older(PST_VER_GENERIC, "4.14.9", "4.14.180");
	same(PST_VER_GENERIC, "1.2.3", "1.2.3");
	same(PST_VER_GENERIC, "", "");
	older(PST_VER_GENERIC, "", "0.1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg),
		cmocka_unit_test(test_rpm),
		cmocka_unit_test(test_semver),
		cmocka_unit_test(test_generic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
