/*
 * androidboot.c - Android boot images (AOSP system/tools/mkbootimg,
 * include/bootimg/bootimg.h), header versions 0 to 4. Versions 0-2: a
 * little-endian header with kernel/ramdisk/second sizes and the page size,
 * the command line at 64 (512 bytes) and its extension at 608 (1024 bytes);
 * v1 adds the recovery DTBO, v2 the DTB. Versions 3-4: 4096-byte pages,
 * kernel and ramdisk sizes at 8 and 12, the command line at 44 (1536
 * bytes), v4 the boot signature size at 1580. Each section starts on a
 * page boundary after the header page. The command line is configuration:
 * it becomes the text child "/cmdline.txt".
 */
#include <string.h>
#include "vendor.h"

#define MAGIC "ANDROID!"

static uint64_t pages(uint64_t len, uint32_t page)
{
	return (len + page - 1) / page * page;
}

static uint32_t version_of(const uint8_t *h)
{
	uint32_t v = pst_le32(h + 40);
	/* v0 images kept other data (dt size) in this field on old devices. */
	return v <= 4 ? v : 0;
}

static unsigned bid(const uint8_t *h, size_t len)
{
	uint32_t v, page;
	if (len < 1660 || memcmp(h, MAGIC, 8) != 0)
		return 0;
	v = version_of(h);
	page = v >= 3 ? 4096 : pst_le32(h + 36);
	if (page < 2048 || page > 65536 || (page & (page - 1)))
		return 0;
	return pst_le32(h + 8) ? 80 : 0;
}

static enum pst_err emit_text(struct pst_sink *k, const uint8_t *a, size_t alen,
			      const uint8_t *b, size_t blen)
{
	struct pst_obuf ob;
	struct pst_entry e;
	size_t n = strnlen((const char *)a, alen), m = b ? strnlen((const char *)b, blen) : 0;
	if (n + m == 0)
		return PST_OK;
	pst_sink_obuf(k, &ob);
	pst_obuf_append(&ob, a, n);
	if (m)
		pst_obuf_append(&ob, b, m);
	pst_obuf_append(&ob, "\n", 1);
	memset(&e, 0, sizeof(e));
	e.path = "/cmdline.txt";
	e.take = &ob;
	return pst_sink_emit(k, &e);
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	const uint8_t *h = pst_view_at(in, 0, 1660);
	struct { const char *name; uint64_t len; } sec[6];
	uint32_t v, page;
	uint64_t off;
	unsigned i, n = 0;
	enum pst_err rc;

	if (!h || memcmp(h, MAGIC, 8) != 0)
		return PST_EFORMAT;
	v = version_of(h);
	page = v >= 3 ? 4096 : pst_le32(h + 36);
	if (page < 2048 || page > 65536 || (page & (page - 1)))
		return PST_EFORMAT;
	sec[n].name = "/kernel";
	sec[n++].len = pst_le32(h + 8);
	if (v >= 3) {
		sec[n].name = "/ramdisk";
		sec[n++].len = pst_le32(h + 12);
		if (v == 4) {
			sec[n].name = "/boot-signature";
			sec[n++].len = pst_le32(h + 1580);
		}
		rc = emit_text(k, h + 44, 1536, NULL, 0);
	} else {
		sec[n].name = "/ramdisk";
		sec[n++].len = pst_le32(h + 16);
		sec[n].name = "/second";
		sec[n++].len = pst_le32(h + 24);
		if (v >= 1) {
			sec[n].name = "/recovery-dtbo";
			sec[n++].len = pst_le32(h + 1632);
		}
		if (v >= 2) {
			sec[n].name = "/dtb";
			sec[n++].len = pst_le32(h + 1648);
		}
		rc = emit_text(k, h + 64, 512, h + 608, 1024);
	}
	off = page;
	for (i = 0; i < n && rc != PST_ENOMEM; i++) {
		if (sec[i].len)
			rc = pst_vendor_emit(k, in, off, sec[i].len, sec[i].name);
		off += pages(sec[i].len, page);
	}
	k->consumed = off < in.len ? off : in.len;
	return rc == PST_ENOMEM ? rc : PST_OK;
}

static const struct pst_magic magics[] = { { MAGIC, 8, 0 }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_androidboot = {
	"android-boot", PST_KIND_FIRMWARE, PST_UNPACK_CARVE, magics, bid, unpack,
};
