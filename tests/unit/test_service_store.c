/*
 * test_service_store.c - the service's store through its interface, on both
 * engines: SQLite (src/service/store_sqlite.c) and PostgreSQL
 * (src/service/store_pg.c, on a throwaway cluster that
 * tests/tools/pg_cluster.sh starts in a temporary directory, on a Unix socket
 * only, and stops at the end; skipped with a message when there is no
 * PostgreSQL server or no user to run it). The same cases run on each:
 * migrations applied once, tokens found by hash and revoked, the audit chain
 * verified and a forged row found, submissions deduplicated by job key and
 * scoped by tenant, and the queue's leases: one worker per job, a lost lease
 * stores nothing, an expired lease runs the job again, and the third expiry
 * ends it as error. PostgreSQL's own: a job row another transaction holds is
 * skipped, not waited for (SKIP LOCKED); images round-trip as large objects;
 * the first signing key pair stored stays the service's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include "store.h"
#include "schema.h"

static char dir[] = "/tmp/pst-store-XXXXXX";
static char dbpath[256];
static char pgdir[] = "/tmp/pst-pg-XXXXXX";
static char pgurl[512];

/* What a case needs of an engine besides the interface: open it, and run
 * SQL behind its back (to forge rows, count migrations). */
struct engine {
	struct pst_store *(*open)(char *err, size_t len);
	int (*raw)(const char *sql);     /* 0 when it ran */
	long (*scalar)(const char *sql); /* first column of the first row */
	const char *drop_update_trigger;
};

static struct pst_store *sq_open(char *err, size_t len)
{
	return pst_store_sqlite_open(dbpath, err, len);
}

static int sq_raw(const char *sql)
{
	sqlite3 *db;
	int rc;
	if (sqlite3_open(dbpath, &db) != SQLITE_OK)
		return -1;
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	sqlite3_close(db);
	return rc;
}

