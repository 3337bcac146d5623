/*
 * vulndb.h - the offline vulnerability database (SQLite) that `postern
 * vulndb import` fills (vulndb.c, vulnimport.c) and the scan's vulns
 * analyzer reads (vulns.c). Schema and matching rules: docs/vulndb.md.
 */
#ifndef PST_VULNDB_H
#define PST_VULNDB_H

#include <sqlite3.h>
#include <stdbool.h>
#include "core/vercmp.h"

/* One affected range of a record: lo..hi (NULL: unbounded), each end
 * inclusive or not; lo == hi, both inclusive, is one exact version. */
struct pst_vrange {
	const char *src, *id, *eco, *pkg;
	const char *lo, *hi;
	bool lo_incl, hi_incl;
	enum pst_ver_scheme scheme;
	const char *why; /* where the range came from: "osv ECOSYSTEM range", "nvd cpeMatch ..." */
};

/* Import state: the open database and what this import counted. */
struct pst_vimport {
	sqlite3 *db;
	sqlite3_stmt *ins_vuln, *ins_aff, *del_aff, *ins_alias, *del_alias, *ins_kev, *ins_epss;
	sqlite3_stmt *ins_cond, *del_cond;
	unsigned long records;
	char dated[40]; /* newest date the source itself gives (max over records) */
	char err[256];
};

/* Opens (creates) the database at path (":memory:" for tests), with the
 * schema, the statements and a transaction begun; pst_vdb_close ends it
 * (without a COMMIT the transaction is rolled back). */
bool pst_vdb_open(struct pst_vimport *im, const char *path);
void pst_vdb_close(struct pst_vimport *im);
/* Creates or upgrades the schema. */
bool pst_vdb_schema(sqlite3 *db);
/* A vulnerability record (replaces one with the same source and id, with
 * its ranges and aliases). cve: the CVE id it is about, or NULL. */
bool pst_vdb_put_vuln(struct pst_vimport *im, const char *src, const char *id, const char *cve,
		      const char *summary, double score, const char *vector, const char *modified);
bool pst_vdb_put_alias(struct pst_vimport *im, const char *src, const char *id, const char *alias);
bool pst_vdb_put_range(struct pst_vimport *im, const struct pst_vrange *r);
/* One cpeMatch of node `node` of NVD configuration `cfg` (operator AND) of
 * record r->src/r->id; part: "a", "o" or "h". */
bool pst_vdb_put_cond(struct pst_vimport *im, const struct pst_vrange *r, int cfg, int node,
		      const char *part);
bool pst_vdb_put_kev(struct pst_vimport *im, const char *cve, const char *added, const char *name);
bool pst_vdb_put_epss(struct pst_vimport *im, const char *cve, double score, double pct);
/* Keeps the newer of im->dated and date. */
void pst_vdb_dated(struct pst_vimport *im, const char *date);

/* The format readers (vulnimport.c). Each takes the whole file. */
bool pst_vimport_osv_json(struct pst_vimport *im, const char *text, size_t len);
bool pst_vimport_osv(struct pst_vimport *im, const void *json_root);
bool pst_vimport_nvd(struct pst_vimport *im, const void *json_root);
bool pst_vimport_kev_json(struct pst_vimport *im, const void *json_root);
bool pst_vimport_kev_csv(struct pst_vimport *im, const char *text, size_t len);
bool pst_vimport_epss_csv(struct pst_vimport *im, const char *text, size_t len);

/* CVSS v3.x base score of a vector ("CVSS:3.1/AV:N/..."), or -1. */
double pst_cvss3_score(const char *vector);
/* The version ordering of an OSV ecosystem ("Debian:12", "PyPI", ...). */
enum pst_ver_scheme pst_vdb_scheme_of(const char *eco, const char *range_type);

#endif
