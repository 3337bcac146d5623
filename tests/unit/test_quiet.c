/*
 * test_quiet.c - the library writes nothing to stderr (issue 23): what it
 * has to say goes to the scan's message callback. A scan of a damaged real
 * image with a rule file that does not load (a warning to say) leaves fd 2
 * empty, with and without a callback; the warnings reach the callback. The
 * last-resort exit for out of memory in capstone or OpenSSL (oom.c) tells
 * every live scan's callback (PST_MSG_FATAL), writes nothing to fd 2 and
 * ends the process with exit 70.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "helpers.h"

struct heard {
	unsigned warnings, fatal;
	int fd; /* where a fatal message's text goes (-1: nowhere) */
};

static void on_message(void *ctx, enum pst_msg kind, const char *text)
{
	struct heard *h = ctx;
	if (kind == PST_MSG_WARNING)
		h->warnings++;
	if (kind == PST_MSG_FATAL) {
		h->fatal++;
		if (h->fd >= 0 && write(h->fd, text, strlen(text)) < 0)
			h->fd = -1;
	}
}

/* fd 2 goes to path until stderr_restore. */
static int stderr_to(const char *path)
{
	int saved = dup(2), fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	fflush(stderr);
	assert_int_equal(dup2(fd, 2), 2);
	close(fd);
	return saved;
}

static void stderr_restore(int saved)
{
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
}

static off_t file_size(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/* A real image cut in the middle of its root filesystem, with bytes
 * flipped in its kernel, and a YARA rule file that does not compile (a
 * warning: skipped, the other rules run). */
static void make_damaged(const char *d)
{
	th_sh("cd %s && mkdir -p r && "
	      "head -c 2000000 $SRC/tests/fixtures/real/"
	      "openwrt-r44918-orion-wrt350nv2-squashfs-sysupgrade.img > img.bin && "
	      "printf '\\377\\377\\377\\377' | dd of=img.bin bs=1 seek=70000 conv=notrunc "
	      "2>/dev/null && printf 'rule x { condition: nosuch }\\n' > r/bad.yar", d);
}

static void test_damaged_scan_silent(void **state)
{
	char *d = th_tmpdir(), img[4200], rules[4200], err[4200];
	const char *dirs[2] = { rules, NULL };
	struct heard h = { 0, 0, -1 };
	struct pst_options o;
	struct pst_scan *s;
	int saved, with;
	(void)state;
	make_damaged(d);
	snprintf(img, sizeof(img), "%s/img.bin", d);
	snprintf(rules, sizeof(rules), "%s/r", d);
	snprintf(err, sizeof(err), "%s/stderr", d);
	for (with = 0; with < 2; with++) {
		pst_options_default(&o);
		o.jobs = 2;
		o.rule_dirs = dirs;
		if (with) {
			o.message = on_message;
			o.message_ctx = &h;
		}
		saved = stderr_to(err);
		s = pst_scan_new(&o);
		assert_non_null(s);
		assert_int_equal(pst_scan_run(s, img), PST_OK);
		stderr_restore(saved);
		assert_true(pst_scan_coverage(s)->incomplete + pst_scan_coverage(s)->truncated > 0);
		pst_scan_free(s);
		assert_int_equal(file_size(err), 0);
	}
	assert_true(h.warnings >= 1);
	th_rmtree(d);
}

static void test_oom_exit_through_callback(void **state)
{
	char *d = th_tmpdir(), err[4200], text[256];
	int p[2], status;
	ssize_t n;
	pid_t pid;
	(void)state;
	snprintf(err, sizeof(err), "%s/stderr", d);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct heard h = { 0, 0, p[1] }, quiet = { 0, 0, -1 };
		struct pst_options o, none;
		close(p[0]);
		pst_options_default(&o);
		o.message = on_message;
		o.message_ctx = &h;
		pst_options_default(&none);
		none.message = on_message;
		none.message_ctx = &quiet;
		pst_scan_free(pst_scan_new(&none)); /* freed: no longer told */
		if (!pst_scan_new(&o) || stderr_to(err) < 0)
			_exit(1);
		pst_oom_die();
	}
	close(p[1]);
	n = read(p[0], text, sizeof(text) - 1);
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 70);
	assert_true(n > 0);
	text[n] = 0;
	assert_non_null(strstr(text, "out of memory in a library"));
	assert_int_equal(file_size(err), 0);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_damaged_scan_silent),
		cmocka_unit_test(test_oom_exit_through_callback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
