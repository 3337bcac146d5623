/*
 * yara_include.c - `include "file"` in user rule files.
 *
 * Rule files are the user's, not the image's, so an include may name any
 * file the user can read, relative to the including file or absolute. The
 * included files are read here, before compiling, for two reasons: the
 * compiled-rule cache must key on their content too (an edited part must
 * not load yesterday's rules), and the compiler must see exactly the bytes
 * that were hashed, so the include callback serves them from this table
 * instead of opening files itself.
 *
 * libyara tells the callback who includes: the name the top-level file was
 * added under, or, one level down, the include's name as written
 * ("sub/a.yar"), not a path. So the table also remembers which file each
 * written name resolved to; two different files included under the same
 * written name from different directories resolve to the first one read.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"
#include "yara_include.h"

/* Included files in one run, and the nesting of includes followed: a
 * collection's index is one level, a loop must end. */
#define INCL_FILES_MAX 4096u
#define INCL_DEPTH_MAX 16u

struct ientry {
	char *real;
	uint8_t *data;
	size_t len;
};

struct iref {
	char *raw;   /* the name as written */
	char *real;  /* owned by the entry */
};

struct pst_yara_incl {
	struct ientry *e;
	size_t n, cap;
	struct iref *r;
	size_t nr, capr;
};

uint8_t *pst_yara_read_rule_file(const char *path, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	uint8_t *p = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > PST_YARA_RULE_FILE_MAX) {
		snprintf(err, errlen, "not a regular file of at most %u bytes",
			 PST_YARA_RULE_FILE_MAX);
		goto out;
	}
	p = pst_malloc((size_t)st.st_size + 1);
	if (!p) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, p + got, (size_t)st.st_size - got);
		if (r <= 0) {
			snprintf(err, errlen, "read failed");
			free(p);
			p = NULL;
			goto out;
		}
		got += (size_t)r;
	}
	p[got] = 0;
	*len = got;
out:
	close(fd);
	return p;
}

struct pst_yara_incl *pst_yara_incl_new(void)
{
	return pst_calloc(1, sizeof(struct pst_yara_incl));
}

void pst_yara_incl_free(struct pst_yara_incl *t)
{
	size_t i;
	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->e[i].real);
		free(t->e[i].data);
	}
	for (i = 0; i < t->nr; i++)
		free(t->r[i].raw);
	free(t->e);
	free(t->r);
	free(t);
}

static struct ientry *find(const struct pst_yara_incl *t, const char *real)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->e[i].real, real) == 0)
			return &t->e[i];
	return NULL;
}

static const char *raw_to_real(const struct pst_yara_incl *t, const char *raw)
{
	size_t i;
	for (i = 0; i < t->nr; i++)
		if (strcmp(t->r[i].raw, raw) == 0)
			return t->r[i].real;
	return NULL;
}

/* The real path of name as written in the file whose real path is from. */
static char *resolve(const char *from, const char *name)
{
	char cand[PATH_MAX];
	const char *slash = strrchr(from, '/');
	int k;

	if (name[0] == '/')
		k = snprintf(cand, sizeof(cand), "%s", name);
	else if (slash)
		k = snprintf(cand, sizeof(cand), "%.*s/%s", (int)(slash - from), from, name);
	else
		k = snprintf(cand, sizeof(cand), "%s", name);
	if (k < 0 || (size_t)k >= sizeof(cand))
		return NULL;
	return realpath(cand, NULL);
}

/* The next `include "name"` at the start of a line, outside block comments;
 * *p advances past it. Returns the name's length, or 0 at the end. */
static size_t next_include(const char **p, const char *end, const char **name)
{
	const char *s = *p;
	bool in_comment = false;

	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		const char *le = eol ? eol : end, *q = s;
		s = eol ? eol + 1 : end;
		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		if (in_comment || (le - q >= 2 && q[0] == '/' && q[1] == '*')) {
			const char *c = q;
			in_comment = true;
			for (; c + 1 < le; c++)
				if (c[0] == '*' && c[1] == '/')
					in_comment = false;
			continue;
		}
		if (le - q < 9 || memcmp(q, "include", 7) != 0 || (q[7] != ' ' && q[7] != '\t' &&
								    q[7] != '"'))
			continue;
		q += 7;
		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		if (q < le && *q == '"') {
			const char *close = memchr(q + 1, '"', (size_t)(le - q - 1));
			if (close && close > q + 1) {
				*name = q + 1;
				*p = s;
				return (size_t)(close - q - 1);
			}
		}
	}
	*p = end;
	return 0;
}

