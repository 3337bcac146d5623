/*
 * http.h - the HTTP layer of the service (http.c) and the routes it calls
 * (api.c): one request's state, answers as JSON errors or bodies, the
 * caller's token. libmicrohttpd does the protocol; nothing here touches the
 * filesystem by a name taken from a request.
 */
#ifndef PST_SERVICE_HTTP_H
#define PST_SERVICE_HTTP_H

#include <pthread.h>
#include <jansson.h>
#include <microhttpd.h>
#include "dynlib.h"
#include "svc.h"

/* The libmicrohttpd functions the service calls, through svc_mhd once
 * svc_mhd_load() succeeded (mhd.c): only `postern serve` maps the library. */
#define SVC_MHD_FUNCS(X)                                                                \
	X(MHD_start_daemon) X(MHD_stop_daemon) X(MHD_get_daemon_info)                    \
	X(MHD_is_feature_supported) X(MHD_lookup_connection_value) X(MHD_queue_response) \
	X(MHD_create_response_from_buffer) X(MHD_add_response_header)                    \
	X(MHD_destroy_response) X(MHD_create_post_processor) X(MHD_post_process)         \
	X(MHD_destroy_post_processor)
struct svc_mhd {
	SVC_MHD_FUNCS(PST_DYNLIB_FN)
};
extern struct svc_mhd svc_mhd;
/* Opens libmicrohttpd (once); 0, or -1 after saying why on stderr. */
int svc_mhd_load(void);

#define SVC_RATE_SLOTS 1024

struct svc_bucket {
	int64_t token;
	double tokens;
	double at;
};

struct svc_server {
	struct pst_serve_opts o;
	struct pst_store *st;
	struct svc_scan_id id;
	struct MHD_Daemon *d;
	char *pubkey;		/* the public key file's text */
	char *tls_cert, *tls_key; /* PEM texts with --tls-cert/--tls-key */
	char keyid[33];
	char key_secret[4096];	/* the service's secret key file (signs decisions) */
	pthread_mutex_t rate_mu;
	struct svc_bucket rate[SVC_RATE_SLOTS];
	double started;
};

/* One request, from its first call to its completion. */
struct svc_req {
	int upload;		/* POST /api/v1/submissions accepted so far */
	int status;		/* an error found while the body streamed in */
	const char *error, *detail;
	struct svc_upload up;
	struct pst_token_row tok;
	char product[65], version[65], filename[129];
	struct web_req *web;	/* a web page's POST (web.c), or NULL */
	/* a review POST (review.c): its JSON body as it arrives */
	int review;
	char *body;
	size_t body_len;
	char sub_id[33], what[16];	/* "decision" or "waivers" */
};

#define SVC_JSON_BODY_MAX (64u * 1024)

/* docs/openapi.json, compiled in (CMakeLists.txt). */
extern const char pst_service_openapi[];

/* Queues a JSON error {"error", "detail"} with status. */
enum MHD_Result svc_error(struct MHD_Connection *c, unsigned status, const char *error,
			  const char *detail);
/* Queues body (copied) with status and content type. */
enum MHD_Result svc_send(struct MHD_Connection *c, unsigned status, const char *type,
			 const char *body, size_t len);
/* Queues a JSON value (its reference is taken). */
enum MHD_Result svc_send_json(struct MHD_Connection *c, unsigned status, json_t *v);

/* api.c: the routes. A GET is answered in one call; a submission in three
 * phases: its head (checks, upload opened), its body, its end. */
enum MHD_Result svc_api_get(struct svc_server *srv, struct MHD_Connection *c, struct svc_req *r,
			    const char *url);
enum MHD_Result svc_api_submit_head(struct svc_server *srv, struct MHD_Connection *c,
				    struct svc_req *r);
void svc_api_submit_body(struct svc_server *srv, struct svc_req *r, const char *data, size_t len);
enum MHD_Result svc_api_submit_end(struct svc_server *srv, struct MHD_Connection *c,
				   struct svc_req *r);
/* The tenant a token's queries are limited to; NULL: every tenant. */
const char *svc_scope(const struct svc_req *r);
/* Names a request may carry (product, version, file name): letters, digits,
 * '.', '_', '-' and the bytes of extra, up to max, a letter or digit first. */
