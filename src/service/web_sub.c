/*
 * web_sub.c - a submission's pages: verdict and coverage first, findings
 * grouped by severity with their evidence and the catalog's "why it matters
 * / how to fix" (pst_rule_explain, docs/findings/), the image's file tree
 * (built from the stored CycloneDX report, which lists every file with its
 * location, kind, size and SHA-256), a file's page, a hex view of a
 * finding's evidence, the diff against the previous version, downloads and
 * the audit trail. Nothing of the image is unpacked in the serve process:
 * every page reads the reports the sandboxed worker stored; the diff is the
 * sandboxed diff process's (diff.c), and the hex view's bytes are read from
 * the stored image by the sandboxed peek process (peek.c), a window of at
 * most SVC_PEEK_MAX bytes at a time.
 */
#include <stdlib.h>
#include <string.h>
#include "postern/postern.h"
#include "web.h"

#define TREE_MAX_ENTRIES 2000 /* entries one directory page lists */
#define JSON_MAX_DEPTH 8      /* nesting the diff page renders */
#define JSON_MAX_ITEMS 500    /* array items the diff page renders */

static const char *const severities[] = { "critical", "high", "medium", "low", "info" };

static const struct {
	const char *name, *type, *ext;
} downloads[] = {
	{ "json", "application/json", "json" },
	{ "sarif", "application/sarif+json", "sarif" },
	{ "html", "text/html; charset=utf-8", "html" },
	{ "cyclonedx", "application/vnd.cyclonedx+json", "cdx.json" },
	{ "attestation", "application/vnd.dsse.envelope+json", "intoto.json" },
};

/* A stored report of s parsed, or NULL. */
static json_t *report(const struct web_ctx *x, const struct pst_sub_row *s, const char *fmt)
{
	char *data;
	size_t len;
	json_t *v;

	if (strcmp(s->status, "done") != 0 ||
	    x->srv->st->ops->report_get(x->srv->st, s->job_key, fmt, &data, &len) != 0)
		return NULL;
	v = json_loadb(data, len, 0, NULL);
	free(data);
	return v;
}

static void sub_href(struct web_buf *b, const struct pst_sub_row *s, const char *tail)
{
	web_raw(b, "/sub/");
	web_text(b, s->id);
	web_raw(b, tail);
}

static void heading(struct web_buf *b, const struct pst_sub_row *s, const char *what)
{
	web_raw(b, "<p class=\"crumbs\"><a href=\"/products\">Products</a> \xe2\x80\xba ");
	if (svc_valid_name(s->product, 64, "")) {
		web_raw(b, "<a href=\"/products/");
		web_urlenc(b, s->product);
		web_raw(b, "\">");
		web_text(b, s->product);
		web_raw(b, "</a>");
	} else {
		web_text(b, s->product);
	}
	web_raw(b, " \xe2\x80\xba <a href=\"");
	sub_href(b, s, "");
	web_raw(b, "\">");
	web_text(b, s->version);
	web_raw(b, "</a></p>\n<h1>");
	web_text(b, what);
	web_raw(b, "</h1>\n");
}

/* ---- the submission page ---- */

/* A count per name ("kinds": files by kind) on one line. */
static void kinds(struct web_buf *b, const json_t *o)
{
	const char *k;
	json_t *v;
	int first = 1;

	json_object_foreach((json_t *)o, k, v) {
		web_raw(b, first ? "" : ", ");
		web_text(b, k);
		web_raw(b, " ");
		web_int(b, (long long)json_integer_value(v));
		first = 0;
	}
}

