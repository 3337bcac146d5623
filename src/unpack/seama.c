/*
 * seama.c - D-Link SEAMA images (OpenWrt's firmware-utils seama.c/seama.h):
 * a big-endian header - magic 0x5EA3A417, 16 reserved bits, the size of
 * the metadata, the size of the image - then, when the image size is not
 * zero, the MD5 of the image, then the metadata (NUL-separated
 * "name=value" strings), then the image. A seal header (OpenWrt's oseama)
 * has no MD5: its metadata is followed directly by the SEAMA entities it
 * seals (its size is theirs, or zero), which carving then finds.
 *
 * Some boards' tools write the whole header little-endian (magic bytes
 * 17 a4 a3 5e, then the sizes little-endian; the MD5 and metadata are the
 * same bytes): the magic's byte order says which.
 */
#include <string.h>
#include <openssl/evp.h>
#include "vendor.h"

#define SEAMA_MAGIC 0x5ea3a417u
#define HDR 12u

/* The header's byte order from its magic; false when it is not SEAMA. */
static bool order(const uint8_t *h, bool *big)
{
	*big = pst_be32(h) == SEAMA_MAGIC;
	return *big || pst_le32(h) == SEAMA_MAGIC;
}

static unsigned bid(const uint8_t *h, size_t len)
{
	uint16_t meta;
	bool big;
	if (len < HDR || !order(h, &big))
		return 0;
	meta = big ? pst_be16(h + 6) : pst_le16(h + 6);
	if (meta > 4096)
		return 0;
	return 64;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	uint16_t meta = 0;
	uint32_t size = 0;
	uint64_t data_off;
	struct pst_view data;
	const uint8_t *md5, *next;
	enum pst_err rc;
	bool big, inner_big;

	if (in.len < HDR || !order(in.p, &big) || !pst_view_u16e(in, 6, big, &meta) ||
	    !pst_view_u32e(in, 8, big, &size))
		return PST_EFORMAT;
	/* a seal: what follows its metadata is a SEAMA entity (of either order) */
	next = pst_view_at(in, HDR + (uint64_t)meta, 4);
	if (size == 0 || (next && order(next, &inner_big))) {
		k->consumed = pst_view_sub(in, 0, HDR + (uint64_t)meta).len;
		return pst_view_has(in, 0, HDR + (uint64_t)meta) ? PST_OK : PST_EFORMAT;
	}
	md5 = pst_view_at(in, HDR, 16);
	data_off = HDR + 16 + (uint64_t)meta;
	data = pst_view_sub(in, data_off, size);
	k->consumed = md5 ? data_off + data.len : in.len;
	if (md5 && data.len == size) {
		uint8_t digest[16];
		unsigned dlen = 0;
		if (!EVP_Digest(data.p, data.len, digest, &dlen, EVP_md5(), NULL) ||
		    memcmp(digest, md5, 16) != 0)
			pst_vendor_bad_sum(k, "SEAMA MD5");
	}
	rc = pst_vendor_emit(k, in, data_off, size, "/image");
	return rc == PST_ENOMEM ? rc : PST_OK;
}

static const struct pst_magic magics[] = {
	{ "\x5e\xa3\xa4\x17", 4, 0 }, { "\x17\xa4\xa3\x5e", 4, 0 }, { NULL, 0, 0 },
};

const struct pst_unpacker pst_unpacker_seama = {
	"seama", PST_KIND_FIRMWARE, PST_UNPACK_CARVE, magics, bid, unpack,
};
