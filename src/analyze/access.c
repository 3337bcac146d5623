/*
 * access.c - helpers shared by the access-path analyzers (see access.h).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "access.h"

/* The line at *pos; with pieces, a longer line ends at the cap and *pos
 * stops there (the next call goes on with the rest). */
static bool next_line(struct pst_view v, uint64_t *pos, struct acc_line *out, bool pieces)
{
	const uint8_t *nl;
	size_t left, len;

	if (*pos >= v.len)
		return false;
	left = v.len - (size_t)*pos;
	nl = memchr(v.p + *pos, '\n', left);
	len = nl ? (size_t)(nl - (v.p + *pos)) : left;
	out->p = (const char *)v.p + *pos;
	out->off = *pos;
	out->len = len;
	if (out->len && out->p[out->len - 1] == '\r')
		out->len--;
	out->cut = out->len > PST_CAP_LINE;
	if (out->cut)
		out->len = PST_CAP_LINE;
	if (out->cut && pieces) {
		*pos += PST_CAP_LINE;
		return true;
	}
	*pos += len + (nl ? 1 : 0);
	return true;
}

bool acc_next_line(struct pst_view v, uint64_t *pos, struct acc_line *out)
{
	return next_line(v, pos, out, false);
}

bool acc_next_piece(struct pst_view v, uint64_t *pos, struct acc_line *out)
{
	return next_line(v, pos, out, true);
}

void acc_line_cap(const struct pst_file *f, bool *told)
{
	if (*told)
		return;
	*told = true;
	pst_cap_hit(f->scan, f->node, "PST_CAP_LINE",
		    "a line longer than %u bytes was read only to there", PST_CAP_LINE);
}

const char *acc_base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

bool acc_prefix(const char *s, const char *prefix)
{
	return pst_prefix(s, prefix);
}

const char *acc_where(const struct pst_node *n)
{
	const struct pst_node *p = n->parent;
	if (p && p->kind == PST_KIND_COMPRESSED && p->path && p->nchildren == 1)
		return p->path;
	return n->path ? n->path : "";
}

bool acc_test_material(const char *path)
{
	static const char *const dirs[] = { "/test/", "/tests/", "/testdata/", "/testing/",
					    "/testsuite/", "/test-data/", "/example/",
					    "/examples/", "/usr/share/doc/", NULL };
	const char *b = acc_base(path);
	size_t i;
	if (acc_under(path, "/etc"))
		return false; /* configuration: what the product runs with */
	for (i = 0; dirs[i]; i++)
		if (strstr(path, dirs[i]))
			return true;
	return acc_prefix(b, "test_") || strstr(b, "_test.") != NULL;
}

bool acc_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

bool acc_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == 0 || path[n] == '/');
}

size_t acc_container_len(const struct pst_node *n)
{
	size_t a = strlen(n->location), b = n->path ? strlen(n->path) : 0;
	return a >= b ? a - b : 0;
}

bool acc_same_container(const struct pst_node *a, const struct pst_node *b)
{
	size_t cl = acc_container_len(a);
	return acc_container_len(b) == cl && strncmp(a->location, b->location, cl) == 0;
}

bool acc_same_dir(const struct pst_node *a, const struct pst_node *b)
{
	const char *sa = strrchr(a->location, '/'), *sb = strrchr(b->location, '/');
	size_t la = sa ? (size_t)(sa - a->location) : 0, lb = sb ? (size_t)(sb - b->location) : 0;
	return la == lb && memcmp(a->location, b->location, la) == 0;
}

bool acc_hidden_component(const char *path, const char **comp)
{
	const char *p = path;
	while ((p = strchr(p, '/'))) {
		p++;
		if (p[0] == '.' && p[1] && p[1] != '/' && !(p[1] == '.' && (p[2] == 0 || p[2] == '/'))) {
			if (comp)
				*comp = p;
			return true;
		}
	}
	return false;
}

