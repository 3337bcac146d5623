/*
 * review.c - the review workflow (docs/service.md, "Review and the gate"):
 * a reviewer's decision on a finished scan, waivers of a product's findings
 * for its later versions, the final decision beside the scan (signed, and
 * appended to the transparency log), and the market gate's answer for an
 * image's SHA-256. A decision or a waiver never changes the recorded scan.
 *
 * Four eyes, per person (a token's --person, schema 4), not per token:
 * nobody decides on (or waives the findings of) a submission made with a
 * token of their own, and overriding a fail takes two approvals by two
 * different persons. The handlers take the caller's token and the request's
 * JSON text, not an HTTP connection, so the web forms call them as the API
 * routes do.
 *
 * A pass is approved by the policy, without a person; that approval is a
 * final decision like a reviewer's, signed and appended to the log (decided
 * by "policy"), so every "approved" the gate gives has its log leaf. The
 * worker logs it as soon as the scan is stored; serve at its start, and any
 * reader that meets a pass without one (the gate, a submission's state),
 * log what is missing (svc_policy_approve_all).
 */
#include <stdlib.h>
#include <string.h>
#include "postern/postern.h"
#include "http.h"

#define JUSTIFICATION_MAX 1000

static unsigned err_out(json_t **out, unsigned status, const char *error, const char *detail)
{
	*out = json_pack("{s:s, s:s}", "error", error, "detail", detail);
	return status;
}

static int may_review(const struct pst_token_row *t)
{
	return t->role == PST_ROLE_REVIEWER || t->role == PST_ROLE_ADMIN;
}

static int rule_glob(const char *s)
{
	return svc_plain_text(s, 128) &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-*?[]") ==
		       strlen(s);
}

/* YYYY-MM-DD, a real date, not before today. */
static int future_date(const char *s)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	char today[11];
	int y, m, d;

	if (!s || strlen(s) != 10 || strspn(s, "0123456789-") != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 2000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0))))
		return 0;
	pst_today(today);
	return strcmp(s, today) >= 0;
}

/* Loads a request body as a JSON object; NULL when it is not one. */
static json_t *body_object(const char *body, size_t len)
{
	json_t *v = body ? json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL) : NULL;
	if (v && !json_is_object(v)) {
		json_decref(v);
		v = NULL;
	}
	return v;
}

static const char *field(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Whether the token of id belongs to caller's person. A token that cannot
 * be read (the store failing) counts as the same: four eyes fail closed. */
static int same_person(struct pst_store *st, int64_t id, const struct pst_token_row *caller)
{
	struct pst_token_row t;
	int rc = st->ops->token_get(st, id, &t);

	if (rc == 1)
		return 0; /* no such token any more: nobody's */
	return rc != 0 || strcmp(t.person, caller->person) == 0;
}

/* The submission a decision or waiver is about: 0 found and decidable by
 * caller, else the status set in *out. */
static unsigned find_for_review(struct svc_server *srv, const struct pst_token_row *caller,
				const char *id, struct pst_sub_row *s, json_t **out)
{
	if (!may_review(caller))
		return err_out(out, 403, "forbidden", "reviewing takes a reviewer or admin token");
	if (!id || strlen(id) != 32 || strspn(id, "0123456789abcdef") != 32)
		return err_out(out, 404, "not found", "no such submission");
	switch (srv->st->ops->sub_get(srv->st, id, NULL, s)) {
	case 0: break;
	case 1: return err_out(out, 404, "not found", "no such submission");
	default: return err_out(out, 503, "unavailable", "the store cannot answer now");
	}
	if (s->token_id == caller->id || same_person(srv->st, s->token_id, caller))
		return err_out(out, 403, "forbidden",
			       "four eyes: nobody reviews a submission made with a token of their "
			       "own (the same person's)");
	return 0;
}

static void audit(struct svc_server *srv, const struct pst_token_row *caller, const char *action,
		  const char *object, const char *detail)
{
	char actor[48];
	snprintf(actor, sizeof(actor), "token/%lld", (long long)caller->id);
	srv->st->ops->audit_add(srv->st, actor, action, object, detail);
}

/* ---- the decision state beside a scan ---- */

struct decisions {
	json_t *list;		/* the API's view */
	struct pst_decision_row approvals[2];
	int napprovals;
	struct pst_decision_row last;
};

static void decision_one(const struct pst_decision_row *d, void *ctx)
{
	struct decisions *ds = ctx;

	json_array_append_new(ds->list,
			      json_pack("{s:s, s:s, s:s, s:s, s:I}", "decision", d->decision,
					"role", d->role, "justification", d->justification,
					"created", d->created, "token", (json_int_t)d->token_id));
	/* approvals by distinct persons: one person approving twice, with one
	 * token or two, counts once */
	if (strcmp(d->decision, "approve") == 0 && ds->napprovals < 2 &&
	    (ds->napprovals == 0 || strcmp(ds->approvals[0].person, d->person) != 0))
		ds->approvals[ds->napprovals++] = *d;
	ds->last = *d;
}

/* approved / rejected / pending for s as it stands, with its final row when
 * there is one (*has_final). */
static const char *decision_of(struct svc_server *srv, const struct pst_sub_row *s,
			       struct pst_final_row *f, int *has_final)
{
	*has_final = 0;
	if (strcmp(s->status, "done") != 0)
		return "pending";
	if (srv->st->ops->final_get(srv->st, s->id, f) == 0) {
		*has_final = 1;
		return f->decision;
	}
	/* a pass whose approval the worker has not logged yet: log it now,
	 * so the answer has its leaf */
	if (strcmp(s->verdict, "pass") == 0 &&
	    svc_policy_approve(srv->st, srv->key_secret, s) >= 0 &&
	    srv->st->ops->final_get(srv->st, s->id, f) == 0) {
		*has_final = 1;
		return f->decision;
	}
	if (strcmp(s->verdict, "pass") == 0)
		return "approved";
	if (strcmp(s->verdict, "fail") == 0)
		return "rejected";
	return "pending";
}

static void waiver_one(const struct pst_waiver_row *w, void *ctx)
{
	json_array_append_new((json_t *)ctx,
			      json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
					(json_int_t)w->id, "rule", w->rule, "location", w->location,
					"justification", w->justification, "expires", w->expires,
					"submission", w->submission, "created", w->created));
}

