/*
 * compfp.c - component fingerprints as data (rules/components/NAME.yaml) and
 * the matcher that reads versions out of a file's bytes in one pass.
 *
 * A file describes one component:
 *   name: busybox                 component name (CycloneDX, purl name)
 *   type: application             application | library | operating-system | firmware
 *   cpe: a:busybox:busybox        CPE 2.3 part:vendor:product (optional)
 *   cpe_update: p                 the version's tail from this letter on is
 *                                 the CPE update field (OpenSSH "9.2p1")
 *   purl: generic/busybox         purl type/name (or type/namespace/name)
 *   linked: [libcrypto.so]        in a program that loads one of these
 *                                 libraries (DT_NEEDED name prefix), the
 *                                 string is the version of the headers it
 *                                 was built with, not a component: ignored
 *   description, references       documentation only
 *   patterns:                     any one of them identifies the component
 *     - match: "BusyBox v{V} ("   a template (below)
 *       in: [elf, data, module]   where it is looked for (default [elf])
 *       chars: "0123456789.p"     characters allowed in {V} (default
 *                                 0-9 A-Z a-z . + ~ _ -)
 *       dotless: true             {V} need not contain a dot (default false)
 *       starts: "2."              the version must begin with this text
 *                                 (libxml2.so.2.9.14 names 2.9.14; from
 *                                 2.14 on the file is libxml2.so.16.*)
 *     - file: "libuClibc-{V}.so"  instead of match: a template the file's
 *                                 name (not its path) must match whole
 *     - match: "BlueZ %s"         an identifying string without {V} ...
 *       near: "{V}"               ... and the version as a whole string of
 *                                 its own (NUL before and after) within
 *       within: 64                this many bytes either side (default 64,
 *                                 at most 4096): programs that print their
 *                                 version through %s keep it lone, and the
 *                                 linker puts it beside the format's text
 * A template is literal bytes and tokens; it must start with 4 or more
 * literal bytes (the anchor every pattern's search starts from):
 *   {V}  the version: a digit, then allowed characters (at most 63), with
 *        trailing . - _ + dropped; it must contain a dot unless dotless
 *   {D}  one or more digits          {A}  one or more ASCII letters
 *   {_}  one or more spaces          {0}  a NUL byte
 *   {S}  one or more printable bytes other than space ("x86_64-pc-linux-gnu")
 *   {E}  the end of a string: NUL, space, tab, CR or LF
 *   {{   a literal {
 * Every anchor of every pattern goes into one needles set per place, so a
 * file's bytes are read once whatever the number of components. A
 * component counts when its patterns read exactly one version in a file
 * (or versions that refine each other, "9.2" and "9.2p1": the longer);
 * several different versions in one file (a table of compatible versions,
 * a changelog) are ambiguous and give none.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "binfeat.h"
#include "compfp.h"
#include "components.h"
#include "yamlkey.h"
#include "policy/embedded.h"

#define EVIDENCE_SPAN 96     /* bytes of the match shown as evidence */
#define NEAR_DEFAULT 64      /* near: bytes either side of the anchor */
#define NEAR_MAX 4096        /* within: the largest window (bounds the work per anchor) */

enum op_kind { OP_LIT, OP_V, OP_D, OP_A, OP_SP, OP_NUL, OP_END, OP_WORD };

struct op {
	enum op_kind kind;
	char *lit;
	size_t len;
};

struct pattern {
	size_t comp;
	struct op ops[PST_CAP_FP_OPS];
	size_t nops;
	struct op near[PST_CAP_FP_OPS]; /* near: the lone version string's template */
	size_t nnear;
	uint32_t within;         /* near: bytes either side of the anchor */
	unsigned in;
	bool on_name;            /* file: a template for the file's name */
	bool dotless;
	char starts[8];          /* the version's required beginning, or "" */
	bool chars[256];
};

struct comp {
	char *name, *type, *cpe, *purl;
	char *linked[PST_CAP_FP_LINKED + 1]; /* NULL-terminated */
	char update;             /* cpe_update letter or 0 */
};

struct pst_compfp {
	struct comp *c;
	size_t nc, capc;
	struct pattern *p;
	size_t np, capp;
	struct pst_needles *ns[3]; /* ELF, module, data */
};

