/*
 * services_link.c - the services analyzer's finish phase: which files run at
 * boot, and what they start, resolved in the tree the way the shell would.
 *
 * services.c leaves facts on every boot file and every shell script it read
 * (services.h lists them). Here:
 *   1. A file is a boot file by its path (inittab, init.d, profile...), or
 *      because a boot file copies (cp -R) or bind-mounts its directory over
 *      a place where it becomes one (cp -Rf /etc.tmp/(all) /etc at boot makes
 *      /etc.tmp/profile the /etc/profile that runs).
 *   2. A start is resolved in the same filesystem: an absolute path as it
 *      is, a bare name through the PATH the script had, following symbolic
 *      links, and through the copies of step 1 (a script names /etc/x, the
 *      image holds it at /etc.tmp/x). A name that resolves to no file is no
 *      start.
 *   3. A file a boot file sources ('.'), and a script it runs that is not a
 *      boot file itself (one that is reports its own starts), run at boot
 *      too: what they start counts for the boot file, and the critical
 *      findings they kept back (svc.defer) are reported.
 *   4. A boot file that starts a program with a finding that makes the
 *      program an access path or a spying tool (category access, capability,
 *      signature or backdoor; high or critical; not file-system, credential
 *      or crypto hygiene, nor coverage) gets service.starts-suspicious at
 *      that finding's severity, once per program.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "services.h"

#define LINK_HOPS 16    /* symbolic links followed for one name, as the kernel's 40 but smaller */
#define ROUNDS 3        /* copies of copies followed */

/* Every node with a path, sorted by location: a location is its container's
 * prefix followed by the path, so a path in a container is one lookup. */
struct idx {
	const struct pst_node **v;
	size_t n, cap;
};

/* A file with svc.* facts: its facts are t->facts[f0..f1). */
struct group {
	const struct pst_node *n;
	size_t f0, f1, cl;  /* cl: length of its container prefix */
	bool boot;          /* a boot file (by its path or copied into place) */
	bool reached;       /* run or sourced from a boot file */
	bool told;          /* its deferred findings were reported */
	char *as;           /* copied into place at boot: the path it gets */
	const char *by;     /* reached: the first boot file that runs it */
	bool chain_cut;     /* a boot file: PST_CAP_SVC_CHAIN reported on it */
};

struct copy {
	const struct pst_node *by;
	size_t cl;
	char *src, *dst;
};

struct link {
	const struct svc_rules *rules;
	const struct pst_tree *t;
	struct idx idx;
	struct group *g;
	size_t ng;
	struct copy *cp;
	size_t ncp, capcp;
	size_t *hits;       /* findings that propagate (indexes into s->findings) */
	size_t nhits;
	const struct pst_node **done; /* programs reported for the current boot file */
	size_t ndone, capdone;
	bool *seen;         /* groups on the current walk */
	/* what each fact resolved to (res valid where resd), kept until the
	 * copies change: a library script sourced by every init script is
	 * resolved once */
	const struct pst_node **res;
	bool *resd;
};

/* ---- the tree, by location ---- */

static int node_cmp(const void *a, const void *b)
{
	const struct pst_node *x = *(const struct pst_node *const *)a;
	const struct pst_node *y = *(const struct pst_node *const *)b;
	return strcmp(x->location, y->location);
}

static bool idx_build(struct idx *x, const struct pst_node *root)
{
	const struct pst_node *n = root;
	while (n) {
		if (n->path && n->location) {
			if (!pst_array_grow((void **)&x->v, &x->cap, x->n, sizeof(*x->v), 256))
				return false;
			x->v[x->n++] = n;
		}
		if (n->child) {
			n = n->child;
			continue;
		}
		while (n && n != root && !n->next)
			n = n->parent;
		if (!n || n == root)
			break;
		n = n->next;
	}
	if (x->n)
		qsort(x->v, x->n, sizeof(*x->v), node_cmp);
	return true;
}

