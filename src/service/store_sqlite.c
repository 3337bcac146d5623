/*
 * store_sqlite.c - the embedded store engine: one SQLite file in WAL mode
 * (readers never wait for the writer), busy timeout for the worker
 * processes that share it, and BEGIN IMMEDIATE around every
 * read-then-write (a lease, an audit append) so two processes cannot take
 * the same job or the same chain position. One connection per process;
 * the HTTP threads share it under a mutex.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "schema.h"
#include "svc.h"

struct sq_store {
	struct pst_store base;
	sqlite3 *db;
	pthread_mutex_t mu;	/* recursive: the log's reads run inside final_add too */
	const void *entry;	/* the log entry final_add is appending */
	size_t entry_len;
};

static struct sq_store *sq(struct pst_store *st) { return (struct sq_store *)st; }

static int fail(struct sq_store *s, const char *what)
{
	snprintf(s->base.err, sizeof(s->base.err), "%s: %s", what, sqlite3_errmsg(s->db));
	return -1;
}

/* Prepares sql and binds the n text arguments (NULL binds NULL). */
static sqlite3_stmt *prep(struct sq_store *s, const char *sql, int n, const char *const *args)
{
	sqlite3_stmt *q = NULL;
	int i;
	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK) {
		fail(s, "prepare");
		return NULL;
	}
	for (i = 0; i < n; i++)
		sqlite3_bind_text(q, i + 1, args[i], -1, SQLITE_TRANSIENT);
	return q;
}

/* Runs a statement that returns no rows. */
static int exec_args(struct sq_store *s, const char *sql, int n, const char *const *args)
{
	sqlite3_stmt *q = prep(s, sql, n, args);
	int rc;
	if (!q)
		return -1;
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : fail(s, "step");
}

static int exec(struct sq_store *s, const char *sql)
{
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : fail(s, sql);
}

static void col(sqlite3_stmt *q, int i, char *out, size_t len)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	snprintf(out, len, "%s", t ? (const char *)t : "");
}

static int begin(struct sq_store *s)
{
	pthread_mutex_lock(&s->mu);
	if (exec(s, "BEGIN IMMEDIATE") != 0) {
		pthread_mutex_unlock(&s->mu);
		return -1;
	}
	return 0;
}

