/*
 * archive_formats.c - bids for the formats libarchive reads (archive.c), one
 * unpacker per format so each node records which it is.
 *
 * Specifications: tar (POSIX.1-1988 ustar, pax in POSIX.1-2001, GNU tar's
 * manual "Basic Tar Format"), cpio (man 5 cpio: newc/crc, odc, binary),
 * zip (PKWARE APPNOTE.TXT 4.3.7, 4.3.16), 7z (7zFormat.txt), ar (ar.h),
 * rpm (the lead and header in rpm's doc/manual/format), ISO 9660 (ECMA-119
 * 8.1), cab (MS-CAB 2.1 CFHEADER), compress (ncompress's header byte).
 */
#include <string.h>
#include <zlib.h>
#include "archive.h"

/* ---- tar ---- */

/* Parses an octal field (leading spaces, digits, then NUL/space/end). */
static bool octal(const uint8_t *p, size_t n, uint64_t *out)
{
	size_t i = 0;
	uint64_t v = 0;
	bool digits = false;
	while (i < n && p[i] == ' ')
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		v = v << 3 | (uint64_t)(p[i] - '0');
		digits = true;
	}
	for (; i < n; i++)
		if (p[i] != 0 && p[i] != ' ')
			return false;
	*out = v;
	return digits;
}

static bool tar_checksum_ok(const uint8_t *h)
{
	uint64_t want, sum = 0;
	int64_t ssum = 0;
	size_t i;
	if (!octal(h + 148, 8, &want))
		return false;
	for (i = 0; i < 512; i++) {
		uint8_t b = (i >= 148 && i < 156) ? ' ' : h[i];
		sum += b;
		ssum += (int8_t)b;
	}
	return want == sum || (int64_t)want == ssum;
}

static unsigned bid_tar(const uint8_t *h, size_t len)
{
	uint64_t mode;
	if (len < 512 || h[0] == 0 || !tar_checksum_ok(h))
		return 0;
	if (memcmp(h + 257, "ustar\0" "00", 8) == 0 || memcmp(h + 257, "ustar  \0", 8) == 0)
		return 80;
	/* v7: the checksum alone, with an octal mode and a v7 type flag */
	if (!octal(h + 100, 8, &mode) || (h[156] != 0 && (h[156] < '0' || h[156] > '7')))
		return 0;
	return 20;
}

/* ---- cpio ---- */

static bool all_in(const uint8_t *p, size_t n, const char *set)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!p[i] || !strchr(set, p[i]))
			return false;
	return true;
}

static uint32_t field(const uint8_t *p, size_t n, unsigned base)
{
	uint32_t v = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned d = p[i] <= '9' ? (unsigned)(p[i] - '0') : (unsigned)((p[i] | 0x20) - 'a' + 10);
		v = v * base + d;
	}
	return v;
}

/* The first name ends where namesize says (when that much is here). */
static bool name_ok(const uint8_t *h, size_t len, size_t at, uint32_t namesize)
{
	if (namesize < 2 || namesize > 4096)
		return false;
	if (at + namesize > len)
		return true;
	return h[at + namesize - 1] == 0 && memchr(h + at, 0, namesize - 1) == NULL;
}

static bool type_ok(uint32_t mode)
{
	switch (mode & 0170000) {
	case 0100000: case 0040000: case 0120000: case 0020000:
	case 0060000: case 0010000: case 0140000:
		return true;
	}
	return false;
}

static unsigned bid_cpio(const uint8_t *h, size_t len)
{
	static const char hex[] = "0123456789abcdefABCDEF", oct[] = "01234567";
	if (len >= 110 && (memcmp(h, "070701", 6) == 0 || memcmp(h, "070702", 6) == 0)) {
		if (!all_in(h + 6, 104, hex) || !type_ok(field(h + 14, 8, 16)) ||
		    !name_ok(h, len, 110, field(h + 94, 8, 16)))
			return 0;
		return 72;
	}
	if (len >= 76 && memcmp(h, "070707", 6) == 0) {
		if (!all_in(h + 6, 70, oct) || !type_ok(field(h + 18, 6, 8)) ||
		    !name_ok(h, len, 76, field(h + 59, 6, 8)))
			return 0;
		return 64;
	}
	if (len >= 26 && ((h[0] == 0xc7 && h[1] == 0x71) || (h[0] == 0x71 && h[1] == 0xc7))) {
		bool le = h[0] == 0xc7;
		uint16_t mode = le ? pst_le16(h + 6) : pst_be16(h + 6);
		uint16_t nlink = le ? pst_le16(h + 12) : pst_be16(h + 12);
		uint16_t namesize = le ? pst_le16(h + 20) : pst_be16(h + 20);
		if (!type_ok(mode) || nlink == 0 || !name_ok(h, len, 26, namesize))
			return 0;
		return 28;
	}
	return 0;
}

/* ---- zip ---- */

static unsigned bid_zip(const uint8_t *h, size_t len)
{
	uint16_t method, namelen;
	if (len >= 30 && memcmp(h, "PK\3\4", 4) == 0) {
		method = pst_le16(h + 8);
		namelen = pst_le16(h + 26);
		if (pst_le16(h + 4) > 100 || namelen == 0 || namelen > 4096)
			return 0;
		if (method > 20 && method != 93 && method != 95 && method != 96 && method != 97 &&
		    method != 98 && method != 99)
			return 0;
		return 48;
	}
	/* an empty zip: the end record alone */
	if (len >= 22 && memcmp(h, "PK\5\6", 4) == 0 && pst_le32(h + 12) == 0 && pst_le32(h + 16) == 0)
		return 40;
	return 0;
}

