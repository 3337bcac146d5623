/*
 * cyclonedx.c - a CycloneDX 1.5 JSON bill of materials (cyclonedx.org,
 * "CycloneDX v1.5 JSON Reference"): the product as metadata.component (type
 * firmware, with its SHA-256 and postern's verdict), every regular file in it
 * as a "file" component with its SHA-256, and the software components that
 * src/analyze/components.c identified (package databases, version banners),
 * each with its purl/CPE where sound and, as evidence, the files it was found
 * in (see docs/reports.md). Deterministic: no timestamp, a serial number
 * derived from the target's digest, components sorted.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "report/report.h"

/* A UUID (version 5 layout) from the first bytes of a SHA-256. */
static void serial_of(const struct pst_scan *s, const char *kind, char out[46])
{
	uint8_t sha[32];
	char hex[65];
	char seed[256];
	snprintf(seed, sizeof(seed), "postern-%s\n%s\n%s\n%s", kind, s->target_sha, s->root->seg,
		 PST_VERSION);
	pst_sha256((const uint8_t *)seed, strlen(seed), sha);
	sha[6] = (uint8_t)((sha[6] & 0x0f) | 0x50);
	sha[8] = (uint8_t)((sha[8] & 0x3f) | 0x80);
	pst_hex(sha, 16, hex);
	snprintf(out, 46, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16,
		 hex + 20);
}

static json_t *prop(const char *name, const char *value)
{
	return json_pack("{s:s,s:s}", "name", name, "value", value ? value : "");
}

static bool has_hash(const struct pst_node *n)
{
	size_t i;
	for (i = 0; i < 32; i++)
		if (n->sha256[i])
			return true;
	return false;
}

static json_t *file_component(const struct pst_node *n)
{
	json_t *c = json_object(), *props = json_array();
	char hex[65], size[32];
	pst_jstr(c, "type", "file");
	pst_jset(c, "bom-ref", json_pack("s+", "file:", n->location));
	pst_jstr(c, "name", n->path && strcmp(n->path, "/") != 0 ? n->path : n->seg);
	if (has_hash(n)) {
		pst_hex(n->sha256, 32, hex);
		pst_jset(c, "hashes", json_pack("[{s:s,s:s}]", "alg", "SHA-256", "content", hex));
	}
	json_array_append_new(props, prop("postern:location", n->location));
	json_array_append_new(props, prop("postern:kind", pst_kind_str(n->kind)));
	snprintf(size, sizeof(size), "%llu", (unsigned long long)n->size);
	json_array_append_new(props, prop("postern:size", size));
	if (n->kind_detail)
		json_array_append_new(props, prop("postern:detail", n->kind_detail));
	pst_jset(c, "properties", props);
	return c;
}

enum { C_TYPE = PST_COMP_TYPE, C_NAME = PST_COMP_NAME, C_VERSION = PST_COMP_VERSION,
       C_PURL = PST_COMP_PURL, C_CPE = PST_COMP_CPE, C_TECHNIQUE = PST_COMP_TECHNIQUE,
       C_EVIDENCE = PST_COMP_EVIDENCE };

static bool json_array_has(const json_t *a, const json_t *v)
{
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x)
		if (json_equal(x, v))
			return true;
	return false;
}

