/*
 * svcrules.c - loads rules/services/\*.yaml (see svcrules.h and
 * docs/services-rules.md) with libyaml and answers the services analyzer's
 * questions about paths and programs.
 *
 * Every item is a mapping with one kind key (boot-file, functions-only-
 * called, suspicious-dir, downloader, daemon) whose value is a word, plus
 * the keys that kind takes; or a mapping with one word-list key (builtins,
 * pass-through, ...) whose value is a list. The schema is the table below:
 * a key another kind takes, a key no kind takes (a misspelling), a repeated
 * key, a value of the wrong shape or an unknown reader or daemon check fails
 * the load, naming the file and line - a typo must not silently drop a rule.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "access.h"
#include "svcrules.h"
#include "yamlkey.h"

enum ikind { K_BOOT, K_ONLY_CALLED, K_BAD_DIR, K_DOWNLOADER, K_DAEMON, K_COUNT };

static const char *const kind_keys[K_COUNT] = { "boot-file", "functions-only-called",
	"suspicious-dir", "downloader", "daemon" };
static const char *const word_keys[SVC_W_COUNT] = { "pass-through", "pass-through-programs",
	"option-wrappers", "stop-words", "builtins", "download-substitutions", "network-pipes",
	"xinetd-port-exempt" };
/* in the order of enum svc_reader and enum svc_dkind */
static const char *const readers[] = { "shell", "inittab", "cron-system", "cron-user", "systemd",
	"inetd", "xinetd", "sshd", "dropbear-defaults", "kernel-cmdline", NULL };
static const char *const dkinds[] = { "telnet-server", "getty", "netcat", "socat", "ssh-server",
	"super-server", "web-server", NULL };

enum ftype { FT_LIST, FT_STR, FT_CHAR, FT_UINT, FT_PORTS };

#define KB(k) (1u << (k))
#define DB(d) (1u << (d))
#define PLACE (KB(K_BOOT) | KB(K_ONLY_CALLED) | KB(K_BAD_DIR))
#define ANY_D 0u

/* The schema: which item kinds (and, for daemons, which checks) take a key. */
static const struct field {
	const char *key;
	enum ftype t;
	size_t off;
	unsigned kinds, dkinds;
} fields[] = {
	{ "paths", FT_LIST, offsetof(struct svc_entry, paths), PLACE, ANY_D },
	{ "under", FT_LIST, offsetof(struct svc_entry, under), PLACE, ANY_D },
	{ "names", FT_LIST, offsetof(struct svc_entry, names), KB(K_BOOT) | KB(K_ONLY_CALLED),
	  ANY_D },
	{ "globs", FT_LIST, offsetof(struct svc_entry, globs), PLACE, ANY_D },
	{ "name-suffixes", FT_LIST, offsetof(struct svc_entry, suffixes), KB(K_BOOT), ANY_D },
	{ "except", FT_LIST, offsetof(struct svc_entry, except), KB(K_BAD_DIR), ANY_D },
	{ "output-options", FT_LIST, offsetof(struct svc_entry, opts), KB(K_DOWNLOADER), ANY_D },
	{ "programs", FT_LIST, offsetof(struct svc_entry, programs), KB(K_DAEMON), ANY_D },
	{ "login-option", FT_STR, offsetof(struct svc_entry, login_opt), KB(K_DAEMON),
	  DB(SVC_D_TELNET) | DB(SVC_D_GETTY) },
	{ "port-option", FT_STR, offsetof(struct svc_entry, port_opt), KB(K_DAEMON),
	  DB(SVC_D_TELNET) | DB(SVC_D_NETCAT) | DB(SVC_D_SSH) | DB(SVC_D_WEB) },
	{ "ports", FT_PORTS, offsetof(struct svc_entry, ports), KB(K_DAEMON),
	  DB(SVC_D_TELNET) | DB(SVC_D_SSH) | DB(SVC_D_WEB) },
	{ "exec-options", FT_LIST, offsetof(struct svc_entry, opts), KB(K_DAEMON),
	  DB(SVC_D_NETCAT) },
	{ "listen-flag", FT_CHAR, offsetof(struct svc_entry, listen_flag), KB(K_DAEMON),
	  DB(SVC_D_NETCAT) },
	{ "exec-addresses", FT_LIST, offsetof(struct svc_entry, exec_addr), KB(K_DAEMON),
	  DB(SVC_D_SOCAT) },
	{ "listen-addresses", FT_LIST, offsetof(struct svc_entry, listen_addr), KB(K_DAEMON),
	  DB(SVC_D_SOCAT) },
	{ "blank-password-flag", FT_CHAR, offsetof(struct svc_entry, blank_flag), KB(K_DAEMON),
	  DB(SVC_D_SSH) },
	{ "blank-password-setting", FT_STR, offsetof(struct svc_entry, setting), KB(K_DAEMON),
	  DB(SVC_D_SSH) },
	{ "value-options", FT_STR, offsetof(struct svc_entry, value_opts), KB(K_DAEMON),
	  DB(SVC_D_SUPER) },
	{ "program-argument", FT_UINT, offsetof(struct svc_entry, arg), KB(K_DAEMON),
	  DB(SVC_D_SUPER) },
};

