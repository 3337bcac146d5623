/*
 * web_pages.c - the web pages that list: the queue (every submission the
 * caller may see, newest first, with live progress), the products and
 * their versions with verdict badges, and the upload form. Everything shown
 * comes from the store and is written as escaped text.
 */
#include <stdlib.h>
#include <string.h>
#include "web.h"

#define QUEUE_ROWS 200 /* rows the queue page shows */

struct rows {
	struct pst_sub_row *v;
	size_t n, cap;
	int err;
};

static void row_add(const struct pst_sub_row *s, void *ctx)
{
	struct rows *r = ctx;
	struct pst_sub_row *nv;

	if (r->n == r->cap) {
		nv = realloc(r->v, (r->cap ? r->cap * 2 : 64) * sizeof(*nv));
		if (!nv) {
			r->err = 1;
			return;
		}
		r->v = nv;
		r->cap = r->cap ? r->cap * 2 : 64;
	}
	r->v[r->n++] = *s;
}

struct names {
	char (*v)[65];
	size_t n, cap;
	int err;
};

/* The store's callbacks run under its lock: names are gathered first and
 * their versions asked for after, never from inside a callback. */
static void name_add(const char *name, int64_t versions, void *ctx)
{
	struct names *p = ctx;
	char(*nv)[65];

	(void)versions;
	if (p->n == p->cap) {
		nv = realloc(p->v, (p->cap ? p->cap * 2 : 16) * sizeof(*nv));
		if (!nv) {
			p->err = 1;
			return;
		}
		p->v = nv;
		p->cap = p->cap ? p->cap * 2 : 16;
	}
	snprintf(p->v[p->n++], 65, "%s", name);
}

/* Newest first; the id breaks ties so the order is stable. */
static int newest_first(const void *a, const void *b)
{
	const struct pst_sub_row *x = a, *y = b;
	int c = strcmp(y->created, x->created);
	return c ? c : strcmp(x->id, y->id);
}

static int all_rows(const struct web_ctx *x, struct rows *rows)
{
	struct names p = { 0 };
	const char *tenant = svc_scope(x->r);
	size_t i;
	int rc = x->srv->st->ops->products(x->srv->st, tenant, name_add, &p) != 0 || p.err;

	for (i = 0; !rc && i < p.n; i++)
		rc = x->srv->st->ops->versions(x->srv->st, tenant, p.v[i], row_add, rows) < 0;
	free(p.v);
	if (rc || rows->err)
		return -1;
	if (rows->n)
		qsort(rows->v, rows->n, sizeof(rows->v[0]), newest_first);
	return 0;
}

/* What the queue page's poll compares: the ids and states it shows. */
static void queue_digest(const struct rows *rows, char out[65])
{
	crypto_hash_sha256_state st;
	unsigned char h[32];
	size_t i;

	crypto_hash_sha256_init(&st);
	for (i = 0; i < rows->n && i < QUEUE_ROWS; i++) {
		crypto_hash_sha256_update(&st, (const unsigned char *)rows->v[i].id, 32);
		crypto_hash_sha256_update(&st, (const unsigned char *)rows->v[i].status,
					  strlen(rows->v[i].status) + 1);
	}
	crypto_hash_sha256_final(&st, h);
	svc_hex(h, 32, out);
}

static void sub_link(struct web_buf *b, const struct pst_sub_row *s, const char *text)
{
	web_raw(b, "<a href=\"/sub/");
	web_text(b, s->id);
	web_raw(b, "\">");
	web_text(b, text);
	web_raw(b, "</a>");
}

/* The API's progress (svc_sub_progress), which the page reloads to follow. */
static void progress(struct web_buf *b, const struct pst_sub_row *s)
{
	int v = (int)(svc_sub_progress(s) * 100);

	web_raw(b, "<progress max=\"100\" value=\"");
	web_int(b, v);
	web_raw(b, "\" aria-label=\"progress\">");
	web_int(b, v);
	web_raw(b, "%</progress> ");
	web_text(b, s->status);
}

