/*
 * web.c - the web pages of `postern serve` (docs/service.md, "Web pages"):
 * sign-in with a token exchanged for a session cookie, CSRF tokens on every
 * form, sign-out, the security headers of every answer, the frame of every
 * page, and the dispatch to the pages (web_pages.c, web_sub.c). Sessions
 * live in the store (schema 4), so a restart of serve (or another serve on
 * the same PostgreSQL store) keeps them: a row holds the SHA-256 of the
 * session id (the id itself is only in the browser's cookie, so the store
 * alone signs nobody in), its token, its form (CSRF) secret and its expiry.
 * Sign-out and expiry delete the row. The token is looked up again on every
 * request, so a revoked token ends its sessions at once.
 */
#include <stdlib.h>
#include <string.h>
#include "web.h"

extern const char pst_web_css[], pst_web_js[];

#define WEB_SESSIONS_PER_TOKEN 16	/* one token's live sessions; the oldest goes first */
#define WEB_SESSION_SECONDS (8 * 3600)	/* a session's life from sign-in */
#define WEB_FORM_MAX (64u * 1024)	/* bytes of a form's fields, without the image */
#define WEB_POST_BUFFER 16384		/* libmicrohttpd's post processor buffer */

/* default-src 'self' as the issue asks; no inline script or style anywhere;
 * no framing, no <base>, forms only to ourselves. */
static const char csp[] = "default-src 'self'; base-uri 'none'; form-action 'self'; "
			  "frame-ancestors 'none'; object-src 'none'";

struct web_req {
	struct svc_server *srv;
	struct MHD_PostProcessor *pp;
	char route[16];		/* login logout submit sub */
	char rest[64];		/* after /sub/ */
	char session[65];
	char csrf[65];		/* the session's (or the sign-in page's) form token */
	int image;		/* the image field was seen */
	struct web_form f;
};

void svc_web_req_free(struct svc_req *r)
{
	if (!r->web)
		return;
	if (r->web->pp)
		svc_mhd.MHD_destroy_post_processor(r->web->pp);
	sodium_memzero(r->web, sizeof(*r->web));
	free(r->web);
	r->web = NULL;
}

const char *web_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int same(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n == strlen(b) && n > 0 && sodium_memcmp(a, b, n) == 0;
}

static void random_hex(char out[65])
{
	unsigned char b[32];
	randombytes_buf(b, sizeof(b));
	svc_hex(b, sizeof(b), out);
}

/* ---- sessions ---- */

/* A new session of token tok: its id (for the cookie) and form token.
 * 0, or -1 when the store cannot keep it. */
static int session_new(struct svc_server *srv, const struct pst_token_row *tok, char id[65],
		       char csrf[65])
{
	char hash[65];

	random_hex(id);
	random_hex(csrf);
	svc_sha256_hex(id, 64, hash);
	return srv->st->ops->session_add(srv->st, hash, tok->id, csrf,
					 pst_service_clock() + WEB_SESSION_SECONDS,
					 WEB_SESSIONS_PER_TOKEN) == 0 ? 0 : -1;
}

static int session_id_ok(const char *id)
{
	return id && strlen(id) == 64 && strspn(id, "0123456789abcdef") == 64;
}

static void session_end(struct svc_server *srv, const char *id)
{
	char hash[65];

	if (!session_id_ok(id))
		return;
	svc_sha256_hex(id, 64, hash);
	srv->st->ops->session_del(srv->st, hash);
}

/* The caller's session (cookie) and its token, into r->tok; 0 signed in.
 * An expired session, or one whose token was revoked, is deleted. */
static int signed_in(struct svc_server *srv, struct MHD_Connection *c, struct svc_req *r,
		     char session[65], char csrf[65])
{
	const char *id = svc_mhd.MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "pst_session");
	char hash[65];
	int rc;

	if (!session_id_ok(id))
		return -1;
	svc_sha256_hex(id, 64, hash);
	rc = srv->st->ops->session_get(srv->st, hash, &r->tok, csrf);
	if (rc == 1 || (rc == 0 && r->tok.revoked))
		srv->st->ops->session_del(srv->st, hash);
	if (rc != 0 || r->tok.revoked)
		return -1;
	snprintf(session, 65, "%s", id);
	return 0;
}

