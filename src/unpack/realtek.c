/*
 * realtek.c - Realtek SDK firmware headers (the SDK's cvimg tool, also in
 * OpenWrt's firmware-utils): 16 big-endian bytes - a four-letter signature
 * ("cs6b"/"cs6c"/"csys": kernel, "cr6b"/"cr6c"/"csro": kernel with root
 * filesystem, "r6br"/"r6cr": root filesystem), the start and burn
 * addresses, and the payload length, which includes a trailing 16-bit
 * checksum chosen so that the big-endian 16-bit words of the payload sum to
 * zero.
 */
#include <string.h>
#include "vendor.h"

#define HDR 16u

static const char *const sigs[][2] = {
	{ "cs6b", "/kernel" }, { "cs6c", "/kernel" }, { "csys", "/kernel" },
	{ "cr6b", "/kernel+rootfs" }, { "cr6c", "/kernel+rootfs" }, { "csro", "/kernel+rootfs" },
	{ "r6br", "/rootfs" }, { "r6cr", "/rootfs" },
};

static const char *sig_name(const uint8_t *h)
{
	size_t i;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (memcmp(h, sigs[i][0], 4) == 0)
			return sigs[i][1];
	return NULL;
}

static uint16_t sum16(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	size_t i;
	for (i = 0; i + 1 < len; i += 2)
		s += pst_be16(p + i);
	return (uint16_t)s;
}

static unsigned bid(const uint8_t *h, size_t len)
{
	uint32_t plen;
	if (len < HDR + 4 || !sig_name(h))
		return 0;
	plen = pst_be32(h + 12);
	if (plen < 4 || (plen & 1))
		return 0;
	if (plen <= len - HDR)
		return sum16(h + HDR, plen) == 0 ? 80 : 0;
	/* Cut short: a plausible header still counts, with little weight. */
	return (pst_be32(h + 4) & 0x80000000u) ? 24 : 0;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	const uint8_t *h = pst_view_at(in, 0, HDR);
	const char *name;
	uint32_t plen;
	struct pst_view body;

	if (!h || !(name = sig_name(h)))
		return PST_EFORMAT;
	plen = pst_be32(h + 12);
	body = pst_view_sub(in, HDR, plen);
	if (body.len < plen && pst_vendor_carved(k))
		return PST_EFORMAT;
	k->consumed = HDR + body.len;
	if (body.len == plen && sum16(body.p, body.len) != 0)
		pst_vendor_bad_sum(k, "Realtek header checksum");
	/* The payload less its 2-byte checksum. */
	return pst_vendor_emit(k, in, HDR, plen >= 2 ? plen - 2 : 0, name) == PST_ENOMEM ? PST_ENOMEM
										     : PST_OK;
}

static const struct pst_magic magics[] = {
	{ "cs6b", 4, 0 }, { "cs6c", 4, 0 }, { "csys", 4, 0 }, { "cr6b", 4, 0 },
	{ "cr6c", 4, 0 }, { "csro", 4, 0 }, { "r6br", 4, 0 }, { "r6cr", 4, 0 },
	{ NULL, 0, 0 },
};

const struct pst_unpacker pst_unpacker_realtek = {
	"realtek", PST_KIND_FIRMWARE, PST_UNPACK_CARVE, magics, bid, unpack,
};
