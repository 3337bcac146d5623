/*
 * identify.c - names data that no unpacker opens but that is known for what
 * it is: pictures, fonts, sound, databases, locale tables, kernel images,
 * device firmware loaded by drivers. Such data counts as examined (the
 * signature and string analyzers read it like any file); data nothing
 * opened or identified does not (carve.c, docs/findings/coverage.md).
 *
 * Every test reads a magic at a fixed offset and, where the format has one,
 * a length or count field that must agree with the file: a magic alone is two
 * to four bytes an attacker can put in front of anything, so the checks ask
 * for what a real file of the kind has. Sources: the PNG, GIF, JPEG (JFIF),
 * RIFF, OpenType/WOFF, SQLite and gettext file format specifications;
 * tzfile(5), term(5); the Linux boot protocols (Documentation/arch/arm/
 * booting.rst, arm64/booting.rst, x86/boot.rst).
 */
#include <string.h>
#include <zlib.h>
#include "internal.h"

static bool at(struct pst_view v, uint64_t off, const char *magic, size_t len)
{
	const uint8_t *p = pst_view_at(v, off, len);
	return p && memcmp(p, magic, len) == 0;
}

/* PNG: signature, an IHDR chunk of 13 bytes, then chunks whose CRCs hold
 * up to IEND at the end of the file: the compressed pixels are the
 * high-entropy part, and a CRC over each chunk says they are the picture's. */
static bool png(struct pst_view v)
{
	uint64_t off = 8;
	if (!at(v, 0, "\x89PNG\r\n\x1a\n", 8) || !at(v, 8, "\0\0\0\x0dIHDR", 8))
		return false;
	for (;;) {
		const uint8_t *h = pst_view_at(v, off, 8), *c;
		uint32_t len;
		if (!h)
			return false;
		len = pst_be32(h);
		c = pst_view_at(v, off + 8 + len, 4);
		if (!c || (uint32_t)crc32(0, h + 4, len + 4) != pst_be32(c))
			return false;
		off += 12 + (uint64_t)len;
		if (memcmp(h + 4, "IEND", 4) == 0)
			return off == v.len;
	}
}

/* JPEG: SOI, then a marker segment (APPn, DQT, SOF, COM...). */
static bool jpeg(struct pst_view v)
{
	const uint8_t *p = pst_view_at(v, 0, 4);
	return p && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff && p[3] >= 0xc0 && p[3] != 0xff;
}

static bool gif(struct pst_view v)
{
	return at(v, 0, "GIF87a", 6) || at(v, 0, "GIF89a", 6);
}

/* RIFF containers (WebP, WAV, AVI): the chunk size is the file's less 8. */
static bool riff(struct pst_view v)
{
	const uint8_t *p = pst_view_at(v, 0, 12);
	if (!p || memcmp(p, "RIFF", 4) != 0)
		return false;
	return (uint64_t)pst_le32(p + 4) + 8 <= v.len + 1 &&
	       (memcmp(p + 8, "WEBP", 4) == 0 || memcmp(p + 8, "WAVE", 4) == 0 ||
		memcmp(p + 8, "AVI ", 4) == 0);
}

/* TrueType/OpenType: version, then a table count whose directory fits. */
static bool font(struct pst_view v)
{
	const uint8_t *p = pst_view_at(v, 0, 12);
	uint16_t ntables;
	if (!p)
		return false;
	if (memcmp(p, "wOFF", 4) == 0 || memcmp(p, "wOF2", 4) == 0)
		return (uint64_t)pst_be32(p + 8) == v.len;
	if (memcmp(p, "ttcf", 4) == 0)
		return true;
	if (memcmp(p, "\0\1\0\0", 4) != 0 && memcmp(p, "OTTO", 4) != 0)
		return false;
	ntables = pst_be16(p + 4);
	return ntables > 0 && ntables < 64 && 12 + (uint64_t)ntables * 16 <= v.len;
}

