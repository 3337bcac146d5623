/*
 * windows.c - the windows of the decoders libarchive runs itself, read from
 * the compressed data's headers before libarchive gets it: an rpm payload's
 * xz (tukaani.org/xz/xz-file-format.txt), lzma-alone (the 13-byte header of
 * LZMA SDK's lzma.txt) or zstd (RFC 8878) stream, a 7z's folders and a zip's
 * members (below).
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
#include <lzma.h>
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

/* ---- 7z ---- */

/*
 * 7z (7-Zip's doc/7zFormat.txt): the header lists folders, each a chain of
 * coders with their properties, and every coder's output size. libarchive
 * decodes one folder at a time: LZMA and LZMA2 through liblzma with the
 * dictionary the properties declare (no memory limit), PPMd with the model
 * size they declare; the three side streams of BCJ2 it decodes whole into
 * buffers of their declared sizes first. A folder holds, at most, the sum of
 * min(window, output) over its coders plus those buffers; the charge is the
 * largest folder's. libarchive stops each folder at its declared size. A
 * header stored encoded (7-Zip's default) is decoded here first, when its
 * one coder is LZMA or LZMA2 (what 7-Zip writes) and it is no bigger than
 * SZ_HEADER_MAX; any other is not read: PST_WINDOW_DEFAULT, guessed.
 */
#define SZ_HEADER_MAX (16u << 20)
#define SZ_CODERS_MAX 32u /* libarchive takes at most 4 coders a folder */

/* 7z's NUMBER: the leading one bits of the first byte count the bytes that
 * follow (little-endian), its other bits are the value's high bits. */
static bool sz_num(struct pst_view v, uint64_t *pos, uint64_t *out)
{
	const uint8_t *b = pst_view_at(v, *pos, 1);
	uint64_t x = 0;
	unsigned i, mask = 0x80;
	if (!b)
		return false;
	for (i = 0; i < 8; i++, mask >>= 1) {
		const uint8_t *n;
		if (!(b[0] & mask)) {
			x |= (uint64_t)(b[0] & (mask - 1)) << (8 * i);
			break;
		}
		n = pst_view_at(v, *pos + 1 + i, 1);
		if (!n)
			return false;
		x |= (uint64_t)n[0] << (8 * i);
	}
	*pos += 1 + i;
	*out = x;
	return true;
}

static bool sz_byte(struct pst_view v, uint64_t *pos, uint8_t *out)
{
	const uint8_t *b = pst_view_at(v, *pos, 1);
	if (!b)
		return false;
	*out = b[0];
	(*pos)++;
	return true;
}

struct sz_coder {
	uint8_t id[4];
	unsigned idlen, nin, nout;
	struct pst_view props;
};

static bool sz_is(const struct sz_coder *c, const char *id, unsigned n)
{
	return c->idlen == n && memcmp(c->id, id, n) == 0;
}

/* The window a coder keeps, from its properties (0: small and fixed). */
static uint64_t sz_window(const struct sz_coder *c)
{
	if (sz_is(c, "\x03\x01\x01", 3) && c->props.len >= 5) /* LZMA */
		return pst_le32(c->props.p + 1) < 4096 ? 4096 : pst_le32(c->props.p + 1);
	if (sz_is(c, "\x21", 1) && c->props.len >= 1) /* LZMA2 */
		return lzma2_dict(c->props.p[0]);
	if (sz_is(c, "\x03\x04\x01", 3) && c->props.len >= 5) /* PPMd: the model */
		return pst_le32(c->props.p + 1);
	return 0;
}

/* One folder at *pos: its coders into c (*n of them) and where its bind
 * pairs start; *nout its output streams. */
