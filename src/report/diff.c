/*
 * diff.c - what a new version of a product changes against the old one.
 *
 * The two trees are aligned by inner path: a location less the target's name
 * and the container offsets (pst_location_inner), so the same file matches
 * across different container layouts. Findings are matched by rule, inner
 * location and evidence, then, for what is left, by rule and inner location
 * alone (the same finding whose evidence moved is not new). New findings are
 * sorted into the attack surface a lab cares about (accounts, keys, boot-time
 * services, listeners, endpoints, capabilities, hardening regressions), and
 * the change gets a verdict of its own: NEW's policy applied to what is new.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "report/report.h"
#include "policy/policy.h"

struct keyed {
	char *key;
	const void *item;
	bool matched;
};

struct surface {
	const char *kind;
	const struct pst_finding *f;   /* or */
	const struct pst_node *n;
	const char *why;
};

struct changed {
	const struct pst_node *a, *b;
	const char *what;
};

struct pst_diff {
	const struct pst_scan *a, *b;
	const struct pst_node **added, **removed;
	size_t nadded, nremoved;
	struct changed *changed;
	size_t nchanged;
	const struct pst_finding **newf, **resolved;
	size_t nnew, nresolved;
	struct surface *surface;
	size_t nsurface;
	bool coverage_worse;
	enum pst_verdict verdict;
	bool oom;
};

/* Attack-surface kinds, by rule id prefix, then by category. */
static const struct {
	const char *prefix, *kind;
} surface_rules[] = {
	{ "account.", "account" },   { "credential.", "account" }, { "password.", "account" },
	{ "key.", "key" },           { "crypto.key", "key" },      { "cert.", "key" },
	{ "service.", "boot-service" }, { "boot.", "boot-service" }, { "init.", "boot-service" },
	{ "cron.", "boot-service" }, { "listener.", "listener" },  { "network.", "listener" },
	{ "net.", "listener" },      { "endpoint.", "endpoint" },  { "web.", "endpoint" },
	{ "http.", "endpoint" },     { "cgi.", "endpoint" },       { "capability.", "capability" },
	{ "hardening.", "hardening-regression" },
};
static const struct {
	const char *category, *kind;
} surface_categories[] = {
	{ "capability", "capability" }, { "hardening", "hardening-regression" },
	{ "crypto", "key" },            { "access", "access" },   { "backdoor", "backdoor" },
};

static const char *surface_kind(const struct pst_finding *f)
{
	size_t i;
	for (i = 0; i < sizeof(surface_rules) / sizeof(surface_rules[0]); i++)
		if (strncmp(f->rule, surface_rules[i].prefix, strlen(surface_rules[i].prefix)) == 0)
			return surface_rules[i].kind;
	for (i = 0; i < sizeof(surface_categories) / sizeof(surface_categories[0]); i++)
		if (f->category && strcmp(f->category, surface_categories[i].category) == 0)
			return surface_categories[i].kind;
	return NULL;
}

static char *inner_of(const char *loc)
{
	size_t need = pst_location_inner(loc, NULL, 0);
	char *p = malloc(need);
	if (p)
		pst_location_inner(loc, p, need);
	return p;
}

static int keyed_cmp(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	return strcmp(a->key, b->key);
}

static void keyed_free(struct keyed *k, size_t n)
{
	size_t i;
	for (i = 0; k && i < n; i++)
		free(k[i].key);
	free(k);
}

/* Files that take part in the comparison: stored files and links, not the
 * target itself nor regions carved out of a parent. */
static bool comparable(const struct pst_node *n)
{
	if (!n->parent || (n->flags & PST_NODE_VIRTUAL))
		return false;
	return S_ISREG(n->mode) || S_ISLNK(n->mode);
}

static struct keyed *node_keys(const struct pst_scan *s, size_t *n)
{
	const struct pst_node *x;
	struct keyed *k = NULL;
	size_t cnt = 0, i = 0;
	for (x = s->root; x; x = pst_node_next(x))
		cnt += comparable(x);
	k = calloc(cnt + 1, sizeof(*k));
	if (!k)
		return NULL;
	for (x = s->root; x; x = pst_node_next(x)) {
		if (!comparable(x))
			continue;
		k[i].key = inner_of(x->location);
		k[i].item = x;
		if (!k[i].key) {
			keyed_free(k, i);
			return NULL;
		}
		i++;
	}
	qsort(k, cnt, sizeof(*k), keyed_cmp);
	*n = cnt;
	return k;
}