/* One component for cs[0..n) (same identity), found in one or more files. */
static json_t *software_component(const struct pst_comp_row *cs, size_t n, unsigned dup)
{
	json_t *c = json_object(), *occ = json_array(), *methods = json_array();
	json_t *props = json_array(), *identity = json_object();
	double best = 0;
	char ref[600];
	size_t i;

	pst_jstr(c, "type", cs[0].f[C_TYPE]);
	if (dup)
		snprintf(ref, sizeof(ref), "component:%s@%s#%u", cs[0].f[C_NAME],
			 cs[0].f[C_VERSION], dup + 1);
	else
		snprintf(ref, sizeof(ref), "component:%s@%s", cs[0].f[C_NAME], cs[0].f[C_VERSION]);
	pst_jstr(c, "bom-ref", ref);
	pst_jstr(c, "name", cs[0].f[C_NAME]);
	if (cs[0].f[C_VERSION][0])
		pst_jstr(c, "version", cs[0].f[C_VERSION]);
	if (cs[0].f[C_CPE][0])
		pst_jstr(c, "cpe", cs[0].f[C_CPE]);
	if (cs[0].f[C_PURL][0])
		pst_jstr(c, "purl", cs[0].f[C_PURL]);
	for (i = 0; i < n; i++) {
		const char *loc = cs[i].node ? cs[i].node->location : "";
		/* A package database states the version; a banner very probably does. */
		double conf = strcmp(cs[i].f[C_TECHNIQUE], "manifest-analysis") == 0 ? 1.0 : 0.8;
		json_t *o = json_pack("{s:s}", "location", loc);
		json_t *m = json_pack("{s:s,s:f,s:s}", "technique", cs[i].f[C_TECHNIQUE],
				      "confidence", conf, "value", cs[i].f[C_EVIDENCE]);
		if (conf > best)
			best = conf;
		if (!json_array_has(occ, o)) {
			char hex[65], *v;
			json_array_append(occ, o);
			if (cs[i].node && has_hash(cs[i].node))
				pst_hex(cs[i].node->sha256, 32, hex);
			else
				snprintf(hex, sizeof(hex), "-");
			if (asprintf(&v, "%s  %s", hex, loc) >= 0) {
				json_array_append_new(props, prop("postern:found-in", v));
				free(v);
			}
		}
		json_decref(o);
		if (!json_array_has(methods, m))
			json_array_append(methods, m);
		json_decref(m);
	}
	pst_jstr(identity, "field", cs[0].f[C_PURL][0] ? "purl" : "version");
	pst_jset(identity, "confidence", json_real(best));
	pst_jset(identity, "methods", methods);
	pst_jset(c, "evidence", json_pack("{s:o,s:o}", "identity", identity, "occurrences", occ));
	pst_jset(c, "properties", props);
	return c;
}

/* Software components from the facts, grouped by identity, in a stable order. */
static void add_software(const struct pst_scan *s, json_t *comps)
{
	size_t n = 0, i, j;
	struct pst_comp_row *cs = pst_comp_rows(s, &n);
	unsigned dup = 0;

	if (!cs)
		return;
	for (i = 0; i < n; i = j) {
		j = pst_comp_group_end(cs, n, i);
		/* Same name and version but another type, purl or cpe: a distinct bom-ref. */
		if (i && strcmp(cs[i - 1].f[C_NAME], cs[i].f[C_NAME]) == 0 &&
		    strcmp(cs[i - 1].f[C_VERSION], cs[i].f[C_VERSION]) == 0)
			dup++;
		else
			dup = 0;
		json_array_append_new(comps, software_component(&cs[i], j - i, dup));
	}
	pst_comp_rows_free(cs, n);
}

/* ---- vulnerabilities (the "vulnerability" facts of src/analyze/vulns.c:
 * CVE RULE SCORE VECTOR KEV EPSS NAME VERSION PURL CPE WHY SUMMARY) ---- */

enum { V_ID, V_RULE, V_SCORE, V_VECTOR, V_KEV, V_EPSS, V_NAME, V_VERSION, V_PURL, V_CPE, V_WHY,
       V_SUMMARY, V_N };

struct vrow { char *buf; const char *f[V_N]; const struct pst_node *node; };

static bool vrow_split(const char *value, struct vrow *r)
{
	char *p;
	size_t i;
	r->buf = strdup(value);
	for (i = 0, p = r->buf; p && i < V_N; i++) {
		r->f[i] = p;
		p = strchr(p, '\t');
		if (p)
			*p++ = 0;
	}
	if (i == V_N)
		return true;
	free(r->buf);
	return false;
}

static int vrow_cmp(const void *a, const void *b)
{
	const struct vrow *x = a, *y = b;
	int c = strcmp(x->f[V_ID], y->f[V_ID]);
	if (!c)
		c = strcmp(x->f[V_NAME], y->f[V_NAME]);
	return c ? c : strcmp(x->f[V_VERSION], y->f[V_VERSION]);
}

static const char *cvss_severity(double score)
{
	return score >= 9 ? "critical" : score >= 7 ? "high" : score >= 4 ? "medium" :
	       score > 0 ? "low" : "unknown";
}

