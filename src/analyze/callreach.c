/*
 * callreach.c - the coarse call graph of callreach.h: regions of code cut
 * at call targets, call and jump edges between them, marked calls, and a
 * backwards search from the marks (jumps free, calls counted up to a depth).
 *
 * It says "live" too often rather than too rarely, as long as the calls
 * and jumps the caller reports are the ones its own exploration follows:
 * an edge too many or a mark too many only keeps more code live; a graph
 * that outgrows its bounds, or memory, is all live. Where it can be wrong:
 * a false start (x86 bytes that only look like a call whose target lands
 * inside a function) cuts a function in two, and a comparison in the first
 * half no longer sees a call of interest in the second. A rel32 that lands
 * in the code at all is rare (a few per MiB of x86 code), on exactly a
 * function's inside rarer. A function that falls through into the next
 * after a call that does not return is not followed.
 */
#include <stdlib.h>
#include <string.h>
#include "callreach.h"
#include "internal.h"

#define MAX_STRETCHES 64
#define MAX_ITEMS ((size_t)1 << 21) /* starts, edges or marks: beyond, all is live */

struct edge {
	uint64_t from, to;
	bool call;
};

struct pst_callreach {
	uint64_t code[MAX_STRETCHES][2];
	size_t ncode;
	uint64_t *starts, *marks;
	size_t nstarts, cstarts, nmarks, cmarks;
	struct edge *edges;
	size_t nedges, cedges;
	uint8_t *live;      /* per region, after solve */
	bool solved, all;   /* all: everything is live */
};

struct pst_callreach *pst_callreach_new(void)
{
	return pst_calloc(1, sizeof(struct pst_callreach));
}

void pst_callreach_free(struct pst_callreach *g)
{
	if (!g)
		return;
	free(g->starts);
	free(g->marks);
	free(g->edges);
	free(g->live);
	free(g);
}

/* Makes room for one more item of size sz in *p (count *n, capacity *cap);
 * false (and the graph all live) when it cannot. */
static bool room(struct pst_callreach *g, void **p, size_t *n, size_t *cap, size_t sz)
{
	size_t nc;
	void *q;
	if (g->all)
		return false;
	if (*n < *cap)
		return true;
	nc = *cap ? *cap * 2 : 1024;
	q = nc <= MAX_ITEMS ? pst_realloc(*p, nc * sz) : NULL;
	if (!q) {
		g->all = true;
		return false;
	}
	*p = q;
	*cap = nc;
	return true;
}

static void add_u64(struct pst_callreach *g, uint64_t **p, size_t *n, size_t *cap, uint64_t v)
{
	void *vp = *p;
	bool ok = room(g, &vp, n, cap, sizeof(uint64_t));
	*p = vp;
	if (ok)
		(*p)[(*n)++] = v;
}

static void add_edge(struct pst_callreach *g, uint64_t at, uint64_t target, bool call)
{
	void *vp = g->edges;
	bool ok = room(g, &vp, &g->nedges, &g->cedges, sizeof(struct edge));
	g->edges = vp;
	if (ok)
		g->edges[g->nedges++] = (struct edge){ at, target, call };
}

void pst_callreach_code(struct pst_callreach *g, uint64_t from, uint64_t to)
{
	if (g->ncode == MAX_STRETCHES) {
		g->all = true;
		return;
	}
	g->code[g->ncode][0] = from;
	g->code[g->ncode++][1] = to;
	add_u64(g, &g->starts, &g->nstarts, &g->cstarts, from);
}

void pst_callreach_call(struct pst_callreach *g, uint64_t at, uint64_t target)
{
	add_u64(g, &g->starts, &g->nstarts, &g->cstarts, target);
	add_edge(g, at, target, true);
}

void pst_callreach_jump(struct pst_callreach *g, uint64_t at, uint64_t target)
{
	add_edge(g, at, target, false);
}

void pst_callreach_mark(struct pst_callreach *g, uint64_t at)
{
	add_u64(g, &g->marks, &g->nmarks, &g->cmarks, at);
}

static bool in_code(const struct pst_callreach *g, uint64_t a)
{
	size_t i;
	for (i = 0; i < g->ncode; i++)
		if (a >= g->code[i][0] && a < g->code[i][1])
			return true;
	return false;
}

int pst_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

size_t pst_u64_floor(const uint64_t *v, size_t n, uint64_t a)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : SIZE_MAX;
}

