/*
 * access.c - helpers shared by the access-path analyzers (see access.h).
 */
#include <string.h>
#include "access.h"

bool acc_next_line(struct pst_view v, uint64_t *pos, struct acc_line *out)
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
	if (out->len > ACC_LINE_MAX)
		out->len = ACC_LINE_MAX;
	*pos += len + (nl ? 1 : 0);
	return true;
}

const char *acc_base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

bool acc_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
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

static bool in_list(const char *name, const char *const *list)
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
	return in_list(acc_base(name), shells);
}

bool acc_is_interpreter(const char *name)
{
	static const char *const interps[] = { "python", "python2", "python3", "perl", "ruby",
		"lua", "php", "node", "nodejs", "tclsh", "wish", "expect", "awk", "gawk",
		"mawk", "nawk", "busybox", "env", "pwsh", "guile", "irb", NULL };
	const char *b = acc_base(name);
	if (in_list(b, interps))
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
	return shell[0] && in_list(acc_base(shell), no);
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