json_t *svc_review_state(struct svc_server *srv, const struct pst_sub_row *s)
{
	struct decisions ds = { 0 };
	struct pst_final_row f;
	json_t *waivers = json_array(), *o;
	int has_final;
	const char *d = decision_of(srv, s, &f, &has_final);

	ds.list = json_array();
	srv->st->ops->decisions(srv->st, s->id, decision_one, &ds);
	srv->st->ops->waivers(srv->st, s->tenant, s->product, NULL, waiver_one, waivers);
	/* final: nothing changes it any more (a pass, or a final decision) */
	o = json_pack("{s:s, s:b, s:o, s:o}", "decision", d, "final",
		      has_final || strcmp(s->verdict, "pass") == 0, "decisions", ds.list, "waivers",
		      waivers);
	if (o && has_final)
		json_object_set_new(o, "decided", json_pack("{s:s, s:s, s:I}", "by", f.decided_by,
							     "at", f.created, "log_index",
							     (json_int_t)f.leaf_index));
	if (o && strcmp(s->verdict, "fail") == 0 && !has_final)
		json_object_set_new(o, "approvals_needed", json_integer(2 - ds.napprovals));
	return o;
}

/* ---- the signed final decision ---- */

/* The scan's statement, out of its attestation's envelope (a copy). */
static json_t *scan_statement(struct pst_store *store, const struct pst_sub_row *s,
			      char digest[65])
{
	char *att = NULL;
	size_t len = 0, plen = 0;
	unsigned char *payload = NULL;
	const char *b64;
	json_t *env, *st = NULL;

	if (store->ops->report_get(store, s->job_key, "attestation", &att, &len) != 0)
		return NULL;
	svc_sha256_hex(att, len, digest);
	env = json_loadb(att, len, 0, NULL);
	b64 = json_string_value(json_object_get(env, "payload"));
	if (b64 && (payload = malloc(strlen(b64) + 1)) &&
	    sodium_base642bin(payload, strlen(b64) + 1, b64, strlen(b64), NULL, &plen, NULL,
			      sodium_base64_VARIANT_ORIGINAL) == 0)
		st = json_loadb((const char *)payload, plen, 0, NULL);
	json_decref(env);
	free(payload);
	free(att);
	return st;
}

static json_t *decider_json(const struct pst_decision_row *d)
{
	char digest[65];
	svc_sha256_hex(d->justification, strlen(d->justification), digest);
	return json_pack("{s:s, s:s, s:{s:s}}", "role", d->role, "decision", d->decision,
			 "justificationDigest", "sha256", digest);
}

/* The attestation of the final decision: the scan's own statement (same
 * subject, same predicate: verify reads it as it reads the scan's) with a
 * "decision" beside the verdict, signed with the service's key. */
