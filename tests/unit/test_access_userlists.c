/*
 * test_access_userlists.c - a user's --rules directory adds access data to
 * the compiled-in lists (src/analyze/access.c, acc_lists_init): an extra
 * default password (DIR/access/default-passwords-*.txt) makes
 * account.default-password fire where the built-in list stays silent, and an
 * extra known test key (DIR/known-test-keys.txt) turns key.private into
 * key.known-test-key; without the directory both stay as before.
 */
#include "helpers.h"

static char *g_tmp;

static struct pst_scan *scan_rules(const char *path, const char *rules)
{
	const char *dirs[2] = { rules, NULL };
	struct pst_options o;
	pst_options_default(&o);
	o.jobs = 2;
	o.no_rules_pack = true;
	o.rule_dirs = rules ? dirs : NULL;
	return th_scan_opts(path, &o);
}

static void test_user_default_password(void **state)
{
	char target[4200], rules[4200];
	struct pst_scan *s;
	const struct pst_finding *f;
	(void)state;
	snprintf(target, sizeof(target), "%s/pwtarget", g_tmp);
	snprintf(rules, sizeof(rules), "%s/pwrules", g_tmp);
	th_sh("mkdir -p '%s/etc' '%s/access' && "
	      "printf 'root:x:0:0:root:/root:/bin/sh\\n' > '%s/etc/passwd' && "
	      "echo \"root:$(openssl passwd -6 -salt Qx7bbbbb 'lab-factory-77'):19000:0:99999:7:::\" > '%s/etc/shadow' && "
	      "printf '# our lab: factory passwords seen in vendor X images\\nlab-factory-77\\n' > '%s/access/default-passwords-lab.txt'",
	      target, rules, target, target, rules);
	s = scan_rules(target, NULL);
	assert_null(th_finding(s, "account.default-password", NULL));
	pst_scan_free(s);
	s = scan_rules(target, rules);
	f = th_finding(s, "account.default-password", "/etc/shadow");
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_CRITICAL);
	pst_scan_free(s);
	/* a file of another name is not a list */
	th_sh("mv '%s/access/default-passwords-lab.txt' '%s/access/passwords.txt'", rules, rules);
	s = scan_rules(target, rules);
	assert_null(th_finding(s, "account.default-password", NULL));
	pst_scan_free(s);
}

static void test_user_known_test_key(void **state)
{
	char target[4200], rules[4200];
	struct pst_scan *s;
	(void)state;
	snprintf(target, sizeof(target), "%s/keytarget", g_tmp);
	snprintf(rules, sizeof(rules), "%s/keyrules", g_tmp);
	th_sh("mkdir -p '%s/etc/app' '%s' && "
	      "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out '%s/etc/app/selftest.pem' 2>/dev/null && "
	      "echo \"$(openssl pkey -in '%s/etc/app/selftest.pem' -pubout -outform DER | sha256sum | cut -d' ' -f1) "
	      "vendor X self-test key, published in its SDK\" > '%s/known-test-keys.txt'",
	      target, rules, target, target, rules);
	s = scan_rules(target, NULL);
	assert_non_null(th_finding(s, "key.private", "/etc/app/selftest.pem"));
	assert_null(th_finding(s, "key.known-test-key", NULL));
	pst_scan_free(s);
	s = scan_rules(target, rules);
	assert_non_null(th_finding(s, "key.known-test-key", "/etc/app/selftest.pem"));
	assert_null(th_finding(s, "key.private", NULL));
	pst_scan_free(s);
}

static int setup(void **state)
{
	(void)state;
	g_tmp = th_tmpdir_with_cache(false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	th_rmtree(g_tmp);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_default_password),
		cmocka_unit_test(test_user_known_test_key),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
