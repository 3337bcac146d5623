/*
 * tplink.c - TP-Link firmware headers (OpenWrt's firmware-utils
 * mktplinkfw.c for version 1, mktplinkfw2.c for versions 2/3): a 512-byte
 * big-endian header with the vendor and version strings, hardware ids, two
 * MD5 fields, and the total length with kernel and root filesystem offsets
 * and lengths (relative to the header's start). md5sum1 is the MD5 of the
 * whole image with that field replaced by one of a few fixed salts
 * published in those tools.
 */
#include <string.h>
#include <openssl/evp.h>
#include "vendor.h"

#define HDR 512u

struct layout {
	uint32_t md5, fw_len, kofs, klen, rofs, rlen, bofs, blen;
	uint32_t text, text_len; /* version string to check for printability */
};

static const struct layout v1 = { 76, 124, 128, 132, 136, 140, 144, 148, 28, 36 };
static const struct layout v2 = { 0x40, 0x70, 0x74, 0x78, 0x7c, 0x80, 0x84, 0x88, 4, 48 };

static const uint8_t salts[][16] = {
	{ 0xdc, 0xd7, 0x3a, 0xa5, 0xc3, 0x95, 0x98, 0xfb, 0xdd, 0xf9, 0xe7, 0xf4, 0x0e, 0xae, 0x47, 0x38 },
	{ 0x8c, 0xef, 0x33, 0x5b, 0xd5, 0xc5, 0xce, 0xfa, 0xa7, 0x9c, 0x28, 0xda, 0xb2, 0xe9, 0x0f, 0x42 },
	{ 0xdc, 0xd7, 0x3a, 0xa5, 0xc3, 0x95, 0x98, 0xfb, 0xdc, 0xf9, 0xe7, 0xf4, 0x0e, 0xae, 0x47, 0x37 },
	{ 0x8c, 0xef, 0x33, 0x5f, 0xd5, 0xc5, 0xce, 0xfa, 0xac, 0x9c, 0x28, 0xda, 0xb2, 0xe9, 0x0f, 0x42 },
};

static const struct layout *layout_of(const uint8_t *h)
{
	uint32_t v = pst_be32(h);
	if (v == 1)
		return &v1;
	if (v == 2 || v == 3)
		return &v2;
	return NULL;
}

/* A NUL-padded printable string that is not empty. */
static bool text_ok(const uint8_t *p, uint32_t n)
{
	uint32_t i;
	if (p[0] < 0x20 || p[0] > 0x7e)
		return false;
	for (i = 0; i < n && p[i]; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return i < n;
}

static bool region_ok(uint32_t off, uint32_t len, uint32_t total)
{
	return len == 0 || (off <= total && len <= total - off);
}

static bool md5_ok(const uint8_t *img, size_t len, uint32_t md5_off)
{
	uint8_t digest[16];
	size_t i;
	unsigned dlen;
	for (i = 0; i < sizeof(salts) / sizeof(salts[0]); i++) {
		EVP_MD_CTX *c = EVP_MD_CTX_new();
		bool ok;
		if (!c)
			return false;
		ok = EVP_DigestInit_ex(c, EVP_md5(), NULL) && EVP_DigestUpdate(c, img, md5_off) &&
		     EVP_DigestUpdate(c, salts[i], 16) &&
		     EVP_DigestUpdate(c, img + md5_off + 16, len - md5_off - 16) &&
		     EVP_DigestFinal_ex(c, digest, &dlen);
		EVP_MD_CTX_free(c);
		if (ok && memcmp(digest, img + md5_off, 16) == 0)
			return true;
	}
	return false;
}

static unsigned bid(const uint8_t *h, size_t len)
{
	const struct layout *l;
	uint32_t total;
	if (len < HDR || !(l = layout_of(h)) || !text_ok(h + l->text, l->text_len))
		return 0;
	total = pst_be32(h + l->fw_len);
	if (total < HDR || pst_be32(h + l->klen) == 0 || pst_be32(h + l->kofs) < HDR ||
	    !region_ok(pst_be32(h + l->kofs), pst_be32(h + l->klen), total) ||
	    !region_ok(pst_be32(h + l->rofs), pst_be32(h + l->rlen), total))
		return 0;
	return total <= len && md5_ok(h, total, l->md5) ? 96 : 56;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	const uint8_t *h = pst_view_at(in, 0, HDR);
	const struct layout *l;
	uint32_t total;
	struct pst_view img;
	enum pst_err rc;

	if (!h || !(l = layout_of(h)))
		return PST_EFORMAT;
	total = pst_be32(h + l->fw_len);
	img = pst_view_sub(in, 0, total);
	if (img.len < total && pst_vendor_carved(k))
		return PST_EFORMAT;
	k->consumed = img.len;
	if (img.len < total)
		pst_sink_damage(k, PST_EFORMAT, "image truncated: %zu of %u bytes", img.len, total);
	else if (!md5_ok(img.p, img.len, l->md5))
		pst_vendor_bad_sum(k, "TP-Link header MD5");
	rc = pst_vendor_emit(k, img, pst_be32(h + l->kofs), pst_be32(h + l->klen), "/kernel");
	if (rc != PST_ENOMEM && pst_be32(h + l->rlen))
		rc = pst_vendor_emit(k, img, pst_be32(h + l->rofs), pst_be32(h + l->rlen), "/rootfs");
	if (rc != PST_ENOMEM && pst_be32(h + l->blen) && pst_be32(h + l->bofs) >= HDR)
		rc = pst_vendor_emit(k, img, pst_be32(h + l->bofs), pst_be32(h + l->blen), "/boot");
	return rc == PST_ENOMEM ? rc : PST_OK;
}

/* Carving looks for the vendor string of version 1 headers (the version
 * word before it is all zeros, a prefix too common in flash to search for);
 * version 2/3 headers are opened only at the start of a file. */
static const struct pst_magic magics[] = { { "TP-LINK", 7, 4 }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_tplink = {
	"tplink", PST_KIND_FIRMWARE, PST_UNPACK_CARVE, magics, bid, unpack,
};