int svc_valid_name(const char *s, size_t max, const char *extra);
/* 1 to max bytes of text without control bytes (a justification going into
 * a policy file and the audit chain, a location the hex view looks for);
 * UTF-8 is the caller's to check where it matters. */
int svc_plain_text(const char *s, size_t max);
/* Commits r's finished upload (r->up) as a submission of r->product,
 * r->version, r->filename by r->tok, audited; the new row in *now. 0, -1 the
 * upload could not be stored, -2 not recorded. */
int svc_submit_record(struct svc_server *srv, struct svc_req *r, struct pst_sub_row *now,
		      int *deduped);
/* diff.c: the diff of s against its product's previous version (computed
 * once, then stored): 0 with the JSON in *data (malloc'd), else the HTTP
 * status and *detail saying why. */
unsigned svc_diff_get(struct svc_server *srv, const struct pst_sub_row *s, char **data,
		      size_t *len, const char **detail);
/* diff.c: the sandboxed child processes serve runs (the diff's, the hex
 * view's). svc_child_slot takes one of the few that may run at once (-1:
 * none free; give it back with svc_child_slot_free). svc_child_run runs
 * `postern` with argv (from its own binary), reading at most max bytes of
 * its standard output within seconds (0: no limit; a child too late or too
 * long is killed): its exit status with the output in *out (malloc'd), or
 * -1. svc_blob_here puts a blob the store keeps (PostgreSQL) under
 * DATA/blobs for a child to map. */
int svc_child_slot(void);
void svc_child_slot_free(void);
int svc_child_run(char *const argv[], size_t max, double seconds, char **out, size_t *len);
int svc_blob_here(struct svc_server *srv, const char *sha);
/* In a child: "SHA256:NAME" (a stored blob, the image's file name) mapped
 * read-only; -1 when the digest, the name or the blob is bad. */
struct svc_side {
	char blob[4096];
	char name[129];
	const void *map;
	size_t len;
};
int svc_side_open(struct svc_side *d, const char *data_dir, const char *spec);
/* peek.c: up to SVC_PEEK_MAX bytes of the file at location inside s's image
 * from offset (the hex view): 0 with them in out[] (*n of them, *size the
 * file's size), else the HTTP status (404 no such file, 409, 503) and
 * *detail. location is one s's report names (web_sub.c checks a requested
 * one against the report's files): each call costs a walk of the image. */
#define SVC_PEEK_MAX 512
unsigned svc_peek_get(struct svc_server *srv, const struct pst_sub_row *s, const char *location,
		      uint64_t offset, uint8_t out[SVC_PEEK_MAX], size_t *n, uint64_t *size,
		      const char **detail);
/* review.c's POSTs: the head (is it one, its media type), its body, its end. */
enum MHD_Result svc_api_review_head(struct svc_server *srv, struct MHD_Connection *c,
				    struct svc_req *r, const char *url);
void svc_api_review_body(struct svc_req *r, const char *data, size_t len);
enum MHD_Result svc_api_review_end(struct svc_server *srv, struct MHD_Connection *c,
				   struct svc_req *r);
/* logapi.c: GET /api/v1/log/... and /api/v1/gate/{sha256} (tok NULL: the
 * public gate, --public-gate). */
enum MHD_Result svc_api_log(struct svc_server *srv, struct MHD_Connection *c, const char *url);
enum MHD_Result svc_api_gate_get(struct svc_server *srv, struct MHD_Connection *c,
				 const struct pst_token_row *tok, const char *url);
/* diff.c: GET /api/v1/submissions/{id}/diff for s (already found in the
 * caller's scope). */
enum MHD_Result svc_api_diff(struct svc_server *srv, struct MHD_Connection *c,
			     const struct pst_sub_row *s);

/* web.c: the web pages at / (docs/service.md). */
/* A request outside /api/v1, /metrics and /healthz: a page, an asset, or a
 * form's POST (whose body then arrives through svc_web_body/svc_web_end). */
enum MHD_Result svc_web_first(struct svc_server *srv, struct MHD_Connection *c,
			      struct svc_req *r, const char *url, const char *method);
void svc_web_body(struct svc_server *srv, struct svc_req *r, const char *data, size_t len);
enum MHD_Result svc_web_end(struct svc_server *srv, struct MHD_Connection *c, struct svc_req *r);
void svc_web_req_free(struct svc_req *r);

#endif
