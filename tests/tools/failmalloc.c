/*
 * failmalloc.c - an LD_PRELOAD shim for the allocation-failure test
 * (tests/e2e/failclosed_alloc.sh, issue 23): it counts every malloc, calloc,
 * realloc, posix_memalign, aligned_alloc and memalign in the process -
 * postern's own and those of libarchive, libyara, capstone, OpenSSL, libc's
 * strdup - and makes the Nth one (FAILMALLOC_N, 1-based) return NULL with
 * errno ENOMEM. FAILMALLOC_N unset or 0: it only counts, and writes the
 * count to the file FAILMALLOC_COUNT at exit. Test code only: never linked
 * into postern.  The count goes to stderr (the CLI's sandbox allows no new
 * files) as "failmalloc: N allocations".
 *
 * It sits in front of whatever allocator comes next (glibc's, or ASan's in
 * the sanitizer build: run with ASAN_OPTIONS=verify_asan_link_order=0), found
 * with dlsym(RTLD_NEXT). dlsym may itself allocate before the real functions
 * are known; those few early calls are served from a static buffer and never
 * freed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static void *(*real_memalign)(size_t, size_t);

static atomic_ulong count;
static unsigned long fail_at;
static int resolving;

/* Early allocations made while the real functions are looked up. */
static _Alignas(16) unsigned char early[65536];
static size_t early_used;

static void *early_alloc(size_t len)
{
	size_t at = (early_used + 15) & ~(size_t)15;
	if (len > sizeof(early) - at)
		return NULL;
	early_used = at + len;
	return early + at;
}

static int is_early(const void *p)
{
	const unsigned char *c = p;
	return c >= early && c < early + sizeof(early);
}

static void resolve(void)
{
	if (real_malloc || resolving)
		return;
	resolving = 1;
	real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	real_posix_memalign = (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
	real_aligned_alloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");
	real_memalign = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "memalign");
	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	resolving = 0;
}

/* Read once libc is up: under ASan the first allocations come from the
 * sanitizer's own start-up, before getenv can see the environment (those
 * are counted but never failed). */
__attribute__((constructor)) static void read_env(void)
{
	const char *n = getenv("FAILMALLOC_N");
	fail_at = n ? strtoul(n, NULL, 10) : 0;
}

/* True when this allocation is the one to fail; with FAILMALLOC_BT set, the
 * failing call's stack goes to stderr (to find who did not cope). */
static int fail_now(void)
{
	unsigned long i = atomic_fetch_add(&count, 1) + 1;
	if (!fail_at || i != fail_at)
		return 0;
	if (getenv("FAILMALLOC_BT")) {
		void *frames[24];
		backtrace_symbols_fd(frames, backtrace(frames, 24), 2);
	}
	return 1;
}

__attribute__((destructor)) static void report(void)
{
	char line[64];
	int len;
	if (!getenv("FAILMALLOC_COUNT"))
		return;
	len = snprintf(line, sizeof(line), "failmalloc: %lu allocations\n",
		       (unsigned long)atomic_load(&count));
	if (len > 0 && write(2, line, (size_t)len) < 0)
		return;
}

void *malloc(size_t len)
{
	resolve();
	if (!real_malloc)
		return early_alloc(len);
	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	return real_malloc(len);
}

void *calloc(size_t n, size_t len)
{
	resolve();
	if (!real_calloc) {
		void *p = n && len > SIZE_MAX / n ? NULL : early_alloc(n * len);
		return p ? memset(p, 0, n * len) : NULL;
	}
	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	return real_calloc(n, len);
}

void *realloc(void *p, size_t len)
{
	resolve();
	if (is_early(p) || !real_realloc) {
		void *q = malloc(len);
		size_t room = early + sizeof(early) - (const unsigned char *)p;
		if (q && p)
			memcpy(q, p, len < room ? len : room);
		return q;
	}
	if (len && fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	return real_realloc(p, len);
}

void free(void *p)
{
	if (!p || is_early(p))
		return;
	resolve();
	if (real_free)
		real_free(p);
}

int posix_memalign(void **out, size_t align, size_t len)
{
	resolve();
	if (fail_now())
		return ENOMEM;
	return real_posix_memalign(out, align, len);
}

void *aligned_alloc(size_t align, size_t len)
{
	resolve();
	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	return real_aligned_alloc(align, len);
}

void *memalign(size_t align, size_t len)
{
	resolve();
	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	return real_memalign(align, len);
}