static bool sz_folder(struct pst_view v, uint64_t *pos, struct sz_coder *c, unsigned *n,
		      unsigned *nin, unsigned *nout, uint64_t *binds)
{
	uint64_t nc, x, i;
	*nin = *nout = 0;
	if (!sz_num(v, pos, &nc) || nc == 0 || nc > SZ_CODERS_MAX)
		return false;
	for (i = 0; i < nc; i++) {
		uint8_t flag;
		uint64_t in = 1, out = 1, plen = 0;
		const uint8_t *id;
		if (!sz_byte(v, pos, &flag) || (flag & 0x80))
			return false; /* alternative methods: libarchive refuses them */
		id = pst_view_at(v, *pos, flag & 0x0f);
		if (!id)
			return false;
		memset(&c[i], 0, sizeof(c[i]));
		c[i].idlen = (flag & 0x0f) > 4 ? 4 : flag & 0x0f;
		memcpy(c[i].id, id, c[i].idlen);
		*pos += flag & 0x0f;
		if ((flag & 0x10) && (!sz_num(v, pos, &in) || !sz_num(v, pos, &out) ||
				      in > SZ_CODERS_MAX || out > SZ_CODERS_MAX))
			return false;
		if ((flag & 0x20) && (!sz_num(v, pos, &plen) || !pst_view_has(v, *pos, plen)))
			return false;
		c[i].props = pst_view_sub(v, *pos, plen);
		*pos += plen;
		c[i].nin = (unsigned)in;
		c[i].nout = (unsigned)out;
		*nin += (unsigned)in;
		*nout += (unsigned)out;
	}
	*n = (unsigned)nc;
	*binds = *pos;
	if (*nout == 0 || *nout > SZ_CODERS_MAX)
		return false;
	for (i = 0; i + 1 < *nout; i++) /* a bind pair per output but the last */
		if (!sz_num(v, pos, &x) || !sz_num(v, pos, &x))
			return false;
	if (*nin < *nout - 1)
		return false;
	if (*nin - (*nout - 1) > 1) /* the packed streams' indices */
		for (i = 0; i < *nin - (*nout - 1); i++)
			if (!sz_num(v, pos, &x))
				return false;
	return true;
}

/* The size of the output stream bound to input `in`, 0 when none is. */
static uint64_t sz_bound(struct pst_view v, uint64_t binds, unsigned nout, unsigned in,
			 const uint64_t *size)
{
	uint64_t i, bi = 0, bo = 0;
	for (i = 0; i + 1 < nout; i++) {
		if (!sz_num(v, &binds, &bi) || !sz_num(v, &binds, &bo))
			return 0;
		if (bi == in && bo < nout)
			return size[bo];
	}
	return 0;
}

/* What one folder holds: min(window, output) per coder, plus BCJ2's side
 * streams buffered whole. */
static uint64_t sz_charge(struct pst_view v, const struct sz_coder *c, unsigned n,
			  unsigned nout, uint64_t binds, const uint64_t *size)
{
	uint64_t sum = 0;
	unsigned i, in = 0, out = 0, k;
	for (i = 0; i < n; i++) {
		uint64_t most = 0;
		for (k = 0; k < c[i].nout; k++)
			most = size[out + k] > most ? size[out + k] : most;
		sum = add_sat(sum, min64(sz_window(&c[i]), most));
		if (sz_is(&c[i], "\x03\x03\x01\x1b", 4))
			for (k = 1; k < c[i].nin; k++)
				sum = add_sat(sum, sz_bound(v, binds, nout, in + k, size));
		in += c[i].nin;
		out += c[i].nout;
	}
	return sum;
}

/* What the first folder of an encoded header is, to decode it. */
struct sz_first {
	struct sz_coder coder;
	unsigned ncoders;
	uint64_t pack_pos, pack_size, size;
};

/* Walks the folders of an UnpackInfo (after its kFolder byte) twice: once
 * to their sizes, then with them; w gets the largest folder's charge. */
static bool sz_unpack_info(struct pst_view v, uint64_t *pos, struct pst_window *w,
			   struct sz_first *first)
{
	struct sz_coder c[SZ_CODERS_MAX];
	uint64_t nf, i, at, sizes, binds = 0;
	unsigned n = 0, nin = 0, nout = 0, k;
	uint8_t b;

