/*
 * store.h - the vetting service's store interface: every row the service
 * keeps (tokens, submissions, jobs, reports, the audit chain) goes through
 * these operations, so a second engine (PostgreSQL, behind libpq) can sit
 * behind the same table of functions as the embedded SQLite one
 * (store_sqlite.c). Hand-written SQL, one schema, versioned migrations
 * applied when a store is opened (schema.c). Functions return 0 on success,
 * -1 on an error (st->err says what), 1 for "not found"/"nothing to do".
 */
#ifndef PST_SERVICE_STORE_H
#define PST_SERVICE_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "tlog.h"

struct pst_store;

/* Roles a token may have (docs/service.md). */
enum pst_role { PST_ROLE_SUBMITTER = 0, PST_ROLE_REVIEWER, PST_ROLE_AUDITOR, PST_ROLE_ADMIN };
const char *pst_role_str(enum pst_role r);
int pst_role_parse(const char *s); /* -1 when unknown */

struct pst_token_row {
	int64_t id;
	enum pst_role role;
	char tenant[65];
	char name[129];
	char person[129];	/* who holds it: four eyes compare persons (review.c) */
	char created[32];
	int revoked;
};

/* A submission with its job's state joined in. */
struct pst_sub_row {
	char id[33];
	char tenant[65];
	char product[65];
	char version[65];
	char filename[129];
	char sha256[65];
	char job_key[65];
	char status[16];	/* queued running done error */
	char verdict[16];	/* "" until done */
	char error[256];
	char created[32];
	char finished[32];
	int64_t token_id;
	/* sub_add only: the policy text (waivers, review.c) its job is made
	 * with when the job is new; NULL: the built-in default. */
	const char *policy;
	double progress;	/* a running job's, 0 to 1 (worker.c) */
};

/* A leased job: what a worker needs to run it. */
struct pst_job_row {
	char key[65];
	char sha256[65];
	char filename[129];
	int attempts;
	char *policy;		/* malloc'd policy text, or NULL: the default (caller frees) */
};

/* One report body a finished job leaves, per format. */
struct pst_report_body {
	const char *format;
	const char *data;
	size_t len;
};

/* Counts /metrics shows. */
struct pst_store_stats {
	int64_t jobs[4];	/* queued, running, done, error */
	int64_t submissions;
	/* scan seconds of done jobs in cumulative buckets (le 1,5,15,60,300,+Inf) */
	int64_t seconds_le[6];
	double seconds_sum;
	/* newest heartbeat of a running job (unix seconds), 0 when none */
	double last_heartbeat;
	int64_t workers_busy;
};

/* One reviewer's decision on a submission (review.c). */
struct pst_decision_row {
	int64_t token_id;
	char person[129];	/* the token's person (read back; decision_add ignores it) */
	char role[16];
	char decision[16];	/* approve reject */
	char justification[1025];
	char created[32];
};

/* The final decision beside a scan; its attestation is log leaf leaf_index. */
struct pst_final_row {
	char decision[16];	/* approved rejected */
	char decided_by[64];	/* the deciders' roles, "reviewer+reviewer" */
	char created[32];
	int64_t leaf_index;
};

/* A waiver of a product's finding, applied to the scans of its later
 * versions until it expires (inclusive). */
struct pst_waiver_row {
	int64_t id;
	char tenant[65];
	char product[65];
	char rule[129];
	char location[257];
	char justification[1025];
	char expires[11];
	char submission[33];
	int64_t token_id;
	char created[32];
};

typedef void (*pst_decision_cb)(const struct pst_decision_row *d, void *ctx);
typedef void (*pst_waiver_cb)(const struct pst_waiver_row *w, void *ctx);
typedef void (*pst_token_cb)(const struct pst_token_row *t, void *ctx);
typedef void (*pst_sub_cb)(const struct pst_sub_row *s, void *ctx);
typedef void (*pst_product_cb)(const char *name, int64_t versions, void *ctx);
/* One audit row: f[] is at, actor, action, object, detail. */
typedef void (*pst_audit_cb)(int64_t seq, const char *const f[5], void *ctx);

