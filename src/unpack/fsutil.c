/*
 * fsutil.c - the filesystem unpackers' shared pieces (fsutil.h): the sorted
 * id set (binary search, insertion in place), the zero-filled buffer, the
 * entry path (one name rule for every filesystem, issue 23) and the loader
 * context of the formats that map their data nodes at walk time.
 */
#include <stdlib.h>
#include <string.h>
#include "fsutil.h"

bool pst_idset_add(struct pst_idset *s, uint64_t id, enum pst_err *rc)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid] == id)
			return false;
		if (s->v[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 64;
		uint64_t *nv = realloc(s->v, nc * sizeof(*nv));
		if (!nv) {
			*rc = PST_ENOMEM;
			return false;
		}
		s->v = nv;
		s->cap = nc;
	}
	memmove(s->v + lo + 1, s->v + lo, (s->n - lo) * sizeof(*s->v));
	s->v[lo] = id;
	s->n++;
	return true;
}

void pst_idset_free(struct pst_idset *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

enum pst_err pst_fs_zeroed(struct pst_obuf *ob, uint64_t size, uint64_t *len)
{
	size_t room = 0;
	uint64_t n = size;
	enum pst_err e;

	*len = 0;
	if (n > ob->max)
		n = ob->max;
	if (n) {
		e = pst_obuf_grow(ob, (size_t)n, &room);
		if (e != PST_OK)
			return e;
	}
	if (n > room)
		n = room;
	if (n)
		memset(ob->p, 0, (size_t)n);
	ob->len = (size_t)n;
	*len = n;
	/* Less than the file's size: the sink reports the cut (never silent,
	 * even when no room at all was left: a file after a bomb). */
	if (n < size)
		ob->over = true;
	return PST_OK;
}

void *pst_fsctx_new(struct pst_sink *k, size_t size)
{
	struct pst_fsctx *c = calloc(1, size);
	if (!c)
		return NULL;
	if (!pst_slots_init(&c->sl, k, 0)) {
		free(c);
		return NULL;
	}
	return c;
}

void pst_fsctx_ref(void *ctx)
{
	struct pst_fsctx *c = ctx;
	pst_slots_ref(&c->sl);
}

void pst_fsctx_unref(void *ctx)
{
	struct pst_fsctx *c = ctx;
	if (!c || !pst_slots_unref(&c->sl))
		return;
	pst_slots_free(&c->sl);
	free(c->own[0]);
	free(c->own[1]);
	free(c);
}

enum pst_err pst_fspath_init(struct pst_fspath *fp, const struct pst_sink *k)
{
	memset(fp, 0, sizeof(*fp));
	fp->max = k->scan->opts.limits.max_path;
	fp->p = malloc(fp->max + 1);
	if (!fp->p)
		return PST_ENOMEM;
	fp->p[0] = 0;
	return PST_OK;
}

void pst_fspath_free(struct pst_fspath *fp)
{
	free(fp->p);
	fp->p = NULL;
}

const char *pst_fspath_where(const struct pst_fspath *fp)
{
	return fp->len ? fp->p : "/";
}

bool pst_fspath_push(struct pst_fspath *fp, struct pst_sink *k, const void *name, size_t n,
		     size_t *mark)
{
	const char *c = name;
	bool dots = (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.');
	if (n == 0 || dots || memchr(c, '/', n) || memchr(c, 0, n)) {
		pst_sink_damage(k, PST_EFORMAT, "%s: bad entry name", pst_fspath_where(fp));
		return false;
	}
	if (n + 1 > fp->max - fp->len) {
		if (!fp->cut)
			pst_sink_path_cut(k, pst_fspath_where(fp), fp->max);
		fp->cut = true;
		return false;
	}
	*mark = fp->len;
	fp->p[fp->len++] = '/';
	memcpy(fp->p + fp->len, c, n);
	fp->len += n;
	fp->p[fp->len] = 0;
	return true;
}

void pst_fspath_pop(struct pst_fspath *fp, size_t mark)
{
	fp->len = mark;
	fp->p[mark] = 0;
}
