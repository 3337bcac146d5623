/*
 * logapi.c - the service's transparency log and market gate over HTTP
 * (docs/transparency.md, docs/service.md): the signed tree head, inclusion
 * and consistency proofs, the entries (the final decisions' attestations),
 * and GET /api/v1/gate/{sha256}. The tree is the store's (log_tree); tree
 * heads are signed at request time with the service's key.
 */
#include <stdlib.h>
#include <string.h>
#include "http.h"

#define SVC_LOG_ENTRIES_MAX 100

static const char *arg(struct MHD_Connection *c, const char *name)
{
	return svc_mhd.MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

/* A decimal argument up to 2^53 - 1; -1 when absent or malformed. */
static int u64_arg(struct MHD_Connection *c, const char *name, uint64_t *out)
{
	return svc_decimal(arg(c, name), out);
}

/* The tree head of the first size leaves, signed now. */
static int sign_head(struct svc_server *srv, const struct pst_tlog_store *t, uint64_t size,
		     struct pst_tlog_sth *sth)
{
	char err[256];

	memset(sth, 0, sizeof(*sth));
	sth->size = size;
	sth->timestamp = (uint64_t)(pst_service_clock() * 1000);
	if (pst_tlog_root(t, size, sth->root) != PST_OK ||
	    pst_tlog_sth_sign_file(sth, srv->key_secret, err, sizeof(err)) != PST_OK)
		return -1;
	return 0;
}

static enum MHD_Result send_text(struct MHD_Connection *c, char *text)
{
	enum MHD_Result r;
	if (!text)
		return svc_error(c, 503, "unavailable", "the log cannot answer now");
	r = svc_send(c, 200, "application/json", text, strlen(text));
	free(text);
	return r;
}

static enum MHD_Result get_sth(struct svc_server *srv, struct MHD_Connection *c,
			       const struct pst_tlog_store *t, uint64_t size)
{
	struct pst_tlog_sth sth;
	if (sign_head(srv, t, size, &sth) != 0)
		return svc_error(c, 503, "unavailable", "the log cannot answer now");
	return send_text(c, pst_tlog_sth_json(&sth));
}

static enum MHD_Result get_inclusion(struct svc_server *srv, struct MHD_Connection *c,
				     const struct pst_tlog_store *t, uint64_t size)
{
	const char *leaf = arg(c, "leaf");
	uint8_t h[PST_TLOG_HASH];
	struct pst_tlog_proof p;
	struct pst_tlog_sth sth;
	uint64_t index;
	int rc;

	if (!leaf || strspn(leaf, "0123456789abcdef") != 64 || svc_unhex(leaf, h, sizeof(h)) != 0)
		return svc_error(c, 400, "bad request",
				 "leaf: the leaf hash, SHA-256(0x00 || entry), 64 lowercase hex");
	rc = srv->st->ops->log_find(srv->st, leaf, &index);
	if (rc == 1 || (rc == 0 && index >= size))
		return svc_error(c, 404, "not found", "no such leaf in the log");
	if (rc != 0 || pst_tlog_prove_inclusion(t, index, size, &p) != PST_OK ||
	    sign_head(srv, t, size, &sth) != 0)
		return svc_error(c, 503, "unavailable", "the log cannot answer now");
	return send_text(c, pst_tlog_inclusion_json(&sth, index, h, &p));
}

static enum MHD_Result get_consistency(struct MHD_Connection *c, const struct pst_tlog_store *t,
				       uint64_t size)
{
	struct pst_tlog_proof p;
	uint64_t first, second;

	if (u64_arg(c, "first", &first) != 0 || u64_arg(c, "second", &second) != 0 ||
	    first > second)
		return svc_error(c, 400, "bad request",
				 "first and second: tree sizes, first <= second");
	if (second > size)
		return svc_error(c, 404, "not found", "the log is not that large");
	if (pst_tlog_prove_consistency(t, first, second, &p) != PST_OK)
		return svc_error(c, 503, "unavailable", "the log cannot answer now");
	return send_text(c, pst_tlog_consistency_json(first, second, &p));
}

/* Entries [start, end), at most SVC_LOG_ENTRIES_MAX: each attestation's
 * exact text with its index and leaf hash. */
static enum MHD_Result get_entries(struct svc_server *srv, struct MHD_Connection *c,
				   uint64_t size)
{
	uint64_t start = 0, end = size, i;
	json_t *a = json_array();
	uint8_t h[PST_TLOG_HASH];
	char hex[65], *data;
	size_t len;

	if ((arg(c, "start") && u64_arg(c, "start", &start) != 0) ||
	    (arg(c, "end") && u64_arg(c, "end", &end) != 0) || start > end) {
		json_decref(a);
		return svc_error(c, 400, "bad request",
				 "start and end: leaf indexes, start <= end");
	}
	if (end > size)
		end = size;
	if (end > start + SVC_LOG_ENTRIES_MAX)
		end = start + SVC_LOG_ENTRIES_MAX;
	for (i = start; i < end; i++) {
		if (srv->st->ops->log_entry(srv->st, i, &data, &len) != 0) {
			json_decref(a);
			return svc_error(c, 503, "unavailable", "the log cannot answer now");
		}
		pst_tlog_leaf_hash((const uint8_t *)data, len, h);
		svc_hex(h, sizeof(h), hex);
		json_array_append_new(a, json_pack("{s:I, s:s, s:s%}", "index", (json_int_t)i,
						   "leaf_hash", hex, "entry", data, len));
		free(data);
	}
	return svc_send_json(c, 200, json_pack("{s:I, s:I, s:I, s:o}", "tree_size",
					       (json_int_t)size, "start", (json_int_t)start, "end",
					       (json_int_t)end, "entries", a));
}

enum MHD_Result svc_api_log(struct svc_server *srv, struct MHD_Connection *c, const char *url)
{
	struct pst_tlog_store t = srv->st->ops->log_tree(srv->st);
	const char *what = url + 12;
	uint64_t size;

	if (t.size(t.ctx, &size) != 0)
		return svc_error(c, 503, "unavailable", "the log cannot answer now");
	if (strcmp(what, "sth") == 0)
		return get_sth(srv, c, &t, size);
	if (strcmp(what, "proof/inclusion") == 0)
		return get_inclusion(srv, c, &t, size);
	if (strcmp(what, "proof/consistency") == 0)
		return get_consistency(c, &t, size);
	if (strcmp(what, "entries") == 0)
		return get_entries(srv, c, size);
	return svc_error(c, 404, "not found", "no such endpoint");
}

enum MHD_Result svc_api_gate_get(struct svc_server *srv, struct MHD_Connection *c,
				 const struct pst_token_row *tok, const char *url)
{
	json_t *out = NULL;
	unsigned st = svc_api_gate(srv, tok, url + 13, &out);
	return svc_send_json(c, st, out);
}