/* ---- answers ---- */

void web_headers(struct MHD_Response *res, const char *type, const char *policy)
{
	svc_mhd.MHD_add_response_header(res, "Content-Type", type);
	svc_mhd.MHD_add_response_header(res, "Content-Security-Policy", policy ? policy : csp);
	svc_mhd.MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	svc_mhd.MHD_add_response_header(res, "Referrer-Policy", "no-referrer");
	svc_mhd.MHD_add_response_header(res, "X-Frame-Options", "DENY");
	svc_mhd.MHD_add_response_header(res, "Cross-Origin-Opener-Policy", "same-origin");
	svc_mhd.MHD_add_response_header(res, "Cache-Control", "no-store");
}

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, const char *type,
			       const char *body, size_t len, const char *h1, const char *v1,
			       const char *h2, const char *v2)
{
	struct MHD_Response *res =
		svc_mhd.MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result rc;

	if (!res)
		return MHD_NO;
	web_headers(res, type, NULL);
	if (h1)
		svc_mhd.MHD_add_response_header(res, h1, v1);
	if (h2)
		svc_mhd.MHD_add_response_header(res, h2, v2);
	rc = svc_mhd.MHD_queue_response(c, status, res);
	svc_mhd.MHD_destroy_response(res);
	return rc;
}

enum MHD_Result web_send_page(const struct web_ctx *x, unsigned status, struct web_buf *b)
{
	enum MHD_Result rc;

	if (b->err) {
		web_buf_free(b);
		return respond(x->c, 500, "text/plain; charset=utf-8", "page too large\n", 15,
			       NULL, NULL, NULL, NULL);
	}
	rc = respond(x->c, status, "text/html; charset=utf-8", b->p, b->len, NULL, NULL, NULL,
		     NULL);
	web_buf_free(b);
	return rc;
}

enum MHD_Result web_redirect(struct MHD_Connection *c, const char *location)
{
	return respond(c, 303, "text/plain; charset=utf-8", "", 0, "Location", location, NULL,
		       NULL);
}

/* A 303 that also sets (or, value NULL, clears) a cookie. */
static enum MHD_Result redirect_cookie(struct svc_server *srv, struct MHD_Connection *c,
				       const char *location, const char *name, const char *value,
				       int max_age)
{
	char cookie[256];

	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
		 name, value ? value : "", value ? max_age : 0,
		 srv->tls_cert ? "; Secure" : "");
	return respond(c, 303, "text/plain; charset=utf-8", "", 0, "Location", location,
		       "Set-Cookie", cookie);
}

const char *web_arg(const struct web_ctx *x, const char *name)
{
	return svc_mhd.MHD_lookup_connection_value(x->c, MHD_GET_ARGUMENT_KIND, name);
}

/* ---- the frame ---- */

void web_page_begin(struct web_buf *b, const struct web_ctx *x, const char *title,
		    const char *poll, const char *state)
{
	web_raw(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		   "<title>");
	web_text(b, title);
	web_raw(b, " \xe2\x80\x94 postern</title>\n"
		   "<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
		   "<script src=\"/static/app.js\" defer></script>\n");
	if (poll)
		web_raw(b, "<noscript><meta http-equiv=\"refresh\" content=\"5\"></noscript>\n");
	web_raw(b, "</head>\n<body");
	if (poll) {
		web_raw(b, " data-poll=\"");
		web_text(b, poll);
		web_raw(b, "\" data-state=\"");
		web_text(b, state);
		web_raw(b, "\"");
	}
	web_raw(b, ">\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
		   "<header class=\"top\"><span class=\"brand\">postern</span>\n");
	if (x->csrf[0]) {
		web_raw(b, "<nav aria-label=\"Main\"><ul><li><a href=\"/queue\">Queue</a></li>"
			   "<li><a href=\"/products\">Products</a></li>"
			   "<li><a href=\"/submit\">Submit an image</a></li></ul></nav>\n"
			   "<span class=\"who\">");
		web_text(b, x->r->tok.name[0] ? x->r->tok.name : "token");
		web_raw(b, " (");
		web_text(b, pst_role_str(x->r->tok.role));
		if (x->r->tok.tenant[0]) {
			web_raw(b, ", tenant ");
			web_text(b, x->r->tok.tenant);
		}
		web_raw(b, ")</span>\n<form method=\"post\" action=\"/logout\">");
		web_csrf_field(b, x);
		web_raw(b, "<button type=\"submit\">Sign out</button></form>\n");
	}
	web_raw(b, "</header>\n<main id=\"main\" tabindex=\"-1\">\n");
	if (x->flash) {
		web_raw(b, "<p class=\"flash ok\" role=\"status\">");
		web_text(b, x->flash);
		web_raw(b, "</p>\n");
	}
}