/* The operations an engine provides. tenant NULL in a query: every tenant. */
struct pst_store_ops {
	const char *engine;
	void (*close)(struct pst_store *st);
	int (*token_add)(struct pst_store *st, const char *hash, enum pst_role role,
			 const char *tenant, const char *name, const char *person, int64_t *id);
	int (*token_find)(struct pst_store *st, const char *hash, struct pst_token_row *out);
	int (*token_get)(struct pst_store *st, int64_t id, struct pst_token_row *out);
	int (*token_list)(struct pst_store *st, pst_token_cb cb, void *ctx);
	int (*token_revoke)(struct pst_store *st, int64_t id);
	/* Appends a row to the audit chain, hashing it onto the previous one. */
	int (*audit_add)(struct pst_store *st, const char *actor, const char *action,
			 const char *object, const char *detail);
	/* Recomputes the chain: 0 intact (*n rows), 1 broken at row *bad. */
	int (*audit_verify)(struct pst_store *st, int64_t *n, int64_t *bad);
	/* The audit rows about object a or object b (a submission and its
	 * job), oldest first: the trail the web pages show. */
	int (*audit_list)(struct pst_store *st, const char *a, const char *b, pst_audit_cb cb,
			  void *ctx);
	/* Records a submission; its job (key: bytes + rule pack + policy) is
	 * made when new. *deduped = 1 when the job existed already. */
	int (*sub_add)(struct pst_store *st, const struct pst_sub_row *s, uint64_t size,
		       int *deduped);
	int (*sub_get)(struct pst_store *st, const char *id, const char *tenant,
		       struct pst_sub_row *out);
	int (*report_get)(struct pst_store *st, const char *job_key, const char *format,
			  char **data, size_t *len);
	int (*products)(struct pst_store *st, const char *tenant, pst_product_cb cb, void *ctx);
	int (*versions)(struct pst_store *st, const char *tenant, const char *product,
			pst_sub_cb cb, void *ctx);
	/* Leases the oldest runnable job (queued, or running with an expired
	 * lease) for lease seconds: 0 leased, 1 none. A job already tried
	 * max_attempts times ends as error instead (reported in *dead). */
	int (*job_lease)(struct pst_store *st, const char *worker, double lease, int max_attempts,
			 struct pst_job_row *out, int *dead);
	int (*job_heartbeat)(struct pst_store *st, const char *key, const char *worker,
			     double lease);
	int (*job_done)(struct pst_store *st, const char *key, const char *worker,
			const char *verdict, double seconds, const struct pst_report_body *r,
			size_t nr);
	/* A failed attempt: back to the queue, or error when final. */
	int (*job_fail)(struct pst_store *st, const char *key, const char *worker,
			const char *reason, int final);
	int (*stats)(struct pst_store *st, struct pst_store_stats *out);
	/* Keeps one more body with a finished job's reports (a version diff,
	 * format "diff:<old job key>"); a body already there is kept. */
	int (*report_put)(struct pst_store *st, const char *job_key, const char *format,
			  const char *data, size_t len);
	/* Images and the signing key kept in the store itself, for workers on
	 * other machines (PostgreSQL). NULL in an engine whose images are files
	 * under DATA/blobs and whose key is DATA/keys (SQLite). blob_put copies
	 * size bytes of fd (from offset 0) in, keeping an existing copy;
	 * blob_get writes the blob to fd (1: no such blob), calling tick (when
	 * not NULL) after each chunk, so a worker keeps its lease while a big
	 * image arrives. keys_put keeps the first pair stored; keys_get returns 1
	 * when none is (caller frees). */
	int (*blob_put)(struct pst_store *st, const char *sha256, int fd, uint64_t size);
	int (*blob_get)(struct pst_store *st, const char *sha256, int fd, void (*tick)(void *ctx),
			void *ctx);
	int (*keys_get)(struct pst_store *st, char **secret, char **pub);
	int (*keys_put)(struct pst_store *st, const char *secret, const char *pub);