struct svc_rules {
	struct svc_entry *e;
	size_t n, cap;
	struct svc_list words[SVC_W_COUNT];
};

struct loader {
	struct svc_rules *r;
	struct pst_yaml_at at;
};

/* ---- loading ---- */

static bool fail(struct loader *l, const yaml_node_t *n, const char *what)
{
	return pst_yaml_fail(&l->at, n, what);
}

static bool fail_key(struct loader *l, const yaml_node_t *n, const char *what, const char *key)
{
	char m[256];
	snprintf(m, sizeof(m), "%s '%.100s'", what, key);
	return fail(l, n, m);
}

static const yaml_node_t *node(const struct loader *l, int id)
{
	return yaml_document_get_node(l->at.doc, id);
}

static int index_of(const char *const *v, size_t n, const char *s)
{
	size_t i;
	for (i = 0; i < n && v[i]; i++)
		if (strcmp(v[i], s) == 0)
			return (int)i;
	return -1;
}

/* Appends s to l, keeping it NULL-terminated. */
static bool list_add(struct svc_list *l, const char *s)
{
	char *d = pst_strdup(s);
	if (!d || !pst_array_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v), 8)) {
		free(d);
		return false;
	}
	l->v[l->n++] = d;
	l->v[l->n] = NULL;
	return true;
}

static void list_free(struct svc_list *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* A sequence of non-empty scalars appended to out. */
static bool parse_list(struct loader *l, const yaml_node_t *v, struct svc_list *out)
{
	yaml_node_item_t *it;
	if (!v || v->type != YAML_SEQUENCE_NODE)
		return fail(l, v, "expected a list");
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		const char *s = pst_yaml_scalar(node(l, *it));
		if (!s || !s[0])
			return fail(l, node(l, *it), "expected a word");
		if (!list_add(out, s))
			return fail(l, v, "out of memory");
	}
	return true;
}

static bool parse_ports(struct loader *l, const yaml_node_t *v, struct svc_entry *e)
{
	yaml_node_item_t *it;
	if (!v || v->type != YAML_SEQUENCE_NODE)
		return fail(l, v, "expected a list of ports");
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		const char *s = pst_yaml_scalar(node(l, *it));
		char *end;
		unsigned long p = s && isdigit((unsigned char)s[0]) ? strtoul(s, &end, 10) : 0;
		if (!p || *end || p > 65535)
			return fail(l, node(l, *it), "expected a port (1-65535)");
		if (e->nports == sizeof(e->ports) / sizeof(e->ports[0]))
			return fail(l, node(l, *it), "more than 32 ports");
		e->ports[e->nports++] = (uint16_t)p;
	}
	return true;
}