size_t pst_u64_uniq(uint64_t *v, size_t n)
{
	size_t i, k = 0;
	qsort(v, n, sizeof(*v), pst_u64_cmp);
	for (i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/* The region holding a: the last start at or before it; SIZE_MAX before
 * the first. */
static size_t region_of(const struct pst_callreach *g, uint64_t a)
{
	return pst_u64_floor(g->starts, g->nstarts, a);
}

/* Reverse adjacency in CSR form: for region r, the regions with an edge
 * of the kind into r are src[idx[r] .. idx[r + 1]). */
struct radj {
	size_t *idx, *src;
};

/* An edge's regions, found once for both kinds of adjacency (the binary
 * searches were most of the solve's time); to is UINT32_MAX for an edge
 * inside one region or out of the code. Regions number at most MAX_ITEMS. */
struct hop {
	uint32_t from, to;
};

static struct hop *find_hops(const struct pst_callreach *g)
{
	struct hop *h = pst_malloc((g->nedges + 1) * sizeof(*h));
	size_t i;
	if (!h)
		return NULL;
	for (i = 0; i < g->nedges; i++) {
		const struct edge *e = &g->edges[i];
		size_t rf = region_of(g, e->from), rt = region_of(g, e->to);
		bool ok = rf != SIZE_MAX && rt != SIZE_MAX && rf != rt && in_code(g, e->to);
		h[i].from = ok ? (uint32_t)rf : 0;
		h[i].to = ok ? (uint32_t)rt : UINT32_MAX;
	}
	return h;
}

static bool build_radj(const struct pst_callreach *g, const struct hop *h, bool call,
		       struct radj *a)
{
	size_t i, n = g->nstarts;
	a->idx = pst_calloc(n + 2, sizeof(size_t));
	a->src = pst_malloc((g->nedges + 1) * sizeof(size_t));
	if (!a->idx || !a->src)
		return false;
	for (i = 0; i < g->nedges; i++)
		if (g->edges[i].call == call && h[i].to != UINT32_MAX)
			a->idx[h[i].to + 2]++;
	for (i = 2; i < n + 2; i++)
		a->idx[i] += a->idx[i - 1];
	for (i = 0; i < g->nedges; i++)
		if (g->edges[i].call == call && h[i].to != UINT32_MAX)
			a->src[a->idx[h[i].to + 1]++] = h[i].from;
	return true;
}

/* Adds r to the live set and the work list. */
static void set_live(struct pst_callreach *g, size_t r, size_t *work, size_t *nwork)
{
	if (r == SIZE_MAX || g->live[r])
		return;
	g->live[r] = 1;
	work[(*nwork)++] = r;
}

/* Closes the work list's regions under reverse jumps; the list ends up
 * holding every region added at this level. */
static void close_jumps(struct pst_callreach *g, const struct radj *j, size_t *work, size_t *nwork)
{
	size_t i, k;
	for (i = 0; i < *nwork; i++)
		for (k = j->idx[work[i]]; k < j->idx[work[i] + 1]; k++)
			set_live(g, j->src[k], work, nwork);
}

static void search(struct pst_callreach *g, const struct radj *j, const struct radj *c,
		   unsigned depth, size_t *work, size_t *next)
{
	size_t i, k, nwork = 0, nnext;
	unsigned d;
	for (i = 0; i < g->nmarks; i++)
		set_live(g, region_of(g, g->marks[i]), work, &nwork);
	close_jumps(g, j, work, &nwork);
	for (d = 0; d < depth && nwork; d++) {
		nnext = 0;
		for (i = 0; i < nwork; i++)
			for (k = c->idx[work[i]]; k < c->idx[work[i] + 1]; k++)
				set_live(g, c->src[k], next, &nnext);
		close_jumps(g, j, next, &nnext);
		memcpy(work, next, nnext * sizeof(size_t));
		nwork = nnext;
	}
}

void pst_callreach_solve(struct pst_callreach *g, unsigned depth)
{
	struct radj j = { NULL, NULL }, c = { NULL, NULL };
	struct hop *h = NULL;
	size_t *work = NULL, *next = NULL, i, n = 0;
	if (g->all || !g->nstarts)
		goto out;
	qsort(g->starts, g->nstarts, sizeof(uint64_t), pst_u64_cmp);
	for (i = 0; i < g->nstarts; i++)
		if (in_code(g, g->starts[i]) && (n == 0 || g->starts[n - 1] != g->starts[i]))
			g->starts[n++] = g->starts[i];
	g->nstarts = n;
	g->live = pst_calloc(n + 1, 1);
	work = pst_malloc((n + 1) * sizeof(size_t));
	next = pst_malloc((n + 1) * sizeof(size_t));
	h = g->live && work && next ? find_hops(g) : NULL;
	if (!h || !build_radj(g, h, false, &j) || !build_radj(g, h, true, &c)) {
		g->all = true;
		goto out;
	}
	search(g, &j, &c, depth, work, next);
	g->solved = true;
out:
	free(h);
	free(j.idx);
	free(j.src);
	free(c.idx);
	free(c.src);
	free(work);
	free(next);
}

bool pst_callreach_live(const struct pst_callreach *g, uint64_t from, uint64_t to)
{
	size_t r;
	if (!g->solved || g->all)
		return true;
	r = region_of(g, from);
	if (r == SIZE_MAX)
		return true; /* code before every start: not judged */
	for (; r < g->nstarts && (g->starts[r] < to || g->starts[r] <= from); r++)
		if (g->live[r])
			return true;
	return false;
}