static char *finding_key(const struct pst_finding *f, bool with_evidence)
{
	char *inner = inner_of(pst_finding_location(f)), *k = NULL;
	if (inner && asprintf(&k, "%s\n%s\n%s", f->rule, inner,
			      with_evidence && f->evidence ? f->evidence : "") < 0)
		k = NULL;
	free(inner);
	return k;
}

static struct keyed *finding_keys(const struct pst_scan *s, bool with_evidence)
{
	struct keyed *k = calloc(s->nfindings + 1, sizeof(*k));
	size_t i;
	if (!k)
		return NULL;
	for (i = 0; i < s->nfindings; i++) {
		k[i].key = finding_key(&s->findings[i], with_evidence);
		k[i].item = &s->findings[i];
		if (!k[i].key) {
			keyed_free(k, i);
			return NULL;
		}
	}
	qsort(k, s->nfindings, sizeof(*k), keyed_cmp);
	return k;
}

/* Marks the pairs with equal keys in two sorted lists, one to one. */
static void match(struct keyed *a, size_t na, struct keyed *b, size_t nb)
{
	size_t i = 0, j = 0;
	while (i < na && j < nb) {
		int c;
		if (a[i].matched) { i++; continue; }
		if (b[j].matched) { j++; continue; }
		c = strcmp(a[i].key, b[j].key);
		if (c == 0) {
			a[i].matched = b[j].matched = true;
			i++;
			j++;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
}

static void push(struct pst_diff *d, const void ***arr, size_t *n, const void *item)
{
	const void **na = realloc(*arr, (*n + 1) * sizeof(**arr));
	if (!na) {
		d->oom = true;
		return;
	}
	*arr = na;
	na[(*n)++] = item;
}

static void add_surface(struct pst_diff *d, const char *kind, const struct pst_finding *f,
			const struct pst_node *n, const char *why)
{
	struct surface *ns = realloc(d->surface, (d->nsurface + 1) * sizeof(*ns));
	if (!ns) {
		d->oom = true;
		return;
	}
	d->surface = ns;
	ns[d->nsurface].kind = kind;
	ns[d->nsurface].f = f;
	ns[d->nsurface].n = n;
	ns[d->nsurface].why = why;
	d->nsurface++;
}

static void diff_files(struct pst_diff *d)
{
	size_t na = 0, nb = 0, i = 0, j = 0;
	struct keyed *ka = node_keys(d->a, &na), *kb = node_keys(d->b, &nb);
	if (!ka || !kb) {
		d->oom = true;
		goto out;
	}
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(ka[i].key, kb[j].key);
		if (c < 0) {
			push(d, (const void ***)&d->removed, &d->nremoved, ka[i++].item);
		} else if (c > 0) {
			const struct pst_node *n = kb[j++].item;
			push(d, (const void ***)&d->added, &d->nadded, n);
			if (n->kind == PST_KIND_KEY)
				add_surface(d, "key", NULL, n, "new key or certificate file");
			if (S_ISREG(n->mode) && (n->mode & 06000))
				add_surface(d, "capability", NULL, n, "new setuid/setgid file");
		} else {
			const struct pst_node *x = ka[i++].item, *y = kb[j++].item;
			const char *what = NULL;
			if (memcmp(x->sha256, y->sha256, 32) != 0 || x->size != y->size)
				what = "content";
			else if ((x->mode & 07777) != (y->mode & 07777))
				what = "mode";
			else if (x->uid != y->uid || x->gid != y->gid)
				what = "owner";
			else if ((x->link || y->link) && (!x->link || !y->link || strcmp(x->link, y->link)))
				what = "link";
			if (what) {
				struct changed *nc = realloc(d->changed, (d->nchanged + 1) * sizeof(*nc));
				if (!nc) {
					d->oom = true;
					break;
				}
				d->changed = nc;
				nc[d->nchanged].a = x;
				nc[d->nchanged].b = y;
				nc[d->nchanged].what = what;
				d->nchanged++;
				if (S_ISREG(y->mode) && (y->mode & 06000) && !(x->mode & 06000))
					add_surface(d, "capability", NULL, y, "file became setuid/setgid");
			}
		}
	}
out:
	keyed_free(ka, na);
	keyed_free(kb, nb);
}

/* Records the matched entries of k by finding index. */
static void mark(const struct keyed *k, size_t n, const struct pst_finding *base, bool *m)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (k[i].matched)
			m[(const struct pst_finding *)k[i].item - base] = true;
}

