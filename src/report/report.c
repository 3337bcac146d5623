/*
 * report.c - turns a finished scan into text (the default) or JSON (the
 * contract in DESIGN.md). Reports only read the result; the same result gives
 * byte-identical JSON except the "run" object.
 */
#include <string.h>
#include <sys/stat.h>
#include "internal.h"

int pst_format_parse(const char *s)
{
	if (strcmp(s, "text") == 0)
		return PST_FORMAT_TEXT;
	if (strcmp(s, "json") == 0)
		return PST_FORMAT_JSON;
	return -1;
}

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
	if (n->flags) {
		pst_str_puts(o, ", \"flags\": ");
		flag_names(o, n->flags);
	}
	pst_str_puts(o, "}");
}

static enum pst_err write_json(const struct pst_scan *s, const struct pst_report_opts *ro,
			       struct pst_str *o)
{
	const struct pst_node *n;
	size_t i;

	pst_str_puts(o, "{\n  \"tool\": {\"name\": \"postern\", \"version\": \"" PST_VERSION "\"},\n");
	pst_str_puts(o, "  \"target\": {\"name\": ");
	pst_str_json(o, s->root->seg);
	pst_str_printf(o, ", \"size\": %llu, \"sha256\": \"%s\"},\n",
		       (unsigned long long)s->target_size, s->target_sha);
	pst_str_printf(o, "  \"verdict\": \"%s\",\n", pst_verdict_str(s->verdict));
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
	}
	if (!ro || !ro->no_run)
		pst_str_printf(o, ",\n  \"run\": {\"seconds\": %.3f, \"jobs\": %u}", s->seconds, s->jobs);
	pst_str_puts(o, "\n}\n");
	return PST_OK;
}

static void human_bytes(char *buf, size_t len, uint64_t b)
{
	if (b >= 1000000000ull)
		snprintf(buf, len, "%.1f GB", (double)b / 1e9);
	else if (b >= 1000000ull)
		snprintf(buf, len, "%.1f MB", (double)b / 1e6);
	else if (b >= 1000ull)
		snprintf(buf, len, "%.1f kB", (double)b / 1e3);
	else
		snprintf(buf, len, "%llu bytes", (unsigned long long)b);
}

static enum pst_err write_text(const struct pst_scan *s, const struct pst_report_opts *ro,
			       struct pst_str *o)
{
	static const char *const sev_color[] = { "\033[2m", "\033[36m", "\033[33m", "\033[31m",
						 "\033[1;31m" };
	static const char *const verdict_color[] = { "\033[1;32m", "\033[1;33m", "\033[1;31m" };
	const struct pst_coverage *c = &s->cov;
	bool color = ro && ro->color;
	size_t count[PST_SEV_CRITICAL + 1] = { 0 }, i;
	char size[32], unpacked[32];
	int sev;

	for (i = 0; i < s->nfindings; i++)
		count[s->findings[i].severity]++;
	human_bytes(size, sizeof(size), s->target_size);
	human_bytes(unpacked, sizeof(unpacked), c->bytes_unpacked);
	pst_str_printf(o, "%sverdict: %s%s  %s\n", color ? verdict_color[s->verdict] : "",
		       s->verdict == PST_VERDICT_FAIL ? "FAIL" :
		       s->verdict == PST_VERDICT_REVIEW ? "REVIEW" : "PASS",
		       color ? "\033[0m" : "", s->root->seg);
	pst_str_printf(o, "findings: %zu critical, %zu high, %zu medium, %zu low, %zu info\n",
		       count[PST_SEV_CRITICAL], count[PST_SEV_HIGH], count[PST_SEV_MEDIUM],
		       count[PST_SEV_LOW], count[PST_SEV_INFO]);
	pst_str_printf(o, "coverage: %llu files in %llu containers, %s unpacked from %s; "
			  "%llu incomplete, %llu encrypted, %llu limits hit\n",
		       (unsigned long long)c->files, (unsigned long long)c->containers, unpacked, size,
		       (unsigned long long)c->incomplete, (unsigned long long)c->encrypted,
		       (unsigned long long)c->limits_hit);
	for (sev = PST_SEV_CRITICAL; sev >= PST_SEV_INFO; sev--) {
		for (i = 0; i < s->nfindings; i++) {
			const struct pst_finding *f = &s->findings[i];
			if ((int)f->severity != sev)
				continue;
			pst_str_printf(o, "\n%s%-8s%s %s\n", color ? sev_color[sev] : "",
				       pst_severity_str(f->severity), color ? "\033[0m" : "", f->rule);
			pst_str_printf(o, "         at %s", f->node ? f->node->location : "");
			if (f->offset)
				pst_str_printf(o, " +0x%llx", (unsigned long long)f->offset);
			pst_str_printf(o, "\n         %s\n", f->message);
			if (f->evidence)
				pst_str_printf(o, "         evidence: %s\n", f->evidence);
		}
	}
	pst_str_printf(o, "\nscanned in %.2f s with %u jobs; sha256 %s\n", s->seconds, s->jobs,
		       s->target_sha[0] ? s->target_sha : "-");
	return PST_OK;
}

enum pst_err pst_report_write(const struct pst_scan *s, enum pst_format f,
			      const struct pst_report_opts *o, FILE *out)
{
	struct pst_str buf;
	enum pst_err e;

	pst_str_init(&buf, (size_t)1 << 34);
	if (!s->root)
		return PST_EUSAGE;
	e = f == PST_FORMAT_JSON ? write_json(s, o, &buf) : write_text(s, o, &buf);
	if (e == PST_OK && buf.err)
		e = PST_ENOMEM;
	if (e == PST_OK && (fwrite(buf.p, 1, buf.len, out) != buf.len || fflush(out) != 0))
		e = PST_EIO;
	pst_str_free(&buf);
	return e;
}