static const unsigned places[3] = { PST_FP_ELF, PST_FP_MODULE, PST_FP_DATA };

void pst_compfp_free(struct pst_compfp *fp)
{
	size_t i, k;
	if (!fp)
		return;
	for (i = 0; i < fp->nc; i++) {
		free(fp->c[i].name);
		free(fp->c[i].type);
		free(fp->c[i].cpe);
		free(fp->c[i].purl);
		for (k = 0; fp->c[i].linked[k]; k++)
			free(fp->c[i].linked[k]);
	}
	for (i = 0; i < fp->np; i++) {
		for (k = 0; k < fp->p[i].nops; k++)
			free(fp->p[i].ops[k].lit);
		for (k = 0; k < fp->p[i].nnear; k++)
			free(fp->p[i].near[k].lit);
	}
	for (k = 0; k < 3; k++)
		pst_needles_free(fp->ns[k]);
	free(fp->c);
	free(fp->p);
	free(fp);
}

const char *pst_compfp_cpe(const struct pst_compfp *fp, const char *name)
{
	for (size_t i = 0; fp && i < fp->nc; i++)
		if (strcmp(fp->c[i].name, name) == 0)
			return fp->c[i].cpe;
	return NULL;
}

size_t pst_compfp_count(const struct pst_compfp *fp)
{
	return fp ? fp->nc : 0;
}

/* ---- loading ---- */

struct ld {
	struct pst_compfp *fp;
	yaml_document_t *doc;
	const char *file;
	char *err;
	size_t errlen;
};

static bool bad(struct ld *l, const yaml_node_t *n, const char *what)
{
	return pst_yaml_error(l->err, l->errlen, l->file, n, what);
}


static bool add_op(struct op *ops, size_t *nops, enum op_kind k, const char *lit, size_t len)
{
	struct op *o;
	if (*nops == PST_CAP_FP_OPS)
		return false;
	o = &ops[(*nops)++];
	o->kind = k;
	o->len = len;
	o->lit = NULL;
	if (k == OP_LIT) {
		o->lit = pst_malloc(len ? len : 1);
		if (!o->lit)
			return false;
		memcpy(o->lit, lit, len);
	}
	return true;
}

/* Compiles a template into ops: literal runs between {X} tokens. */
static bool compile_ops(struct ld *l, const yaml_node_t *n, const char *t, struct op *ops,
			size_t *nops)
{
	static const struct { char c; enum op_kind k; } toks[] = {
		{ 'V', OP_V }, { 'D', OP_D }, { 'A', OP_A }, { '_', OP_SP }, { '0', OP_NUL }, { 'E', OP_END },
		{ 'S', OP_WORD },
	};
	char lit[256];
	size_t nl = 0, i;
	bool ok = true;
	while (*t && ok) {
		if (t[0] == '{' && t[1] == '{') {
			t++;
		} else if (t[0] == '{') {
			for (i = 0; i < sizeof(toks) / sizeof(toks[0]); i++)
				if (t[1] == toks[i].c && t[2] == '}')
					break;
			if (i == sizeof(toks) / sizeof(toks[0]))
				return bad(l, n, "unknown token in match: (known: {V} {D} {A} {S} {_} {0} {E} {{)");
			if (nl)
				ok = add_op(ops, nops, OP_LIT, lit, nl);
			nl = 0;
			ok = ok && add_op(ops, nops, toks[i].k, NULL, 0);
			t += 3;
			continue;
		}
		if (nl == sizeof(lit))
			return bad(l, n, "a literal in match: is longer than 256 bytes");
		lit[nl++] = *t++;
	}
	if (ok && nl)
		ok = add_op(ops, nops, OP_LIT, lit, nl);
	if (!ok)
		return bad(l, n, "a template has more than 16 parts (or out of memory)");
	return true;
}

static bool has_version(const struct op *ops, size_t nops)
{
	for (size_t i = 0; i < nops; i++)
		if (ops[i].kind == OP_V)
			return true;
	return false;
}