static bool parse_field(struct loader *l, const struct field *f, const yaml_node_t *v,
			struct svc_entry *e)
{
	char *at = (char *)e + f->off;
	const char *s = pst_yaml_scalar(v);
	char *end;
	unsigned long u;
	switch (f->t) {
	case FT_LIST: return parse_list(l, v, (struct svc_list *)(void *)at);
	case FT_PORTS: return parse_ports(l, v, e);
	case FT_STR:
		if (!s || !s[0])
			return fail_key(l, v, "expected a word for", f->key);
		*(char **)(void *)at = strdup(s);
		return *(char **)(void *)at ? true : fail(l, v, "out of memory");
	case FT_CHAR:
		if (!s || strlen(s) != 1 || !isalnum((unsigned char)s[0]))
			return fail_key(l, v, "expected one letter for", f->key);
		*at = s[0];
		return true;
	case FT_UINT:
		u = s && isdigit((unsigned char)s[0]) ? strtoul(s, &end, 10) : 0;
		if (!u || *end || u > 64)
			return fail_key(l, v, "expected a number (1-64) for", f->key);
		*(unsigned *)(void *)at = (unsigned)u;
		return true;
	}
	return false;
}

/* The kind key's value: a reader, a daemon check, or any label. */
static bool parse_kind(struct loader *l, const yaml_node_t *v, struct svc_entry *e)
{
	const char *s = pst_yaml_scalar(v);
	if (!s || !s[0])
		return fail_key(l, v, "expected a word for", kind_keys[e->kind]);
	if (e->kind == K_BOOT && (e->sub = index_of(readers, SIZE_MAX, s)) < 0)
		return fail_key(l, v, "unknown boot-file reader", s);
	if (e->kind == K_DAEMON && (e->sub = index_of(dkinds, SIZE_MAX, s)) < 0)
		return fail_key(l, v, "unknown daemon check", s);
	e->label = pst_strdup(s);
	return e->label ? true : fail(l, v, "out of memory");
}

/* The item's kind: the one kind key among its keys. */
static int item_kind(struct loader *l, const yaml_node_t *n)
{
	yaml_node_pair_t *p;
	int kind = -1;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const char *k = pst_yaml_scalar(node(l, p->key));
		int i = k ? index_of(kind_keys, K_COUNT, k) : -1;
		if (i >= 0 && kind >= 0) {
			fail_key(l, node(l, p->key), "a second kind key", k);
			return -2;
		}
		if (i >= 0)
			kind = i;
	}
	return kind;
}

static bool check_entry(struct loader *l, const yaml_node_t *n, const struct svc_entry *e)
{
	bool place = e->paths.n || e->under.n || e->names.n || e->globs.n;
	if ((KB(e->kind) & PLACE) && !place)
		return fail_key(l, n, "no paths, under, names or globs in", kind_keys[e->kind]);
	if (e->kind == K_DAEMON && !e->programs.n)
		return fail(l, n, "a daemon needs programs");
	if (e->kind == K_DAEMON && e->sub == SVC_D_SUPER && !e->arg)
		return fail(l, n, "a super-server needs program-argument");
	return true;
}

static bool parse_pair(struct loader *l, const yaml_node_pair_t *p, struct svc_entry *e)
{
	const yaml_node_t *kn = node(l, p->key), *v = node(l, p->value);
	const char *k = pst_yaml_scalar(kn);
	size_t i;
	if (!k)
		return fail(l, kn, "a key must be a word");
	if (strcmp(k, kind_keys[e->kind]) == 0)
		return parse_kind(l, v, e);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field *f = &fields[i];
		if (strcmp(f->key, k) != 0 || !(f->kinds & KB(e->kind)))
			continue;
		if (e->kind == K_DAEMON && f->dkinds && !(f->dkinds & DB(e->sub)))
			return fail_key(l, kn, "this daemon check does not take", k);
		return parse_field(l, f, v, e);
	}
	return fail_key(l, kn, "unknown key", k);
}

