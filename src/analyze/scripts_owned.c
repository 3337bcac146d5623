/*
 * scripts_owned.c - the script rules on a packaged interpreter's own test
 * suite (issue 14, "stock products stay quiet"). CPython's test suite
 * (Debian's libpython3.11-testsuite) starts servers, receives and runs
 * subprocesses on purpose, so test_subprocess.py and friends read like a
 * remote control. A script finding on a file under a directory named
 * test/ or tests/ is therefore held back (a fact, script.deferred) and
 * settled once the whole tree is known:
 *
 *   - the file is listed in the same root's dpkg database
 *     (/var/lib/dpkg/info/PKG.md5sums) with the md5 it has here: the
 *     finding is kept, lowered to info, and says which package vouches
 *     for it;
 *   - a .pyc is judged by its source: the source beside it
 *     (test/__pycache__/NAME.*.pyc <- test/NAME.py) must be vouched for as
 *     above and name everything the .pyc's finding rests on (its words,
 *     endpoint, hidden file), and the size recorded in the .pyc
 *     header must be the source's (the header CPython checks before it
 *     loads a .pyc);
 *   - anything else (not listed, a different md5, no database, a .pyc
 *     with no verified source) stays high, and says why it was not lowered.
 *
 * What this trusts: the md5sums file of the same image. An attacker who
 * rewrites both the script and its md5sums line is not caught here; the
 * lowered finding stays in the report (info) so that a reviewer can see it
 * (docs/findings/script.md).
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "access.h"
#include "scripts_owned.h"

#define DPKG_INFO "/var/lib/dpkg/info/"

bool sc_test_path(const char *path)
{
	const char *p = path;
	if (!path)
		return false;
	while ((p = strchr(p, '/'))) {
		p++;
		if ((strncmp(p, "test/", 5) == 0) || (strncmp(p, "tests/", 6) == 0))
			return true;
	}
	return false;
}

bool sc_dpkg_md5sums(const char *path)
{
	return path && acc_prefix(path, DPKG_INFO) && acc_suffix(path, ".md5sums");
}

/* A dpkg md5sums file's lines ("MD5  relative/path") for scripts under a
 * test directory, each a fact dpkg.md5 "MD5<FS>/path". */
void sc_record_md5sums(const struct pst_file *f)
{
	struct acc_line ln;
	uint64_t pos = 0;
	while (acc_next_line(f->data, &pos, &ln)) {
		char line[1024], path[1028], val[1100];
		if (ln.len <= 34 || ln.len >= sizeof(line))
			continue;
		memcpy(line, ln.p, ln.len);
		line[ln.len] = 0;
		snprintf(path, sizeof(path), "/%s", line + 34);
		if (line[32] == ' ' && line[33] == ' ' && sc_test_path(path) &&
		    acc_suffix(path, ".py")) {
			snprintf(val, sizeof(val), "%.32s%c%s", line, ACC_FS, path);
			pst_fact_add(f->scan, f->node, "dpkg.md5", val);
		}
	}
}

/* For a script under a test directory: its md5 and size (a source), or
 * its source's path and the size its header records (a .pyc). */
void sc_record_file(const struct pst_file *f)
{
	const char *p = f->node->path;
	char val[1100];
	if (acc_suffix(p, ".py")) {
		uint8_t d[EVP_MAX_MD_SIZE];
		unsigned dl = 0;
		char hex[33];
		if (!EVP_Digest(f->data.p, f->data.len, d, &dl, EVP_md5(), NULL) || dl != 16)
			return;
		pst_hex(d, 16, hex);
		snprintf(val, sizeof(val), "%s%c%zu", hex, ACC_FS, f->data.len);
		pst_fact_add(f->scan, f->node, "script.md5", val);
	} else if (acc_suffix(p, ".pyc")) {
		const char *slash = strrchr(p, '/');
		size_t dir = (size_t)(slash - p), stem;
		uint32_t flags = 1, size = 0;
		/* CPython 3.7+ (PEP 552): magic, flags, then mtime and source
		 * size when flags is 0; a hash-based .pyc is not judged here */
		if (!pst_view_le32(f->data, 4, &flags) || flags != 0 ||
		    !pst_view_le32(f->data, 12, &size))
			return;
		stem = strcspn(slash + 1, ".");
		if (dir >= 12 && strncmp(slash - 12, "/__pycache__", 12) == 0)
			dir -= 12;
		snprintf(val, sizeof(val), "%.*s/%.*s.py%c%u", (int)dir, p, (int)stem, slash + 1,
			 ACC_FS, size);
		pst_fact_add(f->scan, f->node, "script.pyc-src", val);
	}
}

void sc_defer(const struct pst_file *f, const char *rule, const char *terms, const char *ev,
	      const char *msg)
{
	char val[1300];
	snprintf(val, sizeof(val), "%s%c%s%c%s%c%s", rule, ACC_FS, terms, ACC_FS, ev, ACC_FS,
		 msg);
	pst_fact_add(f->scan, f->node, "script.deferred", val);
}

/* The value of fact key on exactly node n; NULL if none. */
static const char *fact_value(const struct pst_tree *t, const struct pst_node *n,
			      const char *key)
{
	size_t i;
	for (i = 0; i < t->nfacts; i++)
		if (t->facts[i].node == n && strcmp(t->facts[i].key, key) == 0)
			return t->facts[i].value;
	return NULL;
}

/* The fact key on exactly node n, copied into buf; NULL if none. */
static char *fact_of(const struct pst_tree *t, const struct pst_node *n, const char *key,
		     char *buf, size_t len)
{
	const char *v = fact_value(t, n, key);
	if (!v)
		return NULL;
	snprintf(buf, len, "%s", v);
	return buf;
}

