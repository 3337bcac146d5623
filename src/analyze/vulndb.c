/*
 * vulndb.c - the offline vulnerability database: its schema, the writes an
 * import makes, `postern vulndb import` (one source file at a time, in one
 * transaction, replacing records by id: incremental) and `postern vulndb
 * status`. The formats are read in vulnimport.c; the scan reads the
 * database in vulns.c. Documented in docs/vulndb.md.
 */
#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include "internal.h"
#include "analyze/vulndb.h"

#define SOURCE_MAX (4ull << 30)   /* bytes of one source file (NVD's largest year is ~0.5 GB) */
#define ZIP_ENTRY_MAX (64u << 20) /* one record in an OSV zip dump */

static const char *const schema_sql =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
	"INSERT OR IGNORE INTO meta VALUES('schema','1');"
	"CREATE TABLE IF NOT EXISTS source(kind TEXT PRIMARY KEY, file TEXT, imported INTEGER,"
	" dated TEXT, records INTEGER);"
	"CREATE TABLE IF NOT EXISTS vuln(src TEXT, id TEXT, cve TEXT, summary TEXT, score REAL,"
	" vector TEXT, modified TEXT, PRIMARY KEY(src, id));"
	"CREATE INDEX IF NOT EXISTS vuln_cve ON vuln(cve);"
	"CREATE TABLE IF NOT EXISTS alias(src TEXT, id TEXT, alias TEXT);"
	"CREATE INDEX IF NOT EXISTS alias_id ON alias(src, id);"
	"CREATE TABLE IF NOT EXISTS affected(src TEXT, id TEXT, eco TEXT, pkg TEXT, lo TEXT,"
	" lo_incl INTEGER, hi TEXT, hi_incl INTEGER, scheme INTEGER, why TEXT);"
	/* the scan's lookup (vulns.c: every range of a package, in src, id order) is
	   read from this index alone, without a visit to the table per row: the
	   kernel or BusyBox have thousands of ranges (session 9: the vulnerability
	   stage's cost about halved on bench/vulndb_bench.sh, the database a third
	   larger). It replaces the index on (pkg, eco) alone. */
	"DROP INDEX IF EXISTS affected_pkg;"
	"CREATE INDEX IF NOT EXISTS affected_look ON affected(pkg, eco, src, id, lo, lo_incl, hi,"
	" hi_incl, scheme, why);"
	"CREATE INDEX IF NOT EXISTS affected_id ON affected(src, id);"
	/* NVD configurations with operator AND: every node's cpeMatch rows (the
	   vulnerable ones are also in affected, eco "cpe&CFG"); a match holds
	   only when each node of its configuration matches the product */
	"CREATE TABLE IF NOT EXISTS cond(src TEXT, id TEXT, cfg INTEGER, node INTEGER, part TEXT,"
	" pkg TEXT, lo TEXT, lo_incl INTEGER, hi TEXT, hi_incl INTEGER);"
	"CREATE INDEX IF NOT EXISTS cond_id ON cond(src, id, cfg);"
	"CREATE TABLE IF NOT EXISTS kev(cve TEXT PRIMARY KEY, added TEXT, name TEXT);"
	"CREATE TABLE IF NOT EXISTS epss(cve TEXT PRIMARY KEY, score REAL, percentile REAL);";

bool pst_vdb_schema(sqlite3 *db)
{
	return sqlite3_exec(db, schema_sql, NULL, NULL, NULL) == SQLITE_OK;
}

static bool step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

bool pst_vdb_put_vuln(struct pst_vimport *im, const char *src, const char *id, const char *cve,
		      const char *summary, double score, const char *vector, const char *modified)
{
	bind_text(im->del_aff, 1, src);
	bind_text(im->del_aff, 2, id);
	bind_text(im->del_alias, 1, src);
	bind_text(im->del_alias, 2, id);
	bind_text(im->del_cond, 1, src);
	bind_text(im->del_cond, 2, id);
	if (!step_done(im->del_aff) || !step_done(im->del_alias) || !step_done(im->del_cond))
		return false;
	bind_text(im->ins_vuln, 1, src);
	bind_text(im->ins_vuln, 2, id);
	bind_text(im->ins_vuln, 3, cve);
	bind_text(im->ins_vuln, 4, summary);
	if (score >= 0)
		sqlite3_bind_double(im->ins_vuln, 5, score);
	bind_text(im->ins_vuln, 6, vector);
	bind_text(im->ins_vuln, 7, modified);
	im->records++;
	pst_vdb_dated(im, modified);
	return step_done(im->ins_vuln);
}

