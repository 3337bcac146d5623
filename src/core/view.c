/* view.c - checked reads for view.h, and letting read pages go. */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "view.h"

/* The file mapping this thread's examined bytes are in (pst_view_let_go_in). */
static _Thread_local struct pst_view let_go_map;

bool pst_view_u8(struct pst_view v, uint64_t off, uint8_t *out)
{
	const uint8_t *b = pst_view_at(v, off, 1);
	if (!b)
		return false;
	*out = b[0];
	return true;
}

#define PST_VIEW_READ(fn, type, width, conv)                                  \
	bool fn(struct pst_view v, uint64_t off, type *out)                   \
	{                                                                     \
		const uint8_t *b = pst_view_at(v, off, width);                \
		if (!b)                                                       \
			return false;                                         \
		*out = conv(b);                                               \
		return true;                                                  \
	}

PST_VIEW_READ(pst_view_le16, uint16_t, 2, pst_le16)
PST_VIEW_READ(pst_view_be16, uint16_t, 2, pst_be16)
PST_VIEW_READ(pst_view_le32, uint32_t, 4, pst_le32)
PST_VIEW_READ(pst_view_be32, uint32_t, 4, pst_be32)
PST_VIEW_READ(pst_view_le64, uint64_t, 8, pst_le64)
PST_VIEW_READ(pst_view_be64, uint64_t, 8, pst_be64)

bool pst_view_u16e(struct pst_view v, uint64_t off, bool big, uint16_t *out)
{
	return big ? pst_view_be16(v, off, out) : pst_view_le16(v, off, out);
}

bool pst_view_u32e(struct pst_view v, uint64_t off, bool big, uint32_t *out)
{
	return big ? pst_view_be32(v, off, out) : pst_view_le32(v, off, out);
}

bool pst_view_u64e(struct pst_view v, uint64_t off, bool big, uint64_t *out)
{
	return big ? pst_view_be64(v, off, out) : pst_view_le64(v, off, out);
}

struct pst_view pst_view_let_go_in(struct pst_view map)
{
	struct pst_view old = let_go_map;
	let_go_map = map;
	return old;
}

void pst_view_let_go(const uint8_t *p, size_t len)
{
	const uint8_t *m = let_go_map.p;
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t a, z;

	if (!m || !p || page <= 0 || p < m || (size_t)(p - m) >= let_go_map.len)
		return;
	if (len > let_go_map.len - (size_t)(p - m))
		len = let_go_map.len - (size_t)(p - m);
	/* whole pages only: a page partly before p may still be read */
	a = ((uintptr_t)p + (uintptr_t)page - 1) / (uintptr_t)page * (uintptr_t)page;
	z = ((uintptr_t)p + len) / (uintptr_t)page * (uintptr_t)page;
	if (z > a)
		madvise((void *)a, z - a, MADV_DONTNEED);
}

/* memmem for a two-byte needle. glibc's goes on a byte at a time after the
 * first byte's first occurrence (the keys analyzer's "02 01" over every file
 * was 2.4 % of the router bench's CPU); memchr jumps from candidate to
 * candidate, and a few bytes looked at after each keep runs of the first
 * byte from costing a call apiece. */
static const uint8_t *find2(const uint8_t *p, size_t len, const uint8_t *nd)
{
	size_t i = 0, k;
	while (len >= 2 && i < len - 1) {
		const uint8_t *q = memchr(p + i, nd[0], len - 1 - i);
		if (!q)
			return NULL;
		i = (size_t)(q - p);
		for (k = 0; k < 16 && i < len - 1; k++, i++)
			if (p[i] == nd[0] && p[i + 1] == nd[1])
				return p + i;
	}
	return NULL;
}

int64_t pst_view_find(struct pst_view v, uint64_t off, const void *needle, size_t n)
{
	const uint8_t *hit = NULL;
	size_t at;

	if (off > v.len || n == 0)
		return -1;
	/* a step at a time, each overlapping the next by n - 1 bytes, so the
	 * first match is found as by one memmem */
	for (at = (size_t)off; !hit && at < v.len && v.len - at >= n; at += PST_VIEW_LET_GO) {
		size_t k = v.len - at;
		if (k > PST_VIEW_LET_GO + n - 1)
			k = PST_VIEW_LET_GO + n - 1;
		hit = n == 2 ? find2(v.p + at, k, needle) : memmem(v.p + at, k, needle, n);
		if (!hit && k == PST_VIEW_LET_GO + n - 1)
			pst_view_let_go(v.p + at, PST_VIEW_LET_GO);
	}
	return hit ? (int64_t)(hit - v.p) : -1;
}