static void coverage(struct web_buf *b, const json_t *cov)
{
	const char *k;
	json_t *v;
	char num[64];

	web_raw(b, "<h2 id=\"coverage\">Coverage</h2>\n<dl class=\"kv\">\n");
	json_object_foreach((json_t *)cov, k, v) {
		web_raw(b, "<dt>");
		web_text(b, k);
		web_raw(b, "</dt><dd>");
		if (json_is_string(v)) {
			web_text(b, json_string_value(v));
		} else if (json_is_number(v) || json_is_boolean(v)) {
			if (json_is_integer(v))
				snprintf(num, sizeof(num), "%lld",
					 (long long)json_integer_value(v));
			else if (json_is_real(v))
				snprintf(num, sizeof(num), "%g", json_real_value(v));
			else
				snprintf(num, sizeof(num), "%s", json_is_true(v) ? "yes" : "no");
			web_text(b, num);
		} else if (json_is_object(v)) {
			kinds(b, v);
		}
		web_raw(b, "</dd>\n");
	}
	web_raw(b, "</dl>\n");
}

static void file_link(struct web_buf *b, const struct pst_sub_row *s, const char *loc)
{
	web_raw(b, "<a href=\"");
	sub_href(b, s, "/file?loc=");
	web_urlenc(b, loc);
	web_raw(b, "\"><code>");
	web_text(b, loc);
	web_raw(b, "</code></a>");
}

/* The catalog's entry once per rule on a page; later findings link to it. */
static void explain(struct web_buf *b, const char *rule, json_t *seen)
{
	const char *source = NULL;
	char *text;

	if (json_object_get(seen, rule)) {
		web_raw(b, "<p class=\"muted\">Why it matters: see the first ");
		web_text(b, rule);
		web_raw(b, " finding above.</p>\n");
		return;
	}
	json_object_set_new(seen, rule, json_true());
	text = pst_rule_explain(rule, &source);
	if (!text) {
		web_raw(b, "<p class=\"muted\">The findings catalog has no entry for this rule."
			   "</p>\n");
		return;
	}
	web_raw(b, "<details><summary>Why it matters / how to fix</summary>\n<pre>");
	web_text(b, text);
	web_raw(b, "</pre>\n<p class=\"muted\">From ");
	web_text(b, source ? source : "the findings catalog");
	web_raw(b, "</p></details>\n");
	free(text);
}

static void finding(struct web_buf *b, const struct pst_sub_row *s, const json_t *f, size_t i,
		    json_t *seen)
{
	json_t *off = json_object_get(f, "offset");

	web_raw(b, "<div class=\"finding\">\n<h4><code>");
	web_text(b, web_str(f, "rule"));
	web_raw(b, "</code> <span class=\"muted\">");
	web_text(b, web_str(f, "category"));
	web_raw(b, "</span></h4>\n<p>");
	web_text(b, web_str(f, "message"));
	web_raw(b, "</p>\n<p>In ");
	file_link(b, s, web_str(f, "location"));
	if (json_is_integer(off)) {
		web_raw(b, " at offset ");
		web_int(b, (long long)json_integer_value(off));
	}
	web_raw(b, "</p>\n");
	if (json_object_get(f, "evidence")) {
		web_raw(b, "<p>Evidence (<a href=\"");
		sub_href(b, s, "/hex?f=");
		web_uint(b, i);
		web_raw(b, "\">hex view</a>):</p>\n<pre>");
		web_text(b, web_str(f, "evidence"));
		web_raw(b, "</pre>\n");
	}
	if (json_object_get(f, "waiver"))
		web_raw(b, "<p class=\"muted\">Waived by the policy.</p>\n");
	explain(b, web_str(f, "rule"), seen);
	web_raw(b, "</div>\n");
}

static void findings(struct web_buf *b, const struct pst_sub_row *s, const json_t *all)
{
	json_t *seen = json_object(), *f;
	size_t k, i, n;

	web_raw(b, "<h2 id=\"findings\">Findings</h2>\n");
	if (!json_array_size(all))
		web_raw(b, "<p>No findings.</p>\n");
	for (k = 0; k < 5; k++) {
		n = 0;
		json_array_foreach((json_t *)all, i, f)
			n += strcmp(web_str(f, "severity"), severities[k]) == 0;
		if (!n)
			continue;
		web_raw(b, "<h3 class=\"s-");
		web_raw(b, severities[k]);
		web_raw(b, "\">");
		web_raw(b, severities[k]);
		web_raw(b, " (");
		web_uint(b, n);
		web_raw(b, ")</h3>\n");
		json_array_foreach((json_t *)all, i, f)
			if (strcmp(web_str(f, "severity"), severities[k]) == 0)
				finding(b, s, f, i, seen);
	}
	json_decref(seen);
}