bool pst_vdb_put_alias(struct pst_vimport *im, const char *src, const char *id, const char *alias)
{
	bind_text(im->ins_alias, 1, src);
	bind_text(im->ins_alias, 2, id);
	bind_text(im->ins_alias, 3, alias);
	return step_done(im->ins_alias);
}

/* Names compare case-blind (PyPI, CPE products): stored lower-case. */
static void lower_into(char *dst, size_t cap, const char *s)
{
	size_t i;
	for (i = 0; s[i] && i + 1 < cap; i++)
		dst[i] = (char)tolower((unsigned char)s[i]);
	dst[i] = 0;
}

bool pst_vdb_put_range(struct pst_vimport *im, const struct pst_vrange *r)
{
	char pkg[512];
	lower_into(pkg, sizeof(pkg), r->pkg);
	bind_text(im->ins_aff, 1, r->src);
	bind_text(im->ins_aff, 2, r->id);
	bind_text(im->ins_aff, 3, r->eco);
	bind_text(im->ins_aff, 4, pkg);
	bind_text(im->ins_aff, 5, r->lo);
	sqlite3_bind_int(im->ins_aff, 6, r->lo_incl);
	bind_text(im->ins_aff, 7, r->hi);
	sqlite3_bind_int(im->ins_aff, 8, r->hi_incl);
	sqlite3_bind_int(im->ins_aff, 9, (int)r->scheme);
	bind_text(im->ins_aff, 10, r->why);
	return step_done(im->ins_aff);
}

bool pst_vdb_put_cond(struct pst_vimport *im, const struct pst_vrange *r, int cfg, int node,
		      const char *part)
{
	char pkg[512];
	lower_into(pkg, sizeof(pkg), r->pkg);
	bind_text(im->ins_cond, 1, r->src);
	bind_text(im->ins_cond, 2, r->id);
	sqlite3_bind_int(im->ins_cond, 3, cfg);
	sqlite3_bind_int(im->ins_cond, 4, node);
	bind_text(im->ins_cond, 5, part);
	bind_text(im->ins_cond, 6, pkg);
	bind_text(im->ins_cond, 7, r->lo);
	sqlite3_bind_int(im->ins_cond, 8, r->lo_incl);
	bind_text(im->ins_cond, 9, r->hi);
	sqlite3_bind_int(im->ins_cond, 10, r->hi_incl);
	return step_done(im->ins_cond);
}

bool pst_vdb_put_kev(struct pst_vimport *im, const char *cve, const char *added, const char *name)
{
	bind_text(im->ins_kev, 1, cve);
	bind_text(im->ins_kev, 2, added);
	bind_text(im->ins_kev, 3, name);
	im->records++;
	pst_vdb_dated(im, added);
	return step_done(im->ins_kev);
}

bool pst_vdb_put_epss(struct pst_vimport *im, const char *cve, double score, double pct)
{
	bind_text(im->ins_epss, 1, cve);
	sqlite3_bind_double(im->ins_epss, 2, score);
	sqlite3_bind_double(im->ins_epss, 3, pct);
	im->records++;
	return step_done(im->ins_epss);
}

/* ISO 8601 dates compare as text. */
void pst_vdb_dated(struct pst_vimport *im, const char *date)
{
	if (date && strlen(date) < sizeof(im->dated) && strcmp(date, im->dated) > 0)
		snprintf(im->dated, sizeof(im->dated), "%s", date);
}

enum pst_ver_scheme pst_vdb_scheme_of(const char *eco, const char *range_type)
{
	static const char *const rpm[] = { "Red Hat", "AlmaLinux", "Rocky Linux", "openSUSE",
					   "SUSE",    "Mageia",    "Photon OS",   "openEuler" };
	static const char *const semver[] = { "npm", "Go", "crates.io", "Hex", "Pub", "NuGet" };
	if (range_type && strcmp(range_type, "SEMVER") == 0)
		return PST_VER_SEMVER;
	/* opkg compares versions as dpkg does (libopkg's verrevcmp) */
	if (strncmp(eco, "Debian", 6) == 0 || strncmp(eco, "Ubuntu", 6) == 0 ||
	    strncmp(eco, "OpenWrt", 7) == 0)
		return PST_VER_DPKG;
	if (strcmp(eco, "PyPI") == 0)
		return PST_VER_PEP440;
	for (size_t i = 0; i < sizeof(rpm) / sizeof(rpm[0]); i++)
		if (strncmp(eco, rpm[i], strlen(rpm[i])) == 0)
			return PST_VER_RPM;
	for (size_t i = 0; i < sizeof(semver) / sizeof(semver[0]); i++)
		if (strcmp(eco, semver[i]) == 0)
			return PST_VER_SEMVER;
	return PST_VER_GENERIC;
}

