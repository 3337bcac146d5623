/*
 * store_pg.c - the store engine for more than one machine: PostgreSQL
 * through libpq. Rows, the queue and the images themselves (large objects,
 * streamed in 1 MiB chunks with lo_write/lo_read, so no image is ever held
 * in memory whole) live in the database, so a worker anywhere needs only
 * the database URL. Leases take the oldest runnable job with
 * `FOR UPDATE SKIP LOCKED` (workers never wait on each other's rows) and
 * use the database's clock, so workers on machines whose clocks differ
 * still agree on when a lease expired. The audit chain is appended under a
 * table lock and hashed by the same pst_audit_hash as SQLite's. One
 * connection per process, shared by the HTTP threads under a mutex; blobs
 * use a connection of their own so a long upload blocks no request.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libpq-fe.h>
#include <libpq/libpq-fs.h>
#include "dynlib.h"
#include "schema.h"
#include "svc.h"

/* The libpq functions the store calls; libpq is opened by the first
 * pst_store_pg_open, so a process with a SQLite store never maps it. */
#define PQ_FUNCS(X)                                                                     \
	X(PQclear) X(PQcmdTuples) X(PQconnectdb) X(PQerrorMessage) X(PQexec)             \
	X(PQexecParams) X(PQfinish) X(PQgetisnull) X(PQgetlength) X(PQgetvalue)          \
	X(PQntuples) X(PQreset) X(PQresultStatus) X(PQsetNoticeProcessor) X(PQstatus)    \
	X(lo_creat) X(lo_open) X(lo_write) X(lo_read) X(lo_close)
struct pq_fns {
	PQ_FUNCS(PST_DYNLIB_FN)
};
#define PQ_SYM(f) PST_DYNLIB_SYM(struct pq_fns, f)
static const struct pst_dynsym pq_syms[] = { PQ_FUNCS(PQ_SYM) };
static struct pq_fns pq;
static struct pst_dynlib pq_lib = PST_DYNLIB(PST_LIBPQ_SONAME, pq_syms, pq);

#define PG_CHUNK (1u << 20)
/* pg_advisory_xact_lock key for migrations: processes that start together
 * (serve and its workers) apply them one at a time. */
#define PG_MIGRATE_LOCK "7370656"
#define PG_NOW "extract(epoch FROM clock_timestamp())"

struct pg_store {
	struct pst_store base;
	PGconn *conn;
	pthread_mutex_t mu;	/* recursive: the log's reads run inside final_add too */
	char *conninfo;
	const char *entry;	/* the log entry final_add is appending */
	size_t entry_len;
};

static struct pg_store *pg(struct pst_store *st)
{
	return (struct pg_store *)st;
}

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static int fail_conn(struct pst_store *st, PGconn *c, const char *what)
{
	const char *m = c ? pq.PQerrorMessage(c) : "no connection";
	size_t n;
	snprintf(st->err, sizeof(st->err), "%s: %s", what, m);
	n = strlen(st->err);
	if (n && st->err[n - 1] == '\n')
		st->err[n - 1] = 0;
	return -1;
}

static PGconn *connect_to(struct pst_store *st, const char *conninfo)
{
	PGconn *c = pq.PQconnectdb(conninfo);
	if (!c || pq.PQstatus(c) != CONNECTION_OK) {
		fail_conn(st, c, "connect");
		pq.PQfinish(c);
		return NULL;
	}
	pq.PQsetNoticeProcessor(c, quiet, NULL); /* "already exists, skipping" is not news */
	return c;
}

/* Runs sql with n text parameters (NULL is SQL NULL) on c; the result or
 * NULL after recording the error. */
static PGresult *run_on(struct pst_store *st, PGconn *c, const char *sql, int n,
			const char *const *args)
{
	PGresult *r = pq.PQexecParams(c, sql, n, NULL, args, NULL, NULL, 0);
	ExecStatusType t = pq.PQresultStatus(r);
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
		fail_conn(st, c, "query");
		pq.PQclear(r);
		return NULL;
	}
	return r;
}

static PGresult *run(struct pg_store *s, const char *sql, int n, const char *const *args)
{
	return run_on(&s->base, s->conn, sql, n, args);
}

/* A statement without rows: 0, or -1; *changed gets the rows it touched. */
static int cmd(struct pg_store *s, const char *sql, int n, const char *const *args, long *changed)
{
	PGresult *r = run(s, sql, n, args);
	if (!r)
		return -1;
	if (changed)
		*changed = strtol(pq.PQcmdTuples(r), NULL, 10);
	pq.PQclear(r);
	return 0;
}

static void val(const PGresult *r, int col, char *out, size_t len)
{
	snprintf(out, len, "%s", pq.PQgetisnull(r, 0, col) ? "" : pq.PQgetvalue(r, 0, col));
}

static void lock(struct pg_store *s)
{
	pthread_mutex_lock(&s->mu);
	/* the server restarted or the network blinked: one fresh try */
	if (pq.PQstatus(s->conn) != CONNECTION_OK)
		pq.PQreset(s->conn);
}

static void unlock(struct pg_store *s)
{
	pthread_mutex_unlock(&s->mu);
}

static int begin(struct pg_store *s)
{
	lock(s);
	if (cmd(s, "BEGIN", 0, NULL, NULL) != 0) {
		unlock(s);
		return -1;
	}
	return 0;
}

static int end(struct pg_store *s, int rc)
{
	if (rc < 0)
		cmd(s, "ROLLBACK", 0, NULL, NULL);
	else if (cmd(s, "COMMIT", 0, NULL, NULL) != 0)
		rc = -1;
	unlock(s);
	return rc;
}

static int apply(struct pg_store *s, const char *sql)
{
	PGresult *r = pq.PQexec(s->conn, sql);
	int rc = pq.PQresultStatus(r) == PGRES_COMMAND_OK ? 0 :
		 fail_conn(&s->base, s->conn, "migrate");
	pq.PQclear(r);
	return rc;
}