static void carry(struct keyed *k, size_t n, const struct pst_finding *base, const bool *m)
{
	size_t i;
	for (i = 0; i < n; i++)
		k[i].matched = m[(const struct pst_finding *)k[i].item - base];
}

static void diff_findings(struct pst_diff *d)
{
	size_t na = d->a->nfindings, nb = d->b->nfindings, i;
	struct keyed *ea = finding_keys(d->a, true), *eb = finding_keys(d->b, true);
	struct keyed *la = finding_keys(d->a, false), *lb = finding_keys(d->b, false);
	bool *ma = calloc(na + 1, sizeof(bool)), *mb = calloc(nb + 1, sizeof(bool));

	if (!ea || !eb || !la || !lb || !ma || !mb) {
		d->oom = true;
		goto out;
	}
	match(ea, na, eb, nb);
	mark(ea, na, d->a->findings, ma);
	mark(eb, nb, d->b->findings, mb);
	/* What is left is matched by rule and location alone. */
	carry(la, na, d->a->findings, ma);
	carry(lb, nb, d->b->findings, mb);
	match(la, na, lb, nb);
	mark(la, na, d->a->findings, ma);
	mark(lb, nb, d->b->findings, mb);
	/* Reported in the scans' own (sorted) order. */
	for (i = 0; i < nb; i++) {
		const struct pst_finding *f = &d->b->findings[i];
		const char *kind;
		if (mb[i])
			continue;
		kind = surface_kind(f);
		push(d, (const void ***)&d->newf, &d->nnew, f);
		if (kind)
			add_surface(d, kind, f, f->node, NULL);
	}
	for (i = 0; i < na; i++)
		if (!ma[i])
			push(d, (const void ***)&d->resolved, &d->nresolved, &d->a->findings[i]);
out:
	keyed_free(ea, na);
	keyed_free(eb, nb);
	keyed_free(la, na);
	keyed_free(lb, nb);
	free(ma);
	free(mb);
}

/* NEW's policy over what is new; a new coverage gap counts as the policy's
 * coverage rule says; new keys and setuid files ask for review. */
static enum pst_verdict change_verdict(struct pst_diff *d)
{
	const struct pst_policy *p = d->b->policy;
	enum pst_verdict v = PST_VERDICT_PASS;
	size_t i;
	for (i = 0; i < d->nnew; i++) {
		const struct pst_finding *f = d->newf[i];
		if (f->waiver)
			continue;
		if ((int)f->severity >= p->fail_at)
			return PST_VERDICT_FAIL;
		if ((int)f->severity >= p->review_at)
			v = PST_VERDICT_REVIEW;
	}
	for (i = 0; i < d->nsurface; i++)
		if (!d->surface[i].f && v < PST_VERDICT_REVIEW)
			v = PST_VERDICT_REVIEW;
	d->coverage_worse = pst_coverage_gap(&d->b->cov, d->b->findings, d->b->nfindings) &&
			    !pst_coverage_gap(&d->a->cov, d->a->findings, d->a->nfindings);
	if (d->coverage_worse && p->coverage > v)
		v = p->coverage;
	return v;
}

struct pst_diff *pst_diff_new(const struct pst_scan *old_scan, const struct pst_scan *new_scan)
{
	struct pst_diff *d;
	if (!old_scan->root || !new_scan->root)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->a = old_scan;
	d->b = new_scan;
	diff_files(d);
	diff_findings(d);
	d->verdict = change_verdict(d);
	if (d->oom) {
		pst_diff_free(d);
		return NULL;
	}
	return d;
}

void pst_diff_free(struct pst_diff *d)
{
	if (!d)
		return;
	free(d->added);
	free(d->removed);
	free(d->changed);
	free(d->newf);
	free(d->resolved);
	free(d->surface);
	free(d);
}

enum pst_verdict pst_diff_verdict(const struct pst_diff *d) { return d->verdict; }

