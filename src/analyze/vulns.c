/*
 * vulns.c - known vulnerabilities of the components a product ships, from
 * the offline database `postern vulndb import` fills (vulndb.c). A
 * tree-wide analyzer: finish() reads the "component" facts, looks each
 * component up once (identity: name, version, purl, CPE) and emits one
 * finding per component and vulnerability, on the first file it was found
 * in, plus a "vulnerability" fact for the CycloneDX report. How a component
 * is looked up (docs/vulndb.md):
 *   - a Debian package (pkg:deb/debian, its source package from the purl's
 *     upstream qualifier) in Debian's own records (OSV ecosystem
 *     "Debian:N", N from /etc/os-release, else from the "+debNNu" of the
 *     packages' versions; any Debian release when neither says),
 *     in dpkg's ordering: a backported fix counts, upstream ranges do not;
 *   - PyPI, npm, Go, Maven, crates.io and Alpine packages in OSV by their
 *     purl, in their ecosystem's ordering;
 *   - anything with a CPE (versions read from binaries) in NVD's cpeMatch
 *     ranges, in the generic ordering, unless a Debian package of that name
 *     is installed (its version is Debian's, which may carry backports); a
 *     range from an NVD configuration with operator AND counts only when
 *     every other node of it matches a component of the product too (an
 *     application "running on" an OS; hardware nodes cannot be seen in an
 *     image and are taken as met);
 *   - opkg packages (OpenWrt) in records of ecosystem "OpenWrt" by name, in
 *     opkg's (dpkg's) ordering, and by the CPE of the fingerprint of the same
 *     name with the upstream version (the package's less its "-RELEASE").
 * The database is opened read-only and immutable in init (before the
 * sandbox), and read only in finish.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"
#include "analyze/compfp.h"
#include "analyze/vulndb.h"
#include "report/report.h"

#define DEFAULT_MAX_AGE_DAYS 7
#define MAX_MATCHES 4096  /* vulnerabilities kept for one component */

/* The product's CPE-named components, for NVD's AND configurations. */
struct cpeset {
	struct cpe_item { char pkg[256], ver[128]; } *v;
	size_t n, cap;
};

struct vstate {
	sqlite3 *db;
	sqlite3_stmt *q_aff, *q_aff_like, *q_vuln, *q_score, *q_kev, *q_epss;
	sqlite3_stmt *q_aff_and, *q_cond; /* NULL for a database from before them */
	const struct cpeset *cpes;       /* during finish */
	struct pst_compfp *fp;           /* the built-in fingerprints: opkg names to CPEs
					    (loaded in finish, at the first opkg package) */
	unsigned max_age_days;
	char path[1024];
};

/* One lookup: ecosystem (exact, or a prefix with like), package, version. */
struct query {
	char eco[64], pkg[256], ver[128];
	bool like;
	bool dpkg; /* the version is a Debian package's */
};

struct match {
	char cve[64];     /* the id findings name: the CVE, else the record's id */
	char why[512];    /* every record that matched, and its range */
	char summary[200];
	char vector[128];
	double score;     /* best CVSS base score known, -1 none */
	bool kev;
	double epss;
};

static void st_free(struct vstate *st)
{
	sqlite3_stmt *q[] = { st->q_aff, st->q_aff_like, st->q_vuln, st->q_score, st->q_kev,
			      st->q_epss, st->q_aff_and, st->q_cond };
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		sqlite3_finalize(q[i]);
	sqlite3_close(st->db);
	pst_compfp_free(st->fp);
	free(st);
}

/* file: URI of path, so that '?' and '#' in it are no URI syntax. */
static void uri_of(const char *path, char *out, size_t cap)
{
	size_t o = (size_t)snprintf(out, cap, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p && o + 4 < cap; p++)
		o += (size_t)(*p == '?' || *p == '#' || *p == '%' ?
				      snprintf(out + o, cap - o, "%%%02X", *p) :
				      snprintf(out + o, cap - o, "%c", *p));
	snprintf(out + o, cap - o, "?immutable=1");
}

/* The AND-configuration statements; a database imported before them has
 * no cond table (and no AND ranges): they stay NULL. */