void web_page_end(struct web_buf *b)
{
	web_raw(b, "</main>\n</body>\n</html>\n");
}

void web_csrf_field(struct web_buf *b, const struct web_ctx *x)
{
	web_raw(b, "<input type=\"hidden\" name=\"csrf\" value=\"");
	web_text(b, x->csrf);
	web_raw(b, "\">");
}

void web_badge(struct web_buf *b, const char *verdict, int big)
{
	static const char *const known[] = { "pass", "review", "fail", "approved",
					     "rejected", "pending", "unknown" };
	const char *v = verdict && verdict[0] ? verdict : "none";
	size_t i;
	int ok = 0;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		ok |= strcmp(v, known[i]) == 0;
	web_raw(b, big ? "<span class=\"badge big v-" : "<span class=\"badge v-");
	web_raw(b, ok ? "" : "none");
	if (ok)
		web_text(b, v);
	web_raw(b, "\">");
	web_text(b, v);
	web_raw(b, "</span>");
}

enum MHD_Result web_error_page(const struct web_ctx *x, unsigned status, const char *message)
{
	struct web_buf b = { 0 };

	web_page_begin(&b, x, "Error", NULL, NULL);
	web_raw(&b, "<h1>");
	web_uint(&b, status);
	web_raw(&b, "</h1>\n<p class=\"flash error\" role=\"alert\">");
	web_text(&b, message);
	web_raw(&b, "</p>\n<p><a href=\"/queue\">Back to the queue</a></p>\n");
	web_page_end(&b);
	return web_send_page(x, status, &b);
}

/* ---- sign-in ---- */

/* The sign-in page. Its form token is a random value also set as a cookie
 * (double submit): a form posted from another site carries neither. A
 * browser that has one keeps it, so a second tab or a stray request that
 * lands here (a favicon) does not invalidate the form already shown. */
static enum MHD_Result login_page(struct web_ctx *x, const char *error)
{
	const char *have = svc_mhd.MHD_lookup_connection_value(x->c, MHD_COOKIE_KIND, "pst_pre");
	struct web_buf b = { 0 };
	char pre[65], cookie[200];
	enum MHD_Result rc;

	if (have && strlen(have) == 64 && strspn(have, "0123456789abcdef") == 64)
		memcpy(pre, have, 65);
	else
		random_hex(pre);
	web_page_begin(&b, x, "Sign in", NULL, NULL);
	web_raw(&b, "<h1>Sign in</h1>\n");
	if (error) {
		web_raw(&b, "<p class=\"flash error\" role=\"alert\">");
		web_text(&b, error);
		web_raw(&b, "</p>\n");
	}
	web_raw(&b, "<form class=\"stack\" method=\"post\" action=\"/login\">"
		    "<input type=\"hidden\" name=\"csrf\" value=\"");
	web_text(&b, pre);
	web_raw(&b, "\">\n<label for=\"token\">API token</label>\n"
		    "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" "
		    "required autofocus>\n<p class=\"muted\">The token an administrator made "
		    "with <code>postern admin token create</code>. It is exchanged for a "
		    "session cookie and not kept in the browser.</p>\n"
		    "<button type=\"submit\">Sign in</button>\n</form>\n");
	web_page_end(&b);
	snprintf(cookie, sizeof(cookie),
		 "pst_pre=%s; Path=/login; Max-Age=3600; HttpOnly; SameSite=Strict%s", pre,
		 x->srv->tls_cert ? "; Secure" : "");
	if (b.err)
		return web_send_page(x, 500, &b);
	rc = respond(x->c, error ? 403 : 200, "text/html; charset=utf-8", b.p, b.len,
		     "Set-Cookie", cookie, NULL, NULL);
	web_buf_free(&b);
	return rc;
}