/* match: or file: (with near:, the anchor alone: no {V}). */
static bool compile(struct ld *l, const yaml_node_t *n, const char *t, struct pattern *p)
{
	if (!compile_ops(l, n, t, p->ops, &p->nops))
		return false;
	if (p->nops == 0 || p->ops[0].kind != OP_LIT || p->ops[0].len < 4)
		return bad(l, n, "match: must start with at least 4 literal bytes");
	return true;
}

static void set_chars(struct pattern *p, const char *s)
{
	memset(p->chars, 0, sizeof(p->chars));
	for (; *s; s++)
		p->chars[(unsigned char)*s] = true;
}

static bool parse_in(struct ld *l, const yaml_node_t *v, struct pattern *p)
{
	yaml_node_item_t *it;
	if (v->type != YAML_SEQUENCE_NODE)
		return bad(l, v, "in: is a list of elf, module, data");
	p->in = 0;
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		const yaml_node_t *x = yaml_document_get_node(l->doc, *it);
		const char *s = pst_yaml_scalar(x);
		if (s && strcmp(s, "elf") == 0)
			p->in |= PST_FP_ELF;
		else if (s && strcmp(s, "module") == 0)
			p->in |= PST_FP_MODULE;
		else if (s && strcmp(s, "data") == 0)
			p->in |= PST_FP_DATA;
		else
			return bad(l, x ? x : v, "in: is a list of elf, module, data");
	}
	if (!p->in)
		return bad(l, v, "in: is empty");
	return true;
}

static bool grow(void **v, size_t *cap, size_t n, size_t size)
{
	return pst_array_grow(v, cap, n, size, 16);
}

static bool parse_within(struct ld *l, const yaml_node_t *v, const char *s, struct pattern *p)
{
	char *e;
	unsigned long w = strtoul(s, &e, 10);
	if (*s < '0' || *s > '9' || *e || w == 0 || w > NEAR_MAX)
		return bad(l, v, "within: is a number of bytes from 1 to 4096");
	p->within = (uint32_t)w;
	return true;
}

/* The version is read by match: or, for a near pattern, by near: only. */
static bool check_version_place(struct ld *l, const yaml_node_t *n, const yaml_node_t *near,
				struct pattern *p)
{
	if (!near) {
		if (p->within)
			return bad(l, n, "within: needs near:");
		if (!has_version(p->ops, p->nops))
			return bad(l, n, "match: needs a {V} (the version)");
		return true;
	}
	if (p->on_name)
		return bad(l, near, "near: goes with match:, not file:");
	if (has_version(p->ops, p->nops))
		return bad(l, near, "with near:, match: is the identifying string (no {V})");
	if (!has_version(p->near, p->nnear))
		return bad(l, near, "near: needs a {V} (the version)");
	if (!p->within)
		p->within = NEAR_DEFAULT;
	return true;
}

