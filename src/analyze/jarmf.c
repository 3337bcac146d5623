/*
 * jarmf.c - a Java archive's manifest, META-INF/MANIFEST.MF (the JAR File
 * Specification: "Name: value" lines, a line starting with one space
 * continues the one before, the main section ends at the first blank line),
 * as a component: the name from Implementation-Title, Bundle-SymbolicName or
 * Specification-Title, the version from Implementation-Version,
 * Bundle-Version or Specification-Version (the first usable one of each; one
 * longer than PST_CAP_PKG_FIELD is passed over, and limit.cap says so).
 * A jar whose META-INF/maven/.../pom.properties already gave a component
 * gives no second one; when its pom.properties names the group and artifact
 * without a version, the manifest's version completes pkg:maven/G/A@V,
 * otherwise the purl is pkg:generic/NAME@VERSION. Siblings are only known
 * once the tree is whole, so the manifest is recorded as fact
 * "jar.manifest" (NAME VERSION VENDOR) and turned into a component in the
 * components analyzer's finish, before the vulnerability stage reads them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "components.h"

enum { F_ITITLE, F_BSN, F_STITLE, F_IVER, F_BVER, F_SVER, F_IVENDOR, F_N };
static const char *const mf_keys[F_N] = {
	"Implementation-Title", "Bundle-SymbolicName", "Specification-Title",
	"Implementation-Version", "Bundle-Version", "Specification-Version",
	"Implementation-Vendor",
};

struct mf {
	char val[F_N][PST_CAP_PKG_FIELD + 1];
	bool over[F_N]; /* longer than PST_CAP_PKG_FIELD: not used (a cut name is wrong) */
	int cur;        /* the field continuation lines add to, or -1 */
};

static void mf_append(struct mf *m, const char *s, size_t len)
{
	size_t have = strlen(m->val[m->cur]);
	if (m->over[m->cur] || len > PST_CAP_PKG_FIELD - have) {
		m->over[m->cur] = true;
		return;
	}
	memcpy(m->val[m->cur] + have, s, len);
	m->val[m->cur][have + len] = 0;
}

/* One line of the main section; false at its end. */
static bool mf_line(void *ctx, const char *line, size_t len)
{
	struct mf *m = ctx;
	if (len && line[len - 1] == '\r')
		len--;
	if (len == 0)
		return false;
	if (line[0] == ' ') {
		if (m->cur >= 0)
			mf_append(m, line + 1, len - 1);
		return true;
	}
	m->cur = -1;
	for (int i = 0; i < F_N; i++) {
		size_t kl = strlen(mf_keys[i]);
		if (len > kl && memcmp(line, mf_keys[i], kl) == 0 && line[kl] == ':' &&
		    !m->val[i][0] && !m->over[i]) {
			const char *v = line + kl + 1;
			size_t vl = len - kl - 1;
			if (vl && *v == ' ')
				v++, vl--;
			m->cur = i;
			mf_append(m, v, vl);
			break;
		}
	}
	return true;
}

/* The first of fields [from, to) that is usable as a name or version. */
static const char *mf_pick(struct mf *m, int from, int to)
{
	for (int i = from; i < to; i++) {
		char *semi = strchr(m->val[i], ';'); /* "org.x.y;singleton:=true" */
		if (semi && i == F_BSN)
			*semi = 0;
		if (!m->over[i] && pst_component_plain(m->val[i]))
			return m->val[i];
	}
	return NULL;
}

void pst_jarmf_read(const struct pst_file *f)
{
	struct mf *m = calloc(1, sizeof(*m));
	const char *name, *ver;
	char fact[3 * (PST_CAP_PKG_FIELD + 1)];
	if (!m)
		return;
	m->cur = -1;
	pst_each_line(f, mf_line, m);
	for (int i = F_ITITLE; i < F_IVENDOR; i++)
		if (m->over[i]) {
			pst_field_cut(f); /* a name or version left out: maybe misnamed */
			break;
		}
	name = mf_pick(m, F_ITITLE, F_IVER);
	ver = mf_pick(m, F_IVER, F_IVENDOR);
	if (name && ver) {
		snprintf(fact, sizeof(fact), "%s\t%s\t%s", name, ver,
			 m->over[F_IVENDOR] ? "" : m->val[F_IVENDOR]);
		pst_fact_add(f->scan, f->node, "jar.manifest", fact);
	}
	free(m);
}

