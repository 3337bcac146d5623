/*
 * ubootenv.c - U-Boot environment blocks (U-Boot's include/env_internal.h,
 * tools/mkenvimage.c): a little-endian CRC32 (zlib's) over the data area,
 * an optional "flags" byte for redundant environments, then the data area:
 * NUL-terminated "name=value" strings, ended by an empty string, padded to
 * the environment size. The size is not stored: it is the whole object, or
 * one of the usual power-of-two sizes, whichever the CRC confirms. bootargs,
 * bootcmd and the scripts are configuration, so the variables become the
 * text child "/uboot-env.txt", one "name=value" per line.
 */
#include <string.h>
#include <zlib.h>
#include "internal.h"

#define MIN_ENV 256u

/* The data area at off looks like variables: a name of name characters,
 * then '='. */
static bool vars_start(const uint8_t *p, size_t len)
{
	size_t i;
	for (i = 0; i < len && i < 64; i++) {
		uint8_t c = p[i];
		if (c == '=')
			return i > 0;
		if (c <= 0x20 || c >= 0x7f)
			return false;
	}
	return false;
}

/* The environment size the CRC confirms, for data at off (4 or 5), or 0. */
static size_t env_size(const uint8_t *h, size_t len, size_t off)
{
	uint32_t want = pst_le32(h);
	size_t sz;
	if (len < off + 2 || !vars_start(h + off, len - off))
		return 0;
	if (len <= PST_CAP_UBOOTENV && crc32_z(0, h + off, len - off) == want)
		return len;
	for (sz = MIN_ENV; sz <= PST_CAP_UBOOTENV && sz < len; sz *= 2)
		if (crc32_z(0, h + off, sz - off) == want)
			return sz;
	return 0;
}

static size_t find(const uint8_t *h, size_t len, size_t *off)
{
	size_t sz;
	if (len < MIN_ENV)
		return 0;
	*off = 4;
	if ((sz = env_size(h, len, 4)))
		return sz;
	*off = 5;
	return env_size(h, len, 5);
}

static unsigned bid(const uint8_t *h, size_t len)
{
	size_t off;
	return find(h, len, &off) ? 96 : 0;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	size_t off = 4, sz = find(in.p, in.len, &off), pos;
	struct pst_obuf ob;
	struct pst_entry e;
	enum pst_err rc;

	if (!sz)
		return PST_EFORMAT;
	k->consumed = sz;
	pst_sink_obuf(k, &ob);
	for (pos = off; pos < sz && in.p[pos];) {
		size_t n = strnlen((const char *)in.p + pos, sz - pos), i;
		for (i = 0; i < n; i++) {
			/* One variable per line: a newline inside a value (scripts)
			 * is kept visible as a space. */
			char c = (char)in.p[pos + i];
			pst_obuf_append(&ob, c == '\n' || c == '\r' ? " " : &c, 1);
		}
		pst_obuf_append(&ob, "\n", 1);
		pos += n + 1;
	}
	memset(&e, 0, sizeof(e));
	e.path = "/uboot-env.txt";
	e.take = &ob;
	rc = pst_sink_emit(k, &e);
	return rc == PST_ENOMEM ? rc : PST_OK;
}

/* The variables U-Boot usually saves first (it sorts them), after the CRC
 * and after the CRC and flag byte. */
static const struct pst_magic magics[] = {
	{ "arch=", 5, 4 }, { "baudrate=", 9, 4 }, { "bootargs=", 9, 4 }, { "bootcmd=", 8, 4 },
	{ "bootdelay=", 10, 4 }, { "arch=", 5, 5 }, { "baudrate=", 9, 5 }, { "bootargs=", 9, 5 },
	{ "bootcmd=", 8, 5 }, { "bootdelay=", 10, 5 }, { NULL, 0, 0 },
};

const struct pst_unpacker pst_unpacker_ubootenv = {
	"uboot-env", PST_KIND_FIRMWARE, PST_UNPACK_CARVE, magics, bid, unpack,
};