static void download_links(struct web_buf *b, const struct pst_sub_row *s)
{
	size_t i;

	web_raw(b, "<h2 id=\"downloads\">Downloads</h2>\n<ul>\n");
	for (i = 0; i < sizeof(downloads) / sizeof(downloads[0]); i++) {
		web_raw(b, "<li><a href=\"");
		sub_href(b, s, "/download/");
		web_raw(b, downloads[i].name);
		web_raw(b, "\" download>");
		web_raw(b, downloads[i].name);
		web_raw(b, "</a></li>\n");
	}
	web_raw(b, "</ul>\n");
}

static void audit_row(int64_t seq, const char *const f[5], void *ctx)
{
	struct web_buf *b = ctx;
	int i;

	web_raw(b, "<tr><td>");
	web_int(b, (long long)seq);
	for (i = 0; i < 5; i++) {
		web_raw(b, i == 3 ? "</td><td class=\"mono\">" : "</td><td>");
		web_text(b, f[i]);
	}
	web_raw(b, "</td></tr>\n");
}

static void audit(const struct web_ctx *x, struct web_buf *b, const struct pst_sub_row *s)
{
	web_raw(b, "<h2 id=\"audit\">Audit trail</h2>\n<table>\n<thead><tr><th scope=\"col\">#</th>"
		   "<th scope=\"col\">At</th><th scope=\"col\">Actor</th>"
		   "<th scope=\"col\">Action</th><th scope=\"col\">Object</th>"
		   "<th scope=\"col\">Detail</th></tr></thead>\n<tbody>\n");
	if (!x->srv->st->ops->audit_list ||
	    x->srv->st->ops->audit_list(x->srv->st, s->id, s->job_key, audit_row, b) != 0)
		web_raw(b, "<tr><td colspan=\"6\">The audit trail cannot be read now.</td></tr>\n");
	web_raw(b, "</tbody></table>\n");
}

static void summary(struct web_buf *b, const struct pst_sub_row *s)
{
	web_raw(b, "<dl class=\"kv\">\n<dt>File</dt><dd>");
	web_text(b, s->filename);
	web_raw(b, "</dd>\n<dt>SHA-256</dt><dd class=\"mono\">");
	web_text(b, s->sha256);
	web_raw(b, "</dd>\n<dt>State</dt><dd>");
	web_text(b, s->status);
	if (s->error[0] && strcmp(s->status, "done") != 0) {
		web_raw(b, " (");
		web_text(b, s->error);
		web_raw(b, ")");
	}
	web_raw(b, "</dd>\n<dt>Submitted</dt><dd>");
	web_text(b, s->created);
	web_raw(b, "</dd>\n</dl>\n");
}

static void page_nav(struct web_buf *b, const struct pst_sub_row *s)
{
	web_raw(b, "<nav aria-label=\"This submission\"><ul>"
		   "<li><a href=\"#findings\">Findings</a></li><li><a href=\"");
	sub_href(b, s, "/tree");
	web_raw(b, "\">File tree</a></li><li><a href=\"");
	sub_href(b, s, "/diff");
	web_raw(b, "\">Diff against the previous version</a></li>"
		   "<li><a href=\"#downloads\">Downloads</a></li>"
		   "<li><a href=\"#audit\">Audit trail</a></li></ul></nav>\n");
}

static enum MHD_Result sub_page(const struct web_ctx *x, const struct pst_sub_row *s)
{
	struct web_buf b = { 0 };
	char poll[64];
	int done = strcmp(s->status, "done") == 0;
	json_t *rep = report(x, s, "json");

