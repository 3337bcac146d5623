/*
 * vulnimport.c - the formats `postern vulndb import` reads, each into the
 * database through vulndb.c's writes:
 *   - OSV (ossf.github.io/osv-schema): a record, an array of records, or one
 *     entry of a zipped per-ecosystem dump (vulndb.c opens the zip);
 *     ranges ECOSYSTEM and SEMVER (introduced / fixed / last_affected),
 *     explicit `versions`; GIT ranges are left out (no commit is known for
 *     a binary).
 *   - NVD CVE API 2.0 (a page or a feed file): configurations' cpeMatch
 *     entries that are vulnerable, with versionStart/End Including/Excluding
 *     or an exact version in the criteria; the CVSS base score (v3.1, v3.0,
 *     else v2).
 *   - CISA KEV (JSON or CSV) and FIRST EPSS (CSV).
 * All input is hostile: fields of the wrong type are skipped, strings are
 * bounded by jansson, and CSV fields by the row buffer.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "analyze/vulndb.h"

#define CSV_FIELDS 16
#define CSV_FIELD_MAX 1024

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* ---- OSV ---- */

/* The CVE a record is about: its id, else its first CVE alias or upstream. */
static const char *osv_cve(json_t *rec)
{
	static const char *const lists[] = { "aliases", "upstream" };
	const char *id = jstr(rec, "id");
	if (id && strncmp(id, "CVE-", 4) == 0)
		return id;
	for (size_t k = 0; k < 2; k++) {
		json_t *a = json_object_get(rec, lists[k]), *v;
		size_t i;
		json_array_foreach(a, i, v) {
			const char *s = json_string_value(v);
			if (s && strncmp(s, "CVE-", 4) == 0)
				return s;
		}
	}
	return NULL;
}

/* The best score a record states: a CVSS v3 vector computed, else the
 * severity label of database_specific (GHSA: LOW/MODERATE/HIGH/CRITICAL). */
static double osv_score(json_t *rec, const char **vector)
{
	static const struct { const char *label; double score; } labels[] = {
		{ "CRITICAL", 9.0 }, { "HIGH", 7.0 }, { "MODERATE", 4.0 }, { "MEDIUM", 4.0 },
		{ "LOW", 0.1 },
	};
	json_t *sev = json_object_get(rec, "severity"), *v;
	double best = -1;
	size_t i;
	*vector = NULL;
	json_array_foreach(sev, i, v) {
		const char *vec = jstr(v, "score");
		double s = pst_cvss3_score(vec);
		if (s > best) {
			best = s;
			*vector = vec;
		}
	}
	if (best >= 0)
		return best;
	const char *label = jstr(json_object_get(rec, "database_specific"), "severity");
	for (i = 0; label && i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(label, labels[i].label) == 0) {
			*vector = "severity label";
			return labels[i].score;
		}
	return -1;
}

/* The events of one range, in order: each introduced opens a range that the
 * next fixed (exclusive) or last_affected (inclusive) closes; one left open
 * runs to the newest version. "0" is "from the first version". */
static bool osv_events(struct pst_vimport *im, struct pst_vrange *r, json_t *events)
{
	json_t *ev;
	size_t i;
	bool open = false, ok = true;
	json_array_foreach(events, i, ev) {
		const char *intro = jstr(ev, "introduced"), *fixed = jstr(ev, "fixed"),
			   *last = jstr(ev, "last_affected");
		if (intro) {
			r->lo = strcmp(intro, "0") == 0 ? NULL : intro;
			r->lo_incl = true;
			open = true;
		} else if ((fixed || last) && open) {
			r->hi = fixed ? fixed : last;
			r->hi_incl = fixed == NULL;
			ok = ok && pst_vdb_put_range(im, r);
			open = false;
		}
	}
	if (open) {
		r->hi = NULL;
		ok = ok && pst_vdb_put_range(im, r);
	}
	return ok;
}