static void audit_web(struct svc_server *srv, const struct svc_req *r, const char *action)
{
	char actor[48];
	snprintf(actor, sizeof(actor), "token/%lld", (long long)r->tok.id);
	srv->st->ops->audit_add(srv->st, actor, action, "web", "");
}

static enum MHD_Result login_post(struct web_ctx *x, struct web_req *w)
{
	const char *pre = svc_mhd.MHD_lookup_connection_value(x->c, MHD_COOKIE_KIND, "pst_pre");
	char hash[65], id[65];

	if (w->f.bad || !pre || !same(pre, w->f.csrf))
		return login_page(x, "The form expired or came from elsewhere; sign in again.");
	if (strlen(w->f.token) != SVC_TOKEN_LEN)
		return login_page(x, "That is not a token (pst_ and 64 hex digits).");
	svc_sha256_hex(w->f.token, SVC_TOKEN_LEN, hash);
	if (x->srv->st->ops->token_find(x->srv->st, hash, &x->r->tok) != 0 || x->r->tok.revoked)
		return login_page(x, "Unknown or revoked token.");
	if (session_new(x->srv, &x->r->tok, id, x->csrf) != 0)
		return web_error_page(x, 503, "The session cannot be stored now; try again.");
	audit_web(x->srv, x->r, "web.signin");
	return redirect_cookie(x->srv, x->c, "/queue", "pst_session", id, WEB_SESSION_SECONDS);
}

/* ---- forms ---- */

static char *field(struct web_form *f, const char *key, size_t *cap)
{
	static const struct {
		const char *name;
		size_t off, cap;
	} t[] = {
#define F(n) { #n, offsetof(struct web_form, n), sizeof(((struct web_form *)0)->n) }
		F(csrf), F(token), F(product), F(version), F(decision), F(finding), F(expires),
		F(justification),
#undef F
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(key, t[i].name) == 0) {
			*cap = t[i].cap;
			return (char *)f + t[i].off;
		}
	return NULL;
}

static void image_chunk(struct svc_server *srv, struct svc_req *r, const char *data, size_t n)
{
	if (!r->web->image) {
		r->web->image = 1;
		if (svc_upload_begin(&r->up, srv->o.data_dir) != 0)
			r->status = 503;
	}
	if (r->status || n == 0)
		return;
	if (r->up.len + n > srv->o.max_upload)
		r->status = 413;
	else if (svc_upload_write(&r->up, data, n) != 0)
		r->status = 503;
	if (r->status)
		svc_upload_abort(&r->up);
}

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *filename, const char *type, const char *enc,
				const char *data, uint64_t off, size_t size)
{
	struct svc_req *r = cls;
	struct web_form *f = &r->web->f;
	char *dst;
	size_t cap, have;

	(void)kind, (void)type, (void)enc;
	if (strcmp(key, "image") == 0 && strcmp(r->web->route, "submit") == 0) {
		if (filename && !r->filename[0])
			snprintf(r->filename, sizeof(r->filename), "%s", filename);
		image_chunk(r->web->srv, r, data, size);
		return MHD_YES;
	}
	(void)off;
	dst = field(f, key, &cap);
	f->bytes += size;
	if (!dst || f->bytes > WEB_FORM_MAX) {
		f->bad = 1;
		return MHD_YES;
	}
	have = strlen(dst);
	if (have + size >= cap) {
		f->bad = 1;
		return MHD_YES;
	}
	memcpy(dst + have, data, size);
	dst[have + size] = 0;
	if (strlen(dst) != have + size)
		f->bad = 1; /* a NUL inside a field */
	return MHD_YES;
}