static bool add_ref(struct pst_yara_incl *t, const char *raw, size_t rawlen, const char *real)
{
	if (!pst_array_grow((void **)&t->r, &t->capr, t->nr, sizeof(*t->r), 16))
		return false;
	t->r[t->nr].raw = pst_strndup(raw, rawlen);
	if (!t->r[t->nr].raw)
		return false;
	t->r[t->nr++].real = (char *)real;
	return true;
}

static bool add_entry(struct pst_yara_incl *t, char *real, struct ientry **out)
{
	char err[128];
	struct ientry *e;
	if (!pst_array_grow((void **)&t->e, &t->cap, t->n, sizeof(*t->e), 16))
		return false;
	e = &t->e[t->n];
	e->real = real;
	e->len = 0;
	e->data = pst_yara_read_rule_file(real, &e->len, err, sizeof(err));
	t->n++;
	*out = e;
	return true;
}

static bool scan_at(struct pst_yara_incl *t, const char *real, const uint8_t *src, size_t len,
		    unsigned depth)
{
	const char *p = (const char *)src, *end = p + len, *name;
	size_t nlen;

	if (depth > INCL_DEPTH_MAX)
		return true;
	while ((nlen = next_include(&p, end, &name)) != 0) {
		char raw[PATH_MAX], *r;
		struct ientry *e;
		if (nlen >= sizeof(raw))
			continue;
		memcpy(raw, name, nlen);
		raw[nlen] = 0;
		r = resolve(real, raw);
		if (!r)
			continue;
		e = find(t, r);
		if (e) {
			free(r);
		} else {
			if (t->n >= INCL_FILES_MAX) {
				free(r);
				continue;
			}
			if (!add_entry(t, r, &e)) {
				free(r);
				return false;
			}
			if (e->data) {
				/* e may move when the table grows: keep its fields */
				const char *er = e->real;
				const uint8_t *ed = e->data;
				size_t el = e->len;
				if (!add_ref(t, raw, nlen, er) || !scan_at(t, er, ed, el, depth + 1))
					return false;
				continue;
			}
		}
		if (!raw_to_real(t, raw) && !add_ref(t, raw, nlen, e->real))
			return false;
	}
	return true;
}

bool pst_yara_incl_scan(struct pst_yara_incl *t, const char *path, const uint8_t *src,
			size_t len)
{
	char *real = realpath(path, NULL);
	bool ok;
	if (!real) {
		pst_oom_errno();
		return true;
	}
	ok = scan_at(t, real, src, len, 0);
	free(real);
	return ok;
}

bool pst_yara_incl_has(const struct pst_yara_incl *t, const char *path)
{
	char *real = realpath(path, NULL);
	bool has = real && find(t, real) != NULL;
	free(real);
	return has;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ientry *)a)->real, ((const struct ientry *)b)->real);
}

void pst_yara_incl_digest(struct pst_yara_incl *t,
			  void (*feed)(void *ctx, const void *p, size_t len), void *ctx)
{
	size_t i;
	/* refs point at the entries' strings, not at the entries: sorting is safe */
	if (t->n)
		qsort(t->e, t->n, sizeof(*t->e), entry_cmp);
	for (i = 0; i < t->n; i++) {
		uint64_t len = t->e[i].data ? t->e[i].len : UINT64_MAX;
		feed(ctx, t->e[i].real, strlen(t->e[i].real) + 1);
		feed(ctx, &len, sizeof(len));
		if (t->e[i].data)
			feed(ctx, t->e[i].data, t->e[i].len);
	}
}

const char *pst_yara_incl_callback(const char *name, const char *caller, const char *ns,
				   void *user)
{
	const struct pst_yara_incl *t = user;
	const char *from = NULL;
	const struct ientry *e;
	char *real;

	(void)ns;
	if (caller && caller[0] == '/')
		from = caller;
	else if (caller)
		from = raw_to_real(t, caller);
	if (!from && name[0] != '/')
		return NULL;
	real = resolve(from ? from : "/", name);
	if (!real)
		return NULL;
	e = find(t, real);
	free(real);
	return e && e->data ? (const char *)e->data : NULL;
}

void pst_yara_incl_release(const char *p, void *user)
{
	(void)p;
	(void)user;
}
