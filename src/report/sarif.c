/*
 * sarif.c - the SARIF 2.1.0 report (OASIS "Static Analysis Results
 * Interchange Format Version 2.1.0", 27 March 2020): one run; the rules the
 * results use, with help text from the findings catalog; results with
 * levels, locations (the finding's location as a relative URI reference, so
 * "fw.bin!squashfs@0x40!/etc/inittab" stays readable) and partial
 * fingerprints that stay the same across versions of the product (rule,
 * inner path without container offsets, evidence), so dashboards de-duplicate
 * them. Tests validate it against the official OASIS schema
 * docs/schema/sarif-schema-2.1.0.json (2.1.0 with Errata 01).
 */
#include <string.h>
#include "report/report.h"
#include "policy/policy.h"

static const char *level_of(enum pst_severity s)
{
	if (s >= PST_SEV_HIGH)
		return "error";
	if (s == PST_SEV_MEDIUM)
		return "warning";
	return "note";
}

/* GitHub-style "security-severity" (0.0-10.0) for dashboards that rank by it. */
static const char *security_severity(enum pst_severity s)
{
	static const char *const v[] = { "0.0", "2.0", "5.0", "8.0", "9.5" };
	return (unsigned)s <= PST_SEV_CRITICAL ? v[s] : "0.0";
}

/* RFC 3986: keep unreserved, sub-delims, ':' '@' '/'; percent-encode the
 * rest. A ':' in the first segment would read as a scheme, so it is encoded
 * there. */
static char *uri_of(const char *loc)
{
	static const char keep[] = "-._~!$&'()*+,;=@/";
	struct pst_str o;
	bool first_seg = true;
	const unsigned char *p;

	pst_str_init(&o, 1u << 20);
	for (p = (const unsigned char *)loc; *p; p++) {
		if (*p == '/')
			first_seg = false;
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    (*p && strchr(keep, *p)) || (*p == ':' && !first_seg))
			pst_str_putc(&o, (char)*p);
		else
			pst_str_printf(&o, "%%%02X", *p);
	}
	pst_str_putc(&o, 0);
	if (o.err) {
		pst_str_free(&o);
		return NULL;
	}
	return o.p;
}

/* A vulnerability finding's SARIF rule is its vulnerability (CVE or OSV
 * id, which vulns.c puts after " is affected by "), so dashboards list and
 * dismiss each CVE on its own; its help is the vuln.* catalog entry. Other
 * findings' rule is their rule id. Writes at most len bytes. */
static const char *sarif_rule(const struct pst_finding *f, char *buf, size_t len)
{
	const char *p = f->message ? strstr(f->message, " is affected by ") : NULL;
	size_t n;
	if (strncmp(f->rule, "vuln.", 5) != 0 || !p)
		return f->rule;
	p += strlen(" is affected by ");
	n = strcspn(p, " ");
	if (!n || n >= len)
		return f->rule;
	memcpy(buf, p, n);
	buf[n] = 0;
	return buf;
}

static json_t *rule_of(const char *id, const struct pst_finding *f)
{
	struct pst_catalog_entry e;
	json_t *r = json_object(), *props = json_object(), *tags = json_array();
	char summary[512];

	pst_jstr(r, "id", id);
	pst_jstr(r, "name", id);
	if (strcmp(id, f->rule) != 0)
		pst_jstr(props, "postern-rule", f->rule);
	if (pst_catalog_lookup(f->rule, &e)) {
		char *plain = pst_catalog_plain(&e);
		char *md = strndup(e.text, e.len);
		json_t *help = json_object();
		pst_catalog_summary(&e, summary, sizeof(summary));
		if (!summary[0])
			snprintf(summary, sizeof(summary), "%s", id);
		pst_jset(r, "shortDescription", json_pack("{s:s}", "text", summary));
		pst_jset(r, "fullDescription", json_pack("{s:s}", "text", plain ? plain : summary));
		pst_jstr(help, "text", plain ? plain : summary);
		pst_jstr(help, "markdown", md);
		pst_jset(r, "help", help);
		pst_jstr(props, "catalog", e.file);
		free(plain);
		free(md);
	} else {
		snprintf(summary, sizeof(summary), "%s (no catalog entry)", id);
		pst_jset(r, "shortDescription", json_pack("{s:s}", "text", summary));
		pst_jset(r, "fullDescription", json_pack("{s:s}", "text", summary));
		pst_jset(r, "help", json_pack("{s:s}", "text",
					      "This rule has no entry in postern's findings catalog yet."));
	}
	/* The policy's per-rule override applies to every finding of the rule,
	 * so the rule's level and security-severity are the effective ones:
	 * dashboards rank alerts by the rule's security-severity. */
	pst_jset(r, "defaultConfiguration", json_pack("{s:s}", "level", level_of(f->severity)));
	json_array_append_new(tags, json_string("security"));
	if (f->category && strcmp(f->category, "security") != 0)
		json_array_append_new(tags, json_string(f->category));
	pst_jset(props, "tags", tags);
	pst_jstr(props, "security-severity", security_severity(f->severity));
	if (f->declared_severity != f->severity)
		pst_jstr(props, "declared-security-severity", security_severity(f->declared_severity));
	/* GitHub sorts by it; postern's rules match exact content, not guesses. */
	pst_jstr(props, "precision", "high");
	pst_jset(r, "properties", props);
	return r;
}

