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
 * Version banners in ELF programs and libraries, and the kernel's in raw
 * (unclassified) images too (binary analysis), only where
 * the program prints a fixed, recognisable banner, and only when one file
 * names exactly one version (several differing versions: ambiguous, none):
 *   - "BusyBox v1.35.0 (" / "BusyBox v1.35.0 " (libbb/messages.c BB_BANNER)
 *   - "Linux version 6.1.0-18-4kc-malta (" (init/version.c linux_banner) and
 *     "vermagic=6.1.0 ..." in kernel modules (.ko, include/linux/vermagic.h)
 *   - "OpenSSL 3.0.11 19 Sep 2023", "OpenSSL 1.1.1w  11 Sep 2023"
 *     (OPENSSL_VERSION_TEXT)
 *   - "SSH-2.0-dropbear_2022.83" (dropbear's LOCAL_IDENT)
 *   - "OpenSSH_9.2p1" followed by a NUL or space (SSH_RELEASE; the '*'
 *     patterns of its compatibility table do not match)
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

#define MAX_PARAGRAPHS 50000    /* packages read from one status file */
#define MAX_FIELD 200           /* longest name/version/arch kept */
#define MAX_VERSIONS 4          /* distinct versions kept per banner per file */

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
	if (db_of(n->path) != DB_NONE)
		return n->kind == PST_KIND_TEXT || n->kind == PST_KIND_DATA;
	/* Raw kernel images are data; programs and modules are ELF. */
	return n->kind == PST_KIND_ELF || n->kind == PST_KIND_DATA;
}

/* RFC 3986 unreserved stays; everything else is percent-encoded (purl). */
static void purl_enc(struct pst_str *o, const char *s)
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

static void emit(const struct pst_file *f, const char *type, const char *name, const char *version,
		 const char *purl, const char *cpe, const char *technique, const char *evidence)
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
	char name[MAX_FIELD + 1], version[MAX_FIELD + 1], arch[MAX_FIELD + 1], status[MAX_FIELD + 1];
};

