/*
 * web_review.c - the review panel of a submission page: the decision
 * beside the scan (approved, rejected or pending, who decided, the
 * transparency log's leaf), the decisions and live waivers so far, and for a
 * reviewer the forms to approve or reject with a justification and to waive
 * one finding with a justification and an expiry. The forms go through the
 * review API's own functions (review.c: svc_api_decide, svc_api_waive) with
 * the signed-in token, so the web applies exactly the API's rules, four
 * eyes included; a refusal is shown with the API's reason.
 */
#include <stdlib.h>
#include <string.h>
#include "web.h"

static void form_head(struct web_buf *b, const struct web_ctx *x, const struct pst_sub_row *s,
		      const char *what)
{
	web_raw(b, "<form class=\"stack\" method=\"post\" action=\"/sub/");
	web_text(b, s->id);
	web_raw(b, what);
	web_raw(b, "\">");
	web_csrf_field(b, x);
	web_raw(b, "\n");
}

static void decision_form(struct web_buf *b, const struct web_ctx *x, const struct pst_sub_row *s)
{
	web_raw(b, "<h3>Decide</h3>\n");
	form_head(b, x, s, "/decision");
	web_raw(b, "<label for=\"decision\">Decision</label>\n<select id=\"decision\" "
		   "name=\"decision\"><option value=\"approve\">Approve</option>"
		   "<option value=\"reject\">Reject</option></select>\n"
		   "<label for=\"djust\">Justification</label>\n<textarea id=\"djust\" "
		   "name=\"justification\" rows=\"3\" required maxlength=\"1000\"></textarea>\n"
		   "<p><button type=\"submit\">Record the decision</button></p>\n</form>\n");
}

static void waiver_form(struct web_buf *b, const struct web_ctx *x, const struct pst_sub_row *s,
			const json_t *findings)
{
	json_t *f;
	size_t i;

	if (!json_array_size(findings))
		return;
	web_raw(b, "<h3>Waive a finding</h3>\n<p class=\"muted\">A waiver never changes this "
		   "scan; it applies to the product's next scans until it expires.</p>\n");
	form_head(b, x, s, "/waiver");
	web_raw(b, "<label for=\"finding\">Finding</label>\n<select id=\"finding\" "
		   "name=\"finding\">");
	json_array_foreach((json_t *)findings, i, f) {
		web_raw(b, "<option value=\"");
		web_uint(b, i);
		web_raw(b, "\">");
		web_text(b, web_str(f, "severity"));
		web_raw(b, " ");
		web_text(b, web_str(f, "rule"));
		web_raw(b, " in ");
		web_text(b, web_str(f, "location"));
		web_raw(b, "</option>");
	}
	web_raw(b, "</select>\n<label for=\"wjust\">Justification</label>\n<textarea id=\"wjust\" "
		   "name=\"justification\" rows=\"3\" required maxlength=\"1000\"></textarea>\n"
		   "<label for=\"expires\">Expires on</label>\n<input id=\"expires\" "
		   "name=\"expires\" type=\"date\" required>\n"
		   "<p><button type=\"submit\">Waive</button></p>\n</form>\n");
}

static void decisions_list(struct web_buf *b, const json_t *st)
{
	json_t *d;
	size_t i;

	if (!json_array_size(json_object_get(st, "decisions")))
		return;
	web_raw(b, "<ul>\n");
	json_array_foreach(json_object_get(st, "decisions"), i, d) {
		web_el(b, "<li>", web_str(d, "decision"), " by a ");
		web_el(b, "", web_str(d, "role"), " (token ");
		web_int(b, (long long)json_integer_value(json_object_get(d, "token")));
		web_el(b, ", ", web_str(d, "created"), "): ");
		web_el(b, "", web_str(d, "justification"), "</li>\n");
	}
	web_raw(b, "</ul>\n");
}

static void waivers_list(struct web_buf *b, const json_t *st)
{
	json_t *w;
	size_t i;

	if (!json_array_size(json_object_get(st, "waivers")))
		return;
	web_raw(b, "<h3>Waivers of this product</h3>\n<ul>\n");
	json_array_foreach(json_object_get(st, "waivers"), i, w) {
		web_el(b, "<li><code>", web_str(w, "rule"), "</code> at ");
		web_el(b, "<code>", web_str(w, "location"), "</code> until ");
		web_el(b, "", web_str(w, "expires"), ": ");
		web_el(b, "", web_str(w, "justification"), "</li>\n");
	}
	web_raw(b, "</ul>\n");
}

