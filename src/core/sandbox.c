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
 */
#include <errno.h>
#include <fcntl.h>
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
	"fadvise64_64", "pipe2", NULL,
};

static const char *const for_extract[] = {
	"mkdirat", "mkdir", "symlinkat", "symlink", "unlinkat", "unlink", "fchmod",
	"fchmodat", "ftruncate", NULL,
};

static const char *const for_sanitizers[] = {
	"clone", "ptrace", "wait4", "waitid", "prctl", "kill", "sched_setaffinity", NULL,
};

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