/* ---- CVSS v3.x base score (first.org's specification, section 7) ---- */

static double metric(const char *vec, const char *key, const char *letters, const double *vals)
{
	char pat[8];
	const char *p;
	snprintf(pat, sizeof(pat), "/%s:", key);
	p = strstr(vec, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	for (size_t i = 0; letters[i]; i++)
		if (*p == letters[i])
			return vals[i];
	return -1;
}

/* CVSS 3.1's Roundup: the smallest one-decimal number >= x, computed on
 * integers so that 4.000001 does not become 4.1 through float error. */
static double roundup(double x)
{
	long v = lround(x * 100000.0);
	return v % 10000 == 0 ? (double)v / 100000.0 : (double)(v / 10000 + 1) / 10.0;
}

double pst_cvss3_score(const char *vec)
{
	static const double av[] = { 0.85, 0.62, 0.55, 0.2 }, ac[] = { 0.77, 0.44 },
			    ui[] = { 0.85, 0.62 }, cia[] = { 0.56, 0.22, 0 };
	static const double pr_u[] = { 0.85, 0.62, 0.27 }, pr_c[] = { 0.85, 0.68, 0.5 };
	bool changed;
	double a, c, i, iss, impact, expl, pr, v_av, v_ac, v_ui;

	if (!vec || strncmp(vec, "CVSS:3.", 7) != 0)
		return -1;
	changed = strstr(vec, "/S:C") != NULL;
	if (!changed && !strstr(vec, "/S:U"))
		return -1;
	v_av = metric(vec, "AV", "NALP", av);
	v_ac = metric(vec, "AC", "LH", ac);
	v_ui = metric(vec, "UI", "NR", ui);
	pr = metric(vec, "PR", "NLH", changed ? pr_c : pr_u);
	c = metric(vec, "C", "HLN", cia);
	i = metric(vec, "I", "HLN", cia);
	a = metric(vec, "A", "HLN", cia);
	if (v_av < 0 || v_ac < 0 || v_ui < 0 || pr < 0 || c < 0 || i < 0 || a < 0)
		return -1;
	iss = 1 - (1 - c) * (1 - i) * (1 - a);
	impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	expl = 8.22 * v_av * v_ac * pr * v_ui;
	if (impact <= 0)
		return 0;
	return roundup(fmin(changed ? 1.08 * (impact + expl) : impact + expl, 10));
}

/* ---- import ---- */

static bool prepare_all(struct pst_vimport *im)
{
	static const char *const sql[] = {
		"INSERT OR REPLACE INTO vuln VALUES(?,?,?,?,?,?,?)",
		"INSERT INTO affected VALUES(?,?,?,?,?,?,?,?,?,?)",
		"DELETE FROM affected WHERE src=? AND id=?",
		"INSERT INTO alias VALUES(?,?,?)",
		"DELETE FROM alias WHERE src=? AND id=?",
		"INSERT OR REPLACE INTO kev VALUES(?,?,?)",
		"INSERT OR REPLACE INTO epss VALUES(?,?,?)",
		"INSERT INTO cond VALUES(?,?,?,?,?,?,?,?,?,?)",
		"DELETE FROM cond WHERE src=? AND id=?",
	};
	sqlite3_stmt **st[] = { &im->ins_vuln, &im->ins_aff, &im->del_aff, &im->ins_alias,
				&im->del_alias, &im->ins_kev, &im->ins_epss, &im->ins_cond,
				&im->del_cond };
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		if (sqlite3_prepare_v2(im->db, sql[i], -1, st[i], NULL) != SQLITE_OK)
			return false;
	return true;
}

static void finalize_all(struct pst_vimport *im)
{
	sqlite3_stmt *st[] = { im->ins_vuln, im->ins_aff, im->del_aff, im->ins_alias,
			       im->del_alias, im->ins_kev, im->ins_epss, im->ins_cond,
			       im->del_cond };
	for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++)
		sqlite3_finalize(st[i]);
}

/* Reads a whole file (through libarchive's raw reader, so a .gz, .xz or
 * .bz2 source is read decompressed). NULL on error, message in err. */
