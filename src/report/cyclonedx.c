/*
 * cyclonedx.c - a CycloneDX 1.5 JSON bill of materials (cyclonedx.org,
 * "CycloneDX v1.5 JSON Reference"): the product as metadata.component (type
 * firmware, with its SHA-256 and postern's verdict), every regular file in it
 * as a "file" component with its SHA-256, and the software components that
 * analyzers identified (facts "component" = "name@version"; see
 * docs/reports.md). Deterministic: no timestamp, and a serial number derived
 * from the target's digest.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "report/report.h"

/* A UUID (version 5 layout) from the first bytes of a SHA-256. */
static void serial_of(const struct pst_scan *s, char out[46])
{
	uint8_t sha[32];
	char hex[65];
	char seed[256];
	snprintf(seed, sizeof(seed), "postern-bom\n%s\n%s\n%s", s->target_sha, s->root->seg,
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

/* "busybox@1.36.1" or "busybox 1.36.1". */
static json_t *software_component(const struct pst_fact *f)
{
	const char *v = f->value, *sep = strchr(v, '@');
	json_t *c = json_object();
	if (!sep)
		sep = strchr(v, ' ');
	pst_jstr(c, "type", "library");
	pst_jset(c, "bom-ref", json_pack("s+++", "component:", v, "@", f->node ? f->node->location : ""));
	if (sep) {
		pst_jset(c, "name", json_stringn(v, (size_t)(sep - v)));
		pst_jstr(c, "version", sep + 1);
	} else {
		pst_jstr(c, "name", v);
	}
	pst_jset(c, "properties", json_pack("[o]", prop("postern:location",
							  f->node ? f->node->location : "")));
	return c;
}

enum pst_err pst_write_cyclonedx(const struct pst_scan *s, const struct pst_report_opts *ro,
				 struct pst_str *o)
{
	json_t *root = json_object(), *meta = json_object(), *product = json_object();
	json_t *comps = json_array(), *pprops = json_array();
	const struct pst_node *n;
	char serial[46];
	enum pst_err e;
	size_t i;

	(void)ro;
	serial_of(s, serial);
	pst_jstr(root, "bomFormat", "CycloneDX");
	pst_jstr(root, "specVersion", "1.5");
	pst_jstr(root, "serialNumber", serial);
	pst_jset(root, "version", json_integer(1));
	pst_jset(meta, "tools", json_pack("{s:[{s:s,s:s,s:s}]}", "components", "type", "application",
					  "name", "postern", "version", PST_VERSION));
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
			if (asprintf(&v, "%s at %s until %s (%llu findings): %s", w[k].rule, w[k].location,
				     w[k].expires, (unsigned long long)w[k].matched, w[k].justification) < 0)
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
	for (i = 0; i < s->nfacts; i++)
		if (strcmp(s->facts[i].key, "component") == 0 && s->facts[i].value[0])
			json_array_append_new(comps, software_component(&s->facts[i]));
	pst_jset(root, "components", comps);
	e = pst_jdump(root, o);
	json_decref(root);
	return e;
}