static void para_field(struct para *p, const char *line, size_t len)
{
	static const struct { const char *key; size_t off; } keys[] = {
		{ "Package:", offsetof(struct para, name) },
		{ "Version:", offsetof(struct para, version) },
		{ "Architecture:", offsetof(struct para, arch) },
		{ "Status:", offsetof(struct para, status) },
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
		if (len > MAX_FIELD)
			len = MAX_FIELD;
		memcpy(dst, line, len);
		dst[len] = 0;
		return;
	}
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

static bool plain(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

static void para_emit(const struct pst_file *f, const struct para *p, enum db db)
{
	struct pst_str purl;
	char evidence[MAX_FIELD * 2 + 64];
	const bool lib = strncmp(p->name, "lib", 3) == 0;

	if (!plain(p->name) || !plain(p->version) || !installed(p, db))
		return;
	pst_str_init(&purl, 1u << 12);
	pst_str_puts(&purl, db == DB_DPKG ? "pkg:deb/debian/" : "pkg:opkg/");
	purl_enc(&purl, p->name);
	pst_str_putc(&purl, '@');
	purl_enc(&purl, p->version);
	if (plain(p->arch)) {
		pst_str_puts(&purl, "?arch=");
		purl_enc(&purl, p->arch);
	}
	pst_str_putc(&purl, 0);
	snprintf(evidence, sizeof(evidence), "%s: Package: %s, Version: %s",
		 db == DB_DPKG ? "dpkg status" : db == DB_OPKG ? "opkg status" : "opkg control",
		 p->name, p->version);
	if (!purl.err)
		emit(f, lib ? "library" : "application", p->name, p->version, purl.p, NULL,
		     "manifest-analysis", evidence);
	pst_str_free(&purl);
}

/* deb-control(5): paragraphs separated by blank lines; continuation lines
 * start with a space or tab and are skipped (no field used here spans lines). */
static void read_db(const struct pst_file *f, enum db db)
{
	struct pst_view v = f->data;
	struct para p;
	size_t off = 0, nparas = 0;

	memset(&p, 0, sizeof(p));
	while (off < v.len && nparas < MAX_PARAGRAPHS) {
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
		} else if (line[0] != ' ' && line[0] != '\t') {
			para_field(&p, line, len);
		}
	}
	if (p.name[0] && nparas < MAX_PARAGRAPHS)
		para_emit(f, &p, db);
}

/* ---- version banners ---- */

struct banner {
	const char *prefix;          /* what precedes the version */
	const char *type, *name;
	bool (*take)(struct pst_view v, uint64_t off, char *ver, size_t cap);
	void (*cpe)(const char *ver, char *out, size_t cap);
	const char *suffix;          /* .ko only, or NULL */
	bool in_data;                /* also looked for in unclassified data */
};

static bool vch(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '.' || c == '-' || c == '_' || c == '+' || c == '~';
}

/* Version characters from off; *end = the first other offset. */
static size_t span(struct pst_view v, uint64_t off, char *ver, size_t cap, uint64_t *end)
{
	size_t n = 0;
	while (off + n < v.len && vch(v.p[off + n]) && n + 1 < cap) {
		ver[n] = (char)v.p[off + n];
		n++;
	}
	ver[n] = 0;
	*end = off + n;
	return n;
}

static bool dotted(const char *s)
{
	return s[0] >= '0' && s[0] <= '9' && strchr(s, '.') != NULL;
}

/* A dotted version ended by a space or NUL: "BusyBox v1.35.0 (", "vermagic=6.1.0-18-4kc-malta SMP". */
static bool take_ended(struct pst_view v, uint64_t off, char *ver, size_t cap)
{
	uint64_t end;
	return span(v, off, ver, cap, &end) && dotted(ver) && end < v.len &&
	       (v.p[end] == ' ' || v.p[end] == 0);
}

/* Linux version RELEASE (user@host) ... */
static bool take_linux(struct pst_view v, uint64_t off, char *ver, size_t cap)
{
	uint64_t end;
	return span(v, off, ver, cap, &end) && dotted(ver) && end + 1 < v.len &&
	       v.p[end] == ' ' && v.p[end + 1] == '(';
}

/* OpenSSL 3.0.11 19 Sep 2023: version, day, month, year. */
static bool take_openssl(struct pst_view v, uint64_t off, char *ver, size_t cap)
{
	uint64_t end, i;
	size_t dots = 0;
	if (!span(v, off, ver, cap, &end) || !dotted(ver))
		return false;
	for (const char *s = ver; *s; s++)
		dots += *s == '.';
	if (dots != 2 || end + 14 > v.len || v.p[end] != ' ')
		return false;
	/* 1.1.1 pads the version with a second space: "OpenSSL 1.1.1w  11 Sep 2023". */
	i = end + (v.p[end + 1] == ' ' ? 2 : 1);
	if (v.p[i] < '0' || v.p[i] > '9')
		return false;
	i += v.p[i + 1] >= '0' && v.p[i + 1] <= '9' ? 2 : 1;
	if (i + 9 > v.len || v.p[i] != ' ' || v.p[i + 4] != ' ')
		return false;
	for (uint64_t k = 1; k <= 3; k++)
		if (!((v.p[i + k] >= 'a' && v.p[i + k] <= 'z') || (v.p[i + k] >= 'A' && v.p[i + k] <= 'Z')))
			return false;
	for (uint64_t k = 5; k <= 8; k++)
		if (v.p[i + k] < '0' || v.p[i + k] > '9')
			return false;
	return true;
}

/* SSH-2.0-dropbear_2022.83 */
static bool take_dropbear(struct pst_view v, uint64_t off, char *ver, size_t cap)
{
	uint64_t end;
	return span(v, off, ver, cap, &end) && strlen(ver) >= 6 && dotted(ver) &&
	       strspn(ver, "0123456789.") == strlen(ver);
}

/* OpenSSH_9.2p1 NUL|space (not the "OpenSSH_7.4*" compat patterns) */
static bool take_openssh(struct pst_view v, uint64_t off, char *ver, size_t cap)
{
	return take_ended(v, off, ver, cap) && strspn(ver, "0123456789.p") == strlen(ver);
}

static void cpe_plain(const char *vendor_product, const char *ver, char *out, size_t cap)
{
	if (strspn(ver, "0123456789.abcdefghijklmnopqrstuvwxyz") != strlen(ver))
		out[0] = 0;
	else
		snprintf(out, cap, "cpe:2.3:%s:%s:*:*:*:*:*:*:*", vendor_product, ver);
}

static void cpe_busybox(const char *ver, char *out, size_t cap)
{
	cpe_plain("a:busybox:busybox", ver, out, cap);
}

/* Only a plain upstream release names the kernel version NVD uses; a
 * distribution's "6.1.0-18-4kc-malta" does not (its upstream is elsewhere). */
static void cpe_linux(const char *ver, char *out, size_t cap)
{
	if (strspn(ver, "0123456789.") != strlen(ver))
		out[0] = 0;
	else
		cpe_plain("o:linux:linux_kernel", ver, out, cap);
}

static void cpe_openssl(const char *ver, char *out, size_t cap)
{
	cpe_plain("a:openssl:openssl", ver, out, cap);
}

static void cpe_dropbear(const char *ver, char *out, size_t cap)
{
	cpe_plain("a:dropbear_ssh_project:dropbear_ssh", ver, out, cap);
}

/* NVD: version "9.2", update "p1". */
static void cpe_openssh(const char *ver, char *out, size_t cap)
{
	const char *p = strchr(ver, 'p');
	if (!p)
		snprintf(out, cap, "cpe:2.3:a:openbsd:openssh:%s:*:*:*:*:*:*:*", ver);
	else
		snprintf(out, cap, "cpe:2.3:a:openbsd:openssh:%.*s:%s:*:*:*:*:*:*", (int)(p - ver), ver, p);
}

/* Programs and libraries are ELF files; a raw kernel image is data, so only
 * the kernel's banner is looked for there (one pass over data, not six:
 * data can be large, decompression bombs included). */
static const struct banner banners[] = {
	{ "BusyBox v", "application", "busybox", take_ended, cpe_busybox, NULL, false },
	{ "Linux version ", "operating-system", "linux", take_linux, cpe_linux, NULL, true },
	{ "vermagic=", "operating-system", "linux", take_ended, cpe_linux, ".ko", false },
	{ "OpenSSL ", "library", "openssl", take_openssl, cpe_openssl, NULL, false },
	{ "SSH-2.0-dropbear_", "application", "dropbear", take_dropbear, cpe_dropbear, NULL, false },
	{ "OpenSSH_", "application", "openssh", take_openssh, cpe_openssh, NULL, false },
};

static void read_banner(const struct pst_file *f, const struct banner *b)
{
	char vers[MAX_VERSIONS][64], ver[64], cpe[160], evidence[128];
	size_t nvers = 0, plen = strlen(b->prefix);
	bool ambiguous = false;
	struct pst_str purl;
	int64_t at;
	uint64_t off = 0;

	while (!ambiguous && (at = pst_view_find(f->data, off, b->prefix, plen)) >= 0) {
		size_t i;
		off = (uint64_t)at + plen;
		if (!b->take(f->data, off, ver, sizeof(ver)))
			continue;
		for (i = 0; i < nvers && strcmp(vers[i], ver) != 0; i++)
			;
		if (i == nvers && nvers)
			ambiguous = true;
		else if (i == nvers)
			memcpy(vers[nvers++], ver, sizeof(ver));
	}
	if (nvers != 1 || ambiguous)
		return;
	b->cpe(vers[0], cpe, sizeof(cpe));
	pst_str_init(&purl, 1u << 12);
	pst_str_puts(&purl, "pkg:generic/");
	purl_enc(&purl, b->name);
	pst_str_putc(&purl, '@');
	purl_enc(&purl, vers[0]);
	pst_str_putc(&purl, 0);
	snprintf(evidence, sizeof(evidence), "%s%s", b->prefix, vers[0]);
	if (!purl.err)
		emit(f, b->type, b->name, vers[0], purl.p, cpe, "binary-analysis", evidence);
	pst_str_free(&purl);
}

static enum pst_err analyze(const void *st, const struct pst_file *f)
{
	enum db db = db_of(f->node->path);
	(void)st;
	if (db != DB_NONE) {
		read_db(f, db);
		return PST_OK;
	}
	for (size_t i = 0; i < sizeof(banners) / sizeof(banners[0]); i++) {
		const struct banner *b = &banners[i];
		if (b->suffix && !(f->node->path && acc_suffix(f->node->path, b->suffix)))
			continue;
		if (f->node->kind != PST_KIND_ELF && !b->in_data)
			continue;
		read_banner(f, b);
	}
	return PST_OK;
}

const struct pst_analyzer pst_analyzer_components = {
	.name = "components",
	.wants = wants,
	.analyze = analyze,
};