static bool parse_pattern(struct ld *l, const yaml_node_t *n)
{
	struct pattern *p;
	yaml_node_pair_t *q;
	bool have_match = false;
	const yaml_node_t *near = NULL;
	if (n->type != YAML_MAPPING_NODE)
		return bad(l, n, "a pattern is a mapping with match:");
	if (!grow((void **)&l->fp->p, &l->fp->capp, l->fp->np, sizeof(*p)))
		return bad(l, n, "out of memory");
	p = &l->fp->p[l->fp->np++];
	memset(p, 0, sizeof(*p));
	p->comp = l->fp->nc - 1;
	p->in = PST_FP_ELF;
	set_chars(p, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.+~_-");
	for (q = n->data.mapping.pairs.start; q < n->data.mapping.pairs.top; q++) {
		const char *k = pst_yaml_scalar(yaml_document_get_node(l->doc, q->key));
		const yaml_node_t *v = yaml_document_get_node(l->doc, q->value);
		const char *s = pst_yaml_scalar(v);
		if (!k || pst_yaml_key_repeated(l->doc, n->data.mapping.pairs.start, q))
			return bad(l, v, "a key is missing or given twice in a pattern");
		if ((strcmp(k, "match") == 0 || strcmp(k, "file") == 0) && s) {
			if (have_match)
				return bad(l, v, "a pattern has one match: or file:");
			if (!compile(l, v, s, p))
				return false;
			p->on_name = k[0] == 'f';
			have_match = true;
		} else if (strcmp(k, "in") == 0) {
			if (!parse_in(l, v, p))
				return false;
		} else if (strcmp(k, "chars") == 0 && s && *s) {
			set_chars(p, s);
		} else if (strcmp(k, "dotless") == 0 && s) {
			p->dotless = strcmp(s, "true") == 0 || strcmp(s, "yes") == 0;
		} else if (strcmp(k, "starts") == 0 && s && *s) {
			if (strlen(s) >= sizeof(p->starts))
				return bad(l, v, "starts: is at most 7 bytes");
			snprintf(p->starts, sizeof(p->starts), "%s", s);
		} else if (strcmp(k, "near") == 0 && s) {
			if (!compile_ops(l, v, s, p->near, &p->nnear))
				return false;
			near = v;
		} else if (strcmp(k, "within") == 0 && s) {
			if (!parse_within(l, v, s, p))
				return false;
		} else {
			return bad(l, v, "unknown key in a pattern (match, file, in, chars, "
					 "dotless, starts, near, within)");
		}
	}
	if (!have_match)
		return bad(l, n, "a pattern needs match: or file:");
	return check_version_place(l, n, near, p);
}

static bool dup_to(struct ld *l, const yaml_node_t *v, char **dst)
{
	const char *s = pst_yaml_scalar(v);
	if (!s || !*s)
		return bad(l, v, "expected a non-empty string");
	if (*dst)
		return bad(l, v, "a key is given twice");
	*dst = pst_strdup(s);
	return *dst ? true : bad(l, v, "out of memory");
}

static bool valid_type(const char *t)
{
	static const char *const types[] = { "application", "library", "operating-system",
					     "firmware" };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(t, types[i]) == 0)
			return true;
	return false;
}

static size_t count_char(const char *s, char c)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

static bool parse_linked(struct ld *l, const yaml_node_t *v, struct comp *c)
{
	yaml_node_item_t *it;
	size_t n = 0;
	if (v->type != YAML_SEQUENCE_NODE)
		return bad(l, v, "linked: is a list of library names");
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		const yaml_node_t *x = yaml_document_get_node(l->doc, *it);
		if (n == PST_CAP_FP_LINKED || !pst_yaml_scalar(x) || !*pst_yaml_scalar(x))
			return bad(l, x ? x : v, "linked: is a list of at most 4 library names");
		c->linked[n] = pst_strdup(pst_yaml_scalar(x));
		if (!c->linked[n++])
			return bad(l, v, "out of memory");
	}
	return true;
}

static bool parse_patterns(struct ld *l, const yaml_node_t *v)
{
	yaml_node_item_t *it;
	if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.top == v->data.sequence.items.start)
		return bad(l, v, "patterns: is a non-empty list");
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++)
		if (!parse_pattern(l, yaml_document_get_node(l->doc, *it)))
			return false;
	return true;
}

static bool check_comp(struct ld *l, const yaml_node_t *n, const struct comp *c, bool pats)
{
	if (!c->name || !c->type || !c->purl || !pats)
		return bad(l, n, "a component needs name:, type:, purl: and patterns:");
	if (!valid_type(c->type))
		return bad(l, n, "type: is application, library, operating-system or firmware");
	if (c->cpe && (count_char(c->cpe, ':') != 2 || !strchr("aho", c->cpe[0]) || c->cpe[1] != ':'))
		return bad(l, n, "cpe: is part:vendor:product (part a, o or h)");
	if (count_char(c->purl, '/') < 1 || c->purl[0] == '/')
		return bad(l, n, "purl: is type/name or type/namespace/name");
	return true;
}

