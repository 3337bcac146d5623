/*
 * helpers.h - what every unit test shares: temporary directories, running a
 * fixture-making command, scanning a file and looking up nodes and findings.
 * Header-only so each test executable stays one file.
 */
#ifndef PST_TEST_HELPERS_H
#define PST_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "internal.h"

/* A fresh directory under $TMPDIR (or /tmp), removed by th_rmtree. */
static inline char *th_tmpdir(void)
{
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *p = malloc(strlen(base) + 32);
	assert_non_null(p);
	sprintf(p, "%s/postern-test-XXXXXX", base);
	assert_non_null(mkdtemp(p));
	return p;
}

/* Runs a bash command (printf-style); the test fails if it exits non-zero.
 * tests/tools is on its PATH: fixtures take random bytes from `randbytes N
 * LABEL` (seeded, so a failure reproduces), never from /dev/urandom. */
static inline void th_sh(const char *fmt, ...)
{
	char cmd[8192], *quoted, *q;
	const char *c;
	va_list ap;
	int rc, n;
	n = snprintf(cmd, sizeof(cmd), "export PATH=\"$SRC/tests/tools:$PATH\"; ");
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	/* bash -c '<cmd with each ' as '\''>' */
	quoted = malloc(strlen(cmd) * 4 + 16);
	assert_non_null(quoted);
	q = quoted + sprintf(quoted, "bash -c '");
	for (c = cmd; *c; c++) {
		if (*c == '\'') {
			memcpy(q, "'\\''", 4);
			q += 4;
		} else {
			*q++ = *c;
		}
	}
	strcpy(q, "'");
	rc = system(quoted);
	free(quoted);
	if (rc != 0)
		fail_msg("command failed (%d): %s", rc, cmd);
}

/* A fresh directory (th_tmpdir) that is also the compiled-rule cache's home
 * ($XDG_CACHE_HOME=DIR/cache), so a test's rules never meet another run's
 * cache; with no_pack_env, $POSTERN_RULES_DIR is unset too. */
static inline char *th_tmpdir_with_cache(bool no_pack_env)
{
	char *dir = th_tmpdir(), cache[4200];
	snprintf(cache, sizeof(cache), "%s/cache", dir);
	setenv("XDG_CACHE_HOME", cache, 1);
	if (no_pack_env)
		unsetenv("POSTERN_RULES_DIR");
	return dir;
}

static inline void th_rmtree(char *dir)
{
	if (dir) {
		th_sh("rm -rf '%s'", dir);
		free(dir);
	}
}

/* Scans path with default options (jobs threads; 0 = per core). */
static inline struct pst_scan *th_scan(const char *path, unsigned jobs)
{
	struct pst_options o;
	struct pst_scan *s;
	pst_options_default(&o);
	o.jobs = jobs;
	s = pst_scan_new(&o);
	assert_non_null(s);
	assert_int_equal(pst_scan_run(s, path), PST_OK);
	return s;
}

static inline struct pst_scan *th_scan_opts(const char *path, const struct pst_options *o)
{
	struct pst_scan *s = pst_scan_new(o);
	assert_non_null(s);
	assert_int_equal(pst_scan_run(s, path), PST_OK);
	return s;
}

static inline bool th_ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The first node whose location ends with suffix, or NULL. */
static inline const struct pst_node *th_node(const struct pst_scan *s, const char *suffix)
{
	const struct pst_node *n;
	for (n = pst_scan_root(s); n; n = pst_node_next(n))
		if (th_ends_with(n->location, suffix))
			return n;
	return NULL;
}

/* Nodes whose location contains needle. */
static inline size_t th_count_nodes(const struct pst_scan *s, const char *needle)
{
	const struct pst_node *n;
	size_t k = 0;
	for (n = pst_scan_root(s); n; n = pst_node_next(n))
		if (!needle || strstr(n->location, needle))
			k++;
	return k;
}

/* The first finding with this rule whose location ends with suffix (NULL
 * suffix: any location). */
/* How many findings have exactly this rule id. */
static inline size_t th_count_rule(const struct pst_scan *s, const char *rule)
{
	size_t n, i, k = 0;
	const struct pst_finding *f = pst_scan_findings(s, &n);
	for (i = 0; i < n; i++)
		if (strcmp(f[i].rule, rule) == 0)
			k++;
	return k;
}

/* s's JSON report with the inventory and without the run object (the
 * caller frees it). */
static inline char *th_report_json(struct pst_scan *s)
{
	struct pst_report_opts ro = { .inventory = true, .no_run = true };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(pst_report_write(s, PST_FORMAT_JSON, &ro, f), PST_OK);
	fclose(f);
	return buf;
}

