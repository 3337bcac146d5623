/*
 * catalog.c - reads the findings catalog compiled into the library
 * (docs/findings/AREA.md; see scripts/embed.c): each rule is a "## rule.id"
 * heading followed by its markdown, up to the next heading. SARIF takes its
 * rule help from here.
 */
#include <ctype.h>
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

bool pst_catalog_lookup(const char *rule, struct pst_catalog_entry *out)
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
			if (heading_is(p, eol, rule)) {
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
				return true;
			}
			p = eol + 1;
		}
	}
	return false;
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
