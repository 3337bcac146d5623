/* test_sandbox.c - once confined, a process cannot run programs, open
 * sockets or write files, and can still scan (threads, read-only opens). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "helpers.h"

static void *nop_thread(void *arg)
{
	return arg;
}

/* Runs in a child; returns a bit mask of the checks that went wrong. */
static int confined_checks(const char *dir, const char *fixture, bool allow_write)
{
	struct pst_sandbox_opts o = { .allow_write = allow_write };
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

#if defined(__SANITIZE_ADDRESS__)
#define TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_SANITIZED 1
#endif
#endif

/* The corners of the filter (review for issue 7): the open flags mask,
 * openat2, processes, signals and resource limits. Bit mask of failures. */
static int hole_checks(const char *dir)
{
	struct pst_sandbox_opts o = { .allow_write = false };
	struct rlimit rl;
	char err[256], path[4200];
	int bad = 0, fd;

	if (pst_sandbox_enter(&o, err, sizeof(err)) != PST_OK)
		return 1;
	/* O_RDONLY | O_CREAT would create an empty file */
	snprintf(path, sizeof(path), "%s/created", dir);
	fd = open(path, O_RDONLY | O_CREAT, 0644);
	if (fd >= 0 || errno != EPERM || access(path, F_OK) == 0)
		bad |= 2;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0 || errno != EPERM)
		bad |= 2;
#ifdef SYS_openat2
	{
		/* openat2 takes its flags in a struct the filter cannot read */
		uint64_t how[3] = { O_WRONLY | O_CREAT, 0644, 0 };
		long r = syscall(SYS_openat2, AT_FDCWD, path, how, sizeof(how));
		if (r >= 0 || errno != EPERM)
			bad |= 4;
	}
#endif
	/* no other process may be signalled, its limits changed, or our own raised */
	if (syscall(SYS_tgkill, getppid(), getppid(), 0) == 0 || errno != EPERM)
		bad |= 8;
	if (syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), 0) != 0)
		bad |= 8; /* raise() to itself still works */
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		bad |= 16;
	else if (setrlimit(RLIMIT_NOFILE, &rl) == 0 || errno != EPERM)
		bad |= 16;
	if (prlimit(getppid(), RLIMIT_NOFILE, NULL, &rl) == 0)
		bad |= 16;
	if (syscall(SYS_memfd_create, "x", 0) >= 0 || errno != EPERM)
		bad |= 32;
#ifndef TEST_SANITIZED
	/* sanitizer builds allow clone, ptrace and prctl for LeakSanitizer */
	if (fork() >= 0 || errno != EPERM)
		bad |= 64;
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0 || errno != EPERM)
		bad |= 64;
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0 || errno != EPERM)
		bad |= 64;
#endif
	return bad;
}

static void test_sandbox_holes(void **state)
{
	char *d = th_tmpdir();
	pid_t pid;
	int status = 0;
	(void)state;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(hole_checks(d));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != 0)
		fail_msg("sandbox hole checks failed: mask 0x%x", WEXITSTATUS(status));
	th_rmtree(d);
}

#if defined(__x86_64__)
/* A 32-bit (int 0x80) system call is another syscall table the filter does
 * not describe: it must kill the process, not run (execve is 11 there). */
static void test_sandbox_other_abi(void **state)
{
	struct pst_sandbox_opts o = { .allow_write = false };
	char err[256];
	pid_t pid;
	int status = 0;
	(void)state;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		long r = 20; /* getpid on i386 */
		if (pst_sandbox_enter(&o, err, sizeof(err)) != PST_OK)
			_exit(1);
		__asm__ volatile("int $0x80" : "+a"(r) : : "memory");
		_exit(r > 0 ? 2 : 3); /* reached: the call was not stopped */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 3)) { /* 3: no IA32 emulation */
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), SIGSYS);
	}
	/* x32: the same numbers with bit 30 set */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (pst_sandbox_enter(&o, err, sizeof(err)) != PST_OK)
			_exit(1);
		syscall(0x40000000L | SYS_getpid);
		_exit(2);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSYS);
}
#endif

/* Landlock: with an extraction directory, a confined process may create
 * files only under it and read only under the declared inputs (and the
 * system's library directories). Bit mask of failures. */