static void queue_table(struct web_buf *b, const struct rows *rows)
{
	size_t i;

	web_raw(b, "<table>\n<caption class=\"muted\">Newest first</caption>\n<thead><tr>"
		   "<th scope=\"col\">Product</th><th scope=\"col\">Version</th>"
		   "<th scope=\"col\">File</th><th scope=\"col\">State</th>"
		   "<th scope=\"col\">Verdict</th><th scope=\"col\">Submitted</th>"
		   "</tr></thead>\n<tbody>\n");
	for (i = 0; i < rows->n && i < QUEUE_ROWS; i++) {
		const struct pst_sub_row *s = &rows->v[i];
		web_raw(b, "<tr><td>");
		web_text(b, s->product);
		web_raw(b, "</td><td>");
		sub_link(b, s, s->version);
		web_raw(b, "</td><td>");
		web_text(b, s->filename);
		web_raw(b, "</td><td>");
		progress(b, s);
		web_raw(b, "</td><td>");
		web_badge(b, s->verdict, 0);
		web_raw(b, "</td><td>");
		web_text(b, s->created);
		web_raw(b, "</td></tr>\n");
	}
	web_raw(b, "</tbody></table>\n");
}

enum MHD_Result web_queue(const struct web_ctx *x)
{
	struct rows rows = { 0 };
	struct web_buf b = { 0 };
	char digest[65];
	size_t i, busy = 0;

	if (all_rows(x, &rows) != 0) {
		free(rows.v);
		return web_error_page(x, 503, "The store cannot answer now.");
	}
	queue_digest(&rows, digest);
	for (i = 0; i < rows.n; i++)
		busy += strcmp(rows.v[i].status, "queued") == 0 ||
			strcmp(rows.v[i].status, "running") == 0;
	web_page_begin(&b, x, "Queue", "/queue/state", digest);
	web_raw(&b, "<h1>Queue</h1>\n<p>");
	web_uint(&b, busy);
	web_raw(&b, " scanning or waiting, ");
	web_uint(&b, rows.n);
	web_raw(&b, " submissions in all. This page updates itself while scans run.</p>\n");
	if (rows.n)
		queue_table(&b, &rows);
	else
		web_raw(&b, "<p>Nothing submitted yet. <a href=\"/submit\">Submit an image</a>."
			    "</p>\n");
	web_page_end(&b);
	free(rows.v);
	return web_send_page(x, 200, &b);
}

enum MHD_Result web_queue_state(const struct web_ctx *x)
{
	struct rows rows = { 0 };
	struct web_buf b = { 0 };
	char digest[65];
	enum MHD_Result rc;

	if (all_rows(x, &rows) != 0) {
		free(rows.v);
		return web_error_page(x, 503, "The store cannot answer now.");
	}
	queue_digest(&rows, digest);
	free(rows.v);
	web_raw(&b, digest);
	rc = web_send_page(x, 200, &b); /* text/html of 64 hex digits: harmless */
	return rc;
}

static void product_row(const char *name, int64_t versions, void *ctx)
{
	struct web_buf *b = ctx;

	web_raw(b, "<tr><td><a href=\"/products/");
	web_urlenc(b, name);
	web_raw(b, "\">");
	web_text(b, name);
	web_raw(b, "</a></td><td>");
	web_int(b, versions);
	web_raw(b, "</td></tr>\n");
}

enum MHD_Result web_products(const struct web_ctx *x)
{
	struct web_buf b = { 0 };