static bool add_entry(struct loader *l, const yaml_node_t *n, int kind)
{
	struct svc_rules *r = l->r;
	struct svc_entry *e;
	const yaml_node_pair_t *p, *first = n->data.mapping.pairs.start;
	if (!pst_array_grow((void **)&r->e, &r->cap, r->n, sizeof(*r->e), 16))
		return fail(l, n, "out of memory");
	e = &r->e[r->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	/* the kind key first: which keys a daemon takes depends on its check */
	for (p = first; p < n->data.mapping.pairs.top; p++) {
		const char *k = pst_yaml_scalar(node(l, p->key));
		if (k && strcmp(k, kind_keys[kind]) == 0 && !parse_kind(l, node(l, p->value), e))
			return false;
	}
	for (p = first; p < n->data.mapping.pairs.top; p++) {
		if (pst_yaml_key_repeated(l->at.doc, first, p))
			return fail_key(l, node(l, p->key), "key given twice",
					pst_yaml_scalar(node(l, p->key)));
		if (strcmp(pst_yaml_scalar(node(l, p->key)) ? pst_yaml_scalar(node(l, p->key)) : "",
			   kind_keys[kind]) != 0 &&
		    !parse_pair(l, p, e))
			return false;
	}
	return check_entry(l, n, e);
}

static bool parse_item(struct loader *l, const yaml_node_t *n)
{
	const yaml_node_pair_t *p;
	const char *k;
	int kind, w;
	if (!n || n->type != YAML_MAPPING_NODE ||
	    n->data.mapping.pairs.start == n->data.mapping.pairs.top)
		return fail(l, n, "an item is a mapping");
	kind = item_kind(l, n);
	if (kind >= 0)
		return add_entry(l, n, kind);
	if (kind == -2)
		return false;
	p = n->data.mapping.pairs.start;
	k = pst_yaml_scalar(node(l, p->key));
	w = k ? index_of(word_keys, SVC_W_COUNT, k) : -1;
	if (w < 0)
		return fail_key(l, node(l, p->key), "unknown key", k ? k : "?");
	if (p + 1 < n->data.mapping.pairs.top)
		return fail_key(l, node(l, p[1].key), "a word list stands alone, not with", k);
	return parse_list(l, node(l, p->value), &l->r->words[w]);
}

static bool load_one(void *ctx, const char *name, FILE *f, const char *text, size_t len)
{
	struct loader *l = ctx;
	yaml_document_t doc;
	const yaml_node_t *root;
	bool ok = true;
	l->at.file = name;
	if (!pst_yaml_load(&doc, name, f, text, len, l->at.err, l->at.errlen))
		return false;
	l->at.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root && root->type != YAML_SEQUENCE_NODE) {
		ok = fail(l, root, "a services rule file is a list of items");
	} else if (root) {
		yaml_node_item_t *it;
		for (it = root->data.sequence.items.start; ok && it < root->data.sequence.items.top;
		     it++)
			ok = parse_item(l, node(l, *it));
	}
	yaml_document_delete(&doc);
	return ok;
}

static struct svc_rules *start(struct loader *l, char *err, size_t errlen)
{
	memset(l, 0, sizeof(*l));
	l->at.err = err;
	l->at.errlen = errlen;
	err[0] = 0;
	l->r = pst_calloc(1, sizeof(*l->r));
	if (!l->r)
		snprintf(err, errlen, "services rules: out of memory");
	return l->r;
}

struct svc_rules *svc_rules_load(const char *const *dirs, char *err, size_t errlen)
{
	struct loader l;
	if (!start(&l, err, errlen))
		return NULL;
	if (!pst_yaml_each_file(dirs, "services", load_one, &l, err, errlen)) {
		svc_rules_free(l.r);
		return NULL;
	}
	return l.r;
}

struct svc_rules *svc_rules_load_text(const char *name, const char *text, size_t len, bool builtin,
				      char *err, size_t errlen)
{
	static const char *const none[] = { NULL };
	struct loader l;
	if (!start(&l, err, errlen))
		return NULL;
	if ((builtin && !pst_yaml_each_file(none, "services", load_one, &l, err, errlen)) ||
	    !load_one(&l, name, NULL, text, len)) {
		svc_rules_free(l.r);
		return NULL;
	}
	return l.r;
}