static char *final_attestation(struct pst_store *store, const char *key_secret,
			       const struct pst_sub_row *s, const char *decision,
			       const struct pst_decision_row *by, int nby)
{
	char scan_digest[65], now[32], err[256], *payload, *env = NULL;
	json_t *st = scan_statement(store, s, scan_digest), *pred, *who = json_array(), *dec;
	int i;

	pred = json_object_get(st, "predicate");
	if (!json_is_object(pred)) {
		json_decref(st);
		json_decref(who);
		return NULL;
	}
	pst_service_now(now);
	for (i = 0; i < nby; i++)
		json_array_append_new(who, decider_json(&by[i]));
	dec = json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:{s:s}}", "decision", decision,
			"decidedBy", who, "submission", s->id, "product", s->product, "version",
			s->version, "decidedAt", now, "scanAttestation", "sha256", scan_digest);
	json_object_set_new(pred, "decision", dec);
	payload = json_dumps(st, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	if (payload)
		env = pst_attest_sign(payload, key_secret, err, sizeof(err));
	if (!env)
		fprintf(stderr, "postern: the decision's attestation: %s\n", payload ? err : "");
	free(payload);
	json_decref(st);
	return env;
}

/* Signs the final decision, records it beside the scan and appends it to
 * the log, with its audit row by actor: 0, 1 decided already, -1 not
 * signed, -2 not recorded. */
static int record_final(struct pst_store *store, const char *key_secret, const char *actor,
			const struct pst_sub_row *s, const char *decision,
			const struct pst_decision_row *by, int nby)
{
	char *att = final_attestation(store, key_secret, s, decision, by, nby), who[64];
	char detail[160];
	uint64_t index = 0;
	int rc;

	if (!att)
		return -1;
	snprintf(who, sizeof(who), "%s%s%s", by[0].role, nby > 1 ? "+" : "",
		 nby > 1 ? by[1].role : "");
	rc = store->ops->final_add(store, s->id, decision, who, att, strlen(att), &index);
	free(att);
	if (rc != 0)
		return rc == 1 ? 1 : -2;
	snprintf(detail, sizeof(detail), "%s by %s (scan verdict %s); log leaf %llu", decision, who,
		 s->verdict, (unsigned long long)index);
	store->ops->audit_add(store, actor, "decision.final", s->id, detail);
	return 0;
}

/* Signs and records a reviewer's final decision, appending it to the log. */
static unsigned decide_final(struct svc_server *srv, const struct pst_token_row *caller,
			     const struct pst_sub_row *s, const char *decision,
			     const struct pst_decision_row *by, int nby, json_t **out)
{
	char actor[48];
	int rc;

	snprintf(actor, sizeof(actor), "token/%lld", (long long)caller->id);
	rc = record_final(srv->st, srv->key_secret, actor, s, decision, by, nby);
	if (rc == -1)
		return err_out(out, 503, "unavailable", "the decision cannot be signed now");
	if (rc == 1)
		return err_out(out, 409, "conflict", "the submission is decided already");
	if (rc != 0)
		return err_out(out, 503, "unavailable", "the decision cannot be recorded now");
	*out = svc_review_state(srv, s);
	return 200;
}

/* ---- a pass, approved by the policy ---- */

#define POLICY_JUSTIFICATION "the scan's verdict is pass: approved by the policy, without a person"

int svc_policy_approve(struct pst_store *store, const char *key_secret,
		       const struct pst_sub_row *s)
{
	struct pst_decision_row by = { 0 };

	if (strcmp(s->status, "done") != 0 || strcmp(s->verdict, "pass") != 0)
		return 1;
	snprintf(by.role, sizeof(by.role), "policy");
	snprintf(by.decision, sizeof(by.decision), "approve");
	snprintf(by.justification, sizeof(by.justification), "%s", POLICY_JUSTIFICATION);
	return record_final(store, key_secret, "policy", s, "approved", &by, 1);
}

struct approve_ctx {
	struct pst_store *store;
	const char *key_secret;
	int done, failed;
};

static void approve_one(const struct pst_sub_row *s, void *ctx)
{
	struct approve_ctx *a = ctx;
	int rc = svc_policy_approve(a->store, a->key_secret, s);
	if (rc == 0)
		a->done++;
	else if (rc < 0)
		a->failed++;
}

int svc_policy_approve_all(struct pst_store *store, const char *key_secret)
{
	struct approve_ctx a = { store, key_secret, 0, 0 };
	int total = 0, rounds;

	/* 100 a call; a round that logs none (each failed) stops, so a key
	 * that cannot sign never spins */
	for (rounds = 0; rounds < 1000; rounds++) {
		a.done = a.failed = 0;
		if (store->ops->pass_undecided(store, approve_one, &a) != 0)
			return -1;
		total += a.done;
		if (a.done == 0)
			break;
	}
	return a.failed ? -1 : total;
}

