/*
 * chk.c - Netgear .chk images (OpenWrt's firmware-utils mkchkimg.c): a
 * big-endian header - magic "*#$^", header length, 8 reserved/region
 * bytes, kernel and rootfs checksums, kernel and rootfs lengths, image and
 * header checksums, then the board id up to the header length - followed
 * by the kernel and the root filesystem. The checksums are Netgear's
 * Fletcher-like sum (two 32-bit accumulators folded to 16 bits each).
 */
#include <string.h>
#include "vendor.h"

#define CHK_MAGIC 0x2a23245eu
#define FIXED 40u

struct ngsum {
	uint32_t c0, c1;
};

static void ng_add(struct ngsum *c, const uint8_t *p, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++) {
		c->c0 += p[i];
		c->c1 += c->c0;
	}
}

static uint32_t ng_fini(struct ngsum *c)
{
	uint32_t b;
	b = (c->c0 & 65535) + ((c->c0 >> 16) & 65535);
	c->c0 = ((b >> 16) + b) & 65535;
	b = (c->c1 & 65535) + ((c->c1 >> 16) & 65535);
	c->c1 = ((b >> 16) + b) & 65535;
	return c->c1 << 16 | c->c0;
}

static uint32_t header_sum(const uint8_t *h, uint32_t hlen)
{
	struct ngsum c = { 0, 0 };
	static const uint8_t zero[4] = { 0 };
	ng_add(&c, h, 36);
	ng_add(&c, zero, 4);
	ng_add(&c, h + FIXED, hlen - FIXED);
	return ng_fini(&c);
}

static unsigned bid(const uint8_t *h, size_t len)
{
	uint32_t hlen;
	if (len < FIXED || pst_be32(h) != CHK_MAGIC)
		return 0;
	hlen = pst_be32(h + 4);
	if (hlen < FIXED || hlen > 4096 || pst_be32(h + 24) == 0)
		return 0;
	if (hlen <= len)
		return header_sum(h, hlen) == pst_be32(h + 36) ? 96 : 0;
	return 0;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	const uint8_t *h = pst_view_at(in, 0, FIXED);
	uint32_t hlen, klen, rlen;
	struct pst_view kern, root;
	struct ngsum ck = { 0, 0 }, cr = { 0, 0 }, ci = { 0, 0 };
	enum pst_err rc;

	if (!h || !pst_view_be32(in, 4, &hlen) || !pst_view_has(in, 0, hlen) || hlen < FIXED)
		return PST_EFORMAT;
	klen = pst_be32(h + 24);
	rlen = pst_be32(h + 28);
	kern = pst_view_sub(in, hlen, klen);
	root = pst_view_sub(in, (uint64_t)hlen + klen, rlen);
	k->consumed = (uint64_t)hlen + kern.len + root.len;
	if (kern.len == klen && root.len == rlen) {
		ng_add(&ck, kern.p, kern.len);
		ng_add(&cr, root.p, root.len);
		ng_add(&ci, kern.p, kern.len);
		ng_add(&ci, root.p, root.len);
		if (ng_fini(&ck) != pst_be32(h + 16) || (rlen && ng_fini(&cr) != pst_be32(h + 20)) ||
		    ng_fini(&ci) != pst_be32(h + 32))
			pst_vendor_bad_sum(k, "Netgear .chk checksum");
	}
	rc = pst_vendor_emit(k, in, hlen, klen, "/kernel");
	if (rc != PST_ENOMEM && rlen)
		rc = pst_vendor_emit(k, in, (uint64_t)hlen + klen, rlen, "/rootfs");
	return rc == PST_ENOMEM ? rc : PST_OK;
}

static const struct pst_magic magics[] = { { "*#$^", 4, 0 }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_chk = {
	"chk", PST_KIND_FIRMWARE, PST_UNPACK_CARVE, magics, bid, unpack,
};
