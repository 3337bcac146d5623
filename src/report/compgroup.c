/*
 * compgroup.c - the "component" facts (src/analyze/components.c) split into
 * their fields and grouped by identity (name, version, type, purl, CPE), in
 * one stable order, for every report that lists components (CycloneDX, the
 * JSON inventory's top-level "components").
 */
#include <stdlib.h>
#include <string.h>
#include "report/report.h"

char *pst_component_split(const char *value, const char *f[PST_COMP_N])
{
	char *buf = strdup(value), *p;
	size_t i;
	if (!buf)
		return NULL;
	for (i = 0, p = buf; i < PST_COMP_N; i++) {
		f[i] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = 0;
	}
	if (i + 1 < PST_COMP_N || !f[PST_COMP_NAME][0] || !f[PST_COMP_TYPE][0]) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int key_cmp(const struct pst_comp_row *a, const struct pst_comp_row *b)
{
	static const int order[] = { PST_COMP_NAME, PST_COMP_VERSION, PST_COMP_TYPE, PST_COMP_PURL,
				     PST_COMP_CPE };
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		int c = strcmp(a->f[order[i]], b->f[order[i]]);
		if (c)
			return c;
	}
	return 0;
}

/* Identity, then where, then how: the same order whatever the threads did. */
static int row_cmp(const void *pa, const void *pb)
{
	const struct pst_comp_row *a = pa, *b = pb;
	int c = key_cmp(a, b);
	if (c)
		return c;
	c = strcmp(a->node ? a->node->location : "", b->node ? b->node->location : "");
	if (c)
		return c;
	c = strcmp(a->f[PST_COMP_TECHNIQUE], b->f[PST_COMP_TECHNIQUE]);
	return c ? c : strcmp(a->f[PST_COMP_EVIDENCE], b->f[PST_COMP_EVIDENCE]);
}

struct pst_comp_row *pst_comp_rows(const struct pst_scan *s, size_t *n)
{
	struct pst_comp_row *rs = calloc(s->nfacts + 1, sizeof(*rs));
	size_t i;
	*n = 0;
	if (!rs)
		return NULL;
	for (i = 0; i < s->nfacts; i++) {
		struct pst_comp_row *r = &rs[*n];
		if (strcmp(s->facts[i].key, "component") != 0)
			continue;
		r->node = s->facts[i].node;
		r->buf = pst_component_split(s->facts[i].value, r->f);
		if (r->buf)
			(*n)++;
	}
	qsort(rs, *n, sizeof(*rs), row_cmp);
	return rs;
}

size_t pst_comp_group_end(const struct pst_comp_row *rs, size_t n, size_t i)
{
	size_t j;
	for (j = i + 1; j < n && key_cmp(&rs[i], &rs[j]) == 0; j++)
		;
	return j;
}

void pst_comp_rows_free(struct pst_comp_row *rs, size_t n)
{
	for (size_t i = 0; rs && i < n; i++)
		free(rs[i].buf);
	free(rs);
}
