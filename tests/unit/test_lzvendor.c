/* test_lzvendor.c - the LZMA framings decoded without a container around
 * them: DD-WRT's per-block header (pb, lc, lp, 0xff + LZMA with an end
 * marker) in lzvendor.c, and the size-less stream (properties, dictionary,
 * no size field) next to lzma-alone in stream.c. Blocks are made here with
 * liblzma's raw encoder; each framing decodes, and cut, lying or invalid
 * blocks are refused. */
#include <lzma.h>
#include "helpers.h"
#include "unpack/lzvendor.h"
#include "unpack/stream.h"

#define PLAIN 8192

/* Text-like content that compresses well; n bytes. */
static void plain_fill(uint8_t *p, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		p[i] = (uint8_t)("0123456789\n"[(i * 7 + i / 13) % 11]);
}

/* Raw LZMA1 of in (liblzma writes an end marker) after a header of hlen
 * bytes; returns the total length. */
static size_t encode(const uint8_t *in, size_t n, unsigned lc, unsigned lp, unsigned pb,
		     uint32_t dict, uint8_t *out, size_t cap, size_t hlen)
{
	lzma_options_lzma opt;
	lzma_filter f[2];
	size_t pos = hlen;
	assert_int_equal(lzma_lzma_preset(&opt, 6), 0);
	opt.lc = lc;
	opt.lp = lp;
	opt.pb = pb;
	opt.dict_size = dict;
	f[0].id = LZMA_FILTER_LZMA1;
	f[0].options = &opt;
	f[1].id = LZMA_VLI_UNKNOWN;
	f[1].options = NULL;
	assert_int_equal(lzma_raw_buffer_encode(f, NULL, in, n, out, &pos, cap), LZMA_OK);
	return pos;
}

/* A DD-WRT block: pb, lc, lp, 0xff, then the stream. */
static size_t ddwrt_block(const uint8_t *in, size_t n, unsigned lc, unsigned lp, unsigned pb,
			  uint8_t *out, size_t cap)
{
	size_t len = encode(in, n, lc, lp, pb, 1u << 16, out, cap, 4);
	out[0] = (uint8_t)pb;
	out[1] = (uint8_t)lc;
	out[2] = (uint8_t)lp;
	out[3] = 0xff;
	return len;
}

static void test_ddwrt_block_decodes(void **state)
{
	/* the settings the real r31277 image uses: (pb, lc, lp) */
	static const unsigned set[][3] = { { 1, 3, 0 }, { 1, 0, 1 }, { 0, 3, 0 }, { 2, 0, 2 }, { 2, 1, 2 } };
	uint8_t plain[PLAIN], blk[PLAIN * 2], out[PLAIN];
	size_t i;
	(void)state;
	plain_fill(plain, sizeof(plain));
	for (i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
		size_t len = ddwrt_block(plain, sizeof(plain), set[i][1], set[i][2], set[i][0], blk, sizeof(blk));
		enum pst_lzv m = PST_LZV_NONE;
		memset(out, 0, sizeof(out));
		assert_int_equal(pst_lzv_decode_with(PST_LZV_DDWRT, blk, len, out, sizeof(out), 0), PLAIN);
		assert_memory_equal(out, plain, PLAIN);
		/* found by trying, as squashfs_old.c does for its first block */
		assert_int_equal(pst_lzv_decode(blk, len, out, sizeof(out), 0, &m), PLAIN);
		assert_int_equal(m, PST_LZV_DDWRT);
		/* a data block with its expected size */
		assert_int_equal(pst_lzv_decode_with(PST_LZV_DDWRT, blk, len, out, sizeof(out), PLAIN), PLAIN);
	}
}

/* A block cut short has no end marker: refused even with no size expected
 * (metadata blocks), not passed off as a short block. */
static void test_ddwrt_truncated(void **state)
{
	uint8_t plain[PLAIN], blk[PLAIN * 2], out[PLAIN];
	size_t len;
	enum pst_lzv m = PST_LZV_NONE;
	(void)state;
	plain_fill(plain, sizeof(plain));
	len = ddwrt_block(plain, sizeof(plain), 3, 0, 2, blk, sizeof(blk));
	assert_int_equal(pst_lzv_decode_with(PST_LZV_DDWRT, blk, len - 8, out, sizeof(out), 0), -1);
	assert_int_equal(pst_lzv_decode_with(PST_LZV_DDWRT, blk, len / 2, out, sizeof(out), 0), -1);
	assert_int_equal(pst_lzv_decode_with(PST_LZV_DDWRT, blk, 5, out, sizeof(out), 0), -1);
	assert_true(pst_lzv_decode(blk, len / 2, out, sizeof(out), 0, &m) != PLAIN);
}