static bool osv_affected(struct pst_vimport *im, const char *id, json_t *aff)
{
	json_t *pkg = json_object_get(aff, "package"), *ranges = json_object_get(aff, "ranges");
	json_t *versions = json_object_get(aff, "versions"), *v;
	const char *eco = jstr(pkg, "ecosystem"), *name = jstr(pkg, "name");
	char why[96];
	size_t i;
	bool ok = true;
	if (!eco || !name)
		return true;
	json_array_foreach(ranges, i, v) {
		const char *type = jstr(v, "type");
		struct pst_vrange r = { .src = "osv", .id = id, .eco = eco, .pkg = name };
		if (!type || (strcmp(type, "ECOSYSTEM") != 0 && strcmp(type, "SEMVER") != 0))
			continue;
		r.scheme = pst_vdb_scheme_of(eco, type);
		snprintf(why, sizeof(why), "osv %s range", type);
		r.why = why;
		ok = ok && osv_events(im, &r, json_object_get(v, "events"));
	}
	json_array_foreach(versions, i, v) {
		const char *ver = json_string_value(v);
		struct pst_vrange r = { .src = "osv",
					.id = id,
					.eco = eco,
					.pkg = name,
					.lo = ver,
					.hi = ver,
					.lo_incl = true,
					.hi_incl = true,
					.scheme = pst_vdb_scheme_of(eco, NULL),
					.why = "osv versions list" };
		if (ver)
			ok = ok && pst_vdb_put_range(im, &r);
	}
	return ok;
}

static bool osv_record(struct pst_vimport *im, json_t *rec)
{
	const char *id = jstr(rec, "id"), *vector, *summary = jstr(rec, "summary");
	json_t *v;
	size_t i;
	double score;
	bool ok;
	if (!id) {
		snprintf(im->err, sizeof(im->err), "an OSV record without an id");
		return false;
	}
	score = osv_score(rec, &vector);
	ok = pst_vdb_put_vuln(im, "osv", id, osv_cve(rec), summary ? summary : jstr(rec, "details"),
			      score, vector, jstr(rec, "modified"));
	json_array_foreach(json_object_get(rec, "aliases"), i, v)
		if (json_string_value(v))
			ok = ok && pst_vdb_put_alias(im, "osv", id, json_string_value(v));
	json_array_foreach(json_object_get(rec, "upstream"), i, v)
		if (json_string_value(v))
			ok = ok && pst_vdb_put_alias(im, "osv", id, json_string_value(v));
	/* a withdrawn record replaces what was held, and matches nothing */
	if (json_string_value(json_object_get(rec, "withdrawn")))
		return ok;
	json_array_foreach(json_object_get(rec, "affected"), i, v)
		ok = ok && osv_affected(im, id, v);
	return ok;
}

bool pst_vimport_osv(struct pst_vimport *im, const void *json_root)
{
	json_t *root = (json_t *)json_root, *v;
	size_t i;
	bool ok = true;
	if (!json_is_array(root))
		return osv_record(im, root);
	json_array_foreach(root, i, v)
		ok = ok && osv_record(im, v);
	return ok;
}

bool pst_vimport_osv_json(struct pst_vimport *im, const char *text, size_t len)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, 0, &je);
	bool ok;
	if (!root) {
		snprintf(im->err, sizeof(im->err), "JSON line %d: %s", je.line, je.text);
		return false;
	}
	ok = pst_vimport_osv(im, root);
	json_decref(root);
	return ok;
}

/* ---- NVD CVE API 2.0 ---- */

static double nvd_score(json_t *cve, const char **vector)
{
	static const char *const keys[] = { "cvssMetricV31", "cvssMetricV30", "cvssMetricV40",
					    "cvssMetricV2" };
	json_t *metrics = json_object_get(cve, "metrics");
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		json_t *m, *list = json_object_get(metrics, keys[k]);
		size_t i;
		/* NVD's own ("Primary") score first, else the first given */
		json_array_foreach(list, i, m) {
			json_t *data = json_object_get(m, "cvssData");
			const char *type = jstr(m, "type");
			if (json_is_number(json_object_get(data, "baseScore")) &&
			    (!type || strcmp(type, "Primary") == 0 ||
			     i + 1 == json_array_size(list))) {
				*vector = jstr(data, "vectorString");
				return json_number_value(json_object_get(data, "baseScore"));
			}
		}
	}
	*vector = NULL;
	return -1;
}

