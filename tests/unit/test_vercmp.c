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

/* PEP 440's own examples (its "Summary of permitted suffixes and relative
 * ordering" and "Normalization" sections). */
static void test_pep440(void **st)
{
	static const char *const chain[] = {
		"1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456",
		"1.0b2", "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0",
		"1.0+abc.5", "1.0+abc.7", "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15",
		"1.1.dev1",
	};
	(void)st;
	for (size_t i = 0; i + 1 < sizeof(chain) / sizeof(chain[0]); i++)
		older(PST_VER_PEP440, chain[i], chain[i + 1]);
	older(PST_VER_PEP440, "2.0", "1!1.0");                 /* the epoch wins */
	older(PST_VER_PEP440, "1!1.0", "2!0.1");
	same(PST_VER_PEP440, "1.0", "1.0.0");                  /* trailing zeros */
	same(PST_VER_PEP440, "1.0", "0!1.0");
	same(PST_VER_PEP440, "1.0a1", "1.0alpha1");            /* spellings */
	same(PST_VER_PEP440, "1.0b1", "1.0-beta.1");
	same(PST_VER_PEP440, "1.0rc1", "1.0c1");
	same(PST_VER_PEP440, "1.0rc1", "1.0.preview1");
	same(PST_VER_PEP440, "1.0a0", "1.0a");                 /* a missing number is 0 */
	same(PST_VER_PEP440, "1.0.post1", "1.0-1");            /* implicit post release */
	same(PST_VER_PEP440, "1.0.post1", "1.0_rev1");
	same(PST_VER_PEP440, "1.0.dev0", "1.0-dev");
	same(PST_VER_PEP440, "1.01", "1.1");                   /* numbers, not text */
	same(PST_VER_PEP440, "v1.0", "1.0");
	same(PST_VER_PEP440, "1.0+ubuntu-1", "1.0+ubuntu.1");  /* local separators */
	older(PST_VER_PEP440, "1.9", "1.10");
	older(PST_VER_PEP440, "1.0rc2", "1.0rc10");
	older(PST_VER_PEP440, "1.0.dev1", "1.0a1.dev1");       /* a bare dev before any pre */
	older(PST_VER_PEP440, "1.0", "1.0+local");             /* a local label after */
	older(PST_VER_PEP440, "1.0+abc", "1.0+abc.1");         /* a prefix first */
	older(PST_VER_PEP440, "1.0+zzz", "1.0+1");             /* numbers after words */
	older(PST_VER_PEP440, "1.0+9", "1.0+10");
	older(PST_VER_PEP440, "1.0+local", "1.0.post0");
	older(PST_VER_PEP440, "3.2.0", "18446744073709551616.0"); /* no overflow */
	/* an OSV PyPI range: Jinja2 < 3.1.3 (GHSA-h5c8-rqwp-cp95) */
	older(PST_VER_PEP440, "3.1.3rc1", "3.1.3");
	older(PST_VER_PEP440, "3.1.2.post1", "3.1.3");
	/* not PEP 440: the generic ordering, still total */
	older(PST_VER_PEP440, "1.0-foo", "1.1-foo");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg),
		cmocka_unit_test(test_rpm),
		cmocka_unit_test(test_semver),
		cmocka_unit_test(test_generic),
		cmocka_unit_test(test_pep440),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
