/*
 * arcadyan.c - Arcadyan's obfuscated LZMA firmware (seen on Arcadyan-made
 * routers; described by binwalk's Arcadyan deobfuscator and unblob): a
 * 4-byte prefix, then an LZMA-alone stream whose first 32 bytes were
 * swapped with the 32 bytes at 0x68 and scrambled - every byte pair
 * exchanged and every byte's nibbles swapped. Undoing that gives back the
 * LZMA stream at offset 4; its decompressed content is the child. The
 * obfuscated file shows "\x00\xd5\x08\x00" at 0x68 (the scrambled LZMA
 * properties), which is what carving looks for.
 *
 * The one public sample (binwalk's tests/inputs/arcadyan.bin) ends with a
 * 12-byte trailer after 0xff padding: the little-endian length of prefix
 * plus stream, 0x12345678, and a 32-bit value (probably a checksum; its
 * algorithm is not known to us). When that trailer matches, the padding and
 * trailer belong to the object.
 */
#include <string.h>
#include <stdlib.h>
#include "stream.h"

#define BLOCK 32u
#define B1 4u
#define B2 0x68u
#define MIN_LEN (B2 + BLOCK + 64)

static uint8_t rot4(uint8_t b)
{
	return (uint8_t)(b << 4 | b >> 4);
}

/* The first 13 bytes of the LZMA header, restored from the obfuscated
 * block at 0x68. */
static void restore_block(const uint8_t *b2, uint8_t out[BLOCK])
{
	unsigned i;
	for (i = 0; i < BLOCK; i += 2) {
		out[i] = rot4(b2[i + 1]);
		out[i + 1] = rot4(b2[i]);
	}
}

static unsigned bid(const uint8_t *h, size_t len)
{
	uint8_t blk[BLOCK];
	uint32_t dict;
	uint64_t size;
	if (len < MIN_LEN || memcmp(h + B2, "\x00\xd5\x08\x00", 4) != 0)
		return 0;
	restore_block(h + B2, blk);
	dict = pst_le32(blk + 1);
	size = pst_le64(blk + 5);
	if ((blk[0] != 0x5d && blk[0] != 0x6d) || dict < 4096 || dict > (256u << 20))
		return 0;
	if (size != UINT64_MAX && (size == 0 || size > (1ull << 30)))
		return 0;
	return 72;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	uint8_t *copy;
	struct pst_obuf ob;
	struct pst_entry e;
	uint64_t used = 0;
	enum pst_err rc;

	if (in.len > PST_CAP_ARCADYAN_LEN)
		in.len = PST_CAP_ARCADYAN_LEN;
	if (in.len < MIN_LEN)
		return PST_EFORMAT;
	/* The stream is decoded from a private copy with the two blocks put back. */
	copy = malloc(in.len);
	if (!copy)
		return PST_ENOMEM;
	memcpy(copy, in.p, in.len);
	restore_block(in.p + B2, copy + B1);
	memcpy(copy + B2, in.p + B1, BLOCK);
	pst_sink_obuf(k, &ob);
	rc = pst_decompress(PST_CODEC_LZMA, pst_view_make(copy + B1, in.len - B1), &ob, &used);
	free(copy);
	if (rc == PST_ENOMEM || (rc == PST_EFORMAT && ob.len < PST_STREAM_MIN_PARTIAL)) {
		pst_obuf_free(&ob);
		return rc;
	}
	k->consumed = B1 + used;
	memset(&e, 0, sizeof(e));
	e.path = "/firmware";
	e.offset = B1;
	e.take = &ob;
	if (rc == PST_EFORMAT) {
		e.flags |= PST_NODE_TRUNCATED;
		k->consumed = in.len;
		pst_sink_damage(k, rc, "LZMA stream corrupt or truncated after %zu bytes", ob.len);
	} else if (in.len >= 12 && pst_le32(in.p + in.len - 8) == 0x12345678u &&
		 pst_le32(in.p + in.len - 12) == k->consumed)
		k->consumed = in.len;
	rc = pst_sink_emit(k, &e);
	return rc == PST_ENOMEM ? rc : PST_OK;
}

static const struct pst_magic magics[] = { { "\x00\xd5\x08\x00", 4, B2 }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_arcadyan = {
	"arcadyan", PST_KIND_FIRMWARE, PST_UNPACK_CARVE, magics, bid, unpack,
};