const struct pst_finding *const *pst_diff_new_findings(const struct pst_diff *d, size_t *n)
{
	*n = d->nnew;
	return d->newf;
}

const struct pst_finding *const *pst_diff_resolved_findings(const struct pst_diff *d, size_t *n)
{
	*n = d->nresolved;
	return d->resolved;
}

/* ---- output ---- */

static json_t *jfinding(const struct pst_finding *f)
{
	json_t *o = json_object();
	char *inner = inner_of(pst_finding_location(f));
	pst_jstr(o, "rule", f->rule);
	pst_jstr(o, "severity", pst_severity_str(f->severity));
	pst_jstr(o, "category", f->category);
	pst_jstr(o, "location", pst_finding_location(f));
	pst_jstr(o, "inner", inner);
	free(inner);
	pst_jstr(o, "message", f->message);
	pst_jstr(o, "evidence", f->evidence);
	if (f->waiver)
		pst_jset(o, "waiver", json_pack("{s:s,s:s}", "justification", f->waiver->justification,
						"expires", f->waiver->expires));
	return o;
}

static json_t *jnode(const struct pst_node *n)
{
	json_t *o = json_object();
	char *inner = inner_of(n->location), sha[65];
	pst_jstr(o, "inner", inner);
	free(inner);
	pst_jstr(o, "location", n->location);
	pst_jstr(o, "kind", pst_kind_str(n->kind));
	pst_jset(o, "size", json_integer((json_int_t)n->size));
	if (S_ISREG(n->mode)) {
		pst_hex(n->sha256, 32, sha);
		pst_jstr(o, "sha256", sha);
	}
	return o;
}

static json_t *jside(const struct pst_scan *s)
{
	return json_pack("{s:s,s:s,s:s,s:I}", "name", s->root->seg, "sha256", s->target_sha,
			 "verdict", pst_verdict_str(s->verdict), "findings", (json_int_t)s->nfindings);
}

static json_t *diff_json(const struct pst_diff *d)
{
	json_t *root = json_object(), *files = json_object(), *added = json_array();
	json_t *removed = json_array(), *changed = json_array(), *nf = json_array();
	json_t *rf = json_array(), *surf = json_array();
	size_t i;

	pst_jset(root, "tool", json_pack("{s:s,s:s}", "name", "postern", "version", PST_VERSION));
	pst_jset(root, "old", jside(d->a));
	pst_jset(root, "new", jside(d->b));
	pst_jstr(root, "verdict", pst_verdict_str(d->verdict));
	pst_jstr(root, "policy", pst_policy_name(d->b->policy));
	for (i = 0; i < d->nadded; i++)
		json_array_append_new(added, jnode(d->added[i]));
	for (i = 0; i < d->nremoved; i++)
		json_array_append_new(removed, jnode(d->removed[i]));
	for (i = 0; i < d->nchanged; i++) {
		json_t *c = jnode(d->changed[i].b);
		char sha[65];
		pst_jstr(c, "change", d->changed[i].what);
		pst_jstr(c, "old_location", d->changed[i].a->location);
		pst_hex(d->changed[i].a->sha256, 32, sha);
		pst_jstr(c, "old_sha256", sha);
		json_array_append_new(changed, c);
	}
	pst_jset(files, "added", added);
	pst_jset(files, "removed", removed);
	pst_jset(files, "changed", changed);
	pst_jset(root, "files", files);
	for (i = 0; i < d->nsurface; i++) {
		const struct surface *s = &d->surface[i];
		json_t *o = s->f ? jfinding(s->f) : jnode(s->n);
		json_t *e = json_object();
		pst_jstr(e, "kind", s->kind);
		if (s->why)
			pst_jstr(e, "why", s->why);
		json_object_update(e, o);
		json_decref(o);
		json_array_append_new(surf, e);
	}
	pst_jset(root, "attack_surface", surf);
	for (i = 0; i < d->nnew; i++)
		json_array_append_new(nf, jfinding(d->newf[i]));
	for (i = 0; i < d->nresolved; i++)
		json_array_append_new(rf, jfinding(d->resolved[i]));
	pst_jset(root, "findings", json_pack("{s:o,s:o}", "new", nf, "resolved", rf));
	pst_jset(root, "coverage", json_pack("{s:b,s:I,s:I}", "worse", d->coverage_worse,
					     "old_incomplete", (json_int_t)d->a->cov.incomplete,
					     "new_incomplete", (json_int_t)d->b->cov.incomplete));
	return root;
}

