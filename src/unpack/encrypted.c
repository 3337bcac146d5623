/*
 * encrypted.c - vendor images known to be encrypted, recognised by their
 * markers so they are reported as encrypted instead of passing for data:
 *
 * - D-Link "SHRS" (DIR-8xx/DIR-X series; described by unblob's
 *   dlink_shrs handler and the public dlink-decrypt analyses): magic,
 *   big-endian padded and unpadded decrypted lengths, a 16-byte AES-CBC
 *   IV, three SHA-512 digests, then the AES-128-CBC ciphertext at 0x6dc.
 * - D-Link "encrpted_img" (DIR-X1560/X5460 etc.; described by EMBA's
 *   D-Link decryption module): the 12-byte marker, a big-endian ciphertext
 *   length, and the AES-256-CBC ciphertext from offset 16.
 *
 * The key is not ours to have: the ciphertext becomes one child flagged
 * encrypted, and the coverage.encrypted finding says which scheme it is.
 */
#include <string.h>
#include "vendor.h"

#define SHRS_DATA 0x6dcu
#define ENCIMG_DATA 16u

static unsigned bid(const uint8_t *h, size_t len)
{
	if (len >= SHRS_DATA && memcmp(h, "SHRS", 4) == 0) {
		uint32_t padded = pst_be32(h + 4), plain = pst_be32(h + 8);
		if (plain == 0 || plain > padded || padded - plain > 16 || (padded & 15))
			return 0;
		return 72;
	}
	if (len >= ENCIMG_DATA + 16 && memcmp(h, "encrpted_img", 12) == 0)
		return pst_be32(h + 12) != 0 ? 80 : 0;
	return 0;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	uint32_t n = 0;
	uint64_t off;
	const char *what;
	enum pst_err rc;

	if (pst_view_has(in, 0, 4) && memcmp(in.p, "SHRS", 4) == 0) {
		pst_view_be32(in, 4, &n);
		off = SHRS_DATA;
		what = "encrypted D-Link SHRS image (AES-128-CBC, the key is on the device)";
	} else if (pst_view_has(in, 0, 12) && memcmp(in.p, "encrpted_img", 12) == 0) {
		pst_view_be32(in, 12, &n);
		off = ENCIMG_DATA;
		what = "encrypted D-Link encrpted_img image (AES-256-CBC, the key is on the device)";
	} else {
		return PST_EFORMAT;
	}
	k->consumed = off + pst_view_sub(in, off, n).len;
	if (!pst_view_has(in, off, n))
		pst_sink_damage(k, PST_EFORMAT, "ciphertext truncated: %zu of %u bytes",
				pst_view_sub(in, off, n).len, n);
	rc = pst_vendor_emit_encrypted(k, in, off, n, "/ciphertext", what);
	return rc == PST_ENOMEM ? rc : PST_OK;
}

static const struct pst_magic magics[] = {
	{ "SHRS", 4, 0 }, { "encrpted_img", 12, 0 }, { NULL, 0, 0 },
};

const struct pst_unpacker pst_unpacker_encrypted = {
	"encrypted", PST_KIND_FIRMWARE, PST_UNPACK_CARVE, magics, bid, unpack,
};