static json_t *fingerprint(const struct pst_finding *f)
{
	char inner[4096], hex[65];
	uint8_t sha[32];
	struct pst_str k;
	json_t *fp;

	pst_location_inner(pst_finding_location(f), inner, sizeof(inner));
	pst_str_init(&k, 1u << 20);
	pst_str_printf(&k, "%s\n%s\n%s", f->rule, inner, f->evidence ? f->evidence : "");
	pst_sha256((const uint8_t *)k.p, k.len, sha);
	pst_str_free(&k);
	pst_hex(sha, 32, hex);
	fp = json_object();
	pst_jstr(fp, "postern/v1", hex);
	/* The key GitHub code scanning reads (and otherwise computes from the
	 * source file, which a firmware image's inner file is not). */
	pst_jstr(fp, "primaryLocationLineHash", hex);
	return fp;
}

static json_t *result_of(const struct pst_finding *f, size_t rule_index)
{
	json_t *r = json_object(), *loc = json_object(), *phys = json_object();
	json_t *art = json_object(), *props = json_object();
	char *uri = uri_of(pst_finding_location(f));

	char idbuf[128];
	pst_jstr(r, "ruleId", sarif_rule(f, idbuf, sizeof(idbuf)));
	pst_jset(r, "ruleIndex", json_integer((json_int_t)rule_index));
	pst_jstr(r, "level", level_of(f->severity));
	pst_jset(r, "message", json_pack("{s:s}", "text", f->message ? f->message : f->rule));
	pst_jstr(art, "uri", uri ? uri : "");
	free(uri);
	pst_jset(phys, "artifactLocation", art);
	{
		/* Code-scanning dashboards need a line (GitHub: region.startLine);
		 * postern knows byte offsets, not lines, so the region is line 1
		 * and the byte offset is in the result's properties (a region with
		 * both would have to name the same bytes). */
		json_t *region = json_pack("{s:i,s:i}", "startLine", 1, "startColumn", 1);
		if (f->evidence)
			pst_jset(region, "snippet", json_pack("{s:s}", "text", f->evidence));
		pst_jset(phys, "region", region);
	}
	pst_jset(loc, "physicalLocation", phys);
	pst_jset(loc, "logicalLocations",
		 json_pack("[{s:s,s:s}]", "fullyQualifiedName", pst_finding_location(f), "kind",
			   "member"));
	pst_jset(r, "locations", json_pack("[o]", loc));
	pst_jset(r, "partialFingerprints", fingerprint(f));
	if (f->waiver) {
		json_t *sup = json_object();
		pst_jstr(sup, "kind", "external");
		pst_jstr(sup, "status", "accepted");
		pst_jstr(sup, "justification", f->waiver->justification);
		pst_jset(sup, "properties", json_pack("{s:s,s:s,s:s}", "rule", f->waiver->rule,
						      "location", f->waiver->location, "expires",
						      f->waiver->expires));
		pst_jset(r, "suppressions", json_pack("[o]", sup));
	}
	pst_jstr(props, "severity", pst_severity_str(f->severity));
	if (f->declared_severity != f->severity)
		pst_jstr(props, "declaredSeverity", pst_severity_str(f->declared_severity));
	pst_jstr(props, "category", f->category);
	pst_jstr(props, "location", pst_finding_location(f));
	pst_jset(props, "byteOffset", json_integer((json_int_t)f->offset));
	pst_jset(r, "properties", props);
	return r;
}

