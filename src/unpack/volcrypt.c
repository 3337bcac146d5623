/*
 * volcrypt.c - encrypted volumes: LUKS (1 and 2) and BitLocker. The key is
 * not ours to have, so such a volume (a partition, an LVM volume, a whole
 * disk) is reported as encrypted (coverage.encrypted, the node flagged and
 * incomplete), never passed as unexamined data.
 *
 * - LUKS: "LUKS" BA BE at 0, big-endian version 1 or 2 at 6
 *   (cryptsetup's docs/on-disk-format.pdf and on-disk-format-luks2.pdf);
 *   LUKS1 names its cipher at 8 and the payload's sector at 104, LUKS2 its
 *   binary header size at 8 (the JSON area follows; the payload offset is
 *   in the JSON, so the whole volume is counted).
 * - BitLocker: "-FVE-FS-" as the OEM id of a boot sector at 3 (Vista and
 *   later; libbde's documentation, "BitLocker Drive Encryption (BDE)
 *   format"); "MSWIN4.1" volumes of BitLocker To Go carry the same FVE
 *   metadata GUID but are not matched here.
 */
#include <stdio.h>
#include <string.h>
#include "vendor.h"

#define LUKS1_PAYLOAD 104u
#define LUKS1_CIPHER 8u

static bool is_luks(const uint8_t *h, size_t len)
{
	uint16_t ver;
	if (len < 592 || memcmp(h, "LUKS\xba\xbe", 6) != 0)
		return false;
	ver = pst_be16(h + 6);
	return ver == 1 || ver == 2;
}

static bool is_bitlocker(const uint8_t *h, size_t len)
{
	return len >= 512 && memcmp(h + 3, "-FVE-FS-", 8) == 0 && h[510] == 0x55 && h[511] == 0xaa;
}

static unsigned bid(const uint8_t *h, size_t len)
{
	if (is_luks(h, len))
		return 64;
	if (is_bitlocker(h, len))
		return 80;
	return 0;
}

/* Copies the NUL-padded field of at most n bytes, printable only (they are
 * the volume's own bytes). */
static size_t field(const uint8_t *f, size_t n, char *out)
{
	size_t i;
	for (i = 0; i < n && f[i]; i++)
		out[i] = (f[i] >= 0x20 && f[i] < 0x7f) ? (char)f[i] : '?';
	return i;
}

/* LUKS1's cipher name (32 bytes at 8) and mode (32 at 40): "aes-xts-plain64". */
static void luks1_cipher(const uint8_t *h, char out[66])
{
	size_t o = field(h + LUKS1_CIPHER, 32, out);
	out[o++] = '-';
	o += field(h + LUKS1_CIPHER + 32, 32, out + o);
	out[o] = 0;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	char what[160], cipher[66];
	uint64_t off = 0;

	if (is_luks(in.p, in.len)) {
		if (pst_be16(in.p + 6) == 1) {
			luks1_cipher(in.p, cipher);
			off = (uint64_t)pst_be32(in.p + LUKS1_PAYLOAD) * 512;
			snprintf(what, sizeof(what), "LUKS1 encrypted volume (%s)", cipher);
		} else {
			off = pst_be64(in.p + 8); /* the binary and JSON header's size */
			snprintf(what, sizeof(what), "LUKS2 encrypted volume");
		}
	} else if (is_bitlocker(in.p, in.len)) {
		snprintf(what, sizeof(what), "BitLocker encrypted volume");
	} else {
		return PST_EFORMAT;
	}
	/* the child must not start with the header again (it would be opened
	 * again, level after level): skip at least the first sector */
	if (off < 512 || off >= in.len)
		off = in.len < 512 ? in.len : 512;
	k->consumed = in.len;
	k->header = off;
	return pst_vendor_emit_encrypted(k, in, off, in.len - off, "/ciphertext", what) ==
			       PST_ENOMEM ?
		       PST_ENOMEM :
		       PST_OK;
}

static const struct pst_magic magics[] = { { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_volcrypt = {
	"volcrypt", PST_KIND_FILESYSTEM, 0, magics, bid, unpack,
};
