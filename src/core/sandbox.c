/*
 * sandbox.c - confines a scanning process once its inputs, rules, policy and
 * outputs are open. Threat model: docs/threat-model.md.
 *
 * An allow-list seccomp filter (libseccomp): whatever is not listed fails
 * with EPERM, so a parser bug that an attacker turns into code execution
 * cannot start programs, open sockets or write files. Threads are allowed
 * (clone with CLONE_THREAD); clone3 answers ENOSYS so glibc falls back to
 * clone, whose flags the filter can see. Files may be opened read-only only,
 * unless extraction was asked for. Sanitizer builds also allow what
 * LeakSanitizer's exit-time check needs (a ptrace-ing helper process).
 *
 * seccomp cannot see path names, so where the kernel has Landlock
 * (docs.kernel.org/userspace-api/landlock.html; Linux 5.13) a ruleset also
 * confines paths: reads to the declared inputs and the system's library
 * directories, writes to the extraction directory. glibc has no wrappers:
 * the three system calls are made with syscall(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>
#include "internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define PST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PST_SANITIZED 1
#endif
#endif

static const char *const always[] = {
	"read", "pread64", "readv", "preadv", "write", "writev", "pwrite64", "close", "fstat",
	"newfstatat", "fstatat64", "statx", "stat", "lstat", "lseek", "_llseek", "mmap", "mmap2",
	"munmap", "mremap", "mprotect", "brk", "madvise", "futex", "futex_time64",
	"set_robust_list", "get_robust_list", "rseq", "exit", "exit_group", "rt_sigaction",
	"rt_sigprocmask", "rt_sigreturn", "sigreturn", "sigaltstack", "gettid", "getpid",
	"getppid", "sched_yield", "sched_getaffinity", "clock_gettime",
	"clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "nanosleep",
	"gettimeofday", "getrandom", "getdents64", "getdents", "readlinkat", "readlink",
	"fcntl", "fcntl64", "dup", "dup2", "dup3", "getrlimit", "ugetrlimit",
	"sysinfo", "uname", "access", "faccessat", "faccessat2", "membarrier", "getuid",
	"geteuid", "getgid", "getegid", "set_tid_address", "restart_syscall", "fadvise64",
	"fadvise64_64", "pipe2",
	/* Spill files (spill.c) are emptied for reuse. Only a descriptor opened
	 * for writing can be truncated: the spill files and the outputs opened
	 * before the sandbox, which write() reaches anyway. */
	"ftruncate", "ftruncate64", NULL,
};

static const char *const for_extract[] = {
	"mkdirat", "mkdir", "symlinkat", "symlink", "unlinkat", "unlink", "fchmod",
	"fchmodat", "rmdir", NULL,
};

static const char *const for_sanitizers[] = {
	"clone", "ptrace", "wait4", "waitid", "prctl", "kill", "sched_setaffinity", NULL,
};

/* ---- Landlock ---- */

/* Rights newer than Debian 12's <linux/landlock.h> (ABI 1 and 2). */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

#define LL_READ (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define LL_FILE_ONLY (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
		      LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE)
/* What extraction does under its directory: make files, directories and
 * symlinks, write, truncate and remove them. Never device nodes, fifos or
 * sockets, never execute. */
#define LL_EXTRACT (LL_READ | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE | \
		    LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_DIR | \
		    LANDLOCK_ACCESS_FS_MAKE_SYM | LANDLOCK_ACCESS_FS_REMOVE_FILE | \
		    LANDLOCK_ACCESS_FS_REMOVE_DIR)

/* Read-only system paths a confined scan may still need: shared libraries
 * (dlopen of libgcc_s on thread exit, gconv), the loader cache, time zones,
 * /proc and the CPU list. Missing ones are skipped. */
static const char *const ll_system[] = {
	"/usr", "/lib", "/lib64", "/lib32", "/etc/ld.so.cache", "/etc/localtime",
	"/proc", "/sys/devices/system/cpu", "/dev/null", "/dev/urandom", NULL,
};

int pst_sandbox_landlock_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	return v > 0 ? (int)v : 0;
}

/* Every filesystem right this ABI knows: all of them are handled, so what
 * no rule allows is denied. (ABI 5's ioctl right is left out: terminal
 * ioctls are seccomp's business.) */
static uint64_t ll_handled(int abi)
{
	uint64_t h = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1; /* ABI 1: bits 0..12 */
	if (abi >= 2)
		h |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		h |= LANDLOCK_ACCESS_FS_TRUNCATE;
	return h;
}

/* Allows rights beneath path (only the file rights when it is not a
 * directory). 0, or -1 with err set; a path that does not exist is skipped. */