/* Splits a CPE 2.3 formatted string at unescaped colons into f[0..12]
 * (f[3] vendor, f[4] product, f[5] version, f[6] update). */
static bool cpe_split(const char *cpe, char *buf, size_t cap, const char *f[13])
{
	size_t n = 0, o = 0;
	if (strncmp(cpe, "cpe:2.3:", 8) != 0 || strlen(cpe) >= cap)
		return false;
	f[n++] = buf;
	for (const char *p = cpe; *p; p++) {
		if (*p == '\\' && p[1]) {
			buf[o++] = *++p;
		} else if (*p == ':') {
			buf[o++] = 0;
			if (n == 13)
				return false;
			f[n++] = buf + o;
		} else {
			buf[o++] = *p;
		}
	}
	buf[o] = 0;
	return n == 13;
}

/* What one cpeMatch says: the product, its range and why; false for no
 * usable CPE. part: the CPE's part letter. */
struct nvd_m {
	struct pst_vrange r;
	char buf[512], pkg[300], exact[200], why[600], part[2];
};

static bool nvd_range(const char *id, json_t *m, struct nvd_m *x)
{
	const char *f[13];
	const char *si = jstr(m, "versionStartIncluding"), *se = jstr(m, "versionStartExcluding");
	const char *ei = jstr(m, "versionEndIncluding"), *ee = jstr(m, "versionEndExcluding");
	const char *crit = jstr(m, "criteria");
	struct pst_vrange r = { .src = "nvd", .id = id, .eco = "cpe", .scheme = PST_VER_GENERIC };

	if (!crit || !cpe_split(crit, x->buf, sizeof(x->buf), f) || !f[2][0] || f[2][1])
		return false;
	snprintf(x->part, sizeof(x->part), "%s", f[2]);
	snprintf(x->pkg, sizeof(x->pkg), "%s:%s", f[3], f[4]);
	r.pkg = x->pkg;
	if (strcmp(f[5], "*") != 0 && strcmp(f[5], "-") != 0) {
		/* one version; an update ("p1", "rc2") is part of it as components read it */
		snprintf(x->exact, sizeof(x->exact), "%s%s", f[5],
			 strcmp(f[6], "*") != 0 && strcmp(f[6], "-") != 0 ? f[6] : "");
		r.lo = r.hi = x->exact;
		r.lo_incl = r.hi_incl = true;
		snprintf(x->why, sizeof(x->why), "nvd cpeMatch %s:%s version %s", f[3], f[4],
			 x->exact);
	} else {
		r.lo = si ? si : se;
		r.lo_incl = si != NULL;
		r.hi = ei ? ei : ee;
		r.hi_incl = ei != NULL;
		snprintf(x->why, sizeof(x->why), "nvd cpeMatch %s:%s%s%s%s%s", f[3], f[4],
			 si ? " versionStartIncluding " :
			 se ? " versionStartExcluding " :
			      "",
			 r.lo ? r.lo : "",
			 ei ? " versionEndIncluding " :
			 ee ? " versionEndExcluding " :
			      "",
			 r.hi ? r.hi : "");
	}
	r.why = x->why;
	x->r = r;
	return true;
}

/* A cpeMatch of a plain configuration: a range when it is vulnerable. */
static bool nvd_match(struct pst_vimport *im, const char *id, json_t *m)
{
	struct nvd_m x;
	if (!json_is_true(json_object_get(m, "vulnerable")) || !nvd_range(id, m, &x) ||
	    strcmp(x.part, "h") == 0)
		return true;
	return pst_vdb_put_range(im, &x.r);
}

