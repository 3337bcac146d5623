/*
 * test_svcrules.c - the services analyzer's knowledge as data
 * (rules/services/\*.yaml, svcrules.c): the built-in files load and answer as
 * the C tables did; a user file adds to them; a misspelt key, a key of
 * another kind or daemon check, an unknown reader and a word list with a
 * stray key each fail loading, naming the file, line and key.
 */
#include "helpers.h"
#include "analyze/svcrules.h"

static struct svc_rules *builtin(void)
{
	char err[512];
	struct svc_rules *r = svc_rules_load(NULL, err, sizeof(err));
	if (!r)
		fail_msg("built-in services rules: %s", err);
	return r;
}

static void test_boot_places(void **state)
{
	struct svc_rules *r = builtin();
	enum svc_reader t;
	(void)state;
	assert_true(svc_rules_boot(r, "/etc/inittab", &t));
	assert_int_equal(t, SVC_R_INITTAB);
	assert_true(svc_rules_boot(r, "/etc/cron.d/x", &t));
	assert_int_equal(t, SVC_R_CRON_SYS);
	assert_true(svc_rules_boot(r, "/etc/cron.daily/x", &t));
	assert_int_equal(t, SVC_R_SHELL);
	assert_true(svc_rules_boot(r, "/lib/systemd/system/x.service", &t));
	assert_int_equal(t, SVC_R_SYSTEMD);
	/* a systemd directory's other files are no boot files at all */
	assert_false(svc_rules_boot(r, "/etc/systemd/system/README", &t));
	assert_true(svc_rules_boot(r, "/etc/rc3.d/S10net", &t));
	assert_true(svc_rules_boot(r, "/home/u/.bashrc", &t));
	assert_true(svc_rules_boot(r, "/boot/cmdline.txt", &t));
	assert_int_equal(t, SVC_R_CMDLINE);
	assert_false(svc_rules_boot(r, "/usr/bin/rc.d", &t));
	assert_false(svc_rules_boot(r, "/etc/passwd", &t));
	assert_true(svc_rules_only_called(r, "/etc/profile.d/x.sh"));
	assert_false(svc_rules_only_called(r, "/etc/init.d/S50x"));
	svc_rules_free(r);
}

static void test_programs(void **state)
{
	struct svc_rules *r = builtin();
	const struct svc_entry *d;
	(void)state;
	assert_string_equal(svc_rules_bad_dir(r, "/tmp/x"), "a temporary directory");
	assert_string_equal(svc_rules_bad_dir(r, "/dev/shm/x"), "a temporary directory");
	assert_string_equal(svc_rules_bad_dir(r, "/dev/x"), "the device directory");
	assert_null(svc_rules_bad_dir(r, "/dev/null"));
	assert_null(svc_rules_bad_dir(r, "/usr/sbin/x"));
	assert_non_null(svc_rules_downloader(r, "uclient-fetch"));
	assert_null(svc_rules_downloader(r, "cat"));
	d = svc_rules_daemon(r, "dropbear");
	assert_non_null(d);
	assert_int_equal(d->sub, SVC_D_SSH);
	assert_true(svc_entry_port(d, 22));
	assert_false(svc_entry_port(d, 2222));
	d = svc_rules_daemon(r, "tcpsvd");
	assert_non_null(d);
	assert_int_equal(d->arg, 3);
	assert_true(svc_rules_word(r, SVC_W_BUILTINS, "["));
	assert_true(svc_rules_word(r, SVC_W_PASS, "!"));
	assert_false(svc_rules_word(r, SVC_W_BUILTINS, "telnetd"));
	svc_rules_free(r);
}

/* A user file adds to the built-in rules (after them). */
static void test_user_file_adds(void **state)
{
	static const char y[] = "- boot-file: shell\n  paths: [/opt/vendor/boot.sh]\n"
				"- daemon: telnet-server\n  programs: [vtelnetd]\n"
				"  login-option: -x\n";
	char err[512];
	enum svc_reader t;
	struct svc_rules *r = svc_rules_load_text("user.yaml", y, sizeof(y) - 1, true, err,
						  sizeof(err));
	(void)state;
	if (!r)
		fail_msg("%s", err);
	assert_true(svc_rules_boot(r, "/opt/vendor/boot.sh", &t));
	assert_true(svc_rules_boot(r, "/etc/inittab", &t));
	assert_non_null(svc_rules_daemon(r, "vtelnetd"));
	assert_string_equal(svc_rules_daemon(r, "vtelnetd")->login_opt, "-x");
	svc_rules_free(r);
}

static const struct {
	const char *yaml, *want;
} bad[] = {
	/* misspelt key */
	{ "- boot-file: shell\n  path: [/etc/x]\n", "t.yaml:2: unknown key 'path'" },
	{ "- daemon: web-server\n  programs: [httpd]\n  port: -p\n",
	  "t.yaml:3: unknown key 'port'" },
	{ "- biultins: [x]\n", "t.yaml:1: unknown key 'biultins'" },
	/* a key of another kind, or of another daemon check */
	{ "- downloader: wget\n  ports: [80]\n", "t.yaml:2: unknown key 'ports'" },
	{ "- daemon: web-server\n  programs: [httpd]\n  login-option: -l\n",
	  "t.yaml:3: this daemon check does not take 'login-option'" },
	/* values */
	{ "- boot-file: rc-script\n  paths: [/etc/x]\n", "unknown boot-file reader 'rc-script'" },
	{ "- daemon: telnetd\n  programs: [x]\n", "unknown daemon check 'telnetd'" },
	{ "- daemon: web-server\n  programs: [h]\n  ports: [80, 70000]\n", "expected a port" },
	{ "- daemon: netcat\n  programs: [nc]\n  listen-flag: ll\n", "expected one letter" },
	{ "- boot-file: shell\n  paths: /etc/x\n", "t.yaml:2: expected a list" },
	{ "- boot-file: shell\n", "no paths, under, names or globs" },
	{ "- daemon: socat\n", "a daemon needs programs" },
	{ "- boot-file: shell\n  paths: [/a]\n  paths: [/b]\n", "key given twice 'paths'" },
	{ "- builtins: [x]\n  stop-words: [y]\n", "a word list stands alone" },
	{ "- boot-file: shell\n  downloader: wget\n", "a second kind key" },
	{ "boot-file: shell\n", "a list of items" },
	{ "- [a, b]\n", "an item is a mapping" },
	{ "- boot-file: [shell\n", "t.yaml:" },
};

static void test_schema_errors(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[512] = "";
		const char *y = bad[i].yaml;
		struct svc_rules *r = svc_rules_load_text("t.yaml", y, strlen(y), false, err,
							  sizeof(err));
		if (r)
			fail_msg("case %zu loaded: %s", i, bad[i].yaml);
		if (!strstr(err, bad[i].want))
			fail_msg("case %zu: '%s' does not say '%s'", i, err, bad[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_places),
		cmocka_unit_test(test_programs),
		cmocka_unit_test(test_user_file_adds),
		cmocka_unit_test(test_schema_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