/* ---- the rest ---- */

static unsigned bid_7z(const uint8_t *h, size_t len)
{
	if (len < 32 || memcmp(h, "7z\xbc\xaf\x27\x1c", 6) != 0 || h[6] != 0)
		return 0;
	return crc32(0, h + 12, 20) == pst_le32(h + 8) ? 112 : 48;
}

static unsigned bid_ar(const uint8_t *h, size_t len)
{
	if (len < 8 || memcmp(h, "!<arch>\n", 8) != 0)
		return 0;
	if (len >= 68)
		return memcmp(h + 66, "`\n", 2) == 0 ? 80 : 0;
	return 64;
}

static unsigned bid_deb(const uint8_t *h, size_t len)
{
	if (bid_ar(h, len) < 80 || memcmp(h + 8, "debian-binary", 13) != 0)
		return 0;
	return 96;
}

static unsigned bid_rpm(const uint8_t *h, size_t len)
{
	if (len < 112 || memcmp(h, "\xed\xab\xee\xdb", 4) != 0 || (h[4] != 3 && h[4] != 4))
		return 0;
	return memcmp(h + 96, "\x8e\xad\xe8\x01", 4) == 0 ? 96 : 40;
}

static unsigned bid_iso(const uint8_t *h, size_t len)
{
	uint8_t type;
	if (len < 0x8800 || memcmp(h + 0x8001, "CD001", 5) != 0 || h[0x8006] != 1)
		return 0;
	type = h[0x8000];
	return (type <= 3 || type == 0xff) ? 56 : 0;
}

static unsigned bid_cab(const uint8_t *h, size_t len)
{
	if (len < 36 || memcmp(h, "MSCF", 4) != 0)
		return 0;
	/* reserved1..3 zero, version 1.3, the file table inside the cabinet */
	if (pst_le32(h + 4) || pst_le32(h + 12) || pst_le32(h + 20) || h[24] != 3 || h[25] != 1)
		return 0;
	if (pst_le32(h + 8) < 36 || pst_le32(h + 16) < 36 || pst_le32(h + 16) >= pst_le32(h + 8))
		return 0;
	return 96;
}

static unsigned bid_compress(const uint8_t *h, size_t len)
{
	unsigned bits;
	if (len < 4 || h[0] != 0x1f || h[1] != 0x9d || (h[2] & 0x60))
		return 0;
	bits = h[2] & 0x1fu;
	return bits >= 9 && bits <= 16 ? 20 : 0;
}

#define ARCHIVE_UNPACKER(id, fmt, label, kind, flags, magics)                      \
	static enum pst_err unpack_##id(struct pst_sink *k, struct pst_view in)    \
	{                                                                          \
		return pst_archive_unpack(k, in, fmt);                             \
	}                                                                          \
	const struct pst_unpacker pst_unpacker_##id = { label, kind, flags, magics, \
							bid_##id, unpack_##id };

static const struct pst_magic tar_magics[] = {
	{ "ustar", 5, 257 }, { NULL, 0, 0 },
};
static const struct pst_magic cpio_magics[] = {
	{ "070701", 6, 0 }, { "070702", 6, 0 }, { "070707", 6, 0 },
	{ "\xc7\x71", 2, 0 }, { "\x71\xc7", 2, 0 }, { NULL, 0, 0 },
};
static const struct pst_magic zip_magics[] = {
	{ "PK\3\4", 4, 0 }, { NULL, 0, 0 },
};

ARCHIVE_UNPACKER(tar, PST_AR_TAR, "tar", PST_KIND_ARCHIVE, PST_UNPACK_CARVE, tar_magics)
ARCHIVE_UNPACKER(cpio, PST_AR_CPIO, "cpio", PST_KIND_ARCHIVE, PST_UNPACK_CARVE, cpio_magics)
ARCHIVE_UNPACKER(zip, PST_AR_ZIP, "zip", PST_KIND_ARCHIVE, PST_UNPACK_CARVE, zip_magics)
ARCHIVE_UNPACKER(7z, PST_AR_7Z, "7z", PST_KIND_ARCHIVE, 0, NULL)
ARCHIVE_UNPACKER(ar, PST_AR_AR, "ar", PST_KIND_ARCHIVE, 0, NULL)
ARCHIVE_UNPACKER(deb, PST_AR_AR, "deb", PST_KIND_ARCHIVE, 0, NULL)
ARCHIVE_UNPACKER(rpm, PST_AR_RPM, "rpm", PST_KIND_ARCHIVE, 0, NULL)
ARCHIVE_UNPACKER(iso, PST_AR_ISO, "iso9660", PST_KIND_FILESYSTEM, 0, NULL)
ARCHIVE_UNPACKER(cab, PST_AR_CAB, "cab", PST_KIND_ARCHIVE, 0, NULL)
ARCHIVE_UNPACKER(compress, PST_AR_COMPRESS, "compress", PST_KIND_COMPRESSED, 0, NULL)