	if (!sz_num(v, pos, &nf) || !sz_byte(v, pos, &b) || b != 0)
		return false; /* folders kept elsewhere ("external"): libarchive refuses */
	at = *pos;
	for (i = 0; i < nf; i++)
		if (!sz_folder(v, pos, c, &n, &nin, &nout, &binds))
			return false;
	if (!sz_byte(v, pos, &b) || b != 0x0c)
		return false;
	sizes = *pos;
	for (i = 0; i < nf; i++) {
		uint64_t size[SZ_CODERS_MAX], charge;
		if (!sz_folder(v, &at, c, &n, &nin, &nout, &binds))
			return false;
		for (k = 0; k < nout; k++)
			if (!sz_num(v, &sizes, &size[k]))
				return false;
		charge = sz_charge(v, c, n, nout, binds, size);
		if (charge > w->dict)
			w->dict = w->out = charge;
		if (i == 0 && first) {
			first->coder = c[0];
			first->ncoders = n;
			first->size = size[0];
		}
	}
	*pos = sizes;
	return true;
}

/* Digests of n streams: all-defined, or a bit each, then a CRC32 each. */
static bool sz_digests(struct pst_view v, uint64_t *pos, uint64_t n)
{
	uint64_t defined = n, i;
	uint8_t all;
	if (!sz_byte(v, pos, &all))
		return false;
	if (!all) {
		const uint8_t *bits = pst_view_at(v, *pos, n / 8 + (n % 8 != 0));
		if (!bits)
			return false;
		for (defined = 0, i = 0; i < n; i++)
			defined += (bits[i / 8] >> (7 - i % 8)) & 1u;
		*pos += n / 8 + (n % 8 != 0);
	}
	if (defined > v.len / 4 || !pst_view_has(v, *pos, defined * 4))
		return false;
	*pos += defined * 4;
	return true;
}

/* StreamsInfo at *pos: PackInfo (the first pack stream's place, for an
 * encoded header), then UnpackInfo; SubStreamsInfo is not needed. */
static bool sz_streams(struct pst_view v, uint64_t *pos, struct pst_window *w,
		       struct sz_first *first)
{
	uint8_t id;
	uint64_t x, npack = 0, i;
	if (!sz_byte(v, pos, &id))
		return false;
	if (id == 0x06) {
		if (!sz_num(v, pos, &x) || !sz_num(v, pos, &npack) || !sz_byte(v, pos, &id))
			return false;
		if (first)
			first->pack_pos = x;
		if (id == 0x09) {
			for (i = 0; i < npack; i++) {
				if (!sz_num(v, pos, &x))
					return false;
				if (i == 0 && first)
					first->pack_size = x;
			}
			if (!sz_byte(v, pos, &id))
				return false;
		}
		if (id == 0x0a && (!sz_digests(v, pos, npack) || !sz_byte(v, pos, &id)))
			return false;
		if (id != 0 || !sz_byte(v, pos, &id))
			return false;
	}
	if (id != 0x07 || !sz_byte(v, pos, &id) || id != 0x0b)
		return false;
	return sz_unpack_info(v, pos, w, first);
}

/* The header (kHeader) at v: its main streams' folders. Additional streams
 * (which 7-Zip never writes) are not read. */
static bool sz_header(struct pst_view v, struct pst_window *w)
{
	uint64_t pos = 0, n;
	uint8_t id;
	if (!sz_byte(v, &pos, &id) || id != 0x01 || !sz_byte(v, &pos, &id))
		return false;
	if (id == 0x02) { /* archive properties: skipped */
		for (;;) {
			if (!sz_byte(v, &pos, &id))
				return false;
			if (id == 0)
				break;
			if (!sz_num(v, &pos, &n) || !pst_view_has(v, pos, n))
				return false;
			pos += n;
		}
		if (!sz_byte(v, &pos, &id))
			return false;
	}
	if (id == 0x04)
		return sz_streams(v, &pos, w, NULL);
	return id == 0x05 || id == 0; /* files without content, or nothing */
}

/* Decodes the encoded header's one folder (LZMA or LZMA2) from src into
 * buf, with a dictionary no larger than the header (a bigger one would
 * never be used), charged to buf. *roomless: not tried, no memory for it. */