static void prepare_and(struct vstate *st)
{
	if (sqlite3_prepare_v2(st->db,
			       "SELECT src, id, lo, lo_incl, hi, hi_incl, scheme, why, eco FROM "
			       "affected WHERE pkg=?1 AND eco >= 'cpe&' AND eco < 'cpe'''"
			       " ORDER BY src, id, rowid",
			       -1, &st->q_aff_and, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db,
			       "SELECT node, part, pkg, lo, lo_incl, hi, hi_incl FROM cond"
			       " WHERE src=?1 AND id=?2 AND cfg=?3 ORDER BY node, rowid",
			       -1, &st->q_cond, NULL) != SQLITE_OK) {
		sqlite3_finalize(st->q_aff_and);
		st->q_aff_and = NULL;
	}
}

static enum pst_err v_init(const struct pst_options *o, void **state)
{
	static const char *const sql[] = {
		"SELECT src, id, lo, lo_incl, hi, hi_incl, scheme, why FROM affected"
		" WHERE eco=?1 AND pkg=?2 ORDER BY src, id, rowid",
		"SELECT src, id, lo, lo_incl, hi, hi_incl, scheme, why FROM affected"
		" WHERE eco LIKE ?1 AND pkg=?2 ORDER BY src, id, rowid",
		"SELECT cve, summary, score, vector FROM vuln WHERE src=?1 AND id=?2",
		"SELECT score, vector FROM vuln WHERE src='nvd' AND id=?1",
		"SELECT 1 FROM kev WHERE cve=?1 OR cve IN (SELECT alias FROM alias WHERE src=?2 "
		"AND id=?3)",
		"SELECT score FROM epss WHERE cve=?1",
	};
	struct vstate *st;
	char uri[2200];
	*state = NULL;
	if (!o->vulndb)
		return PST_OK;
	st = pst_calloc(1, sizeof(*st));
	if (!st)
		return PST_ENOMEM;
	snprintf(st->path, sizeof(st->path), "%s", o->vulndb);
	st->max_age_days = o->vulndb_max_age_days ? o->vulndb_max_age_days : DEFAULT_MAX_AGE_DAYS;
	uri_of(o->vulndb, uri, sizeof(uri));
	sqlite3_stmt **q[] = { &st->q_aff, &st->q_aff_like, &st->q_vuln, &st->q_score, &st->q_kev,
			       &st->q_epss };
	bool ok = sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) ==
		  SQLITE_OK;
	for (size_t i = 0; ok && i < sizeof(sql) / sizeof(sql[0]); i++)
		ok = sqlite3_prepare_v2(st->db, sql[i], -1, q[i], NULL) == SQLITE_OK;
	if (ok)
		prepare_and(st);

	if (!ok) {
		pst_message(o, PST_MSG_WARNING, "vulnerability database %s: %s", o->vulndb,
			    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		st_free(st);
		return PST_EFORMAT;
	}
	*state = st;
	return PST_OK;
}

static void v_fini(void *state)
{
	if (state)
		st_free(state);
}

static const char *col(sqlite3_stmt *q, int i)
{
	const unsigned char *s = sqlite3_column_text(q, i);
	return s ? (const char *)s : NULL;
}

/* Whether ver lies in the range of row q whose lo is column i (lo, lo_incl,
 * hi, hi_incl follow) under ordering s. */
static bool range_at(sqlite3_stmt *q, int i, enum pst_ver_scheme s, const char *ver)
{
	const char *lo = col(q, i), *hi = col(q, i + 2);
	if (lo) {
		int c = pst_ver_cmp(s, ver, lo);
		if (c < 0 || (c == 0 && !sqlite3_column_int(q, i + 1)))
			return false;
	}
	if (hi) {
		int c = pst_ver_cmp(s, ver, hi);
		if (c > 0 || (c == 0 && !sqlite3_column_int(q, i + 3)))
			return false;
	}
	return true;
}

/* Whether ver lies in the row's range under its ordering. */
static bool in_range(sqlite3_stmt *q, const char *ver)
{
	return range_at(q, 2, (enum pst_ver_scheme)sqlite3_column_int(q, 6), ver);
}