	snprintf(poll, sizeof(poll), "/sub/%s/state", s->id);
	web_page_begin(&b, x, s->version, done || !strcmp(s->status, "error") ? NULL : poll,
		       s->status);
	heading(&b, s, "Submission");
	web_raw(&b, "<p>");
	web_badge(&b, s->verdict, 1);
	web_raw(&b, " ");
	web_text(&b, s->product);
	web_raw(&b, " ");
	web_text(&b, s->version);
	web_raw(&b, "</p>\n");
	summary(&b, s);
	if (done && rep) {
		page_nav(&b, s);
		web_review_panel(x, &b, s, json_object_get(rep, "findings"));
		coverage(&b, json_object_get(rep, "coverage"));
		findings(&b, s, json_object_get(rep, "findings"));
		download_links(&b, s);
	} else if (done) {
		web_raw(&b, "<p class=\"flash error\">The report cannot be read now.</p>\n");
	} else {
		web_raw(&b, "<p>The scan has not finished; this page updates itself.</p>\n");
	}
	audit(x, &b, s);
	web_page_end(&b);
	json_decref(rep);
	return web_send_page(x, 200, &b);
}

/* ---- the file tree ---- */

/* The file components of the CycloneDX report: each one's property. */
static const char *prop(const json_t *comp, const char *name)
{
	json_t *p;
	size_t i;

	json_array_foreach(json_object_get(comp, "properties"), i, p)
		if (strcmp(web_str(p, "name"), name) == 0)
			return web_str(p, "value");
	return "";
}

