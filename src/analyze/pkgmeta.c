/*
 * pkgmeta.c - package metadata other than dpkg/opkg, each an exact statement
 * of what is installed (technique manifest-analysis):
 *   - /etc/os-release, /usr/lib/os-release (os-release(5): ID, VERSION_ID)
 *     and OpenWrt's /etc/openwrt_release (DISTRIB_ID, DISTRIB_RELEASE): the
 *     distribution, an operating-system component
 *   - Python: NAME-VER.dist-info/METADATA and *.egg-info/PKG-INFO (core
 *     metadata, "Name:" and "Version:" in the header) -> pkg:pypi/name@ver
 *   - Java: META-INF/maven/GROUP/ARTIFACT/pom.properties (groupId,
 *     artifactId, version; inside jars the walker opens) -> pkg:maven/g/a@v;
 *     META-INF/MANIFEST.MF (jarmf.c) when no pom.properties gave one
 *   - Node: node_modules/[@scope/]NAME/package.json ("name", "version")
 *     -> pkg:npm/[%40scope/]name@ver
 *   - rpm: /var/lib/rpm/rpmdb.sqlite, /usr/lib/sysimage/rpm/rpmdb.sqlite
 *     (rpmdb.c); BerkeleyDB /var/lib/rpm/Packages,
 *     /usr/lib/sysimage/rpm/Packages, NDB Packages.db there (rpmbdb.c)
 *   - a virtual appliance's OVF descriptor, /NAME.ovf at the top of an OVA
 *     (ovf.c): the product, vendor and version it claims
 *   - Alpine: /lib/apk/db/installed (apk's installed database: paragraphs
 *     of "P:name", "V:version", "A:arch") -> pkg:apk/alpine/name@ver?arch=
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "access.h"
#include "components.h"

enum meta { M_NONE, M_OSREL, M_OPENWRT, M_PYTHON, M_MAVEN, M_NPM, M_APK, M_RPM, M_RPMBDB, M_RPMNDB,
	    M_OVF, M_JARMF };

static enum meta meta_of(const char *path)
{
	const char *nm;
	if (!path)
		return M_NONE;
	if (strcmp(path, "/etc/os-release") == 0 || strcmp(path, "/usr/lib/os-release") == 0)
		return M_OSREL;
	if (strcmp(path, "/etc/openwrt_release") == 0)
		return M_OPENWRT;
	if (strcmp(path, "/lib/apk/db/installed") == 0)
		return M_APK;
	if (strcmp(path, "/var/lib/rpm/rpmdb.sqlite") == 0 ||
	    strcmp(path, "/usr/lib/sysimage/rpm/rpmdb.sqlite") == 0)
		return M_RPM;
	if (strcmp(path, "/var/lib/rpm/Packages") == 0 ||
	    strcmp(path, "/usr/lib/sysimage/rpm/Packages") == 0)
		return M_RPMBDB;
	if (strcmp(path, "/var/lib/rpm/Packages.db") == 0 ||
	    strcmp(path, "/usr/lib/sysimage/rpm/Packages.db") == 0)
		return M_RPMNDB;
	/* an OVA's descriptor sits at the top of its tar */
	if (acc_suffix(path, ".ovf") && strchr(path + 1, '/') == NULL)
		return M_OVF;
	if (acc_suffix(path, ".dist-info/METADATA") || acc_suffix(path, ".egg-info/PKG-INFO"))
		return M_PYTHON;
	if (strstr(path, "/META-INF/maven/") && acc_suffix(path, "/pom.properties"))
		return M_MAVEN;
	if (acc_suffix(path, "/META-INF/MANIFEST.MF"))
		return M_JARMF;
	nm = strstr(path, "/node_modules/");
	if (nm && acc_suffix(path, "/package.json")) {
		/* node_modules/NAME/package.json or node_modules/@scope/NAME/package.json */
		const char *rest = strrchr(path, '/'), *p = nm + 14;
		size_t slashes = 0;
		for (; p < rest; p++)
			slashes += *p == '/';
		if (slashes == 0 || (slashes == 1 && nm[14] == '@'))
			return M_NPM;
	}
	return M_NONE;
}