/* The node at path in the container whose location prefix is cont[0..cl). */
static const struct pst_node *idx_find(const struct idx *x, const char *cont, size_t cl,
				       const char *path)
{
	size_t lo = 0, hi = x->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *loc = x->v[mid]->location;
		/* the order of whole locations: the container prefix, then the path */
		int c = strncmp(loc, cont, cl);
		if (c == 0)
			c = strcmp(loc + cl, path);
		if (c == 0)
			return x->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- paths ---- */

/* Removes "//", "/./" and "/../" from an absolute path, in place. */
static void normalise(char *p)
{
	char *w = p, *r = p;
	while (*r) {
		while (r[0] == '/' && r[1] == '/')
			r++;
		if (r[0] == '/' && r[1] == '.' && (r[2] == '/' || r[2] == 0)) {
			r += 2;
			continue;
		}
		if (r[0] == '/' && r[1] == '.' && r[2] == '.' && (r[3] == '/' || r[3] == 0)) {
			while (w > p && *--w != '/')
				;
			r += 3;
			continue;
		}
		*w++ = *r++;
		while (*r && *r != '/')
			*w++ = *r++;
	}
	if (w == p)
		*w++ = '/';
	*w = 0;
}

static bool is_link(const struct pst_node *n)
{
	/* a symbolic link, or a hard link stored without its content */
	return n->link && n->link[0] &&
	       (S_ISLNK(n->mode) || (n->size == 0 && !S_ISDIR(n->mode)));
}

/* Replaces the link at p[0..end) by its target (relative to its directory),
 * keeping the rest. False when the result does not fit. */
static bool splice_link(char *p, size_t end, const char *target)
{
	char out[PST_CAP_SVC_PATH];
	int w;
	if (target[0] == '/') {
		w = snprintf(out, sizeof(out), "%s%s", target, p + end);
	} else {
		size_t d = end;
		while (d > 0 && p[d - 1] != '/')
			d--;
		w = snprintf(out, sizeof(out), "%.*s%s%s", (int)d, p, target, p + end);
	}
	if (w < 0 || (size_t)w >= sizeof(out))
		return false;
	memcpy(p, out, (size_t)w + 1);
	normalise(p);
	return true;
}

/* The regular file path names in the container, following symbolic links in
 * every component; NULL when there is none. */
static const struct pst_node *lookup(const struct link *L, const char *cont, size_t cl,
				     const char *path)
{
	char p[PST_CAP_SVC_PATH];
	unsigned hops = 0;
	size_t len = strlen(path);
	if (path[0] != '/' || len >= sizeof(p))
		return NULL;
	memcpy(p, path, len + 1);
	normalise(p);
	while (hops++ < LINK_HOPS) {
		size_t end;
		bool moved = false;
		for (end = 1; !moved; end++) {
			const struct pst_node *n;
			char save;
			if (p[end] != '/' && p[end] != 0)
				continue;
			save = p[end];
			p[end] = 0;
			n = idx_find(&L->idx, cont, cl, p);
			p[end] = save;
			if (n && is_link(n)) {
				if (!splice_link(p, end, n->link))
					return NULL;
				moved = true;
			} else if (save == 0) {
				return n && (S_ISREG(n->mode) || (n->mode & S_IFMT) == 0) ? n : NULL;
			}
		}
	}
	return NULL;
}

/* path (absolute) in the container, or where a boot copy put it from. */
static const struct pst_node *lookup_copied(const struct link *L, const char *cont, size_t cl,
					    const char *path)
{
	const struct pst_node *n = lookup(L, cont, cl, path);
	size_t i;
	for (i = 0; !n && i < L->ncp; i++) {
		const struct copy *c = &L->cp[i];
		char p[PST_CAP_SVC_PATH];
		size_t dl = strlen(c->dst);
		if (c->cl != cl || strncmp(c->by->location, cont, cl) != 0 ||
		    strncmp(path, c->dst, dl) != 0 || (path[dl] != '/' && !(dl == 1 && c->dst[0] == '/')))
			continue;
		if (snprintf(p, sizeof(p), "%s%s", c->src, path + (dl == 1 ? 0 : dl)) < (int)sizeof(p))
			n = lookup(L, cont, cl, p);
	}
	return n;
}

/* The file a start fact names: "PROG" or "NAME<FS>PATH" searched like the
 * shell does (executable files only). */
static const struct pst_node *resolve(const struct link *L, const struct group *g,
				      const char *value)
{
	const char *fs = strchr(value, ACC_FS), *d;
	const char *cont = g->n->location;
	if (!fs)
		return lookup_copied(L, cont, g->cl, value);
	for (d = fs + 1; *d;) {
		size_t dl = strcspn(d, ":");
		char p[PST_CAP_SVC_PATH];
		int w = snprintf(p, sizeof(p), "%.*s/%.*s", (int)dl, d, (int)(fs - value), value);
		if (dl && d[0] == '/' && w > 0 && (size_t)w < sizeof(p)) {
			const struct pst_node *n = lookup_copied(L, cont, g->cl, p);
			if (n && ((n->mode & 0777) == 0 || (n->mode & 0111)))
				return n;
		}
		d += dl;
		if (*d == ':')
			d++;
	}
	return NULL;
}

/* ---- groups of facts ---- */

static bool build_groups(struct link *L)
{
	const struct pst_tree *t = L->t;
	size_t i, cap = 0;
	for (i = 0; i < t->nfacts; i++) {
		const struct pst_fact *x = &t->facts[i];
		struct group *g;
		if (!acc_prefix(x->key, "svc.") || !x->node->path)
			continue;
		if (L->ng && L->g[L->ng - 1].n == x->node && L->g[L->ng - 1].f1 == i) {
			L->g[L->ng - 1].f1 = i + 1;
			continue;
		}
		if (!pst_array_grow((void **)&L->g, &cap, L->ng, sizeof(*L->g), 64))
			return false;
		g = &L->g[L->ng++];
		memset(g, 0, sizeof(*g));
		g->n = x->node;
		g->f0 = i;
		g->f1 = i + 1;
		g->cl = acc_container_len(x->node);
		g->boot = svc_boot_path(L->rules, x->node->path);
	}
	return true;
}

/* The group of n: groups are in location order (the facts' order). */
static struct group *group_of(const struct link *L, const struct pst_node *n)
{
	size_t lo = 0, hi = L->ng, i;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(L->g[mid].n->location, n->location) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < L->ng && strcmp(L->g[i].n->location, n->location) == 0; i++)
		if (L->g[i].n == n)
			return &L->g[i];
	return NULL;
}

