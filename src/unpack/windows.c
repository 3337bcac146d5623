/*
 * windows.c - the windows of the decoders libarchive runs itself, read from
 * the compressed data's headers before libarchive gets it: an rpm payload's
 * xz (tukaani.org/xz/xz-file-format.txt), lzma-alone (the 13-byte header of
 * LZMA SDK's lzma.txt) or zstd (RFC 8878) stream.
 *
 * libarchive 3.6 gives liblzma no memory limit, so an xz block may declare a
 * dictionary of up to 4 GiB and liblzma allocates it at once; its pages are
 * written only as output fills them, so what is resident is at most
 * min(dictionary, bytes decoded). libzstd does the same with its window
 * (at most 128 MiB, its default windowLogMax of 27) and never passes the
 * frame's content size. The charge is that minimum, taken for as long as the
 * payload is decoded.
 *
 * The bound on the bytes decoded must be one the decoder enforces, not one
 * it checks afterwards: xz's index lists every block's uncompressed size but
 * liblzma compares it only once every block was decoded, so a stream that
 * lies there decodes its whole dictionary first. The walk here goes forward
 * through the stream as liblzma does and adds up the uncompressed sizes the
 * LZMA2 chunk headers declare (liblzma stops a chunk at its size; 2 MiB at
 * most each); lzma-alone's header size and zstd's frame content size are
 * enforced likewise, and a zstd frame without one is bounded by its blocks'
 * sizes. Where the walk cannot go on, the bound covers the chunk or block it
 * stopped in; a block header that cannot be read counts as
 * PST_WINDOW_DEFAULT with no bound.
 */
#include <string.h>
#include "windows.h"

#define XZ_HEADER 12u
#define LZMA2_ID 0x21u
#define LZMA1_ID 0x4000000000000001ull /* liblzma's own, accepted in .xz blocks */
#define LZMA2_CHUNK_MAX (2u << 20)
#define ZSTD_WINDOW_MAX (1ull << 27)
#define ZSTD_BLOCK_MAX (128u << 10)

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t pst_window_resident(const struct pst_window *w)
{
	return min64(w->dict, w->out);
}

/* ---- xz ---- */

/* A variable-length integer (at most 9 bytes, 63 bits) at *off. */
static bool vli(struct pst_view v, uint64_t *off, uint64_t *out)
{
	uint64_t x = 0;
	unsigned i;
	for (i = 0; i < 9; i++) {
		const uint8_t *b = pst_view_at(v, *off + i, 1);
		if (!b)
			return false;
		x |= (uint64_t)(b[0] & 0x7f) << (7 * i);
		if (!(b[0] & 0x80)) {
			*off += i + 1;
			*out = x;
			return i == 0 || b[0] != 0; /* liblzma refuses a padded one */
		}
	}
	return false;
}

/* LZMA2's dictionary property: 2 or 3 times 2^(p/2 + 11), 40 the 4 GiB - 1. */
static uint64_t lzma2_dict(uint8_t p)
{
	if (p > 40)
		return 0;
	if (p == 40)
		return UINT32_MAX;
	return (uint64_t)(2u | (p & 1u)) << (p / 2u + 11u);
}

/* How the last filter of a block decodes: the walk knows LZMA2's chunks;
 * LZMA1 (liblzma's own ID) has no sizes to walk. */
enum last { LAST_LZMA2, LAST_LZMA1, LAST_OTHER };

/* Reads the block header at off (its size byte is not 0); *data gets where
 * the block's data start and *dict the last filter's dictionary. */
static bool xz_block_header(struct pst_view v, uint64_t off, uint64_t *data, uint64_t *dict,
			    enum last *last)
{
	const uint8_t *h = pst_view_at(v, off, 2);
	uint64_t size, pos, end, id = 0, psize = 0;
	unsigned nfilt, i;

