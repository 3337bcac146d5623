/*
 * api.c - the routes of the service's HTTP API under /api/v1 (docs/service.md):
 * submissions (upload, state, reports, attestation), products, the
 * service's key, and /metrics. A submitter sees only its tenant's work:
 * another tenant's submission answers 404, as one that does not exist.
 */
#include <stdlib.h>
#include <string.h>
#include "postern/postern.h"
#include "http.h"

static const struct {
	const char *name, *type;
} formats[] = {
	{ "json", "application/json" }, { "sarif", "application/sarif+json" },
	{ "html", "text/html; charset=utf-8" }, { "cyclonedx", "application/vnd.cyclonedx+json" },
};

int svc_plain_text(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0, i;
	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

/* Names a request may carry: product, version, file name. The first byte is
 * a letter or digit, so none is "." or ".." or starts with "-". */
int svc_valid_name(const char *s, size_t max, const char *extra)
{
	size_t i, n = s ? strlen(s) : 0;
	if (n == 0 || n > max ||
	    !strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", s[0]))
		return 0;
	for (i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
			    s[i]) &&
		    !strchr(extra, s[i]))
			return 0;
	return 1;
}

const char *svc_scope(const struct svc_req *r)
{
	return r->tok.role == PST_ROLE_SUBMITTER ? r->tok.tenant : NULL;
}

static const char *arg(struct MHD_Connection *c, const char *name)
{
	return svc_mhd.MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

enum MHD_Result svc_api_submit_head(struct svc_server *srv, struct MHD_Connection *c,
				    struct svc_req *r)
{
	const char *product = arg(c, "product"), *version = arg(c, "version"),
		   *name = arg(c, "name");
	const char *type = svc_mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	const char *clen =
		svc_mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");

	if (r->tok.role != PST_ROLE_SUBMITTER && r->tok.role != PST_ROLE_ADMIN)
		return svc_error(c, 403, "forbidden",
				 "submitting takes a submitter or admin token");
	if (!svc_valid_name(product, 64, "") || !svc_valid_name(version, 64, "+"))
		return svc_error(c, 400, "bad request",
				 "product and version are required: letters, "
				 "digits, '.', '_', '-' (version also '+'), up to 64, starting "
				 "with a "
				 "letter or digit");
	if (name && !svc_valid_name(name, 128, ""))
		return svc_error(c, 400, "bad request",
				 "name: letters, digits, '.', '_', '-', up to 128");
	if (!type || strcmp(type, "application/octet-stream") != 0)
		return svc_error(c, 415, "unsupported media type",
				 "the image is the body, as application/octet-stream");
	if (clen && strtoull(clen, NULL, 10) > srv->o.max_upload)
		return svc_error(c, 413, "payload too large", "the image is over the upload limit");
	if (clen && strcmp(clen, "0") == 0)
		return svc_error(c, 400, "bad request", "the body is empty: send the image");
	snprintf(r->product, sizeof(r->product), "%s", product);
	snprintf(r->version, sizeof(r->version), "%s", version);
	if (name)
		snprintf(r->filename, sizeof(r->filename), "%s", name);
	else
		snprintf(r->filename, sizeof(r->filename), "%s-%s.bin", product, version);
	if (svc_upload_begin(&r->up, srv->o.data_dir) != 0)
		return svc_error(c, 503, "unavailable", "cannot store the upload now");
	r->upload = 1;
	return MHD_YES;
}

void svc_api_submit_body(struct svc_server *srv, struct svc_req *r, const char *data, size_t len)
{
	if (r->status)
		return; /* already refused: the rest is read and dropped */
	if (r->up.len + len > srv->o.max_upload) {
		r->status = 413;
		r->error = "payload too large";
		r->detail = "the image is over the upload limit";
	} else if (svc_upload_write(&r->up, data, len) != 0) {
		r->status = 503;
		r->error = "unavailable";
		r->detail = "cannot store the upload now";
	}
	if (r->status)
		svc_upload_abort(&r->up);
}

/* A job is the same when the bytes, the rule pack and the policy are; the
 * policy is the default one, or it with the product's live waivers. */
static void job_key(const struct svc_server *srv, const char *sha, const char *policy,
		    char out[65])
{
	char buf[3 * 65 + 8], psha[65];
	if (policy)
		svc_sha256_hex(policy, strlen(policy), psha);
	snprintf(buf, sizeof(buf), "%s\n%s\n%s", sha, srv->id.rules_sha256,
		 policy ? psha : srv->id.policy_sha256);
	svc_sha256_hex(buf, strlen(buf), out);
}

int svc_submit_record(struct svc_server *srv, struct svc_req *r, struct pst_sub_row *now,
		      int *deduped)
{
	struct pst_sub_row s = { 0 };
	char detail[256], actor[48];
	uint64_t len = r->up.len; /* before the commit closes the upload */
	int rc;

	*deduped = 0;
	if (svc_upload_commit(&r->up, srv->st, srv->o.data_dir, s.sha256) != 0)
		return -1;
	svc_random_id(s.id);
	snprintf(s.tenant, sizeof(s.tenant), "%s", r->tok.tenant);
	memcpy(s.product, r->product, sizeof(s.product));
	memcpy(s.version, r->version, sizeof(s.version));
	memcpy(s.filename, r->filename, sizeof(s.filename));
	s.policy = svc_waiver_policy(srv, s.tenant, s.product);
	job_key(srv, s.sha256, s.policy, s.job_key);
	s.token_id = r->tok.id;
	rc = srv->st->ops->sub_add(srv->st, &s, len, deduped);
	free((char *)s.policy);
	if (rc != 0 || srv->st->ops->sub_get(srv->st, s.id, NULL, now) != 0)
		return -2;
	snprintf(detail, sizeof(detail), "%s %s %s%s", s.product, s.version, s.sha256,
		 *deduped ? " (same bytes, rules and policy as before)" : "");
	snprintf(actor, sizeof(actor), "token/%lld", (long long)r->tok.id);
	srv->st->ops->audit_add(srv->st, actor, "submission.create", s.id, detail);
	return 0;
}

enum MHD_Result svc_api_submit_end(struct svc_server *srv, struct MHD_Connection *c,
				   struct svc_req *r)
{
	struct pst_sub_row now;
	int deduped = 0, rc;

	if (r->status)
		return svc_error(c, (unsigned)r->status, r->error, r->detail);
	if (r->up.len == 0) {
		svc_upload_abort(&r->up);
		return svc_error(c, 400, "bad request", "the body is empty: send the image");
	}
	rc = svc_submit_record(srv, r, &now, &deduped);
	if (rc == -1)
		return svc_error(c, 503, "unavailable", "cannot store the upload now");
	if (rc != 0)
		return svc_error(c, 503, "unavailable", "cannot record the submission now");
	return svc_send_json(c, 201,
			     json_pack("{s:s, s:s, s:s, s:b}", "id", now.id, "sha256", now.sha256,
				       "status", now.status, "deduplicated", deduped));
}

/* POST /api/v1/submissions/{id}/decision or /waivers: the JSON body is
 * gathered (up to SVC_JSON_BODY_MAX) and handed to review.c at its end. */
enum MHD_Result svc_api_review_head(struct svc_server *srv, struct MHD_Connection *c,
				    struct svc_req *r, const char *url)
{
	const char *type = svc_mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	const char *rest = url + 20, *tail = rest + 32;

	(void)srv;
	if (strncmp(url, "/api/v1/submissions/", 20) != 0 || strlen(rest) < 32 ||
	    strspn(rest, "0123456789abcdef") != 32 ||
	    (strcmp(tail, "/decision") != 0 && strcmp(tail, "/waivers") != 0))
		return svc_error(c, 405, "method not allowed",
				 "POST goes to /api/v1/submissions, or a submission's "
				 "/decision or /waivers");
	if (!type || strncmp(type, "application/json", 16) != 0)
		return svc_error(c, 415, "unsupported media type", "the body is application/json");
	memcpy(r->sub_id, rest, 32);
	r->sub_id[32] = 0;
	snprintf(r->what, sizeof(r->what), "%s", tail + 1);
	r->review = 1;
	return MHD_YES;
}

void svc_api_review_body(struct svc_req *r, const char *data, size_t len)
{
	char *b;
	if (r->status)
		return;
	if (r->body_len + len > SVC_JSON_BODY_MAX || !(b = realloc(r->body, r->body_len + len))) {
		r->status = 413;
		return;
	}
	memcpy(b + r->body_len, data, len);
	r->body = b;
	r->body_len += len;
}

enum MHD_Result svc_api_review_end(struct svc_server *srv, struct MHD_Connection *c,
				   struct svc_req *r)
{
	json_t *out = NULL;
	unsigned st;

	if (r->status)
		return svc_error(c, 413, "payload too large", "the JSON body is over 64 KiB");
	if (strcmp(r->what, "decision") == 0)
		st = svc_api_decide(srv, &r->tok, r->sub_id, r->body, r->body_len, &out);
	else
		st = svc_api_waive(srv, &r->tok, r->sub_id, r->body, r->body_len, &out);
	return svc_send_json(c, st, out);
}

static json_t *nullable(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

/* A running job's: files examined over files found, as its worker last
 * stored it (worker.c); a scan ends at 1 only when it is done. */
double svc_sub_progress(const struct pst_sub_row *s)
{
	if (strcmp(s->status, "queued") == 0)
		return 0;
	if (strcmp(s->status, "running") == 0)
		return s->progress < 0.99 ? s->progress : 0.99;
	return 1;
}

static json_t *sub_json(const struct pst_sub_row *s)
{
	double progress = svc_sub_progress(s);
	json_t *o =
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:f, s:o, s:s, s:o}", "id", s->id, "product",
			  s->product, "version", s->version, "sha256", s->sha256, "status",
			  s->status, "progress", progress, "verdict", nullable(s->verdict),
			  "created", s->created, "finished", nullable(s->finished));
	if (o && s->error[0] && strcmp(s->status, "done") != 0)
		json_object_set_new(o, "detail", json_string(s->error));
	return o;
}

static enum MHD_Result get_report(struct svc_server *srv, struct MHD_Connection *c,
				  const struct pst_sub_row *s, const char *what)
{
	const char *fmt = arg(c, "format"), *type = "application/json";
	char *data;
	size_t len, i;
	enum MHD_Result res;

	if (strcmp(what, "report") == 0) {
		if (!fmt)
			fmt = "json";
		for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
			if (strcmp(fmt, formats[i].name) == 0)
				break;
		if (i == sizeof(formats) / sizeof(formats[0]))
			return svc_error(c, 400, "bad request",
					 "format: json, sarif, html or cyclonedx");
		type = formats[i].type;
	} else {
		fmt = "attestation";
		type = "application/vnd.dsse.envelope+json";
	}
	if (strcmp(s->status, "done") != 0)
		return svc_error(c, 409, "not ready", "the scan has not finished (see status)");
	if (srv->st->ops->report_get(srv->st, s->job_key, fmt, &data, &len) != 0)
		return svc_error(c, 503, "unavailable", "the report cannot be read now");
	res = svc_send(c, 200, type, data, len);
	free(data);
	return res;
}

/* The final decision's signed attestation: the log's entry, byte for byte. */
static enum MHD_Result get_final_attestation(struct svc_server *srv, struct MHD_Connection *c,
					     const struct pst_sub_row *s)
{
	struct pst_final_row f;
	enum MHD_Result res;
	char *data = NULL;
	size_t len = 0;

	switch (srv->st->ops->final_get(srv->st, s->id, &f)) {
	case 0: break;
	case 1: return svc_error(c, 404, "not found", "no final decision on this submission yet");
	default: return svc_error(c, 503, "unavailable", "the store cannot answer now");
	}
	if (srv->st->ops->log_entry(srv->st, (uint64_t)f.leaf_index, &data, &len) != 0)
		return svc_error(c, 503, "unavailable", "the store cannot answer now");
	res = svc_send(c, 200, "application/vnd.dsse.envelope+json", data, len);
	free(data);
	return res;
}

/* /api/v1/submissions/{id}[/report|/attestation|/diff|/decision] */
static enum MHD_Result get_submission(struct svc_server *srv, struct MHD_Connection *c,
				      struct svc_req *r, const char *rest)
{
	struct pst_sub_row s;
	char id[33];
	size_t n = strspn(rest, "0123456789abcdef");
	const char *tail = rest + n;

	if (n != 32 || (*tail && strcmp(tail, "/report") != 0 &&
			strcmp(tail, "/attestation") != 0 && strcmp(tail, "/diff") != 0 &&
			strcmp(tail, "/decision") != 0))
		return svc_error(c, 404, "not found", "no such submission");
	memcpy(id, rest, 32);
	id[32] = 0;
	switch (srv->st->ops->sub_get(srv->st, id, svc_scope(r), &s)) {
	case 0: break;
	case 1: return svc_error(c, 404, "not found", "no such submission");
	default: return svc_error(c, 503, "unavailable", "the store cannot answer now");
	}
	if (strcmp(tail, "/diff") == 0)
		return svc_api_diff(srv, c, &s);
	if (strcmp(tail, "/decision") == 0)
		return get_final_attestation(srv, c, &s);
	if (*tail)
		return get_report(srv, c, &s, tail + 1);
	{
		json_t *o = sub_json(&s);
		if (o)
			json_object_set_new(o, "review", svc_review_state(srv, &s));
		return svc_send_json(c, 200, o);
	}
}

static void product_one(const char *name, int64_t versions, void *ctx)
{
	json_array_append_new((json_t *)ctx, json_pack("{s:s, s:I}", "name", name, "versions",
						       (json_int_t)versions));
}

static void version_one(const struct pst_sub_row *s, void *ctx)
{
	json_array_append_new((json_t *)ctx, sub_json(s));
}

static enum MHD_Result get_products(struct svc_server *srv, struct MHD_Connection *c,
				    struct svc_req *r, const char *name)
{
	json_t *a = json_array();
	int rc;

	if (!name) {
		if (srv->st->ops->products(srv->st, svc_scope(r), product_one, a) != 0) {
			json_decref(a);
			return svc_error(c, 503, "unavailable", "the store cannot answer now");
		}
		return svc_send_json(c, 200, json_pack("{s:o}", "products", a));
	}
	rc = svc_valid_name(name, 64, "") ?
		     srv->st->ops->versions(srv->st, svc_scope(r), name, version_one, a) :
		     1;
	if (rc != 0) {
		json_decref(a);
		return rc == 1 ? svc_error(c, 404, "not found", "no such product")
			       : svc_error(c, 503, "unavailable", "the store cannot answer now");
	}
	return svc_send_json(c, 200, json_pack("{s:s, s:o}", "name", name, "versions", a));
}

static enum MHD_Result get_metrics(struct svc_server *srv, struct MHD_Connection *c)
{
	static const char *const states[4] = { "queued", "running", "done", "error" };
	static const char *const le[6] = { "1", "5", "15", "60", "300", "+Inf" };
	struct pst_store_stats s;
	char buf[4096];
	size_t n = 0;
	int i;

	if (srv->st->ops->stats(srv->st, &s) != 0)
		return svc_error(c, 503, "unavailable", "the store cannot answer now");
#define OUT(...) n += (size_t)snprintf(buf + n, n < sizeof(buf) ? sizeof(buf) - n : 0, __VA_ARGS__)
	OUT("# HELP postern_queue_depth Jobs waiting for a worker.\n# TYPE postern_queue_depth "
	    "gauge\n"
	    "postern_queue_depth %lld\n",
	    (long long)s.jobs[0]);
	OUT("# HELP postern_jobs Jobs by state.\n# TYPE postern_jobs gauge\n");
	for (i = 0; i < 4; i++)
		OUT("postern_jobs{state=\"%s\"} %lld\n", states[i], (long long)s.jobs[i]);
	OUT("# HELP postern_submissions_total Submissions received.\n"
	    "# TYPE postern_submissions_total counter\npostern_submissions_total %lld\n",
	    (long long)s.submissions);
	OUT("# HELP postern_scan_seconds Wall time of finished scans.\n"
	    "# TYPE postern_scan_seconds histogram\n");
	for (i = 0; i < 6; i++)
		OUT("postern_scan_seconds_bucket{le=\"%s\"} %lld\n", le[i],
		    (long long)s.seconds_le[i]);
	OUT("postern_scan_seconds_sum %.3f\npostern_scan_seconds_count %lld\n", s.seconds_sum,
	    (long long)s.seconds_le[5]);
	OUT("# HELP postern_worker_heartbeat_timestamp_seconds Newest heartbeat of a running job.\n"
	    "# TYPE postern_worker_heartbeat_timestamp_seconds gauge\n"
	    "postern_worker_heartbeat_timestamp_seconds %.3f\n", s.last_heartbeat);
	OUT("# HELP postern_workers_busy Workers holding a lease.\n# TYPE postern_workers_busy "
	    "gauge\n"
	    "postern_workers_busy %lld\n",
	    (long long)s.workers_busy);
#undef OUT
	if (n >= sizeof(buf))
		return svc_error(c, 500, "internal error", "metrics overflow");
	return svc_send(c, 200, "text/plain; version=0.0.4", buf, n);
}

enum MHD_Result svc_api_get(struct svc_server *srv, struct MHD_Connection *c, struct svc_req *r,
			    const char *url)
{
	if (strcmp(url, "/metrics") == 0) {
		if (r->tok.role != PST_ROLE_AUDITOR && r->tok.role != PST_ROLE_ADMIN)
			return svc_error(c, 403, "forbidden",
					 "metrics take an auditor or admin token");
		return get_metrics(srv, c);
	}
	if (strncmp(url, "/api/v1/submissions/", 20) == 0)
		return get_submission(srv, c, r, url + 20);
	if (strcmp(url, "/api/v1/products") == 0)
		return get_products(srv, c, r, NULL);
	if (strncmp(url, "/api/v1/products/", 17) == 0)
		return get_products(srv, c, r, url + 17);
	if (strcmp(url, "/api/v1/keys") == 0)
		return svc_send_json(c, 200,
				     json_pack("{s:[{s:s, s:s, s:s}]}", "keys", "keyid", srv->keyid,
					       "algorithm", "ed25519", "public_key", srv->pubkey));
	if (strcmp(url, "/api/v1/submissions") == 0)
		return svc_error(c, 405, "method not allowed", "POST an image here");
	if (strncmp(url, "/api/v1/gate/", 13) == 0)
		return svc_api_gate_get(srv, c, &r->tok, url);
	if (strncmp(url, "/api/v1/log/", 12) == 0)
		return svc_api_log(srv, c, url);
	return svc_error(c, 404, "not found", "no such endpoint");
}
