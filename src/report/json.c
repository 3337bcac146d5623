/*
 * json.c - the JSON report: the contract in DESIGN.md, described by
 * docs/schema/postern.schema.json. The same result gives byte-identical
 * output except the "run" object.
 */
#include <string.h>
#include <sys/stat.h>
#include "report/report.h"
#include "policy/policy.h"

static void json_u64(struct pst_str *o, const char *key, uint64_t v, bool comma)
{
	pst_str_printf(o, "\"%s\": %llu%s", key, (unsigned long long)v, comma ? ", " : "");
}

static void json_coverage(struct pst_str *o, const struct pst_coverage *c)
{
	int k;
	bool first = true;
	pst_str_puts(o, "  \"coverage\": {");
	json_u64(o, "files", c->files, true);
	json_u64(o, "directories", c->dirs, true);
	json_u64(o, "links", c->links, true);
	json_u64(o, "specials", c->specials, true);
	json_u64(o, "containers", c->containers, true);
	json_u64(o, "bytes_unpacked", c->bytes_unpacked, true);
	json_u64(o, "incomplete", c->incomplete, true);
	json_u64(o, "truncated", c->truncated, true);
	json_u64(o, "encrypted", c->encrypted, true);
	json_u64(o, "limits_hit", c->limits_hit, true);
	json_u64(o, "unexplained_bytes", c->unexplained_bytes, true);
	json_u64(o, "unidentified", c->unidentified, true);
	json_u64(o, "partial", c->partial, true);
	pst_str_puts(o, "\"kinds\": {");
	for (k = 0; k < PST_KIND_COUNT_; k++) {
		if (!c->kinds[k])
			continue;
		pst_str_printf(o, "%s\"%s\": %llu", first ? "" : ", ", pst_kind_str((enum pst_kind)k),
			       (unsigned long long)c->kinds[k]);
		first = false;
	}
	pst_str_puts(o, "}},\n");
}

static void json_waiver(struct pst_str *o, const struct pst_waiver *w, bool matched)
{
	pst_str_puts(o, "{\"rule\": ");
	pst_str_json(o, w->rule);
	pst_str_puts(o, ", \"location\": ");
	pst_str_json(o, w->location);
	pst_str_puts(o, ", \"justification\": ");
	pst_str_json(o, w->justification);
	pst_str_puts(o, ", \"expires\": ");
	pst_str_json(o, w->expires);
	if (matched)
		pst_str_printf(o, ", \"line\": %u, \"matched\": %llu", w->line,
			       (unsigned long long)w->matched);
	pst_str_puts(o, "}");
}

static const char *const coverage_rule[] = { "ignore", "review", "fail" };

static const char *threshold_str(int t)
{
	return t > PST_SEV_CRITICAL ? "none" : pst_severity_str((enum pst_severity)t);
}

/* The policy that judged, and every waiver it applied. */
static void json_policy(struct pst_str *o, const struct pst_policy *p)
{
	size_t n, i;
	bool first = true;
	const struct pst_waiver *w = pst_policy_waivers(p, &n);
	pst_str_puts(o, "  \"policy\": {\"name\": ");
	pst_str_json(o, pst_policy_name(p));
	pst_str_printf(o, ", \"sha256\": \"%s\", \"fail\": \"%s\", \"review\": \"%s\", "
			  "\"coverage\": \"%s\", \"waivers\": [",
		       pst_policy_sha256(p), threshold_str(pst_policy_fail_at(p)),
		       threshold_str(pst_policy_review_at(p)), coverage_rule[p->coverage]);
	for (i = 0; i < n; i++) {
		if (w[i].expired || !w[i].matched)
			continue;
		pst_str_puts(o, first ? "\n    " : ",\n    ");
		json_waiver(o, &w[i], true);
		first = false;
	}
	pst_str_puts(o, first ? "]},\n" : "\n  ]},\n");
}

static void json_finding(struct pst_str *o, const struct pst_finding *f)
{
	pst_str_puts(o, "    {\"rule\": ");
	pst_str_json(o, f->rule);
	pst_str_puts(o, ", \"severity\": ");
	pst_str_json(o, pst_severity_str(f->severity));
	pst_str_puts(o, ", \"category\": ");
	pst_str_json(o, f->category);
	pst_str_puts(o, ", \"location\": ");
	pst_str_json(o, f->node ? f->node->location : "");
	pst_str_printf(o, ", \"offset\": %llu, \"message\": ", (unsigned long long)f->offset);
	pst_str_json(o, f->message);
	if (f->evidence) {
		pst_str_puts(o, ", \"evidence\": ");
		pst_str_json(o, f->evidence);
	}
	if (f->declared_severity != f->severity) {
		pst_str_puts(o, ", \"declared_severity\": ");
		pst_str_json(o, pst_severity_str(f->declared_severity));
	}
	if (f->waiver) {
		pst_str_puts(o, ", \"waiver\": ");
		json_waiver(o, f->waiver, false);
	}
	pst_str_puts(o, "}");
}