unsigned svc_api_decide(struct svc_server *srv, const struct pst_token_row *caller,
			const char *id, const char *body, size_t len, json_t **out)
{
	struct pst_sub_row s;
	struct pst_final_row f;
	struct pst_decision_row d = { 0 }, by[2];
	struct decisions ds = { 0 };
	json_t *req = body_object(body, len);
	const char *dec = field(req, "decision"), *why = field(req, "justification");
	char detail[200], digest[65];
	unsigned st;
	int approve = dec && strcmp(dec, "approve") == 0, i;

	st = find_for_review(srv, caller, id, &s, out);
	if (st == 0 && (!dec || (!approve && strcmp(dec, "reject") != 0) ||
			!svc_plain_text(why, JUSTIFICATION_MAX)))
		st = err_out(out, 400, "bad request",
			     "{\"decision\": \"approve\" or \"reject\", \"justification\": text of "
			     "1 to 1000 bytes without control characters}");
	if (st == 0 && strcmp(s.status, "done") != 0)
		st = err_out(out, 409, "not ready", "the scan has not finished (see status)");
	if (st == 0 && srv->st->ops->final_get(srv->st, s.id, &f) == 0)
		st = err_out(out, 409, "conflict", "the submission is decided already");
	if (st == 0 && strcmp(s.verdict, "pass") == 0)
		st = err_out(out, 409, "conflict", "a pass is approved without a person");
	if (st != 0) {
		json_decref(req);
		return st;
	}
	ds.list = json_array();
	srv->st->ops->decisions(srv->st, s.id, decision_one, &ds);
	json_decref(ds.list);
	for (i = 0; approve && i < ds.napprovals; i++)
		if (strcmp(ds.approvals[i].person, caller->person) == 0) {
			json_decref(req);
			return err_out(out, 403, "forbidden",
				       "four eyes: overriding a fail takes two different persons; "
				       "this person approved it already");
		}
	d.token_id = caller->id;
	snprintf(d.person, sizeof(d.person), "%s", caller->person);
	snprintf(d.role, sizeof(d.role), "%s", pst_role_str(caller->role));
	snprintf(d.decision, sizeof(d.decision), "%s", dec);
	snprintf(d.justification, sizeof(d.justification), "%s", why);
	json_decref(req);
	if (srv->st->ops->decision_add(srv->st, s.id, &d) != 0)
		return err_out(out, 503, "unavailable", "the decision cannot be recorded now");
	svc_sha256_hex(d.justification, strlen(d.justification), digest);
	snprintf(detail, sizeof(detail), "%s (scan verdict %s); justification sha256 %s",
		 d.decision, s.verdict, digest);
	audit(srv, caller, approve ? "decision.approve" : "decision.reject", s.id, detail);
	if (!approve)
		return decide_final(srv, caller, &s, "rejected", &d, 1, out);
	if (strcmp(s.verdict, "fail") != 0)
		return decide_final(srv, caller, &s, "approved", &d, 1, out);
	/* read again with this one in: two reviewers approving at once both
	 * see the other's approval here, so the fail cannot stay stuck at one */
	memset(&ds, 0, sizeof(ds));
	ds.list = json_array();
	srv->st->ops->decisions(srv->st, s.id, decision_one, &ds);
	json_decref(ds.list);
	if (ds.napprovals < 2) {
		*out = svc_review_state(srv, &s);
		return 202; /* one of the two approvals a fail needs */
	}
	memcpy(by, ds.approvals, sizeof(by));
	return decide_final(srv, caller, &s, "approved", by, 2, out);
}