static void text_finding(struct pst_str *o, const char *mark, const struct pst_finding *f)
{
	pst_str_printf(o, "  %s %-8s %s at %s\n", mark, pst_severity_str(f->severity), f->rule,
		       pst_finding_location(f));
	pst_str_printf(o, "             %s\n", f->message);
	if (f->evidence)
		pst_str_printf(o, "             evidence: %s\n", f->evidence);
	if (f->waiver)
		pst_str_printf(o, "             waived until %s: %s\n", f->waiver->expires,
			       f->waiver->justification);
}

static void diff_text(const struct pst_diff *d, struct pst_str *o)
{
	static const char *const up[] = { "PASS", "REVIEW", "FAIL" };
	size_t i;
	pst_str_printf(o, "change verdict: %s  %s -> %s (policy %s)\n", up[d->verdict], d->a->root->seg,
		       d->b->root->seg, pst_policy_name(d->b->policy));
	pst_str_printf(o, "files: %zu added, %zu removed, %zu changed\n", d->nadded, d->nremoved,
		       d->nchanged);
	pst_str_printf(o, "findings: %zu new, %zu resolved (old %s with %zu, new %s with %zu)\n",
		       d->nnew, d->nresolved, pst_verdict_str(d->a->verdict), d->a->nfindings,
		       pst_verdict_str(d->b->verdict), d->b->nfindings);
	if (d->coverage_worse)
		pst_str_puts(o, "coverage: the new version has content that could not be examined\n");
	pst_str_puts(o, "\nnew attack surface:\n");
	if (!d->nsurface)
		pst_str_puts(o, "  none\n");
	for (i = 0; i < d->nsurface; i++) {
		const struct surface *s = &d->surface[i];
		if (s->f)
			pst_str_printf(o, "  %-20s %s %s at %s\n", s->kind, pst_severity_str(s->f->severity),
				       s->f->rule, pst_finding_location(s->f));
		else
			pst_str_printf(o, "  %-20s %s: %s\n", s->kind, s->why, s->n->location);
	}
	pst_str_puts(o, "\nnew findings:\n");
	if (!d->nnew)
		pst_str_puts(o, "  none\n");
	for (i = 0; i < d->nnew; i++)
		text_finding(o, "+", d->newf[i]);
	pst_str_puts(o, "\nresolved findings:\n");
	if (!d->nresolved)
		pst_str_puts(o, "  none\n");
	for (i = 0; i < d->nresolved; i++)
		text_finding(o, "-", d->resolved[i]);
	if (d->nadded + d->nremoved + d->nchanged)
		pst_str_puts(o, "\nfiles:\n");
	for (i = 0; i < d->nadded; i++)
		pst_str_printf(o, "  + %s\n", d->added[i]->location);
	for (i = 0; i < d->nremoved; i++)
		pst_str_printf(o, "  - %s\n", d->removed[i]->location);
	for (i = 0; i < d->nchanged; i++)
		pst_str_printf(o, "  ~ %s (%s)\n", d->changed[i].b->location, d->changed[i].what);
}

extern const char pst_html_style[];

static void h(struct pst_str *o, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '<') pst_str_puts(o, "&lt;");
		else if (*s == '>') pst_str_puts(o, "&gt;");
		else if (*s == '&') pst_str_puts(o, "&amp;");
		else if (*s == '"') pst_str_puts(o, "&quot;");
		else pst_str_putc(o, *s);
	}
}

static void html_findings(struct pst_str *o, const char *title, const char *id,
			  const struct pst_finding *const *f, size_t n)
{
	size_t i;
	pst_str_printf(o, "<section><h2>%s (%zu)</h2><table id=\"%s\"><thead><tr><th>severity</th>"
			  "<th>rule</th><th>location</th><th>message</th><th>evidence</th></tr></thead><tbody>\n",
		       title, n, id);
	for (i = 0; i < n; i++) {
		pst_str_printf(o, "<tr><td><span class=\"sev sev-%s\">%s</span></td><td class=\"mono\">",
			       pst_severity_str(f[i]->severity), pst_severity_str(f[i]->severity));
		h(o, f[i]->rule);
		pst_str_puts(o, "</td><td class=\"loc\">");
		h(o, pst_finding_location(f[i]));
		pst_str_puts(o, "</td><td>");
		h(o, f[i]->message);
		pst_str_puts(o, "</td><td class=\"ev\">");
		h(o, f[i]->evidence);
		pst_str_puts(o, "</td></tr>\n");
	}
	pst_str_puts(o, "</tbody></table></section>\n");
}

