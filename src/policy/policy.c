/*
 * policy.c - loads a policy from YAML (libyaml's document API, so every error
 * can name its line) and applies it: per-rule severity overrides and waivers.
 * The verdict itself is in verdict.c. Format and semantics: docs/policy.md.
 *
 * A policy is a mapping:
 *   name: strict
 *   fail: high            severity at or above which findings fail ("none")
 *   review: medium        ... ask for review
 *   coverage: review      what unexamined content does to a pass: ignore|review|fail
 *   severity: {rule-or-glob: severity, ...}
 *   waivers: [{rule, location, justification, expires}, ...]
 * Unknown keys are errors: a typo must not silently weaken a policy.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>
#include "internal.h"
#include "yamlkey.h"
#include "policy/embedded.h"
#include "policy/policy.h"

#define POLICY_MAX_BYTES (4u << 20) /* a policy is a small hand-written file */

const struct pst_embedded *pst_embedded_find(const char *name)
{
	const struct pst_embedded *e;
	for (e = pst_embedded_files; e->name; e++)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

void pst_today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

struct ctx {
	yaml_document_t doc;
	struct pst_policy *p;
	const char *name;
	char *err;
	size_t errlen;
	bool failed;
};

static void fail_at(struct ctx *c, const yaml_node_t *n, const char *fmt, ...) PST_PRINTF(3, 4);

static void fail_at(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	if (c->failed)
		return;
	c->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n)
		snprintf(c->err, c->errlen, "%s:%zu:%zu: %s", c->name, n->start_mark.line + 1,
			 n->start_mark.column + 1, msg);
	else
		snprintf(c->err, c->errlen, "%s: %s", c->name, msg);
}