static void append(char *buf, size_t cap, const char *sep, const char *s)
{
	size_t n = strlen(buf);
	if (n + strlen(sep) + strlen(s) + 1 < cap)
		snprintf(buf + n, cap - n, "%s%s", n ? sep : "", s);
}

/* Fills m from the record src/id: its CVE, summary and best score (NVD's
 * for the same CVE when higher), KEV and EPSS. */
static void describe(struct vstate *st, const char *src, const char *id, struct match *m)
{
	const char *cve = NULL;
	sqlite3_bind_text(st->q_vuln, 1, src, -1, SQLITE_STATIC);
	sqlite3_bind_text(st->q_vuln, 2, id, -1, SQLITE_STATIC);
	m->score = -1;
	m->epss = -1;
	if (sqlite3_step(st->q_vuln) == SQLITE_ROW) {
		cve = col(st->q_vuln, 0);
		snprintf(m->summary, sizeof(m->summary), "%s",
			 col(st->q_vuln, 1) ? col(st->q_vuln, 1) : "");
		if (sqlite3_column_type(st->q_vuln, 2) != SQLITE_NULL)
			m->score = sqlite3_column_double(st->q_vuln, 2);
		snprintf(m->vector, sizeof(m->vector), "%s",
			 col(st->q_vuln, 3) ? col(st->q_vuln, 3) : "");
	}
	snprintf(m->cve, sizeof(m->cve), "%s", cve ? cve : id);
	sqlite3_reset(st->q_vuln);
	sqlite3_bind_text(st->q_score, 1, m->cve, -1, SQLITE_STATIC);
	if (sqlite3_step(st->q_score) == SQLITE_ROW &&
	    sqlite3_column_type(st->q_score, 0) != SQLITE_NULL &&
	    sqlite3_column_double(st->q_score, 0) > m->score) {
		m->score = sqlite3_column_double(st->q_score, 0);
		snprintf(m->vector, sizeof(m->vector), "%s",
			 col(st->q_score, 1) ? col(st->q_score, 1) : "");
	}
	sqlite3_reset(st->q_score);
	sqlite3_bind_text(st->q_kev, 1, m->cve, -1, SQLITE_STATIC);
	sqlite3_bind_text(st->q_kev, 2, src, -1, SQLITE_STATIC);
	sqlite3_bind_text(st->q_kev, 3, id, -1, SQLITE_STATIC);
	m->kev = sqlite3_step(st->q_kev) == SQLITE_ROW;
	sqlite3_reset(st->q_kev);
	sqlite3_bind_text(st->q_epss, 1, m->cve, -1, SQLITE_STATIC);
	if (sqlite3_step(st->q_epss) == SQLITE_ROW)
		m->epss = sqlite3_column_double(st->q_epss, 0);
	sqlite3_reset(st->q_epss);
}

/* Adds what a matching row says to ms (merged by CVE); returns the count. */
static size_t add_match(struct vstate *st, struct match *ms, size_t n, sqlite3_stmt *q,
			const char *ver, const char *also)
{
	struct match m;
	char why[400];
	size_t i;
	memset(&m, 0, sizeof(m));
	describe(st, col(q, 0), col(q, 1), &m);
	snprintf(why, sizeof(why), "%s %s: %s, %s%s%s%s%s%s", col(q, 0), col(q, 1),
		 col(q, 7) ? col(q, 7) : "", col(q, 2) ? col(q, 2) : "",
		 col(q, 2) ? (sqlite3_column_int(q, 3) ? " <= " : " < ") : "", ver,
		 col(q, 4) ? (sqlite3_column_int(q, 5) ? " <= " : " < ") : "",
		 col(q, 4) ? col(q, 4) : "", also);
	for (i = 0; i < n; i++)
		if (strcmp(ms[i].cve, m.cve) == 0)
			break;
	if (i == n) {
		if (n == MAX_MATCHES)
			return n;
		ms[n++] = m;
	} else if (m.score > ms[i].score) {
		ms[i].score = m.score;
		snprintf(ms[i].vector, sizeof(ms[i].vector), "%s", m.vector);
	}
	ms[i].kev = ms[i].kev || m.kev;
	if (!strstr(ms[i].why, why))
		append(ms[i].why, sizeof(ms[i].why), "; ", why);
	return n;
}