static char *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	char *buf = NULL;
	size_t cap = 0;
	la_ssize_t r = 0;

	*len = 0;
	if (!a || archive_read_support_filter_all(a) != ARCHIVE_OK ||
	    archive_read_support_format_raw(a) != ARCHIVE_OK ||
	    archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK) {
		snprintf(err, errlen, "%s", a ? archive_error_string(a) : "out of memory");
		goto fail;
	}
	do {
		if (cap - *len < (1u << 16)) {
			char *nb;
			cap = cap ? cap * 2 : (1u << 20);
			if (cap > SOURCE_MAX || !(nb = pst_realloc(buf, cap + 1))) {
				snprintf(err, errlen, "too large or out of memory");
				goto fail;
			}
			buf = nb;
		}
		r = archive_read_data(a, buf + *len, cap - *len);
		if (r > 0)
			*len += (size_t)r;
	} while (r > 0);
	if (r < 0) {
		snprintf(err, errlen, "%s", archive_error_string(a));
		goto fail;
	}
	if (!buf && !(buf = pst_malloc(1)))
		goto fail;
	buf[*len] = 0;
	archive_read_free(a);
	return buf;
fail:
	free(buf);
	if (a)
		archive_read_free(a);
	return NULL;
}

/* An OSV dump: a zip of one JSON record per entry. */
static bool import_zip(struct pst_vimport *im, const char *path)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	bool ok = a && archive_read_support_format_zip(a) == ARCHIVE_OK &&
		  archive_read_open_filename(a, path, 1 << 16) == ARCHIVE_OK;
	char *buf = NULL;
	while (ok && archive_read_next_header(a, &e) == ARCHIVE_OK) {
		la_int64_t size = archive_entry_size(e);
		const char *name = archive_entry_pathname(e);
		if (!name || strlen(name) < 5 || strcasecmp(name + strlen(name) - 5, ".json") != 0)
			continue;
		if (size <= 0 || size > ZIP_ENTRY_MAX)
			continue;
		buf = pst_malloc((size_t)size);
		ok = buf && archive_read_data(a, buf, (size_t)size) == size &&
		     pst_vimport_osv_json(im, buf, (size_t)size);
		free(buf);
	}
	if (!ok && !im->err[0])
		snprintf(im->err, sizeof(im->err), "%s",
			 a ? archive_error_string(a) : "out of memory");
	if (a)
		archive_read_free(a);
	return ok;
}

static bool starts(const char *text, const char *prefix)
{
	while (*text == ' ' || *text == '\n' || *text == '\r' || *text == '\t' ||
	       (unsigned char)*text == 0xef || (unsigned char)*text == 0xbb ||
	       (unsigned char)*text == 0xbf)
		text++;
	return strncmp(text, prefix, strlen(prefix)) == 0;
}

/* Which format a JSON document is: NVD CVE API 2.0, KEV, or OSV. */
static const char *import_json(struct pst_vimport *im, const char *text, size_t len)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, 0, &je), *vulns;
	const char *kind = NULL;
	if (!root) {
		snprintf(im->err, sizeof(im->err), "JSON line %d: %s", je.line, je.text);
		return NULL;
	}
	vulns = json_object_get(root, "vulnerabilities");
	if (json_is_array(vulns) && json_object_get(json_array_get(vulns, 0), "cve"))
		kind = pst_vimport_nvd(im, root) ? "nvd" : NULL;
	else if (json_object_get(root, "catalogVersion") ||
		 json_object_get(json_array_get(vulns, 0), "cveID"))
		kind = pst_vimport_kev_json(im, root) ? "kev" : NULL;
	else if (json_is_array(vulns) && json_array_size(vulns) == 0)
		kind = "nvd"; /* an empty page of the feed */
	else
		kind = pst_vimport_osv(im, root) ? "osv" : NULL;
	json_decref(root);
	return kind;
}

static const char *import_file(struct pst_vimport *im, const char *path)
{
	size_t len;
	const char *kind = NULL;
	char *text;
	FILE *f = fopen(path, "rb");
	unsigned char magic[4] = { 0 };
	if (!f) {
		snprintf(im->err, sizeof(im->err), "cannot open");
		return NULL;
	}
	size_t got = fread(magic, 1, 4, f);
	fclose(f);
	if (got == 4 && memcmp(magic, "PK\3\4", 4) == 0)
		return import_zip(im, path) ? "osv" : NULL;
	text = slurp(path, &len, im->err, sizeof(im->err));
	if (!text)
		return NULL;
	if (starts(text, "{") || starts(text, "["))
		kind = import_json(im, text, len);
	else if (starts(text, "#model_version") || starts(text, "cve,epss"))
		kind = pst_vimport_epss_csv(im, text, len) ? "epss" : NULL;
	else if (strstr(text, "cveID") && strstr(text, "dateAdded"))
		kind = pst_vimport_kev_csv(im, text, len) ? "kev" : NULL;
	else
		snprintf(im->err, sizeof(im->err),
			 "not OSV, NVD CVE API 2.0, CISA KEV or EPSS data");
	free(text);
	return kind;
}

