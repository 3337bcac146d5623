/*
 * trx.c - Broadcom TRX firmware images (OpenWrt's tools/firmware-utils
 * trx.c and the Broadcom SDK's trxhdr.h): a little-endian header "HDR0",
 * the total length, a CRC32 over everything from the flags field to the
 * end, flags, version (1: three partition offsets, 2: four), then the
 * partitions (typically loader+kernel, root filesystem, ...). Broadcom's
 * CRC32 is the standard polynomial started at ~0 without the final
 * inversion, i.e. the complement of zlib's crc32().
 */
#include <string.h>
#include <zlib.h>
#include "vendor.h"

#define TRX_MAGIC 0x30524448u /* "HDR0" */
#define CRC_FROM 12u

static uint32_t trx_crc(const uint8_t *p, size_t len)
{
	return ~(uint32_t)crc32(0, p, (uInt)len);
}

static unsigned nparts(uint16_t version)
{
	return version == 2 ? 4 : 3;
}

/* Header plausibility; the CRC is checked only when the whole image is here. */
static unsigned bid(const uint8_t *h, size_t len)
{
	uint32_t total, off;
	uint16_t version;
	unsigned i, hdr;
	if (len < 32 || pst_le32(h) != TRX_MAGIC)
		return 0;
	total = pst_le32(h + 4);
	version = pst_le16(h + 14);
	if ((version != 1 && version != 2) || total < 32)
		return 0;
	hdr = 12 + 4 + 4 * nparts(version);
	for (i = 0; i < nparts(version); i++) {
		off = pst_le32(h + 16 + 4 * i);
		if (off != 0 && (off < hdr || off >= total))
			return 0;
	}
	if (total <= len && trx_crc(h + CRC_FROM, total - CRC_FROM) == pst_le32(h + 8))
		return 96;
	return 40; /* a cut or damaged image: still ours, reported as such */
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	uint32_t total = 0, crc = 0, offs[4] = { 0 };
	uint16_t version = 0;
	struct pst_view img;
	unsigned i, n, j;
	enum pst_err rc = PST_OK;
	char name[32];

	if (!pst_view_le32(in, 4, &total) || !pst_view_le32(in, 8, &crc) ||
	    !pst_view_le16(in, 14, &version) || (version != 1 && version != 2))
		return PST_EFORMAT;
	n = nparts(version);
	for (i = 0; i < n; i++)
		if (!pst_view_le32(in, 16 + 4 * i, &offs[i]))
			return PST_EFORMAT;
	img = pst_view_sub(in, 0, total);
	if (img.len < total && pst_vendor_carved(k))
		return PST_EFORMAT;
	k->consumed = img.len;
	if (img.len < total)
		pst_sink_damage(k, PST_EFORMAT, "image truncated: %zu of %u bytes", img.len, total);
	else if (trx_crc(img.p + CRC_FROM, img.len - CRC_FROM) != crc)
		pst_vendor_bad_sum(k, "TRX CRC32");
	for (i = 0; i < n && rc != PST_ENOMEM; i++) {
		uint64_t end = total;
		if (offs[i] == 0)
			continue;
		/* A partition ends where the next one starts. */
		for (j = i + 1; j < n; j++)
			if (offs[j] > offs[i]) {
				end = offs[j];
				break;
			}
		if (end <= offs[i]) {
			pst_sink_damage(k, PST_EFORMAT, "partition %u has no bytes", i);
			continue;
		}
		snprintf(name, sizeof(name), "/part%u", i);
		rc = pst_vendor_emit(k, img, offs[i], end - offs[i], name);
	}
	return rc == PST_ENOMEM ? rc : PST_OK;
}

static const struct pst_magic magics[] = { { "HDR0", 4, 0 }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_trx = {
	"trx", PST_KIND_FIRMWARE, PST_UNPACK_CARVE, magics, bid, unpack,
};