/* Sizes that lie: an expected size the block does not make, an output
 * buffer smaller than what it makes. */
static void test_ddwrt_lying_sizes(void **state)
{
	uint8_t plain[PLAIN], blk[PLAIN * 2], out[PLAIN];
	size_t len;
	(void)state;
	plain_fill(plain, sizeof(plain));
	len = ddwrt_block(plain, sizeof(plain) - 100, 3, 0, 2, blk, sizeof(blk));
	assert_int_equal(pst_lzv_decode_with(PST_LZV_DDWRT, blk, len, out, sizeof(out), PLAIN - 100), PLAIN - 100);
	assert_int_equal(pst_lzv_decode_with(PST_LZV_DDWRT, blk, len, out, sizeof(out), PLAIN - 99), -1);
	assert_int_equal(pst_lzv_decode_with(PST_LZV_DDWRT, blk, len, out, sizeof(out), PLAIN - 101), -1);
	assert_int_equal(pst_lzv_decode_with(PST_LZV_DDWRT, blk, len, out, PLAIN - 101, 0), -1);
}

/* Header bytes no encoder writes: lc > 8, lp > 4, pb > 4, lc + lp > 4, a
 * range coder that does not start with 0. */
static void test_ddwrt_bad_header(void **state)
{
	static const uint8_t bad[][5] = { { 2, 9, 0, 0xff, 0 }, { 2, 0, 5, 0xff, 0 }, { 5, 3, 0, 0xff, 0 },
					  { 2, 3, 2, 0xff, 0 }, { 2, 3, 0, 0xff, 1 } };
	uint8_t plain[PLAIN], blk[PLAIN * 2], out[PLAIN];
	size_t len, i;
	(void)state;
	plain_fill(plain, sizeof(plain));
	len = ddwrt_block(plain, sizeof(plain), 3, 0, 2, blk, sizeof(blk));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(blk, bad[i], 5);
		assert_int_equal(pst_lzv_decode_with(PST_LZV_DDWRT, blk, len, out, sizeof(out), 0), -1);
	}
}

/* Size-less LZMA through pst_decompress: decoded up to its end marker, the
 * bytes after it not consumed. */
static void test_nosize_stream(void **state)
{
	size_t n = 300000, len, cap = n + 4096;
	uint8_t *plain = malloc(n), *buf = malloc(cap + 64);
	struct pst_obuf ob;
	uint64_t used = 0;
	(void)state;
	assert_non_null(plain);
	assert_non_null(buf);
	plain_fill(plain, n);
	len = encode(plain, n, 2, 2, 2, 2u << 20, buf, cap, 5);
	buf[0] = 0x6e;
	buf[1] = 0;
	buf[2] = 0;
	buf[3] = 0x20;
	buf[4] = 0;
	memset(buf + len, 0x5a, 64);   /* what follows in the part */
	memset(&ob, 0, sizeof(ob));
	ob.max = 1u << 24;
	assert_int_equal(pst_decompress(PST_CODEC_LZMA, pst_view_make(buf, len + 64), &ob, &used), PST_OK);
	assert_int_equal(used, len);
	assert_int_equal(ob.len, n);
	assert_memory_equal(ob.p, plain, n);
	pst_obuf_free(&ob);
	/* Cut at the end of its region: with no size field and no end marker
	 * required (loaders that know the length elsewhere write none), running
	 * out of input without a data error is the end; every byte was decoded. */
	memset(&ob, 0, sizeof(ob));
	ob.max = 1u << 24;
	assert_int_equal(pst_decompress(PST_CODEC_LZMA, pst_view_make(buf, len / 2), &ob, &used), PST_OK);
	assert_int_equal(used, len / 2);
	assert_true(ob.len < n);
	assert_memory_equal(ob.p, plain, ob.len / 2);
	pst_obuf_free(&ob);
	/* Damaged near its start: a data error, reported with what was decoded. */
	memset(buf + 40, 0xff, 64);
	memset(&ob, 0, sizeof(ob));
	ob.max = 1u << 24;
	assert_int_equal(pst_decompress(PST_CODEC_LZMA, pst_view_make(buf, len), &ob, &used), PST_EFORMAT);
	assert_true(ob.len < n);
	pst_obuf_free(&ob);
	free(plain);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ddwrt_block_decodes),
		cmocka_unit_test(test_ddwrt_truncated),
		cmocka_unit_test(test_ddwrt_lying_sizes),
		cmocka_unit_test(test_ddwrt_bad_header),
		cmocka_unit_test(test_nosize_stream),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
