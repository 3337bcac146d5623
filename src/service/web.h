/*
 * web.h - what the web pages' files share (web.c: sessions, forms,
 * dispatch and the page frame; web_pages.c: queue, products, upload;
 * web_sub.c: a submission and its file tree, hex view, diff, downloads).
 * Every page is rendered on the server through web_html.h's writer.
 */
#ifndef PST_SERVICE_WEB_H
#define PST_SERVICE_WEB_H

#include "http.h"
#include "web_html.h"

/* One page being answered: the signed-in caller is x->r->tok. */
struct web_ctx {
	struct svc_server *srv;
	struct MHD_Connection *c;
	struct svc_req *r;
	char csrf[65];		/* the session's form token */
	const char *flash;	/* a fixed note above the page (after a form), or NULL */
};

/* The frame of every page: head (stylesheet, script), skip link, header
 * with navigation and sign-out, <main>. poll/state: the URL app.js polls
 * and the answer that means "unchanged" (NULL: no polling). */
void web_page_begin(struct web_buf *b, const struct web_ctx *x, const char *title,
		    const char *poll, const char *state);
void web_page_end(struct web_buf *b);
/* The hidden CSRF field every form carries. */
void web_csrf_field(struct web_buf *b, const struct web_ctx *x);
/* A verdict or decision as a badge ("" or NULL: "none"). */
void web_badge(struct web_buf *b, const char *verdict, int big);
/* Sends a finished page (200 or status) with the security headers. */
enum MHD_Result web_send_page(const struct web_ctx *x, unsigned status, struct web_buf *b);
enum MHD_Result web_error_page(const struct web_ctx *x, unsigned status, const char *message);
/* 303 to location (a path of ours, written by the program). */
enum MHD_Result web_redirect(struct MHD_Connection *c, const char *location);
const char *web_arg(const struct web_ctx *x, const char *name);
/* The security headers of every answer (policy NULL: the pages' CSP). */
void web_headers(struct MHD_Response *res, const char *type, const char *policy);
/* A JSON object's string member, "" when absent. */
const char *web_str(const json_t *o, const char *key);

/* A form's fields as they arrived (each cut off marks the form bad). */
struct web_form {
	char csrf[65], token[80], product[65], version[65];
	char decision[16], finding[16], expires[32], justification[2049];
	int bad;		/* a field too long, too many bytes, or an unknown field */
	size_t bytes;		/* form bytes so far (not counting the image) */
};

/* web_pages.c */
enum MHD_Result web_queue(const struct web_ctx *x);
enum MHD_Result web_queue_state(const struct web_ctx *x);
enum MHD_Result web_products(const struct web_ctx *x);
enum MHD_Result web_product(const struct web_ctx *x, const char *name);
enum MHD_Result web_submit_form(const struct web_ctx *x);

/* web_sub.c: /sub/{id}[/...]; rest is what follows "/sub/". */
enum MHD_Result web_sub(const struct web_ctx *x, const char *rest);
/* The submission of rest's first 32 hex digits in the caller's scope, the
 * rest after them in *tail: 0, 404 or 503. */
unsigned web_sub_find(const struct web_ctx *x, const char *rest, struct pst_sub_row *s,
		      const char **tail);

/* web_review.c: the review panel of a finished submission (its decision,
 * and for a reviewer the approve/reject and waiver forms). */
void web_review_panel(const struct web_ctx *x, struct web_buf *b, const struct pst_sub_row *s,
		      const json_t *findings);
/* POST /sub/{id}/decision and /sub/{id}/waiver (CSRF already checked). */
enum MHD_Result web_sub_post(const struct web_ctx *x, const char *rest,
			     const struct web_form *f);

#endif
