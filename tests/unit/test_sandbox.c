/* test_sandbox.c - once confined, a process cannot run programs, open
 * sockets or write files, and can still scan (threads, read-only opens). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "helpers.h"

static void *nop_thread(void *arg)
{
	return arg;
}

/* Runs in a child; returns a bit mask of the checks that went wrong. */
static int confined_checks(const char *dir, const char *fixture, bool allow_write)
{
	struct pst_sandbox_opts o = { allow_write, 0, 0 };
	char err[256], path[4200];
	char *const argv[] = { "/bin/true", NULL };
	int bad = 0, fd;
	pthread_t t;
	struct pst_scan *s;
	struct pst_options opts;

	if (pst_sandbox_enter(&o, err, sizeof(err)) != PST_OK)
		return 1;
	execv("/bin/true", argv); /* returns only when refused */
	if (errno != EPERM)
		bad |= 2;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0 || errno != EPERM)
		bad |= 4;
	snprintf(path, sizeof(path), "%s/written", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (allow_write ? fd < 0 : (fd >= 0 || errno != EPERM))
		bad |= 8;
	if (fd >= 0)
		close(fd);
	fd = open(fixture, O_RDONLY);
	if (fd < 0)
		bad |= 16;
	else
		close(fd);
	if (pthread_create(&t, NULL, nop_thread, NULL) != 0 || pthread_join(t, NULL) != 0)
		bad |= 32;
	pst_options_default(&opts);
	opts.jobs = 2;
	s = pst_scan_new(&opts);
	if (!s || pst_scan_run(s, fixture) != PST_OK || !th_node(s, "gzip.bin!/lsb-release") ||
	    th_node(s, "gzip.bin!/lsb-release")->size != 104)
		bad |= 64;
	pst_scan_free(s);
	return bad;
}

static void run_child(bool allow_write)
{
	char *d = th_tmpdir();
	pid_t pid;
	int status = 0;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(confined_checks(d, FIXTURE_DIR "/binwalk/gzip.bin", allow_write));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != 0)
		fail_msg("sandbox checks failed: mask 0x%x", WEXITSTATUS(status));
	th_rmtree(d);
}

static void test_sandbox_refuses(void **state)
{
	(void)state;
	run_child(false);
}

static void test_sandbox_extract_mode_writes(void **state)
{
	(void)state;
	run_child(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sandbox_refuses),
		cmocka_unit_test(test_sandbox_extract_mode_writes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