/* A configuration with operator AND over several nodes ("an application
 * running on an OS"): every cpeMatch is a condition of its node, and the
 * vulnerable ones are ranges under eco "cpe&CFG", which vulns.c matches
 * only when each node of CFG matches a component of the product. */
static bool nvd_and(struct pst_vimport *im, const char *id, json_t *cfg, int cfgno)
{
	json_t *node, *m;
	size_t j, k;
	char eco[32];
	bool ok = true;
	snprintf(eco, sizeof(eco), "cpe&%d", cfgno);
	json_array_foreach(json_object_get(cfg, "nodes"), j, node) {
		json_array_foreach(json_object_get(node, "cpeMatch"), k, m) {
			struct nvd_m x;
			if (!nvd_range(id, m, &x))
				continue;
			ok = ok && pst_vdb_put_cond(im, &x.r, cfgno, (int)j, x.part);
			x.r.eco = eco;
			if (ok && json_is_true(json_object_get(m, "vulnerable")) &&
			    strcmp(x.part, "h") != 0)
				ok = pst_vdb_put_range(im, &x.r);
		}
	}
	return ok;
}

static bool is_and(json_t *cfg)
{
	const char *op = jstr(cfg, "operator");
	return op && strcmp(op, "AND") == 0 && json_array_size(json_object_get(cfg, "nodes")) > 1;
}

static bool nvd_cve(struct pst_vimport *im, json_t *cve)
{
	const char *id = jstr(cve, "id"), *vector, *summary = NULL;
	json_t *v, *cfg, *node, *m;
	size_t i, j, k;
	double score;
	bool ok;
	if (!id)
		return true;
	json_array_foreach(json_object_get(cve, "descriptions"), i, v)
		if (!summary || (jstr(v, "lang") && strcmp(jstr(v, "lang"), "en") == 0))
			summary = jstr(v, "value");
	score = nvd_score(cve, &vector);
	ok = pst_vdb_put_vuln(im, "nvd", id, id, summary, score, vector, jstr(cve, "lastModified"));
	json_array_foreach(json_object_get(cve, "configurations"), i, cfg) {
		if (is_and(cfg)) {
			ok = ok && nvd_and(im, id, cfg, (int)i + 1);
			continue;
		}
		json_array_foreach(json_object_get(cfg, "nodes"), j, node)
			json_array_foreach(json_object_get(node, "cpeMatch"), k, m)
				ok = ok && nvd_match(im, id, m);
	}
	return ok;
}

bool pst_vimport_nvd(struct pst_vimport *im, const void *json_root)
{
	json_t *root = (json_t *)json_root, *v;
	size_t i;
	bool ok = true;
	json_array_foreach(json_object_get(root, "vulnerabilities"), i, v)
		ok = ok && nvd_cve(im, json_object_get(v, "cve"));
	pst_vdb_dated(im, jstr(root, "timestamp"));
	return ok;
}

/* ---- CISA KEV ---- */

bool pst_vimport_kev_json(struct pst_vimport *im, const void *json_root)
{
	json_t *root = (json_t *)json_root, *v;
	size_t i;
	bool ok = true;
	json_array_foreach(json_object_get(root, "vulnerabilities"), i, v) {
		const char *cve = jstr(v, "cveID");
		if (cve)
			ok = ok && pst_vdb_put_kev(im, cve, jstr(v, "dateAdded"),
						   jstr(v, "vulnerabilityName"));
	}
	pst_vdb_dated(im, jstr(root, "dateReleased"));
	return ok;
}

/* ---- CSV (RFC 4180: quoted fields, "" inside quotes) ---- */

struct csv {
	const char *p, *end;
	char buf[CSV_FIELDS][CSV_FIELD_MAX];
	size_t n;
};

/* Reads the next row into c->buf; false at the end. Longer fields are cut,
 * fields past CSV_FIELDS dropped. */