/* Whether a cond row (node, part, pkg, lo..) is met by the product: a
 * hardware CPE cannot be seen in an image and is taken as met. */
static bool cond_met(const struct vstate *st, sqlite3_stmt *q)
{
	const char *part = col(q, 1), *pkg = col(q, 2);
	if (part && strcmp(part, "h") == 0)
		return true;
	for (size_t i = 0; pkg && i < st->cpes->n; i++)
		if (strcmp(st->cpes->v[i].pkg, pkg) == 0 &&
		    range_at(q, 3, PST_VER_GENERIC, st->cpes->v[i].ver))
			return true;
	return false;
}

/* Whether every node of configuration eco ("cpe&CFG") of src/id has a
 * cpeMatch the product meets; the other products that met one go into why
 * (self: the product being looked up). */
static bool and_holds(struct vstate *st, const char *src, const char *id, const char *eco,
		      const char *self, char *why, size_t cap)
{
	sqlite3_stmt *q = st->q_cond;
	int node = -1;
	bool met = true, node_met = true;
	sqlite3_bind_text(q, 1, src, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(q, 3, atoi(eco + 4));
	while (met && sqlite3_step(q) == SQLITE_ROW) {
		if (sqlite3_column_int(q, 0) != node) {
			met = node_met;
			node = sqlite3_column_int(q, 0);
			node_met = false;
		}
		if (!node_met && cond_met(st, q)) {
			const char *pkg = col(q, 2) ? col(q, 2) : "";
			size_t n = strlen(why);
			node_met = true;
			if (strcmp(pkg, self) != 0 && n + strlen(pkg) + 8 < cap)
				snprintf(why + n, cap - n, ", with %s", pkg);
		}
	}
	sqlite3_reset(q);
	return met && node_met && node >= 0;
}

/* The rows of NVD's AND configurations for a CPE query. */
static size_t lookup_and(struct vstate *st, const struct query *qu, struct match *ms, size_t n)
{
	sqlite3_stmt *q = st->q_aff_and;
	char why[256];
	if (!q || !st->cpes)
		return n;
	sqlite3_bind_text(q, 1, qu->pkg, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW) {
		why[0] = 0;
		if (in_range(q, qu->ver) &&
		    and_holds(st, col(q, 0), col(q, 1), col(q, 8), qu->pkg, why, sizeof(why)))
			n = add_match(st, ms, n, q, qu->ver, why);
	}
	sqlite3_reset(q);
	return n;
}

static size_t lookup(struct vstate *st, const struct query *qu, struct match *ms, size_t n)
{
	sqlite3_stmt *q = qu->like ? st->q_aff_like : st->q_aff;
	sqlite3_bind_text(q, 1, qu->eco, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, qu->pkg, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW)
		if (in_range(q, qu->ver))
			n = add_match(st, ms, n, q, qu->ver, "");
	sqlite3_reset(q);
	if (strcmp(qu->eco, "cpe") == 0)
		n = lookup_and(st, qu, ms, n);
	return n;
}

/* ---- components to lookups ---- */

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* Percent-decodes [s, e) into out (purl segments). */
static void pct_dec(const char *s, const char *e, char *out, size_t cap)
{
	size_t o = 0;
	for (; s < e && o + 1 < cap; s++) {
		unsigned v;
		if (*s == '%' && e - s >= 3 && sscanf(s + 1, "%2x", &v) == 1) {
			out[o++] = (char)v;
			s += 2;
		} else {
			out[o++] = *s;
		}
	}
	out[o] = 0;
}

/* A purl qualifier's value (decoded), or "". */
static void purl_qual(const char *purl, const char *key, char *out, size_t cap)
{
	const char *q = strchr(purl, '?');
	size_t kl = strlen(key);
	out[0] = 0;
	for (; q; q = strchr(q + 1, '&'))
		if (strncmp(q + 1, key, kl) == 0 && q[1 + kl] == '=') {
			const char *v = q + 2 + kl, *e = strchr(v, '&');
			pct_dec(v, e ? e : v + strlen(v), out, cap);
			return;
		}
}

/* A Debian package's source package, which Debian's records name: the
 * purl's upstream qualifier (dpkg's Source:); without it (d-i's udpkg
 * writes none) a udeb's name less "-udeb", "linux" for a kernel image,
 * else the package's own name. */
static void deb_source(const char *purl, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);
	purl_qual(purl, "upstream", out, cap);
	if (out[0])
		return;
	if (strncmp(name, "kernel-image-", 13) == 0 || strncmp(name, "linux-image-", 12) == 0)
		snprintf(out, cap, "linux");
	else if (n > 5 && strcmp(name + n - 5, "-udeb") == 0)
		snprintf(out, cap, "%.*s", (int)(n - 5), name);
	else
		snprintf(out, cap, "%s", name);
}