static bool sz_decode(struct pst_view src, const struct sz_first *f, struct pst_obuf *buf,
		      bool *roomless)
{
	lzma_filter fl[2];
	lzma_options_lzma opt;
	lzma_stream z = LZMA_STREAM_INIT;
	uint64_t dict = min64(sz_window(&f->coder), f->size);
	size_t room = 0;
	bool ok;

	memset(&opt, 0, sizeof(opt));
	opt.dict_size = dict < 4096 ? 4096 : (uint32_t)dict;
	if (sz_is(&f->coder, "\x03\x01\x01", 3) && f->coder.props.len >= 5 &&
	    f->coder.props.p[0] <= 224) {
		fl[0].id = LZMA_FILTER_LZMA1;
		opt.lc = f->coder.props.p[0] % 9u;
		opt.lp = f->coder.props.p[0] / 9u % 5u;
		opt.pb = f->coder.props.p[0] / 45u;
	} else if (sz_is(&f->coder, "\x21", 1) && sz_window(&f->coder)) {
		fl[0].id = LZMA_FILTER_LZMA2;
	} else {
		return false;
	}
	fl[0].options = &opt;
	fl[1].id = LZMA_VLI_UNKNOWN;
	fl[1].options = NULL;
	/* no room for it (the budget, out of memory): not decoded, the guess */
	if (pst_obuf_charge(buf, opt.dict_size) != PST_OK ||
	    pst_obuf_grow(buf, (size_t)f->size, &room) != PST_OK || room < f->size ||
	    lzma_raw_decoder(&z, fl) != LZMA_OK) {
		*roomless = true;
		return false;
	}
	z.next_in = src.p;
	z.avail_in = src.len;
	z.next_out = buf->p;
	z.avail_out = (size_t)f->size;
	while (z.avail_out && lzma_code(&z, LZMA_RUN) == LZMA_OK && z.avail_in)
		;
	ok = z.avail_out == 0;
	buf->len = (size_t)f->size - z.avail_out;
	lzma_end(&z);
	return ok;
}

bool pst_window_7z(struct pst_view v, struct pst_window *w, struct pst_obuf *scratch)
{
	const uint8_t *sig = pst_view_at(v, 0, 32);
	struct pst_obuf local;
	struct pst_view h;
	struct sz_first first;
	uint64_t pos = 0;
	bool guess = true, roomless = false;
	uint8_t id = 0;

	if (!sig || memcmp(sig, "7z\xbc\xaf\x27\x1c", 6) != 0)
		return false;
	memset(w, 0, sizeof(*w));
	memset(&first, 0, sizeof(first));
	memset(&local, 0, sizeof(local));
	local.max = SZ_HEADER_MAX;
	w->codec = "7z";
	h = pst_view_sub(v, 32, UINT64_MAX);
	if (!pst_view_has(h, pst_le64(sig + 12), pst_le64(sig + 20)) || pst_le64(sig + 20) == 0)
		return true; /* no header: libarchive reads nothing */
	h = pst_view_sub(h, pst_le64(sig + 12), pst_le64(sig + 20));
	sz_byte(h, &pos, &id);
	if (id == 0x01) {
		guess = !sz_header(h, w);
	} else if (id == 0x17 && sz_streams(h, &pos, w, &first) && first.ncoders == 1 &&
		   first.size <= SZ_HEADER_MAX && sz_window(&first.coder)) {
		if (!scratch)
			scratch = &local;
		/* an encoded header that does not decode stops libarchive too */
		guess = sz_decode(pst_view_sub(pst_view_sub(v, 32, UINT64_MAX), first.pack_pos,
					       first.pack_size), &first, scratch, &roomless) ?
			!sz_header(pst_view_make(scratch->p, scratch->len), w) : roomless;
	}
	pst_obuf_free(&local);
	if (guess) {
		w->guessed = true;
		w->dict = w->dict > PST_WINDOW_DEFAULT ? w->dict : PST_WINDOW_DEFAULT;
		w->out = UINT64_MAX;
	}
	return true;
}

/* ---- zip ---- */

/*
 * zip members libarchive decodes with a declared window (APPNOTE.TXT 4.4.5):
 * LZMA (14: a version, the properties' size, 5, then lzma-alone's
 * properties; libarchive gives liblzma the size as unknown, so the
 * dictionary counts whole), xz (95) and zstd (93), read as above, and
 * PPMd8 (98: the model, 1 to 256 MiB, from its two-byte parameters).
 * libarchive decodes one member at a time, each with a fresh decoder: the
 * largest member is charged.
 */
