/*
 * compwrap.h - comparison wrappers for the hidden-command search
 * (compares.c): a program's own small functions that pass their arguments
 * to memcmp/strcmp/... and return that result or whether it was zero
 * (lighttpd's buffer_eq_slen, vsftpd's vsf_sysutil_strcmp), recognised by
 * what their code does, not by name, so that a constant passed to one is
 * read as a constant compared with input (compwrap.c). Also the names of
 * HTTP request headers, which the search reads as request data.
 */
#ifndef PST_COMPWRAP_H
#define PST_COMPWRAP_H

#include <capstone/capstone.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "binfeat.h"

/* A wrapper: calls to addr are calls to the comparison function id (the
 * caller's numbering) that return the comparison's result (inverted:
 * nonzero when equal, as `memcmp(...) == 0` is). */
struct pst_compwrap {
	uint64_t addr;
	int id;
	bool inverted;
};

/* What the code sweep saw: the targets of direct calls (function starts,
 * as far as the calls say) and the calls to comparison functions. */
struct pst_wrapscan;

/* NULL when out of memory (then no wrapper is looked for). */
struct pst_wrapscan *pst_wrapscan_new(void);
void pst_wrapscan_free(struct pst_wrapscan *w);
/* A direct call to a function of the program at t. */
void pst_wrapscan_target(struct pst_wrapscan *w, uint64_t t);
/* A call (tail: a jump) at at to the comparison function id. */
void pst_wrapscan_cmp(struct pst_wrapscan *w, uint64_t at, int id, bool tail);

/* The wrappers among the functions seen, at most max into out, in address
 * order; returns how many. h decodes the program's code (ARM mode on ARM:
 * Thumb wrappers are not looked for); arch is x86-64, ARM or MIPS (others
 * find none). */
size_t pst_wrapscan_find(struct pst_wrapscan *w, const struct pst_elf *e, csh h,
			 enum pst_isa arch, struct pst_compwrap *out, size_t max);

/* What was left out, so that calls to a wrapper may go unseen:
 * PST_WRAPSCAN_CUT_SITES, call targets or comparison calls past
 * PST_CAP_CMP_WRAP_SITES (or out of memory); PST_WRAPSCAN_CUT_WRAPS, in
 * pst_wrapscan_find, wrappers past max. */
#define PST_WRAPSCAN_CUT_SITES 0x01u
#define PST_WRAPSCAN_CUT_WRAPS 0x02u
unsigned pst_wrapscan_cut(const struct pst_wrapscan *w);

/* The wrapper at addr among w[0..n), or NULL. */
const struct pst_compwrap *pst_compwrap_at(const struct pst_compwrap *w, size_t n,
					   uint64_t addr);

/* The evidence's name of a comparison through a wrapper ("memcmp wrapper"),
 * for the comparison function id named name. */
const char *pst_compwrap_via(const char *name);

/* Whether s names an HTTP request header ("User-Agent", "Cookie",
 * "X-Forwarded-For"): a call passed one fetches a header of the request. */
bool pst_http_header_name(const char *s);

#endif
