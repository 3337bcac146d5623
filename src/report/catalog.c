/*
 * catalog.c - reads the findings catalog compiled into the library
 * (docs/findings/AREA.md; see scripts/embed.c): each rule is a "## rule.id"
 * heading followed by its markdown, up to the next heading. SARIF takes its
 * rule help from here, `postern explain RULE` the text it prints.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "report/report.h"
#include "policy/embedded.h"

static bool heading_is(const char *line, const char *end, const char *rule)
{
	size_t n = strlen(rule);
	const char *p;
	if (end - line < 3 || line[0] != '#' || line[1] != '#' || line[2] != ' ')
		return false;
	p = line + 3;
	while (p < end && *p == ' ')
		p++;
	if (*p == '`')
		p++;
	if ((size_t)(end - p) < n || memcmp(p, rule, n) != 0)
		return false;
	p += n;
	if (p < end && *p == '`')
		p++;
	while (p < end && (*p == ' ' || *p == '\r'))
		p++;
	return p == end;
}

/* The entry under the heading that ends at eol: its markdown up to the next
 * heading ("# " or "## "). */
static void entry_at(const struct pst_embedded *f, const char *eol, struct pst_catalog_entry *out)
{
	const char *end = f->text + f->len;
	const char *body = eol < end ? eol + 1 : end, *q = body;
	while (q < end) {
		const char *qe = memchr(q, '\n', (size_t)(end - q));
		if (*q == '#' && (q + 1 < end && (q[1] == '#' || q[1] == ' ')))
			break;
		q = qe ? qe + 1 : end;
	}
	out->file = f->name;
	out->text = body;
	out->len = (size_t)(q - body);
}

/* Calls fn for every "## " heading of the catalog, in order, with the
 * heading's text (line, eol) and its file; stops when fn returns true. */
typedef bool (*heading_fn)(const struct pst_embedded *f, const char *line, const char *eol,
			   void *ctx);
static bool each_heading(heading_fn fn, void *ctx)
{
	const struct pst_embedded *f;
	for (f = pst_embedded_files; f->name; f++) {
		const char *p = f->text, *end = f->text + f->len;
		if (strncmp(f->name, "docs/findings/", 14) != 0)
			continue;
		while (p < end) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));
			if (!eol)
				eol = end;
			if (eol - p > 3 && memcmp(p, "## ", 3) == 0 && fn(f, p, eol, ctx))
				return true;
			p = eol + 1;
		}
	}
	return false;
}

struct lookup_ctx {
	const char *rule;
	struct pst_catalog_entry *out;
};

static bool lookup_exact(const struct pst_embedded *f, const char *line, const char *eol, void *ctx)
{
	struct lookup_ctx *l = ctx;
	if (!heading_is(line, eol, l->rule))
		return false;
	entry_at(f, eol, l->out);
	return true;
}

bool pst_catalog_lookup(const char *rule, struct pst_catalog_entry *out)
{
	struct lookup_ctx l = { rule, out };
	return each_heading(lookup_exact, &l);
}

/* A heading's rule id: its first word without code marks, when that word is
 * made of the characters of rule ids (globs included: "signature.postern.*")
 * and has a dot; section headings ("## Accounts") have none. */
static bool heading_id(const char *line, const char *eol, char *id, size_t len)
{
	const char *p = line + 3;
	size_t k = 0;
	bool dot = false;
	if (p < eol && *p == '`')
		p++;
	for (; p < eol && *p != ' ' && *p != '`' && *p != '\r'; p++) {
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || strchr("._-*:", *p)) ||
		    k + 1 >= len)
			return false;
		dot |= *p == '.';
		id[k++] = *p;
	}
	id[k] = 0;
	return dot && k > 2;
}

static bool lookup_glob(const struct pst_embedded *f, const char *line, const char *eol, void *ctx)
{
	struct lookup_ctx *l = ctx;
	char id[128];
	if (!heading_id(line, eol, id, sizeof(id)) ||
	    (strcmp(id, l->rule) != 0 && (!strchr(id, '*') || fnmatch(id, l->rule, 0) != 0)))
		return false;
	entry_at(f, eol, l->out);
	return true;
}