/* The finding vulns.c made for row r (same file, names the same id). */
static const struct pst_finding *finding_of(const struct pst_scan *s, const struct vrow *r)
{
	char needle[96];
	snprintf(needle, sizeof(needle), " is affected by %s ", r->f[V_ID]);
	for (size_t i = 0; i < s->nfindings; i++) {
		const struct pst_finding *f = &s->findings[i];
		if (f->node == r->node && strncmp(f->rule, "vuln.", 5) == 0 && f->message &&
		    strstr(f->message, needle))
			return f;
	}
	return NULL;
}

/* VEX analysis: a match the policy waived is not_affected, with the
 * waiver's justification; any other is in_triage (matched by version, its
 * reachability not examined). */
static json_t *analysis_of(const struct pst_scan *s, const struct vrow *rs, size_t n)
{
	json_t *a = json_object();
	for (size_t i = 0; i < n; i++) {
		const struct pst_finding *f = finding_of(s, &rs[i]);
		if (f && f->waiver) {
			pst_jstr(a, "state", "not_affected");
			pst_jstr(a, "detail", f->waiver->justification);
			return a;
		}
	}
	pst_jstr(a, "state", "in_triage");
	pst_jstr(a, "detail", "matched by component version (postern); reachability not examined");
	return a;
}

static json_t *vulnerability(const struct pst_scan *s, const struct vrow *rs, size_t n,
			     const char *bom_link)
{
	json_t *v = json_object(), *affects = json_array(), *props = json_array(),
	       *rating = json_object();
	double score = strtod(rs[0].f[V_SCORE], NULL);
	char ref[600];
	pst_jstr(v, "bom-ref", rs[0].f[V_ID]);
	pst_jstr(v, "id", rs[0].f[V_ID]);
	pst_jset(v, "source",
		 json_pack("{s:s}", "name",
			   strncmp(rs[0].f[V_ID], "CVE-", 4) == 0 ? "NVD" : "OSV"));
	if (score >= 0) {
		pst_jset(rating, "score", json_real(score));
		pst_jstr(rating, "severity", cvss_severity(score));
		pst_jstr(rating, "method",
			 strncmp(rs[0].f[V_VECTOR], "CVSS:3.1", 8) == 0 ? "CVSSv31" :
			 strncmp(rs[0].f[V_VECTOR], "CVSS:3.0", 8) == 0 ? "CVSSv3" :
									  "other");
		if (strncmp(rs[0].f[V_VECTOR], "CVSS:", 5) == 0)
			pst_jstr(rating, "vector", rs[0].f[V_VECTOR]);
		pst_jset(v, "ratings", json_pack("[o]", rating));
	} else {
		json_decref(rating);
	}
	if (rs[0].f[V_SUMMARY][0])
		pst_jstr(v, "description", rs[0].f[V_SUMMARY]);
	for (size_t i = 0; i < n; i++) {
		snprintf(ref, sizeof(ref), "%scomponent:%s@%s", bom_link ? bom_link : "",
			 rs[i].f[V_NAME], rs[i].f[V_VERSION]);
		json_array_append_new(affects, json_pack("{s:s}", "ref", ref));
		json_array_append_new(props, prop("postern:matched", rs[i].f[V_WHY]));
	}
	json_array_append_new(props, prop("postern:rule", rs[0].f[V_RULE]));
	if (strcmp(rs[0].f[V_KEV], "1") == 0)
		json_array_append_new(props, prop("postern:cisa-kev", "true"));
	if (strtod(rs[0].f[V_EPSS], NULL) >= 0)
		json_array_append_new(props, prop("postern:epss", rs[0].f[V_EPSS]));
	pst_jset(v, "affects", affects);
	pst_jset(v, "properties", props);
	if (bom_link)
		pst_jset(v, "analysis", analysis_of(s, rs, n));
	return v;
}

/* One entry per vulnerability id, affecting every component it matched. */
static void add_vulnerabilities(const struct pst_scan *s, json_t *root, const char *bom_link)
{
	struct vrow *rs = calloc(s->nfacts + 1, sizeof(*rs));
	size_t n = 0, i, j;
	json_t *vs;
	if (!rs)
		return;
	for (i = 0; i < s->nfacts; i++)
		if (strcmp(s->facts[i].key, "vulnerability") == 0 &&
		    vrow_split(s->facts[i].value, &rs[n]))
			rs[n++].node = s->facts[i].node;
	if (n) {
		qsort(rs, n, sizeof(*rs), vrow_cmp);
		vs = json_array();
		for (i = 0; i < n; i = j) {
			for (j = i + 1; j < n && strcmp(rs[i].f[V_ID], rs[j].f[V_ID]) == 0; j++)
				;
			json_array_append_new(vs, vulnerability(s, &rs[i], j - i, bom_link));
		}
		pst_jset(root, "vulnerabilities", vs);
	}
	if (!n && bom_link) /* a VEX document always says what it covers */
		pst_jset(root, "vulnerabilities", json_array());
	for (i = 0; i < n; i++)
		free(rs[i].buf);
	free(rs);
}