/* The jar a META-INF file belongs to: its location up to and with the last
 * "/META-INF/" (0 when there is none). */
static size_t jar_prefix(const char *loc)
{
	const char *p = loc, *last = NULL;
	while ((p = strstr(p, "/META-INF/")) != NULL)
		last = p++;
	return last ? (size_t)(last - loc) + 10 : 0;
}

struct jar_seen {
	bool pom_component;     /* pom.properties of this jar gave a component */
	const char *group_art;  /* "G\tA" from its only pom.properties, or NULL */
	unsigned npoms;
};

/* What the jar at loc[0..klen) holds besides its manifest (facts sorted by
 * location: those of the jar's META-INF follow each other). */
static void jar_survey(const struct pst_tree *t, const char *loc, size_t klen, struct jar_seen *js)
{
	size_t lo = 0, hi = t->nfacts;
	memset(js, 0, sizeof(*js));
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *ml = t->facts[mid].node ? t->facts[mid].node->location : "";
		if (strncmp(ml, loc, klen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->nfacts; lo++) {
		const struct pst_fact *fa = &t->facts[lo];
		const char *fl = fa->node ? fa->node->location : "";
		if (strncmp(fl, loc, klen) != 0)
			break;
		if (strchr(fl + klen, '!') || !strstr(fl + klen, "maven/"))
			continue; /* a jar inside this one, or not its pom.properties */
		if (strcmp(fa->key, "component") == 0)
			js->pom_component = true;
		else if (strcmp(fa->key, "jar.maven") == 0 && js->npoms++ == 0)
			js->group_art = fa->value;
	}
	if (js->npoms != 1)
		js->group_art = NULL;
}

static void manifest_emit(const struct pst_tree *t, const struct pst_fact *fa)
{
	struct pst_file f = { .node = fa->node, .scan = t->scan };
	struct jar_seen js;
	const char *loc = fa->node->location, *tab1 = strchr(fa->value, '\t'), *tab2;
	char name[PST_CAP_PKG_FIELD + 1], ver[PST_CAP_PKG_FIELD + 1];
	struct pst_str purl, ev;
	tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
	if (!tab2 || (size_t)(tab1 - fa->value) > PST_CAP_PKG_FIELD ||
	    (size_t)(tab2 - tab1 - 1) > PST_CAP_PKG_FIELD)
		return;
	snprintf(name, sizeof(name), "%.*s", (int)(tab1 - fa->value), fa->value);
	snprintf(ver, sizeof(ver), "%.*s", (int)(tab2 - tab1 - 1), tab1 + 1);
	jar_survey(t, loc, jar_prefix(loc), &js);
	if (js.pom_component)
		return;
	pst_str_init(&purl, 4096);
	pst_str_init(&ev, 4096);
	if (js.group_art && strchr(js.group_art, '\t')) {
		const char *at = strchr(js.group_art, '\t') + 1;
		char group[PST_CAP_PKG_FIELD + 1];
		snprintf(group, sizeof(group), "%.*s", (int)(at - 1 - js.group_art), js.group_art);
		snprintf(name, sizeof(name), "%s", at);
		pst_str_puts(&purl, "pkg:maven/");
		pst_purl_enc(&purl, group);
		pst_str_putc(&purl, '/');
	} else {
		pst_str_puts(&purl, "pkg:generic/");
	}
	pst_purl_enc(&purl, name);
	pst_str_putc(&purl, '@');
	pst_purl_enc(&purl, ver);
	pst_str_putc(&purl, 0);
	pst_str_printf(&ev, "MANIFEST.MF: %s %s%s%s", name, ver, tab2[1] ? " vendor " : "",
		       tab2 + 1);
	pst_str_putc(&ev, 0);
	if (!purl.err && !ev.err)
		pst_component_emit(&f, "library", name, ver, purl.p, NULL, "manifest-analysis",
				   ev.p);
	pst_str_free(&purl);
	pst_str_free(&ev);
}

void pst_jarmf_finish(const struct pst_tree *t)
{
	for (size_t i = 0; i < t->nfacts; i++)
		if (t->facts[i].node && strcmp(t->facts[i].key, "jar.manifest") == 0)
			manifest_emit(t, &t->facts[i]);
}