static void flag_names(struct pst_str *o, unsigned flags)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ PST_NODE_INCOMPLETE, "incomplete" }, { PST_NODE_TRUNCATED, "truncated" },
		{ PST_NODE_ENCRYPTED, "encrypted" },   { PST_NODE_CONTAINER, "container" },
		{ PST_NODE_CARVED, "carved" },         { PST_NODE_VIRTUAL, "region" },
	};
	size_t i;
	bool first = true;
	pst_str_puts(o, "[");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (flags & names[i].bit) {
			pst_str_printf(o, "%s\"%s\"", first ? "" : ", ", names[i].name);
			first = false;
		}
	}
	pst_str_puts(o, "]");
}

/* The first fact about node n (facts are sorted by location), or nfacts. */
static size_t facts_of(const struct pst_scan *s, const struct pst_node *n)
{
	size_t lo = 0, hi = s->nfacts;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pst_fact *f = &s->facts[mid];
		if (strcmp(f->node ? f->node->location : "", n->location) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Facts "bin.<name>" become "binary": {name: value}; "bin.<group>.<name>"
 * nest one level; a key ending in "[]" is an array (keys arrive sorted, so
 * a group's and an array's facts are adjacent). */
/* Facts "component" become "components": [{type, name, version, purl, cpe,
 * technique, evidence}] on the file they were found in. */
static void json_components(struct pst_str *o, const struct pst_scan *s, const struct pst_node *n)
{
	static const char *const names[PST_COMP_N] = { "type", "name", "version", "purl", "cpe",
						       "technique", "evidence" };
	bool any = false;
	for (size_t i = facts_of(s, n); i < s->nfacts && s->facts[i].node == n; i++) {
		const char *f[PST_COMP_N];
		char *buf;
		bool first = true;
		if (strcmp(s->facts[i].key, "component") != 0)
			continue;
		buf = pst_component_split(s->facts[i].value, f);
		if (!buf)
			continue;
		pst_str_puts(o, any ? ", {" : ", \"components\": [{");
		for (size_t k = 0; k < PST_COMP_N; k++) {
			if (!f[k][0])
				continue;
			pst_str_printf(o, "%s\"%s\": ", first ? "" : ", ", names[k]);
			pst_str_json(o, f[k]);
			first = false;
		}
		pst_str_puts(o, "}");
		any = true;
		free(buf);
	}
	if (any)
		pst_str_puts(o, "]");
}

static void json_bin_facts(struct pst_str *o, const struct pst_scan *s, const struct pst_node *n)
{
	size_t i = facts_of(s, n);
	char group[64] = "", arr[96] = "";
	bool any = false, first_in = true, top_items = false;
	for (; i < s->nfacts && s->facts[i].node == n; i++) {
		const struct pst_fact *f = &s->facts[i];
		const char *k, *dot;
		char g[64] = "", name[96];
		size_t kl;
		bool is_arr;
		if (strncmp(f->key, "bin.", 4) != 0)
			continue;
		k = f->key + 4;
		dot = strchr(k, '.');
		if (dot && (size_t)(dot - k) < sizeof(g)) {
			memcpy(g, k, (size_t)(dot - k));
			g[dot - k] = 0;
			k = dot + 1;
		}
		kl = strlen(k);
		is_arr = kl > 2 && strcmp(k + kl - 2, "[]") == 0;
		snprintf(name, sizeof(name), "%.*s", (int)(is_arr ? kl - 2 : kl), k);
		if (!any) {
			pst_str_puts(o, ", \"binary\": {");
			any = true;
		}
		if (arr[0] && (!is_arr || strcmp(arr, name) != 0 || strcmp(group, g) != 0)) {
			pst_str_puts(o, "]");
			arr[0] = 0;
		}
		if (strcmp(group, g) != 0) {
			if (group[0])
				pst_str_puts(o, "}");
			if (g[0]) {
				pst_str_puts(o, top_items ? ", " : "");
				pst_str_json(o, g);
				pst_str_puts(o, ": {");
				first_in = true;
			} else {
				first_in = !top_items;
			}
			top_items = true;
			memcpy(group, g, sizeof(group));
		}
		if (is_arr && arr[0]) {
			pst_str_puts(o, ", ");
		} else {
			pst_str_puts(o, first_in ? "" : ", ");
			pst_str_json(o, name);
			pst_str_puts(o, is_arr ? ": [" : ": ");
			if (is_arr)
				snprintf(arr, sizeof(arr), "%s", name);
		}
		pst_str_json(o, f->value);
		first_in = false;
		if (!g[0])
			top_items = true;
	}
	if (!any)
		return;
	if (arr[0])
		pst_str_puts(o, "]");
	if (group[0])
		pst_str_puts(o, "}");
	pst_str_puts(o, "}");
}

static void json_node(struct pst_str *o, const struct pst_scan *s, const struct pst_node *n)
{
	char sha[65];
	pst_str_puts(o, "    {\"location\": ");
	pst_str_json(o, n->location);
	pst_str_puts(o, ", \"kind\": ");
	pst_str_json(o, pst_kind_str(n->kind));
	if (n->kind_detail) {
		pst_str_puts(o, ", \"detail\": ");
		pst_str_json(o, n->kind_detail);
	}
	if (n->format) {
		pst_str_puts(o, ", \"format\": ");
		pst_str_json(o, n->format);
	}
	pst_str_printf(o, ", \"size\": %llu, \"mode\": \"%06o\", \"uid\": %u, \"gid\": %u",
		       (unsigned long long)n->size, n->mode, n->uid, n->gid);
	if (n->flags & PST_NODE_VIRTUAL)
		pst_str_printf(o, ", \"offset\": %llu", (unsigned long long)n->offset);
	if (S_ISREG(n->mode) || (n->flags & PST_NODE_VIRTUAL)) {
		pst_hex(n->sha256, 32, sha);
		pst_str_printf(o, ", \"sha256\": \"%s\", \"entropy\": %.3f", sha, n->entropy);
	}
	if (n->link) {
		pst_str_puts(o, ", \"link\": ");
		pst_str_json(o, n->link);
	}
	if (n->kind == PST_KIND_ELF) {
		pst_str_printf(o, ", \"elf\": {\"machine\": %u, \"class\": %u, \"endian\": \"%s\", "
				  "\"type\": %u, \"stripped\": %s, \"static\": %s",
			       n->elf.machine, n->elf.elf_class == 2 ? 64u : 32u,
			       n->elf.endian == 2 ? "big" : "little", n->elf.type,
			       n->elf.stripped ? "true" : "false", n->elf.is_static ? "true" : "false");
		if (n->elf.interp) {
			pst_str_puts(o, ", \"interpreter\": ");
			pst_str_json(o, n->elf.interp);
		}
		pst_str_puts(o, "}");
	}
	json_bin_facts(o, s, n);
	json_components(o, s, n);
	if (n->flags) {
		pst_str_puts(o, ", \"flags\": ");
		flag_names(o, n->flags);
	}
	pst_str_puts(o, "}");
}

/* The components of the whole product (--inventory): one entry per identity,
 * with every file it was found in (location, sha256) and every piece of
 * evidence (technique, what was read, where). */
static void json_field(struct pst_str *o, const char *key, const char *v)
{
	if (!v[0])
		return;
	pst_str_printf(o, ", \"%s\": ", key);
	pst_str_json(o, v);
}

static void json_component_group(struct pst_str *o, const struct pst_comp_row *cs, size_t n)
{
	char hex[65];
	pst_str_puts(o, "{\"type\": ");
	pst_str_json(o, cs[0].f[PST_COMP_TYPE]);
	json_field(o, "name", cs[0].f[PST_COMP_NAME]);
	json_field(o, "version", cs[0].f[PST_COMP_VERSION]);
	json_field(o, "purl", cs[0].f[PST_COMP_PURL]);
	json_field(o, "cpe", cs[0].f[PST_COMP_CPE]);
	pst_str_puts(o, ", \"files\": [");
	for (size_t i = 0; i < n; i++) {
		const char *loc = cs[i].node ? cs[i].node->location : "";
		if (i && cs[i - 1].node == cs[i].node)
			continue; /* rows are sorted by location: same file, once */
		pst_str_puts(o, i ? ", {\"location\": " : "{\"location\": ");
		pst_str_json(o, loc);
		if (cs[i].node) {
			pst_hex(cs[i].node->sha256, 32, hex);
			pst_str_printf(o, ", \"sha256\": \"%s\"", hex);
		}
		pst_str_puts(o, "}");
	}
	pst_str_puts(o, "], \"evidence\": [");
	for (size_t i = 0; i < n; i++) {
		pst_str_puts(o, i ? ", {\"technique\": " : "{\"technique\": ");
		pst_str_json(o, cs[i].f[PST_COMP_TECHNIQUE]);
		json_field(o, "value", cs[i].f[PST_COMP_EVIDENCE]);
		pst_str_puts(o, ", \"location\": ");
		pst_str_json(o, cs[i].node ? cs[i].node->location : "");
		pst_str_puts(o, "}");
	}
	pst_str_puts(o, "]}");
}

static void json_components_all(struct pst_str *o, const struct pst_scan *s)
{
	size_t n = 0, i, j;
	struct pst_comp_row *cs = pst_comp_rows(s, &n);
	pst_str_puts(o, ",\n  \"components\": [");
	for (i = 0; cs && i < n; i = j) {
		j = pst_comp_group_end(cs, n, i);
		pst_str_puts(o, i ? ",\n    " : "\n    ");
		json_component_group(o, &cs[i], j - i);
	}
	pst_str_puts(o, n ? "\n  ]" : "]");
	pst_comp_rows_free(cs, n);
}

enum pst_err pst_write_json(const struct pst_scan *s, const struct pst_report_opts *ro,
			       struct pst_str *o)
{
	const struct pst_node *n;
	size_t i;

	pst_str_printf(o, "{\n  \"tool\": {\"name\": \"postern\", \"version\": \"" PST_VERSION
			  "\", \"rules_sha256\": \"%s\"},\n", s->rules_sha);
	pst_str_puts(o, "  \"target\": {\"name\": ");
	pst_str_json(o, s->root->seg);
	pst_str_printf(o, ", \"size\": %llu, \"sha256\": \"%s\"",
		       (unsigned long long)s->target_size, s->target_sha);
	if (s->dir_root_from) {
		pst_str_puts(o, ", \"root\": ");
		pst_str_json(o, s->dir_root[0] ? s->dir_root : "/");
		pst_str_printf(o, ", \"root_from\": \"%s\"", s->dir_root_from);
	}
	pst_str_puts(o, "},\n");
	pst_str_printf(o, "  \"verdict\": \"%s\",\n", pst_verdict_str(s->verdict));
	json_policy(o, s->policy);
	json_coverage(o, &s->cov);
	pst_str_puts(o, "  \"findings\": [");
	for (i = 0; i < s->nfindings; i++) {
		pst_str_puts(o, i ? ",\n" : "\n");
		json_finding(o, &s->findings[i]);
	}
	pst_str_puts(o, s->nfindings ? "\n  ]" : "]");
	if (ro && ro->inventory) {
		bool first = true;
		pst_str_puts(o, ",\n  \"inventory\": [");
		for (n = s->root; n; n = pst_node_next(n)) {
			pst_str_puts(o, first ? "\n" : ",\n");
			json_node(o, s, n);
			first = false;
		}
		pst_str_puts(o, "\n  ]");
		json_components_all(o, s);
	}
	if (!ro || !ro->no_run) {
		const struct pst_run_sigs *g = &s->sigs;
		pst_str_printf(o, ",\n  \"run\": {\"seconds\": %.3f, \"jobs\": %u, \"signatures\": "
			       "{\"yara_rules\": %u, \"yara_files\": %u, \"yara_compile_seconds\": %.3f, "
			       "\"yara_from_cache\": %s, \"clamav\": %s", s->seconds, s->jobs,
			       g->yara_rules, g->yara_files, g->yara_compile_seconds,
			       g->yara_from_cache ? "true" : "false", g->clamav_loaded ? "true" : "false");
		if (g->clamav_loaded)
			pst_str_printf(o, ", \"clamav_signatures\": %u, \"clamav_hash\": %u, "
				       "\"clamav_yara\": %u, \"clamav_libclamav\": %u, "
				       "\"clamav_load_seconds\": %.3f", g->clamav_signatures,
				       g->clamav_hash, g->clamav_yara, g->clamav_libclamav,
				       g->clamav_load_seconds);
		pst_str_puts(o, "}}");
	}
	pst_str_puts(o, "\n}\n");
	return PST_OK;
}