static void state_line(struct web_buf *b, const json_t *st)
{
	json_t *dec = json_object_get(st, "decided");
	json_t *need = json_object_get(st, "approvals_needed");

	web_raw(b, "<p>Decision: ");
	web_badge(b, web_str(st, "decision"), 0);
	if (json_is_true(json_object_get(st, "final")))
		web_raw(b, " (final)");
	if (dec) {
		web_raw(b, " by ");
		web_text(b, web_str(dec, "by"));
		web_raw(b, " at ");
		web_text(b, web_str(dec, "at"));
		web_raw(b, ", transparency log entry ");
		web_int(b, (long long)json_integer_value(json_object_get(dec, "log_index")));
	}
	if (json_is_integer(need) && json_integer_value(need) > 0) {
		web_raw(b, ". A fail is overridden by two reviewers' approvals: ");
		web_int(b, (long long)json_integer_value(need));
		web_raw(b, " more needed");
	}
	web_raw(b, ".</p>\n");
}

void web_review_panel(const struct web_ctx *x, struct web_buf *b, const struct pst_sub_row *s,
		      const json_t *findings)
{
	json_t *st = svc_review_state(x->srv, s);

	web_raw(b, "<h2 id=\"review\">Review</h2>\n");
	if (!st) {
		web_raw(b, "<p class=\"flash error\">The review state cannot be read now.</p>\n");
		return;
	}
	state_line(b, st);
	decisions_list(b, st);
	if (x->r->tok.role == PST_ROLE_REVIEWER || x->r->tok.role == PST_ROLE_ADMIN) {
		if (!json_is_true(json_object_get(st, "final")))
			decision_form(b, x, s);
		waiver_form(b, x, s, findings);
	}
	waivers_list(b, st);
	json_decref(st);
}

/* The API's answer to a form: back to the page with a note, or the
 * refusal's reason. */
static enum MHD_Result answer(const struct web_ctx *x, const struct pst_sub_row *s,
			      unsigned st, json_t *out, const char *done)
{
	char loc[128], msg[300];
	enum MHD_Result rc;

	if (st >= 200 && st < 300) {
		snprintf(loc, sizeof(loc), "/sub/%s?done=%s#review", s->id, done);
		rc = web_redirect(x->c, loc);
	} else {
		snprintf(msg, sizeof(msg), "%s: %s", web_str(out, "error"), web_str(out, "detail"));
		rc = web_error_page(x, st, msg);
	}
	json_decref(out);
	return rc;
}

static enum MHD_Result decide(const struct web_ctx *x, const struct pst_sub_row *s,
			      const struct web_form *f)
{
	json_t *out = NULL, *req = json_pack("{s:s, s:s}", "decision", f->decision,
					     "justification", f->justification);
	char *body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	unsigned st = body ? svc_api_decide(x->srv, &x->r->tok, s->id, body, strlen(body), &out)
			   : 500;

	json_decref(req);
	free(body);
	return answer(x, s, st, out, "decision");
}

/* The waived finding's rule and location come from the stored report by
 * its index, so a form cannot name a finding the scan did not report. */
static enum MHD_Result waive(const struct web_ctx *x, const struct pst_sub_row *s,
			     const struct web_form *f)
{
	json_t *rep = NULL, *fi = NULL, *out = NULL, *req = NULL;
	char *data = NULL, *end = NULL, *body = NULL;
	size_t len;
	unsigned long k = strtoul(f->finding, &end, 10);
	unsigned st = 400;

	if (f->finding[0] && end && !*end &&
	    x->srv->st->ops->report_get(x->srv->st, s->job_key, "json", &data, &len) == 0)
		rep = json_loadb(data, len, 0, NULL);
	free(data);
	fi = json_array_get(json_object_get(rep, "findings"), k);
	if (fi)
		req = json_pack("{s:s, s:s, s:s, s:s}", "rule", web_str(fi, "rule"),
				"location", web_str(fi, "location"), "justification",
				f->justification, "expires", f->expires);
	body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	if (body)
		st = svc_api_waive(x->srv, &x->r->tok, s->id, body, strlen(body), &out);
	else
		out = json_pack("{s:s, s:s}", "error", "bad request", "detail", "no such finding");
	json_decref(req);
	json_decref(rep);
	free(body);
	return answer(x, s, st, out, "waiver");
}

enum MHD_Result web_sub_post(const struct web_ctx *x, const char *rest, const struct web_form *f)
{
	struct pst_sub_row s;
	const char *tail = "";
	unsigned st = web_sub_find(x, rest, &s, &tail);

	if (st)
		return web_error_page(x, st, st == 404 ? "No such submission."
						       : "The store cannot answer now.");
	if (strcmp(tail, "/decision") == 0)
		return decide(x, &s, f);
	if (strcmp(tail, "/waiver") == 0)
		return waive(x, &s, f);
	return web_error_page(x, 404, "No such form.");
}
