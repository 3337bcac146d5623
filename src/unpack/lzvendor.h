/* lzvendor.h - decoding one compressed block whose codec is only known by
 * trying: zlib, and the LZMA framings vendors used before squashfs 4 had an
 * LZMA compressor (lzma-alone with its 13-byte header, Jungo OpenRG's 9-byte
 * header with a 32-bit size, a 5-byte properties-only header, DD-WRT's
 * 4-byte per-block header naming pb, lc and lp, or bare LZMA with the usual
 * lc=3 lp=0 pb=2). Shared
 * by the old squashfs, cramfs and JFFS2 unpackers. */
#ifndef PST_LZVENDOR_H
#define PST_LZVENDOR_H
#include "internal.h"

enum pst_lzv {
	PST_LZV_NONE = 0,
	PST_LZV_ZLIB,        /* zlib stream (RFC 1950) */
	PST_LZV_RAWDEFLATE,  /* raw deflate (RFC 1951) */
	PST_LZV_ALONE,       /* props(1) dict(4) size(8) + LZMA */
	PST_LZV_SIZE32,      /* props(1) dict(4) size(4, little-endian) + LZMA */
	PST_LZV_PROPS,       /* props(1) dict(4) + LZMA, no size */
	PST_LZV_DDWRT,       /* pb(1) lc(1) lp(1) fb(1) + LZMA with an end marker */
	PST_LZV_BARE,        /* LZMA with lc=3 lp=0 pb=2, no header */
	PST_LZV_COUNT_,
};

/* Decodes in into out (at most max bytes). *method is tried first when set;
 * on success it is updated to the codec that worked, so one image settles
 * on one codec after its first block. want, when non-zero, is the exact size
 * the caller expects (LZMA without an end marker stops there). Returns the
 * bytes produced, or -1 when no codec decodes the block. */
long pst_lzv_decode(const uint8_t *in, size_t inlen, uint8_t *out, size_t max, size_t want,
		    enum pst_lzv *method);
/* Decodes with exactly one codec; -1 when it fails. */
long pst_lzv_decode_with(enum pst_lzv m, const uint8_t *in, size_t inlen, uint8_t *out,
			 size_t max, size_t want);
/* Bare LZMA1 with the given properties byte and dictionary size. */
long pst_lzv_lzma_raw(const uint8_t *in, size_t inlen, uint8_t props, uint32_t dict,
		      uint8_t *out, size_t max, size_t want);
#endif