static bool record_source(sqlite3 *db, const char *kind, const char *path, const char *dated)
{
	sqlite3_stmt *st;
	bool ok;
	const char *base = strrchr(path, '/');
	/* records: what the database now holds of this kind (a re-import of
	 * the same records replaces them); dated: the newest date seen yet */
	if (sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO source VALUES(?1,?2,?3,"
			       "nullif(max(coalesce(?4,''),coalesce((SELECT dated FROM source "
			       "WHERE kind=?1),'')),''),"
			       "CASE ?1 WHEN 'kev' THEN (SELECT count(*) FROM kev)"
			       " WHEN 'epss' THEN (SELECT count(*) FROM epss)"
			       " ELSE (SELECT count(*) FROM vuln WHERE src=?1) END)",
			       -1, &st, NULL) != SQLITE_OK)
		return false;
	bind_text(st, 1, kind);
	bind_text(st, 2, base ? base + 1 : path);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	bind_text(st, 4, dated[0] ? dated : NULL);
	ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	return ok;
}

bool pst_vdb_open(struct pst_vimport *im, const char *db_path)
{
	memset(im, 0, sizeof(*im));
	return sqlite3_open_v2(db_path, &im->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			       NULL) == SQLITE_OK &&
	       pst_vdb_schema(im->db) && prepare_all(im) &&
	       sqlite3_exec(im->db, "PRAGMA synchronous=OFF; BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

void pst_vdb_close(struct pst_vimport *im)
{
	finalize_all(im);
	sqlite3_close(im->db);
	im->db = NULL;
}

enum pst_err pst_vulndb_import(const char *db_path, const char *source, char *msg, size_t msglen)
{
	struct pst_vimport im;
	const char *kind = NULL;
	enum pst_err e = PST_EFORMAT;

	if (!pst_vdb_open(&im, db_path)) {
		snprintf(msg, msglen, "%s: %s", db_path,
			 im.db ? sqlite3_errmsg(im.db) : "out of memory");
		e = PST_EIO;
		goto out;
	}
	kind = import_file(&im, source);
	if (kind && record_source(im.db, kind, source, im.dated) &&
	    sqlite3_exec(im.db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) {
		snprintf(msg, msglen, "%s: %lu %s records%s%s", source, im.records, kind,
			 im.dated[0] ? ", dated " : "", im.dated);
		e = PST_OK;
	} else {
		snprintf(msg, msglen, "%s: %s", source, im.err[0] ? im.err : sqlite3_errmsg(im.db));
		sqlite3_exec(im.db, "ROLLBACK", NULL, NULL, NULL);
	}
out:
	pst_vdb_close(&im);
	return e;
}

enum pst_err pst_vulndb_status(const char *db_path, FILE *out, char *msg, size_t msglen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	time_t now = time(NULL);
	int n = 0;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT kind, file, imported, dated, records FROM source ORDER BY "
			       "kind",
			       -1, &st, NULL) != SQLITE_OK) {
		snprintf(msg, msglen, "%s: %s", db_path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return PST_ENOENT;
	}
	fprintf(out, "%-5s %9s %10s  %-25s %s\n", "kind", "records", "age", "source date", "file");
	while (sqlite3_step(st) == SQLITE_ROW) {
		double days = (double)(now - (time_t)sqlite3_column_int64(st, 2)) / 86400.0;
		const unsigned char *dated = sqlite3_column_text(st, 3);
		fprintf(out, "%-5s %9lld %8.1f d  %-25s %s\n", sqlite3_column_text(st, 0),
			sqlite3_column_int64(st, 4), days < 0 ? 0.0 : days,
			dated ? (const char *)dated : "-", sqlite3_column_text(st, 1));
		n++;
	}
	if (!n)
		fprintf(out, "(no source imported yet)\n");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return PST_OK;
}

bool pst_vulndb_default_path(char *out, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;
	if (xdg && xdg[0] == '/')
		n = snprintf(out, len, "%s/postern/vulndb.sqlite", xdg);
	else if (home && home[0])
		n = snprintf(out, len, "%s/.cache/postern/vulndb.sqlite", home);
	else
		return false;
	return n > 0 && (size_t)n < len;
}