static void diff_html(const struct pst_diff *d, struct pst_str *o)
{
	size_t i;
	pst_str_puts(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
			"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
			"style-src 'unsafe-inline'\">\n<title>postern diff: ");
	h(o, pst_verdict_str(d->verdict));
	pst_str_puts(o, "</title>\n");
	pst_str_puts(o, pst_html_style);
	pst_str_printf(o, "</head><body><main>\n<div id=\"banner\" class=\"%s\"><span id=\"verdict\">%s</span>"
			  "<span class=\"meta\">", pst_verdict_str(d->verdict), pst_verdict_str(d->verdict));
	h(o, d->a->root->seg);
	pst_str_puts(o, " \xe2\x86\x92 ");
	h(o, d->b->root->seg);
	pst_str_printf(o, " \xc2\xb7 %zu added, %zu removed, %zu changed files \xc2\xb7 %zu new, "
			  "%zu resolved findings</span></div>\n", d->nadded, d->nremoved, d->nchanged,
		       d->nnew, d->nresolved);
	pst_str_puts(o, "<section><h2>New attack surface</h2><table id=\"surface\"><tbody>\n");
	for (i = 0; i < d->nsurface; i++) {
		const struct surface *s = &d->surface[i];
		pst_str_puts(o, "<tr><td>");
		h(o, s->kind);
		pst_str_puts(o, "</td><td class=\"mono\">");
		h(o, s->f ? s->f->rule : s->why);
		pst_str_puts(o, "</td><td class=\"loc\">");
		h(o, s->f ? pst_finding_location(s->f) : s->n->location);
		pst_str_puts(o, "</td></tr>\n");
	}
	if (!d->nsurface)
		pst_str_puts(o, "<tr><td class=\"muted\">none</td></tr>\n");
	pst_str_puts(o, "</tbody></table></section>\n");
	html_findings(o, "New findings", "new", d->newf, d->nnew);
	html_findings(o, "Resolved findings", "resolved", d->resolved, d->nresolved);
	pst_str_puts(o, "<section><h2>Files</h2><table id=\"files\"><tbody>\n");
	for (i = 0; i < d->nadded; i++) {
		pst_str_puts(o, "<tr><td>added</td><td class=\"loc\">");
		h(o, d->added[i]->location);
		pst_str_puts(o, "</td></tr>\n");
	}
	for (i = 0; i < d->nremoved; i++) {
		pst_str_puts(o, "<tr><td>removed</td><td class=\"loc\">");
		h(o, d->removed[i]->location);
		pst_str_puts(o, "</td></tr>\n");
	}
	for (i = 0; i < d->nchanged; i++) {
		pst_str_printf(o, "<tr><td>changed (%s)</td><td class=\"loc\">", d->changed[i].what);
		h(o, d->changed[i].b->location);
		pst_str_puts(o, "</td></tr>\n");
	}
	pst_str_puts(o, "</tbody></table></section>\n</main></body></html>\n");
}

enum pst_err pst_diff_write(const struct pst_diff *d, enum pst_format f,
			    const struct pst_report_opts *ro, FILE *out)
{
	struct pst_str buf;
	enum pst_err e = PST_OK;

	(void)ro;
	pst_str_init(&buf, (size_t)1 << 34);
	if (f == PST_FORMAT_JSON) {
		json_t *j = diff_json(d);
		e = pst_jdump(j, &buf);
		json_decref(j);
	} else if (f == PST_FORMAT_HTML) {
		diff_html(d, &buf);
	} else if (f == PST_FORMAT_TEXT) {
		diff_text(d, &buf);
	} else {
		e = PST_EUNSUPPORTED;
	}
	if (e == PST_OK && buf.err)
		e = PST_ENOMEM;
	if (e == PST_OK && (fwrite(buf.p, 1, buf.len, out) != buf.len || fflush(out) != 0))
		e = PST_EIO;
	pst_str_free(&buf);
	return e;
}