	if (!h || (h[1] & 0x3c))
		return false;
	size = ((uint64_t)h[0] + 1) * 4;
	if (!pst_view_has(v, off, size))
		return false;
	end = off + size - 4; /* the CRC32 ends it */
	nfilt = (h[1] & 3u) + 1;
	pos = off + 2;
	if ((h[1] & 0x40) && !vli(v, &pos, &psize)) /* compressed size */
		return false;
	if ((h[1] & 0x80) && !vli(v, &pos, &psize)) /* uncompressed size */
		return false;
	for (i = 0; i < nfilt; i++) {
		if (!vli(v, &pos, &id) || !vli(v, &pos, &psize) || pos > end || psize > end - pos)
			return false;
		pos += psize;
	}
	*last = LAST_OTHER;
	*dict = 0;
	if (id == LZMA2_ID && psize == 1) {
		*last = LAST_LZMA2;
		*dict = lzma2_dict(v.p[pos - 1]);
	} else if (id == LZMA1_ID && psize == 5) {
		*last = LAST_LZMA1;
		*dict = pst_le32(v.p + pos - 4);
	}
	*data = off + size;
	return true;
}

/* Walks the LZMA2 chunks from off: *out gets the bytes they decode to (the
 * chunk the walk stopped in counted whole), *end where the end marker is
 * passed; false when the walk stopped before one (damage, cut short). */
static bool lzma2_chunks(struct pst_view v, uint64_t off, uint64_t *out, uint64_t *end)
{
	uint64_t sum = 0;

	for (;;) {
		const uint8_t *c = pst_view_at(v, off, 1);
		uint64_t usize, skip;
		if (!c)
			break;
		if (c[0] == 0) {
			*out = sum;
			*end = off + 1;
			return true;
		}
		if (c[0] >= 0x80) {
			const uint8_t *h = pst_view_at(v, off, 5);
			usize = (uint64_t)(c[0] & 0x1f) << 16;
			usize += h ? (uint64_t)pst_be16(h + 1) + 1 : LZMA2_CHUNK_MAX;
			skip = h ? 5u + (c[0] >= 0xc0) + (uint64_t)pst_be16(h + 3) + 1 : 0;
		} else if (c[0] <= 2) {
			const uint8_t *h = pst_view_at(v, off, 3);
			usize = h ? (uint64_t)pst_be16(h + 1) + 1 : 0x10000;
			skip = h ? 3u + usize : 0;
		} else {
			break; /* liblzma stops at a control byte it does not know */
		}
		sum = add_sat(sum, usize);
		if (!skip || !pst_view_has(v, off, skip))
			break; /* cut short inside this chunk, counted whole */
		off += skip;
	}
	*out = sum;
	return false;
}

/* The check's size for the stream flags' check type (0: none). */
static uint64_t xz_check_size(uint8_t type)
{
	return type ? 4u << ((type - 1u) / 3u) : 0;
}

/* Passes the index at off (its indicator byte) and the stream footer; *next
 * gets the offset after them. */
static bool xz_index(struct pst_view v, uint64_t off, uint64_t *next)
{
	uint64_t pos = off + 1, n, i, x;
	if (!vli(v, &pos, &n))
		return false;
	for (i = 0; i < n; i++)
		if (!vli(v, &pos, &x) || !vli(v, &pos, &x))
			return false;
	pos = ((pos - off + 3) & ~(uint64_t)3) + off + 4 + 12; /* padding, CRC32, footer */
	if (!pst_view_has(v, off, pos - off))
		return false;
	*next = pos;
	return true;
}

/* One stream from off; *next gets where a concatenated one may start, 0
 * when the walk cannot go past this one. */
static void xz_stream(struct pst_view v, uint64_t off, struct pst_window *w, uint64_t *next)
{
	const uint8_t *h = pst_view_at(v, off, XZ_HEADER);
	uint64_t pos = off + XZ_HEADER, check;

	*next = 0;
	if (!h || memcmp(h, "\xfd" "7zXZ\0", 6) != 0 || h[6] != 0 || (h[7] & 0xf0))
		return; /* liblzma refuses it (or, past the first, the bytes after it) */
	check = xz_check_size(h[7] & 0x0f);
	for (;;) {
		const uint8_t *b = pst_view_at(v, pos, 1);
		uint64_t data, dict = 0, out = 0, end = 0;
		enum last last = LAST_OTHER;
		bool whole;
		if (!b)
			return; /* cut short between blocks: nothing more decodes */
		if (b[0] == 0) {
			if (xz_index(v, pos, next) == false)
				*next = 0;
			return;
		}
		if (!xz_block_header(v, pos, &data, &dict, &last)) {
			w->guessed = true;
			w->dict = w->dict > PST_WINDOW_DEFAULT ? w->dict : PST_WINDOW_DEFAULT;
			w->out = UINT64_MAX;
			return;
		}
		if (dict > w->dict)
			w->dict = dict;
		if (last != LAST_LZMA2) {
			if (last == LAST_LZMA1)
				w->out = UINT64_MAX; /* no sizes: the dictionary bounds it */
			return; /* another last filter: liblzma refuses the block */
		}
		whole = lzma2_chunks(v, data, &out, &end);
		w->out = w->out == UINT64_MAX ? UINT64_MAX : add_sat(w->out, out);
		if (!whole)
			return;
		/* block padding to four bytes, then the check */
		pos = ((end - off + 3) & ~(uint64_t)3) + off;
		if (!pst_view_has(v, pos, check))
			return;
		pos += check;
	}
}

