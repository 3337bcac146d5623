/*
 * fsutil.c - the filesystem unpackers' shared pieces (fsutil.h): the sorted
 * id set (binary search, insertion in place) and the zero-filled buffer.
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

bool pst_fs_zeroed(struct pst_obuf *ob, uint64_t size, uint64_t *len)
{
	size_t room = 0;
	uint64_t n = size;

	if (n > ob->max)
		n = ob->max;
	if (n && pst_obuf_grow(ob, (size_t)n, &room) != PST_OK)
		return false;
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
	return true;
}