/* ---- POST: logout, submit ---- */

static enum MHD_Result logout_post(struct web_ctx *x, struct web_req *w)
{
	session_end(x->srv, w->session);
	audit_web(x->srv, x->r, "web.signout");
	return redirect_cookie(x->srv, x->c, "/login", "pst_session", NULL, 0);
}

static enum MHD_Result submit_post(struct web_ctx *x, struct web_req *w)
{
	struct svc_req *r = x->r;
	struct pst_sub_row now;
	char loc[64];
	int deduped, rc;

	if (r->status == 413)
		return web_error_page(x, 413, "The image is over the upload limit.");
	if (r->status || !w->image)
		return web_error_page(x, r->status ? 503 : 400,
				      r->status ? "The upload cannot be stored now."
						: "Choose an image file to upload.");
	if (!svc_valid_name(w->f.product, 64, "") || !svc_valid_name(w->f.version, 64, "+"))
		return web_error_page(x, 400, "Product and version: letters, digits, '.', '_', "
					      "'-' (version also '+'), up to 64, starting with "
					      "a letter or digit.");
	if (r->up.len == 0)
		return web_error_page(x, 400, "The file is empty.");
	snprintf(r->product, sizeof(r->product), "%s", w->f.product);
	snprintf(r->version, sizeof(r->version), "%s", w->f.version);
	if (!svc_valid_name(r->filename, 128, ""))
		snprintf(r->filename, sizeof(r->filename), "%.61s-%.61s.bin", r->product,
			 r->version);
	rc = svc_submit_record(x->srv, r, &now, &deduped);
	if (rc != 0)
		return web_error_page(x, 503, "The submission cannot be recorded now.");
	snprintf(loc, sizeof(loc), "/sub/%s", now.id);
	return web_redirect(x->c, loc);
}

static int can_submit(const struct svc_req *r)
{
	return r->tok.role == PST_ROLE_SUBMITTER || r->tok.role == PST_ROLE_ADMIN;
}

/* ---- dispatch ---- */

static enum MHD_Result asset(struct MHD_Connection *c, const char *url)
{
	if (strcmp(url, "/static/style.css") == 0)
		return respond(c, 200, "text/css; charset=utf-8", pst_web_css, strlen(pst_web_css),
			       NULL, NULL, NULL, NULL);
	return respond(c, 200, "text/javascript; charset=utf-8", pst_web_js, strlen(pst_web_js),
		       NULL, NULL, NULL, NULL);
}

/* The note a page shows after a form (?done=): fixed texts only, so a link
 * cannot put words of its own on a page. */
static const char *flash(const char *done)
{
	if (done && strcmp(done, "decision") == 0)
		return "Your decision is recorded.";
	if (done && strcmp(done, "waiver") == 0)
		return "The waiver is recorded.";
	return NULL;
}

static enum MHD_Result get_page(struct web_ctx *x, const char *url)
{
	if (strcmp(url, "/") == 0)
		return web_redirect(x->c, "/queue");
	if (strcmp(url, "/queue") == 0)
		return web_queue(x);
	if (strcmp(url, "/queue/state") == 0)
		return web_queue_state(x);
	if (strcmp(url, "/products") == 0)
		return web_products(x);
	if (strncmp(url, "/products/", 10) == 0)
		return web_product(x, url + 10);
	if (strcmp(url, "/submit") == 0)
		return web_submit_form(x);
	if (strncmp(url, "/sub/", 5) == 0)
		return web_sub(x, url + 5);
	return web_error_page(x, 404, "No such page.");
}

/* The POST routes: which form, and whether the caller may send it. */
static const char *post_route(const char *url, const struct svc_req *r, int in)
{
	if (strcmp(url, "/login") == 0)
		return "login";
	if (!in)
		return NULL;
	if (strcmp(url, "/logout") == 0)
		return "logout";
	if (strcmp(url, "/submit") == 0 && can_submit(r))
		return "submit";
	if (strncmp(url, "/sub/", 5) == 0 && strlen(url + 5) < 64)
		return "sub";
	return NULL;
}