bool pst_window_xz(struct pst_view v, struct pst_window *w)
{
	uint64_t off = 0, next;
	const uint8_t *h = pst_view_at(v, 0, 6);

	if (!h || memcmp(h, "\xfd" "7zXZ\0", 6) != 0)
		return false;
	memset(w, 0, sizeof(*w));
	w->codec = "xz";
	/* libarchive decodes concatenated streams (LZMA_CONCATENATED), with
	 * stream padding (zeros, in fours) between them */
	for (;;) {
		xz_stream(v, off, w, &next);
		if (!next || w->out == UINT64_MAX)
			break;
		while (pst_view_has(v, next, 4) && pst_le32(v.p + next) == 0)
			next += 4;
		if (!pst_view_has(v, next, 6))
			break;
		off = next;
	}
	return true;
}

/* ---- lzma-alone ---- */

bool pst_window_lzma(struct pst_view v, struct pst_window *w)
{
	const uint8_t *h = pst_view_at(v, 0, 13);
	uint64_t size;

	/* lc, lp and pb packed as (pb * 5 + lp) * 9 + lc, at most 224 */
	if (!h || h[0] > 224)
		return false;
	memset(w, 0, sizeof(*w));
	w->codec = "lzma";
	w->dict = pst_le32(h + 1);
	if (w->dict < 4096)
		w->dict = 4096; /* liblzma's smallest */
	size = pst_le64(h + 5);
	w->out = size; /* all ones: not known, UINT64_MAX */
	return true;
}

/* ---- zstd ---- */

/* One frame's header at off: *window and *fcs (UINT64_MAX: none); *hlen
 * gets the header's length. */
static bool zstd_header(struct pst_view v, uint64_t off, uint64_t *window, uint64_t *fcs,
			uint64_t *hlen, bool *checksum)
{
	static const uint8_t did_len[4] = { 0, 1, 2, 4 };
	const uint8_t *h = pst_view_at(v, off, 5);
	uint64_t pos;
	unsigned fcs_len, fhd;
	bool single;

	if (!h)
		return false;
	fhd = h[4];
	if (fhd & 0x08)
		return false; /* the reserved bit */
	single = (fhd & 0x20) != 0;
	fcs_len = fhd >> 6 ? 1u << (fhd >> 6) : single;
	*checksum = (fhd & 0x04) != 0;
	pos = off + 5;
	*window = 0;
	if (!single) {
		const uint8_t *wd = pst_view_at(v, pos, 1);
		uint64_t base;
		if (!wd)
			return false;
		base = 1ull << (10 + (wd[0] >> 3));
		*window = base + base / 8 * (wd[0] & 7u);
		pos++;
	}
	pos += did_len[fhd & 3];
	h = pst_view_at(v, pos, fcs_len);
	if (!h)
		return false;
	*fcs = UINT64_MAX;
	if (fcs_len == 1)
		*fcs = h[0];
	else if (fcs_len == 2)
		*fcs = (uint64_t)pst_le16(h) + 256;
	else if (fcs_len == 4)
		*fcs = pst_le32(h);
	else if (fcs_len == 8)
		*fcs = pst_le64(h);
	if (single)
		*window = *fcs;
	*hlen = pos + fcs_len - off;
	return true;
}

/* The frame's blocks from off: *out gets the most they decode to (a block
 * the walk stopped in counted at the most a block holds), *end the offset
 * after the last one. */
