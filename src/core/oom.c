/*
 * oom.c - out of memory inside libraries that cannot survive it (issue 23).
 *
 * capstone 4 does not check its own allocations: when one fails inside
 * cs_open it writes through NULL. Its allocator is replaceable
 * (cs_option(0, CS_OPT_MEM, ...), process-wide), so postern gives it one
 * that ends the process with exit 70 and a clear message instead of a crash
 * or, worse, a disassembly that silently saw nothing. Every other library
 * postern uses reports a failed allocation, and the walker turns that into
 * a reported node or the end of the scan (pst_oom_seen).
 */
#include <capstone/capstone.h>
#include <stdlib.h>
#include <unistd.h>
#include "internal.h"

#define EXIT_OOM 70 /* EX_SOFTWARE: the CLI's exit for out of memory */

static void die_oom(void)
{
	static const char msg[] = "postern: out of memory in the disassembler (capstone)\n";
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(EXIT_OOM);
	_exit(EXIT_OOM);
}

static void *cs_malloc_or_die(size_t len)
{
	void *p = malloc(len);
	if (!p)
		die_oom();
	return p;
}

static void *cs_calloc_or_die(size_t n, size_t len)
{
	void *p = calloc(n, len);
	if (!p && n && len)
		die_oom();
	return p;
}

static void *cs_realloc_or_die(void *old, size_t len)
{
	void *p = realloc(old, len);
	if (!p && len)
		die_oom();
	return p;
}

static void install(void)
{
	cs_opt_mem m = { cs_malloc_or_die, cs_calloc_or_die, cs_realloc_or_die, free,
			 (cs_vsnprintf_t)vsnprintf };
	cs_option(0, CS_OPT_MEM, (size_t)&m);
}

void pst_oom_guard_libraries(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, install);
}