/* The distribution, from the operating-system component: "Debian:12". */
struct distro { char debian[32], alpine[32]; };

static void purl_query(const char *purl, const struct distro *d, struct query *qu)
{
	static const struct { const char *type, *eco; } ecos[] = {
		{ "pypi", "PyPI" }, { "npm", "npm" }, { "golang", "Go" }, { "maven", "Maven" },
		{ "cargo", "crates.io" }, { "gem", "RubyGems" }, { "composer", "Packagist" },
		{ "nuget", "NuGet" },
	};
	const char *t = purl + 4, *at = strrchr(purl, '@'), *slash = strchr(t, '/'), *name, *q;
	char path[256], up[128];
	if (!slash || !at || at < slash)
		return;
	q = strchr(at, '?');
	pct_dec(at + 1, q ? q : at + strlen(at), qu->ver, sizeof(qu->ver));
	pct_dec(slash + 1, at, path, sizeof(path));
	name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (strncmp(t, "deb/debian/", 11) == 0) {
		deb_source(purl, name, up, sizeof(up));
		snprintf(qu->pkg, sizeof(qu->pkg), "%s", up);
		snprintf(qu->eco, sizeof(qu->eco), "%s", d->debian[0] ? d->debian : "Debian%");
		qu->like = !d->debian[0];
		qu->dpkg = true;
	} else if (strncmp(t, "opkg/", 5) == 0) {
		snprintf(qu->pkg, sizeof(qu->pkg), "%s", name);
		snprintf(qu->eco, sizeof(qu->eco), "OpenWrt");
		qu->dpkg = true;
	} else if (strncmp(t, "apk/alpine/", 11) == 0) {
		snprintf(qu->pkg, sizeof(qu->pkg), "%s", name);
		snprintf(qu->eco, sizeof(qu->eco), "%s", d->alpine[0] ? d->alpine : "Alpine%");
		qu->like = !d->alpine[0];
	} else {
		for (size_t i = 0; i < sizeof(ecos) / sizeof(ecos[0]); i++) {
			size_t tl = strlen(ecos[i].type);
			if (strncmp(t, ecos[i].type, tl) != 0 || t[tl] != '/')
				continue;
			snprintf(qu->eco, sizeof(qu->eco), "%s", ecos[i].eco);
			/* Maven is group:artifact, Go and npm their whole path */
			if (strcmp(ecos[i].type, "maven") == 0 && name != path)
				path[name - path - 1] = ':';
			snprintf(qu->pkg, sizeof(qu->pkg), "%s", path);
		}
	}
	lower(qu->pkg);
}

/* An opkg package of a fingerprinted component (same name): its CPE with
 * the upstream version, the package's less OpenWrt's "-RELEASE". */
static void opkg_cpe_query(const struct pst_compfp *fp, const char *name, const char *ver,
			   struct query *qu)
{
	const char *cpe = pst_compfp_cpe(fp, name), *dash = strrchr(ver, '-');
	size_t n = strlen(ver);
	if (!cpe || !strchr(cpe, ':'))
		return;
	if (dash && dash > ver && dash[1] && strspn(dash + 1, "0123456789") == strlen(dash + 1))
		n = (size_t)(dash - ver);
	snprintf(qu->eco, sizeof(qu->eco), "cpe");
	snprintf(qu->pkg, sizeof(qu->pkg), "%s", strchr(cpe, ':') + 1);
	snprintf(qu->ver, sizeof(qu->ver), "%.*s", (int)n, ver);
	lower(qu->pkg);
}