unsigned svc_api_waive(struct svc_server *srv, const struct pst_token_row *caller,
		       const char *id, const char *body, size_t len, json_t **out)
{
	struct pst_sub_row s;
	struct pst_waiver_row w = { 0 };
	json_t *req = body_object(body, len);
	const char *rule = field(req, "rule"), *loc = field(req, "location"),
		   *why = field(req, "justification"), *exp = field(req, "expires");
	char detail[600];
	unsigned st = find_for_review(srv, caller, id, &s, out);

	if (st == 0 && (!rule_glob(rule) || !svc_plain_text(loc, 256) ||
			strpbrk(loc, "\"\\") || !svc_plain_text(why, JUSTIFICATION_MAX) ||
			!future_date(exp)))
		st = err_out(out, 400, "bad request",
			     "{\"rule\": id or glob, \"location\": glob (up to 256, no quote or "
			     "backslash), \"justification\": 1 to 1000 bytes, \"expires\": "
			     "YYYY-MM-DD, today or later}");
	if (st != 0) {
		json_decref(req);
		return st;
	}
	memcpy(w.tenant, s.tenant, sizeof(w.tenant));
	memcpy(w.product, s.product, sizeof(w.product));
	snprintf(w.rule, sizeof(w.rule), "%s", rule);
	snprintf(w.location, sizeof(w.location), "%s", loc);
	snprintf(w.justification, sizeof(w.justification), "%s", why);
	snprintf(w.expires, sizeof(w.expires), "%s", exp);
	memcpy(w.submission, s.id, sizeof(w.submission));
	w.token_id = caller->id;
	json_decref(req);
	if (srv->st->ops->waiver_add(srv->st, &w, &w.id) != 0)
		return err_out(out, 503, "unavailable", "the waiver cannot be recorded now");
	snprintf(detail, sizeof(detail), "%s %s: %s at %s until %s", s.product, s.version, w.rule,
		 w.location, w.expires);
	audit(srv, caller, "waiver.add", s.id, detail);
	*out = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)w.id, "product",
			 w.product, "rule", w.rule, "location", w.location, "justification",
			 w.justification, "expires", w.expires, "submission", w.submission);
	return 201;
}

/* ---- waivers into the next scans ---- */

static void yaml_quoted(json_t *buf, const char *key, const char *v)
{
	char *q = malloc(2 * strlen(v) + 1), *p = q;
	const char *c;
	if (!q)
		return;
	for (c = v; *c; c++) {
		if (*c == '"' || *c == '\\')
			*p++ = '\\';
		*p++ = *c;
	}
	*p = 0;
	json_array_append_new(buf, json_sprintf("    %s: \"%s\"\n", key, q));
	free(q);
}

static void policy_waiver(const struct pst_waiver_row *w, void *ctx)
{
	json_t *buf = ctx;
	json_array_append_new(buf, json_sprintf("  - rule: \"%s\"\n", w->rule));
	yaml_quoted(buf, "location", w->location);
	yaml_quoted(buf, "justification", w->justification);
	json_array_append_new(buf, json_sprintf("    expires: %s\n", w->expires));
}

char *svc_waiver_policy(struct svc_server *srv, const char *tenant, const char *product)
{
	json_t *buf = json_array(), *v;
	char today[11], *text = NULL;
	size_t i, n = 0;

	pst_today(today);
	if (!buf ||
	    srv->st->ops->waivers(srv->st, tenant, product, today, policy_waiver, buf) != 0 ||
	    json_array_size(buf) == 0) {
		json_decref(buf);
		return NULL;
	}
	/* the default policy (missing keys take its values) with the waivers */
	json_array_insert_new(buf, 0, json_string("name: default+waivers\nwaivers:\n"));
	json_array_foreach(buf, i, v)
		n += strlen(json_string_value(v));
	text = malloc(n + 1);
	if (text) {
		text[0] = 0;
		json_array_foreach(buf, i, v)
			strcat(text, json_string_value(v));
	}
	json_decref(buf);
	return text;
}

/* ---- the gate ---- */

unsigned svc_api_gate(struct svc_server *srv, const struct pst_token_row *caller,
		      const char *sha256, json_t **out)
{
	struct pst_sub_row s;
	struct pst_final_row f;
	const char *tenant = caller && caller->role == PST_ROLE_SUBMITTER ? caller->tenant : NULL;
	const char *d;
	char *att = NULL;
	size_t len = 0;
	int has_final, rc;

	if (!sha256 || strlen(sha256) != 64 || strspn(sha256, "0123456789abcdef") != 64)
		return err_out(out, 400, "bad request",
			       "the image's SHA-256: 64 lowercase hex digits");
	rc = srv->st->ops->sub_by_sha(srv->st, sha256, tenant, &s);
	if (rc == 1) {
		*out = json_pack("{s:s, s:n, s:n, s:n}", "decision", "unknown", "product",
				 "version", "attestation");
		return 200;
	}
	if (rc != 0)
		return err_out(out, 503, "unavailable", "the store cannot answer now");
	d = decision_of(srv, &s, &f, &has_final);
	if (has_final)
		rc = srv->st->ops->log_entry(srv->st, (uint64_t)f.leaf_index, &att, &len);
	else if (strcmp(d, "pending") != 0)
		rc = srv->st->ops->report_get(srv->st, s.job_key, "attestation", &att, &len);
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "decision", d, "product", s.product,
			 "version", s.version, "submission", s.id, "verdict", s.status[0] == 'd' ?
			 s.verdict : s.status, "attestation", att ? json_string(att) : json_null());
	free(att);
	return 200;
}