bool pst_pkgmeta_wants(const struct pst_node *n)
{
	return meta_of(n->path) != M_NONE;
}

/* Copies a value, trimmed and unquoted ("..." or '...'), into out. */
/* Returns false when the value was cut to fit cap. */
static bool value_copy(const char *s, size_t len, char *out, size_t cap)
{
	bool whole;
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && strchr(" \t\r", s[len - 1]))
		len--;
	if (len >= 2 && (s[0] == '"' || s[0] == '\'') && s[len - 1] == s[0])
		s++, len -= 2;
	whole = len < cap;
	if (!whole)
		len = cap - 1;
	memcpy(out, s, len);
	out[len] = 0;
	return whole;
}

void pst_each_line(const struct pst_file *f, bool (*fn)(void *, const char *, size_t), void *ctx)
{
	struct pst_view v = f->data;
	size_t off = 0;
	while (off < v.len) {
		const char *line = (const char *)v.p + off;
		const char *nl = memchr(line, '\n', v.len - off);
		size_t len = nl ? (size_t)(nl - line) : v.len - off;
		off += len + (nl ? 1 : 0);
		if (!fn(ctx, line, len))
			break;
	}
}

struct kv {
	const char *const *keys; /* "ID=", "Name:" ... */
	char (*vals)[PST_CAP_PKG_FIELD + 1];
	size_t n;
	bool header_only;        /* core metadata: stop at the first blank line */
	bool cut;                /* a value was cut at PST_CAP_PKG_FIELD */
};

static bool kv_line(void *ctx, const char *line, size_t len)
{
	struct kv *kv = ctx;
	if (kv->header_only && (len == 0 || (len == 1 && line[0] == '\r')))
		return false;
	for (size_t i = 0; i < kv->n; i++) {
		size_t kl = strlen(kv->keys[i]);
		if (len >= kl && memcmp(line, kv->keys[i], kl) == 0 && !kv->vals[i][0]) {
			if (!value_copy(line + kl, len - kl, kv->vals[i], PST_CAP_PKG_FIELD + 1))
				kv->cut = true;
			break;
		}
	}
	return true;
}

/* Emits NAME@VERSION with purl PREFIX + name parts (already encoded). */
static void emit_pkg(const struct pst_file *f, const char *type, const char *name,
		     const char *version, const struct pst_str *purl, const char *cpe, const char *what)
{
	char evidence[PST_CAP_PKG_FIELD * 2 + 64];
	snprintf(evidence, sizeof(evidence), "%s: %s %s", what, name, version);
	if (!purl || !purl->err)
		pst_component_emit(f, type, name, version, purl ? purl->p : NULL, cpe,
				   "manifest-analysis", evidence);
}

static void lower_dash(char *s)
{
	for (; *s; s++)
		*s = *s == '_' || *s == '.' ? '-' : (char)tolower((unsigned char)*s);
}