static bool parse_comp(struct ld *l, const yaml_node_t *n)
{
	struct comp *c;
	yaml_node_pair_t *q;
	char *upd = NULL;
	bool pats = false, ok = true;
	if (n->type != YAML_MAPPING_NODE)
		return bad(l, n, "a component file is a mapping (name:, type:, patterns: ...)");
	if (!grow((void **)&l->fp->c, &l->fp->capc, l->fp->nc, sizeof(*c)))
		return bad(l, n, "out of memory");
	c = &l->fp->c[l->fp->nc++];
	memset(c, 0, sizeof(*c));
	for (q = n->data.mapping.pairs.start; ok && q < n->data.mapping.pairs.top; q++) {
		const char *k = pst_yaml_scalar(yaml_document_get_node(l->doc, q->key));
		const yaml_node_t *v = yaml_document_get_node(l->doc, q->value);
		if (!k || pst_yaml_key_repeated(l->doc, n->data.mapping.pairs.start, q))
			ok = bad(l, v, "a key is missing or given twice");
		else if (strcmp(k, "name") == 0)
			ok = dup_to(l, v, &c->name);
		else if (strcmp(k, "type") == 0)
			ok = dup_to(l, v, &c->type);
		else if (strcmp(k, "cpe") == 0)
			ok = dup_to(l, v, &c->cpe);
		else if (strcmp(k, "purl") == 0)
			ok = dup_to(l, v, &c->purl);
		else if (strcmp(k, "cpe_update") == 0)
			ok = dup_to(l, v, &upd);
		else if (strcmp(k, "patterns") == 0)
			ok = pats = parse_patterns(l, v);
		else if (strcmp(k, "linked") == 0)
			ok = parse_linked(l, v, c);
		else if (strcmp(k, "description") != 0 && strcmp(k, "references") != 0)
			ok = bad(l, yaml_document_get_node(l->doc, q->key), "unknown key in a component");
	}
	if (ok && upd && strlen(upd) != 1)
		ok = bad(l, n, "cpe_update: is one letter");
	if (upd)
		c->update = upd[0];
	free(upd);
	return ok && check_comp(l, n, c, pats);
}

static bool load_text(struct ld *l, const char *name, FILE *f, const char *text, size_t len)
{
	yaml_document_t doc;
	yaml_node_t *root;
	bool ok;
	l->file = name;
	if (!pst_yaml_load(&doc, name, f, text, len, l->err, l->errlen))
		return false;
	l->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	ok = root ? parse_comp(l, root) : bad(l, NULL, "empty component file");
	yaml_document_delete(&doc);
	return ok;
}

static int yaml_only(const struct dirent *de)
{
	size_t len = strlen(de->d_name);
	return len > 5 && de->d_name[0] != '.' && strcmp(de->d_name + len - 5, ".yaml") == 0;
}

/* DIR/components/\*.yaml in name order; no such directory is no error. */
static bool load_user_dir(struct ld *l, const char *dir)
{
	struct dirent **list = NULL;
	char path[4096];
	int n, i;
	bool ok = true;
	snprintf(path, sizeof(path), "%s/components", dir);
	n = scandir(path, &list, yaml_only, alphasort);
	if (n < 0)
		pst_oom_errno();
	for (i = 0; i < n; i++) {
		FILE *f;
		if (ok) {
			snprintf(path, sizeof(path), "%s/components/%s", dir, list[i]->d_name);
			f = fopen(path, "rb");
			if (!f)
				pst_oom_errno();
			l->file = path;
			ok = f ? load_text(l, path, f, NULL, 0) : bad(l, NULL, "cannot open");
			if (f)
				fclose(f);
		}
		free(list[i]);
	}
	free(list);
	return ok;
}

/* Every anchor into the needles of every place its pattern applies to. */
static bool index_anchors(struct pst_compfp *fp)
{
	size_t i, k;
	for (k = 0; k < 3; k++) {
		fp->ns[k] = pst_needles_new();
		if (!fp->ns[k])
			return false;
	}
	for (i = 0; i < fp->np; i++) {
		const struct pattern *p = &fp->p[i];
		for (k = 0; k < 3; k++) {
			/* A module is an ELF file: ELF patterns apply to it too. */
			unsigned want = places[k] == PST_FP_MODULE ? PST_FP_MODULE | PST_FP_ELF : places[k];
			if (!p->on_name && (p->in & want) &&
			    !pst_needles_add(fp->ns[k], p->ops[0].lit, p->ops[0].len, (unsigned)i))
				return false;
		}
	}
	for (k = 0; k < 3; k++)
		pst_needles_seal(fp->ns[k]);
	return true;
}