static bool zstd_blocks(struct pst_view v, uint64_t off, uint64_t bmax, uint64_t *out,
			uint64_t *end)
{
	uint64_t sum = 0;
	for (;;) {
		const uint8_t *b = pst_view_at(v, off, 3);
		uint32_t bh;
		uint64_t size, skip;
		if (!b)
			break;
		bh = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16;
		size = bh >> 3;
		if (((bh >> 1) & 3) == 3)
			break; /* reserved block type: libzstd stops */
		/* raw and RLE blocks decode to their size; compressed ones to at
		 * most the block maximum */
		sum = add_sat(sum, ((bh >> 1) & 3) == 2 ? bmax : size);
		skip = 3 + (((bh >> 1) & 3) == 1 ? 1 : size);
		if (!pst_view_has(v, off, skip))
			break;
		off += skip;
		if (bh & 1) {
			*out = sum;
			*end = off;
			return true;
		}
	}
	*out = sum;
	return false;
}

bool pst_window_zstd(struct pst_view v, struct pst_window *w)
{
	uint64_t off = 0;
	const uint8_t *h = pst_view_at(v, 0, 4);

	if (!h || pst_le32(h) != 0xfd2fb528u)
		return false;
	memset(w, 0, sizeof(*w));
	w->codec = "zstd";
	/* libzstd decodes frame after frame, reusing its buffers when big
	 * enough: the largest frame's min(window, content) is resident */
	for (;;) {
		uint64_t window = 0, fcs = 0, hlen = 0, out = 0, end = 0, use;
		bool checksum = false, whole;
		h = pst_view_at(v, off, 8);
		if (!h)
			break;
		if ((pst_le32(h) & 0xfffffff0u) == 0x184d2a50u) { /* a skippable frame */
			uint64_t n = pst_le32(h + 4);
			if (!pst_view_has(v, off, 8 + n))
				break;
			off += 8 + n;
			continue;
		}
		if (pst_le32(h) != 0xfd2fb528u ||
		    !zstd_header(v, off, &window, &fcs, &hlen, &checksum))
			break;
		if (window > ZSTD_WINDOW_MAX)
			window = ZSTD_WINDOW_MAX; /* libzstd refuses more; do not rely on it */
		whole = zstd_blocks(v, off + hlen, min64(window, ZSTD_BLOCK_MAX), &out, &end);
		use = min64(window, min64(fcs, out));
		if (use > pst_window_resident(w)) {
			w->dict = window;
			w->out = min64(fcs, out);
		}
		if (!whole)
			break;
		off = end + (checksum ? 4 : 0);
	}
	return true;
}

/* ---- rpm payloads ---- */

struct pst_view pst_window_rpm_payload(struct pst_view in)
{
	struct pst_view none = { NULL, 0 };
	uint64_t off = 96;

	for (;;) {
		const uint8_t *h;
		uint64_t n, size;
		while (pst_view_has(in, off, 1) && in.p[off] == 0)
			off++;
		h = pst_view_at(in, off, 16);
		if (!h || memcmp(h, "\x8e\xad\xe8", 3) != 0)
			break;
		n = pst_be32(h + 8);
		size = 16 + n * 16 + pst_be32(h + 12); /* both 32-bit: no overflow */
		if (!pst_view_has(in, off, size))
			return none;
		off += size;
	}
	return pst_view_sub(in, off, in.len);
}

bool pst_window_payload(struct pst_view payload, struct pst_window *w)
{
	const uint8_t *h = pst_view_at(payload, 0, 4);

	if (!h)
		return false;
	/* the codecs of small fixed state, and an uncompressed cpio payload,
	 * before lzma-alone, which has no magic */
	if (memcmp(h, "\x1f\x8b", 2) == 0 || memcmp(h, "BZh", 3) == 0 ||
	    memcmp(h, "\x04\x22\x4d\x18", 4) == 0 || memcmp(h, "0707", 4) == 0 ||
	    memcmp(h, "\xc7\x71", 2) == 0 || memcmp(h, "\x71\xc7", 2) == 0)
		return false;
	return pst_window_xz(payload, w) || pst_window_zstd(payload, w) ||
	       pst_window_lzma(payload, w);
}

/* ---- the charge ---- */

bool pst_window_hold(struct pst_sink *k, struct pst_view in, enum pst_ar_fmt fmt,
		     struct pst_obuf *w)
{
	struct pst_window win;

	if (fmt != PST_AR_RPM || !pst_window_payload(pst_window_rpm_payload(in), &win))
		return true;
	return pst_sink_window(k, w, pst_window_resident(&win), win.codec);
}