static int migrate(struct pg_store *s)
{
	const struct pst_migration *m;
	PGresult *r;
	int have = 0, rc;

	if (begin(s) != 0)
		return -1;
	rc = apply(s, "SELECT pg_advisory_xact_lock(" PG_MIGRATE_LOCK ");"
		      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
	r = rc == 0 ? run(s, "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL) :
		      NULL;
	if (r)
		have = atoi(pq.PQgetvalue(r, 0, 0));
	pq.PQclear(r);
	if (!r)
		return end(s, -1);
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
		rc = apply(s, m->postgres);
		if (rc == 0)
			rc = cmd(s, "INSERT INTO schema_version (version) VALUES ($1::integer)", 1,
				 a, NULL);
	}
	return end(s, rc);
}

static void pg_close(struct pst_store *st)
{
	if (!st)
		return;
	pq.PQfinish(pg(st)->conn);
	pthread_mutex_destroy(&pg(st)->mu);
	free(pg(st)->conninfo);
	free(st);
}

static int pg_token_add(struct pst_store *st, const char *hash, enum pst_role role,
			const char *tenant, const char *name, const char *person, int64_t *id)
{
	struct pg_store *s = pg(st);
	char now[32];
	const char *a[6] = { hash, pst_role_str(role), tenant, name, now, person };
	PGresult *r;

	pst_service_now(now);
	lock(s);
	r = run(s,
		"INSERT INTO tokens (hash, role, tenant, name, created, person)"
		" VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
		6, a);
	if (r)
		*id = strtoll(pq.PQgetvalue(r, 0, 0), NULL, 10);
	pq.PQclear(r);
	unlock(s);
	return r ? 0 : -1;
}

static void token_row(const PGresult *r, struct pst_token_row *t, int i)
{
	int p = pst_role_parse(pq.PQgetvalue(r, i, 1));
	t->id = strtoll(pq.PQgetvalue(r, i, 0), NULL, 10);
	t->role = (enum pst_role)(p < 0 ? 0 : p);
	snprintf(t->tenant, sizeof(t->tenant), "%s", pq.PQgetvalue(r, i, 2));
	snprintf(t->name, sizeof(t->name), "%s", pq.PQgetvalue(r, i, 3));
	snprintf(t->created, sizeof(t->created), "%s", pq.PQgetvalue(r, i, 4));
	t->revoked = !pq.PQgetisnull(r, i, 5);
	snprintf(t->person, sizeof(t->person), "%s", pq.PQgetvalue(r, i, 6));
}

#define TOKEN_SEL "SELECT t.id, t.role, t.tenant, t.name, t.created, t.revoked," \
	" coalesce(t.person, t.name)"
#define TOKEN_COLS TOKEN_SEL " FROM tokens t "

/* The one token row sql selects with its n parameters, and with csrf its
 * eighth column (a web session's form secret): 0, 1 none, -1. */
static int token_one(struct pg_store *s, const char *sql, int n, const char *const *a,
		     struct pst_token_row *out, char *csrf)
{
	PGresult *r;
	int rc;

	lock(s);
	r = run(s, sql, n, a);
	rc = !r ? -1 : pq.PQntuples(r) ? 0 : 1;
	if (rc == 0)
		token_row(r, out, 0);
	if (rc == 0 && csrf)
		snprintf(csrf, 65, "%s", pq.PQgetvalue(r, 0, 7));
	pq.PQclear(r);
	unlock(s);
	return rc;
}

static int pg_token_find(struct pst_store *st, const char *hash, struct pst_token_row *out)
{
	return token_one(pg(st), TOKEN_COLS "WHERE t.hash = $1", 1, &hash, out, NULL);
}

static int pg_token_get(struct pst_store *st, int64_t id, struct pst_token_row *out)
{
	char ids[24];
	const char *a[1] = { ids };

	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	return token_one(pg(st), TOKEN_COLS "WHERE t.id = $1::bigint", 1, a, out, NULL);
}

static int pg_token_list(struct pst_store *st, pst_token_cb cb, void *ctx)
{
	struct pg_store *s = pg(st);
	struct pst_token_row t;
	PGresult *r;
	int i;

	lock(s);
	r = run(s, TOKEN_COLS "ORDER BY t.id", 0, NULL);
	unlock(s);
	for (i = 0; r && i < pq.PQntuples(r); i++) {
		token_row(r, &t, i);
		cb(&t, ctx);
	}
	pq.PQclear(r);
	return r ? 0 : -1;
}

static int pg_token_revoke(struct pst_store *st, int64_t id)
{
	struct pg_store *s = pg(st);
	char now[32], ids[24];
	const char *a[2] = { now, ids };
	long n = 0;
	int rc;

	pst_service_now(now);
	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	lock(s);
	rc = cmd(s, "UPDATE tokens SET revoked = $1 WHERE id = $2::bigint AND revoked IS NULL", 2,
		 a, &n);
	unlock(s);
	return rc == 0 && n == 0 ? 1 : rc;
}

static int pg_audit_add(struct pst_store *st, const char *actor, const char *action,
			const char *object, const char *detail)
{
	struct pg_store *s = pg(st);
	char prev[65] = "", at[32], hash[65], seqs[24];
	int64_t seq = 1;
	PGresult *r;
	int rc;

	if (begin(s) != 0)
		return -1;
	/* one appender at a time across every process: the chain has no forks */
	rc = cmd(s, "LOCK TABLE audit IN EXCLUSIVE MODE", 0, NULL, NULL);
	r = rc == 0 ? run(s, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", 0, NULL) :
		      NULL;
	if (r && pq.PQntuples(r)) {
		seq = strtoll(pq.PQgetvalue(r, 0, 0), NULL, 10) + 1;
		val(r, 1, prev, sizeof(prev));
	}
	if (!r)
		rc = -1;
	pq.PQclear(r);
	if (!prev[0])
		memset(prev, '0', 64);
	pst_service_now(at);
	pst_audit_hash(prev, seq, at, actor, action, object, detail, hash);
	snprintf(seqs, sizeof(seqs), "%lld", (long long)seq);
	if (rc == 0) {
		const char *a[8] = { seqs, at, actor, action, object, detail, prev, hash };
		rc = cmd(s,
			 "INSERT INTO audit (seq, at, actor, action, object, detail, prev, hash)"
			 " VALUES ($1::bigint,$2,$3,$4,$5,$6,$7,$8)",
			 8, a, NULL);
	}
	return end(s, rc);
}

static int pg_audit_verify(struct pst_store *st, int64_t *n, int64_t *bad)
{
	struct pg_store *s = pg(st);
	struct pst_audit_walk w;
	PGresult *r;
	int rc = 0, i, k;

	pst_audit_walk_init(&w);
	*bad = 0;
	lock(s);
	r = run(s,
		"SELECT seq, at, actor, action, object, detail, prev, hash FROM audit ORDER BY seq",
		0, NULL);
	unlock(s);
	if (!r)
		return -1;
	for (i = 0; rc == 0 && i < pq.PQntuples(r); i++) {
		const char *f[5];
		for (k = 0; k < 5; k++)
			f[k] = pq.PQgetvalue(r, i, k + 1);
		rc = pst_audit_walk_row(&w, strtoll(pq.PQgetvalue(r, i, 0), NULL, 10), f,
					pq.PQgetvalue(r, i, 6), pq.PQgetvalue(r, i, 7), bad);
	}
	pq.PQclear(r);
	*n = w.n;
	return rc;
}

static int pg_audit_list(struct pst_store *st, const char *a, const char *b, pst_audit_cb cb,
			 void *ctx)
{
	struct pg_store *s = pg(st);
	const char *args[2] = { a, b };
	PGresult *r;
	int i, k;

	lock(s);
	r = run(s,
		"SELECT seq, at, actor, action, object, detail FROM audit"
		" WHERE object = $1 OR object = $2 ORDER BY seq",
		2, args);
	unlock(s);
	if (!r)
		return -1;
	for (i = 0; i < pq.PQntuples(r); i++) {
		const char *f[5];
		for (k = 0; k < 5; k++)
			f[k] = pq.PQgetvalue(r, i, k + 1);
		cb(strtoll(pq.PQgetvalue(r, i, 0), NULL, 10), f, ctx);
	}
	pq.PQclear(r);
	return 0;
}

static int pg_sub_add(struct pst_store *st, const struct pst_sub_row *r, uint64_t size,
		      int *deduped)
{
	struct pg_store *s = pg(st);
	char now[32], sz[24], tok[24];
	long n = 0;
	int rc;

	pst_service_now(now);
	snprintf(sz, sizeof(sz), "%llu", (unsigned long long)size);
	snprintf(tok, sizeof(tok), "%lld", (long long)r->token_id);
	if (begin(s) != 0)
		return -1;
	{
		const char *a[3] = { r->sha256, sz, now };
		rc = cmd(s,
			 "INSERT INTO blobs (sha256, size, created) VALUES ($1, $2::bigint, $3)"
			 " ON CONFLICT (sha256) DO NOTHING",
			 3, a, NULL);
	}
	if (rc == 0) {
		const char *a[5] = { r->job_key, r->sha256, r->filename, now, r->policy };
		rc = cmd(s,
			 "INSERT INTO jobs (key, sha256, filename, status, created, policy)"
			 " VALUES ($1,$2,$3,'queued',$4,$5) ON CONFLICT (key) DO NOTHING",
			 5, a, &n);
		*deduped = n == 0;
	}
	if (rc == 0) {
		const char *a[9] = { r->id,     r->tenant,  r->product, r->version, r->filename,
				     r->sha256, r->job_key, tok,        now };
		rc = cmd(s,
			 "INSERT INTO submissions (id, tenant, product, version, filename, sha256,"
			 " job_key, token_id, created) VALUES ($1,$2,$3,$4,$5,$6,$7,$8::bigint,$9)",
			 9, a, NULL);
	}
	return end(s, rc);
}

#define SUB_COLS                                                                                   \
	"SELECT s.id, s.tenant, s.product, s.version, s.filename, s.sha256, s.job_key,"            \
	" j.status, coalesce(j.verdict, ''), coalesce(j.error, ''), s.created,"                    \
	" coalesce(j.finished, ''), s.token_id, coalesce(j.progress, 0)"                          \
	" FROM submissions s JOIN jobs j ON j.key = s.job_key "

static void sub_row(const PGresult *q, int i, struct pst_sub_row *r)
{
	char *f[12] = { r->id,      r->tenant, r->product, r->version, r->filename, r->sha256,
			r->job_key, r->status, r->verdict, r->error,   r->created,  r->finished };
	size_t len[12] = { sizeof(r->id),      sizeof(r->tenant),   sizeof(r->product),
			   sizeof(r->version), sizeof(r->filename), sizeof(r->sha256),
			   sizeof(r->job_key), sizeof(r->status),   sizeof(r->verdict),
			   sizeof(r->error),   sizeof(r->created),  sizeof(r->finished) };
	int c;
	for (c = 0; c < 12; c++)
		snprintf(f[c], len[c], "%s", pq.PQgetvalue(q, i, c));
	r->token_id = strtoll(pq.PQgetvalue(q, i, 12), NULL, 10);
	r->progress = strtod(pq.PQgetvalue(q, i, 13), NULL);
}

static int pg_sub_get(struct pst_store *st, const char *id, const char *tenant,
		      struct pst_sub_row *out)
{
	struct pg_store *s = pg(st);
	const char *a[2] = { id, tenant };
	PGresult *r;
	int rc;

	lock(s);
	r = run(s, SUB_COLS "WHERE s.id = $1 AND ($2::text IS NULL OR s.tenant = $2)", 2, a);
	unlock(s);
	rc = !r ? -1 : pq.PQntuples(r) ? 0 : 1;
	if (rc == 0)
		sub_row(r, 0, out);
	pq.PQclear(r);
	return rc;
}

/* The first column of the row sql selects, as bytes (a binary result: no
 * hex to decode), malloc'd with a NUL after them; 1 when there is no row. */
static int bytes_of(struct pg_store *s, const char *sql, int n, const char *const *a,
		    char **data, size_t *len)
{
	PGresult *r;
	int rc = 1;

	*data = NULL;
	*len = 0;
	lock(s);
	r = pq.PQexecParams(s->conn, sql, n, NULL, a, NULL, NULL, 1);
	if (pq.PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = fail_conn(&s->base, s->conn, "read");
	unlock(s);
	if (rc == 1 && pq.PQntuples(r)) {
		size_t k = (size_t)pq.PQgetlength(r, 0, 0);
		*data = malloc(k + 1);
		rc = *data ? 0 : -1;
		if (*data) {
			memcpy(*data, pq.PQgetvalue(r, 0, 0), k);
			(*data)[k] = 0;
			*len = k;
		}
	}
	pq.PQclear(r);
	return rc;
}

static int pg_report_get(struct pst_store *st, const char *key, const char *format, char **data,
			 size_t *len)
{
	const char *a[2] = { key, format };
	return bytes_of(pg(st), "SELECT body FROM reports WHERE job_key = $1 AND format = $2", 2, a,
			data, len);
}

static int pg_products(struct pst_store *st, const char *tenant, pst_product_cb cb, void *ctx)
{
	struct pg_store *s = pg(st);
	PGresult *r;
	int i;

	lock(s);
	/* COLLATE "C": byte order, as SQLite sorts, whatever the cluster's locale */
	r = run(s,
		"SELECT product, count(DISTINCT version) FROM submissions"
		" WHERE $1::text IS NULL OR tenant = $1 GROUP BY product ORDER BY product COLLATE "
		"\"C\"",
		1, &tenant);
	unlock(s);
	for (i = 0; r && i < pq.PQntuples(r); i++)
		cb(pq.PQgetvalue(r, i, 0), strtoll(pq.PQgetvalue(r, i, 1), NULL, 10), ctx);
	pq.PQclear(r);
	return r ? 0 : -1;
}

static int pg_versions(struct pst_store *st, const char *tenant, const char *product, pst_sub_cb cb,
		       void *ctx)
{
	struct pg_store *s = pg(st);
	const char *a[2] = { tenant, product };
	struct pst_sub_row row;
	PGresult *r;
	int i;

	lock(s);
	r = run(s,
		SUB_COLS "WHERE ($1::text IS NULL OR s.tenant = $1) AND s.product = $2"
			 " ORDER BY s.created, s.n",
		2, a);
	unlock(s);
	for (i = 0; r && i < pq.PQntuples(r); i++) {
		sub_row(r, i, &row);
		cb(&row, ctx);
	}
	i = !r ? -1 : pq.PQntuples(r) ? 0 : 1;
	pq.PQclear(r);
	return i;
}

/* Inside the lease's transaction: the picked job ends (its worker died
 * with it every time) or is taken for lease seconds. */
static int lease_take(struct pg_store *s, const char *worker, double lease, int max_attempts,
		      struct pst_job_row *out, int *dead)
{
	char now[32], secs[32];
	if (out->attempts >= max_attempts) {
		const char *a[2] = { now, out->key };
		pst_service_now(now);
		*dead = 1;
		return cmd(s,
			   "UPDATE jobs SET status = 'error', error = 'the scan ended its worker"
			   " on every attempt (lease expired)', worker = NULL, finished = $1"
			   " WHERE key = $2",
			   2, a, NULL);
	}
	snprintf(secs, sizeof(secs), "%.6f", lease);
	{
		const char *a[3] = { worker, secs, out->key };
		out->attempts++;
		return cmd(s,
			   "UPDATE jobs SET status = 'running', attempts = attempts + 1, worker = "
			   "$1,"
			   " lease_until = " PG_NOW " + $2::float8, heartbeat = " PG_NOW
			   " WHERE key = $3",
			   3, a, NULL);
	}
}

static int pg_job_lease(struct pst_store *st, const char *worker, double lease, int max_attempts,
			struct pst_job_row *out, int *dead)
{
	struct pg_store *s = pg(st);
	PGresult *r;
	int rc = 1;

	*dead = 0;
	out->policy = NULL;
	if (begin(s) != 0)
		return -1;
	/* SKIP LOCKED: a job another worker is taking right now is not waited
	 * for; the next one is taken instead */
	r = run(s,
		"SELECT key, sha256, filename, attempts, policy FROM jobs WHERE status = 'queued'"
		" OR (status = 'running' AND lease_until < " PG_NOW ")"
		" ORDER BY n LIMIT 1 FOR UPDATE SKIP LOCKED",
		0, NULL);
	if (!r)
		rc = -1;
	else if (pq.PQntuples(r)) {
		val(r, 0, out->key, sizeof(out->key));
		val(r, 1, out->sha256, sizeof(out->sha256));
		val(r, 2, out->filename, sizeof(out->filename));
		out->attempts = atoi(pq.PQgetvalue(r, 0, 3));
		out->policy = pq.PQgetisnull(r, 0, 4) ? NULL : strdup(pq.PQgetvalue(r, 0, 4));
		rc = 0;
	}
	pq.PQclear(r);
	if (rc == 0)
		rc = lease_take(s, worker, lease, max_attempts, out, dead);
	return end(s, rc);
}

static int pg_job_heartbeat(struct pst_store *st, const char *key, const char *worker, double lease)
{
	struct pg_store *s = pg(st);
	char secs[32];
	const char *a[3] = { secs, key, worker };
	long n = 0;
	int rc;

	snprintf(secs, sizeof(secs), "%.6f", lease);
	lock(s);
	rc = cmd(s,
		 "UPDATE jobs SET lease_until = " PG_NOW " + $1::float8, heartbeat = " PG_NOW
		 " WHERE key = $2 AND worker = $3 AND status = 'running'",
		 3, a, &n);
	unlock(s);
	return rc == 0 && n == 0 ? 1 : rc;
}

static int pg_job_progress(struct pst_store *st, const char *key, const char *worker,
			   double progress)
{
	struct pg_store *s = pg(st);
	char p[32];
	const char *a[3] = { p, key, worker };
	long n = 0;
	int rc;

	snprintf(p, sizeof(p), "%.4f", progress);
	lock(s);
	rc = cmd(s,
		 "UPDATE jobs SET progress = $1::float8 WHERE key = $2 AND worker = $3"
		 " AND status = 'running'",
		 3, a, &n);
	unlock(s);
	return rc == 0 && n == 0 ? 1 : rc;
}

static int put_report(struct pg_store *s, const char *key, const struct pst_report_body *b)
{
	const char *v[3] = { key, b->format, b->data };
	int lens[3] = { 0, 0, (int)b->len };
	int fmts[3] = { 0, 0, 1 };
	PGresult *r;
	int rc = 0;

	if (b->len > 0x7fffffff) {
		snprintf(s->base.err, sizeof(s->base.err), "report %s is over 2 GiB", b->format);
		return -1;
	}
	r = pq.PQexecParams(s->conn,
			    "INSERT INTO reports (job_key, format, body) VALUES ($1, $2, $3)"
			    " ON CONFLICT (job_key, format) DO UPDATE SET body = excluded.body",
			    3, NULL, v, lens, fmts, 0);
	if (pq.PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = fail_conn(&s->base, s->conn, "report");
	pq.PQclear(r);
	return rc;
}

static int pg_report_put(struct pst_store *st, const char *key, const char *format,
			 const char *data, size_t len)
{
	struct pg_store *s = pg(st);
	struct pst_report_body b = { format, data, len };
	int rc;
	lock(s);
	rc = put_report(s, key, &b);
	unlock(s);
	return rc;
}

static int pg_job_done(struct pst_store *st, const char *key, const char *worker,
		       const char *verdict, double seconds, const struct pst_report_body *r,
		       size_t nr)
{
	struct pg_store *s = pg(st);
	char now[32], secs[32];
	const char *a[5] = { verdict, secs, now, key, worker };
	size_t i;
	long n = 0;
	int rc;

	pst_service_now(now);
	snprintf(secs, sizeof(secs), "%.6f", seconds);
	if (begin(s) != 0)
		return -1;
	rc = cmd(s,
		 "UPDATE jobs SET status = 'done', verdict = $1, seconds = $2::float8, finished = "
		 "$3,"
		 " lease_until = NULL, error = NULL WHERE key = $4 AND worker = $5 AND status = "
		 "'running'",
		 5, a, &n);
	if (rc == 0 && n == 0)
		rc = 1; /* the lease was lost: another worker owns the job now */
	for (i = 0; rc == 0 && i < nr; i++)
		rc = put_report(s, key, &r[i]);
	return end(s, rc);
}

static int pg_job_fail(struct pst_store *st, const char *key, const char *worker,
		       const char *reason, int final)
{
	struct pg_store *s = pg(st);
	char now[32];
	const char *a[4] = { reason, now, key, worker };
	int rc;

	pst_service_now(now);
	lock(s);
	if (final)
		rc = cmd(s,
			 "UPDATE jobs SET status = 'error', error = $1, finished = $2,"
			 " lease_until = NULL WHERE key = $3 AND worker = $4",
			 4, a, NULL);
	else
		rc = cmd(s,
			 "UPDATE jobs SET status = 'queued', error = $1, lease_until = NULL,"
			 " worker = NULL WHERE key = $3 AND worker = $4 AND $2::text IS NOT NULL",
			 4, a, NULL);
	unlock(s);
	return rc;
}

static void stats_rows(PGresult *const r[3], struct pst_store_stats *o)
{
	static const char *const states[4] = { "queued", "running", "done", "error" };
	static const double le[5] = { 1, 5, 15, 60, 300 };
	int i, k;

	for (i = 0; i < pq.PQntuples(r[0]); i++)
		for (k = 0; k < 4; k++)
			if (strcmp(pq.PQgetvalue(r[0], i, 0), states[k]) == 0)
				o->jobs[k] = strtoll(pq.PQgetvalue(r[0], i, 1), NULL, 10);
	for (i = 0; i < pq.PQntuples(r[1]); i++) {
		double v = strtod(pq.PQgetvalue(r[1], i, 0), NULL);
		o->seconds_sum += v;
		for (k = 0; k < 5; k++)
			if (v <= le[k])
				o->seconds_le[k]++;
		o->seconds_le[5]++;
	}
	o->submissions = strtoll(pq.PQgetvalue(r[2], 0, 0), NULL, 10);
	o->last_heartbeat = strtod(pq.PQgetvalue(r[2], 0, 1), NULL);
	o->workers_busy = strtoll(pq.PQgetvalue(r[2], 0, 2), NULL, 10);
}

static int pg_stats(struct pst_store *st, struct pst_store_stats *o)
{
	struct pg_store *s = pg(st);
	PGresult *r[3];
	int rc, i;

	memset(o, 0, sizeof(*o));
	lock(s);
	r[0] = run(s, "SELECT status, count(*) FROM jobs GROUP BY status", 0, NULL);
	r[1] = run(s, "SELECT seconds FROM jobs WHERE status = 'done' AND seconds IS NOT NULL", 0,
		   NULL);
	r[2] = run(s,
		   "SELECT (SELECT count(*) FROM submissions), coalesce((SELECT max(heartbeat) FROM"
		   " jobs WHERE status = 'running'), 0), (SELECT count(DISTINCT worker) FROM jobs"
		   " WHERE status = 'running')",
		   0, NULL);
	unlock(s);
	rc = r[0] && r[1] && r[2] ? 0 : -1;
	if (rc == 0)
		stats_rows(r, o);
	for (i = 0; i < 3; i++)
		pq.PQclear(r[i]);
	return rc;
}

/* ---- blobs: large objects, each on a connection of its own ---- */

/* Copies fd (from offset 0, size bytes) into a new large object. */
static int lo_from_fd(struct pst_store *st, PGconn *c, int fd, uint64_t size, Oid *oid)
{
	char *buf = malloc(PG_CHUNK);
	uint64_t off = 0;
	int lo = -1, rc = -1;

	*oid = buf ? pq.lo_creat(c, INV_READ | INV_WRITE) : InvalidOid;
	if (*oid != InvalidOid)
		lo = pq.lo_open(c, *oid, INV_WRITE);
	while (lo >= 0 && off < size) {
		size_t want = size - off < PG_CHUNK ? (size_t)(size - off) : PG_CHUNK;
		ssize_t n = pread(fd, buf, want, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || pq.lo_write(c, lo, buf, (size_t)n) != (int)n)
			break;
		off += (uint64_t)n;
	}
	if (lo >= 0 && off == size && pq.lo_close(c, lo) == 0)
		rc = 0;
	free(buf);
	return rc == 0 ? 0 : fail_conn(st, c, "blob write");
}

static int pg_blob_put(struct pst_store *st, const char *sha256, int fd, uint64_t size)
{
	PGconn *c = connect_to(st, pg(st)->conninfo);
	PGresult *r = NULL;
	char now[32], sz[24], oids[16];
	Oid oid = InvalidOid;
	int rc = -1;

	if (!c || !(r = run_on(st, c, "BEGIN", 0, NULL)))
		goto out;
	pq.PQclear(r);
	r = run_on(st, c, "SELECT 1 FROM blobs WHERE sha256 = $1 AND lo IS NOT NULL", 1, &sha256);
	if (r && pq.PQntuples(r)) {
		rc = 1; /* the same bytes are stored already: keep that copy */
		goto out;
	}
	if (!r || lo_from_fd(st, c, fd, size, &oid) != 0)
		goto out;
	pq.PQclear(r);
	pst_service_now(now);
	snprintf(sz, sizeof(sz), "%llu", (unsigned long long)size);
	snprintf(oids, sizeof(oids), "%u", (unsigned)oid);
	{
		const char *a[4] = { sha256, sz, now, oids };
		r = run_on(st, c,
			   "INSERT INTO blobs (sha256, size, created, lo)"
			   " VALUES ($1, $2::bigint, $3, $4::oid) ON CONFLICT (sha256)"
			   " DO UPDATE SET lo = excluded.lo WHERE blobs.lo IS NULL",
			   4, a);
	}
	/* none inserted: another upload of the same bytes won the race, and the
	 * rollback below drops this copy */
	rc = !r ? -1 : strcmp(pq.PQcmdTuples(r), "1") == 0 ? 0 : 1;
out:
	pq.PQclear(r);
	if (c) {
		r = pq.PQexec(c, rc == 0 ? "COMMIT" : "ROLLBACK");
		if (rc == 0 && pq.PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = fail_conn(st, c, "blob commit");
		pq.PQclear(r);
	}
	pq.PQfinish(c);
	return rc < 0 ? -1 : 0;
}

/* Streams a large object into fd, calling tick after each chunk. */
static int lo_to_fd(struct pst_store *st, PGconn *c, Oid oid, int fd, void (*tick)(void *),
		    void *ctx)
{
	char *buf = malloc(PG_CHUNK);
	int lo = buf ? pq.lo_open(c, oid, INV_READ) : -1, n = 0;

	while (lo >= 0 && (n = pq.lo_read(c, lo, buf, PG_CHUNK)) > 0) {
		size_t done = 0;
		while (done < (size_t)n) {
			ssize_t w = write(fd, buf + done, (size_t)n - done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			done += (size_t)w;
		}
		if (done < (size_t)n) {
			n = -1;
			break;
		}
		if (tick)
			tick(ctx);
	}
	free(buf);
	if (lo < 0 || n < 0)
		return fail_conn(st, c, "blob read");
	pq.lo_close(c, lo);
	return 0;
}

static int pg_blob_get(struct pst_store *st, const char *sha256, int fd, void (*tick)(void *),
		       void *ctx)
{
	PGconn *c = connect_to(st, pg(st)->conninfo);
	PGresult *r = NULL;
	int rc = -1;

	if (!c || !(r = run_on(st, c, "BEGIN", 0, NULL)))
		goto out;
	pq.PQclear(r);
	r = run_on(st, c, "SELECT lo FROM blobs WHERE sha256 = $1 AND lo IS NOT NULL", 1, &sha256);
	if (r && pq.PQntuples(r) == 0) {
		snprintf(st->err, sizeof(st->err), "no blob %s", sha256);
		rc = 1;
	} else if (r) {
		rc = lo_to_fd(st, c, (Oid)strtoul(pq.PQgetvalue(r, 0, 0), NULL, 10), fd, tick,
			      ctx);
	}
out:
	pq.PQclear(r);
	pq.PQfinish(c); /* ends the read-only transaction */
	return rc;
}

/* ---- the service's signing key pair, for workers that have no files ---- */

static int pg_keys_get(struct pst_store *st, char **secret, char **pub)
{
	struct pg_store *s = pg(st);
	PGresult *r;
	int rc;

	*secret = *pub = NULL;
	lock(s);
	r = run(s, "SELECT secret, public FROM service_keys WHERE id = 1", 0, NULL);
	unlock(s);
	rc = !r ? -1 : pq.PQntuples(r) ? 0 : 1;
	if (rc == 0) {
		*secret = strdup(pq.PQgetvalue(r, 0, 0));
		*pub = strdup(pq.PQgetvalue(r, 0, 1));
		if (!*secret || !*pub) {
			free(*secret);
			free(*pub);
			*secret = *pub = NULL;
			rc = -1;
		}
	}
	pq.PQclear(r);
	return rc;
}

static int pg_keys_put(struct pst_store *st, const char *secret, const char *pub)
{
	struct pg_store *s = pg(st);
	char now[32];
	const char *a[3] = { secret, pub, now };
	int rc;

	pst_service_now(now);
	lock(s);
	/* the first pair stored is the service's; a racing second one is dropped */
	rc = cmd(s,
		 "INSERT INTO service_keys (id, secret, public, created) VALUES (1, $1, $2, $3)"
		 " ON CONFLICT (id) DO NOTHING",
		 3, a, NULL);
	unlock(s);
	return rc;
}

/* ---- the review workflow ---- */

static int pg_decision_add(struct pst_store *st, const char *sub, const struct pst_decision_row *d)
{
	struct pg_store *s = pg(st);
	char now[32], tok[24];
	const char *a[6] = { sub, tok, d->role, d->decision, d->justification, now };
	int rc;

	pst_service_now(now);
	snprintf(tok, sizeof(tok), "%lld", (long long)d->token_id);
	lock(s);
	rc = cmd(s, "INSERT INTO decisions (submission, token_id, role, decision, justification,"
		 " created) VALUES ($1, $2::bigint, $3, $4, $5, $6)", 6, a, NULL);
	unlock(s);
	return rc;
}

/* Runs a query under the lock; the rows, or NULL after an error. */
static PGresult *query(struct pg_store *s, const char *sql, int n, const char *const *args)
{
	PGresult *r;
	lock(s);
	r = run(s, sql, n, args);
	unlock(s);
	return r;
}

static int pg_decisions(struct pst_store *st, const char *sub, pst_decision_cb cb, void *ctx)
{
	struct pst_decision_row d;
	/* with the token's person (a token of unknown id: its own person) */
	PGresult *r = query(pg(st), "SELECT d.token_id, d.role, d.decision, d.justification,"
			    " d.created, coalesce(t.person, t.name, 'token/' || d.token_id)"
			    " FROM decisions d LEFT JOIN tokens t ON t.id = d.token_id"
			    " WHERE d.submission = $1 ORDER BY d.seq", 1, &sub);
	int i;

	for (i = 0; r && i < pq.PQntuples(r); i++) {
		d.token_id = strtoll(pq.PQgetvalue(r, i, 0), NULL, 10);
		snprintf(d.role, sizeof(d.role), "%s", pq.PQgetvalue(r, i, 1));
		snprintf(d.decision, sizeof(d.decision), "%s", pq.PQgetvalue(r, i, 2));
		snprintf(d.justification, sizeof(d.justification), "%s", pq.PQgetvalue(r, i, 3));
		snprintf(d.created, sizeof(d.created), "%s", pq.PQgetvalue(r, i, 4));
		snprintf(d.person, sizeof(d.person), "%s", pq.PQgetvalue(r, i, 5));
		cb(&d, ctx);
	}
	pq.PQclear(r);
	return r ? 0 : -1;
}

/* The tree over tlog_leaf and tlog_node; the mutex is recursive, so these
 * run alone (a proof) or inside final_add's transaction (an append). */
static int pg_tree_size(void *ctx, uint64_t *n)
{
	PGresult *r = query(ctx, "SELECT count(*) FROM tlog_leaf", 0, NULL);
	if (r && pq.PQntuples(r))
		*n = strtoull(pq.PQgetvalue(r, 0, 0), NULL, 10);
	pq.PQclear(r);
	return r ? 0 : -1;
}

/* A hash (hex) of the row sql selects with keys k1, k2: 1, 0 none, -1. */
static int pg_hash_get(struct pg_store *s, const char *sql, uint64_t k1, unsigned k2, int n,
		       uint8_t out[PST_TLOG_HASH])
{
	char a1[24], a2[16];
	const char *a[2] = { a1, a2 };
	PGresult *r;
	int rc;

	snprintf(a1, sizeof(a1), "%llu", (unsigned long long)k1);
	snprintf(a2, sizeof(a2), "%u", k2);
	r = query(s, sql, n, a);
	rc = !r ? -1 : !pq.PQntuples(r) ? 0 :
	     svc_unhex(pq.PQgetvalue(r, 0, 0), out, PST_TLOG_HASH) == 0 ? 1 : -1;
	pq.PQclear(r);
	return rc;
}

static int pg_leaf_get(void *ctx, uint64_t index, uint8_t out[PST_TLOG_HASH])
{
	return pg_hash_get(ctx, "SELECT hash FROM tlog_leaf WHERE idx = $1::bigint", index, 0, 1,
			   out) == 1 ? 0 : -1;
}

static int pg_node_get(void *ctx, unsigned level, uint64_t index, uint8_t out[PST_TLOG_HASH])
{
	return pg_hash_get(ctx, "SELECT hash FROM tlog_node WHERE idx = $1::bigint AND"
			   " level = $2::integer", index, level, 2, out);
}

static int pg_leaf_append(void *ctx, uint64_t index, const uint8_t h[PST_TLOG_HASH])
{
	struct pg_store *s = ctx;
	char idx[24], hex[2 * PST_TLOG_HASH + 1];
	const char *a[3] = { idx, hex, s->entry };
	int lens[3] = { 0, 0, (int)s->entry_len }, fmts[3] = { 0, 0, 1 };
	PGresult *r;
	int rc;

	snprintf(idx, sizeof(idx), "%llu", (unsigned long long)index);
	svc_hex(h, PST_TLOG_HASH, hex);
	r = pq.PQexecParams(s->conn, "INSERT INTO tlog_leaf (idx, hash, entry)"
			    " VALUES ($1::bigint, $2, $3::bytea)", 3, NULL, a, lens, fmts, 0);
	rc = pq.PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail_conn(&s->base, s->conn, "log");
	pq.PQclear(r);
	return rc;
}

static int pg_node_put(void *ctx, unsigned level, uint64_t index, const uint8_t h[PST_TLOG_HASH])
{
	char idx[24], lv[16], hex[2 * PST_TLOG_HASH + 1];
	const char *a[3] = { idx, lv, hex };

	snprintf(idx, sizeof(idx), "%llu", (unsigned long long)index);
	snprintf(lv, sizeof(lv), "%u", level);
	svc_hex(h, PST_TLOG_HASH, hex);
	return cmd(ctx, "INSERT INTO tlog_node (idx, level, hash) VALUES ($1::bigint,"
		   " $2::integer, $3) ON CONFLICT DO NOTHING", 3, a, NULL);
}

static struct pst_tlog_store pg_log_tree(struct pst_store *st)
{
	struct pst_tlog_store t = { st, pg_tree_size, pg_leaf_get, pg_leaf_append, pg_node_get,
				    pg_node_put };
	return t;
}

static int pg_final_add(struct pst_store *st, const char *sub, const char *decision,
			const char *decided_by, const char *att, size_t len, uint64_t *index)
{
	struct pg_store *s = pg(st);
	struct pst_tlog_store t = pg_log_tree(st);
	char now[32], idx[24];
	PGresult *r;
	int rc;

	pst_service_now(now);
	if (begin(s) != 0)
		return -1;
	/* one appender at a time across every process: the log has no forks */
	rc = cmd(s, "LOCK TABLE tlog_leaf IN EXCLUSIVE MODE", 0, NULL, NULL);
	r = rc == 0 ? run(s, "SELECT 1 FROM final_decisions WHERE submission = $1", 1, &sub) :
		      NULL;
	rc = !r ? -1 : pq.PQntuples(r) ? 1 : 0;
	pq.PQclear(r);
	s->entry = att;
	s->entry_len = len;
	if (rc == 0 && pst_tlog_append(&t, (const uint8_t *)att, len, index) != PST_OK)
		rc = -1;
	s->entry = NULL;
	if (rc == 0) {
		const char *a[5] = { sub, decision, decided_by, idx, now };
		snprintf(idx, sizeof(idx), "%llu", (unsigned long long)*index);
		rc = cmd(s, "INSERT INTO final_decisions (submission, decision, decided_by,"
			 " leaf_index, created) VALUES ($1, $2, $3, $4::bigint, $5)", 5, a, NULL);
	}
	return end(s, rc); /* 1: nothing was written */
}

static int pg_final_get(struct pst_store *st, const char *sub, struct pst_final_row *out)
{
	PGresult *r = query(pg(st), "SELECT decision, decided_by, created, leaf_index FROM"
			    " final_decisions WHERE submission = $1", 1, &sub);
	int rc = !r ? -1 : pq.PQntuples(r) ? 0 : 1;

	if (rc == 0) {
		val(r, 0, out->decision, sizeof(out->decision));
		val(r, 1, out->decided_by, sizeof(out->decided_by));
		val(r, 2, out->created, sizeof(out->created));
		out->leaf_index = strtoll(pq.PQgetvalue(r, 0, 3), NULL, 10);
	}
	pq.PQclear(r);
	return rc;
}

static int pg_waiver_add(struct pst_store *st, const struct pst_waiver_row *w, int64_t *id)
{
	char now[32], tok[24];
	const char *a[9] = { w->tenant, w->product, w->rule, w->location, w->justification,
			     w->expires, w->submission, tok, now };
	PGresult *r;

	pst_service_now(now);
	snprintf(tok, sizeof(tok), "%lld", (long long)w->token_id);
	r = query(pg(st), "INSERT INTO waivers (tenant, product, rule, location, justification,"
		  " expires, submission, token_id, created) VALUES ($1,$2,$3,$4,$5,$6,$7,"
		  "$8::bigint,$9) RETURNING id", 9, a);
	if (r && pq.PQntuples(r))
		*id = strtoll(pq.PQgetvalue(r, 0, 0), NULL, 10);
	pq.PQclear(r);
	return r ? 0 : -1;
}

static int pg_waivers(struct pst_store *st, const char *tenant, const char *product,
		      const char *today, pst_waiver_cb cb, void *ctx)
{
	const char *a[3] = { tenant, product, today };
	struct pst_waiver_row w;
	PGresult *r = query(pg(st), "SELECT id, tenant, product, rule, location, justification,"
			    " expires, submission, token_id, created FROM waivers WHERE tenant = $1"
			    " AND product = $2 AND ($3::text IS NULL OR expires >= $3) ORDER BY id",
			    3, a);
	char *f[9] = { w.tenant, w.product, w.rule, w.location, w.justification, w.expires,
		       w.submission, NULL, w.created };
	size_t len[9] = { sizeof(w.tenant), sizeof(w.product), sizeof(w.rule), sizeof(w.location),
			  sizeof(w.justification), sizeof(w.expires), sizeof(w.submission), 0,
			  sizeof(w.created) };
	int i, c;

	for (i = 0; r && i < pq.PQntuples(r); i++) {
		w.id = strtoll(pq.PQgetvalue(r, i, 0), NULL, 10);
		for (c = 0; c < 9; c++)
			if (f[c])
				snprintf(f[c], len[c], "%s", pq.PQgetvalue(r, i, c + 1));
		w.token_id = strtoll(pq.PQgetvalue(r, i, 8), NULL, 10);
		cb(&w, ctx);
	}
	pq.PQclear(r);
	return r ? 0 : -1;
}

static int pg_sub_by_sha(struct pst_store *st, const char *sha256, const char *tenant,
			 struct pst_sub_row *out)
{
	const char *a[2] = { sha256, tenant };
	PGresult *r = query(pg(st), SUB_COLS "LEFT JOIN final_decisions f ON f.submission = s.id"
			    " WHERE s.sha256 = $1 AND ($2::text IS NULL OR s.tenant = $2)"
			    " ORDER BY f.leaf_index IS NULL, f.leaf_index DESC, s.n DESC LIMIT 1",
			    2, a);
	int rc = !r ? -1 : pq.PQntuples(r) ? 0 : 1;

	if (rc == 0)
		sub_row(r, 0, out);
	pq.PQclear(r);
	return rc;
}

static int pg_log_entry(struct pst_store *st, uint64_t index, char **data, size_t *len)
{
	char idx[24];
	const char *a[1] = { idx };

	snprintf(idx, sizeof(idx), "%llu", (unsigned long long)index);
	return bytes_of(pg(st), "SELECT entry FROM tlog_leaf WHERE idx = $1::bigint", 1, a, data,
			len);
}

static int pg_log_find(struct pst_store *st, const char *leaf_hex, uint64_t *index)
{
	PGresult *r = query(pg(st), "SELECT idx FROM tlog_leaf WHERE hash = $1 ORDER BY idx"
			    " LIMIT 1", 1, &leaf_hex);
	int rc = !r ? -1 : pq.PQntuples(r) ? 0 : 1;

	if (rc == 0)
		*index = strtoull(pq.PQgetvalue(r, 0, 0), NULL, 10);
	pq.PQclear(r);
	return rc;
}

/* ---- schema 4: automatic approvals to log, web sessions ---- */

static int pg_pass_undecided(struct pst_store *st, pst_sub_cb cb, void *ctx)
{
	struct pst_sub_row row;
	PGresult *r = query(pg(st), SUB_COLS "WHERE j.status = 'done' AND j.verdict = 'pass'"
			    " AND NOT EXISTS (SELECT 1 FROM final_decisions f"
			    " WHERE f.submission = s.id) ORDER BY s.n LIMIT 100", 0, NULL);
	int i;

	for (i = 0; r && i < pq.PQntuples(r); i++) {
		sub_row(r, i, &row);
		cb(&row, ctx);
	}
	pq.PQclear(r);
	return r ? 0 : -1;
}

static int pg_session_add(struct pst_store *st, const char *hash, int64_t token_id,
			  const char *csrf, double expires, int keep)
{
	struct pg_store *s = pg(st);
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
	/* expires is serve's clock (web.c), so it is compared with serve's
	 * clock, not the database server's */
	rc = cmd(s, "DELETE FROM web_sessions WHERE expires < $1::double precision OR"
		 " (token_id = $2::bigint AND hash NOT IN (SELECT hash FROM web_sessions"
		 " WHERE token_id = $2::bigint ORDER BY expires DESC LIMIT $3::integer))",
		 3, old, NULL);
	if (rc == 0)
		rc = cmd(s, "INSERT INTO web_sessions (hash, token_id, csrf, expires, created)"
			 " VALUES ($1, $2::bigint, $3, $4::double precision, $5)", 5, a, NULL);
	return end(s, rc);
}

static int pg_session_get(struct pst_store *st, const char *hash, struct pst_token_row *tok,
			  char csrf[65])
{
	char clock[32];
	const char *a[2] = { hash, clock };

	snprintf(clock, sizeof(clock), "%.3f", pst_service_clock());
	return token_one(pg(st), TOKEN_SEL ", w.csrf FROM web_sessions w JOIN tokens t"
			 " ON t.id = w.token_id WHERE w.hash = $1"
			 " AND w.expires >= $2::double precision", 2, a, tok, csrf);
}

static int pg_session_del(struct pst_store *st, const char *hash)
{
	struct pg_store *s = pg(st);
	long n = 0;
	int rc;

	lock(s);
	rc = cmd(s, "DELETE FROM web_sessions WHERE hash = $1", 1, &hash, &n);
	unlock(s);
	return rc == 0 && n == 0 ? 1 : rc;
}

static const struct pst_store_ops pg_ops = {
	.engine = "postgresql",
	.close = pg_close,
	.token_add = pg_token_add,
	.token_find = pg_token_find,
	.token_get = pg_token_get,
	.token_list = pg_token_list,
	.token_revoke = pg_token_revoke,
	.audit_add = pg_audit_add,
	.audit_verify = pg_audit_verify,
	.audit_list = pg_audit_list,
	.sub_add = pg_sub_add,
	.sub_get = pg_sub_get,
	.report_get = pg_report_get,
	.products = pg_products,
	.versions = pg_versions,
	.job_lease = pg_job_lease,
	.job_heartbeat = pg_job_heartbeat,
	.job_done = pg_job_done,
	.job_fail = pg_job_fail,
	.stats = pg_stats,
	.report_put = pg_report_put,
	.blob_put = pg_blob_put,
	.blob_get = pg_blob_get,
	.keys_get = pg_keys_get,
	.keys_put = pg_keys_put,
	.decision_add = pg_decision_add,
	.decisions = pg_decisions,
	.final_add = pg_final_add,
	.final_get = pg_final_get,
	.waiver_add = pg_waiver_add,
	.waivers = pg_waivers,
	.sub_by_sha = pg_sub_by_sha,
	.log_entry = pg_log_entry,
	.log_find = pg_log_find,
	.log_tree = pg_log_tree,
	.job_progress = pg_job_progress,
	.pass_undecided = pg_pass_undecided,
	.session_add = pg_session_add,
	.session_get = pg_session_get,
	.session_del = pg_session_del,
};

int pst_store_is_pg_url(const char *url)
{
	return url &&
	       (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0);
}

struct pst_store *pst_store_pg_open(const char *url, char *err, size_t errlen)
{
	struct pg_store *s;

	if (!pst_dynlib_load(&pq_lib)) {
		snprintf(err, errlen, "postgresql: %s", pst_dynlib_error(&pq_lib));
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->conninfo = strdup(url))) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->base.ops = &pg_ops;
	{
		pthread_mutexattr_t ma;
		pthread_mutexattr_init(&ma);
		pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
		pthread_mutex_init(&s->mu, &ma);
		pthread_mutexattr_destroy(&ma);
	}
	s->conn = connect_to(&s->base, url);
	if (!s->conn || migrate(s) != 0) {
		snprintf(err, errlen, "postgresql: %s", s->base.err);
		pg_close(&s->base);
		return NULL;
	}
	return &s->base;
}