static long sq_scalar(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q = NULL;
	long v = -1;
	if (sqlite3_open(dbpath, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

static struct pst_store *pg_open(char *err, size_t len)
{
	return pst_store_pg_open(pgurl, err, len);
}

static PGresult *pg_exec(PGconn **c, const char *sql)
{
	*c = PQconnectdb(pgurl);
	return PQstatus(*c) == CONNECTION_OK ? PQexec(*c, sql) : NULL;
}

static int pg_raw(const char *sql)
{
	PGconn *c;
	PGresult *r = pg_exec(&c, sql);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK ? 0 :
												 -1;
	PQclear(r);
	PQfinish(c);
	return rc;
}

static long pg_scalar(const char *sql)
{
	PGconn *c;
	PGresult *r = pg_exec(&c, sql);
	long v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) ? atol(PQgetvalue(r, 0, 0)) :
									-1;
	PQclear(r);
	PQfinish(c);
	return v;
}

static const struct engine sqlite_engine = { sq_open, sq_raw, sq_scalar,
					     "DROP TRIGGER audit_no_update" };
static const struct engine pg_engine = { pg_open, pg_raw, pg_scalar,
					 "DROP TRIGGER audit_no_change ON audit" };
static const struct engine *eng;

static struct pst_store *open_store(void)
{
	char err[256];
	struct pst_store *st = eng->open(err, sizeof(err));
	if (!st)
		fail_msg("%s", err);
	return st;
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/pst-store-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(dbpath, sizeof(dbpath), "%s/postern.db", dir);
	/* each case on an empty database: drop what the last one made */
	if (eng == &pg_engine)
		assert_int_equal(pg_raw("SET client_min_messages = warning;"
					"DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
					"SELECT lo_unlink(oid) FROM pg_largeobject_metadata"),
				 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_migrations_once(void **state)
{
	struct pst_store *st = open_store();
	char err[256];
	(void)state;
	st->ops->close(st);
	st = open_store(); /* a second open applies nothing twice */
	st->ops->close(st);
	assert_int_equal(eng->scalar("SELECT count(*) FROM schema_version"), pst_schema_version);
	assert_int_equal(eng->scalar("SELECT max(version) FROM schema_version"),
			 pst_schema_version);
	/* a store newer than the binary is refused */
	assert_int_equal(eng->raw("INSERT INTO schema_version VALUES (99)"), 0);
	assert_null(eng->open(err, sizeof(err)));
	assert_non_null(strstr(err, "newer"));
}

static void test_tokens(void **state)
{
	struct pst_store *st = open_store();
	struct pst_token_row t;
	int64_t id;
	(void)state;
	assert_int_equal(st->ops->token_add(st, "h1", PST_ROLE_REVIEWER, "acme", "rev", "ann", &id),
			 0);
	assert_int_equal(st->ops->token_find(st, "h1", &t), 0);
	assert_int_equal(t.role, PST_ROLE_REVIEWER);
	assert_string_equal(t.tenant, "acme");
	assert_string_equal(t.person, "ann");
	assert_false(t.revoked);
	/* by id, as four eyes reads a submitter's; an unknown id is 1 */
	memset(&t, 0, sizeof(t));
	assert_int_equal(st->ops->token_get(st, id, &t), 0);
	assert_string_equal(t.name, "rev");
	assert_string_equal(t.person, "ann");
	assert_int_equal(st->ops->token_get(st, id + 100, &t), 1);
	assert_int_equal(st->ops->token_find(st, "h2", &t), 1);
	assert_int_equal(st->ops->token_revoke(st, id), 0);
	assert_int_equal(st->ops->token_revoke(st, id), 1); /* once */
	assert_int_equal(st->ops->token_find(st, "h1", &t), 0);
	assert_true(t.revoked);
	st->ops->close(st);
}

static void test_audit_chain(void **state)
{
	struct pst_store *st = open_store();
	char forge[200];
	int64_t n, bad;
	(void)state;
	assert_int_equal(st->ops->audit_add(st, "a", "x.one", "o1", "d1"), 0);
	assert_int_equal(st->ops->audit_add(st, "a", "x.two", "o2", "d2"), 0);
	assert_int_equal(st->ops->audit_add(st, "a", "x.three", "o3", "d3"), 0);
	assert_int_equal(st->ops->audit_verify(st, &n, &bad), 0);
	assert_int_equal(n, 3);
	/* append-only: the triggers refuse; with them dropped a forged row is found */
	assert_int_not_equal(eng->raw("UPDATE audit SET detail = 'x'"), 0);
	assert_int_not_equal(eng->raw("DELETE FROM audit"), 0);
	snprintf(forge, sizeof(forge), "%s; UPDATE audit SET object = 'o9' WHERE seq = 2",
		 eng->drop_update_trigger);
	assert_int_equal(eng->raw(forge), 0);
	assert_int_equal(st->ops->audit_verify(st, &n, &bad), 1);
	assert_int_equal(bad, 2);
	assert_int_equal(n, 1);
	st->ops->close(st);
}

static void sub(struct pst_sub_row *s, const char *id, const char *tenant, const char *key)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->id, id);
	strcpy(s->tenant, tenant);
	strcpy(s->product, "router");
	strcpy(s->version, "1");
	strcpy(s->filename, "fw.bin");
	memset(s->sha256, 'a', 64);
	strcpy(s->job_key, key);
	s->token_id = 1;
}

static void test_dedupe_and_tenants(void **state)
{
	struct pst_store *st = open_store();
	struct pst_sub_row s, g;
	int dd;
	(void)state;
	sub(&s, "s1", "acme", "k1");
	assert_int_equal(st->ops->sub_add(st, &s, 10, &dd), 0);
	assert_int_equal(dd, 0);
	sub(&s, "s2", "other", "k1");
	assert_int_equal(st->ops->sub_add(st, &s, 10, &dd), 0);
	assert_int_equal(dd, 1);
	assert_int_equal(st->ops->sub_get(st, "s1", "acme", &g), 0);
	assert_string_equal(g.status, "queued");
	assert_int_equal(st->ops->sub_get(st, "s1", "other", &g), 1);
	assert_int_equal(st->ops->sub_get(st, "s1", NULL, &g), 0);
	st->ops->close(st);
}

static void test_leases(void **state)
{
	struct pst_store *st = open_store();
	struct pst_sub_row s, g;
	struct pst_job_row j, j2;
	struct pst_report_body r = { "json", "{}", 2 };
	int dd, dead, i;
	(void)state;
	sub(&s, "s1", "acme", "k1");
	assert_int_equal(st->ops->sub_add(st, &s, 10, &dd), 0);
	assert_int_equal(st->ops->job_lease(st, "w1", 60, 3, &j, &dead), 0);
	assert_int_equal(j.attempts, 1);
	assert_int_equal(st->ops->job_lease(st, "w2", 60, 3, &j2, &dead), 1); /* held */
	assert_int_equal(st->ops->job_heartbeat(st, "k1", "w1", 60), 0);
	assert_int_equal(st->ops->job_heartbeat(st, "k1", "w2", 60), 1);
	/* progress: the holder's is stored and read back, another's is not */
	assert_int_equal(st->ops->sub_get(st, "s1", NULL, &g), 0);
	assert_true(g.progress == 0);
	assert_int_equal(st->ops->job_progress(st, "k1", "w1", 0.25), 0);
	assert_int_equal(st->ops->job_progress(st, "k1", "w2", 0.5), 1);
	assert_int_equal(st->ops->sub_get(st, "s1", NULL, &g), 0);
	assert_true(g.progress > 0.2499 && g.progress < 0.2501);
	/* w2 never held it: its result is not stored */
	assert_int_equal(st->ops->job_done(st, "k1", "w2", "pass", 1, &r, 1), 1);
	assert_int_equal(st->ops->job_done(st, "k1", "w1", "review", 1, &r, 1), 0);
	assert_int_equal(st->ops->sub_get(st, "s1", NULL, &g), 0);
	assert_string_equal(g.status, "done");
	assert_string_equal(g.verdict, "review");

	/* a job whose leases all expire: attempts 1, 2, 3, then error */
	sub(&s, "s2", "acme", "k2");
	assert_int_equal(st->ops->sub_add(st, &s, 10, &dd), 0);
	for (i = 1; i <= 3; i++) {
		assert_int_equal(st->ops->job_lease(st, "w", 0.01, 3, &j, &dead), 0);
		assert_int_equal(dead, 0);
		assert_int_equal(j.attempts, i);
		usleep(30000);
	}
	assert_int_equal(st->ops->job_lease(st, "w", 0.01, 3, &j, &dead), 0);
	assert_int_equal(dead, 1);
	assert_int_equal(st->ops->sub_get(st, "s2", NULL, &g), 0);
	assert_string_equal(g.status, "error");
	assert_int_equal(st->ops->job_lease(st, "w", 0.01, 3, &j, &dead), 1);

	/* a failed attempt goes back to the queue; a final one ends it */
	sub(&s, "s3", "acme", "k3");
	assert_int_equal(st->ops->sub_add(st, &s, 10, &dd), 0);
	assert_int_equal(st->ops->job_lease(st, "w", 60, 3, &j, &dead), 0);
	assert_int_equal(st->ops->job_fail(st, "k3", "w", "crashed", 0), 0);
	assert_int_equal(st->ops->sub_get(st, "s3", NULL, &g), 0);
	assert_string_equal(g.status, "queued");
	assert_int_equal(st->ops->job_lease(st, "w", 60, 3, &j, &dead), 0);
	assert_int_equal(j.attempts, 2);
	assert_int_equal(st->ops->job_fail(st, "k3", "w", "cannot scan", 1), 0);
	assert_int_equal(st->ops->sub_get(st, "s3", NULL, &g), 0);
	assert_string_equal(g.status, "error");
	assert_string_equal(g.error, "cannot scan");
	st->ops->close(st);
}

/* A job row another transaction holds (a worker in the middle of taking
 * it) is skipped, not waited for: the lease returns the next job at once. */
static void test_pg_skip_locked(void **state)
{
	/* a lease that waited on the row would fail after 3 s, not hang */
	char url[600], err[256];
	struct pst_store *st;
	struct pst_sub_row s;
	struct pst_job_row j;
	PGconn *c;
	PGresult *r;
	int dd, dead;
	(void)state;
	snprintf(url, sizeof(url), "%s&options=-clock_timeout%%3D3000", pgurl);
	st = pst_store_pg_open(url, err, sizeof(err));
	assert_non_null(st);
	sub(&s, "s1", "acme", "k1");
	assert_int_equal(st->ops->sub_add(st, &s, 10, &dd), 0);
	sub(&s, "s2", "acme", "k2");
	memset(s.sha256, 'b', 64);
	assert_int_equal(st->ops->sub_add(st, &s, 10, &dd), 0);
	c = PQconnectdb(pgurl);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	r = PQexec(c, "BEGIN; SELECT key FROM jobs WHERE key = 'k1' FOR UPDATE");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
	assert_int_equal(st->ops->job_lease(st, "w1", 60, 3, &j, &dead), 0);
	assert_string_equal(j.key, "k2");
	assert_int_equal(st->ops->job_lease(st, "w2", 60, 3, &j, &dead), 1); /* k1 still held */
	PQclear(PQexec(c, "ROLLBACK"));
	PQfinish(c);
	assert_int_equal(st->ops->job_lease(st, "w2", 60, 3, &j, &dead), 0);
	assert_string_equal(j.key, "k1");
	st->ops->close(st);
}

/* Writes n bytes of a pattern to a fresh temporary file; returns its fd. */
static int pattern_file(size_t n, unsigned char seed)
{
	char path[300];
	unsigned char b[4096];
	size_t i, done;
	int fd;
	snprintf(path, sizeof(path), "%s/pat-XXXXXX", dir);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	for (done = 0; done < n; done += i) {
		for (i = 0; i < sizeof(b) && done + i < n; i++)
			b[i] = (unsigned char)((done + i) * 31 + seed);
		assert_int_equal(write(fd, b, i), (ssize_t)i);
	}
	return fd;
}

static int same_files(int a, int b)
{
	char x[4096], y[4096];
	ssize_t n, m;
	lseek(a, 0, SEEK_SET);
	lseek(b, 0, SEEK_SET);
	do {
		n = read(a, x, sizeof(x));
		m = read(b, y, sizeof(y));
		if (n != m || (n > 0 && memcmp(x, y, (size_t)n) != 0))
			return 0;
	} while (n > 0);
	return 1;
}

static void count_tick(void *ctx) { ++*(int *)ctx; }

/* Images round-trip through large objects (over the 1 MiB chunk, and
 * empty); the first copy of the same digest is kept; an unknown digest is
 * "not found". The reader ticks after every chunk (a worker renews its
 * lease there): four for 3 MiB + 17 bytes. */
static void test_pg_blobs(void **state)
{
	struct pst_store *st = open_store();
	const char *sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	size_t big = (3u << 20) + 17;
	int in = pattern_file(big, 1), other = pattern_file(big, 2), out = pattern_file(0, 0);
	int ticks = 0;
	(void)state;
	assert_int_equal(st->ops->blob_put(st, sha, in, big), 0);
	assert_int_equal(st->ops->blob_put(st, sha, other, big), 0); /* kept, not replaced */
	assert_int_equal(eng->scalar("SELECT count(*) FROM pg_largeobject_metadata"), 1);
	assert_int_equal(st->ops->blob_get(st, sha, out, count_tick, &ticks), 0);
	assert_true(same_files(in, out));
	assert_int_equal(ticks, 4);
	assert_int_equal(eng->scalar("SELECT size FROM blobs"), (long)big);
	assert_int_equal(st->ops->blob_get(st, "ff", out, NULL, NULL), 1);
	close(in);
	close(other);
	close(out);
	in = pattern_file(0, 0);
	out = pattern_file(0, 0);
	assert_int_equal(st->ops->blob_put(st, "e3b0", in, 0), 0);
	assert_int_equal(st->ops->blob_get(st, "e3b0", out, NULL, NULL), 0);
	assert_int_equal(lseek(out, 0, SEEK_END), 0);
	close(in);
	close(out);
	st->ops->close(st);
}

static void test_pg_keys(void **state)
{
	struct pst_store *st = open_store();
	char *sk, *pk;
	(void)state;
	assert_int_equal(st->ops->keys_get(st, &sk, &pk), 1);
	assert_int_equal(st->ops->keys_put(st, "secret-1", "public-1"), 0);
	assert_int_equal(st->ops->keys_put(st, "secret-2", "public-2"), 0);
	assert_int_equal(st->ops->keys_get(st, &sk, &pk), 0);
	assert_string_equal(sk, "secret-1");
	assert_string_equal(pk, "public-1");
	free(sk);
	free(pk);
	st->ops->close(st);
}

/* ---- the review workflow (review.c) ---- */

static void decision_cb(const struct pst_decision_row *d, void *ctx)
{
	char *seen = ctx;
	strcat(seen, d->decision);
	strcat(seen, d->token_id == 7 ? "@7;" : "@?;");
}

static void person_cb(const struct pst_decision_row *d, void *ctx)
{
	strcat(ctx, d->person);
	strcat(ctx, ";");
}

static void waiver_cb(const struct pst_waiver_row *w, void *ctx)
{
	char *seen = ctx;
	strcat(seen, w->rule);
	strcat(seen, ";");
}

/* Decisions in order; a final decision once, its attestation the log's
 * leaf (a second final_add is 1 and appends nothing). */
static void test_decisions_and_final(void **state)
{
	struct pst_store *st = open_store();
	struct pst_decision_row d = { .token_id = 7, .role = "reviewer", .decision = "approve",
					.justification = "because" };
	struct pst_final_row f;
	struct pst_sub_row s;
	char seen[256] = "", *att;
	size_t len;
	uint64_t idx = 99, idx2 = 99;
	int dd;
	(void)state;
	sub(&s, "s1", "acme", "k1");
	assert_int_equal(st->ops->sub_add(st, &s, 10, &dd), 0);
	assert_int_equal(st->ops->decision_add(st, "s1", &d), 0);
	strcpy(d.decision, "reject");
	d.token_id = 8;
	assert_int_equal(st->ops->decision_add(st, "s1", &d), 0);
	assert_int_equal(st->ops->decisions(st, "s1", decision_cb, seen), 0);
	assert_string_equal(seen, "approve@7;reject@?;");
	/* a decision reads back its token's person; a token of unknown id is
	 * its own person */
	{
		int64_t id;
		struct pst_sub_row p;
		assert_int_equal(st->ops->token_add(st, "hp", PST_ROLE_REVIEWER, "acme", "r1", "bo",
						    &id), 0);
		sub(&p, "sp", "acme", "kp");
		assert_int_equal(st->ops->sub_add(st, &p, 10, &dd), 0);
		d.token_id = id;
		assert_int_equal(st->ops->decision_add(st, "sp", &d), 0);
		d.token_id = 4242;
		assert_int_equal(st->ops->decision_add(st, "sp", &d), 0);
		seen[0] = 0;
		assert_int_equal(st->ops->decisions(st, "sp", person_cb, seen), 0);
		assert_string_equal(seen, "bo;token/4242;");
	}
	assert_int_equal(st->ops->final_get(st, "s1", &f), 1);
	assert_int_equal(st->ops->final_add(st, "s1", "rejected", "reviewer", "att-1\n", 6, &idx),
			 0);
	assert_int_equal(idx, 0);
	assert_int_equal(st->ops->final_add(st, "s1", "approved", "admin", "att-2\n", 6, &idx2), 1);
	assert_int_equal(st->ops->final_get(st, "s1", &f), 0);
	assert_string_equal(f.decision, "rejected");
	assert_string_equal(f.decided_by, "reviewer");
	assert_int_equal(f.leaf_index, 0);
	assert_int_equal(st->ops->log_entry(st, 0, &att, &len), 0);
	assert_int_equal(len, 6);
	assert_memory_equal(att, "att-1\n", 6);
	free(att);
	assert_int_equal(st->ops->log_entry(st, 1, &att, &len), 1);
	assert_int_equal(eng->scalar("SELECT count(*) FROM tlog_leaf"), 1);
	st->ops->close(st);
}

/* Appends through final_add give the same roots and proofs as the in-memory
 * tree of tlog.c, and a leaf is found by its hash. */
static void test_log_matches_memory(void **state)
{
	struct pst_store *st = open_store();
	struct pst_tlog_mem *m = pst_tlog_mem_new();
	struct pst_tlog_store mt = pst_tlog_mem_store(m), t;
	struct pst_tlog_proof p1, p2;
	struct pst_sub_row s;
	uint8_t r1[32], r2[32], leaf[32];
	char id[8], key[8], entry[32], hex[65];
	uint64_t i, idx, n;
	int dd, k;
	(void)state;
	t = st->ops->log_tree(st);
	for (i = 0; i < 11; i++) {
		snprintf(id, sizeof(id), "s%llu", (unsigned long long)i);
		snprintf(key, sizeof(key), "k%llu", (unsigned long long)i);
		snprintf(entry, sizeof(entry), "attestation %llu\n", (unsigned long long)i);
		sub(&s, id, "acme", key);
		assert_int_equal(st->ops->sub_add(st, &s, 10, &dd), 0);
		assert_int_equal(st->ops->final_add(st, id, "approved", "reviewer", entry,
						    strlen(entry), &idx), 0);
		assert_int_equal(idx, i);
		assert_int_equal(pst_tlog_append(&mt, (const uint8_t *)entry, strlen(entry), &idx),
				 PST_OK);
	}
	assert_int_equal(t.size(t.ctx, &n), 0);
	assert_int_equal(n, 11);
	for (i = 1; i <= 11; i++) {
		assert_int_equal(pst_tlog_root(&t, i, r1), PST_OK);
		assert_int_equal(pst_tlog_root(&mt, i, r2), PST_OK);
		assert_memory_equal(r1, r2, 32);
		assert_int_equal(pst_tlog_prove_consistency(&t, i, 11, &p1), PST_OK);
		assert_int_equal(pst_tlog_prove_consistency(&mt, i, 11, &p2), PST_OK);
		assert_int_equal(p1.n, p2.n);
		for (k = 0; k < (int)p1.n; k++)
			assert_memory_equal(p1.hash[k], p2.hash[k], 32);
	}
	pst_tlog_leaf_hash((const uint8_t *)"attestation 5\n", 14, leaf);
	for (k = 0; k < 32; k++)
		snprintf(hex + 2 * k, 3, "%02x", leaf[k]);
	assert_int_equal(st->ops->log_find(st, hex, &idx), 0);
	assert_int_equal(idx, 5);
	assert_int_equal(pst_tlog_prove_inclusion(&t, 5, 11, &p1), PST_OK);
	assert_int_equal(pst_tlog_root(&t, 11, r1), PST_OK);
	assert_true(pst_tlog_verify_inclusion(5, 11, leaf, &p1, r1));
	memset(hex, '0', 64);
	assert_int_equal(st->ops->log_find(st, hex, &idx), 1);
	pst_tlog_mem_free(m);
	st->ops->close(st);
}

/* Waivers by tenant and product, the live ones from a date; the gate's
 * submission of some bytes: the latest final decision's, else the newest;
 * a job's policy comes back with its lease. */
static void test_waivers_gate_policy(void **state)
{
	struct pst_store *st = open_store();
	struct pst_waiver_row w = { 0 };
	struct pst_sub_row s, g;
	struct pst_job_row j;
	char seen[256] = "";
	uint64_t idx;
	int64_t id;
	int dd, dead;
	(void)state;
	strcpy(w.tenant, "acme");
	strcpy(w.product, "router");
	strcpy(w.location, "*");
	strcpy(w.justification, "ok");
	strcpy(w.submission, "s1");
	strcpy(w.rule, "old.rule");
	strcpy(w.expires, "2020-01-01");
	assert_int_equal(st->ops->waiver_add(st, &w, &id), 0);
	strcpy(w.rule, "live.rule");
	strcpy(w.expires, "2099-01-01");
	assert_int_equal(st->ops->waiver_add(st, &w, &id), 0);
	strcpy(w.product, "other");
	assert_int_equal(st->ops->waiver_add(st, &w, &id), 0);
	assert_int_equal(st->ops->waivers(st, "acme", "router", NULL, waiver_cb, seen), 0);
	assert_string_equal(seen, "old.rule;live.rule;");
	seen[0] = 0;
	assert_int_equal(st->ops->waivers(st, "acme", "router", "2026-12-06", waiver_cb, seen), 0);
	assert_string_equal(seen, "live.rule;");
	seen[0] = 0;
	assert_int_equal(st->ops->waivers(st, "other", "router", NULL, waiver_cb, seen), 0);
	assert_string_equal(seen, "");

	sub(&s, "s1", "acme", "k1");
	s.policy = "name: x\n";
	assert_int_equal(st->ops->sub_add(st, &s, 10, &dd), 0);
	sub(&s, "s2", "acme", "k2");
	assert_int_equal(st->ops->sub_add(st, &s, 10, &dd), 0);
	assert_int_equal(st->ops->job_lease(st, "w", 60, 3, &j, &dead), 0);
	assert_string_equal(j.key, "k1");
	assert_non_null(j.policy);
	assert_string_equal(j.policy, "name: x\n");
	free(j.policy);
	assert_int_equal(st->ops->job_lease(st, "w", 60, 3, &j, &dead), 0);
	assert_null(j.policy);
	assert_int_equal(st->ops->sub_by_sha(st, s.sha256, NULL, &g), 0);
	assert_string_equal(g.id, "s2"); /* the newest */
	assert_int_equal(st->ops->final_add(st, "s1", "approved", "reviewer", "a\n", 2, &idx), 0);
	assert_int_equal(st->ops->sub_by_sha(st, s.sha256, NULL, &g), 0);
	assert_string_equal(g.id, "s1"); /* the decided one */
	assert_int_equal(st->ops->sub_by_sha(st, s.sha256, "other", &g), 1);
	memset(s.sha256, 'b', 64);
	assert_int_equal(st->ops->sub_by_sha(st, s.sha256, NULL, &g), 1);
	st->ops->close(st);
}

/* SQLite keeps images and keys as files: it offers neither operation. */
static void test_sqlite_no_blob_ops(void **state)
{
	struct pst_store *st = open_store();
	(void)state;
	assert_null(st->ops->blob_put);
	assert_null(st->ops->keys_get);
	st->ops->close(st);
}

static int use_sqlite(void **state)
{
	(void)state;
	eng = &sqlite_engine;
	return 0;
}

static char tools[512];

static int use_pg(void **state)
{
	char cmd[1200];
	FILE *p;
	size_t n;
	int rc;
	(void)state;
	eng = &pg_engine;
	strcpy(pgdir, "/tmp/pst-pg-XXXXXX");
	/* the cluster's user (nobody, when root runs the test) must reach it */
	if (!mkdtemp(pgdir) || chmod(pgdir, 0755) != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "bash '%s/pg_cluster.sh' start '%s/c'", tools, pgdir);
	p = popen(cmd, "r");
	n = p ? fread(pgurl, 1, sizeof(pgurl) - 1, p) : 0;
	pgurl[n] = 0;
	if (n && pgurl[n - 1] == '\n')
		pgurl[n - 1] = 0;
	rc = p ? pclose(p) : -1;
	return rc == 0 && n ? 0 : -1;
}

static int stop_pg(void **state)
{
	char cmd[1200];
	(void)state;
	snprintf(cmd, sizeof(cmd), "bash '%s/pg_cluster.sh' stop '%s/c'; rm -rf '%s'", tools, pgdir,
		 pgdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- schema 4 ---- */

/* Web sessions by their id's hash: found with their token and CSRF secret
 * while alive, not once expired (and then gone), not after deletion; a
 * token keeps at most `keep` of them, the oldest go. */
static void test_sessions(void **state)
{
	struct pst_store *st = open_store();
	struct pst_token_row t;
	char csrf[65] = "", hash[16];
	double now = pst_service_clock();
	int64_t id;
	int i;
	(void)state;
	assert_int_equal(st->ops->token_add(st, "hs", PST_ROLE_REVIEWER, "acme", "rs", NULL, &id),
			 0);
	assert_int_equal(st->ops->session_add(st, "sa", id, "csrf-a", now + 3600, 4), 0);
	assert_int_equal(st->ops->session_get(st, "sa", &t, csrf), 0);
	assert_int_equal(t.id, id);
	assert_string_equal(t.person, "rs"); /* no person given: the name */
	assert_string_equal(csrf, "csrf-a");
	assert_int_equal(st->ops->session_get(st, "sb", &t, csrf), 1);
	assert_int_equal(st->ops->session_del(st, "sa"), 0);
	assert_int_equal(st->ops->session_get(st, "sa", &t, csrf), 1);
	assert_int_equal(st->ops->session_del(st, "sa"), 1);
	/* expired: not found, and the next sign-in sweeps it away */
	assert_int_equal(st->ops->session_add(st, "old", id, "c", now - 10, 4), 0);
	assert_int_equal(st->ops->session_get(st, "old", &t, csrf), 1);
	assert_int_equal(st->ops->session_add(st, "new", id, "c", now + 3600, 4), 0);
	assert_int_equal(eng->scalar("SELECT count(*) FROM web_sessions WHERE hash = 'old'"), 0);
	/* at most 4 of one token: the oldest go */
	for (i = 0; i < 6; i++) {
		snprintf(hash, sizeof(hash), "s%d", i);
		assert_int_equal(st->ops->session_add(st, hash, id, "c", now + 100 + i, 4), 0);
	}
	assert_int_equal(eng->scalar("SELECT count(*) FROM web_sessions"), 4);
	assert_int_equal(st->ops->session_get(st, "s5", &t, csrf), 0);
	assert_int_equal(st->ops->session_get(st, "s1", &t, csrf), 1);
	st->ops->close(st);
}

static void sub_ids(const struct pst_sub_row *s, void *ctx)
{
	strcat(ctx, s->id);
	strcat(ctx, ";");
}

/* The passes whose automatic approval is still to be logged: finished
 * with verdict pass, without a final decision. */
static void test_pass_undecided(void **state)
{
	struct pst_store *st = open_store();
	struct pst_sub_row s;
	struct pst_job_row j;
	struct pst_report_body r = { "json", "{}", 2 };
	char seen[256] = "";
	uint64_t idx;
	int dd, dead;
	(void)state;
	sub(&s, "p1", "acme", "kpass");
	assert_int_equal(st->ops->sub_add(st, &s, 10, &dd), 0);
	sub(&s, "p2", "other", "kpass"); /* the same job: both are approved */
	assert_int_equal(st->ops->sub_add(st, &s, 10, &dd), 0);
	sub(&s, "r1", "acme", "krev");
	assert_int_equal(st->ops->sub_add(st, &s, 10, &dd), 0);
	assert_int_equal(st->ops->pass_undecided(st, sub_ids, seen), 0);
	assert_string_equal(seen, ""); /* nothing finished */
	while (st->ops->job_lease(st, "w", 60, 3, &j, &dead) == 0) {
		assert_int_equal(st->ops->job_done(st, j.key, "w", strcmp(j.key, "kpass") == 0 ?
						   "pass" : "review", 1, &r, 1), 0);
		free(j.policy);
	}
	assert_int_equal(st->ops->pass_undecided(st, sub_ids, seen), 0);
	assert_string_equal(seen, "p1;p2;");
	assert_int_equal(st->ops->final_add(st, "p1", "approved", "policy", "a\n", 2, &idx), 0);
	seen[0] = 0;
	assert_int_equal(st->ops->pass_undecided(st, sub_ids, seen), 0);
	assert_string_equal(seen, "p2;");
	st->ops->close(st);
}

/* Migration 4 on a store of schema 3: its tokens become their name's
 * person, and sessions have their table. */
static void test_migration_4(void **state)
{
	struct pst_store *st = open_store();
	struct pst_token_row t;
	char err[256];
	int64_t id;
	(void)state;
	st->ops->close(st);
	/* back to schema 3, as an older postern left it */
	assert_int_equal(eng->raw("DROP TABLE web_sessions; ALTER TABLE tokens DROP COLUMN person;"
				  "DELETE FROM schema_version WHERE version = 4;"
				  "INSERT INTO tokens (hash, role, tenant, name, created)"
				  " VALUES ('h3', 'reviewer', 'acme', 'carol', 'then')"), 0);
	st = eng->open(err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(st->ops->token_find(st, "h3", &t), 0);
	assert_string_equal(t.person, "carol");
	assert_int_equal(eng->scalar("SELECT count(*) FROM tokens WHERE person = 'carol'"), 1);
	id = t.id;
	assert_int_equal(st->ops->session_add(st, "m4", id, "c", pst_service_clock() + 60, 2), 0);
	assert_int_equal(eng->scalar("SELECT max(version) FROM schema_version"), 4);
	st->ops->close(st);
}

#define BOTH(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void)
{
	const struct CMUnitTest common[] = {
		BOTH(test_migrations_once),    BOTH(test_tokens), BOTH(test_audit_chain),
		BOTH(test_dedupe_and_tenants), BOTH(test_leases),
		BOTH(test_decisions_and_final), BOTH(test_log_matches_memory),
		BOTH(test_waivers_gate_policy), BOTH(test_sessions),
		BOTH(test_pass_undecided), BOTH(test_migration_4),
	};
	const struct CMUnitTest sqlite_only[] = { BOTH(test_sqlite_no_blob_ops) };
	const struct CMUnitTest pg_only[] = { BOTH(test_pg_skip_locked), BOTH(test_pg_blobs),
					      BOTH(test_pg_keys) };
	const char *src = getenv("SRC");
	char probe[600];
	int fail = 0;

	snprintf(tools, sizeof(tools), "%s/tests/tools", src ? src : FIXTURE_DIR "/../..");
	fail |= cmocka_run_group_tests_name("sqlite", common, use_sqlite, NULL);
	fail |= cmocka_run_group_tests_name("sqlite only", sqlite_only, use_sqlite, NULL);
	/* PostgreSQL when a cluster can be made here; say so when not */
	snprintf(probe, sizeof(probe),
		 "ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1 && "
		 "{ [ \"$(id -u)\" != 0 ] || command -v runuser > /dev/null; }");
	if (system(probe) != 0) {
		printf("# skip: PostgreSQL cases (no initdb, or root without runuser;"
		       " scripts/install-deps installs postgresql)\n");
		return fail;
	}
	fail |= cmocka_run_group_tests_name("postgresql", common, use_pg, stop_pg);
	/* a second cluster keeps the groups independent */
	fail |= cmocka_run_group_tests_name("postgresql only", pg_only, use_pg, stop_pg);
	return fail;
}