bool acc_in_list(const char *name, const char *const *list)
{
	size_t i;
	for (i = 0; list[i]; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

bool acc_is_shell(const char *name)
{
	static const char *const shells[] = { "sh", "ash", "bash", "dash", "zsh", "ksh", "mksh",
		"pdksh", "csh", "tcsh", "fish", "hush", "msh", "rbash", "yash", "busybox", NULL };
	return acc_in_list(acc_base(name), shells);
}

bool acc_is_interpreter(const char *name)
{
	static const char *const interps[] = { "python", "python2", "python3", "perl", "ruby",
		"lua", "php", "node", "nodejs", "tclsh", "wish", "expect", "awk", "gawk",
		"mawk", "nawk", "busybox", "env", "pwsh", "guile", "irb", NULL };
	const char *b = acc_base(name);
	if (acc_in_list(b, interps))
		return true;
	/* versioned names: python3.11, perl5.36.0, lua5.4 */
	return (acc_prefix(b, "python") || acc_prefix(b, "perl") || acc_prefix(b, "lua") ||
		acc_prefix(b, "ruby") || acc_prefix(b, "php")) &&
	       strspn(b + strcspn(b, "0123456789"), "0123456789.") ==
		       strlen(b + strcspn(b, "0123456789")) &&
	       b[strcspn(b, "0123456789")] != 0;
}

bool acc_is_nologin_shell(const char *shell)
{
	static const char *const no[] = { "nologin", "false", "true", "sync", "halt",
		"shutdown", "null", NULL };
	return shell[0] && acc_in_list(acc_base(shell), no);
}

size_t acc_split(char *s, char sep, char **out, size_t max)
{
	size_t n = 0;
	while (n < max) {
		char *e = strchr(s, sep);
		out[n++] = s;
		if (!e)
			break;
		*e = 0;
		s = e + 1;
	}
	return n;
}

void acc_redact(const char *s, size_t len, char *buf, size_t cap)
{
	size_t keep = len >= 8 ? 2 : (len >= 4 ? 1 : 0);
	snprintf(buf, cap, "%.*s*** (%zu chars)", (int)keep, s, len);
}

bool acc_list_next(const char **cur, const char **line, size_t *len)
{
	const char *p = *cur;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *next = e ? e + 1 : p + n;
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n && p[0] != '#') {
			*line = p;
			*len = n;
			*cur = next;
			return true;
		}
		p = next;
	}
	*cur = p;
	return false;
}

/* ---- the lists, with the user's additions ---- */
static const char *const list_stem[ACC_NLISTS] = { "default-passwords", "setuid-expected",
						   "trusted-roots", "known-test-keys" };

static const char *embedded(enum acc_list which)
{
	switch (which) {
	case ACC_DEFAULT_PASSWORDS: return pst_rules_default_passwords;
	case ACC_SETUID_EXPECTED: return pst_rules_setuid_expected;
	case ACC_TRUSTED_ROOTS: return pst_rules_trusted_roots;
	default: return pst_rules_known_test_keys;
	}
}

/* NAME.txt or NAME-*.txt */
static bool list_name(const char *name, const char *stem)
{
	size_t n = strlen(stem);
	return strncmp(name, stem, n) == 0 && (name[n] == '.' || name[n] == '-') &&
	       acc_suffix(name, ".txt");
}

/* Appends the content of path to *buf (a NUL-terminated text), after a
 * newline. False on out of memory; an unreadable file is skipped, and one
 * larger than PST_CAP_USER_LIST too, with a warning (the user's own input:
 * a message to the user, not a finding about the product). */
