/*
 * lzvendor.c - one compressed block, codec found by trying. Routers of
 * 2008-2013 shipped squashfs 2.x/3.x and cramfs patched for LZMA in several
 * incompatible framings (the squashfs-lzma patches' lzma-alone header,
 * Jungo OpenRG's properties + 32-bit little-endian size header, used for
 * its cramfs blocks, Broadcom's properties-only header, DD-WRT's squashfs
 * 3.0 header, bare LZMA with fixed properties); none of them records which.
 * DD-WRT's blocks each start with four bytes: pb, lc, lp (they differ
 * from block to block: 12 settings among the 479 blocks of the r31277
 * image, so the encoder picks them per block) and a byte that is 0xff in
 * every block (not needed to decode); the LZMA data follows with an end
 * marker and no size, and the dictionary is the block.
 * Decoding is zlib's and liblzma's raw LZMA1 decoder;
 * the dictionary is clamped to the output size, which is all an LZMA stream
 * can refer back to, so a hostile header cannot make us allocate gigabytes.
 */
#include <string.h>
#include <lzma.h>
#include <zlib.h>
#include "lzvendor.h"

static long inflate_block(const uint8_t *in, size_t inlen, uint8_t *out, size_t max, int wbits)
{
	z_stream z;
	long got = -1;
	int r;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, wbits) != Z_OK)
		return -1;
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)(inlen > UINT32_MAX ? UINT32_MAX : inlen);
	z.next_out = out;
	z.avail_out = (uInt)(max > UINT32_MAX ? UINT32_MAX : max);
	r = inflate(&z, Z_FINISH);
	if (r == Z_STREAM_END)
		got = (long)z.total_out;
	inflateEnd(&z);
	return got;
}

/* The output is full: only an end marker may follow. liblzma reads it only
 * when asked for more output, so it gets one byte of room it must not use. */
static lzma_ret expect_end(lzma_stream *z)
{
	uint8_t extra;
	lzma_ret r;
	z->next_out = &extra;
	z->avail_out = 1;
	r = lzma_code(z, LZMA_RUN);
	if (r != LZMA_STREAM_END || z->avail_out != 1)
		return LZMA_DATA_ERROR;
	z->avail_out = 0;
	return r;
}

/* eos: the framing always ends with an end marker, so a block that stops
 * without one (cut short) is refused even when no size is expected. */
static long lzma_one(const uint8_t *in, size_t inlen, uint8_t props, uint32_t dict,
		       uint8_t *out, size_t max, size_t want, bool eos)
{
	lzma_stream z = LZMA_STREAM_INIT;
	lzma_options_lzma opt;
	lzma_filter f[2];
	size_t lim = want && want <= max ? want : max;
	long got = -1;
	lzma_ret r = LZMA_OK;

	if (props >= 225 || inlen == 0 || in[0] != 0)
		return -1;
	if (lzma_lzma_preset(&opt, 6))
		return -1;
	opt.lc = props % 9u;
	opt.lp = (props / 9u) % 5u;
	opt.pb = props / 45u;
	if (opt.lc + opt.lp > 4)
		return -1;
	if (dict > lim)
		dict = (uint32_t)(lim < 4096 ? 4096 : lim);
	if (dict < 4096)
		dict = 4096;
	opt.dict_size = dict;
	f[0].id = LZMA_FILTER_LZMA1;
	f[0].options = &opt;
	f[1].id = LZMA_VLI_UNKNOWN;
	f[1].options = NULL;
	if (lzma_raw_decoder(&z, f) != LZMA_OK)
		return -1;
	z.next_in = in;
	z.avail_in = inlen;
	z.next_out = out;
	z.avail_out = lim;
	while (r == LZMA_OK && z.avail_out > 0) {
		size_t before_in = z.avail_in, before_out = z.avail_out;
		r = lzma_code(&z, LZMA_RUN);
		if (r == LZMA_OK && z.avail_in == before_in && z.avail_out == before_out)
			break;
	}
	if (eos && r == LZMA_OK && z.avail_out == 0)
		r = expect_end(&z);
	if (r == LZMA_STREAM_END ||
	    (!eos && r == LZMA_OK && (z.avail_out == 0 || (!want && z.avail_in == 0))))
		got = (long)(lim - z.avail_out);
	if (want && got >= 0 && (size_t)got != want)
		got = -1;
	lzma_end(&z);
	return got;
}

long pst_lzv_lzma_raw(const uint8_t *in, size_t inlen, uint8_t props, uint32_t dict,
		      uint8_t *out, size_t max, size_t want)
{
	return lzma_one(in, inlen, props, dict, out, max, want, false);
}

long pst_lzv_decode_with(enum pst_lzv m, const uint8_t *in, size_t inlen, uint8_t *out,
			 size_t max, size_t want)
{
	uint64_t size;
	switch (m) {
	case PST_LZV_ZLIB:
		if (inlen < 2 || (in[0] & 0x0f) != 8 || ((unsigned)in[0] << 8 | in[1]) % 31 != 0)
			return -1;
		return inflate_block(in, inlen, out, max, 15);
	case PST_LZV_RAWDEFLATE:
		return inflate_block(in, inlen, out, max, -15);
	case PST_LZV_ALONE:
		if (inlen < 14)
			return -1;
		size = pst_le64(in + 5);
		if (size != UINT64_MAX && size > max)
			return -1;
		if (size != UINT64_MAX && want && size != want)
			return -1;
		return lzma_one(in + 13, inlen - 13, in[0], pst_le32(in + 1), out, max,
				  size != UINT64_MAX ? (size_t)size : want, false);
	case PST_LZV_SIZE32:
		if (inlen < 10)
			return -1;
		size = pst_le32(in + 5);
		if (size == 0 || size > max || (want && size != want))
			return -1;
		return lzma_one(in + 9, inlen - 9, in[0], pst_le32(in + 1), out, max, (size_t)size, false);
	case PST_LZV_PROPS:
		if (inlen < 6)
			return -1;
		return lzma_one(in + 5, inlen - 5, in[0], pst_le32(in + 1), out, max, want, false);
	case PST_LZV_DDWRT:
		if (inlen < 6 || in[0] > 4 || in[1] > 8 || in[2] > 4 || in[1] + in[2] > 4)
			return -1;
		return lzma_one(in + 4, inlen - 4, (uint8_t)((in[0] * 5u + in[2]) * 9u + in[1]),
				  (uint32_t)max, out, max, want, true);
	case PST_LZV_BARE:
		return lzma_one(in, inlen, 0x5d, 1u << 23, out, max, want, false);
	default:
		return -1;
	}
}

long pst_lzv_decode(const uint8_t *in, size_t inlen, uint8_t *out, size_t max, size_t want,
		    enum pst_lzv *method)
{
	long got;
	int m;
	if (*method != PST_LZV_NONE) {
		got = pst_lzv_decode_with(*method, in, inlen, out, max, want);
		if (got >= 0)
			return got;
	}
	for (m = PST_LZV_ZLIB; m < PST_LZV_COUNT_; m++) {
		if ((enum pst_lzv)m == *method || m == PST_LZV_RAWDEFLATE)
			continue;
		got = pst_lzv_decode_with((enum pst_lzv)m, in, inlen, out, max, want);
		if (got >= 0) {
			*method = (enum pst_lzv)m;
			return got;
		}
	}
	return -1;
}