/* cpe:2.3:a:VENDOR:PRODUCT:VERSION:UPDATE:... -> "vendor:product", version. */
static void cpe_query(const char *cpe, struct query *qu)
{
	char buf[512], *f[8];
	size_t n = 0;
	if (strncmp(cpe, "cpe:2.3:", 8) != 0 || strlen(cpe) >= sizeof(buf))
		return;
	memcpy(buf, cpe, strlen(cpe) + 1);
	for (char *p = buf; n < 8; n++) {
		f[n] = p;
		p = strchr(p, ':');
		if (!p)
			break;
		*p++ = 0;
	}
	if (n < 7 || strcmp(f[5], "*") == 0 || strcmp(f[5], "-") == 0)
		return;
	snprintf(qu->eco, sizeof(qu->eco), "cpe");
	snprintf(qu->pkg, sizeof(qu->pkg), "%s:%s", f[3], f[4]);
	snprintf(qu->ver, sizeof(qu->ver), "%s%s", f[5],
		 strcmp(f[6], "*") != 0 && strcmp(f[6], "-") != 0 ? f[6] : "");
	lower(qu->pkg);
}

/* Debian packages installed (binary and source names) and opkg packages: a
 * binary-read version of one of them is the package's, which the package's
 * own lookups judge (Debian's records; OpenWrt's and the upstream CPE). */
struct debset { char (*names)[128]; size_t n, cap; };

static bool deb_has(const struct debset *ds, const char *name)
{
	for (size_t i = 0; i < ds->n; i++)
		if (strcmp(ds->names[i], name) == 0)
			return true;
	return false;
}

static void deb_add(struct debset *ds, const char *name)
{
	if (!name[0] || deb_has(ds, name))
		return;
	if (ds->n == ds->cap) {
		size_t cap = ds->cap ? ds->cap * 2 : 256;
		void *p = pst_realloc(ds->names, cap * sizeof(*ds->names));
		if (!p)
			return;
		ds->names = p;
		ds->cap = cap;
	}
	snprintf(ds->names[ds->n++], sizeof(ds->names[0]), "%s", name);
}

/* Alpine's OSV ecosystem names the branch: 3.18.4 -> "Alpine:v3.18". */
static void alpine_eco(const char *ver, char *out, size_t cap)
{
	size_t dot = strcspn(ver, "."), len = dot;
	if (ver[dot])
		len += 1 + strcspn(ver + dot + 1, ".");
	snprintf(out, cap, "Alpine:v%.*s", (int)len, ver);
}

/* The Debian release a package version was built for: its "+debNNu" or
 * "~debNNu" (stable updates and security fixes), 0 when it says none. */
static long deb_release_of(const char *version)
{
	for (const char *p = strstr(version, "deb"); p; p = strstr(p + 1, "deb")) {
		char *end;
		long n;
		if (p == version || (p[-1] != '+' && p[-1] != '~'))
			continue;
		n = strtol(p + 3, &end, 10);
		if (end > p + 3 && *end == 'u' && n > 0 && n < 1000)
			return n;
	}
	return 0;
}

/* One pass over the component rows for the distribution and the Debian
 * packages. */
static void survey(const struct pst_comp_row *rs, size_t n, struct distro *d, struct debset *ds)
{
	long seen = 0; /* the newest release a package version names */
	for (size_t i = 0; i < n; i++) {
		const char **f = (const char **)rs[i].f;
		char up[128];
		if (strcmp(f[PST_COMP_TYPE], "operating-system") == 0) {
			long major = strtol(f[PST_COMP_VERSION], NULL, 10);
			if (strcmp(f[PST_COMP_NAME], "debian") == 0 && major > 0)
				snprintf(d->debian, sizeof(d->debian), "Debian:%ld", major);
			if (strcmp(f[PST_COMP_NAME], "alpine") == 0)
				alpine_eco(f[PST_COMP_VERSION], d->alpine, sizeof(d->alpine));
		}
		/* an opkg package's binaries are judged as the package (vulns below) */
		if (strncmp(f[PST_COMP_PURL], "pkg:opkg/", 9) == 0)
			deb_add(ds, f[PST_COMP_NAME]);
		if (strncmp(f[PST_COMP_PURL], "pkg:deb/debian/", 15) == 0) {
			long rel = deb_release_of(f[PST_COMP_VERSION]);
			deb_add(ds, f[PST_COMP_NAME]);
			deb_source(f[PST_COMP_PURL], f[PST_COMP_NAME], up, sizeof(up));
			deb_add(ds, up);
			seen = rel > seen ? rel : seen;
		}
	}
	/* no os-release (an installer's initrd): the release its updates name */
	if (!d->debian[0] && seen)
		snprintf(d->debian, sizeof(d->debian), "Debian:%ld", seen);
}

