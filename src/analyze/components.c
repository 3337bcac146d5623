/*
 * components.c - the software components a product ships, for the bill of
 * materials (CycloneDX report, JSON inventory). Emits facts, no findings.
 *
 * Package databases (manifest analysis, exact):
 *   - dpkg: /var/lib/dpkg/status (deb-control(5) paragraphs; a package counts
 *     when its files are on disk: Status ends in "installed", "unpacked",
 *     "half-configured" or "triggers-*") -> pkg:deb/debian/NAME@VERSION?arch=
 *   - opkg (OpenWrt): /usr/lib/opkg/status (same format and states) and
 *     /usr/lib/opkg/info/NAME.control (one paragraph per installed package)
 *     -> pkg:opkg/NAME@VERSION?arch=
 * Other package metadata (pkgmeta.c: os-release, Python, Java, Node, apk;
 * gobuild.c: Go build information; cargodep.c: cargo auditable data).
 * Version fingerprints (binary analysis): the data in rules/components/
 * (compfp.c, docs/components.md), read in one pass over every ELF file and
 * every unclassified data file (a raw or decompressed kernel, a boot loader).
 * A library's version string inside a program that links it statically is
 * reported as a component found in that program's file.
 * POSTERN_COMPONENTS=binaries ignores every package database (the
 * benchmark's "from binaries alone", bench/components.sh).
 *
 * Fact "component" on the file it was found in; the value is tab-separated:
 *   TYPE NAME VERSION PURL CPE TECHNIQUE EVIDENCE
 * (CycloneDX component type; PURL and CPE may be empty; TECHNIQUE is
 * CycloneDX's "manifest-analysis" or "binary-analysis"). Tabs and control
 * characters from the image become spaces. src/report/cyclonedx.c reads it.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "access.h"
#include "elf.h"
#include "compfp.h"
#include "components.h"

enum db { DB_NONE, DB_DPKG, DB_OPKG, DB_OPKG_CONTROL };

static enum db db_of(const char *path)
{
	if (!path)
		return DB_NONE;
	if (strcmp(path, "/var/lib/dpkg/status") == 0)
		return DB_DPKG;
	if (strcmp(path, "/usr/lib/opkg/status") == 0 || strcmp(path, "/var/lib/opkg/status") == 0)
		return DB_OPKG;
	if ((acc_prefix(path, "/usr/lib/opkg/info/") || acc_prefix(path, "/var/lib/opkg/info/")) &&
	    acc_suffix(path, ".control"))
		return DB_OPKG_CONTROL;
	return DB_NONE;
}

static bool wants(const void *st, const struct pst_node *n)
{
	(void)st;
	if (db_of(n->path) != DB_NONE || pst_pkgmeta_wants(n))
		return n->kind == PST_KIND_TEXT || n->kind == PST_KIND_DATA || n->kind == PST_KIND_ELF;
	/* Raw kernel images are data; programs and modules are ELF. */
	return n->kind == PST_KIND_ELF || n->kind == PST_KIND_DATA;
}

/* RFC 3986 unreserved stays; everything else is percent-encoded (purl). */
void pst_purl_enc(struct pst_str *o, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '.' || *p == '-' || *p == '_' || *p == '~')
			pst_str_putc(o, (char)*p);
		else
			pst_str_printf(o, "%%%02X", *p);
	}
}