/* The package whose md5sums (in n's container) lists path with md5, its
 * name in pkg; false if none does. */
static bool dpkg_owns(const struct pst_tree *t, const struct pst_node *n, const char *path,
		      const char *md5, char *pkg, size_t len)
{
	size_t i, pl = strlen(path);
	for (i = 0; i < t->nfacts; i++) {
		const struct pst_fact *x = &t->facts[i];
		const char *b, *e;
		if (strcmp(x->key, "dpkg.md5") != 0 || strncmp(x->value, md5, 32) != 0 ||
		    strlen(x->value) != 33 + pl || strcmp(x->value + 33, path) != 0 ||
		    !acc_same_container(x->node, n))
			continue;
		b = strrchr(x->node->path, '/') + 1;
		e = strstr(b, ".md5sums");
		snprintf(pkg, len, "%.*s", (int)(e - b), b);
		return true;
	}
	return false;
}

/* The source node of a .pyc: the node in the same container at path. */
static const struct pst_node *source_node(const struct pst_tree *t, const struct pst_node *n,
					  const char *path)
{
	size_t i;
	for (i = 0; i < t->nfacts; i++) {
		const struct pst_node *s = t->facts[i].node;
		if (strcmp(t->facts[i].key, "script.md5") == 0 && s->path &&
		    strcmp(s->path, path) == 0 && acc_same_container(s, n))
			return s;
	}
	return NULL;
}

/* Whether every term a .pyc's finding rests on (its names, endpoint,
 * hidden file) is among what its source names: a code object planted
 * beside an innocuous vouched source says more than it, and stays high. */
static bool source_covers(const struct pst_tree *t, const struct pst_node *src,
			  const char *terms)
{
	char tv[256], *w, *save = NULL;
	const char *names = fact_value(t, src, "script.names");
	if (!names)
		return false;
	snprintf(tv, sizeof(tv), "%s", terms);
	for (w = strtok_r(tv, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		const char *p = names;
		size_t n = strlen(w);
		bool found = false;
		while (!found && (p = strstr(p, w))) {
			found = (p == names || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0);
			p += n;
		}
		if (!found)
			return false;
	}
	return true;
}

/* Whether the package database vouches for n's finding rule; why (or why
 * not) in why. */
static bool vouched(const struct pst_tree *t, const struct pst_node *n, const char *terms,
		    char *why, size_t len)
{
	char v[1100], pkg[256], hsize[16] = "", *fld[2];
	const struct pst_node *src = n;
	const char *srcpath = n->path;
	bool pyc = acc_suffix(n->path, ".pyc");
	if (pyc) {
		if (!fact_of(t, n, "script.pyc-src", v, sizeof(v)) ||
		    acc_split(v, ACC_FS, fld, 2) != 2 || !(src = source_node(t, n, fld[0]))) {
			snprintf(why, len, "a .pyc whose source is not beside it to verify");
			return false;
		}
		srcpath = src->path;
		if (!source_covers(t, src, terms)) {
			snprintf(why, len, "a .pyc naming (%s) what its source %s does not",
				 terms, srcpath);
			return false;
		}
		snprintf(hsize, sizeof(hsize), "%s", fld[1]);
	}
	if (!fact_of(t, src, "script.md5", v, sizeof(v)) || acc_split(v, ACC_FS, fld, 2) != 2)
		return false;
	if (pyc && strcmp(hsize, fld[1]) != 0) {
		snprintf(why, len, "a .pyc whose header records a source of %s bytes, not %s's %s",
			 hsize, srcpath, fld[1]);
		return false;
	}
	if (!dpkg_owns(t, n, srcpath, fld[0], pkg, sizeof(pkg))) {
		snprintf(why, len, "%s is not in the package database with md5 %s", srcpath,
			 fld[0]);
		return false;
	}
	snprintf(why, len, "%s%s is dpkg package %s's, md5 %s as its md5sums lists",
		 pyc ? "compiled from " : "", srcpath, pkg, fld[0]);
	return true;
}

/* The rule id as a string that outlives the scan: pst_finding_add keeps
 * the pointer, not a copy. */
static const char *rule_id(const char *r)
{
	static const char *const ids[] = { "script.competitor-kill", "script.hidden-payload-eval",
		"script.remote-command", NULL };
	size_t i;
	for (i = 0; ids[i]; i++)
		if (strcmp(r, ids[i]) == 0)
			return ids[i];
	return NULL;
}

enum pst_err sc_finish(const void *st, const struct pst_tree *t)
{
	size_t i;
	(void)st;
	for (i = 0; i < t->nfacts; i++) {
		char v[1300], why[1400], *fld[4];
		const char *rule;
		const struct pst_node *n = t->facts[i].node;
		bool ok;
		if (strcmp(t->facts[i].key, "script.deferred") != 0)
			continue;
		snprintf(v, sizeof(v), "%s", t->facts[i].value);
		if (acc_split(v, ACC_FS, fld, 4) != 4)
			continue;
		rule = rule_id(fld[0]);
		if (!rule)
			continue;
		why[0] = 0;
		ok = vouched(t, n, fld[1], why, sizeof(why));
		if (ok)
			pst_finding_add(t->scan, n, rule, PST_SEV_INFO, "capability", 0, fld[2],
					"%s (lowered from high: a packaged test suite's file; %s)",
					fld[3], why);
		else
			pst_finding_add(t->scan, n, rule, PST_SEV_HIGH, "capability", 0, fld[2],
					"%s (under a test directory, not lowered: %s)", fld[3],
					why[0] ? why : "no package database vouches for it");
	}
	return PST_OK;
}