static const char *scalar(struct ctx *c, const yaml_node_t *n, const char *what)
{
	if (!n || n->type != YAML_SCALAR_NODE) {
		fail_at(c, n, "%s must be a single value", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

static char *dup_or_fail(struct ctx *c, const char *s)
{
	char *d = pst_strdup(s);
	if (!d)
		fail_at(c, NULL, "out of memory");
	return d;
}

/* A severity name, or "none" (never) as PST_POLICY_NEVER. */
static int threshold(struct ctx *c, const yaml_node_t *n, const char *key, bool allow_none)
{
	const char *v = scalar(c, n, key);
	int sev;
	if (!v)
		return -1;
	if (allow_none && strcmp(v, "none") == 0)
		return PST_POLICY_NEVER;
	sev = pst_severity_parse(v);
	if (sev < 0)
		fail_at(c, n, "%s: '%s' is not a severity (critical, high, medium, low, info%s)", key,
			v, allow_none ? ", none" : "");
	return sev;
}

static bool valid_date(const char *s)
{
	int y, m, d;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	size_t i;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	return true;
}

static void parse_overrides(struct ctx *c, yaml_node_t *map)
{
	yaml_node_pair_t *pair;
	size_t n;

	if (map->type != YAML_MAPPING_NODE) {
		fail_at(c, map, "severity must map rule ids to severities");
		return;
	}
	n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	c->p->overrides = pst_calloc(n ? n : 1, sizeof(*c->p->overrides));
	if (!c->p->overrides) {
		fail_at(c, NULL, "out of memory");
		return;
	}
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(&c->doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(&c->doc, pair->value);
		const char *rule = scalar(c, k, "a rule id");
		int sev = threshold(c, v, rule ? rule : "severity", false);
		struct pst_override *o;
		if (c->failed)
			return;
		o = &c->p->overrides[c->p->noverrides++];
		o->rule = dup_or_fail(c, rule);
		o->severity = (enum pst_severity)sev;
		o->glob = strpbrk(rule, "*?[") != NULL;
	}
}

static void parse_waiver(struct ctx *c, yaml_node_t *map, struct pst_waiver *w)
{
	static const char *const keys[] = { "rule", "location", "justification", "expires" };
	const char *vals[4] = { NULL, NULL, NULL, NULL };
	yaml_node_pair_t *pair;
	size_t i;

	if (map->type != YAML_MAPPING_NODE) {
		fail_at(c, map, "a waiver is a mapping with rule, location, justification and expires");
		return;
	}
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(&c->doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(&c->doc, pair->value);
		const char *key = scalar(c, k, "a waiver key");
		if (!key)
			return;
		for (i = 0; i < 4; i++)
			if (strcmp(key, keys[i]) == 0)
				break;
		if (i == 4) {
			fail_at(c, k, "unknown waiver key '%s' (rule, location, justification, expires)", key);
			return;
		}
		vals[i] = scalar(c, v, key);
		if (!vals[i])
			return;
	}
	for (i = 0; i < 4; i++) {
		const char *v = vals[i];
		while (v && isspace((unsigned char)*v))
			v++;
		if (!v || !*v) {
			fail_at(c, map, "waiver without %s: a waiver needs a rule, a location glob, a "
					"justification and an expiry date", keys[i]);
			return;
		}
	}
	if (!valid_date(vals[3])) {
		fail_at(c, map, "waiver expires '%s': not a date (YYYY-MM-DD)", vals[3]);
		return;
	}
	w->rule = dup_or_fail(c, vals[0]);
	w->location = dup_or_fail(c, vals[1]);
	w->justification = dup_or_fail(c, vals[2]);
	w->expires = dup_or_fail(c, vals[3]);
	w->line = (unsigned)map->start_mark.line + 1;
}

static void parse_waivers(struct ctx *c, yaml_node_t *seq)
{
	yaml_node_item_t *it;
	size_t n;

	if (seq->type != YAML_SEQUENCE_NODE) {
		fail_at(c, seq, "waivers must be a list");
		return;
	}
	n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	c->p->waivers = pst_calloc(n ? n : 1, sizeof(*c->p->waivers));
	if (!c->p->waivers) {
		fail_at(c, NULL, "out of memory");
		return;
	}
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top && !c->failed; it++)
		parse_waiver(c, yaml_document_get_node(&c->doc, *it), &c->p->waivers[c->p->nwaivers++]);
}

static void parse_root(struct ctx *c, yaml_node_t *root)
{
	yaml_node_pair_t *pair;

	if (!root) {
		fail_at(c, NULL, "empty policy");
		return;
	}
	if (root->type != YAML_MAPPING_NODE) {
		fail_at(c, root, "a policy is a mapping (name, fail, review, coverage, severity, waivers)");
		return;
	}
	for (pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(&c->doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(&c->doc, pair->value);
		const char *key = scalar(c, k, "a key");
		if (!key)
			return;
		/* a second waivers list must not silently replace the first */
		if (pst_yaml_key_repeated(&c->doc, root->data.mapping.pairs.start, pair)) {
			fail_at(c, k, "duplicate key '%s'", key);
			return;
		}
		if (strcmp(key, "name") == 0) {
			const char *name = scalar(c, v, key);
			if (name) {
				free(c->p->name);
				c->p->name = dup_or_fail(c, name);
			}
		} else if (strcmp(key, "fail") == 0) {
			c->p->fail_at = threshold(c, v, key, true);
		} else if (strcmp(key, "review") == 0) {
			c->p->review_at = threshold(c, v, key, true);
		} else if (strcmp(key, "coverage") == 0) {
			const char *cv = scalar(c, v, key);
			if (!cv)
				return;
			if (strcmp(cv, "ignore") == 0)
				c->p->coverage = PST_VERDICT_PASS;
			else if (strcmp(cv, "review") == 0)
				c->p->coverage = PST_VERDICT_REVIEW;
			else if (strcmp(cv, "fail") == 0)
				c->p->coverage = PST_VERDICT_FAIL;
			else
				fail_at(c, v, "coverage: '%s' is not ignore, review or fail", cv);
		} else if (strcmp(key, "severity") == 0) {
			parse_overrides(c, v);
		} else if (strcmp(key, "waivers") == 0) {
			parse_waivers(c, v);
		} else {
			fail_at(c, k, "unknown key '%s' (name, fail, review, coverage, severity, waivers)",
				key);
		}
		if (c->failed)
			return;
	}
	if (c->p->review_at > c->p->fail_at)
		c->p->review_at = c->p->fail_at;
}

struct pst_policy *pst_policy_parse(const char *text, size_t len, const char *name, char *err,
				    size_t errlen)
{
	struct ctx c;
	yaml_parser_t parser;
	const char *base;
	uint8_t sha[32];

	memset(&c, 0, sizeof(c));
	c.name = name ? name : "policy";
	c.err = err;
	c.errlen = errlen;
	if (errlen)
		err[0] = 0;
	c.p = pst_calloc(1, sizeof(*c.p));
	if (!c.p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/* Defaults are the built-in default policy's. */
	c.p->fail_at = PST_SEV_HIGH;
	c.p->review_at = PST_SEV_MEDIUM;
	c.p->coverage = PST_VERDICT_REVIEW;
	base = strrchr(c.name, '/');
	base = base ? base + 1 : c.name;
	c.p->name = pst_strndup(base, strcspn(base, "."));
	pst_sha256((const uint8_t *)text, len, sha);
	pst_hex(sha, 32, c.p->sha256);
	if (!yaml_parser_initialize(&parser)) {
		pst_oom_note();
		fail_at(&c, NULL, "out of memory");
		goto out;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &c.doc)) {
		if (parser.error == YAML_MEMORY_ERROR || !parser.problem)
			pst_oom_note(); /* as pst_yaml_load: no problem named */
		snprintf(err, errlen, "%s:%zu:%zu: %s%s%s", c.name, parser.problem_mark.line + 1,
			 parser.problem_mark.column + 1, parser.problem ? parser.problem : "not YAML",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		c.failed = true;
		yaml_parser_delete(&parser);
		goto out;
	}
	yaml_parser_delete(&parser);
	parse_root(&c, yaml_document_get_root_node(&c.doc));
	yaml_document_delete(&c.doc);
out:
	if (c.failed) {
		pst_policy_free(c.p);
		return NULL;
	}
	return c.p;
}

struct pst_policy *pst_policy_load(const char *path, char *err, size_t errlen)
{
	const struct pst_embedded *e = NULL;
	struct pst_policy *p = NULL;
	FILE *f;
	char *buf = NULL;
	size_t len = 0;

	if (!path || ((strcmp(path, "default") == 0 || strcmp(path, "strict") == 0) &&
		      access(path, F_OK) != 0)) {
		e = pst_embedded_find(path && strcmp(path, "strict") == 0 ? "policies/strict.yaml"
									  : "policies/default.yaml");
		if (!e) {
			snprintf(err, errlen, "built-in policy missing");
			return NULL;
		}
		return pst_policy_parse(e->text, e->len, e->name, err, errlen);
	}
	f = fopen(path, "rb");
	if (!f) {
		pst_oom_errno();
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = pst_malloc(POLICY_MAX_BYTES + 1);
	if (buf)
		len = fread(buf, 1, POLICY_MAX_BYTES + 1, f);
	if (!buf || ferror(f))
		snprintf(err, errlen, "%s: cannot read", path);
	else if (len > POLICY_MAX_BYTES)
		snprintf(err, errlen, "%s: larger than %u bytes", path, POLICY_MAX_BYTES);
	else
		p = pst_policy_parse(buf, len, path, err, errlen);
	fclose(f);
	free(buf);
	return p;
}

void pst_policy_free(struct pst_policy *p)
{
	size_t i;
	if (!p)
		return;
	for (i = 0; i < p->noverrides; i++)
		free(p->overrides[i].rule);
	for (i = 0; i < p->nwaivers; i++) {
		free((char *)p->waivers[i].rule);
		free((char *)p->waivers[i].location);
		free((char *)p->waivers[i].justification);
		free((char *)p->waivers[i].expires);
	}
	free(p->overrides);
	free(p->waivers);
	free(p->name);
	free(p);
}

const char *pst_policy_name(const struct pst_policy *p) { return p->name ? p->name : "policy"; }
const char *pst_policy_sha256(const struct pst_policy *p) { return p->sha256; }
int pst_policy_fail_at(const struct pst_policy *p) { return p->fail_at; }
int pst_policy_review_at(const struct pst_policy *p) { return p->review_at; }

const struct pst_waiver *pst_policy_waivers(const struct pst_policy *p, size_t *n)
{
	*n = p->nwaivers;
	return p->waivers;
}

/* Exact rule ids win over globs; among globs, the first in the file. */
static const struct pst_override *override_for(const struct pst_policy *p, const char *rule)
{
	size_t i;
	for (i = 0; i < p->noverrides; i++)
		if (!p->overrides[i].glob && strcmp(p->overrides[i].rule, rule) == 0)
			return &p->overrides[i];
	for (i = 0; i < p->noverrides; i++)
		if (p->overrides[i].glob && fnmatch(p->overrides[i].rule, rule, 0) == 0)
			return &p->overrides[i];
	return NULL;
}

static bool waiver_matches(const struct pst_waiver *w, const struct pst_finding *f)
{
	const char *loc = f->node ? f->node->location : "";
	const char *path = f->node && f->node->path ? f->node->path : "";
	if (fnmatch(w->rule, f->rule, 0) != 0)
		return false;
	return fnmatch(w->location, loc, 0) == 0 || fnmatch(w->location, path, 0) == 0;
}

void pst_policy_apply(struct pst_policy *p, struct pst_finding *f, size_t n, const char *today)
{
	size_t i, j;

	for (j = 0; j < p->nwaivers; j++) {
		p->waivers[j].expired = strcmp(today, p->waivers[j].expires) > 0;
		p->waivers[j].matched = 0;
	}
	for (i = 0; i < n; i++) {
		const struct pst_override *o = override_for(p, f[i].rule);
		/* declared_severity is set when a finding is made, so applying
		 * twice gives the same result. */
		f[i].severity = o ? o->severity : f[i].declared_severity;
		f[i].waiver = NULL;
		/* policy.* findings judge the policy itself: no waiver hides them. */
		if (strncmp(f[i].rule, "policy.", 7) == 0)
			continue;
		for (j = 0; j < p->nwaivers; j++) {
			if (!p->waivers[j].expired && waiver_matches(&p->waivers[j], &f[i])) {
				f[i].waiver = &p->waivers[j];
				p->waivers[j].matched++;
				break;
			}
		}
	}
}