static int is_file(const json_t *comp)
{
	return strcmp(web_str(comp, "type"), "file") == 0 && prop(comp, "postern:location")[0];
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Findings whose location is loc, or (dir) starts with it. */
static size_t count_findings(const json_t *rep, const char *loc, int dir)
{
	json_t *f;
	size_t i, n = 0, len = strlen(loc);

	json_array_foreach(json_object_get(rep, "findings"), i, f) {
		const char *l = web_str(f, "location");
		n += dir ? strncmp(l, loc, len) == 0 : strcmp(l, loc) == 0;
	}
	return n;
}

/* The entries directly under prefix: a child ends at the next '/' after
 * its first byte (a directory, kept with its '/') or at the end (a file).
 * Returned malloc'd (each entry too), sorted and unique. */
static char **tree_children(const json_t *bom, const char *prefix, size_t *n)
{
	json_t *c;
	size_t i, k = 0, plen = strlen(prefix), cap = json_array_size(json_object_get(bom,
									       "components"));
	char **v = calloc(cap ? cap : 1, sizeof(*v));

	json_array_foreach(json_object_get(bom, "components"), i, c) {
		const char *loc = prop(c, "postern:location"), *slash;
		if (!v || !is_file(c) || strncmp(loc, prefix, plen) != 0 || !loc[plen])
			continue;
		slash = strchr(loc + plen + 1, '/');
		v[k++] = strndup(loc + plen, slash ? (size_t)(slash - loc - plen) + 1
						   : strlen(loc + plen));
	}
	if (v && k)
		qsort(v, k, sizeof(*v), cmp_str);
	for (i = 0, *n = 0; v && i < k; i++) {
		if (*n && v[i] && strcmp(v[i], v[*n - 1]) == 0) {
			free(v[i]);
			continue;
		}
		v[(*n)++] = v[i];
	}
	return v;
}

static void tree_entry(struct web_buf *b, const struct pst_sub_row *s, const json_t *rep,
		       const char *prefix, const char *child)
{
	size_t len = strlen(child), nf;
	int dir = child[len - 1] == '/';
	char *full = malloc(strlen(prefix) + len + 1);

	if (!full)
		return;
	strcpy(full, prefix);
	strcat(full, child);
	web_raw(b, "<li><a href=\"");
	sub_href(b, s, dir ? "/tree?at=" : "/file?loc=");
	web_urlenc(b, full);
	web_raw(b, dir ? "\">\xf0\x9f\x93\x81 " : "\">");
	web_text(b, child);
	web_raw(b, "</a>");
	nf = count_findings(rep, full, dir);
	if (nf) {
		web_raw(b, " <span class=\"s-high\">(");
		web_uint(b, nf);
		web_raw(b, nf == 1 ? " finding)</span>" : " findings)</span>");
	}
	web_raw(b, "</li>\n");
	free(full);
}

/* The link to the directory above at ("" is the image's top). */
static void up_entry(struct web_buf *b, const struct pst_sub_row *s, const char *at)
{
	size_t len = strlen(at);
	char *up = strdup(at);

	if (!up)
		return;
	if (len && up[len - 1] == '/')
		up[--len] = 0;
	while (len && up[len - 1] != '/')
		up[--len] = 0;
	web_raw(b, "<li><a href=\"");
	sub_href(b, s, "/tree?at=");
	web_urlenc(b, up);
	web_raw(b, "\">.. (up)</a></li>\n");
	free(up);
}

static enum MHD_Result tree_page(const struct web_ctx *x, const struct pst_sub_row *s)
{
	const char *at = web_arg(x, "at");
	json_t *bom = report(x, s, "cyclonedx"), *rep = report(x, s, "json");
	struct web_buf b = { 0 };
	char **kids;
	size_t n = 0, i;

	if (!at)
		at = "";
	if (!bom || !rep) {
		json_decref(bom);
		json_decref(rep);
		return web_error_page(x, 409, "The scan has not finished, or its report cannot "
					      "be read now.");
	}
	kids = tree_children(bom, at, &n);
	web_page_begin(&b, x, "File tree", NULL, NULL);
	heading(&b, s, "File tree");
	web_raw(&b, "<p>In <code>");
	web_text(&b, at[0] ? at : "(the image)");
	web_raw(&b, "</code>");
	web_raw(&b, "</p>\n<ul class=\"tree\">\n");
	if (at[0])
		up_entry(&b, s, at);
	for (i = 0; i < n && i < TREE_MAX_ENTRIES; i++)
		tree_entry(&b, s, rep, at, kids[i]);
	if (n == 0)
		web_raw(&b, "<li>Nothing here.</li>\n");
	web_raw(&b, "</ul>\n");
	if (n > TREE_MAX_ENTRIES)
		web_raw(&b, "<p class=\"muted\">More entries than one page lists.</p>\n");
	for (i = 0; i < n; i++)
		free(kids[i]);
	free(kids);
	web_page_end(&b);
	json_decref(bom);
	json_decref(rep);
	return web_send_page(x, 200, &b);
}

static void file_facts(struct web_buf *b, const json_t *c)
{
	static const char *const names[][2] = { { "postern:kind", "Kind" },
						{ "postern:detail", "Detail" },
						{ "postern:size", "Size (bytes)" } };
	json_t *h;
	size_t i;

	web_raw(b, "<dl class=\"kv\">\n");
	for (i = 0; i < 3; i++) {
		if (!prop(c, names[i][0])[0])
			continue;
		web_el(b, "<dt>", names[i][1], "</dt>");
		web_el(b, "<dd>", prop(c, names[i][0]), "</dd>\n");
	}
	json_array_foreach(json_object_get(c, "hashes"), i, h) {
		web_el(b, "<dt>", web_str(h, "alg"), "</dt>");
		web_el(b, "<dd class=\"mono\">", web_str(h, "content"), "</dd>\n");
	}
	web_raw(b, "</dl>\n");
}

/* The component of the file at location loc in the report's SBOM, NULL
 * when the report lists no file there: how the file page and the hex view
 * tell a location of the image from any other text. */
static json_t *file_component(const json_t *bom, const char *loc)
{
	json_t *c;
	size_t i;

	json_array_foreach(loc && bom ? json_object_get(bom, "components") : NULL, i, c)
		if (is_file(c) && strcmp(prop(c, "postern:location"), loc) == 0)
			return c;
	return NULL;
}

static enum MHD_Result file_page(const struct web_ctx *x, const struct pst_sub_row *s)
{
	const char *loc = web_arg(x, "loc");
	json_t *bom = report(x, s, "cyclonedx"), *rep = report(x, s, "json"), *f;
	json_t *seen = json_object(), *hit = file_component(bom, loc);
	struct web_buf b = { 0 };
	size_t i, n = 0;

	web_page_begin(&b, x, "File", NULL, NULL);
	heading(&b, s, "File");
	web_raw(&b, "<p><code>");
	web_text(&b, loc ? loc : "");
	web_raw(&b, "</code></p>\n");
	if (hit) {
		file_facts(&b, hit);
		web_raw(&b, "<p><a href=\"");
		sub_href(&b, s, "/hex?path=");
		web_urlenc(&b, loc);
		web_raw(&b, "&amp;offset=0\">Hex view of its bytes</a></p>\n");
	} else
		web_raw(&b, "<p class=\"muted\">Not a file the report lists (a container or a "
			    "region).</p>\n");
	web_raw(&b, "<h2>Findings in this file</h2>\n");
	json_array_foreach(rep ? json_object_get(rep, "findings") : NULL, i, f)
		if (loc && strcmp(web_str(f, "location"), loc) == 0) {
			finding(&b, s, f, i, seen);
			n++;
		}
	if (!n)
		web_raw(&b, "<p>None.</p>\n");
	web_raw(&b, "<p><a href=\"");
	sub_href(&b, s, "/tree");
	web_raw(&b, "\">Back to the file tree</a></p>\n");
	web_page_end(&b);
	json_decref(seen);
	json_decref(bom);
	json_decref(rep);
	return web_send_page(x, 200, &b);
}

/* ---- hex view, diff, downloads ---- */

/* Where the hex view of a finding starts: a window around its offset, on a
 * 16-byte line. */
static uint64_t window_around(uint64_t off)
{
	off &= ~(uint64_t)15;
	return off > SVC_PEEK_MAX / 2 ? off - SVC_PEEK_MAX / 2 : 0;
}

static void hex_link(struct web_buf *b, const struct pst_sub_row *s, const char *loc,
		     uint64_t off, const char *label)
{
	web_raw(b, "<a href=\"");
	sub_href(b, s, "/hex?path=");
	web_urlenc(b, loc);
	web_raw(b, "&amp;offset=");
	web_uint(b, off);
	web_raw(b, "\">");
	web_text(b, label);
	web_raw(b, "</a>");
}

/* The window of the image's file read by the sandboxed peek process
 * (peek.c), with links to the windows before and after it. */
static void hex_window(const struct web_ctx *x, struct web_buf *b, const struct pst_sub_row *s,
		       const char *loc, uint64_t off, unsigned *status)
{
	uint8_t bytes[SVC_PEEK_MAX];
	size_t n = 0;
	uint64_t size = 0;
	const char *detail;
	unsigned st = svc_peek_get(x->srv, s, loc, off, bytes, &n, &size, &detail);

	*status = st;
	if (st) {
		web_raw(b, "<p class=\"flash error\" role=\"alert\">");
		web_text(b, detail);
		web_raw(b, "</p>\n");
		return;
	}
	web_raw(b, "<p>Bytes ");
	web_uint(b, off);
	web_raw(b, " to ");
	web_uint(b, off + n);
	web_raw(b, " of ");
	web_uint(b, size);
	web_raw(b, ", read from the stored image by a sandboxed process.</p>\n"
		   "<pre class=\"hex\" id=\"hex\">");
	web_hexdump(b, bytes, n, off);
	web_raw(b, "</pre>\n<p>");
	if (off > 0)
		hex_link(b, s, loc, off > SVC_PEEK_MAX ? off - SVC_PEEK_MAX : 0, "Previous bytes");
	if (off > 0 && off + n < size)
		web_raw(b, " \xc2\xb7 ");
	if (off + n < size)
		hex_link(b, s, loc, off + n, "Next bytes");
	web_raw(b, "</p>\n");
}

/* The evidence a finding's report carries (redacted as the report is). */
static void hex_evidence(struct web_buf *b, const json_t *f)
{
	const char *ev = web_str(f, "evidence");

	web_raw(b, "<h2>Evidence in the report</h2>\n<p class=\"muted\">The evidence bytes "
		   "the report recorded, at the finding's offset; secrets in evidence stay "
		   "redacted.</p>\n<pre class=\"hex\">");
	web_hexdump(b, (const unsigned char *)ev, strlen(ev),
		    (uint64_t)json_integer_value(json_object_get(f, "offset")));
	web_raw(b, "</pre>\n");
}

/* /hex?f=K (finding K's file around its offset, and its evidence) or
 * /hex?path=LOCATION&offset=N (any file of the image from byte N). */
static enum MHD_Result hex_page(const struct web_ctx *x, const struct pst_sub_row *s)
{
	const char *fs = web_arg(x, "f"), *loc = web_arg(x, "path");
	json_t *rep = NULL, *f = NULL;
	struct web_buf b = { 0 };
	char *end = NULL;
	uint64_t off = 0;
	unsigned status = 0;

	if (fs) {
		unsigned long k = strtoul(fs, &end, 10);
		rep = report(x, s, "json");
		if (rep && end && !*end)
			f = json_array_get(json_object_get(rep, "findings"), k);
		if (!f || !json_object_get(f, "evidence")) {
			json_decref(rep);
			return web_error_page(x, 404,
					      "No such finding, or it carries no evidence.");
		}
		loc = web_str(f, "location");
		off = window_around((uint64_t)json_integer_value(json_object_get(f, "offset")));
	} else if (!loc || (web_arg(x, "offset") &&
			    svc_decimal(web_arg(x, "offset"), &off) != 0)) {
		return web_error_page(x, 400, "The hex view takes ?path=LOCATION&offset=N.");
	} else if (strcmp(s->status, "done") == 0 && strcmp(loc, s->filename) != 0) {
		/* the image itself or a file the report lists, as on the file
		 * page: any other text costs no process */
		json_t *bom = report(x, s, "cyclonedx");
		unsigned bad = !bom ? 503 : !file_component(bom, loc) ? 404 : 0;

		json_decref(bom);
		if (bad)
			return web_error_page(x, bad, bad == 404 ? "No file of that location in "
								 "this image." :
								 "The report cannot be read now.");
	}
	web_page_begin(&b, x, "Hex view", NULL, NULL);
	heading(&b, s, "Hex view");
	web_raw(&b, "<p>");
	if (f) {
		web_raw(&b, "<code>");
		web_text(&b, web_str(f, "rule"));
		web_raw(&b, "</code> in ");
	}
	file_link(&b, s, loc);
	web_raw(&b, "</p>\n");
	hex_window(x, &b, s, loc, off, &status);
	if (f)
		hex_evidence(&b, f);
	web_page_end(&b);
	json_decref(rep);
	/* a finding's page stands with its evidence even when the image
	 * cannot be read; a path that names no file is a 404 */
	return web_send_page(x, f ? 200 : status ? status : 200, &b);
}

/* Any JSON value as nested lists, every string as text. */
static void json_html(struct web_buf *b, const json_t *v, int depth)
{
	const char *k;
	json_t *e;
	size_t i;

	if (depth > JSON_MAX_DEPTH) {
		web_raw(b, "\xe2\x80\xa6");
	} else if (json_is_object(v)) {
		web_raw(b, "<dl class=\"kv\">\n");
		json_object_foreach((json_t *)v, k, e) {
			web_raw(b, "<dt>");
			web_text(b, k);
			web_raw(b, "</dt><dd>");
			json_html(b, e, depth + 1);
			web_raw(b, "</dd>\n");
		}
		web_raw(b, "</dl>\n");
	} else if (json_is_array(v)) {
		web_raw(b, json_array_size(v) ? "<ol>\n" : "<span class=\"muted\">none</span>");
		json_array_foreach((json_t *)v, i, e) {
			if (i == JSON_MAX_ITEMS)
				break;
			web_raw(b, "<li>");
			json_html(b, e, depth + 1);
			web_raw(b, "</li>\n");
		}
		web_raw(b, json_array_size(v) ? "</ol>\n" : "");
	} else if (json_is_string(v)) {
		web_text(b, json_string_value(v));
	} else {
		char *t = json_dumps(v, JSON_ENCODE_ANY);
		web_text(b, t ? t : "");
		free(t);
	}
}

static enum MHD_Result diff_page(const struct web_ctx *x, const struct pst_sub_row *s)
{
	struct web_buf b = { 0 };
	const char *detail;
	char *data = NULL;
	size_t len = 0;
	unsigned st = svc_diff_get(x->srv, s, &data, &len, &detail);
	json_t *d = st ? NULL : json_loadb(data, len, 0, NULL);

	free(data);
	if (st || !d)
		return web_error_page(x, st ? st : 500, st ? detail : "The diff cannot be read.");
	web_page_begin(&b, x, "Diff", NULL, NULL);
	heading(&b, s, "Diff against the previous version");
	web_raw(&b, "<p>");
	web_badge(&b, web_str(d, "verdict"), 1);
	web_raw(&b, "</p>\n");
	json_html(&b, d, 0);
	web_page_end(&b);
	json_decref(d);
	return web_send_page(x, 200, &b);
}

static enum MHD_Result download(const struct web_ctx *x, const struct pst_sub_row *s,
				const char *fmt)
{
	struct MHD_Response *res;
	char *data, cd[128];
	size_t len, i;
	enum MHD_Result rc;

	for (i = 0; i < sizeof(downloads) / sizeof(downloads[0]); i++)
		if (strcmp(fmt, downloads[i].name) == 0)
			break;
	if (i == sizeof(downloads) / sizeof(downloads[0]))
		return web_error_page(x, 404, "No such download.");
	if (strcmp(s->status, "done") != 0 ||
	    x->srv->st->ops->report_get(x->srv->st, s->job_key, fmt, &data, &len) != 0)
		return web_error_page(x, 409, "The report is not ready.");
	res = svc_mhd.MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!res) {
		free(data);
		return MHD_NO;
	}
	snprintf(cd, sizeof(cd), "attachment; filename=\"postern-%s.%s\"", s->id,
		 downloads[i].ext);
	/* never rendered as a page of ours: the HTML report runs in a sandbox */
	web_headers(res, downloads[i].type, "default-src 'none'; sandbox");
	svc_mhd.MHD_add_response_header(res, "Content-Disposition", cd);
	rc = svc_mhd.MHD_queue_response(x->c, 200, res);
	svc_mhd.MHD_destroy_response(res);
	return rc;
}