static struct pst_compfp *finish_load(struct pst_compfp *fp, bool ok, char *err, size_t errlen)
{
	if (ok && !index_anchors(fp)) {
		snprintf(err, errlen, "out of memory");
		ok = false;
	}
	if (!ok) {
		pst_compfp_free(fp);
		return NULL;
	}
	return fp;
}

struct pst_compfp *pst_compfp_parse(const char *name, const char *text, size_t len, char *err,
				    size_t errlen)
{
	struct pst_compfp *fp = pst_calloc(1, sizeof(*fp));
	struct ld l = { fp, NULL, name, err, errlen };
	err[0] = 0;
	if (!fp) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return finish_load(fp, load_text(&l, name, NULL, text, len), err, errlen);
}

struct pst_compfp *pst_compfp_load(const char *const *dirs, char *err, size_t errlen)
{
	struct pst_compfp *fp = pst_calloc(1, sizeof(*fp));
	struct ld l = { fp, NULL, "", err, errlen };
	const struct pst_embedded *e;
	bool ok = true;
	err[0] = 0;
	if (!fp) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (e = pst_embedded_files; ok && e->name; e++)
		if (strncmp(e->name, "rules/components/", 17) == 0)
			ok = load_text(&l, e->name, NULL, e->text, e->len);
	for (size_t i = 0; ok && dirs && dirs[i]; i++)
		ok = load_user_dir(&l, dirs[i]);
	return finish_load(fp, ok, err, errlen);
}

/* ---- matching ---- */

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The version at off; *end = the offset after it. */
static bool take_version(const struct pattern *p, struct pst_view v, uint64_t off, char *ver,
			 uint64_t *end)
{
	size_t n = 0;
	if (off >= v.len || !is_digit(v.p[off]))
		return false;
	while (off + n < v.len && n < PST_CAP_FP_VERSION && p->chars[v.p[off + n]]) {
		ver[n] = (char)v.p[off + n];
		n++;
	}
	/* "version 2.36." ends a sentence: the dot is not the version's. */
	while (n && strchr(".-_+", ver[n - 1]))
		n--;
	ver[n] = 0;
	*end = off + n;
	if (off + n < v.len && n == PST_CAP_FP_VERSION)
		return false;
	if (strncmp(ver, p->starts, strlen(p->starts)) != 0)
		return false;
	return n > 0 && (p->dotless || strchr(ver, '.') != NULL);
}

/* A run of at least one byte of a class. */
static bool run(struct pst_view v, uint64_t *off, bool (*cls)(uint8_t))
{
	uint64_t s = *off;
	while (*off < v.len && cls(v.p[*off]))
		(*off)++;
	return *off > s;
}

static bool is_space(uint8_t c)
{
	return c == ' ';
}

static bool is_word(uint8_t c)
{
	return c > ' ' && c < 0x7f;
}

/* Whether ops[0..n) match at off; the version out. */
static bool match_ops(const struct pattern *p, const struct op *ops, size_t n, struct pst_view v,
		      uint64_t off, char *ver, uint64_t *end)
{
	bool have = false;
	for (size_t i = 0; i < n; i++) {
		const struct op *o = &ops[i];
		switch (o->kind) {
		case OP_LIT:
			if (!pst_view_has(v, off, o->len) || memcmp(v.p + off, o->lit, o->len) != 0)
				return false;
			off += o->len;
			break;
		case OP_V:
			if (have || !take_version(p, v, off, ver, &off))
				return false;
			have = true;
			break;
		case OP_D:
			if (!run(v, &off, is_digit))
				return false;
			break;
		case OP_A:
			if (!run(v, &off, is_alpha))
				return false;
			break;
		case OP_SP:
			if (!run(v, &off, is_space))
				return false;
			break;
		case OP_WORD:
			if (!run(v, &off, is_word))
				return false;
			break;
		case OP_NUL:
		case OP_END:
			if (off >= v.len || !(v.p[off] == 0 || (o->kind == OP_END &&
								strchr(" \t\r\n", v.p[off]))))
				return false;
			off++;
			break;
		}
	}
	*end = off;
	return have;
}

/* Whether the template matches from the anchor's end; the version out. */
static bool match_at(const struct pattern *p, struct pst_view v, uint64_t off, char *ver,
		     uint64_t *end)
{
	return match_ops(p, p->ops + 1, p->nops - 1, v, off, ver, end);
}

