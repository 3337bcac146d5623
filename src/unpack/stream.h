/* stream.h - raw compressed streams, shared by the stream unpackers and by
 * containers that carry compressed payloads (uImage, ...). */
#ifndef PST_STREAM_H
#define PST_STREAM_H

#include "internal.h"

/* A stream that decodes to less than this before failing is taken for a
 * false match on random bytes (a carve candidate), not a damaged stream. */
#define PST_STREAM_MIN_PARTIAL 4096

enum pst_codec {
	PST_CODEC_GZIP,
	PST_CODEC_ZLIB,
	PST_CODEC_XZ,
	PST_CODEC_LZMA,   /* lzma "alone" (.lzma) */
	PST_CODEC_ZSTD,
	PST_CODEC_BZIP2,
	PST_CODEC_LZ4,    /* lz4 frame */
	PST_CODEC_DEFLATE, /* raw deflate (a zip member's data) */
};

/* Decompresses one stream from the start of in into out (whose max the sink
 * set). *consumed gets the compressed bytes used. Returns PST_OK at a clean
 * end of stream, PST_ELIMIT when out filled up, PST_EFORMAT on corrupt or
 * truncated input (out keeps what was decoded). */
enum pst_err pst_decompress(enum pst_codec c, struct pst_view in, struct pst_obuf *out,
			    uint64_t *consumed);
#endif