static bool zip_member(struct pst_view data, unsigned method, struct pst_window *w)
{
	const uint8_t *p = pst_view_at(data, 0, 9);
	if (method == 95)
		return pst_window_xz(data, w);
	if (method == 93)
		return pst_window_zstd(data, w);
	if (!p || (method != 14 && method != 98) || (method == 14 && (p[2] != 5 || p[3] != 0)))
		return false;
	memset(w, 0, sizeof(*w));
	w->out = UINT64_MAX;
	w->codec = method == 14 ? "zip lzma" : "zip ppmd";
	if (method == 14)
		w->dict = pst_le32(p + 5) < 4096 ? 4096 : pst_le32(p + 5);
	else
		w->dict = (uint64_t)(((pst_le16(p) >> 4) & 0xffu) + 1) << 20;
	return true;
}

/* The member whose local header is at off, read with method (the central
 * directory's, or the local header's: libarchive may take either). */
static void zip_local(struct pst_view v, uint64_t off, unsigned method, struct pst_window *w)
{
	const uint8_t *l = pst_view_at(v, off, 30);
	struct pst_window m;
	if (!l || memcmp(l, "PK\3\4", 4) != 0 || (pst_le16(l + 6) & 1))
		return; /* encrypted: libarchive does not decode it */
	off += 30u + pst_le16(l + 26) + pst_le16(l + 28);
	if (zip_member(pst_view_sub(v, off, UINT64_MAX), method, &m) &&
	    pst_window_resident(&m) > pst_window_resident(w))
		*w = m;
	if (method != pst_le16(l + 8) &&
	    zip_member(pst_view_sub(v, off, UINT64_MAX), pst_le16(l + 8), &m) &&
	    pst_window_resident(&m) > pst_window_resident(w))
		*w = m;
}

bool pst_window_zip(struct pst_view v, struct pst_window *w)
{
	const uint8_t *e = NULL, *c;
	uint64_t i, pos;

	memset(w, 0, sizeof(*w));
	w->codec = "zip";
	for (i = v.len >= 22 ? v.len - 22 : 0; v.len >= 22 && v.len - i <= 22u + 65535u; i--) {
		if (memcmp(v.p + i, "PK\5\6", 4) == 0) {
			e = v.p + i;
			break;
		}
		if (i == 0)
			break;
	}
	if (!e) {
		/* read as a stream: local headers one after another, as far as
		 * their sizes are given (not after a data descriptor) */
		for (pos = 0; (c = pst_view_at(v, pos, 30)) && memcmp(c, "PK\3\4", 4) == 0;) {
			zip_local(v, pos, pst_le16(c + 8), w);
			if (pst_le16(c + 6) & 8)
				break;
			pos += 30u + pst_le16(c + 26) + pst_le16(c + 28);
			pos += pst_le32(c + 18); /* the compressed size */
		}
		return true;
	}
	/* zip64 (offsets of all ones) is not read: not charged, docs/limits.md */
	pos = pst_le32(e + 16);
	for (i = 0; i < pst_le16(e + 10); i++) {
		c = pst_view_at(v, pos, 46);
		if (!c || memcmp(c, "PK\1\2", 4) != 0)
			break;
		zip_local(v, pst_le32(c + 42), pst_le16(c + 10), w);
		pos += 46u + pst_le16(c + 28) + pst_le16(c + 30) + pst_le16(c + 32);
	}
	return true;
}

/* ---- the charge ---- */

bool pst_window_hold(struct pst_sink *k, struct pst_view in, enum pst_ar_fmt fmt,
		     struct pst_obuf *w)
{
	struct pst_window win;
	struct pst_obuf hdr;
	bool have = false;

	if (fmt == PST_AR_RPM) {
		have = pst_window_payload(pst_window_rpm_payload(in), &win);
	} else if (fmt == PST_AR_ZIP) {
		have = pst_window_zip(in, &win);
	} else if (fmt == PST_AR_7Z) {
		/* the header decoded here is charged as content while it lives */
		pst_sink_obuf(k, &hdr);
		have = pst_window_7z(in, &win, &hdr);
		pst_obuf_free(&hdr);
	}
	/* cab: libarchive's LZX window is 2 MiB at most, MSZIP's 32 KiB */
	return !have || pst_sink_window(k, w, pst_window_resident(&win), win.codec);
}
