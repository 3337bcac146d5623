/*
 * view.h - bounds-checked views over bytes.
 *
 * Every parser reads untrusted input through these: pst_view_at() returns
 * NULL instead of a pointer past the end, and the offset arithmetic cannot
 * overflow. Endian reads are functions, not casts, so alignment and byte
 * order never depend on the host.
 */
#ifndef PST_VIEW_H
#define PST_VIEW_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct pst_view {
	const uint8_t *p;
	size_t len;
};

static inline struct pst_view pst_view_make(const void *p, size_t len)
{
	struct pst_view v = { (const uint8_t *)p, p ? len : 0 };
	return v;
}

/* Pointer to n bytes at off, or NULL when [off, off+n) is not inside v. */
static inline const uint8_t *pst_view_at(struct pst_view v, uint64_t off, uint64_t n)
{
	if (off > v.len || n > v.len - off)
		return NULL;
	return v.p + off;
}

/* The sub-view [off, off+n), clipped to v; empty when off is outside. */
static inline struct pst_view pst_view_sub(struct pst_view v, uint64_t off, uint64_t n)
{
	struct pst_view s = { NULL, 0 };
	if (off > v.len)
		return s;
	s.p = v.p + off;
	s.len = (size_t)(n < v.len - off ? n : v.len - off);
	return s;
}

static inline bool pst_view_has(struct pst_view v, uint64_t off, uint64_t n)
{
	return pst_view_at(v, off, n) != NULL;
}

static inline uint16_t pst_le16(const uint8_t *b) { return (uint16_t)(b[0] | b[1] << 8); }
static inline uint16_t pst_be16(const uint8_t *b) { return (uint16_t)(b[0] << 8 | b[1]); }
static inline uint32_t pst_le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static inline uint32_t pst_be32(const uint8_t *b)
{
	return (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 | (uint32_t)b[0] << 24;
}
/* In the byte order a format's header chose (big-endian when big). */
static inline uint16_t pst_u16e(const uint8_t *b, bool big) { return big ? pst_be16(b) : pst_le16(b); }
static inline uint32_t pst_u32e(const uint8_t *b, bool big) { return big ? pst_be32(b) : pst_le32(b); }
static inline uint64_t pst_le64(const uint8_t *b) { return pst_le32(b) | (uint64_t)pst_le32(b + 4) << 32; }
static inline uint64_t pst_be64(const uint8_t *b) { return (uint64_t)pst_be32(b) << 32 | pst_be32(b + 4); }

/* Checked reads: return false (and leave *out alone) when out of bounds. */
bool pst_view_u8(struct pst_view v, uint64_t off, uint8_t *out);
bool pst_view_le16(struct pst_view v, uint64_t off, uint16_t *out);
bool pst_view_be16(struct pst_view v, uint64_t off, uint16_t *out);
bool pst_view_le32(struct pst_view v, uint64_t off, uint32_t *out);
bool pst_view_be32(struct pst_view v, uint64_t off, uint32_t *out);
bool pst_view_le64(struct pst_view v, uint64_t off, uint64_t *out);
bool pst_view_be64(struct pst_view v, uint64_t off, uint64_t *out);

/* Reads a 16/32/64-bit value in the given byte order (big = true). */
bool pst_view_u16e(struct pst_view v, uint64_t off, bool big, uint16_t *out);
bool pst_view_u32e(struct pst_view v, uint64_t off, bool big, uint32_t *out);
bool pst_view_u64e(struct pst_view v, uint64_t off, bool big, uint64_t *out);

/* memmem within the view from off; returns the offset or -1. A search
 * through more than PST_VIEW_LET_GO bytes goes a step at a time and lets the
 * steps behind it go (pst_view_let_go). */
int64_t pst_view_find(struct pst_view v, uint64_t off, const void *needle, size_t n);

/* Letting pages go as they are read (docs/limits.md, "One accounting"): the
 * walker names, for the thread examining a node, the file mapping its bytes
 * are in (the target's, or a spill file's; pst_view_let_go_in), and a reader
 * going through a large view calls pst_view_let_go on what it has passed.
 * The pages of that part of the mapping leave the process's resident set
 * (MADV_DONTNEED; the data stays in the file and the page cache, a later
 * read finds it there), so a pass over a member far bigger than the budget
 * holds one step of it, not all of it, whether or not the trimmer thread
 * ran meanwhile. Bytes outside the named mapping (heap buffers) are never
 * touched. */
#define PST_VIEW_LET_GO (4u << 20)
/* Names the mapping [p, p+len) for this thread (NULL: none); returns the
 * one named before, to be named again when the caller is done. */
struct pst_view pst_view_let_go_in(struct pst_view map);
void pst_view_let_go(const uint8_t *p, size_t len);

#endif
