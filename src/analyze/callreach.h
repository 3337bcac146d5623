/*
 * callreach.h - a coarse call graph of a binary's code, read from the
 * encodings of its calls and branches without decoding (callreach.c), to
 * answer one question cheaply: can code at an address reach a call of
 * interest within a few calls? compares.c asks it before it decodes the
 * code around a comparison: a comparison whose function cannot reach a
 * shell, a listener, setuid or an NVRAM write cannot unlock one.
 *
 * The code is cut into regions at the targets of direct calls (functions,
 * as far as the calls say). A region is live at depth d when it holds a
 * marked call (a call of interest, or a call whose target the encodings do
 * not tell), or when within d calls (and any number of jumps between
 * regions: tail calls, cold parts) it reaches such a region.
 */
#ifndef PST_CALLREACH_H
#define PST_CALLREACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pst_callreach;

/* An empty graph; NULL when out of memory. */
struct pst_callreach *pst_callreach_new(void);
void pst_callreach_free(struct pst_callreach *g);

/* A stretch of code [from, to): its start is a region start, and call
 * targets outside every stretch start no region. */
void pst_callreach_code(struct pst_callreach *g, uint64_t from, uint64_t to);
/* A direct call at at to target (starts a region at target). */
void pst_callreach_call(struct pst_callreach *g, uint64_t at, uint64_t target);
/* A direct jump or branch at at to target (same depth). */
void pst_callreach_jump(struct pst_callreach *g, uint64_t at, uint64_t target);
/* A call of interest, or one whose target is not known, at at. */
void pst_callreach_mark(struct pst_callreach *g, uint64_t at);

/* Computes which regions are live within depth calls. Until this is
 * called, and when the graph outgrew its bounds, everything is live. */
void pst_callreach_solve(struct pst_callreach *g, unsigned depth);
/* Whether a region overlapping [from, to) is live. */
bool pst_callreach_live(const struct pst_callreach *g, uint64_t from, uint64_t to);

/* qsort's comparison of two uint64_t. */
int pst_u64_cmp(const void *a, const void *b);
/* In the sorted v[0..n): the index of the last value <= a, SIZE_MAX when
 * none. */
size_t pst_u64_floor(const uint64_t *v, size_t n, uint64_t a);
/* Sorts v[0..n) and drops repeated values; returns how many are left. */
size_t pst_u64_uniq(uint64_t *v, size_t n);

#endif