static enum MHD_Result state(const struct web_ctx *x, const struct pst_sub_row *s)
{
	struct web_buf b = { 0 };
	web_text(&b, s->status);
	return web_send_page(x, 200, &b);
}

/* The submission of rest's first 32 hex digits in the caller's scope; its
 * tail in *tail. 0, 404 or 503. */
unsigned web_sub_find(const struct web_ctx *x, const char *rest, struct pst_sub_row *s,
		      const char **tail)
{
	char id[33];

	if (strspn(rest, "0123456789abcdef") < 32)
		return 404;
	memcpy(id, rest, 32);
	id[32] = 0;
	*tail = rest + 32;
	switch (x->srv->st->ops->sub_get(x->srv->st, id, svc_scope(x->r), s)) {
	case 0: return 0;
	case 1: return 404;
	default: return 503;
	}
}

enum MHD_Result web_sub(const struct web_ctx *x, const char *rest)
{
	struct pst_sub_row s;
	const char *tail = "";
	unsigned st = web_sub_find(x, rest, &s, &tail);

	if (st)
		return web_error_page(x, st, st == 404 ? "No such submission."
						       : "The store cannot answer now.");
	if (!*tail)
		return sub_page(x, &s);
	if (strcmp(tail, "/state") == 0)
		return state(x, &s);
	if (strcmp(tail, "/tree") == 0)
		return tree_page(x, &s);
	if (strcmp(tail, "/file") == 0)
		return file_page(x, &s);
	if (strcmp(tail, "/hex") == 0)
		return hex_page(x, &s);
	if (strcmp(tail, "/diff") == 0)
		return diff_page(x, &s);
	if (strncmp(tail, "/download/", 10) == 0)
		return download(x, &s, tail + 10);
	return web_error_page(x, 404, "No such page.");
}