enum pst_err pst_write_cyclonedx(const struct pst_scan *s, const struct pst_report_opts *ro,
				 struct pst_str *o)
{
	json_t *root = json_object(), *meta = json_object(), *product = json_object();
	json_t *comps = json_array(), *pprops = json_array();
	const struct pst_node *n;
	char serial[46];
	enum pst_err e;

	(void)ro;
	serial_of(s, "bom", serial);
	pst_jstr(root, "bomFormat", "CycloneDX");
	pst_jstr(root, "specVersion", "1.5");
	pst_jstr(root, "serialNumber", serial);
	pst_jset(root, "version", json_integer(1));
	pst_jset(meta, "tools",
		 json_pack("{s:[{s:s,s:s,s:s}]}", "components", "type", "application", "name",
			   "postern", "version", PST_VERSION));
	pst_jstr(product, "type", "firmware");
	pst_jstr(product, "bom-ref", "target");
	pst_jstr(product, "name", s->root->seg);
	if (s->target_sha[0])
		pst_jset(product, "hashes", json_pack("[{s:s,s:s}]", "alg", "SHA-256", "content",
						      s->target_sha));
	json_array_append_new(pprops, prop("postern:verdict", pst_verdict_str(s->verdict)));
	json_array_append_new(pprops, prop("postern:policy", pst_policy_name(s->policy)));
	{
		size_t nw, k;
		const struct pst_waiver *w = pst_policy_waivers(s->policy, &nw);
		for (k = 0; k < nw; k++) {
			char *v;
			if (!w[k].expired && !w[k].matched)
				continue;
			if (asprintf(&v, "%s at %s until %s (%llu findings): %s", w[k].rule,
				     w[k].location, w[k].expires, (unsigned long long)w[k].matched,
				     w[k].justification) < 0)
				continue;
			/* An expired waiver is the finding policy.waiver-expired. */
			json_array_append_new(pprops, prop(w[k].expired ? "policy.waiver-expired"
								       : "postern:waiver", v));
			free(v);
		}
	}
	pst_jset(product, "properties", pprops);
	pst_jset(meta, "component", product);
	pst_jset(root, "metadata", meta);
	for (n = s->root->child ? s->root : NULL; n; n = pst_node_next(n))
		if (n != s->root && S_ISREG(n->mode))
			json_array_append_new(comps, file_component(n));
	add_software(s, comps);
	pst_jset(root, "components", comps);
	add_vulnerabilities(s, root, NULL);
	e = pst_jdump(root, o);
	json_decref(root);
	return e;
}

/* A CycloneDX 1.5 VEX document (--vex): the vulnerabilities alone, each
 * affecting components of the scan's BOM by BOM-Link
 * (urn:cdx:SERIAL/1#bom-ref), with an analysis state. */
enum pst_err pst_write_vex(const struct pst_scan *s, const struct pst_report_opts *ro,
			   struct pst_str *o)
{
	json_t *root = json_object();
	char serial[46], bom[46], link[64];
	enum pst_err e;

	(void)ro;
	serial_of(s, "vex", serial);
	serial_of(s, "bom", bom);
	snprintf(link, sizeof(link), "urn:cdx:%s/1#", bom + strlen("urn:uuid:"));
	pst_jstr(root, "bomFormat", "CycloneDX");
	pst_jstr(root, "specVersion", "1.5");
	pst_jstr(root, "serialNumber", serial);
	pst_jset(root, "version", json_integer(1));
	pst_jset(root, "metadata",
		 json_pack("{s:{s:[{s:s,s:s,s:s}]}}", "tools", "components", "type", "application",
			   "name", "postern", "version", PST_VERSION));
	add_vulnerabilities(s, root, link);
	e = pst_jdump(root, o);
	json_decref(root);
	return e;
}