	/* ---- the review workflow (review.c) ---- */
	int (*decision_add)(struct pst_store *st, const char *sub,
			    const struct pst_decision_row *d);
	int (*decisions)(struct pst_store *st, const char *sub, pst_decision_cb cb, void *ctx);
	/* Records sub's final decision and appends its attestation (len bytes)
	 * to the transparency log, in one transaction; *index is its leaf.
	 * 1 when sub has a final decision already. */
	int (*final_add)(struct pst_store *st, const char *sub, const char *decision,
			 const char *decided_by, const char *att, size_t len, uint64_t *index);
	int (*final_get)(struct pst_store *st, const char *sub, struct pst_final_row *out);
	int (*waiver_add)(struct pst_store *st, const struct pst_waiver_row *w, int64_t *id);
	/* A tenant's product's waivers in the order given; today non-NULL:
	 * only those that expire on or after it ("YYYY-MM-DD"). */
	int (*waivers)(struct pst_store *st, const char *tenant, const char *product,
		       const char *today, pst_waiver_cb cb, void *ctx);
	/* The submission of these bytes the gate answers for: the one with the
	 * latest final decision, else the newest. */
	int (*sub_by_sha)(struct pst_store *st, const char *sha256, const char *tenant,
			  struct pst_sub_row *out);
	/* The log: its leaves' entries (malloc'd), a leaf by its hash (hex),
	 * and the tree for roots and proofs (tlog.h; valid while st is). */
	int (*log_entry)(struct pst_store *st, uint64_t index, char **data, size_t *len);
	int (*log_find)(struct pst_store *st, const char *leaf_hex, uint64_t *index);
	struct pst_tlog_store (*log_tree)(struct pst_store *st);
	/* How far the worker's running scan is (0 to 1); 1 when the job is no
	 * longer this worker's. */
	int (*job_progress)(struct pst_store *st, const char *key, const char *worker,
			    double progress);

	/* ---- schema 4 ---- */
	/* The finished pass submissions without a final decision yet, oldest
	 * first, at most 100 a call: their automatic approval is still to be
	 * logged (review.c, svc_policy_approve_all). */
	int (*pass_undecided)(struct pst_store *st, pst_sub_cb cb, void *ctx);
	/* Web sessions (web.c) by the SHA-256 (hex) of their id. session_add
	 * also drops expired sessions and keeps at most keep of the token's
	 * (the oldest go); session_get answers the live session's token and
	 * CSRF secret (1: none, or expired); session_del ends one (1: none). */
	int (*session_add)(struct pst_store *st, const char *hash, int64_t token_id,
			   const char *csrf, double expires, int keep);
	int (*session_get)(struct pst_store *st, const char *hash, struct pst_token_row *tok,
			   char csrf[65]);
	int (*session_del)(struct pst_store *st, const char *hash);
};

struct pst_store {
	const struct pst_store_ops *ops;
	char err[256];
};

/* Opens the SQLite store at path (made and migrated when needed). NULL on
 * error, with the reason in err. */
struct pst_store *pst_store_sqlite_open(const char *path, char *err, size_t errlen);
/* Opens the PostgreSQL store at a postgresql:// (or postgres://) URL, as
 * libpq reads it; migrated when needed. NULL on error, the reason in err. */
struct pst_store *pst_store_pg_open(const char *url, char *err, size_t errlen);
int pst_store_is_pg_url(const char *url);

/* The audit chain's row hash (hex): sha256 over the previous row's hash and
 * the row's fields, each NUL-terminated, so no field can bleed into the next.
 * Both engines use this one function. */
void pst_audit_hash(const char *prev, int64_t seq, const char *at, const char *actor,
		    const char *action, const char *object, const char *detail, char out[65]);

/* Reading the chain back, row by row in seq order (both engines' audit_verify):
 * start with pst_audit_walk_init; each row's fields (at, actor, action,
 * object, detail), its stored prev and hash: 0 while the chain links, 1 with
 * *bad = seq at the first row that does not. */
struct pst_audit_walk {
	char prev[65];
	int64_t n;
};
void pst_audit_walk_init(struct pst_audit_walk *w);
int pst_audit_walk_row(struct pst_audit_walk *w, int64_t seq, const char *const f[5],
		       const char *rprev, const char *hash, int64_t *bad);

/* The current UTC time, ISO 8601 with seconds ("2026-12-06T13:45:00Z"). */
void pst_service_now(char out[32]);
double pst_service_clock(void); /* unix seconds */

#endif