	web_page_begin(&b, x, "Products", NULL, NULL);
	web_raw(&b, "<h1>Products</h1>\n<table>\n<thead><tr><th scope=\"col\">Product</th>"
		    "<th scope=\"col\">Versions</th></tr></thead>\n<tbody>\n");
	if (x->srv->st->ops->products(x->srv->st, svc_scope(x->r), product_row, &b) != 0) {
		web_buf_free(&b);
		return web_error_page(x, 503, "The store cannot answer now.");
	}
	web_raw(&b, "</tbody></table>\n");
	web_page_end(&b);
	return web_send_page(x, 200, &b);
}

enum MHD_Result web_product(const struct web_ctx *x, const char *name)
{
	struct rows rows = { 0 };
	struct web_buf b = { 0 };
	size_t i;
	int rc;

	rc = svc_valid_name(name, 64, "") ?
		     x->srv->st->ops->versions(x->srv->st, svc_scope(x->r), name, row_add, &rows) :
		     1;
	if (rc != 0 || rows.err) {
		free(rows.v);
		return web_error_page(x, rc == 1 ? 404 : 503,
				      rc == 1 ? "No such product."
					      : "The store cannot answer now.");
	}
	web_page_begin(&b, x, name, NULL, NULL);
	web_raw(&b, "<p class=\"crumbs\"><a href=\"/products\">Products</a></p>\n<h1>");
	web_text(&b, name);
	web_raw(&b, "</h1>\n<table>\n<thead><tr><th scope=\"col\">Version</th>"
		    "<th scope=\"col\">File</th><th scope=\"col\">SHA-256</th>"
		    "<th scope=\"col\">State</th><th scope=\"col\">Verdict</th>"
		    "<th scope=\"col\">Submitted</th></tr></thead>\n<tbody>\n");
	for (i = rows.n; i-- > 0;) {
		const struct pst_sub_row *s = &rows.v[i];
		web_raw(&b, "<tr><td>");
		sub_link(&b, s, s->version);
		web_raw(&b, "</td><td>");
		web_text(&b, s->filename);
		web_raw(&b, "</td><td class=\"mono\">");
		web_textn(&b, s->sha256, 16);
		web_raw(&b, "\xe2\x80\xa6</td><td>");
		web_text(&b, s->status);
		web_raw(&b, "</td><td>");
		web_badge(&b, s->verdict, 0);
		web_raw(&b, "</td><td>");
		web_text(&b, s->created);
		web_raw(&b, "</td></tr>\n");
	}
	web_raw(&b, "</tbody></table>\n");
	web_page_end(&b);
	free(rows.v);
	return web_send_page(x, 200, &b);
}

enum MHD_Result web_submit_form(const struct web_ctx *x)
{
	struct web_buf b = { 0 };

	web_page_begin(&b, x, "Submit an image", NULL, NULL);
	web_raw(&b, "<h1>Submit an image</h1>\n");
	if (x->r->tok.role != PST_ROLE_SUBMITTER && x->r->tok.role != PST_ROLE_ADMIN) {
		web_raw(&b, "<p>Submitting takes a submitter or admin token.</p>\n");
	} else {
		web_raw(&b, "<form class=\"stack\" method=\"post\" action=\"/submit\" "
			    "enctype=\"multipart/form-data\">\n");
		web_csrf_field(&b, x);
		web_raw(&b, "\n<label for=\"product\">Product</label>\n<input id=\"product\" "
			    "name=\"product\" type=\"text\" required maxlength=\"64\" "
			    "pattern=\"[A-Za-z0-9][A-Za-z0-9._\\-]*\">\n"
			    "<label for=\"version\">Version</label>\n<input id=\"version\" "
			    "name=\"version\" type=\"text\" required maxlength=\"64\" "
			    "pattern=\"[A-Za-z0-9][A-Za-z0-9._+\\-]*\">\n"
			    "<label for=\"image\">Image file</label>\n<input id=\"image\" "
			    "name=\"image\" type=\"file\" required>\n"
			    "<p><button type=\"submit\">Upload and scan</button></p>\n</form>\n");
	}
	web_page_end(&b);
	return web_send_page(x, 200, &b);
}