/* ---- findings ---- */

static const char *rule_of(const struct match *m, enum pst_severity *sev)
{
	if (m->kev) {
		*sev = PST_SEV_HIGH;
		return "vuln.known-exploited";
	}
	if (m->score >= 9.0) {
		*sev = PST_SEV_HIGH;
		return "vuln.critical";
	}
	if (m->score >= 7.0) {
		*sev = PST_SEV_MEDIUM;
		return "vuln.high";
	}
	*sev = PST_SEV_LOW;
	return "vuln.other";
}

/* Tabs and control characters never reach a fact's fields. */
static void clean(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20)
			*s = ' ';
}

static void emit(struct pst_scan *s, const struct pst_comp_row *r, size_t others,
		 struct match *m)
{
	const char **f = (const char **)r->f;
	enum pst_severity sev;
	const char *rule = rule_of(m, &sev);
	char score[16] = "no score", more[48] = "", fact[2048];

	clean(m->summary);
	clean(m->why);
	if (m->score >= 0)
		snprintf(score, sizeof(score), "CVSS %.1f", m->score);
	if (others)
		snprintf(more, sizeof(more), " (and %zu other file%s)", others,
			 others > 1 ? "s" : "");
	pst_finding_add(s, r->node, rule, sev, "vulnerability", 0, m->why,
			"%s %s%s is affected by %s (%s%s): %.160s", f[PST_COMP_NAME],
			f[PST_COMP_VERSION], more, m->cve, score,
			m->kev ? ", known exploited (CISA KEV)" : "", m->summary);
	snprintf(fact, sizeof(fact), "%s\t%s\t%.1f\t%s\t%d\t%.5f\t%s\t%s\t%s\t%s\t%s\t%.160s",
		 m->cve, rule, m->score, m->vector, m->kev, m->epss, f[PST_COMP_NAME],
		 f[PST_COMP_VERSION], f[PST_COMP_PURL], f[PST_COMP_CPE], m->why, m->summary);
	pst_fact_add(s, r->node, "vulnerability", fact);
}

static int match_cmp(const void *a, const void *b)
{
	return strcmp(((const struct match *)a)->cve, ((const struct match *)b)->cve);
}

/* Looks one component up (its purl, then its CPE) and emits its matches;
 * false when out of memory. */
static bool component(struct vstate *st, struct pst_scan *s, const struct pst_comp_row *r,
		      size_t others, const struct distro *d, const struct debset *ds,
		      struct match *ms)
{
	const char **f = (const char **)r->f;
	struct query qu;
	size_t n = 0;
	memset(&qu, 0, sizeof(qu));
	if (strncmp(f[PST_COMP_PURL], "pkg:", 4) == 0)
		purl_query(f[PST_COMP_PURL], d, &qu);
	if (qu.eco[0] && qu.ver[0])
		n = lookup(st, &qu, ms, n);
	memset(&qu, 0, sizeof(qu));
	if (strncmp(f[PST_COMP_PURL], "pkg:opkg/", 9) == 0) {
		/* the fingerprints' CPEs, loaded at the first opkg package */
		if (!st->fp) {
			char err[256];
			st->fp = pst_compfp_load(NULL, err, sizeof(err));
			if (!st->fp) /* the built-in files parsed before: memory */
				return false;
		}
		opkg_cpe_query(st->fp, f[PST_COMP_NAME], f[PST_COMP_VERSION], &qu);
	}
	if (qu.eco[0] && qu.ver[0])
		n = lookup(st, &qu, ms, n);
	memset(&qu, 0, sizeof(qu));
	/* a version read from a Debian package's binary is Debian's own */
	if (f[PST_COMP_CPE][0] && !(strcmp(f[PST_COMP_TECHNIQUE], "binary-analysis") == 0 &&
				    deb_has(ds, f[PST_COMP_NAME])))
		cpe_query(f[PST_COMP_CPE], &qu);
	if (qu.eco[0])
		n = lookup(st, &qu, ms, n);
	qsort(ms, n, sizeof(*ms), match_cmp);
	for (size_t i = 0; i < n; i++)
		emit(s, r, others, &ms[i]);
	return true;
}