static bool same_container(const struct group *a, const struct group *b)
{
	return a->cl == b->cl && strncmp(a->n->location, b->n->location, a->cl) == 0;
}

/* The copies made by boot files and the scripts they run. */
static bool gather_copies(struct link *L)
{
	size_t i, j;
	for (i = 0; i < L->ncp; i++) {
		free(L->cp[i].src);
		free(L->cp[i].dst);
	}
	L->ncp = 0;
	for (i = 0; i < L->ng; i++) {
		const struct group *g = &L->g[i];
		if (!g->boot && !g->reached)
			continue;
		for (j = g->f0; j < g->f1; j++) {
			const struct pst_fact *x = &L->t->facts[j];
			const char *fs = strchr(x->value, ACC_FS);
			struct copy *c;
			if (strcmp(x->key, "svc.copy") != 0 || !fs || x->node != g->n)
				continue;
			if (!pst_array_grow((void **)&L->cp, &L->capcp, L->ncp, sizeof(*L->cp), 8))
				return false;
			c = &L->cp[L->ncp];
			c->by = g->n;
			c->cl = g->cl;
			c->src = pst_strndup(x->value, (size_t)(fs - x->value));
			c->dst = pst_strdup(fs + 1);
			if (!c->src || !c->dst) {
				free(c->src);
				free(c->dst);
				return false;
			}
			L->ncp++;
		}
	}
	return true;
}

/* Files a boot copy puts where they become boot files. */
static void map_templates(struct link *L)
{
	size_t i, j;
	for (i = 0; i < L->ng; i++) {
		struct group *g = &L->g[i];
		for (j = 0; !g->boot && j < L->ncp; j++) {
			const struct copy *c = &L->cp[j];
			size_t sl = strlen(c->src);
			char to[PST_CAP_SVC_PATH];
			if (c->cl != g->cl || strncmp(c->by->location, g->n->location, g->cl) != 0 ||
			    strncmp(g->n->path, c->src, sl) != 0 || g->n->path[sl] != '/')
				continue;
			if (snprintf(to, sizeof(to), "%s%s", strcmp(c->dst, "/") == 0 ? "" : c->dst,
				     g->n->path + sl) >= (int)sizeof(to))
				continue;
			normalise(to);
			if (svc_boot_path(L->rules, to)) {
				g->boot = true;
				g->as = pst_strdup(to);
			}
		}
	}
}