static enum MHD_Result begin_post(struct web_ctx *x, const char *url, const char *session,
				  int in)
{
	struct svc_req *r = x->r;
	const char *route = post_route(url, r, in);

	if (!route)
		return in ? web_error_page(x, 403, "This form is not for your role.")
			  : web_redirect(x->c, "/login");
	r->web = calloc(1, sizeof(*r->web));
	if (!r->web)
		return MHD_NO;
	r->web->srv = x->srv;
	snprintf(r->web->route, sizeof(r->web->route), "%s", route);
	if (strcmp(route, "sub") == 0)
		snprintf(r->web->rest, sizeof(r->web->rest), "%s", url + 5);
	snprintf(r->web->session, sizeof(r->web->session), "%s", session);
	memcpy(r->web->csrf, x->csrf, sizeof(r->web->csrf));
	r->web->pp = svc_mhd.MHD_create_post_processor(x->c, WEB_POST_BUFFER, on_field, r);
	if (!r->web->pp) {
		svc_web_req_free(r);
		return web_error_page(x, 415, "Forms are sent as application/x-www-form-"
					      "urlencoded or multipart/form-data.");
	}
	return MHD_YES;
}

enum MHD_Result svc_web_first(struct svc_server *srv, struct MHD_Connection *c,
			      struct svc_req *r, const char *url, const char *method)
{
	struct web_ctx x = { .srv = srv, .c = c, .r = r };
	char session[65] = "";
	int in, get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;

	if (get && strncmp(url, "/static/", 8) == 0 &&
	    (strcmp(url + 8, "style.css") == 0 || strcmp(url + 8, "app.js") == 0))
		return asset(c, url);
	if (strcmp(url, "/favicon.ico") == 0) /* none: a browser asks on every page */
		return respond(c, 404, "text/plain; charset=utf-8", "", 0, NULL, NULL, NULL, NULL);
	in = signed_in(srv, c, r, session, x.csrf) == 0;
	if (!in)
		x.csrf[0] = 0;
	if (strcmp(method, "POST") == 0)
		return begin_post(&x, url, session, in);
	if (!get)
		return respond(c, 405, "text/plain; charset=utf-8", "method not allowed\n", 19,
			       "Allow", "GET, POST", NULL, NULL);
	if (strcmp(url, "/login") == 0)
		return in ? web_redirect(c, "/queue") : login_page(&x, NULL);
	if (!in)
		return web_redirect(c, "/login");
	x.flash = flash(web_arg(&x, "done"));
	return get_page(&x, url);
}

void svc_web_body(struct svc_server *srv, struct svc_req *r, const char *data, size_t len)
{
	(void)srv;
	if (svc_mhd.MHD_post_process(r->web->pp, data, len) != MHD_YES)
		r->web->f.bad = 1;
}

enum MHD_Result svc_web_end(struct svc_server *srv, struct MHD_Connection *c, struct svc_req *r)
{
	struct web_ctx x = { .srv = srv, .c = c, .r = r };
	struct web_req *w = r->web;
	enum MHD_Result rc;

	memcpy(x.csrf, w->csrf, sizeof(x.csrf));
	if (strcmp(w->route, "login") == 0) {
		x.csrf[0] = 0;
		rc = login_post(&x, w);
	} else if (w->f.bad || !same(w->csrf, w->f.csrf)) {
		rc = web_error_page(&x, 403, "The form's CSRF token is missing or wrong: reload "
					     "the page and send it again.");
	} else if (strcmp(w->route, "logout") == 0) {
		rc = logout_post(&x, w);
	} else if (strcmp(w->route, "submit") == 0) {
		rc = submit_post(&x, w);
	} else {
		rc = web_sub_post(&x, w->rest, &w->f);
	}
	svc_upload_abort(&r->up); /* committed already, or refused */
	svc_web_req_free(r);
	return rc;
}