void svc_rules_free(struct svc_rules *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		struct svc_entry *e = &r->e[i];
		struct svc_list *ls[] = { &e->paths, &e->under, &e->names, &e->globs, &e->suffixes,
					  &e->except, &e->programs, &e->opts, &e->exec_addr,
					  &e->listen_addr };
		size_t k;
		for (k = 0; k < sizeof(ls) / sizeof(ls[0]); k++)
			list_free(ls[k]);
		free(e->label);
		free(e->login_opt);
		free(e->port_opt);
		free(e->setting);
		free(e->value_opts);
	}
	for (i = 0; i < SVC_W_COUNT; i++)
		list_free(&r->words[i]);
	free(r->e);
	free(r);
}

/* ---- questions ---- */

static bool has(const struct svc_list *l, const char *s)
{
	return l->v && acc_in_list(s, (const char *const *)l->v);
}

static bool any_prefix(const struct svc_list *l, const char *s)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		if (acc_prefix(s, l->v[i]))
			return true;
	return false;
}

static bool any_glob(const struct svc_list *l, const char *s)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		if (fnmatch(l->v[i], s, 0) == 0)
			return true;
	return false;
}

static bool any_suffix(const struct svc_list *l, const char *s)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		if (acc_suffix(s, l->v[i]))
			return true;
	return false;
}

static bool places(const struct svc_entry *e, const char *p)
{
	return has(&e->paths, p) || any_prefix(&e->under, p) || has(&e->names, acc_base(p)) ||
	       any_glob(&e->globs, p);
}

bool svc_rules_boot(const struct svc_rules *r, const char *path, enum svc_reader *reader)
{
	size_t i;
	*reader = SVC_R_SHELL;
	for (i = 0; i < r->n; i++) {
		const struct svc_entry *e = &r->e[i];
		if (e->kind != K_BOOT || !places(e, path))
			continue;
		*reader = (enum svc_reader)e->sub;
		return !e->suffixes.n || any_suffix(&e->suffixes, acc_base(path));
	}
	*reader = SVC_R_SHELL;
	return false;
}

bool svc_rules_only_called(const struct svc_rules *r, const char *path)
{
	size_t i;
	for (i = 0; i < r->n; i++)
		if (r->e[i].kind == K_ONLY_CALLED && places(&r->e[i], path))
			return true;
	return false;
}

const char *svc_rules_bad_dir(const struct svc_rules *r, const char *path)
{
	size_t i;
	for (i = 0; i < r->n; i++) {
		const struct svc_entry *e = &r->e[i];
		if (e->kind == K_BAD_DIR && places(e, path) && !has(&e->except, path))
			return e->label;
	}
	return NULL;
}

bool svc_rules_word(const struct svc_rules *r, enum svc_words which, const char *w)
{
	return has(&r->words[which], w);
}

const char *const *svc_rules_words(const struct svc_rules *r, enum svc_words which)
{
	return (const char *const *)r->words[which].v;
}

const struct svc_entry *svc_rules_downloader(const struct svc_rules *r, const char *base)
{
	size_t i;
	for (i = 0; i < r->n; i++)
		if (r->e[i].kind == K_DOWNLOADER && strcmp(r->e[i].label, base) == 0)
			return &r->e[i];
	return NULL;
}

const struct svc_entry *svc_rules_daemon(const struct svc_rules *r, const char *base)
{
	size_t i;
	for (i = 0; i < r->n; i++)
		if (r->e[i].kind == K_DAEMON && has(&r->e[i].programs, base))
			return &r->e[i];
	return NULL;
}

bool svc_entry_port(const struct svc_entry *e, unsigned long port)
{
	size_t i;
	for (i = 0; i < e->nports; i++)
		if (e->ports[i] == port)
			return true;
	return false;
}