/* ---- what propagates ---- */

static bool suppressed(const struct pst_scan *s, const struct pst_finding *f)
{
	size_t i;
	for (i = 0; i < s->nsupp; i++)
		if (s->supp[i].node == f->node && strcmp(s->supp[i].by_rule, f->rule) != 0)
			return true;
	return false;
}

/* A finding that makes the program itself an access path or a spying tool.
 * Not: file-system hygiene (a world-writable or unexpected setuid file),
 * credentials written in a file (secret.*, account.*, key.*: reported where
 * they are), crypto hygiene (DES offered by dropbear), coverage, or the
 * services analyzer's own findings (the started file reports them itself). */
static bool propagates(const struct pst_scan *s, const struct pst_finding *f)
{
	const char *c = f->category;
	if (f->severity < PST_SEV_HIGH || !f->node || !c)
		return false;
	if (strcmp(c, "access") != 0 && strcmp(c, "capability") != 0 &&
	    strcmp(c, "signature") != 0 && strcmp(c, "backdoor") != 0)
		return false;
	if (acc_prefix(f->rule, "service.") || acc_prefix(f->rule, "secret.") ||
	    acc_prefix(f->rule, "account.") || acc_prefix(f->rule, "key.") ||
	    acc_prefix(f->rule, "cert.") || strcmp(f->rule, "fs.world-writable") == 0 ||
	    strcmp(f->rule, "fs.unexpected-setuid") == 0)
		return false;
	return !suppressed(s, f);
}

/* The worst propagating finding on n, ties broken by rule id so the report
 * does not depend on the order threads finished in; SIZE_MAX for none. */
static size_t worst(const struct link *L, const struct pst_node *n)
{
	const struct pst_scan *s = L->t->scan;
	size_t i, best = SIZE_MAX;
	for (i = 0; i < L->nhits; i++) {
		const struct pst_finding *g = &s->findings[L->hits[i]];
		const struct pst_finding *b = best == SIZE_MAX ? NULL : &s->findings[best];
		if (g->node != n)
			continue;
		if (!b || g->severity > b->severity ||
		    (g->severity == b->severity && strcmp(g->rule, b->rule) < 0))
			best = L->hits[i];
	}
	return best;
}

/* ---- reporting ---- */

/* A fact's name for the message: "bd (found at /bin/bd)" for a bare name. */
static void describe(const char *value, const struct pst_node *n, char *buf, size_t cap)
{
	const char *fs = strchr(value, ACC_FS);
	if (fs)
		snprintf(buf, cap, "%.*s (found at %s)", (int)(fs - value), value, n->path);
	else if (strcmp(value, n->path) != 0)
		snprintf(buf, cap, "%s (%s)", value, n->path);
	else
		snprintf(buf, cap, "%s", value);
}

static void report_start(struct link *L, const struct group *boot, const struct group *via,
			 const char *value, const struct pst_node *n)
{
	struct pst_scan *s = L->t->scan;
	size_t w = worst(L, n), i;
	const char *rule;
	enum pst_severity sev;
	char name[PST_CAP_SVC_PATH + 64], how[PST_CAP_SVC_PATH + 16] = "";
	char what[PST_CAP_SVC_PATH + 64] = "";
	for (i = 0; i < L->ndone; i++)
		if (L->done[i] == n)
			return;
	if (w == SIZE_MAX)
		return;
	if (!pst_array_grow((void **)&L->done, &L->capdone, L->ndone, sizeof(*L->done), 16))
		return;
	L->done[L->ndone++] = n;
	/* copy out before adding: the findings array may move */
	rule = s->findings[w].rule;
	sev = s->findings[w].severity;
	describe(value, n, name, sizeof(name));
	if (boot->as)
		snprintf(what, sizeof(what), " (%s once a boot script copies it there)", boot->as);
	if (via)
		snprintf(how, sizeof(how), " through %s", via->n->path);
	pst_finding_add(s, boot->n, "service.starts-suspicious", sev, "access", 0, n->path,
			"a boot/login file%s starts %s%s, which has the finding %s (%s)", what, name,
			how, rule, pst_severity_str(sev));
}

