/*
 * svc.h - helpers shared inside src/service/ (util.c, blobs.c, worker.c,
 * http.c, api.c); not part of what the command line calls.
 */
#ifndef PST_SERVICE_SVC_H
#define PST_SERVICE_SVC_H

#include <stddef.h>
#include <stdint.h>
#include <sodium.h>
#include <jansson.h>
#include "service.h"
#include "store.h"

#define SVC_TOKEN_LEN (4 + 64) /* "pst_" and 32 random bytes in hex */
#define SVC_MAX_ATTEMPTS 3

void svc_hex(const unsigned char *b, size_t n, char *out);
/* n bytes from 2n hex digits; -1 when hex is not exactly that. */
int svc_unhex(const char *hex, uint8_t *out, size_t n);
/* A request's decimal number (a log index or size, a hex view's offset):
 * digits only, up to 2^53 - 1 (what a JSON number carries exactly); -1
 * when s is NULL, empty or anything else. */
int svc_decimal(const char *s, uint64_t *out);
void svc_sha256_hex(const void *data, size_t len, char out[65]);
void svc_token_new(char token[SVC_TOKEN_LEN + 1]);
void svc_random_id(char out[33]);
int svc_mkdir(const char *path);
/* data_dir/rest into out; -1 when it does not fit. */
int svc_path(char *out, size_t len, const char *data_dir, const char *rest);
/* The whole file at path (malloc'd, NUL-terminated; its length in *len);
 * NULL when it cannot be read. */
char *svc_slurp(const char *path, size_t *len);
/* Opens (and migrates) the store of data_dir, or the PostgreSQL store when
 * data_dir is a postgresql:// URL, saying why on stderr if not. */
struct pst_store *svc_store_open(const char *data_dir);

/* ---- blobs.c: content-addressed image files under DATA/blobs ---- */
/* An upload in progress: an unnamed file (O_TMPFILE) hashed as it grows; it
 * gets a name only when complete, so an aborted upload leaves nothing. */
struct svc_upload {
	int fd;
	uint64_t len;
	crypto_hash_sha256_state sha;
};
int svc_upload_begin(struct svc_upload *u, const char *data_dir);
int svc_upload_write(struct svc_upload *u, const char *data, size_t len);
/* Names the file blobs/<sha256> (kept if the same bytes exist) and closes it;
 * a store that keeps images itself (blob_put) gets the bytes instead. */
int svc_upload_commit(struct svc_upload *u, struct pst_store *st, const char *data_dir,
		      char sha256[65]);
void svc_upload_abort(struct svc_upload *u);
/* The path of a blob by its (validated hex) digest. */
int svc_blob_path(char *out, size_t len, const char *data_dir, const char *sha256);

/* ---- worker.c: the queue's local workers ---- */
struct svc_scan_id {
	char rules_sha256[65];
	char policy_sha256[65];
};
/* The rule pack's and policy's digests the workers scan with (dedupe key). */
int svc_scan_identity(struct svc_scan_id *id);
/* Forks a worker process that leases and runs jobs until its parent exits;
 * returns its pid, or -1. */
int svc_worker_spawn(const char *db, const char *data_dir, double lease, unsigned index);
/* The service's signing key pair under DATA/keys (made when missing). */
int svc_keys(const char *data_dir, char *secret, char *public_path, size_t len);
int svc_keys_paths(const char *data_dir, char *secret, char *public_path, size_t len);
/* The same files, from a store that keeps the pair (PostgreSQL: a worker on
 * another machine has no files): fetched, or made and offered when the store
 * has none yet. Falls back to svc_keys for a store without keys_get. */
int svc_keys_sync(struct pst_store *st, const char *data_dir, char *secret, char *public_path,
		  size_t len);

/* ---- api.c ---- */
struct svc_server;
/* A submission's progress, 0 to 1 (its job's while running, below 1). */
double svc_sub_progress(const struct pst_sub_row *s);
struct svc_server *svc_server_new(const struct pst_serve_opts *o, struct pst_store *st,
				  const struct svc_scan_id *id);
/* --tls-cert/--tls-key: reads the PEM texts libmicrohttpd (GnuTLS) serves
 * HTTPS with, before any worker or thread exists, so a bad file stops serve
 * at once; 0 plain HTTP, 1 TLS, -1 refused (said on stderr). */
int svc_server_load_tls(struct svc_server *srv);
int svc_server_start(struct svc_server *srv);
void svc_server_free(struct svc_server *srv);

/* ---- review.c: the review workflow, callable without HTTP (the web
 * forms call them with the signed-in token). body is the request's JSON
 * text. Each returns the HTTP status and sets *out to the answer (the
 * caller decrefs it): the submission's review state (svc_review_state),
 * the waiver, the gate's answer, or {"error", "detail"}. ---- */
/* POST /api/v1/submissions/{id}/decision {"decision": "approve"|"reject",
 * "justification"}: 200 decided (final), 202 a fail's first approval of
 * two, 400, 403 (role, four eyes), 404, 409 (not finished, decided, a pass),
 * 503. */
unsigned svc_api_decide(struct svc_server *srv, const struct pst_token_row *caller,
			const char *id, const char *body, size_t len, json_t **out);
/* POST /api/v1/submissions/{id}/waivers {"rule", "location",
 * "justification", "expires"}: 201 with the waiver; 400, 403, 404, 503. */
unsigned svc_api_waive(struct svc_server *srv, const struct pst_token_row *caller,
		       const char *id, const char *body, size_t len, json_t **out);
/* GET /api/v1/gate/{sha256}; caller NULL: the public gate (every tenant). */
unsigned svc_api_gate(struct svc_server *srv, const struct pst_token_row *caller,
		      const char *sha256, json_t **out);
/* {"decision", "final", "decisions", "waivers", ["decided"],
 * ["approvals_needed"]} of a submission. */
json_t *svc_review_state(struct svc_server *srv, const struct pst_sub_row *s);
/* A pass's automatic approval as its final decision (decided by "policy"),
 * signed with key_secret and appended to the log: 0, 1 not a finished pass
 * or decided already, -1. svc_policy_approve_all logs every pass still
 * without one: how many it logged, or -1. The worker calls it after each
 * scan it stores, serve at its start. */
int svc_policy_approve(struct pst_store *st, const char *key_secret,
		       const struct pst_sub_row *s);
int svc_policy_approve_all(struct pst_store *st, const char *key_secret);
/* The policy text of the tenant's product's live waivers (the default
 * policy's thresholds), malloc'd; NULL when it has none. */
char *svc_waiver_policy(struct svc_server *srv, const char *tenant, const char *product);

#endif
