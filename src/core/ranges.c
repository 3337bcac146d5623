/*
 * ranges.c - which bytes of a container are its own: not examined through a
 * child.
 *
 * A container's bytes are mostly its payload: a gzip stream's compressed
 * data, a file system's blocks, the members of a tar. Its children are
 * examined on their own, so a content scanner (the YARA analyzer) that also
 * read the container whole would read everything twice, once as encoded
 * noise. What is left to read is the container's own: its header window
 * (PST_HEADER_WINDOW bytes, up to the first borrowed child), whatever the
 * unpacker did not consume, less the carved objects and borrowed children
 * found there, plus each carved object's header window (carved objects are
 * not analyzed as nodes). The sink records the covered parts as children are
 * emitted and objects carved; the walker asks for the result once the
 * unpacker and the carver are done, before the analyzers run.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static void record(struct pst_range **v, size_t *n, size_t *cap, bool *lost, uint64_t off,
		   uint64_t len)
{
	if (!len)
		return;
	if (!pst_array_grow((void **)v, cap, *n, sizeof(**v), 16)) {
		*lost = true;
		return;
	}
	(*v)[*n].off = off;
	(*v)[*n].len = len;
	(*n)++;
}

void pst_sink_cover(struct pst_sink *k, uint64_t off, uint64_t len)
{
	record(&k->covered, &k->ncovered, &k->capcovered, &k->ranges_lost, off, len);
}

void pst_sink_head(struct pst_sink *k, uint64_t off, uint64_t len)
{
	record(&k->heads, &k->nheads, &k->capheads, &k->ranges_lost, off, len);
}

void pst_sink_ranges_free(struct pst_sink *k)
{
	free(k->covered);
	free(k->heads);
	k->covered = k->heads = NULL;
	k->ncovered = k->capcovered = k->nheads = k->capheads = 0;
}

static int range_cmp(const void *pa, const void *pb)
{
	const struct pst_range *a = pa, *b = pb;
	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* Sorts v and merges overlapping or touching ranges in place; returns the
 * new count. */
static size_t merge(struct pst_range *v, size_t n)
{
	size_t i, o = 0;
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), range_cmp);
	for (i = 1; i < n; i++) {
		uint64_t end = v[o].off + v[o].len;
		if (v[i].off <= end) {
			uint64_t e2 = v[i].off + v[i].len;
			if (e2 > end)
				v[o].len = e2 - v[o].off;
		} else {
			v[++o] = v[i];
		}
	}
	return o + 1;
}

uint64_t pst_sink_header_window(const struct pst_sink *k, uint64_t len)
{
	uint64_t hdr = k->header ? k->header : PST_HEADER_WINDOW;
	size_t i;
	if (hdr > len)
		hdr = len;
	for (i = 0; i < k->ncovered; i++)
		if (k->covered[i].off < hdr)
			hdr = k->covered[i].off;
	return hdr;
}

struct pst_range *pst_own_ranges(const struct pst_sink *k, uint64_t len, uint64_t consumed,
				 size_t *n)
{
	struct pst_range *cov = NULL, *out = NULL;
	size_t ncov = 0, nout = 0, capout = 0, i;
	uint64_t hdr = pst_sink_header_window(k, len), pos;
	bool lost = false;

	*n = 0;
	if (k->ranges_lost || !len)
		return NULL;
	if (consumed > len)
		consumed = len;
	/* Nothing explained: the unpacker consumed nothing it told of and
	 * nothing was carved. */
	if (!consumed && !k->ncovered && !k->nheads)
		return NULL;
	if (k->ncovered) {
		cov = pst_malloc(k->ncovered * sizeof(*cov));
		if (!cov)
			return NULL;
		memcpy(cov, k->covered, k->ncovered * sizeof(*cov));
		ncov = merge(cov, k->ncovered);
	}
	record(&out, &nout, &capout, &lost, 0, hdr);
	/* [consumed, len) less what the covered ranges take */
	pos = consumed;
	for (i = 0; i < ncov && pos < len; i++) {
		uint64_t a = cov[i].off, b = cov[i].off + cov[i].len;
		if (b <= pos)
			continue;
		if (a > pos)
			record(&out, &nout, &capout, &lost, pos, (a < len ? a : len) - pos);
		if (b > pos)
			pos = b;
	}
	if (pos < len)
		record(&out, &nout, &capout, &lost, pos, len - pos);
	for (i = 0; i < k->nheads; i++) {
		const struct pst_range *h = &k->heads[i];
		if (h->off < len)
			record(&out, &nout, &capout, &lost, h->off,
			       h->len < len - h->off ? h->len : len - h->off);
	}
	free(cov);
	if (lost) {
		free(out);
		return NULL;
	}
	nout = merge(out, nout);
	if (nout == 1 && out[0].off == 0 && out[0].len == len) {
		free(out);
		return NULL;
	}
	*n = nout;
	return out;
}