static inline const struct pst_finding *th_finding(const struct pst_scan *s, const char *rule,
						   const char *suffix)
{
	size_t n, i;
	const struct pst_finding *f = pst_scan_findings(s, &n);
	for (i = 0; i < n; i++)
		if (strcmp(f[i].rule, rule) == 0 &&
		    (!suffix || (f[i].node && th_ends_with(f[i].node->location, suffix))))
			return &f[i];
	return NULL;
}

/* The scan's only coverage gap is n unidentified high-entropy files, each
 * with a coverage.unidentified finding, and one of them ends with suffix:
 * random bytes in a clean tree were not examined, so the verdict is review
 * (issue 13), and nothing else is missing. */
static inline void th_assert_unidentified_only(const struct pst_scan *s, uint64_t n,
					       const char *suffix)
{
	const struct pst_coverage *c = pst_scan_coverage(s);
	assert_int_equal(c->unidentified, n);
	assert_int_equal(c->incomplete, 0);
	assert_int_equal(c->limits_hit, 0);
	assert_int_equal(c->encrypted, 0);
	assert_non_null(th_finding(s, "coverage.unidentified", suffix));
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_REVIEW);
}

/* The value of the first fact `key` on a node whose location ends with
 * suffix (NULL suffix: any node), or NULL. */
static inline const char *th_fact(const struct pst_scan *s, const char *suffix, const char *key)
{
	size_t i;
	for (i = 0; i < s->nfacts; i++)
		if ((!suffix || (s->facts[i].node && th_ends_with(s->facts[i].node->location, suffix))) &&
		    strcmp(s->facts[i].key, key) == 0)
			return s->facts[i].value;
	return NULL;
}

/* A fact key = value on a node whose location ends with suffix. */
static inline bool th_fact_has(const struct pst_scan *s, const char *suffix, const char *key,
			       const char *value)
{
	size_t i;
	for (i = 0; i < s->nfacts; i++)
		if (s->facts[i].node && th_ends_with(s->facts[i].node->location, suffix) &&
		    strcmp(s->facts[i].key, key) == 0 && strcmp(s->facts[i].value, value) == 0)
			return true;
	return false;
}

/* Findings at or above sev. */
static inline size_t th_count_at_least(const struct pst_scan *s, enum pst_severity sev)
{
	size_t n, i, k = 0;
	const struct pst_finding *f = pst_scan_findings(s, &n);
	for (i = 0; i < n; i++)
		if (f[i].severity >= sev)
			k++;
	return k;
}

/* Reads a whole file into memory (test fixtures only). */
static inline uint8_t *th_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p;
	long n;
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

static inline void th_write(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, len, f), len);
	fclose(f);
}

/* Scans every truncation point in cuts[] and a few bit flips of a fixture:
 * the scan must finish, and a cut fixture must not come out complete and
 * clean. */
static inline void th_mangle(const char *fixture, const char *dir)
{
	size_t len, i;
	uint8_t *p = th_read(fixture, &len);
	char path[4096];
	const double cuts[] = { 0.1, 0.33, 0.5, 0.77, 0.95 };
	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		size_t at = (size_t)((double)len * cuts[i]);
		struct pst_scan *s;
		snprintf(path, sizeof(path), "%s/cut-%zu", dir, i);
		th_write(path, p, at);
		s = th_scan(path, 2);
		assert_true(pst_scan_coverage(s)->incomplete > 0 ||
			    pst_scan_coverage(s)->unexplained_bytes > 0 ||
			    pst_scan_coverage(s)->truncated > 0);
		pst_scan_free(s);
	}
	for (i = 0; i < 16; i++) {
		uint8_t *q = malloc(len);
		struct pst_scan *s;
		assert_non_null(q);
		memcpy(q, p, len);
		q[(i * 7919u + 13u) % len] ^= (uint8_t)(1u << (i % 8));
		q[(i * 104729u + 101u) % len] ^= 0xff;
		snprintf(path, sizeof(path), "%s/flip-%zu", dir, i);
		th_write(path, q, len);
		s = th_scan(path, 2);
		pst_scan_free(s);
		free(q);
	}
	free(p);
}

/* Scans path with 2 jobs and a limit of max bytes on one file's unpacked
 * size. */
static inline struct pst_scan *th_scan_file_limit(const char *path, uint64_t max)
{
	struct pst_options o;
	pst_options_default(&o);
	o.jobs = 2;
	o.limits.max_file_bytes = max;
	return th_scan_opts(path, &o);
}

/* Asserts the node at loc was cut by the file-size limit to size bytes:
 * flagged truncated, with a limit.file-size finding on it. */
static inline const struct pst_node *th_cut_by_limit(const struct pst_scan *s, const char *loc,
						      uint64_t size)
{
	const struct pst_node *n = th_node(s, loc);
	assert_non_null(n);
	assert_int_equal(n->size, size);
	assert_true(n->flags & PST_NODE_TRUNCATED);
	assert_non_null(th_finding(s, "limit.file-size", loc));
	return n;
}

#endif
