/*
 * needles.c - finds many byte patterns (at least 4 bytes each) in one pass.
 *
 * Every pattern is at least 4 bytes long, so an occurrence at p holds the
 * pattern's two-byte pairs at offsets 0, 1 and 2, and one of p, p+1, p+2 is
 * a multiple of three from where the search starts: the search reads the
 * pair at every third position only, and a bitmap of the pairs at each of
 * the three offsets says which of the three starts it may be. A 64 Ki-bit
 * filter on a hash of the 4-byte window turns most of those away; only a
 * window that starts some pattern is compared in full. Used for crypto
 * constants, BPF program starts and rules' numeric constants, so a binary's
 * bytes are read once for all of them.
 */
#include <stdlib.h>
#include <string.h>
#include "binfeat.h"

#define FILTER_BITS 16u

struct needle {
	uint8_t *p;
	size_t len;
	unsigned id;
	uint32_t head;
};

struct pst_needles {
	struct needle *v;     /* sorted by head once searching starts */
	size_t n, cap;
	bool sorted;
	uint64_t filter[(1u << FILTER_BITS) / 64];
	/* the patterns' two-byte pairs at offsets 0, 1 and 2, and any of them */
	uint64_t pair[3][65536 / 64], any[65536 / 64];
};

static bool bit(const uint64_t *map, uint32_t i)
{
	return map[i / 64] >> (i % 64) & 1;
}

static void set_bit(uint64_t *map, uint32_t i)
{
	map[i / 64] |= (uint64_t)1 << (i % 64);
}

static uint32_t pair_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t hash4(uint32_t x)
{
	return (x * 2654435761u) >> (32 - FILTER_BITS);
}

static uint32_t load4(const uint8_t *p)
{
	uint32_t x;
	memcpy(&x, p, 4);
	return x;
}

struct pst_needles *pst_needles_new(void)
{
	return pst_calloc(1, sizeof(struct pst_needles));
}

void pst_needles_free(struct pst_needles *ns)
{
	size_t i;
	if (!ns)
		return;
	for (i = 0; i < ns->n; i++)
		free(ns->v[i].p);
	free(ns->v);
	free(ns);
}

bool pst_needles_add(struct pst_needles *ns, const void *p, size_t len, unsigned id)
{
	struct needle *nd;
	unsigned k;
	if (len < 4)
		return false;
	if (!pst_array_grow((void **)&ns->v, &ns->cap, ns->n, sizeof(*ns->v), 64))
		return false;
	nd = &ns->v[ns->n];
	nd->p = pst_malloc(len);
	if (!nd->p)
		return false;
	memcpy(nd->p, p, len);
	nd->len = len;
	nd->id = id;
	nd->head = load4(nd->p);
	ns->sorted = false;
	set_bit(ns->filter, hash4(nd->head));
	for (k = 0; k < 3; k++) {
		set_bit(ns->pair[k], pair_at(nd->p + k));
		set_bit(ns->any, pair_at(nd->p + k));
	}
	ns->n++;
	return true;
}

static int cmp_head(const void *a, const void *b)
{
	const struct needle *x = a, *y = b;
	return x->head < y->head ? -1 : x->head > y->head;
}

void pst_needles_seal(struct pst_needles *ns)
{
	if (ns && !ns->sorted) {
		/* an empty set has no array: qsort must not see NULL */
		if (ns->n)
			qsort(ns->v, ns->n, sizeof(*ns->v), cmp_head);
		ns->sorted = true;
	}
}

/* The patterns that start at i (i + 4 <= v.len). */
static void try_at(const struct pst_needles *ns, struct pst_view v, size_t i, uint8_t *hits,
		   size_t nids, pst_needle_cb cb, void *ctx)
{
	uint32_t x = load4(v.p + i);
	size_t lo = 0, hi = ns->n, j;

	if (!bit(ns->filter, hash4(x)))
		return;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ns->v[mid].head < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (j = lo; j < ns->n && ns->v[j].head == x; j++) {
		const struct needle *nd = &ns->v[j];
		if (nd->id >= nids || nd->len > v.len - i || memcmp(v.p + i, nd->p, nd->len) != 0)
			continue;
		hits[nd->id] = 1;
		if (cb)
			cb(ctx, nd->id, i);
	}
}

/* Occurrences starting at from..to-1 (a pattern may run past to, not past
 * v), in order: three starts at a time by the pair at the last of them,
 * then one at a time for the few left. */
static void find_range(const struct pst_needles *ns, struct pst_view v, size_t from, size_t to,
		       uint8_t *hits, size_t nids, pst_needle_cb cb, void *ctx)
{
	size_t i = from;
	uint32_t h;

	if (to > v.len)
		to = v.len;
	for (; i + 3 <= to && i + 6 <= v.len; i += 3) {
		h = pair_at(v.p + i + 2);
		if (!bit(ns->any, h))
			continue;
		if (bit(ns->pair[2], h))
			try_at(ns, v, i, hits, nids, cb, ctx);
		if (bit(ns->pair[1], h))
			try_at(ns, v, i + 1, hits, nids, cb, ctx);
		if (bit(ns->pair[0], h))
			try_at(ns, v, i + 2, hits, nids, cb, ctx);
	}
	for (; i < to && i + 4 <= v.len; i++)
		if (bit(ns->pair[0], pair_at(v.p + i)))
			try_at(ns, v, i, hits, nids, cb, ctx);
}

void pst_needles_find(const struct pst_needles *ns, struct pst_view v, uint8_t *hits,
		      size_t nids, pst_needle_cb cb, void *ctx)
{
	pst_needles_find_skip(ns, v, NULL, 0, hits, nids, cb, ctx);
}

void pst_needles_find_skip(const struct pst_needles *ns, struct pst_view v,
			   const struct pst_range *skip, size_t nskip, uint8_t *hits, size_t nids,
			   pst_needle_cb cb, void *ctx)
{
	size_t from = 0, k;
	if (!ns || ns->n == 0 || v.len < 4 || !ns->sorted)
		return;
	for (k = 0; k < nskip && from < v.len; k++) {
		if (skip[k].off > from)
			find_range(ns, v, from, (size_t)skip[k].off, hits, nids, cb, ctx);
		if (skip[k].off + skip[k].len > from)
			from = (size_t)(skip[k].off + skip[k].len);
	}
	find_range(ns, v, from, v.len, hits, nids, cb, ctx);
}