static int landlock_checks(const char *dir)
{
	char ex[4200], out[4200], in[4200], secret[4200], path[4300], err[256];
	const char *reads[] = { in, NULL };
	struct pst_sandbox_opts o = { .allow_write = true, .read_paths = reads, .write_dir = ex };
	struct pst_scan *s;
	struct pst_options opts;
	int bad = 0, fd;

	snprintf(ex, sizeof(ex), "%s/extract", dir);
	snprintf(out, sizeof(out), "%s/outside", dir);
	snprintf(in, sizeof(in), "%s/input", dir);
	snprintf(secret, sizeof(secret), "%s/outside/secret", dir);
	if (pst_sandbox_enter(&o, err, sizeof(err)) != PST_OK)
		return 1;
	/* outside DIR: no new file, no directory, no writing an existing one */
	snprintf(path, sizeof(path), "%s/new", out);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0 || errno != EACCES)
		bad |= 2;
	if (mkdir(path, 0755) == 0 || errno != EACCES)
		bad |= 2;
	fd = open(secret, O_WRONLY | O_TRUNC);
	if (fd >= 0 || errno != EACCES)
		bad |= 4;
	/* nor reading what was not declared */
	fd = open(secret, O_RDONLY);
	if (fd >= 0 || errno != EACCES)
		bad |= 8;
	/* inside DIR: files, directories, symlinks, removal */
	snprintf(path, sizeof(path), "%s/sub", ex);
	if (mkdir(path, 0755) != 0)
		bad |= 16;
	snprintf(path, sizeof(path), "%s/sub/file", ex);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "x", 1) != 1)
		bad |= 16;
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "%s/link", ex);
	if (symlink("sub/file", path) != 0 || unlink(path) != 0)
		bad |= 16;
	/* a declared input can be read and scanned (threads included) */
	snprintf(path, sizeof(path), "%s/gzip.bin", in);
	pst_options_default(&opts);
	opts.jobs = 2;
	s = pst_scan_new(&opts);
	if (!s || pst_scan_run(s, path) != PST_OK || !th_node(s, "gzip.bin!/lsb-release"))
		bad |= 32;
	pst_scan_free(s);
	return bad;
}

static void test_sandbox_landlock_confines_paths(void **state)
{
	char *d = th_tmpdir();
	pid_t pid;
	int status = 0;
	(void)state;
	if (pst_sandbox_landlock_abi() == 0) {
		print_message("SKIP: this kernel has no Landlock (ABI 0); paths are not confined\n");
		th_rmtree(d);
		skip();
	}
	th_sh("cd %s && mkdir extract outside input && echo s > outside/secret && "
	      "cp %s/binwalk/gzip.bin input/", d, FIXTURE_DIR);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(landlock_checks(d));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != 0)
		fail_msg("landlock checks failed: mask 0x%x", WEXITSTATUS(status));
	th_sh("test -f %s/extract/sub/file && ! test -e %s/outside/new && "
	      "test \"$(cat %s/outside/secret)\" = s", d, d, d);
	th_rmtree(d);
}

/* A kernel without Landlock, simulated: a seccomp filter makes the Landlock
 * calls answer ENOSYS before postern runs. The scan (with --extract) must
 * still run, confined by seccomp alone, and say so once on stderr. */
static void test_sandbox_no_landlock_notice(void **state)
{
	char *d = th_tmpdir(), errpath[4200], ex[4200], buf[4096];
	pid_t pid;
	int status = 0, fd;
	ssize_t n;
	const char *p, *notice = "notice: this kernel has no Landlock";
	(void)state;
	snprintf(errpath, sizeof(errpath), "%s/stderr", d);
	snprintf(ex, sizeof(ex), "%s/extract", d);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
		int efd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644), ofd = open("/dev/null", O_WRONLY);
		if (!ctx || efd < 0 || ofd < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
		    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(landlock_create_ruleset), 0) ||
		    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(landlock_add_rule), 0) ||
		    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(landlock_restrict_self), 0) ||
		    seccomp_load(ctx) != 0)
			_exit(100);
		dup2(efd, 2);
		dup2(ofd, 1);
		execl(POSTERN_BIN, POSTERN_BIN, "scan", FIXTURE_DIR "/binwalk/gzip.bin", "--no-progress",
		      "--extract", ex, (char *)NULL);
		_exit(101);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_true(WEXITSTATUS(status) < 64);
	fd = open(errpath, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n > 0);
	buf[n] = 0;
	p = strstr(buf, notice);
	if (!p)
		fail_msg("no Landlock notice on stderr: %s", buf);
	assert_null(strstr(p + 1, notice)); /* once */
	assert_non_null(strstr(buf, "--extract may write anywhere"));
	/* extraction itself still happened, confined by seccomp only */
	th_sh("test -f %s/lsb-release", ex);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sandbox_refuses),
		cmocka_unit_test(test_sandbox_extract_mode_writes),
		cmocka_unit_test(test_sandbox_landlock_confines_paths),
		cmocka_unit_test(test_sandbox_no_landlock_notice),
		cmocka_unit_test(test_sandbox_holes),
#if defined(__x86_64__)
		cmocka_unit_test(test_sandbox_other_abi),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