/* Copies a field value, control characters (tabs) to spaces. */
static void field_put(struct pst_str *o, const char *s)
{
	for (; *s; s++)
		pst_str_putc(o, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
}

void pst_component_emit(const struct pst_file *f, const char *type, const char *name,
			const char *version, const char *purl, const char *cpe,
			const char *technique, const char *evidence)
{
	struct pst_str o;
	pst_str_init(&o, 1u << 16);
	field_put(&o, type);
	pst_str_putc(&o, '\t');
	field_put(&o, name);
	pst_str_putc(&o, '\t');
	field_put(&o, version);
	pst_str_putc(&o, '\t');
	field_put(&o, purl ? purl : "");
	pst_str_putc(&o, '\t');
	field_put(&o, cpe ? cpe : "");
	pst_str_putc(&o, '\t');
	field_put(&o, technique);
	pst_str_putc(&o, '\t');
	field_put(&o, evidence);
	pst_str_putc(&o, 0);
	if (!o.err)
		pst_fact_add(f->scan, f->node, "component", o.p);
	pst_str_free(&o);
}

/* ---- package databases ---- */

struct para {
	char name[PST_CAP_PKG_FIELD + 1], version[PST_CAP_PKG_FIELD + 1];
	char arch[PST_CAP_PKG_FIELD + 1], status[PST_CAP_PKG_FIELD + 1];
	char source[PST_CAP_PKG_FIELD + 1]; /* dpkg's Source: "openssl" or "openssl (3.0.11-1)" */
};

/* Returns false when the field's value was cut at PST_CAP_PKG_FIELD. */
static bool para_field(struct para *p, const char *line, size_t len)
{
	static const struct { const char *key; size_t off; } keys[] = {
		{ "Package:", offsetof(struct para, name) },
		{ "Version:", offsetof(struct para, version) },
		{ "Architecture:", offsetof(struct para, arch) },
		{ "Status:", offsetof(struct para, status) },
		{ "Source:", offsetof(struct para, source) },
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		size_t kl = strlen(keys[i].key);
		char *dst = (char *)p + keys[i].off;
		if (len < kl || strncasecmp(line, keys[i].key, kl) != 0)
			continue;
		line += kl;
		len -= kl;
		while (len && (*line == ' ' || *line == '\t'))
			line++, len--;
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
			len--;
		if (len > PST_CAP_PKG_FIELD) {
			memcpy(dst, line, PST_CAP_PKG_FIELD);
			dst[PST_CAP_PKG_FIELD] = 0;
			return false;
		}
		memcpy(dst, line, len);
		dst[len] = 0;
		return true;
	}
	return true;
}

/* dpkg(1) package states whose files are on disk: the last word of Status
 * (d-i's udpkg leaves "unpacked"); not "config-files", "half-installed",
 * "not-installed". */
static bool installed(const struct para *p, enum db db)
{
	static const char *const present[] = { "installed", "unpacked", "half-configured",
					       "triggers-awaited", "triggers-pending" };
	const char *last = strrchr(p->status, ' ');
	/* A control file is there because the package is installed. */
	if (db == DB_OPKG_CONTROL)
		return true;
	last = last ? last + 1 : p->status;
	for (size_t i = 0; i < sizeof(present) / sizeof(present[0]); i++)
		if (strcmp(last, present[i]) == 0)
			return true;
	return false;
}

bool pst_component_plain(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

/* Appends "upstream=SOURCE", the Source: field's first word (dpkg writes
 * the field only when the source package's name differs). */
static void p_source_qual(struct pst_str *purl, const char *source, char sep)
{
	char word[PST_CAP_PKG_FIELD + 1];
	size_t n = strcspn(source, " (");
	if (!n)
		return;
	memcpy(word, source, n);
	word[n] = 0;
	pst_str_putc(purl, sep);
	pst_str_puts(purl, "upstream=");
	pst_purl_enc(purl, word);
}

static void para_emit(const struct pst_file *f, const struct para *p, enum db db)
{
	struct pst_str purl;
	char evidence[PST_CAP_PKG_FIELD * 2 + 64];
	const bool lib = strncmp(p->name, "lib", 3) == 0;

	if (!pst_component_plain(p->name) || !pst_component_plain(p->version) || !installed(p, db))
		return;
	pst_str_init(&purl, 1u << 12);
	pst_str_puts(&purl, db == DB_DPKG ? "pkg:deb/debian/" : "pkg:opkg/");
	pst_purl_enc(&purl, p->name);
	pst_str_putc(&purl, '@');
	pst_purl_enc(&purl, p->version);
	if (pst_component_plain(p->arch)) {
		pst_str_puts(&purl, "?arch=");
		pst_purl_enc(&purl, p->arch);
	}
	/* the source package, which Debian's security records name (vulns.c) */
	p_source_qual(&purl, p->source, pst_component_plain(p->arch) ? '&' : '?');
	pst_str_putc(&purl, 0);
	snprintf(evidence, sizeof(evidence), "%s: Package: %s, Version: %s",
		 db == DB_DPKG ? "dpkg status" : db == DB_OPKG ? "opkg status" : "opkg control",
		 p->name, p->version);
	if (!purl.err)
		pst_component_emit(f, lib ? "library" : "application", p->name, p->version, purl.p, NULL,
		     "manifest-analysis", evidence);
	pst_str_free(&purl);
}

void pst_field_cut(const struct pst_file *f)
{
	pst_cap_hit(f->scan, f->node, "PST_CAP_PKG_FIELD",
		    "a package field longer than %u bytes was cut there", PST_CAP_PKG_FIELD);
}

/* deb-control(5): paragraphs separated by blank lines; continuation lines
 * start with a space or tab and are skipped (no field used here spans lines). */
static void read_db(const struct pst_file *f, enum db db)
{
	struct pst_view v = f->data;
	struct para p;
	size_t off = 0, nparas = 0;
	bool cut = false;

	memset(&p, 0, sizeof(p));
	while (off < v.len && nparas < PST_CAP_DPKG_PACKAGES) {
		const char *line = (const char *)v.p + off;
		const char *nl = memchr(line, '\n', v.len - off);
		size_t len = nl ? (size_t)(nl - line) : v.len - off;
		off += len + (nl ? 1 : 0);
		if (len && line[len - 1] == '\r')
			len--;
		if (len == 0) {
			if (p.name[0]) {
				para_emit(f, &p, db);
				nparas++;
			}
			memset(&p, 0, sizeof(p));
		} else if (line[0] != ' ' && line[0] != '\t' && !para_field(&p, line, len)) {
			cut = true;
		}
	}
	if (p.name[0] && nparas < PST_CAP_DPKG_PACKAGES)
		para_emit(f, &p, db);
	if (nparas == PST_CAP_DPKG_PACKAGES && off < v.len)
		pst_cap_hit(f->scan, f->node, "PST_CAP_DPKG_PACKAGES",
			    "packages past the first %u were not listed", PST_CAP_DPKG_PACKAGES);
	if (cut)
		pst_field_cut(f);
}

/* ---- version fingerprints (rules/components/, compfp.c) ---- */

struct comp_state {
	struct pst_compfp *fp;
	bool no_db; /* POSTERN_COMPONENTS=binaries: package databases ignored */
};

static enum pst_err comp_init(const struct pst_options *o, void **state)
{
	struct comp_state *st = pst_calloc(1, sizeof(*st));
	const char *mode = getenv("POSTERN_COMPONENTS");
	char err[512];
	if (!st)
		return PST_ENOMEM;
	st->fp = pst_compfp_load(o->rule_dirs, err, sizeof(err));
	if (!st->fp) {
		pst_message(o, PST_MSG_WARNING, "component rules: %s", err);
		free(st);
		return PST_EFORMAT;
	}
	st->no_db = mode && strcmp(mode, "binaries") == 0;
	*state = st;
	return PST_OK;
}

static void comp_fini(void *state)
{
	struct comp_state *st = state;
	if (st)
		pst_compfp_free(st->fp);
	free(st);
}

struct hit_ctx {
	const struct pst_file *f;
	struct pst_elf elf;
	int parsed; /* 0 not yet, 1 parsed, -1 unusable */
};

/* Whether the program loads a library whose name starts with one of names:
 * its copy of OPENSSL_VERSION_TEXT is then the headers' it was built with.
 * The ELF file is parsed only for such a hit. */
static bool needs_linked(struct hit_ctx *hc, const char *const *names)
{
	if (!names || !names[0] || hc->f->node->kind != PST_KIND_ELF)
		return false;
	if (hc->parsed == 0)
		hc->parsed = pst_elf_parse(hc->f->data, &hc->elf) ? 1 : -1;
	for (size_t i = 0; hc->parsed > 0 && i < hc->elf.nneeded; i++)
		for (size_t k = 0; names[k]; k++)
			if (hc->elf.needed[i] && acc_prefix(hc->elf.needed[i], names[k]))
				return true;
	return false;
}

static void on_hit(void *ctx, const struct pst_fp_hit *h)
{
	struct hit_ctx *hc = ctx;
	if (needs_linked(hc, h->linked))
		return;
	pst_component_emit(hc->f, h->type, h->name, h->version, h->purl, h->cpe, "binary-analysis",
			   h->evidence);
}

static enum pst_err analyze(const void *state, const struct pst_file *f)
{
	const struct comp_state *st = state;
	enum db db = db_of(f->node->path);
	unsigned where = PST_FP_DATA;
	const char *base;
	struct hit_ctx hc;
	if (db != DB_NONE) {
		if (!st->no_db)
			read_db(f, db);
		return PST_OK;
	}
	if (pst_pkgmeta_wants(f->node)) {
		if (!st->no_db)
			pst_pkgmeta_read(f);
		if (f->node->kind != PST_KIND_ELF)
			return PST_OK;
	}
	if (f->node->kind == PST_KIND_ELF)
		where = f->node->path && acc_suffix(f->node->path, ".ko") ? PST_FP_MODULE : PST_FP_ELF;
	base = f->node->path ? strrchr(f->node->path, '/') : NULL;
	memset(&hc, 0, sizeof(hc));
	hc.f = f;
	pst_compfp_scan(st->fp, f->data, base ? base + 1 : f->node->path, where, on_hit, &hc);
	if (f->node->kind == PST_KIND_ELF && !st->no_db) {
		pst_gobuild_read(f);
		pst_cargodep_read(f);
	}
	if (hc.parsed)
		pst_elf_free(&hc.elf);
	return PST_OK;
}

/* Tree-wide: what needs a file's siblings (a jar's manifest beside its
 * pom.properties). Runs before the vulnerability stage's finish. */
static enum pst_err comp_finish(const void *state, const struct pst_tree *t)
{
	(void)state;
	pst_jarmf_finish(t);
	return PST_OK;
}

const struct pst_analyzer pst_analyzer_components = {
	.name = "components",
	.init = comp_init,
	.fini = comp_fini,
	.wants = wants,
	.analyze = analyze,
	.finish = comp_finish,
};