struct found {
	char vers[PST_CAP_FP_VERSIONS][PST_CAP_FP_VERSION + 1];
	size_t n;
	bool ambiguous;
	/* the first match, for the evidence */
	char ev[EVIDENCE_SPAN + 1];
};

struct scan_ctx {
	const struct pst_compfp *fp;
	struct pst_view v;
	struct found *f;
};

/* One version is the other with more detail: OpenSSH keeps "9.2" (SSH_VERSION)
 * beside "9.2p1" (SSH_RELEASE). The longer one is the component's. */
static bool refines(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	const char *s = la < lb ? a : b, *l = la < lb ? b : a;
	size_t ls = la < lb ? la : lb;
	return strncmp(s, l, ls) == 0 && !(l[ls] >= '0' && l[ls] <= '9');
}

/* The bytes matched, control bytes as spaces, the template's trailing NUL or
 * space dropped. */
static void keep_evidence(struct found *f, struct pst_view v, uint64_t at, uint64_t end)
{
	uint64_t len = end - at, i;
	if (len > EVIDENCE_SPAN)
		len = EVIDENCE_SPAN;
	for (i = 0; i < len; i++) {
		uint8_t b = v.p[at + i];
		f->ev[i] = b < 0x20 || b >= 0x7f ? ' ' : (char)b;
	}
	while (i && f->ev[i - 1] == ' ')
		i--;
	f->ev[i] = 0;
}

/* Adds one version read for a component (ev: its evidence, NUL-ended). */
static void record(struct found *f, const char *ver, const char *ev)
{
	size_t i;
	for (i = 0; i < f->n && strcmp(f->vers[i], ver) != 0; i++)
		;
	if (i < f->n)
		return;
	if (f->n && !refines(f->vers[0], ver)) {
		f->ambiguous = true;
		return;
	}
	if (f->n && strlen(ver) < strlen(f->vers[0]))
		return;
	snprintf(f->vers[0], sizeof(f->vers[0]), "%s", ver);
	f->n = 1;
	snprintf(f->ev, sizeof(f->ev), "%s", ev);
}

/* A near pattern: every whole string (NUL before and after) within the
 * window around the anchor that near: matches gives a version; two
 * different ones make the component ambiguous, as elsewhere. */