static bool sqlite_db(struct pst_view v)
{
	return at(v, 0, "SQLite format 3", 16);
}

/* GNU gettext message catalog: magic in either byte order, revision 0/1. */
static bool gettext_mo(struct pst_view v)
{
	const uint8_t *p = pst_view_at(v, 0, 8);
	if (!p)
		return false;
	if (pst_le32(p) == 0x950412deu)
		return (pst_le32(p + 4) >> 16) <= 1;
	if (pst_be32(p) == 0x950412deu)
		return (pst_be32(p + 4) >> 16) <= 1;
	return false;
}

/* One OpenPGP packet header at off (RFC 4880 4.2): *tag and *end (the
 * packet's end) on success; partial lengths are refused. */
static bool pgp_packet(struct pst_view v, uint64_t off, unsigned *tag, uint64_t *end)
{
	const uint8_t *p = pst_view_at(v, off, 2);
	uint64_t hdr, len;
	if (!p || !(p[0] & 0x80))
		return false;
	if (p[0] & 0x40) {
		*tag = p[0] & 0x3f;
		if (p[1] < 192) {
			hdr = 2;
			len = p[1];
		} else if (p[1] < 224 && (p = pst_view_at(v, off, 3))) {
			hdr = 3;
			len = ((uint64_t)(p[1] - 192) << 8) + p[2] + 192;
		} else if (p[1] == 255 && (p = pst_view_at(v, off, 6))) {
			hdr = 6;
			len = pst_be32(p + 2);
		} else {
			return false;
		}
	} else {
		unsigned lt = p[0] & 3;
		*tag = (p[0] >> 2) & 0x0f;
		hdr = lt == 0 ? 2 : lt == 1 ? 3 : 5;
		if (lt == 3 || !(p = pst_view_at(v, off, hdr)))
			return false;
		len = lt == 0 ? p[1] : lt == 1 ? pst_be16(p + 1) : pst_be32(p + 1);
	}
	*end = off + hdr + len;
	return *end <= v.len;
}

/* An OpenPGP keyring or detached signature: a key (tags 5, 6) or signature
 * (2) packet first, with a version RFC 4880/9580 knows, and the whole file
 * a chain of well-formed packets of the kinds keyrings hold - so a key
 * header in front of other bytes is not enough. */
static bool openpgp(struct pst_view v)
{
	static const unsigned ok[] = { 2, 5, 6, 7, 12, 13, 14, 17 };
	uint64_t off = 0, end, body;
	unsigned tag, n = 0;
	size_t i;
	const uint8_t *ver;
	if (!pgp_packet(v, 0, &tag, &end) || (tag != 2 && tag != 5 && tag != 6))
		return false;
	/* the first packet's body starts with its version */
	body = (v.p[0] & 0x40) ? (v.p[1] < 192 ? 2 : v.p[1] < 224 ? 3 : 6)
			       : ((v.p[0] & 3) == 0 ? 2 : (v.p[0] & 3) == 1 ? 3 : 5);
	ver = pst_view_at(v, body, 1);
	if (!ver || *ver < 3 || *ver > 6)
		return false;
	while (off < v.len && n++ < 100000) {
		if (!pgp_packet(v, off, &tag, &end) || end == off)
			return false;
		for (i = 0; i < sizeof(ok) / sizeof(ok[0]) && ok[i] != tag; i++)
			;
		if (i == sizeof(ok) / sizeof(ok[0]))
			return false;
		off = end;
	}
	return off == v.len;
}

/* GNU screen's encoding tables (/usr/share/screen/utf8encodings). */
static bool screen_encoding(struct pst_view v)
{
	return at(v, 0, "ScreenI2UTF8", 12);
}

const char pst_kind_pe[] = "PE program (Windows or EFI)";

/* A PE image (Windows or EFI program): the MZ stub's e_lfanew points at the
 * PE signature inside the file. */