static int ll_allow(int rfd, const char *path, uint64_t rights, uint64_t handled, char *err,
		    size_t errlen)
{
	struct landlock_path_beneath_attr pb;
	struct stat st;
	int fd = open(path, O_PATH | O_CLOEXEC), rc = 0;

	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		snprintf(err, errlen, "landlock: %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
		rights &= LL_FILE_ONLY;
	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = rights & handled;
	pb.parent_fd = fd;
	if (pb.allowed_access &&
	    syscall(SYS_landlock_add_rule, rfd, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) != 0) {
		snprintf(err, errlen, "landlock rule for %s: %s", path, strerror(errno));
		rc = -1;
	}
	close(fd);
	return rc;
}

/* Confines paths with Landlock when the caller declared them and the
 * kernel can. 0 also when Landlock is missing (the caller says so). */
static int landlock_enter(const struct pst_sandbox_opts *o, char *err, size_t errlen)
{
	struct landlock_ruleset_attr ra;
	int abi, rfd, rc = -1;
	size_t i;

	if (!o->read_paths && !o->write_dir && !o->scratch_dir)
		return 0;
	abi = pst_sandbox_landlock_abi();
	if (abi == 0)
		return 0;
	memset(&ra, 0, sizeof(ra));
	ra.handled_access_fs = ll_handled(abi);
	rfd = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra), 0);
	if (rfd < 0) {
		snprintf(err, errlen, "landlock ruleset: %s", strerror(errno));
		return -1;
	}
	for (i = 0; ll_system[i]; i++)
		if (ll_allow(rfd, ll_system[i], LL_READ | LANDLOCK_ACCESS_FS_EXECUTE,
			     ra.handled_access_fs, err, errlen) != 0)
			goto out;
	for (i = 0; o->read_paths && o->read_paths[i]; i++)
		if (ll_allow(rfd, o->read_paths[i], LL_READ, ra.handled_access_fs, err, errlen) != 0)
			goto out;
	if (o->write_dir &&
	    ll_allow(rfd, o->write_dir, LL_EXTRACT, ra.handled_access_fs, err, errlen) != 0)
		goto out;
	if (o->scratch_dir &&
	    ll_allow(rfd, o->scratch_dir, LL_EXTRACT, ra.handled_access_fs, err, errlen) != 0)
		goto out;
	if (syscall(SYS_landlock_restrict_self, rfd, 0) != 0) {
		snprintf(err, errlen, "landlock_restrict_self: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	close(rfd);
	return rc;
}

static int allow_list(scmp_filter_ctx ctx, const char *const *names)
{
	size_t i;
	for (i = 0; names[i]; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);
		if (nr == __NR_SCMP_ERROR)
			continue; /* not on this architecture */
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) != 0)
			return -1;
	}
	return 0;
}

static int add_opens(scmp_filter_ctx ctx, bool allow_write)
{
	int rc = 0;
	if (allow_write) {
		rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 0);
		if (seccomp_syscall_resolve_name("open") != __NR_SCMP_ERROR)
			rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(open), 0);
		return rc;
	}
	/* read-only, no O_CREAT/O_TRUNC: (flags & mask) == O_RDONLY */
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
			       SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC, O_RDONLY));
	if (seccomp_syscall_resolve_name("open") != __NR_SCMP_ERROR)
		rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(open), 1,
				       SCMP_A1(SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC, O_RDONLY));
	return rc;
}

enum pst_err pst_sandbox_enter(const struct pst_sandbox_opts *o, char *err, size_t errlen)
{
	scmp_filter_ctx ctx = NULL;
	enum pst_err rc = PST_EIO;
	bool sanitized = false;

#ifdef PST_SANITIZED
	sanitized = true;
#endif
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, errlen, "no_new_privs: %s", strerror(errno));
		goto out;
	}
	if (o->max_address_space && !sanitized) {
		struct rlimit rl = { o->max_address_space, o->max_address_space };
		if (setrlimit(RLIMIT_AS, &rl) != 0) {
			snprintf(err, errlen, "RLIMIT_AS: %s", strerror(errno));
			goto out;
		}
	}
	if (o->max_cpu_seconds) {
		struct rlimit rl = { o->max_cpu_seconds, o->max_cpu_seconds + 5 };
		if (setrlimit(RLIMIT_CPU, &rl) != 0) {
			snprintf(err, errlen, "RLIMIT_CPU: %s", strerror(errno));
			goto out;
		}
	}
	/* Before the seccomp filter, which allows none of Landlock's calls. */
	if (landlock_enter(o, err, errlen) != 0)
		goto out;
	ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx) {
		snprintf(err, errlen, "seccomp_init failed");
		goto out;
	}
	if (allow_list(ctx, always) != 0 || add_opens(ctx, o->allow_write) != 0 ||
	    (o->allow_write && allow_list(ctx, for_extract) != 0) ||
	    (sanitized && allow_list(ctx, for_sanitizers) != 0)) {
		snprintf(err, errlen, "building the seccomp filter failed");
		goto out;
	}
	if (!sanitized &&
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD)) != 0) {
		snprintf(err, errlen, "building the seccomp filter failed (clone)");
		goto out;
	}
	/* Signals to this process's own threads only (raise, abort,
	 * pthread_kill): tgkill to another process of the same user could stop
	 * or kill it. Resource limits may be read (getrlimit is prlimit64 with
	 * no new limit) but not set: a process running as root could raise its
	 * own hard limits back, and any could set another process's. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
			     SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid())) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 2,
			     SCMP_A0(SCMP_CMP_EQ, 0), SCMP_A2(SCMP_CMP_EQ, 0)) != 0) {
		snprintf(err, errlen, "building the seccomp filter failed (tgkill, prlimit64)");
		goto out;
	}
	/* isatty() and the terminal width only */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
			     SCMP_A1(SCMP_CMP_EQ, TCGETS)) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
			     SCMP_A1(SCMP_CMP_EQ, TIOCGWINSZ)) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) != 0) {
		snprintf(err, errlen, "building the seccomp filter failed (ioctl)");
		goto out;
	}
	if (seccomp_load(ctx) != 0) {
		snprintf(err, errlen, "loading the seccomp filter failed");
		goto out;
	}
	rc = PST_OK;
out:
	if (ctx)
		seccomp_release(ctx);
	return rc;
}