/* A cap's cut the file kept back (svc.defer-cut, "CAP\x1fmessage"), now that
 * it runs at boot: what was not read may be what boot runs. */
static void tell_cut(struct link *L, const struct group *g, const char *value)
{
	char buf[256], *fld[2];
	snprintf(buf, sizeof(buf), "%s", value);
	if (acc_split(buf, ACC_FS, fld, 2) != 2)
		return;
	if (g->as)
		pst_cap_hit(L->t->scan, g->n, fld[0], "%s; this file is %s once a boot script "
			    "copies it there", fld[1], g->as);
	else
		pst_cap_hit(L->t->scan, g->n, fld[0], "%s; %s runs it at boot", fld[1],
			    g->by ? g->by : "a boot file");
}

/* The findings a file kept back, now that it runs at boot: all of them for
 * a file copied into place as a boot file, the critical ones for a script a
 * boot file runs or sources. */
static void tell_deferred(struct link *L, struct group *g)
{
	size_t i;
	if (g->told)
		return;
	g->told = true;
	for (i = g->f0; i < g->f1; i++) {
		const struct pst_fact *x = &L->t->facts[i];
		char buf[PST_CAP_LINE], *fld[5];
		const char *rule;
		unsigned long long off;
		size_t nf;
		if (x->node == g->n && strcmp(x->key, "svc.defer-cut") == 0) {
			tell_cut(L, g, x->value);
			continue;
		}
		if (strcmp(x->key, "svc.defer") != 0 || x->node != g->n)
			continue;
		snprintf(buf, sizeof(buf), "%s", x->value);
		nf = acc_split(buf, ACC_FS, fld, 5);
		if (nf != 5 || fld[0][0] < '0' || fld[0][0] > '4')
			continue;
		/* a script run or sourced at boot is often a library of shell
		 * functions, not all of which run: only what is critical in it
		 * (a shell handed out, a download run) is told */
		if (!g->as && fld[0][0] - '0' < (int)PST_SEV_CRITICAL)
			continue;
		off = strtoull(fld[2], NULL, 10);
		/* a finding keeps its rule id by reference */
		rule = pst_arena_strdup(L->t->scan->arena, fld[1]);
		if (!rule)
			continue;
		if (g->as)
			pst_finding_add(L->t->scan, g->n, rule, (enum pst_severity)(fld[0][0] - '0'),
					"access", off, fld[3][0] ? fld[3] : NULL,
					"%s; this file is %s once a boot script copies it there", fld[4],
					g->as);
		else
			pst_finding_add(L->t->scan, g->n, rule, (enum pst_severity)(fld[0][0] - '0'),
					"access", off, fld[3][0] ? fld[3] : NULL, "%s; %s runs it at boot",
					fld[4], g->by ? g->by : "a boot file");
	}
}

/* A script run from a chain of more than PST_CAP_SVC_CHAIN scripts is not
 * followed: what it starts is not linked to boot, so the boot file is
 * reported (once) as examined in part. */
static void chain_cut(struct link *L, struct group *boot, const struct pst_node *n)
{
	if (boot->chain_cut)
		return;
	boot->chain_cut = true;
	pst_cap_hit(L->t->scan, boot->n, "PST_CAP_SVC_CHAIN",
		    "%s is run through more than %u scripts: what it starts was not linked to "
		    "this boot file", n->path, PST_CAP_SVC_CHAIN);
}

/* What cur starts, for the boot file boot: reports the programs, and walks
 * into the files it sources and the scripts it runs that are not boot files
 * themselves (a boot file it runs reports its own starts). mark: only mark
 * what is reached. */