/* os-release(5) and openwrt_release: the distribution. */
static void read_release(const struct pst_file *f, bool openwrt)
{
	static const char *const osk[] = { "ID=", "VERSION_ID=" };
	static const char *const owk[] = { "DISTRIB_ID=", "DISTRIB_RELEASE=" };
	char vals[2][PST_CAP_PKG_FIELD + 1] = { "", "" }, cpe[512] = "";
	struct kv kv = { openwrt ? owk : osk, vals, 2, false, false };
	pst_each_line(f, kv_line, &kv);
	if (kv.cut)
		pst_field_cut(f);
	for (char *p = vals[0]; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (!pst_component_plain(vals[0]) || !pst_component_plain(vals[1]))
		return;
	/* NVD names OpenWrt releases (cpe:2.3:o:openwrt:openwrt:21.02.3). */
	if (strcmp(vals[0], "openwrt") == 0 && strspn(vals[1], "0123456789.") == strlen(vals[1]))
		snprintf(cpe, sizeof(cpe), "cpe:2.3:o:openwrt:openwrt:%s:*:*:*:*:*:*:*", vals[1]);
	emit_pkg(f, "operating-system", vals[0], vals[1], NULL, cpe,
		 openwrt ? "openwrt_release" : "os-release");
}

static void read_python(const struct pst_file *f)
{
	static const char *const keys[] = { "Name:", "Version:" };
	char vals[2][PST_CAP_PKG_FIELD + 1] = { "", "" }, name[PST_CAP_PKG_FIELD + 1];
	struct kv kv = { keys, vals, 2, true, false };
	struct pst_str purl;
	pst_each_line(f, kv_line, &kv);
	if (kv.cut)
		pst_field_cut(f);
	if (!pst_component_plain(vals[0]) || !pst_component_plain(vals[1]))
		return;
	/* PEP 503 normalisation: the purl's name is lower case, - for _ and . */
	snprintf(name, sizeof(name), "%s", vals[0]);
	lower_dash(name);
	pst_str_init(&purl, 4096);
	pst_str_puts(&purl, "pkg:pypi/");
	pst_purl_enc(&purl, name);
	pst_str_putc(&purl, '@');
	pst_purl_enc(&purl, vals[1]);
	pst_str_putc(&purl, 0);
	emit_pkg(f, "library", vals[0], vals[1], &purl, NULL, "python metadata");
	pst_str_free(&purl);
}

static void read_maven(const struct pst_file *f)
{
	static const char *const keys[] = { "groupId=", "artifactId=", "version=" };
	char vals[3][PST_CAP_PKG_FIELD + 1] = { "", "", "" }, ga[2 * PST_CAP_PKG_FIELD + 2];
	struct kv kv = { keys, vals, 3, false, false };
	struct pst_str purl;
	pst_each_line(f, kv_line, &kv);
	if (kv.cut)
		pst_field_cut(f);
	if (!pst_component_plain(vals[0]) || !pst_component_plain(vals[1]))
		return;
	/* the group and artifact for the jar's manifest (jarmf.c) */
	snprintf(ga, sizeof(ga), "%s\t%s", vals[0], vals[1]);
	pst_fact_add(f->scan, f->node, "jar.maven", ga);
	if (!pst_component_plain(vals[2]))
		return;
	pst_str_init(&purl, 4096);
	pst_str_puts(&purl, "pkg:maven/");
	pst_purl_enc(&purl, vals[0]);
	pst_str_putc(&purl, '/');
	pst_purl_enc(&purl, vals[1]);
	pst_str_putc(&purl, '@');
	pst_purl_enc(&purl, vals[2]);
	pst_str_putc(&purl, 0);
	emit_pkg(f, "library", vals[1], vals[2], &purl, NULL, "pom.properties");
	pst_str_free(&purl);
}

static void read_npm(const struct pst_file *f)
{
	json_t *j;
	const char *name, *ver, *slash;
	struct pst_str purl;
	if (f->data.len > PST_CAP_PKG_JSON)
		return;
	j = json_loadb((const char *)f->data.p, f->data.len, 0, NULL);
	name = json_string_value(json_object_get(j, "name"));
	ver = json_string_value(json_object_get(j, "version"));
	if (name && ver && pst_component_plain(name) && pst_component_plain(ver) &&
	    (strlen(name) > PST_CAP_PKG_FIELD || strlen(ver) > PST_CAP_PKG_FIELD))
		pst_field_cut(f); /* not listed at all */
	else if (name && ver && pst_component_plain(name) && pst_component_plain(ver)) {
		pst_str_init(&purl, 4096);
		pst_str_puts(&purl, "pkg:npm/");
		slash = name[0] == '@' ? strchr(name, '/') : NULL;
		if (slash) {
			char scope[PST_CAP_PKG_FIELD + 1];
			snprintf(scope, sizeof(scope), "%.*s", (int)(slash - name), name);
			pst_purl_enc(&purl, scope);
			pst_str_putc(&purl, '/');
			pst_purl_enc(&purl, slash + 1);
		} else {
			pst_purl_enc(&purl, name);
		}
		pst_str_putc(&purl, '@');
		pst_purl_enc(&purl, ver);
		pst_str_putc(&purl, 0);
		emit_pkg(f, "library", name, ver, &purl, NULL, "package.json");
		pst_str_free(&purl);
	}
	json_decref(j);
}

struct apk {
	const struct pst_file *f;
	char v[3][PST_CAP_PKG_FIELD + 1]; /* P, V, A */
	size_t n;
	bool capped; /* a package past PST_CAP_APK_PACKAGES was left unread */
	bool cut;    /* a value was cut at PST_CAP_PKG_FIELD */
};

static void apk_emit(struct apk *a)
{
	struct pst_str purl;
	if (pst_component_plain(a->v[0]) && pst_component_plain(a->v[1]) &&
	    a->n < PST_CAP_APK_PACKAGES) {
		pst_str_init(&purl, 4096);
		pst_str_puts(&purl, "pkg:apk/alpine/");
		pst_purl_enc(&purl, a->v[0]);
		pst_str_putc(&purl, '@');
		pst_purl_enc(&purl, a->v[1]);
		if (pst_component_plain(a->v[2])) {
			pst_str_puts(&purl, "?arch=");
			pst_purl_enc(&purl, a->v[2]);
		}
		pst_str_putc(&purl, 0);
		emit_pkg(a->f, strncmp(a->v[0], "lib", 3) == 0 ? "library" : "application", a->v[0],
			 a->v[1], &purl, NULL, "apk installed");
		pst_str_free(&purl);
		a->n++;
	}
	memset(a->v, 0, sizeof(a->v));
}

static bool apk_line(void *ctx, const char *line, size_t len)
{
	struct apk *a = ctx;
	const char *k = "PVA", *at;
	if (len && line[len - 1] == '\r')
		len--;
	if (len == 0) {
		if (a->n == PST_CAP_APK_PACKAGES && a->v[0][0]) {
			a->capped = true;
			return false;
		}
		apk_emit(a);
		return true;
	}
	at = len >= 2 && line[1] == ':' ? strchr(k, line[0]) : NULL;
	if (at && line[0] && !value_copy(line + 2, len - 2, a->v[at - k], PST_CAP_PKG_FIELD + 1))
		a->cut = true;
	return true;
}

static void read_apk(const struct pst_file *f)
{
	struct apk a;
	memset(&a, 0, sizeof(a));
	a.f = f;
	pst_each_line(f, apk_line, &a);
	if (a.n == PST_CAP_APK_PACKAGES && a.v[0][0])
		a.capped = true;
	if (a.cut)
		pst_field_cut(f);
	if (a.capped)
		pst_cap_hit(f->scan, f->node, "PST_CAP_APK_PACKAGES",
			    "packages past the first %u were not listed", PST_CAP_APK_PACKAGES);
	else
		apk_emit(&a);
}

void pst_pkgmeta_read(const struct pst_file *f)
{
	switch (meta_of(f->node->path)) {
	case M_OSREL:
		read_release(f, false);
		break;
	case M_OPENWRT:
		read_release(f, true);
		break;
	case M_PYTHON:
		read_python(f);
		break;
	case M_MAVEN:
		read_maven(f);
		break;
	case M_NPM:
		read_npm(f);
		break;
	case M_APK:
		read_apk(f);
		break;
	case M_RPM:
		pst_rpmdb_read(f);
		break;
	case M_RPMBDB:
		pst_rpmbdb_read(f);
		break;
	case M_RPMNDB:
		pst_rpmndb_read(f);
		break;
	case M_OVF:
		pst_ovf_read(f);
		break;
	case M_JARMF:
		pst_jarmf_read(f);
		break;
	case M_NONE:
		break;
	}
}