/* For a person asking about a rule: its own heading, else a heading that
 * starts with the id ("## coverage.encrypted (from container unpackers)"),
 * else a glob heading that covers it ("## signature.postern.* — ..."). */
static bool catalog_find(const char *rule, struct pst_catalog_entry *out)
{
	struct lookup_ctx l = { rule, out };
	return pst_catalog_lookup(rule, out) || each_heading(lookup_glob, &l);
}

char *pst_rule_explain(const char *rule, const char **source)
{
	struct pst_catalog_entry e;
	if (!rule || !catalog_find(rule, &e))
		return NULL;
	if (source)
		*source = e.file;
	return pst_catalog_plain(&e);
}

struct ids_ctx {
	void (*fn)(const char *id, void *ctx);
	void *ctx;
	const char *seen[256]; /* ids already given: the catalog repeats a few */
	size_t nseen;
	char ids[256][128];
};

static bool give_id(const struct pst_embedded *f, const char *line, const char *eol, void *ctx)
{
	struct ids_ctx *c = ctx;
	char *id = c->ids[c->nseen < 256 ? c->nseen : 255];
	size_t i;
	(void)f;
	if (!heading_id(line, eol, id, sizeof(c->ids[0])))
		return false;
	for (i = 0; i < c->nseen; i++)
		if (strcmp(c->seen[i], id) == 0)
			return false;
	if (c->nseen < 256)
		c->seen[c->nseen++] = id;
	c->fn(id, c->ctx);
	return false;
}

void pst_rule_foreach(void (*fn)(const char *id, void *ctx), void *ctx)
{
	struct ids_ctx *c = calloc(1, sizeof(*c));
	if (!c)
		return;
	c->fn = fn;
	c->ctx = ctx;
	each_heading(give_id, c);
	free(c);
}

/* Copies s[0..n) without markdown emphasis and code marks. */
static size_t strip_marks(const char *s, size_t n, char *out, size_t cap)
{
	size_t i, k = 0;
	for (i = 0; i < n && k + 1 < cap; i++) {
		if (s[i] == '\r')
			continue;
		if (s[i] == '*' || s[i] == '`' || (s[i] == '_' && (i == 0 || s[i - 1] == ' ' ||
							       i + 1 == n || s[i + 1] == ' ')))
			continue;
		out[k++] = s[i];
	}
	if (cap)
		out[k] = 0;
	return k;
}

static bool is_meta_line(const char *p, const char *e)
{
	char buf[32];
	size_t i, k = 0;
	for (i = 0; p + i < e && k < sizeof(buf) - 1; i++)
		if (isalpha((unsigned char)p[i]))
			buf[k++] = (char)tolower((unsigned char)p[i]);
	buf[k] = 0;
	return strncmp(buf, "severity", 8) == 0 || strncmp(buf, "category", 8) == 0;
}

/* "Why it matters: ..." reads better without its label. */
static void drop_label(char *s, const char *label)
{
	size_t n = strlen(label);
	const char *r;
	if (strncmp(s, label, n) != 0)
		return;
	r = s + n;
	while (*r == ' ')
		r++;
	memmove(s, r, strlen(r) + 1);
}

void pst_catalog_summary(const struct pst_catalog_entry *e, char *out, size_t len)
{
	const char *p = e->text, *end = e->text + e->len;
	if (len)
		out[0] = 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q;
		if (!eol)
			eol = end;
		q = p;
		while (q < eol && (*q == ' ' || *q == '-' || *q == '>'))
			q++;
		if (q < eol && !is_meta_line(q, eol) && *q != '|' && *q != '`') {
			/* The first sentence: up to ". " or the end of the line. */
			const char *stop = q;
			while (stop < eol && !(stop[0] == '.' && (stop + 1 == eol || stop[1] == ' ')))
				stop++;
			if (stop < eol)
				stop++;
			strip_marks(q, (size_t)(stop - q), out, len);
			drop_label(out, "Why it matters:");
			return;
		}
		p = eol + 1;
	}
}

char *pst_catalog_plain(const struct pst_catalog_entry *e)
{
	char *out = malloc(e->len + 1);
	size_t k;
	if (!out)
		return NULL;
	k = strip_marks(e->text, e->len, out, e->len + 1);
	while (k && (out[k - 1] == '\n' || out[k - 1] == ' '))
		out[--k] = 0;
	return out;
}
