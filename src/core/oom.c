/*
 * oom.c - out of memory inside libraries that cannot survive it (issue 23).
 *
 * capstone 4 does not check its own allocations: when one fails inside
 * cs_open it writes through NULL; OpenSSL 3 crashes when one fails while it
 * initialises itself (its first EVP_Digest). Both allocators are
 * replaceable, process-wide (cs_option(0, CS_OPT_MEM, ...),
 * CRYPTO_set_mem_functions before OpenSSL's first allocation), so postern
 * gives them one that ends the process with exit 70 and a clear message
 * (through each live scan's message callback, PST_MSG_FATAL: the library
 * writes nothing to stderr) instead of a crash or, worse, a result that
 * silently saw nothing. Every other library
 * postern uses reports a failed allocation, and the walker turns that into
 * a reported node or the end of the scan (pst_oom_seen).
 *
 * Also the note a step leaves when it saw an allocation fail (pst_oom_note)
 * and the allocators postern's own code uses, which leave it (internal.h).
 */
#include <capstone/capstone.h>
#include <errno.h>
#include <stdatomic.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

#define EXIT_OOM 70 /* EX_SOFTWARE: the CLI's exit for out of memory */

/* The scans alive in this process. The allocators above are process-wide
 * and get no context, so the last-resort exit tells every live scan (all
 * of them end with the process) through its message callback: the library
 * itself never writes to stderr. Linked through the scans themselves, so
 * that registering allocates nothing. */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pst_scan *live_head;
static atomic_flag dying = ATOMIC_FLAG_INIT;
/* the tool's fallback when no live scan hears it (pst_set_fatal_handler) */
static void (*fatal_fn)(void *, enum pst_msg, const char *);
static void *fatal_ctx;

void pst_set_fatal_handler(void (*fn)(void *ctx, enum pst_msg kind, const char *text),
			   void *ctx)
{
	fatal_ctx = ctx;
	fatal_fn = fn;
}

void pst_oom_live_add(struct pst_scan *s)
{
	pthread_mutex_lock(&live_lock);
	s->live_prev = NULL;
	s->live_next = live_head;
	if (live_head)
		live_head->live_prev = s;
	live_head = s;
	pthread_mutex_unlock(&live_lock);
}

void pst_oom_live_remove(struct pst_scan *s)
{
	pthread_mutex_lock(&live_lock);
	if (s->live_prev)
		s->live_prev->live_next = s->live_next;
	else if (live_head == s)
		live_head = s->live_next;
	if (s->live_next)
		s->live_next->live_prev = s->live_prev;
	s->live_next = s->live_prev = NULL;
	pthread_mutex_unlock(&live_lock);
}

_Noreturn void pst_oom_die(void)
{
	static const char msg[] = "out of memory in a library (capstone or OpenSSL)";
	const struct pst_scan *s;
	bool told = false;
	/* the first thread here speaks; others wait for its _exit */
	if (atomic_flag_test_and_set(&dying))
		for (;;)
			pause();
	/* trylock: the failing allocation may come from a thread that holds
	 * the lock (it allocates nothing there, but be sure not to hang) */
	if (pthread_mutex_trylock(&live_lock) == 0) {
		for (s = live_head; s; s = s->live_next)
			if (s->opts.message) {
				s->opts.message(s->opts.message_ctx, PST_MSG_FATAL, msg);
				told = true;
			}
		pthread_mutex_unlock(&live_lock);
	}
	if (!told && fatal_fn)
		fatal_fn(fatal_ctx, PST_MSG_FATAL, msg);
	_exit(EXIT_OOM);
}

static void *cs_malloc_or_die(size_t len)
{
	void *p = malloc(len);
	if (!p)
		pst_oom_die();
	return p;
}

static void *cs_calloc_or_die(size_t n, size_t len)
{
	void *p = calloc(n, len);
	if (!p && n && len)
		pst_oom_die();
	return p;
}

static void *cs_realloc_or_die(void *old, size_t len)
{
	void *p = realloc(old, len);
	if (!p && len)
		pst_oom_die();
	return p;
}

static void *ssl_malloc_or_die(size_t len, const char *file, int line)
{
	(void)file;
	(void)line;
	return cs_malloc_or_die(len ? len : 1);
}

static void *ssl_realloc_or_die(void *old, size_t len, const char *file, int line)
{
	(void)file;
	(void)line;
	return cs_realloc_or_die(old, len);
}

static void ssl_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	free(p);
}

static void install(void)
{
	/* refused (harmlessly) when OpenSSL has allocated already */
	CRYPTO_set_mem_functions(ssl_malloc_or_die, ssl_realloc_or_die, ssl_free);
	cs_opt_mem m = { cs_malloc_or_die, cs_calloc_or_die, cs_realloc_or_die, free,
			 (cs_vsnprintf_t)vsnprintf };
	cs_option(0, CS_OPT_MEM, (size_t)&m);
}

void pst_oom_guard_libraries(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, install);
}

/* One note per thread: a step runs on one thread from PST_OOM_BEGIN to
 * pst_oom_seen, and several scans in a process never share a step. */
static _Thread_local bool oom_noted;

void pst_oom_clear(void) { oom_noted = false; }
void pst_oom_note(void) { oom_noted = true; }

bool pst_oom_save(void)
{
	bool was = oom_noted;
	oom_noted = false;
	return was;
}

void pst_oom_restore(bool noted) { oom_noted = noted; }

void pst_oom_errno(void)
{
	if (errno == ENOMEM)
		oom_noted = true;
}

bool pst_oom_seen(enum pst_err rc)
{
	return rc == PST_ENOMEM || oom_noted;
}

static void *noted(void *p)
{
	if (!p)
		oom_noted = true;
	return p;
}

void *pst_malloc(size_t len) { return noted(malloc(len)); }
void *pst_calloc(size_t n, size_t len) { return noted(calloc(n, len)); }
char *pst_strdup(const char *s) { return noted(strdup(s)); }
char *pst_strndup(const char *s, size_t n) { return noted(strndup(s, n)); }

void *pst_realloc(void *p, size_t len)
{
	void *q = realloc(p, len);
	return len ? noted(q) : q;
}
