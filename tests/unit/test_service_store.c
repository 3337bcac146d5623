/*
 * test_service_store.c - the service's SQLite store (src/service/store_sqlite.c)
 * through its interface: migrations applied once, tokens found by hash and
 * revoked, the audit chain verified and a forged row found, submissions
 * deduplicated by job key and scoped by tenant, and the queue's leases:
 * one worker per job, a lost lease stores nothing, an expired lease runs the
 * job again, and the third expiry ends it as error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "store.h"

static char dir[] = "/tmp/pst-store-XXXXXX";
static char dbpath[256];

static struct pst_store *open_store(void)
{
	char err[256];
	struct pst_store *st = pst_store_sqlite_open(dbpath, err, sizeof(err));
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
	sqlite3 *db;
	sqlite3_stmt *q;
	(void)state;
	st->ops->close(st);
	st = open_store(); /* a second open applies nothing twice */
	st->ops->close(st);
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*), max(version) FROM schema_version", -1,
					    &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 1);
	assert_int_equal(sqlite3_column_int(q, 1), 1);
	sqlite3_finalize(q);
	/* a store newer than the binary is refused */
	assert_int_equal(sqlite3_exec(db, "INSERT INTO schema_version VALUES (99)", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	{
		char err[256];
		assert_null(pst_store_sqlite_open(dbpath, err, sizeof(err)));
		assert_non_null(strstr(err, "newer"));
	}
}

static void test_tokens(void **state)
{
	struct pst_store *st = open_store();
	struct pst_token_row t;
	int64_t id;
	(void)state;
	assert_int_equal(st->ops->token_add(st, "h1", PST_ROLE_REVIEWER, "acme", "rev", &id), 0);
	assert_int_equal(st->ops->token_find(st, "h1", &t), 0);
	assert_int_equal(t.role, PST_ROLE_REVIEWER);
	assert_string_equal(t.tenant, "acme");
	assert_false(t.revoked);
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
	sqlite3 *db;
	int64_t n, bad;
	(void)state;
	assert_int_equal(st->ops->audit_add(st, "a", "x.one", "o1", "d1"), 0);
	assert_int_equal(st->ops->audit_add(st, "a", "x.two", "o2", "d2"), 0);
	assert_int_equal(st->ops->audit_add(st, "a", "x.three", "o3", "d3"), 0);
	assert_int_equal(st->ops->audit_verify(st, &n, &bad), 0);
	assert_int_equal(n, 3);
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	/* append-only: the triggers refuse; with them dropped a forged row is found */
	assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET detail = 'x'", NULL, NULL, NULL),
			     SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_no_update;"
				      "UPDATE audit SET object = 'o9' WHERE seq = 2", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrations_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dedupe_and_tenants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leases, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