static void stale_check(struct vstate *st, const struct pst_tree *t)
{
	sqlite3_stmt *q;
	time_t now = time(NULL);
	if (sqlite3_prepare_v2(st->db, "SELECT max(imported), count(*) FROM source", -1, &q,
			       NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(q) == SQLITE_ROW) {
		bool none = sqlite3_column_type(q, 0) == SQLITE_NULL;
		double days =
			none ? 0 : (double)(now - (time_t)sqlite3_column_int64(q, 0)) / 86400.0;
		if (none)
			pst_finding_add(t->scan, t->root, "vulndb.stale", PST_SEV_INFO,
					"vulnerability", 0, NULL,
					"the vulnerability database %s holds no import", st->path);
		else if (days > (double)st->max_age_days)
			pst_finding_add(t->scan, t->root, "vulndb.stale", PST_SEV_INFO,
					"vulnerability", 0, NULL,
					"the newest import into the vulnerability database is "
					"%.0f days old (more than %u): vulnerabilities published "
					"since "
					"are not matched",
					days, st->max_age_days);
	}
	sqlite3_finalize(q);
}

/* Every component's CPE as a lookup (the AND configurations' other nodes);
 * false when out of memory. */
static bool cpes_of(const struct pst_comp_row *rs, size_t n, struct cpeset *cs)
{
	for (size_t i = 0; i < n; i++) {
		const char **f = (const char **)rs[i].f;
		struct query qu;
		memset(&qu, 0, sizeof(qu));
		if (f[PST_COMP_CPE][0])
			cpe_query(f[PST_COMP_CPE], &qu);
		if (!qu.eco[0])
			continue;
		if (!pst_array_grow((void **)&cs->v, &cs->cap, cs->n, sizeof(*cs->v), 64))
			return false;
		snprintf(cs->v[cs->n].pkg, sizeof(cs->v[0].pkg), "%s", qu.pkg);
		snprintf(cs->v[cs->n++].ver, sizeof(cs->v[0].ver), "%s", qu.ver);
	}
	return true;
}

static enum pst_err v_finish(const void *state, const struct pst_tree *t)
{
	struct vstate *st = (struct vstate *)state;
	struct pst_comp_row *rs;
	struct distro d;
	struct debset ds = { 0 };
	struct cpeset cs = { 0 };
	struct match *ms;
	bool ok;
	size_t n, i, j;
	if (!st)
		return PST_OK;
	stale_check(st, t);
	rs = pst_comp_rows(t->scan, &n);
	ms = pst_malloc(MAX_MATCHES * sizeof(*ms));
	if (!rs || !ms) {
		pst_comp_rows_free(rs, n);
		free(ms);
		return PST_ENOMEM;
	}
	memset(&d, 0, sizeof(d));
	survey(rs, n, &d, &ds);
	ok = cpes_of(rs, n, &cs);
	st->cpes = &cs;
	for (i = 0; ok && i < n; i = j) {
		j = pst_comp_group_end(rs, n, i);
		ok = component(st, t->scan, &rs[i], j - i - 1, &d, &ds, ms);
	}
	st->cpes = NULL;
	free(cs.v);
	free(ds.names);
	free(ms);
	pst_comp_rows_free(rs, n);
	return ok ? PST_OK : PST_ENOMEM;
}

const struct pst_analyzer pst_analyzer_vulns = {
	.name = "vulns",
	.init = v_init,
	.fini = v_fini,
	.finish = v_finish,
};