static bool pe_image(struct pst_view v)
{
	const uint8_t *p = pst_view_at(v, 0, 64);
	uint32_t pe;
	if (!p || p[0] != 'M' || p[1] != 'Z')
		return false;
	pe = pst_le32(p + 60);
	return at(v, pe, "PE\0\0", 4);
}

static bool tzif(struct pst_view v)
{
	return at(v, 0, "TZif", 4);
}

/* terminfo compiled entry: legacy or extended-number magic, sane sizes. */
static bool terminfo(struct pst_view v)
{
	const uint8_t *p = pst_view_at(v, 0, 12);
	uint16_t m;
	if (!p)
		return false;
	m = pst_le16(p);
	return (m == 0x011a || m == 0x021e) && pst_le16(p + 2) < 4096 && pst_le16(p + 4) < 1024;
}

/* A Linux kernel image that is not ELF: the ARM zImage (its magic at 0x24,
 * or a few words later in kernels whose head has more instructions before
 * it, then start and end addresses), the arm64 Image ("ARM\x64" at 0x38), the
 * x86 bzImage ("HdrS" at 0x202), or a raw image that carries the kernel's
 * version banner (a MIPS or PowerPC kernel a uImage or a loader
 * decompressed). */
static bool kernel_image(struct pst_view v)
{
	static const char banner[] = "Linux version ";
	const uint8_t *p, *hit;
	uint64_t off;
	for (off = 0x24; off <= 0x3c; off += 4)
		if ((p = pst_view_at(v, off, 12)) && pst_le32(p) == 0x016f2818u &&
		    pst_le32(p + 8) >= pst_le32(p + 4))
			return true;
	if (at(v, 0x38, "ARM\x64", 4) || at(v, 0x202, "HdrS", 4))
		return true;
	hit = memmem(v.p, v.len, banner, sizeof(banner) - 1);
	if (!hit)
		return false;
	p = hit + sizeof(banner) - 1;
	/* "Linux version 4.9.164 (builder@host) (gcc ...) #0 ..." */
	return (size_t)(v.p + v.len - p) >= 8 && p[0] >= '2' && p[0] <= '9' &&
	       (p[1] == '.' || (p[1] >= '0' && p[1] <= '9' && p[2] == '.')) &&
	       memmem(p, (size_t)(v.p + v.len - p) < 256 ? (size_t)(v.p + v.len - p) : 256, " (",
		      2) != NULL;
}

/* Device firmware: blobs the kernel's request_firmware() loads for Wi-Fi,
 * DSP and other chips live in the firmware search path (see the kernel's
 * Documentation/driver-api/firmware/fw_search_path.rst). */
static bool device_firmware(const struct pst_node *n)
{
	static const char *const dirs[] = { "/lib/firmware/", "/usr/lib/firmware/",
					    "/etc/firmware/", "/lib/firmware-", NULL };
	size_t i;
	if (!n->path)
		return false;
	for (i = 0; dirs[i]; i++)
		if (strncmp(n->path, dirs[i], strlen(dirs[i])) == 0)
			return true;
	return false;
}

const char *pst_identify(const struct pst_node *n, struct pst_view v)
{
	static const struct {
		bool (*test)(struct pst_view v);
		const char *name;
	} kinds[] = {
		{ png, "PNG image" },         { jpeg, "JPEG image" },
		{ gif, "GIF image" },         { riff, "RIFF media (WebP, WAV, AVI)" },
		{ font, "font" },             { sqlite_db, "SQLite database" },
		{ gettext_mo, "gettext message catalog" },
		{ tzif, "time zone data" },   { terminfo, "terminfo entry" },
		{ kernel_image, "Linux kernel image" },
		{ openpgp, "OpenPGP key or signature" },
		{ screen_encoding, "GNU screen encoding table" },
		{ pe_image, pst_kind_pe },
	};
	size_t i;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].test(v))
			return kinds[i].name;
	if (device_firmware(n))
		return "device firmware (driver-loaded blob)";
	return NULL;
}