static void near_scan(struct scan_ctx *s, const struct pattern *p, uint64_t off)
{
	uint64_t lo = off > p->within ? off - p->within : 0;
	uint64_t hi = off + p->ops[0].len + p->within, q, end;
	char ver[PST_CAP_FP_VERSION + 1], ev[EVIDENCE_SPAN + 1];
	if (hi > s->v.len)
		hi = s->v.len;
	for (q = lo; q < hi; q++) {
		if ((q > 0 && s->v.p[q - 1] != 0) || s->v.p[q] == 0)
			continue;
		if (!match_ops(p, p->near, p->nnear, s->v, q, ver, &end) || end >= s->v.len ||
		    s->v.p[end] != 0)
			continue;
		snprintf(ev, sizeof(ev), "%s near \"%.*s\"", ver, (int)p->ops[0].len,
			 p->ops[0].lit);
		for (char *c = ev; *c; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
				*c = ' ';
		record(&s->f[p->comp], ver, ev);
		q = end;
	}
}

static void on_anchor(void *ctx, unsigned id, uint64_t off)
{
	struct scan_ctx *s = ctx;
	const struct pattern *p = &s->fp->p[id];
	struct found *f = &s->f[p->comp];
	char ver[PST_CAP_FP_VERSION + 1];
	struct found tmp;
	uint64_t end;
	if (f->ambiguous)
		return;
	if (p->nnear) {
		near_scan(s, p, off);
		return;
	}
	if (!match_at(p, s->v, off + p->ops[0].len, ver, &end))
		return;
	keep_evidence(&tmp, s->v, off, end);
	record(f, ver, tmp.ev);
}

/* CPE 2.3 only for a plain release ("1.2.13", "1.1.1w", "9.2p1" with an
 * update letter): a distribution's "6.1.0-18-4kc-malta" names no upstream
 * release NVD knows. */
static void make_cpe(const struct comp *c, const char *ver, char *out, size_t cap)
{
	const char *u = c->update ? strchr(ver, c->update) : NULL;
	out[0] = 0;
	if (!c->cpe || strspn(ver, "0123456789.abcdefghijklmnopqrstuvwxyz") != strlen(ver))
		return;
	if (u && u > ver)
		snprintf(out, cap, "cpe:2.3:%s:%.*s:%s:*:*:*:*:*:*", c->cpe, (int)(u - ver), ver, u);
	else
		snprintf(out, cap, "cpe:2.3:%s:%s:*:*:*:*:*:*:*", c->cpe, ver);
}

static void make_hit(const struct comp *c, const struct found *f, struct pst_fp_hit *h)
{
	struct pst_str purl;
	memset(h, 0, sizeof(*h));
	h->name = c->name;
	h->type = c->type;
	h->linked = (const char *const *)c->linked;
	memcpy(h->version, f->vers[0], sizeof(h->version));
	make_cpe(c, h->version, h->cpe, sizeof(h->cpe));
	pst_str_init(&purl, sizeof(h->purl) - 1);
	pst_str_printf(&purl, "pkg:%s@", c->purl);
	pst_purl_enc(&purl, h->version);
	pst_str_putc(&purl, 0);
	if (!purl.err)
		snprintf(h->purl, sizeof(h->purl), "%s", purl.p);
	pst_str_free(&purl);
	snprintf(h->evidence, sizeof(h->evidence), "%s", f->ev);
}

/* file: patterns on the file's own name, matched whole ("libuClibc-0.9.33.2.so"). */
static void match_name(struct scan_ctx *s, const char *name, unsigned where)
{
	size_t len = strlen(name);
	unsigned want = where & PST_FP_MODULE ? PST_FP_MODULE | PST_FP_ELF : where;
	s->v = pst_view_make(name, len);
	for (size_t i = 0; i < s->fp->np; i++) {
		const struct pattern *p = &s->fp->p[i];
		char ver[PST_CAP_FP_VERSION + 1];
		uint64_t end;
		if (!p->on_name || !(p->in & want) || len < p->ops[0].len ||
		    memcmp(name, p->ops[0].lit, p->ops[0].len) != 0 ||
		    !match_at(p, s->v, p->ops[0].len, ver, &end) || end != len)
			continue;
		on_anchor(s, (unsigned)i, 0);
	}
}

/* The anchors in s->v: in a program or module, outside its executable
 * sections (the templates are text, which the toolchain keeps out of .text;
 * the code was 3.2 % of the router bench's CPU searched for nothing). */
static void scan_bytes(struct scan_ctx *s, const struct pst_needles *ns, size_t k, uint8_t *hits)
{
	struct pst_range code[PST_ELF_CODE_MAX];
	size_t nc = k < 2 ? pst_elf_code_sections(s->v, code, PST_ELF_CODE_MAX) : 0;
	pst_needles_find_skip(ns, s->v, code, nc, hits, s->fp->np, on_anchor, s);
}

void pst_compfp_scan(const struct pst_compfp *fp, struct pst_view v, const char *name,
		     unsigned where, pst_fp_cb cb, void *ctx)
{
	struct scan_ctx s;
	size_t k = where & PST_FP_MODULE ? 1 : where & PST_FP_DATA ? 2 : 0;
	uint8_t *hits;
	if (!fp || fp->nc == 0)
		return;
	s.fp = fp;
	s.v = v;
	s.f = pst_calloc(fp->nc, sizeof(*s.f));
	hits = pst_calloc(fp->np ? fp->np : 1, 1);
	if (s.f && hits) {
		if (name)
			match_name(&s, name, where);
		s.v = v;
		scan_bytes(&s, fp->ns[k], k, hits);
		for (size_t i = 0; i < fp->nc; i++) {
			struct pst_fp_hit h;
			if (s.f[i].n != 1 || s.f[i].ambiguous)
				continue;
			make_hit(&fp->c[i], &s.f[i], &h);
			cb(ctx, &h);
		}
	}
	free(hits);
	free(s.f);
}
