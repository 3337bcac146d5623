/*
 * schema.c - the service's migrations (see schema.h). Never edit a
 * migration that shipped: add the next one. The audit table refuses UPDATE
 * and DELETE (triggers), so the chain can only grow.
 */
#include "schema.h"

static const char v1_sqlite[] =
	"CREATE TABLE tokens (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL,"
	" tenant TEXT NOT NULL, name TEXT NOT NULL, created TEXT NOT NULL, revoked TEXT);"
	"CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, created TEXT NOT NULL);"
	"CREATE TABLE jobs (key TEXT PRIMARY KEY, sha256 TEXT NOT NULL REFERENCES blobs(sha256),"
	" filename TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
	" worker TEXT, lease_until REAL, heartbeat REAL, verdict TEXT, error TEXT,"
	" seconds REAL, created TEXT NOT NULL, finished TEXT);"
	"CREATE INDEX jobs_runnable ON jobs (status, created);"
	"CREATE TABLE reports (job_key TEXT NOT NULL REFERENCES jobs(key), format TEXT NOT NULL,"
	" body BLOB NOT NULL, PRIMARY KEY (job_key, format));"
	"CREATE TABLE submissions (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, product TEXT NOT NULL,"
	" version TEXT NOT NULL, filename TEXT NOT NULL, sha256 TEXT NOT NULL,"
	" job_key TEXT NOT NULL REFERENCES jobs(key), token_id INTEGER NOT NULL, created TEXT NOT NULL);"
	"CREATE INDEX submissions_product ON submissions (tenant, product, created);"
	"CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
	" action TEXT NOT NULL, object TEXT NOT NULL, detail TEXT NOT NULL, prev TEXT NOT NULL,"
	" hash TEXT NOT NULL);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;";

/* PostgreSQL's text was first run with store_pg.c (no store was ever made
 * from it before), which is why it could still gain what SQLite has by
 * nature: n, the insertion order (SQLite's rowid) that leases and version
 * lists sort by, and service_keys, the signing key pair that workers on
 * other machines read from the store instead of DATA/keys. */
static const char v1_postgres[] =
	"CREATE TABLE tokens (id BIGSERIAL PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL,"
	" tenant TEXT NOT NULL, name TEXT NOT NULL, created TEXT NOT NULL, revoked TEXT);"
	"CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size BIGINT NOT NULL, created TEXT NOT NULL,"
	" lo OID);"
	"CREATE TABLE jobs (key TEXT PRIMARY KEY, n BIGSERIAL NOT NULL,"
	" sha256 TEXT NOT NULL REFERENCES blobs(sha256),"
	" filename TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
	" worker TEXT, lease_until DOUBLE PRECISION, heartbeat DOUBLE PRECISION, verdict TEXT,"
	" error TEXT, seconds DOUBLE PRECISION, created TEXT NOT NULL, finished TEXT);"
	"CREATE INDEX jobs_runnable ON jobs (status, n);"
	"CREATE TABLE reports (job_key TEXT NOT NULL REFERENCES jobs(key), format TEXT NOT NULL,"
	" body BYTEA NOT NULL, PRIMARY KEY (job_key, format));"
	"CREATE TABLE submissions (id TEXT PRIMARY KEY, n BIGSERIAL NOT NULL, tenant TEXT NOT NULL,"
	" product TEXT NOT NULL, version TEXT NOT NULL, filename TEXT NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" job_key TEXT NOT NULL REFERENCES jobs(key), token_id BIGINT NOT NULL, created TEXT NOT NULL);"
	"CREATE INDEX submissions_product ON submissions (tenant, product, created);"
	"CREATE TABLE audit (seq BIGINT PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
	" action TEXT NOT NULL, object TEXT NOT NULL, detail TEXT NOT NULL, prev TEXT NOT NULL,"
	" hash TEXT NOT NULL);"
	"CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS"
	" $$BEGIN RAISE EXCEPTION 'the audit table is append-only'; END$$;"
	"CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit"
	" FOR EACH ROW EXECUTE FUNCTION audit_append_only();"
	"CREATE TABLE service_keys (id INTEGER PRIMARY KEY CHECK (id = 1), secret TEXT NOT NULL,"
	" public TEXT NOT NULL, created TEXT NOT NULL);";