static bool csv_row(struct csv *c)
{
	size_t o = 0;
	bool quoted = false;
	if (c->p >= c->end)
		return false;
	c->n = 0;
	c->buf[0][0] = 0;
	for (; c->p < c->end; c->p++) {
		char ch = *c->p;
		if (quoted) {
			if (ch == '"' && c->p + 1 < c->end && c->p[1] == '"')
				c->p++;
			else if (ch == '"') {
				quoted = false;
				continue;
			}
		} else if (ch == '"') {
			quoted = true;
			continue;
		} else if (ch == ',' || ch == '\n') {
			if (c->n < CSV_FIELDS)
				c->buf[c->n][o < CSV_FIELD_MAX ? o : CSV_FIELD_MAX - 1] = 0;
			c->n++;
			o = 0;
			if (ch == '\n') {
				c->p++;
				return true;
			}
			continue;
		} else if (ch == '\r') {
			continue;
		}
		if (c->n < CSV_FIELDS && o + 1 < CSV_FIELD_MAX)
			c->buf[c->n][o++] = ch;
	}
	if (c->n < CSV_FIELDS)
		c->buf[c->n][o < CSV_FIELD_MAX ? o : CSV_FIELD_MAX - 1] = 0;
	c->n++;
	return true;
}

static int csv_col(const struct csv *c, const char *name)
{
	for (size_t i = 0; i < c->n && i < CSV_FIELDS; i++)
		if (strcmp(c->buf[i], name) == 0)
			return (int)i;
	return -1;
}

bool pst_vimport_kev_csv(struct pst_vimport *im, const char *text, size_t len)
{
	struct csv *c = pst_calloc(1, sizeof(*c));
	int ci, cd, cn;
	bool ok = true;
	if (!c)
		return false;
	c->p = text;
	c->end = text + len;
	if (!csv_row(c) || (ci = csv_col(c, "cveID")) < 0) {
		snprintf(im->err, sizeof(im->err), "KEV CSV without a cveID column");
		free(c);
		return false;
	}
	cd = csv_col(c, "dateAdded");
	cn = csv_col(c, "vulnerabilityName");
	while (ok && csv_row(c)) {
		if ((size_t)ci >= c->n || strncmp(c->buf[ci], "CVE-", 4) != 0)
			continue;
		ok = pst_vdb_put_kev(im, c->buf[ci],
				     cd >= 0 && (size_t)cd < c->n ? c->buf[cd] : NULL,
				     cn >= 0 && (size_t)cn < c->n ? c->buf[cn] : NULL);
	}
	free(c);
	return ok;
}

/* ---- EPSS: "#model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000",
 * then "cve,epss,percentile" ---- */

bool pst_vimport_epss_csv(struct pst_vimport *im, const char *text, size_t len)
{
	struct csv *c = pst_calloc(1, sizeof(*c));
	int ci = -1, cs = -1, cp = -1;
	bool ok = true;
	if (!c)
		return false;
	c->p = text;
	c->end = text + len;
	while (ok && csv_row(c)) {
		const char *sd = c->n > 1 ? strstr(c->buf[1], "score_date:") : NULL;
		if (c->buf[0][0] == '#') {
			if (sd)
				pst_vdb_dated(im, sd + strlen("score_date:"));
			continue;
		}
		if (ci < 0) {
			ci = csv_col(c, "cve");
			cs = csv_col(c, "epss");
			cp = csv_col(c, "percentile");
			if (ci < 0 || cs < 0) {
				snprintf(im->err, sizeof(im->err),
					 "EPSS CSV without cve and epss columns");
				ok = false;
			}
			continue;
		}
		if ((size_t)ci >= c->n || (size_t)cs >= c->n || strncmp(c->buf[ci], "CVE-", 4) != 0)
			continue;
		ok = pst_vdb_put_epss(im, c->buf[ci], strtod(c->buf[cs], NULL),
				      cp >= 0 && (size_t)cp < c->n ? strtod(c->buf[cp], NULL) : -1);
	}
	free(c);
	return ok;
}
