/* view.c - checked reads for view.h. */
#include <string.h>
#include "view.h"

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

int64_t pst_view_find(struct pst_view v, uint64_t off, const void *needle, size_t n)
{
	const uint8_t *hit;
	if (off > v.len || n == 0)
		return -1;
	hit = memmem(v.p + off, v.len - (size_t)off, needle, n);
	return hit ? (int64_t)(hit - v.p) : -1;
}