static bool append_file(const struct pst_options *o, char **buf, size_t *len, const char *path,
			unsigned *nfiles)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;
	char *nb;
	size_t got;
	bool ok = true;

	if (!fp) {
		pst_oom_errno();
		return true;
	}
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode))
		goto out;
	if ((uint64_t)st.st_size > PST_CAP_USER_LIST) {
		pst_message(o, PST_MSG_WARNING, "%s: larger than %u MiB, not loaded "
			    "(PST_CAP_USER_LIST)", path, (unsigned)(PST_CAP_USER_LIST >> 20));
		goto out;
	}
	nb = pst_realloc(*buf, *len + (size_t)st.st_size + 2);
	if (!nb) {
		ok = false;
		goto out;
	}
	*buf = nb;
	nb[(*len)++] = '\n';
	got = fread(nb + *len, 1, (size_t)st.st_size, fp);
	/* a NUL inside would end the list early: make it a line break */
	for (size_t i = 0; i < got; i++)
		if (nb[*len + i] == 0)
			nb[*len + i] = '\n';
	*len += got;
	nb[*len] = 0;
	(*nfiles)++;
out:
	fclose(fp);
	return ok;
}

static int strcmp_p(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds DIR's files for the list (sorted by name, so the order is stable). */
static bool add_dir(const struct pst_options *o, struct acc_lists *l, enum acc_list which,
		    const char *dir, char **buf, size_t *len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names[64];
	size_t n = 0, i;
	bool ok = true;

	if (!d) {
		pst_oom_errno();
		return true;
	}
	while ((e = readdir(d)) != NULL) {
		if (!list_name(e->d_name, list_stem[which]))
			continue;
		if (n == 64) {
			pst_message(o, PST_MSG_WARNING, "%s: more than 64 %s files, the rest not "
				    "loaded", dir, list_stem[which]);
			break;
		}
		if ((names[n] = pst_strdup(e->d_name)))
			n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), strcmp_p);
	for (i = 0; i < n; i++) {
		char path[4096];
		if (ok && (size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]) < sizeof(path))
			ok = append_file(o, buf, len, path, &l->nfiles);
		free(names[i]);
	}
	return ok;
}

enum pst_err acc_lists_init(const struct pst_options *o, void **state)
{
	struct acc_lists *l = pst_calloc(1, sizeof(*l));
	enum pst_err e = PST_ENOMEM;
	size_t i, k;

	*state = NULL;
	if (!l)
		return PST_ENOMEM;
	for (k = 0; k < ACC_NLISTS; k++) {
		const char *base = embedded((enum acc_list)k);
		size_t len = strlen(base);
		char *buf = NULL;
		l->list[k] = base;
		for (i = 0; o->rule_dirs && o->rule_dirs[i]; i++) {
			char sub[4096];
			if (!buf) {
				buf = pst_malloc(len + 1);
				if (!buf)
					goto out;
				memcpy(buf, base, len + 1);
			}
			if (!add_dir(o, l, (enum acc_list)k, o->rule_dirs[i], &buf, &len))
				goto out_buf;
			if ((size_t)snprintf(sub, sizeof(sub), "%s/access", o->rule_dirs[i]) < sizeof(sub) &&
			    !add_dir(o, l, (enum acc_list)k, sub, &buf, &len))
				goto out_buf;
		}
		if (buf) {
			l->own[k] = buf;
			l->list[k] = buf;
			if (len > strlen(base))
				l->user[k] = buf + strlen(base);
		}
		continue;
out_buf:
		free(buf);
		goto out;
	}
	*state = l;
	e = PST_OK;
out:
	if (e != PST_OK)
		acc_lists_fini(l);
	return e;
}

void acc_lists_fini(void *state)
{
	struct acc_lists *l = state;
	size_t k;
	if (!l)
		return;
	for (k = 0; k < ACC_NLISTS; k++)
		free(l->own[k]);
	free(l);
}

const struct pst_analyzer_shared acc_lists_shared = { acc_lists_init, acc_lists_fini };

const char *acc_lists_get(const void *state, enum acc_list which)
{
	const struct acc_lists *l = state;
	return l ? l->list[which] : embedded(which);
}

const char *acc_lists_user(const void *state, enum acc_list which)
{
	const struct acc_lists *l = state;
	return l ? l->user[which] : NULL;
}