static int end(struct sq_store *s, int rc)
{
	if (rc < 0)
		exec(s, "ROLLBACK");
	else if (exec(s, "COMMIT") != 0)
		rc = -1;
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int migrate(struct sq_store *s)
{
	sqlite3_stmt *q;
	int have = 0, rc = 0;
	const struct pst_migration *m;

	if (exec(s, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)") != 0)
		return -1;
	if (begin(s) != 0)
		return -1;
	q = prep(s, "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL);
	if (q && sqlite3_step(q) == SQLITE_ROW)
		have = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (have > pst_schema_version) {
		snprintf(s->base.err, sizeof(s->base.err),
			 "the store's schema (version %d) is newer than this postern's (%d)", have,
			 pst_schema_version);
		return end(s, -1);
	}
	for (m = pst_migrations; m->version && rc == 0; m++) {
		char v[16];
		const char *a[1] = { v };
		if (m->version <= have)
			continue;
		snprintf(v, sizeof(v), "%d", m->version);
		rc = exec(s, m->sqlite);
		if (rc == 0)
			rc = exec_args(s, "INSERT INTO schema_version (version) VALUES (?)", 1, a);
	}
	return end(s, rc);
}

static void sq_close(struct pst_store *st)
{
	if (!st)
		return;
	sqlite3_close(sq(st)->db);
	pthread_mutex_destroy(&sq(st)->mu);
	free(st);
}

static int sq_token_add(struct pst_store *st, const char *hash, enum pst_role role,
			const char *tenant, const char *name, const char *person, int64_t *id)
{
	struct sq_store *s = sq(st);
	char now[32];
	const char *a[6] = { hash, pst_role_str(role), tenant, name, now, person };
	int rc;

	pst_service_now(now);
	if (begin(s) != 0)
		return -1;
	rc = exec_args(s,
		       "INSERT INTO tokens (hash, role, tenant, name, created, person)"
		       " VALUES (?,?,?,?,?,?)",
		       6, a);
	*id = sqlite3_last_insert_rowid(s->db);
	return end(s, rc);
}

static void token_row(sqlite3_stmt *q, struct pst_token_row *t)
{
	char role[32];
	t->id = sqlite3_column_int64(q, 0);
	col(q, 1, role, sizeof(role));
	t->role = (enum pst_role)(pst_role_parse(role) < 0 ? 0 : pst_role_parse(role));
	col(q, 2, t->tenant, sizeof(t->tenant));
	col(q, 3, t->name, sizeof(t->name));
	col(q, 4, t->created, sizeof(t->created));
	t->revoked = sqlite3_column_type(q, 5) != SQLITE_NULL;
	col(q, 6, t->person, sizeof(t->person));
}

#define TOKEN_SEL "SELECT t.id, t.role, t.tenant, t.name, t.created, t.revoked," \
	" coalesce(t.person, t.name)"
#define TOKEN_COLS TOKEN_SEL " FROM tokens t "

/* The one token row q selects (bound by the caller, under the store's
 * mutex, which this releases), and with csrf its eighth column (a web
 * session's form secret): 0, 1 none, -1. Finalizes q. */
static int token_one(struct sq_store *s, sqlite3_stmt *q, struct pst_token_row *out,
		     char *csrf)
{
	int rc = 1;

	if (!q)
		rc = -1;
	else if (sqlite3_step(q) == SQLITE_ROW) {
		token_row(q, out);
		if (csrf)
			col(q, 7, csrf, 65);
		rc = 0;
	}
	sqlite3_finalize(q);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int sq_token_find(struct pst_store *st, const char *hash, struct pst_token_row *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q;

	pthread_mutex_lock(&s->mu);
	q = prep(s, TOKEN_COLS "WHERE t.hash = ?", 1, &hash);
	return token_one(s, q, out, NULL);
}

static int sq_token_get(struct pst_store *st, int64_t id, struct pst_token_row *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q;

	pthread_mutex_lock(&s->mu);
	q = prep(s, TOKEN_COLS "WHERE t.id = ?", 0, NULL);
	if (q)
		sqlite3_bind_int64(q, 1, id);
	return token_one(s, q, out, NULL);
}

static int sq_token_list(struct pst_store *st, pst_token_cb cb, void *ctx)
{
	struct sq_store *s = sq(st);
	struct pst_token_row t;
	sqlite3_stmt *q = prep(s, TOKEN_COLS "ORDER BY t.id", 0, NULL);
	if (!q)
		return -1;
	while (sqlite3_step(q) == SQLITE_ROW) {
		token_row(q, &t);
		cb(&t, ctx);
	}
	sqlite3_finalize(q);
	return 0;
}

static int sq_token_revoke(struct pst_store *st, int64_t id)
{
	struct sq_store *s = sq(st);
	char now[32], ids[24];
	const char *a[2] = { now, ids };
	int rc;

	pst_service_now(now);
	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	if (begin(s) != 0)
		return -1;
	rc = exec_args(s, "UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL", 2, a);
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		rc = 1;
	return end(s, rc);
}

static int sq_audit_add(struct pst_store *st, const char *actor, const char *action,
			const char *object, const char *detail)
{
	struct sq_store *s = sq(st);
	char prev[65] = "", at[32], hash[65], seqs[24];
	int64_t seq = 1;
	sqlite3_stmt *q;
	int rc;

	if (begin(s) != 0)
		return -1;
	q = prep(s, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", 0, NULL);
	if (q && sqlite3_step(q) == SQLITE_ROW) {
		seq = sqlite3_column_int64(q, 0) + 1;
		col(q, 1, prev, sizeof(prev));
	}
	sqlite3_finalize(q);
	if (!prev[0])
		memset(prev, '0', 64);
	pst_service_now(at);
	pst_audit_hash(prev, seq, at, actor, action, object, detail, hash);
	snprintf(seqs, sizeof(seqs), "%lld", (long long)seq);
	{
		const char *a[8] = { seqs, at, actor, action, object, detail, prev, hash };
		rc = exec_args(s,
			       "INSERT INTO audit (seq, at, actor, action, object, detail, prev, "
			       "hash)"
			       " VALUES (?,?,?,?,?,?,?,?)",
			       8, a);
	}
	return end(s, rc);
}

/* A column's text, "" for NULL (valid until the next step). */
static const char *text_of(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return t ? (const char *)t : "";
}

static int sq_audit_verify(struct pst_store *st, int64_t *n, int64_t *bad)
{
	struct sq_store *s = sq(st);
	struct pst_audit_walk w;
	sqlite3_stmt *q;
	int rc = 0, i;

	pst_audit_walk_init(&w);
	*bad = 0;
	q = prep(s, "SELECT seq, at, actor, action, object, detail, prev, hash FROM audit ORDER BY seq",
		 0, NULL);
	if (!q)
		return -1;
	while (rc == 0 && sqlite3_step(q) == SQLITE_ROW) {
		const char *f[5];
		for (i = 0; i < 5; i++)
			f[i] = text_of(q, i + 1);
		rc = pst_audit_walk_row(&w, sqlite3_column_int64(q, 0), f, text_of(q, 6),
					text_of(q, 7), bad);
	}
	sqlite3_finalize(q);
	*n = w.n;
	return rc;
}

static int sq_audit_list(struct pst_store *st, const char *a, const char *b, pst_audit_cb cb,
			 void *ctx)
{
	struct sq_store *s = sq(st);
	const char *args[2] = { a, b };
	sqlite3_stmt *q;
	int i;

	q = prep(s, "SELECT seq, at, actor, action, object, detail FROM audit"
		    " WHERE object = ? OR object = ? ORDER BY seq",
		 2, args);
	if (!q)
		return -1;
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *f[5];
		for (i = 0; i < 5; i++)
			f[i] = text_of(q, i + 1);
		cb(sqlite3_column_int64(q, 0), f, ctx);
	}
	sqlite3_finalize(q);
	return 0;
}

static int sq_sub_add(struct pst_store *st, const struct pst_sub_row *r, uint64_t size,
		      int *deduped)
{
	struct sq_store *s = sq(st);
	char now[32], sz[24], tok[24];
	int rc;

	pst_service_now(now);
	snprintf(sz, sizeof(sz), "%llu", (unsigned long long)size);
	snprintf(tok, sizeof(tok), "%lld", (long long)r->token_id);
	if (begin(s) != 0)
		return -1;
	{
		const char *a[3] = { r->sha256, sz, now };
		rc = exec_args(s,
			       "INSERT OR IGNORE INTO blobs (sha256, size, created) VALUES (?,?,?)",
			       3, a);
	}
	if (rc == 0) {
		const char *a[5] = { r->job_key, r->sha256, r->filename, now, r->policy };
		rc = exec_args(s,
			       "INSERT OR IGNORE INTO jobs (key, sha256, filename, status, created,"
			       " policy) VALUES (?,?,?,'queued',?,?)",
			       5, a);
		*deduped = sqlite3_changes(s->db) == 0;
	}
	if (rc == 0) {
		const char *a[9] = { r->id,     r->tenant,  r->product, r->version, r->filename,
				     r->sha256, r->job_key, tok,        now };
		rc = exec_args(s,
			       "INSERT INTO submissions (id, tenant, product, version, filename, "
			       "sha256,"
			       " job_key, token_id, created) VALUES (?,?,?,?,?,?,?,?,?)",
			       9, a);
	}
	return end(s, rc);
}

#define SUB_COLS "SELECT s.id, s.tenant, s.product, s.version, s.filename, s.sha256, s.job_key," \
	" j.status, coalesce(j.verdict, ''), coalesce(j.error, ''), s.created," \
	" coalesce(j.finished, ''), s.token_id, coalesce(j.progress, 0)" \
	" FROM submissions s JOIN jobs j ON j.key = s.job_key "

static void sub_row(sqlite3_stmt *q, struct pst_sub_row *r)
{
	col(q, 0, r->id, sizeof(r->id));
	col(q, 1, r->tenant, sizeof(r->tenant));
	col(q, 2, r->product, sizeof(r->product));
	col(q, 3, r->version, sizeof(r->version));
	col(q, 4, r->filename, sizeof(r->filename));
	col(q, 5, r->sha256, sizeof(r->sha256));
	col(q, 6, r->job_key, sizeof(r->job_key));
	col(q, 7, r->status, sizeof(r->status));
	col(q, 8, r->verdict, sizeof(r->verdict));
	col(q, 9, r->error, sizeof(r->error));
	col(q, 10, r->created, sizeof(r->created));
	col(q, 11, r->finished, sizeof(r->finished));
	r->token_id = sqlite3_column_int64(q, 12);
	r->progress = sqlite3_column_double(q, 13);
}

static int sq_sub_get(struct pst_store *st, const char *id, const char *tenant,
		      struct pst_sub_row *out)
{
	struct sq_store *s = sq(st);
	const char *a[2] = { id, tenant };
	sqlite3_stmt *q;
	int rc = 1;

	pthread_mutex_lock(&s->mu);
	q = prep(s, SUB_COLS "WHERE s.id = ?1 AND (?2 IS NULL OR s.tenant = ?2)", 2, a);
	if (!q)
		rc = -1;
	else if (sqlite3_step(q) == SQLITE_ROW) {
		sub_row(q, out);
		rc = 0;
	}
	sqlite3_finalize(q);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

/* The first column of q's first row as bytes, malloc'd with a NUL after
 * them; 1 when there is no row, -1 when q is NULL or memory runs out.
 * Finalizes q. */
static int bytes_of(sqlite3_stmt *q, char **data, size_t *len)
{
	int rc = q ? 1 : -1;

	if (q && sqlite3_step(q) == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(q, 0);
		*data = malloc(n + 1);
		rc = *data ? 0 : -1;
		if (*data) {
			if (n)
				memcpy(*data, sqlite3_column_blob(q, 0), n);
			(*data)[n] = 0;
			*len = n;
		}
	}
	sqlite3_finalize(q);
	return rc;
}

static int sq_report_get(struct pst_store *st, const char *key, const char *format, char **data,
			 size_t *len)
{
	struct sq_store *s = sq(st);
	const char *a[2] = { key, format };
	sqlite3_stmt *q;
	int rc;

	*data = NULL;
	*len = 0;
	pthread_mutex_lock(&s->mu);
	q = prep(s, "SELECT body FROM reports WHERE job_key = ? AND format = ?", 2, a);
	rc = bytes_of(q, data, len);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int sq_products(struct pst_store *st, const char *tenant, pst_product_cb cb, void *ctx)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q;
	char name[65];

	pthread_mutex_lock(&s->mu);
	q = prep(s, "SELECT product, count(DISTINCT version) FROM submissions"
		 " WHERE ?1 IS NULL OR tenant = ?1 GROUP BY product ORDER BY product", 1, &tenant);
	while (q && sqlite3_step(q) == SQLITE_ROW) {
		col(q, 0, name, sizeof(name));
		cb(name, sqlite3_column_int64(q, 1), ctx);
	}
	sqlite3_finalize(q);
	pthread_mutex_unlock(&s->mu);
	return q ? 0 : -1;
}

static int sq_versions(struct pst_store *st, const char *tenant, const char *product, pst_sub_cb cb,
		       void *ctx)
{
	struct sq_store *s = sq(st);
	const char *a[2] = { tenant, product };
	struct pst_sub_row r;
	sqlite3_stmt *q;
	int rc = 1;

	pthread_mutex_lock(&s->mu);
	q = prep(s, SUB_COLS "WHERE (?1 IS NULL OR s.tenant = ?1) AND s.product = ?2"
		 " ORDER BY s.created, s.rowid", 2, a);
	while (q && sqlite3_step(q) == SQLITE_ROW) {
		sub_row(q, &r);
		cb(&r, ctx);
		rc = 0;
	}
	sqlite3_finalize(q);
	pthread_mutex_unlock(&s->mu);
	return q ? rc : -1;
}

static int sq_job_lease(struct pst_store *st, const char *worker, double lease, int max_attempts,
			struct pst_job_row *out, int *dead)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q;
	double now = pst_service_clock();
	int rc = 1;

	*dead = 0;
	out->policy = NULL;
	if (begin(s) != 0)
		return -1;
	q = prep(s,
		 "SELECT key, sha256, filename, attempts, policy FROM jobs WHERE status = 'queued'"
		 " OR (status = 'running' AND lease_until < ?1) ORDER BY created, rowid LIMIT 1",
		 0, NULL);
	if (q)
		sqlite3_bind_double(q, 1, now);
	if (q && sqlite3_step(q) == SQLITE_ROW) {
		col(q, 0, out->key, sizeof(out->key));
		col(q, 1, out->sha256, sizeof(out->sha256));
		col(q, 2, out->filename, sizeof(out->filename));
		out->attempts = sqlite3_column_int(q, 3);
		out->policy = sqlite3_column_type(q, 4) == SQLITE_NULL ? NULL :
			      strdup(text_of(q, 4));
		rc = 0;
	}
	sqlite3_finalize(q);
	if (rc == 0 && out->attempts >= max_attempts) {
		/* its worker died with it every time: stop here, say why */
		char now_s[32];
		const char *a[2] = { now_s, out->key };
		pst_service_now(now_s);
		*dead = 1;
		rc = exec_args(s,
			       "UPDATE jobs SET status = 'error', error = 'the scan ended its "
			       "worker"
			       " on every attempt (lease expired)', worker = NULL, finished = ?"
			       " WHERE key = ?",
			       2, a);
	} else if (rc == 0) {
		q = prep(s,
			 "UPDATE jobs SET status = 'running', attempts = attempts + 1, worker = ?1,"
			 " lease_until = ?2, heartbeat = ?3 WHERE key = ?4",
			 0, NULL);
		if (!q)
			return end(s, -1);
		sqlite3_bind_text(q, 1, worker, -1, SQLITE_TRANSIENT);
		sqlite3_bind_double(q, 2, now + lease);
		sqlite3_bind_double(q, 3, now);
		sqlite3_bind_text(q, 4, out->key, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(q) == SQLITE_DONE ? 0 : fail(s, "lease");
		sqlite3_finalize(q);
		out->attempts++;
	}
	return end(s, rc);
}

static int sq_job_heartbeat(struct pst_store *st, const char *key, const char *worker, double lease)
{
	struct sq_store *s = sq(st);
	double now = pst_service_clock();
	sqlite3_stmt *q;
	int rc;

	pthread_mutex_lock(&s->mu);
	q = prep(s,
		 "UPDATE jobs SET lease_until = ?1, heartbeat = ?2 WHERE key = ?3 AND worker = ?4"
		 " AND status = 'running'",
		 0, NULL);
	if (!q) {
		pthread_mutex_unlock(&s->mu);
		return -1;
	}
	sqlite3_bind_double(q, 1, now + lease);
	sqlite3_bind_double(q, 2, now);
	sqlite3_bind_text(q, 3, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 4, worker, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(q) == SQLITE_DONE ? (sqlite3_changes(s->db) ? 0 : 1) :
					      fail(s, "heartbeat");
	sqlite3_finalize(q);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int sq_job_progress(struct pst_store *st, const char *key, const char *worker,
			   double progress)
{
	struct sq_store *s = sq(st);
	char p[32];
	const char *a[3] = { p, key, worker };
	int rc;

	snprintf(p, sizeof(p), "%.4f", progress);
	pthread_mutex_lock(&s->mu);
	rc = exec_args(s, "UPDATE jobs SET progress = ?1 WHERE key = ?2 AND worker = ?3"
		       " AND status = 'running'", 3, a);
	rc = rc == 0 && !sqlite3_changes(s->db) ? 1 : rc;
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int sq_job_done(struct pst_store *st, const char *key, const char *worker,
		       const char *verdict, double seconds, const struct pst_report_body *r,
		       size_t nr)
{
	struct sq_store *s = sq(st);
	char now[32];
	sqlite3_stmt *q;
	size_t i;
	int rc = 0;

	pst_service_now(now);
	if (begin(s) != 0)
		return -1;
	q = prep(s,
		 "UPDATE jobs SET status = 'done', verdict = ?1, seconds = ?2, finished = ?3,"
		 " lease_until = NULL, error = NULL WHERE key = ?4 AND worker = ?5 AND status = "
		 "'running'",
		 0, NULL);
	if (!q)
		return end(s, -1);
	sqlite3_bind_text(q, 1, verdict, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(q, 2, seconds);
	sqlite3_bind_text(q, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 4, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 5, worker, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = fail(s, "done");
	else if (sqlite3_changes(s->db) == 0)
		rc = 1; /* the lease was lost: another worker owns the job now */
	sqlite3_finalize(q);
	for (i = 0; rc == 0 && i < nr; i++) {
		q = prep(s, "INSERT OR REPLACE INTO reports (job_key, format, body) VALUES (?1, ?2, ?3)",
			 0, NULL);
		if (!q)
			return end(s, -1);
		sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, r[i].format, -1, SQLITE_TRANSIENT);
		sqlite3_bind_blob64(q, 3, r[i].data, r[i].len, SQLITE_TRANSIENT);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = fail(s, "report");
		sqlite3_finalize(q);
	}
	return end(s, rc);
}

static int sq_job_fail(struct pst_store *st, const char *key, const char *worker,
		       const char *reason, int final)
{
	struct sq_store *s = sq(st);
	char now[32];
	const char *a[4] = { reason, now, key, worker };
	int rc;

	pst_service_now(now);
	if (begin(s) != 0)
		return -1;
	if (final)
		rc = exec_args(s, "UPDATE jobs SET status = 'error', error = ?1, finished = ?2,"
			       " lease_until = NULL WHERE key = ?3 AND worker = ?4", 4, a);
	else
		rc = exec_args(s,
			       "UPDATE jobs SET status = 'queued', error = ?1, lease_until = NULL,"
			       " worker = NULL WHERE key = ?3 AND worker = ?4 AND ?2 IS NOT NULL",
			       4, a);
	return end(s, rc);
}

static int sq_stats(struct pst_store *st, struct pst_store_stats *o)
{
	static const char *const states[4] = { "queued", "running", "done", "error" };
	static const double le[5] = { 1, 5, 15, 60, 300 };
	struct sq_store *s = sq(st);
	sqlite3_stmt *q;
	int i;

	memset(o, 0, sizeof(*o));
	pthread_mutex_lock(&s->mu);
	q = prep(s, "SELECT status, count(*) FROM jobs GROUP BY status", 0, NULL);
	while (q && sqlite3_step(q) == SQLITE_ROW)
		for (i = 0; i < 4; i++)
			if (strcmp((const char *)sqlite3_column_text(q, 0), states[i]) == 0)
				o->jobs[i] = sqlite3_column_int64(q, 1);
	sqlite3_finalize(q);
	q = prep(s, "SELECT seconds FROM jobs WHERE status = 'done' AND seconds IS NOT NULL", 0,
		 NULL);
	while (q && sqlite3_step(q) == SQLITE_ROW) {
		double v = sqlite3_column_double(q, 0);
		o->seconds_sum += v;
		for (i = 0; i < 5; i++)
			if (v <= le[i])
				o->seconds_le[i]++;
		o->seconds_le[5]++;
	}
	sqlite3_finalize(q);
	q = prep(s,
		 "SELECT (SELECT count(*) FROM submissions), coalesce((SELECT max(heartbeat) FROM"
		 " jobs WHERE status = 'running'), 0), (SELECT count(DISTINCT worker) FROM jobs"
		 " WHERE status = 'running')",
		 0, NULL);
	if (q && sqlite3_step(q) == SQLITE_ROW) {
		o->submissions = sqlite3_column_int64(q, 0);
		o->last_heartbeat = sqlite3_column_double(q, 1);
		o->workers_busy = sqlite3_column_int64(q, 2);
	}
	sqlite3_finalize(q);
	pthread_mutex_unlock(&s->mu);
	return 0;
}

static int sq_report_put(struct pst_store *st, const char *key, const char *format,
			 const char *data, size_t len)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q = NULL;
	int rc = -1;

	pthread_mutex_lock(&s->mu);
	if (sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO reports (job_key, format, body)"
			       " VALUES (?, ?, ?)", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
	    sqlite3_bind_text(q, 2, format, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
	    sqlite3_bind_blob64(q, 3, data, len, SQLITE_TRANSIENT) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_DONE)
		rc = 0;
	else
		snprintf(st->err, sizeof(st->err), "%s", sqlite3_errmsg(s->db));
	sqlite3_finalize(q);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

/* ---- the review workflow ---- */

static int sq_decision_add(struct pst_store *st, const char *sub, const struct pst_decision_row *d)
{
	struct sq_store *s = sq(st);
	char now[32], tok[24];
	const char *a[6] = { sub, tok, d->role, d->decision, d->justification, now };
	int rc;

	pst_service_now(now);
	snprintf(tok, sizeof(tok), "%lld", (long long)d->token_id);
	if (begin(s) != 0)
		return -1;
	rc = exec_args(s, "INSERT INTO decisions (submission, token_id, role, decision,"
		       " justification, created) VALUES (?,?,?,?,?,?)", 6, a);
	return end(s, rc);
}

/* A decision with its token's person (a token of unknown id: its own
 * person, so it still differs from every other). */
#define DECISION_COLS "SELECT d.token_id, d.role, d.decision, d.justification, d.created," \
	" coalesce(t.person, t.name, 'token/' || d.token_id) FROM decisions d" \
	" LEFT JOIN tokens t ON t.id = d.token_id "

static int sq_decisions(struct pst_store *st, const char *sub, pst_decision_cb cb, void *ctx)
{
	struct sq_store *s = sq(st);
	struct pst_decision_row d;
	sqlite3_stmt *q;

	pthread_mutex_lock(&s->mu);
	q = prep(s, DECISION_COLS "WHERE d.submission = ? ORDER BY d.seq", 1, &sub);
	while (q && sqlite3_step(q) == SQLITE_ROW) {
		d.token_id = sqlite3_column_int64(q, 0);
		col(q, 1, d.role, sizeof(d.role));
		col(q, 2, d.decision, sizeof(d.decision));
		col(q, 3, d.justification, sizeof(d.justification));
		col(q, 4, d.created, sizeof(d.created));
		col(q, 5, d.person, sizeof(d.person));
		cb(&d, ctx);
	}
	sqlite3_finalize(q);
	pthread_mutex_unlock(&s->mu);
	return q ? 0 : -1;
}

/* The tree over tlog_leaf and tlog_node. The store's mutex is recursive, so
 * these run alone (a proof) or inside final_add's transaction (an append). */
static int sq_tree_size(void *ctx, uint64_t *n)
{
	struct sq_store *s = ctx;
	sqlite3_stmt *q;
	int rc = -1;

	pthread_mutex_lock(&s->mu);
	q = prep(s, "SELECT count(*) FROM tlog_leaf", 0, NULL);
	if (q && sqlite3_step(q) == SQLITE_ROW) {
		*n = (uint64_t)sqlite3_column_int64(q, 0);
		rc = 0;
	}
	sqlite3_finalize(q);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

/* One hash column (hex) of the row sql selects with two integer keys: 1
 * found, 0 none, -1 error. */
static int sq_hash_get(struct sq_store *s, const char *sql, int64_t k1, int64_t k2,
		       uint8_t out[PST_TLOG_HASH])
{
	sqlite3_stmt *q;
	int rc = -1;

	pthread_mutex_lock(&s->mu);
	q = prep(s, sql, 0, NULL);
	if (q) {
		sqlite3_bind_int64(q, 1, k1);
		if (sqlite3_bind_parameter_count(q) > 1)
			sqlite3_bind_int64(q, 2, k2);
		rc = sqlite3_step(q) == SQLITE_ROW ?
			     (svc_unhex(text_of(q, 0), out, PST_TLOG_HASH) == 0 ? 1 : -1) : 0;
	}
	sqlite3_finalize(q);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int sq_leaf_get(void *ctx, uint64_t index, uint8_t out[PST_TLOG_HASH])
{
	return sq_hash_get(ctx, "SELECT hash FROM tlog_leaf WHERE idx = ?1",
			   (int64_t)index, 0, out) == 1 ? 0 : -1;
}

static int sq_node_get(void *ctx, unsigned level, uint64_t index, uint8_t out[PST_TLOG_HASH])
{
	return sq_hash_get(ctx, "SELECT hash FROM tlog_node WHERE level = ?2 AND idx = ?1",
			   (int64_t)index, level, out);
}

/* Inserts (k1, k2, hash) with sql; used inside final_add's transaction. */
static int sq_hash_put(struct sq_store *s, const char *sql, int64_t k1, int64_t k2,
		       const uint8_t h[PST_TLOG_HASH])
{
	char hex[2 * PST_TLOG_HASH + 1];
	sqlite3_stmt *q = prep(s, sql, 0, NULL);
	int rc;

	if (!q)
		return -1;
	svc_hex(h, PST_TLOG_HASH, hex);
	sqlite3_bind_int64(q, 1, k1);
	if (!s->entry)
		sqlite3_bind_int64(q, 2, k2);
	sqlite3_bind_text(q, 3, hex, -1, SQLITE_TRANSIENT);
	if (s->entry)
		sqlite3_bind_blob64(q, 4, s->entry, s->entry_len, SQLITE_TRANSIENT);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : fail(s, "log");
	sqlite3_finalize(q);
	return rc;
}

static int sq_leaf_append(void *ctx, uint64_t index, const uint8_t h[PST_TLOG_HASH])
{
	return sq_hash_put(ctx, "INSERT INTO tlog_leaf (idx, hash, entry) VALUES (?1, ?3, ?4)",
			   (int64_t)index, 0, h);
}

static int sq_node_put(void *ctx, unsigned level, uint64_t index, const uint8_t h[PST_TLOG_HASH])
{
	struct sq_store *s = ctx;
	const void *entry = s->entry;
	int rc;
	s->entry = NULL;
	rc = sq_hash_put(s, "INSERT OR IGNORE INTO tlog_node (idx, level, hash)"
			 " VALUES (?1, ?2, ?3)", (int64_t)index, level, h);
	s->entry = entry;
	return rc;
}

static struct pst_tlog_store sq_log_tree(struct pst_store *st)
{
	struct pst_tlog_store t = { st, sq_tree_size, sq_leaf_get, sq_leaf_append, sq_node_get,
				    sq_node_put };
	return t;
}

static int sq_final_add(struct pst_store *st, const char *sub, const char *decision,
			const char *decided_by, const char *att, size_t len, uint64_t *index)
{
	struct sq_store *s = sq(st);
	struct pst_tlog_store t = sq_log_tree(st);
	char now[32], idx[24];
	sqlite3_stmt *q;
	int rc = 0;

	pst_service_now(now);
	if (begin(s) != 0)
		return -1;
	q = prep(s, "SELECT 1 FROM final_decisions WHERE submission = ?", 1, &sub);
	if (!q || sqlite3_step(q) == SQLITE_ROW)
		rc = q ? 1 : -1;
	sqlite3_finalize(q);
	s->entry = att;
	s->entry_len = len;
	if (rc == 0 && pst_tlog_append(&t, (const uint8_t *)att, len, index) != PST_OK)
		rc = -1;
	s->entry = NULL;
	if (rc == 0) {
		const char *a[5] = { sub, decision, decided_by, idx, now };
		snprintf(idx, sizeof(idx), "%llu", (unsigned long long)*index);
		rc = exec_args(s, "INSERT INTO final_decisions (submission, decision, decided_by,"
			       " leaf_index, created) VALUES (?,?,?,?,?)", 5, a);
	}
	return end(s, rc); /* 1: nothing was written */
}

static int sq_final_get(struct pst_store *st, const char *sub, struct pst_final_row *out)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q;
	int rc = 1;

	pthread_mutex_lock(&s->mu);
	q = prep(s, "SELECT decision, decided_by, created, leaf_index FROM final_decisions"
		 " WHERE submission = ?", 1, &sub);
	if (!q)
		rc = -1;
	else if (sqlite3_step(q) == SQLITE_ROW) {
		col(q, 0, out->decision, sizeof(out->decision));
		col(q, 1, out->decided_by, sizeof(out->decided_by));
		col(q, 2, out->created, sizeof(out->created));
		out->leaf_index = sqlite3_column_int64(q, 3);
		rc = 0;
	}
	sqlite3_finalize(q);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int sq_waiver_add(struct pst_store *st, const struct pst_waiver_row *w, int64_t *id)
{
	struct sq_store *s = sq(st);
	char now[32], tok[24];
	const char *a[9] = { w->tenant, w->product, w->rule, w->location, w->justification,
			     w->expires, w->submission, tok, now };
	int rc;

	pst_service_now(now);
	snprintf(tok, sizeof(tok), "%lld", (long long)w->token_id);
	if (begin(s) != 0)
		return -1;
	rc = exec_args(s, "INSERT INTO waivers (tenant, product, rule, location, justification,"
		       " expires, submission, token_id, created) VALUES (?,?,?,?,?,?,?,?,?)", 9, a);
	*id = sqlite3_last_insert_rowid(s->db);
	return end(s, rc);
}

static int sq_waivers(struct pst_store *st, const char *tenant, const char *product,
		      const char *today, pst_waiver_cb cb, void *ctx)
{
	struct sq_store *s = sq(st);
	const char *a[3] = { tenant, product, today };
	struct pst_waiver_row w;
	sqlite3_stmt *q;

	pthread_mutex_lock(&s->mu);
	q = prep(s, "SELECT id, tenant, product, rule, location, justification, expires,"
		 " submission, token_id, created FROM waivers WHERE tenant = ?1 AND product = ?2"
		 " AND (?3 IS NULL OR expires >= ?3) ORDER BY id", 3, a);
	while (q && sqlite3_step(q) == SQLITE_ROW) {
		w.id = sqlite3_column_int64(q, 0);
		col(q, 1, w.tenant, sizeof(w.tenant));
		col(q, 2, w.product, sizeof(w.product));
		col(q, 3, w.rule, sizeof(w.rule));
		col(q, 4, w.location, sizeof(w.location));
		col(q, 5, w.justification, sizeof(w.justification));
		col(q, 6, w.expires, sizeof(w.expires));
		col(q, 7, w.submission, sizeof(w.submission));
		w.token_id = sqlite3_column_int64(q, 8);
		col(q, 9, w.created, sizeof(w.created));
		cb(&w, ctx);
	}
	sqlite3_finalize(q);
	pthread_mutex_unlock(&s->mu);
	return q ? 0 : -1;
}

static int sq_sub_by_sha(struct pst_store *st, const char *sha256, const char *tenant,
			 struct pst_sub_row *out)
{
	struct sq_store *s = sq(st);
	const char *a[2] = { sha256, tenant };
	sqlite3_stmt *q;
	int rc = 1;

	pthread_mutex_lock(&s->mu);
	q = prep(s, SUB_COLS "LEFT JOIN final_decisions f ON f.submission = s.id"
		 " WHERE s.sha256 = ?1 AND (?2 IS NULL OR s.tenant = ?2)"
		 " ORDER BY f.leaf_index IS NULL, f.leaf_index DESC, s.rowid DESC LIMIT 1", 2, a);
	if (!q)
		rc = -1;
	else if (sqlite3_step(q) == SQLITE_ROW) {
		sub_row(q, out);
		rc = 0;
	}
	sqlite3_finalize(q);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int sq_log_entry(struct pst_store *st, uint64_t index, char **data, size_t *len)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q;
	int rc;

	*data = NULL;
	*len = 0;
	pthread_mutex_lock(&s->mu);
	q = prep(s, "SELECT entry FROM tlog_leaf WHERE idx = ?", 0, NULL);
	if (q)
		sqlite3_bind_int64(q, 1, (int64_t)index);
	rc = bytes_of(q, data, len);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int sq_log_find(struct pst_store *st, const char *leaf_hex, uint64_t *index)
{
	struct sq_store *s = sq(st);
	sqlite3_stmt *q;
	int rc = 1;

	pthread_mutex_lock(&s->mu);
	q = prep(s, "SELECT idx FROM tlog_leaf WHERE hash = ? ORDER BY idx LIMIT 1", 1, &leaf_hex);
	if (!q)
		rc = -1;
	else if (sqlite3_step(q) == SQLITE_ROW) {
		*index = (uint64_t)sqlite3_column_int64(q, 0);
		rc = 0;
	}
	sqlite3_finalize(q);
	pthread_mutex_unlock(&s->mu);
	return rc;
}

/* ---- schema 4: automatic approvals to log, web sessions ---- */

static int sq_pass_undecided(struct pst_store *st, pst_sub_cb cb, void *ctx)
{
	struct sq_store *s = sq(st);
	struct pst_sub_row r;
	sqlite3_stmt *q;

	pthread_mutex_lock(&s->mu);
	q = prep(s, SUB_COLS "WHERE j.status = 'done' AND j.verdict = 'pass' AND NOT EXISTS"
		 " (SELECT 1 FROM final_decisions f WHERE f.submission = s.id)"
		 " ORDER BY s.rowid LIMIT 100", 0, NULL);
	while (q && sqlite3_step(q) == SQLITE_ROW) {
		sub_row(q, &r);
		cb(&r, ctx);
	}
	sqlite3_finalize(q);
	pthread_mutex_unlock(&s->mu);
	return q ? 0 : -1;
}

static int sq_session_add(struct pst_store *st, const char *hash, int64_t token_id,
			  const char *csrf, double expires, int keep)
{
	struct sq_store *s = sq(st);
	char now[32], tok[24], exp[32], clock[32], keeps[16];
	const char *a[5] = { hash, tok, csrf, exp, now };
	const char *old[3] = { clock, tok, keeps };
	int rc;

	pst_service_now(now);
	snprintf(tok, sizeof(tok), "%lld", (long long)token_id);
	snprintf(exp, sizeof(exp), "%.3f", expires);
	snprintf(clock, sizeof(clock), "%.3f", pst_service_clock());
	snprintf(keeps, sizeof(keeps), "%d", keep > 1 ? keep - 1 : 0);
	if (begin(s) != 0)
		return -1;
	rc = exec_args(s, "DELETE FROM web_sessions WHERE expires < CAST(?1 AS REAL) OR"
		       " (token_id = CAST(?2 AS INTEGER) AND hash NOT IN (SELECT hash FROM"
		       " web_sessions WHERE token_id = CAST(?2 AS INTEGER)"
		       " ORDER BY expires DESC LIMIT CAST(?3 AS INTEGER)))", 3, old);
	if (rc == 0)
		rc = exec_args(s, "INSERT INTO web_sessions (hash, token_id, csrf, expires,"
			       " created) VALUES (?,?,?,CAST(? AS REAL),?)", 5, a);
	return end(s, rc);
}

static int sq_session_get(struct pst_store *st, const char *hash, struct pst_token_row *tok,
			  char csrf[65])
{
	struct sq_store *s = sq(st);
	char clock[32];
	const char *a[2] = { hash, clock };
	sqlite3_stmt *q;

	snprintf(clock, sizeof(clock), "%.3f", pst_service_clock());
	pthread_mutex_lock(&s->mu);
	q = prep(s, TOKEN_SEL ", w.csrf FROM web_sessions w JOIN tokens t ON t.id = w.token_id"
		 " WHERE w.hash = ?1 AND w.expires >= CAST(?2 AS REAL)", 2, a);
	return token_one(s, q, tok, csrf);
}

static int sq_session_del(struct pst_store *st, const char *hash)
{
	struct sq_store *s = sq(st);
	int rc;

	if (begin(s) != 0)
		return -1;
	rc = exec_args(s, "DELETE FROM web_sessions WHERE hash = ?", 1, &hash);
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		rc = 1;
	return end(s, rc);
}

static const struct pst_store_ops sqlite_ops = {
	.engine = "sqlite",
	.close = sq_close,
	.token_add = sq_token_add,
	.token_find = sq_token_find,
	.token_get = sq_token_get,
	.token_list = sq_token_list,
	.token_revoke = sq_token_revoke,
	.audit_add = sq_audit_add,
	.audit_verify = sq_audit_verify,
	.audit_list = sq_audit_list,
	.sub_add = sq_sub_add,
	.sub_get = sq_sub_get,
	.report_get = sq_report_get,
	.products = sq_products,
	.versions = sq_versions,
	.job_lease = sq_job_lease,
	.job_heartbeat = sq_job_heartbeat,
	.job_done = sq_job_done,
	.job_fail = sq_job_fail,
	.stats = sq_stats,
	.report_put = sq_report_put,
	/* blob_put, blob_get, keys_get, keys_put: NULL, blobs and keys are
	 * files under the data directory */
	.decision_add = sq_decision_add,
	.decisions = sq_decisions,
	.final_add = sq_final_add,
	.final_get = sq_final_get,
	.waiver_add = sq_waiver_add,
	.waivers = sq_waivers,
	.sub_by_sha = sq_sub_by_sha,
	.log_entry = sq_log_entry,
	.log_find = sq_log_find,
	.log_tree = sq_log_tree,
	.job_progress = sq_job_progress,
	.pass_undecided = sq_pass_undecided,
	.session_add = sq_session_add,
	.session_get = sq_session_get,
	.session_del = sq_session_del,
};

struct pst_store *pst_store_sqlite_open(const char *path, char *err, size_t errlen)
{
	struct sq_store *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->base.ops = &sqlite_ops;
	{
		pthread_mutexattr_t ma;
		pthread_mutexattr_init(&ma);
		pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
		pthread_mutex_init(&s->mu, &ma);
		pthread_mutexattr_destroy(&ma);
	}
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
			 s->db ? sqlite3_errmsg(s->db) : "cannot open");
		goto bad;
	}
	/* WAL: the HTTP server reads while workers write; a busy writer is
	 * waited for, not an error. */
	sqlite3_busy_timeout(s->db, 30000);
	if (exec(s, "PRAGMA journal_mode = WAL") != 0 || exec(s, "PRAGMA foreign_keys = ON") != 0 ||
	    exec(s, "PRAGMA synchronous = NORMAL") != 0 || migrate(s) != 0) {
		snprintf(err, errlen, "%s: %s", path, s->base.err);
		goto bad;
	}
	return &s->base;
bad:
	sq_close(&s->base);
	return NULL;
}