static json_t *policy_props(const struct pst_scan *s)
{
	json_t *p = json_object(), *ws = json_array();
	size_t n, i;
	const struct pst_waiver *w = pst_policy_waivers(s->policy, &n);
	pst_jstr(p, "name", pst_policy_name(s->policy));
	pst_jstr(p, "sha256", pst_policy_sha256(s->policy));
	for (i = 0; i < n; i++) {
		if (w[i].expired || !w[i].matched)
			continue;
		json_array_append_new(ws, json_pack("{s:s,s:s,s:s,s:s,s:I}", "rule", w[i].rule,
						    "location", w[i].location, "justification",
						    w[i].justification, "expires", w[i].expires,
						    "matched", (json_int_t)w[i].matched));
	}
	pst_jset(p, "waivers", ws);
	return p;
}

enum pst_err pst_write_sarif(const struct pst_scan *s, const struct pst_report_opts *ro,
			     struct pst_str *o)
{
	json_t *root = json_object(), *run = json_object(), *driver = json_object();
	json_t *rules = json_array(), *results = json_array(), *props = json_object();
	const char **ids = calloc(s->nfindings + 1, sizeof(*ids));
	char **owned = calloc(s->nfindings + 1, sizeof(*owned)); /* the ids strndup'd */
	size_t nids = 0, i, j;
	enum pst_err e;

	if (!ids || !owned) {
		free(ids);
		free(owned);
		json_decref(root);
		return PST_ENOMEM;
	}
	pst_jstr(root, "$schema",
		 "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json");
	pst_jstr(root, "version", "2.1.0");
	pst_jstr(driver, "name", "postern");
	pst_jstr(driver, "version", PST_VERSION);
	pst_jstr(driver, "semanticVersion", PST_VERSION);
	for (i = 0; i < s->nfindings; i++) {
		const struct pst_finding *f = &s->findings[i];
		char idbuf[128];
		const char *id = sarif_rule(f, idbuf, sizeof(idbuf));
		for (j = 0; j < nids; j++)
			if (strcmp(ids[j], id) == 0)
				break;
		if (j == nids) {
			/* a CVE id lives in the message, which outlives this loop */
			owned[nids] = id == f->rule ? NULL : strndup(id, sizeof(idbuf));
			ids[nids] = owned[nids] ? owned[nids] : f->rule;
			nids++;
			json_array_append_new(rules, rule_of(ids[nids - 1], f));
		}
		json_array_append_new(results, result_of(f, j));
	}
	for (i = 0; i < nids; i++)
		free(owned[i]);
	free(owned);
	free(ids);
	pst_jset(driver, "rules", rules);
	pst_jset(run, "tool", json_pack("{s:o}", "driver", driver));
	pst_jset(run, "invocations", json_pack("[{s:b}]", "executionSuccessful", 1));
	{
		json_t *a = json_object();
		char *uri = uri_of(s->root->seg);
		pst_jset(a, "location", json_pack("{s:s}", "uri", uri ? uri : ""));
		free(uri);
		if (s->target_sha[0]) {
			pst_jset(a, "length", json_integer((json_int_t)s->target_size));
			pst_jset(a, "hashes", json_pack("{s:s}", "sha-256", s->target_sha));
		}
		pst_jset(run, "artifacts", json_pack("[o]", a));
	}
	pst_jset(run, "results", results);
	pst_jset(run, "columnKind", json_string("unicodeCodePoints"));
	pst_jstr(props, "verdict", pst_verdict_str(s->verdict));
	pst_jset(props, "policy", policy_props(s));
	pst_jstr(props, "rulesSha256", s->rules_sha);
	pst_jset(props, "coverage",
		 json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "files", (json_int_t)s->cov.files, "containers",
			   (json_int_t)s->cov.containers, "incomplete", (json_int_t)s->cov.incomplete,
			   "encrypted", (json_int_t)s->cov.encrypted, "limits_hit",
			   (json_int_t)s->cov.limits_hit, "unexplained_bytes",
			   (json_int_t)s->cov.unexplained_bytes, "unidentified",
			   (json_int_t)s->cov.unidentified, "partial", (json_int_t)s->cov.partial));
	pst_jset(run, "properties", props);
	pst_jset(root, "runs", json_pack("[o]", run));
	(void)ro;
	e = pst_jdump(root, o);
	json_decref(root);
	return e;
}