static void walk(struct link *L, struct group *boot, struct group *cur, struct group *via,
		 unsigned depth, bool mark)
{
	size_t i;
	L->seen[cur - L->g] = true;
	for (i = cur->f0; i < cur->f1; i++) {
		const struct pst_fact *x = &L->t->facts[i];
		const struct pst_node *n;
		struct group *sub;
		if ((strcmp(x->key, "svc.start") != 0 && strcmp(x->key, "svc.source") != 0) ||
		    x->node != cur->n)
			continue;
		if (!L->resd[i]) {
			L->res[i] = resolve(L, cur, x->value);
			L->resd[i] = true;
		}
		n = L->res[i];
		if (!n || n == boot->n || n == cur->n)
			continue;
		sub = group_of(L, n);
		/* a sourced file runs in this very shell, boot file or not */
		if (sub && (!sub->boot || strcmp(x->key, "svc.source") == 0) &&
		    same_container(sub, boot) && depth >= PST_CAP_SVC_CHAIN &&
		    !L->seen[sub - L->g] && !mark)
			chain_cut(L, boot, n);
		if (sub && (!sub->boot || strcmp(x->key, "svc.source") == 0) &&
		    same_container(sub, boot) && depth < PST_CAP_SVC_CHAIN &&
		    !L->seen[sub - L->g]) {
			if (mark && !sub->reached && !sub->boot) {
				sub->reached = true;
				sub->by = boot->n->path;
			}
			walk(L, boot, sub, via ? via : sub, depth + 1, mark);
		}
		if (!mark)
			report_start(L, boot, via, x->value, n);
	}
}

static void walk_all(struct link *L, bool mark)
{
	size_t i;
	for (i = 0; i < L->ng; i++) {
		if (!L->g[i].boot)
			continue;
		memset(L->seen, 0, L->ng * sizeof(*L->seen));
		L->ndone = 0;
		walk(L, &L->g[i], &L->g[i], NULL, 0, mark);
	}
}

static size_t count_boot(const struct link *L)
{
	size_t i, n = 0;
	for (i = 0; i < L->ng; i++)
		n += L->g[i].boot;
	return n;
}

static bool find_hits(struct link *L)
{
	struct pst_scan *s = L->t->scan;
	size_t i;
	L->hits = pst_malloc((s->nfindings ? s->nfindings : 1) * sizeof(*L->hits));
	if (!L->hits)
		return false;
	for (i = 0; i < s->nfindings; i++)
		if (propagates(s, &s->findings[i]))
			L->hits[L->nhits++] = i;
	return true;
}

static void link_free(struct link *L)
{
	size_t i;
	for (i = 0; i < L->ncp; i++) {
		free(L->cp[i].src);
		free(L->cp[i].dst);
	}
	for (i = 0; i < L->ng; i++)
		free(L->g[i].as);
	free(L->cp);
	free(L->g);
	free(L->idx.v);
	free(L->hits);
	free(L->done);
	free(L->seen);
	free(L->res);
	free(L->resd);
}

enum pst_err svc_finish(const void *st, const struct pst_tree *t)
{
	struct link L;
	enum pst_err e = PST_ENOMEM;
	unsigned r;
	size_t i;
	memset(&L, 0, sizeof(L));
	L.rules = st;
	L.t = t;
	if (!build_groups(&L))
		goto out;
	if (!L.ng) {
		e = PST_OK;
		goto out;
	}
	L.seen = pst_calloc(L.ng, sizeof(*L.seen));
	L.res = pst_calloc(t->nfacts, sizeof(*L.res));
	L.resd = pst_calloc(t->nfacts, sizeof(*L.resd));
	if (!L.seen || !L.res || !L.resd || !idx_build(&L.idx, t->root) || !find_hits(&L))
		goto out;
	/* boot files and the scripts they run; the copies those make, the
	 * files the copies make boot files, and again while that grows (the
	 * copies only grow, so equal counts are equal sets) */
	walk_all(&L, true);
	for (r = 0; r < ROUNDS; r++) {
		size_t ncp = L.ncp, nboot = count_boot(&L);
		if (!gather_copies(&L))
			goto out;
		if (!L.ncp)
			break;
		map_templates(&L);
		if (L.ncp == ncp && count_boot(&L) == nboot)
			break;
		memset(L.resd, 0, t->nfacts * sizeof(*L.resd));
		walk_all(&L, true);
	}
	for (i = 0; i < L.ng; i++)
		if (L.g[i].as || (L.g[i].reached && !L.g[i].boot))
			tell_deferred(&L, &L.g[i]);
	walk_all(&L, false);
	e = PST_OK;
out:
	link_free(&L);
	return e;
}
