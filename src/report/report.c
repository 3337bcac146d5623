/*
 * report.c - picks the writer for a format (one file per format beside this
 * one) and holds what they share: counts, locations, jansson helpers.
 * Reports only read the finished result.
 */
#include <string.h>
#include "report/report.h"

int pst_format_parse(const char *s)
{
	static const char *const names[] = { "text", "json", "sarif", "html", "cyclonedx" };
	size_t i;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

const char *pst_finding_location(const struct pst_finding *f)
{
	return f->node && f->node->location ? f->node->location : "";
}

void pst_count_findings(const struct pst_finding *f, size_t n, struct pst_counts *c)
{
	size_t i;
	memset(c, 0, sizeof(*c));
	for (i = 0; i < n; i++) {
		if (f[i].waiver)
			c->waived++;
		else if ((unsigned)f[i].severity <= PST_SEV_CRITICAL)
			c->sev[f[i].severity]++;
	}
}

static bool is_offset_suffix(const char *at, const char *end)
{
	const char *p;
	if (end - at < 4 || at[1] != '0' || at[2] != 'x')
		return false;
	for (p = at + 3; p < end; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
			return false;
	return true;
}

static void put(char *out, size_t len, size_t *n, const char *p, size_t k)
{
	size_t i;
	for (i = 0; i < k; i++, (*n)++)
		if (*n + 1 < len)
			out[*n] = p[i];
}

size_t pst_location_inner(const char *location, char *out, size_t len)
{
	const char *p = strchr(location, '!');
	size_t n = 0;

	while (p) {
		const char *seg = p + 1, *end, *at;
		end = strchr(seg, '!');
		if (!end)
			end = seg + strlen(seg);
		/* Path segments ("/etc/passwd") are kept whole; region segments
		 * ("squashfs@0x20000") lose their offset. */
		at = *seg == '/' ? NULL : memrchr(seg, '@', (size_t)(end - seg));
		if (!at || !is_offset_suffix(at, end))
			at = end;
		put(out, len, &n, "!", 1);
		put(out, len, &n, seg, (size_t)(at - seg));
		p = *end ? end : NULL;
	}
	if (len)
		out[n + 1 < len ? n : len - 1] = 0;
	return n + 1;
}

void pst_jset(json_t *obj, const char *key, json_t *v)
{
	if (v)
		json_object_set_new(obj, key, v);
}

void pst_jstr(json_t *obj, const char *key, const char *s)
{
	if (s)
		json_object_set_new(obj, key, json_string(s));
}

enum pst_err pst_jdump(json_t *root, struct pst_str *o)
{
	char *text;
	if (!root)
		return PST_ENOMEM;
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	if (!text)
		return PST_ENOMEM;
	pst_str_puts(o, text);
	pst_str_putc(o, '\n');
	free(text);
	return o->err ? PST_ENOMEM : PST_OK;
}

enum pst_err pst_report_write(const struct pst_scan *s, enum pst_format f,
			      const struct pst_report_opts *o, FILE *out)
{
	struct pst_str buf;
	enum pst_err e;

	if (!s->root)
		return PST_EUSAGE;
	pst_str_init(&buf, (size_t)1 << 34);
	switch (f) {
	case PST_FORMAT_JSON: e = pst_write_json(s, o, &buf); break;
	case PST_FORMAT_SARIF: e = pst_write_sarif(s, o, &buf); break;
	case PST_FORMAT_HTML: e = pst_write_html(s, o, &buf); break;
	case PST_FORMAT_CYCLONEDX: e = pst_write_cyclonedx(s, o, &buf); break;
	case PST_FORMAT_VEX: e = pst_write_vex(s, o, &buf); break;
	case PST_FORMAT_TEXT:
	default: e = pst_write_text(s, o, &buf); break;
	}
	if (e == PST_OK && buf.err)
		e = PST_ENOMEM;
	if (e == PST_OK && (fwrite(buf.p, 1, buf.len, out) != buf.len || fflush(out) != 0))
		e = PST_EIO;
	pst_str_free(&buf);
	return e;
}