/* Version 2, the review workflow (review.c, docs/service.md): each
 * reviewer's decision, the final decision beside a scan (its signed
 * attestation), the product's waivers, the waivers' policy text a job was
 * made with, and the transparency log (tlog.c): leaves with their entries,
 * and the complete nodes kept so roots and proofs cost O(log n) reads. */
#define V2_COMMON(BIGINT, BLOB) \
	"CREATE TABLE decisions (seq " BIGINT " PRIMARY KEY, submission TEXT NOT NULL" \
	" REFERENCES submissions(id), token_id BIGINT NOT NULL, role TEXT NOT NULL," \
	" decision TEXT NOT NULL, justification TEXT NOT NULL, created TEXT NOT NULL);" \
	"CREATE INDEX decisions_submission ON decisions (submission, seq);" \
	"CREATE TABLE final_decisions (submission TEXT PRIMARY KEY REFERENCES submissions(id)," \
	" decision TEXT NOT NULL, decided_by TEXT NOT NULL, leaf_index BIGINT NOT NULL," \
	" created TEXT NOT NULL);" \
	"CREATE TABLE waivers (id " BIGINT " PRIMARY KEY, tenant TEXT NOT NULL," \
	" product TEXT NOT NULL, rule TEXT NOT NULL, location TEXT NOT NULL," \
	" justification TEXT NOT NULL, expires TEXT NOT NULL, submission TEXT NOT NULL," \
	" token_id BIGINT NOT NULL, created TEXT NOT NULL);" \
	"CREATE INDEX waivers_product ON waivers (tenant, product, id);" \
	"CREATE TABLE tlog_leaf (idx BIGINT PRIMARY KEY, hash TEXT NOT NULL, entry " BLOB \
	" NOT NULL);" \
	"CREATE INDEX tlog_leaf_hash ON tlog_leaf (hash);" \
	"CREATE TABLE tlog_node (level INTEGER NOT NULL, idx BIGINT NOT NULL, hash TEXT NOT NULL," \
	" PRIMARY KEY (level, idx));" \
	"ALTER TABLE jobs ADD COLUMN policy TEXT;"

static const char v2_sqlite[] = V2_COMMON("INTEGER", "BLOB");
static const char v2_postgres[] = V2_COMMON("BIGSERIAL", "BYTEA");

/* Version 3: how far a running job's scan is (0 to 1), which the worker
 * stores from the scan's files done and found (worker.c). */
static const char v3_sqlite[] = "ALTER TABLE jobs ADD COLUMN progress REAL;";
static const char v3_postgres[] = "ALTER TABLE jobs ADD COLUMN progress DOUBLE PRECISION;";

/* Version 4 (issue 17): a token belongs to a person (four eyes compare
 * persons, not tokens: review.c); tokens made before are their name's
 * person. Web sessions live in the store, so a restart of serve keeps them
 * (web.c): the session id's SHA-256 (the id itself is only in the
 * browser's cookie), its token, its form (CSRF) secret and its expiry. */
#define V4_COMMON(REAL) \
	"ALTER TABLE tokens ADD COLUMN person TEXT;" \
	"UPDATE tokens SET person = name;" \
	"CREATE TABLE web_sessions (hash TEXT PRIMARY KEY, token_id BIGINT NOT NULL" \
	" REFERENCES tokens(id), csrf TEXT NOT NULL, expires " REAL " NOT NULL," \
	" created TEXT NOT NULL);" \
	"CREATE INDEX web_sessions_expires ON web_sessions (expires);" \
	"CREATE INDEX web_sessions_token ON web_sessions (token_id, expires);"

static const char v4_sqlite[] = V4_COMMON("REAL");
static const char v4_postgres[] = V4_COMMON("DOUBLE PRECISION");

const struct pst_migration pst_migrations[] = {
	{ 1, "tokens, blobs, jobs, reports, submissions, audit", v1_sqlite, v1_postgres },
	{ 2, "decisions, final decisions, waivers, the transparency log", v2_sqlite, v2_postgres },
	{ 3, "a running job's progress", v3_sqlite, v3_postgres },
	{ 4, "a token's person, web sessions in the store", v4_sqlite, v4_postgres },
	{ 0, 0, 0, 0 },
};

const int pst_schema_version = 4;
