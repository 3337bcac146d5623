/*
 * test_messages.c - the library writes nothing to stderr (issue 23): what it
 * has to say outside the result (a rule file skipped, a database refused,
 * the progress line) reaches the caller's message callback
 * (pst_options.message), and is dropped when there is none. Each case runs
 * with fd 2 pointed at a file and asserts that file stays empty.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include "helpers.h"

static char *g_tmp;

struct heard {
	unsigned warnings, progress, progress_end;
	char last_warning[1024];
};

static void listen(void *ctx, enum pst_msg kind, const char *text)
{
	struct heard *h = ctx;
	if (kind == PST_MSG_WARNING) {
		h->warnings++;
		snprintf(h->last_warning, sizeof(h->last_warning), "%s", text);
	} else if (kind == PST_MSG_PROGRESS) {
		h->progress++;
	} else if (kind == PST_MSG_PROGRESS_END) {
		h->progress_end++;
	}
}

static int setup(void **state)
{
	(void)state;
	g_tmp = th_tmpdir_with_cache(true);
	th_sh("mkdir -p '%s/rules' && printf 'rule broken { condition: nosuchthing }\\n' > "
	      "'%s/rules/broken.yar' && printf 'just some text\\n' > '%s/target'",
	      g_tmp, g_tmp, g_tmp);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	th_rmtree(g_tmp);
	return 0;
}

/* fd 2 goes to a fresh file until stderr_restore, which returns the bytes
 * written there meanwhile. */
struct capture {
	int saved;
	char path[4200];
};

static void stderr_capture(struct capture *c, const char *name)
{
	int fd;
	snprintf(c->path, sizeof(c->path), "%s/%s.stderr", g_tmp, name);
	fflush(stderr);
	fd = open(c->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	c->saved = dup(2);
	assert_true(c->saved >= 0);
	assert_true(dup2(fd, 2) == 2);
	close(fd);
}

static off_t stderr_restore(struct capture *c)
{
	struct stat st;
	fflush(stderr);
	assert_true(dup2(c->saved, 2) == 2);
	close(c->saved);
	assert_int_equal(stat(c->path, &st), 0);
	return st.st_size;
}

/* Scans g_tmp/target with g_tmp/rules (a YARA file that does not compile)
 * and, when h is given, h as the callback. Returns the scan's result code. */
static enum pst_err scan_with(struct heard *h, bool progress, const char *clamdb)
{
	struct pst_options o;
	struct pst_scan *s;
	char rules[4200], target[4200];
	const char *dirs[2] = { rules, NULL };
	enum pst_err e;

	snprintf(rules, sizeof(rules), "%s/rules", g_tmp);
	snprintf(target, sizeof(target), "%s/target", g_tmp);
	pst_options_default(&o);
	o.jobs = 2;
	o.no_rules_pack = true;
	o.rule_dirs = dirs;
	o.progress = progress;
	o.clamav_db = clamdb;
	if (h) {
		o.message = listen;
		o.message_ctx = h;
	}
	s = pst_scan_new(&o);
	assert_non_null(s);
	e = pst_scan_run(s, target);
	pst_scan_free(s);
	return e;
}

static void test_rule_warning_reaches_callback_not_stderr(void **state)
{
	struct heard h;
	struct capture c;
	enum pst_err e;
	(void)state;
	memset(&h, 0, sizeof(h));
	stderr_capture(&c, "warn");
	e = scan_with(&h, false, NULL);
	assert_int_equal(stderr_restore(&c), 0);
	assert_int_equal(e, PST_OK);
	assert_int_equal(h.warnings, 1);
	assert_non_null(strstr(h.last_warning, "broken.yar"));
	assert_non_null(strstr(h.last_warning, "skipped"));
	assert_int_equal(h.progress + h.progress_end, 0); /* not asked for */
}

static void test_progress_reaches_callback_not_stderr(void **state)
{
	struct heard h;
	struct capture c;
	(void)state;
	memset(&h, 0, sizeof(h));
	stderr_capture(&c, "progress");
	assert_int_equal(scan_with(&h, true, NULL), PST_OK);
	assert_int_equal(stderr_restore(&c), 0);
	assert_true(h.progress >= 1); /* the first file is always shown */
	assert_int_equal(h.progress_end, 1);
}

/* A refused database: the scan fails, and the reason is a message. */
static void test_refusal_reaches_callback_not_stderr(void **state)
{
	struct heard h;
	struct capture c;
	char db[4200];
	enum pst_err e;
	(void)state;
	memset(&h, 0, sizeof(h));
	snprintf(db, sizeof(db), "%s/no-such-db", g_tmp);
	stderr_capture(&c, "refused");
	e = scan_with(&h, false, db);
	assert_int_equal(stderr_restore(&c), 0);
	assert_int_not_equal(e, PST_OK);
	assert_true(h.warnings >= 1);
	assert_non_null(strstr(h.last_warning, "--clamav-db"));
}

/* No callback: the same warnings and progress go nowhere. */
static void test_no_callback_is_silent(void **state)
{
	struct capture c;
	(void)state;
	stderr_capture(&c, "silent");
	assert_int_equal(scan_with(NULL, true, NULL), PST_OK);
	assert_int_equal(stderr_restore(&c), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_warning_reaches_callback_not_stderr),
		cmocka_unit_test(test_progress_reaches_callback_not_stderr),
		cmocka_unit_test(test_refusal_reaches_callback_not_stderr),
		cmocka_unit_test(test_no_callback_is_silent),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
