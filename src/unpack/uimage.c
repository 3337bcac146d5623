/*
 * uimage.c - U-Boot legacy images (include/image.h in U-Boot: a 64-byte
 * big-endian header with its own CRC32, then the payload, compressed as the
 * header's comp field says). Multi-file images (type 4) carry a zero-ended
 * table of sizes after the header, each image padded to 4 bytes.
 */
#include <string.h>
#include <zlib.h>
#include "stream.h"

#define UIMAGE_MAGIC 0x27051956u
#define HDR 64

static bool header_crc_ok(const uint8_t *h)
{
	uint8_t copy[HDR];
	memcpy(copy, h, HDR);
	memset(copy + 4, 0, 4);
	return crc32(0, copy, HDR) == pst_be32(h + 4);
}

static unsigned bid(const uint8_t *h, size_t len)
{
	if (len < HDR || pst_be32(h) != UIMAGE_MAGIC)
		return 0;
	return header_crc_ok(h) ? 64 : 0;
}

static const char *type_name(uint8_t t)
{
	switch (t) {
	case 1: return "standalone";
	case 2: return "kernel";
	case 3: return "ramdisk";
	case 4: return "multi";
	case 5: return "firmware";
	case 6: return "script";
	case 7: return "filesystem";
	case 8: return "fdt";
	default: return "image";
	}
}

/* The size table a multi-file image and a script start with: big-endian
 * sizes until a zero word (at most 64). Returns how many sizes; *ended says
 * whether the zero word was there, *data where the parts begin. */
static unsigned size_table(struct pst_view payload, uint32_t sz[64], bool *ended, uint64_t *data)
{
	unsigned n = 0;
	uint32_t w = 0;
	*ended = false;
	while (n < 64 && pst_view_be32(payload, (uint64_t)n * 4, &w)) {
		if (w == 0) {
			*ended = true;
			break;
		}
		sz[n++] = w;
	}
	*data = (uint64_t)n * 4 + 4;
	return n;
}

/* Whether the n parts of the table, 4-byte aligned from data on, all lie in
 * the payload. */
static bool parts_fit(struct pst_view payload, const uint32_t *sz, unsigned n, uint64_t data)
{
	unsigned i;
	for (i = 0; i < n; i++) {
		if (!pst_view_has(payload, data, sz[i]))
			return false;
		data += ((uint64_t)sz[i] + 3) & ~(uint64_t)3;
	}
	return true;
}

/* The codec whose magic the payload starts with, or -1 (LZMA alone has
 * none). */
static int magic_codec(struct pst_view data)
{
	static const struct {
		const char *m;
		size_t n;
		int codec;
	} t[] = {
		{ "\x1f\x8b", 2, PST_CODEC_GZIP },       { "\xfd" "7zXZ\0", 6, PST_CODEC_XZ },
		{ "BZh", 3, PST_CODEC_BZIP2 },            { "\x28\xb5\x2f\xfd", 4, PST_CODEC_ZSTD },
		{ "\x04\x22\x4d\x18", 4, PST_CODEC_LZ4 },
	};
	size_t i;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const uint8_t *p = pst_view_at(data, 0, t[i].n);
		if (p && memcmp(p, t[i].m, t[i].n) == 0)
			return t[i].codec;
	}
	return -1;
}

/* Emits one payload, [off, off + len) of in, decompressing it as comp says.
 * A stream that ends before the payload does leaves the rest to the carver:
 * vendors declare the whole flash as the kernel's payload and put the root
 * filesystem behind the kernel stream. */
static enum pst_err emit_payload(struct pst_sink *k, struct pst_view in, uint64_t off,
				 uint64_t len, uint8_t comp, const char *name)
{
	struct pst_view data = pst_view_sub(in, off, len);
	struct pst_entry e;
	struct pst_obuf ob;
	uint64_t used;
	enum pst_err rc;
	int c;
	static const int codec[] = { -1, PST_CODEC_GZIP, PST_CODEC_BZIP2, PST_CODEC_LZMA, -1,
				     PST_CODEC_LZ4, PST_CODEC_ZSTD };

	memset(&e, 0, sizeof(e));
	e.path = name;
	e.offset = off;
	if (comp == 0) {
		e.borrow = data.p;
		e.borrow_len = data.len;
		return pst_sink_emit(k, &e);
	}
	if (comp >= sizeof(codec) / sizeof(codec[0]) || codec[comp] < 0) {
		/* LZO and unknown methods: keep the raw payload for carving. */
		pst_sink_damage(k, PST_EUNSUPPORTED, "compression method %u not supported", comp);
		e.borrow = data.p;
		e.borrow_len = data.len;
		return pst_sink_emit(k, &e);
	}
	/* A payload whose magic names another method is decompressed as its
	 * bytes say: U-Boot hands a ramdisk over as it is and Linux unpacks
	 * an initramfs by its magic, so a header that lies about it still
	 * boots (Debian 12's Buffalo initrd.buffalo says gzip and is xz). */
	c = magic_codec(data);
	if (c < 0)
		c = codec[comp];
	pst_sink_obuf(k, &ob);
	rc = pst_decompress((enum pst_codec)c, data, &ob, &used);
	if (rc == PST_ENOMEM) {
		pst_obuf_free(&ob);
		return rc;
	}
	if (rc == PST_EFORMAT) {
		e.flags |= PST_NODE_TRUNCATED;
		pst_sink_damage(k, rc, "%s payload does not decompress cleanly", name + 1);
	}
	e.take = &ob;
	rc = pst_sink_emit(k, &e);
	if (rc == PST_OK && used < data.len)
		pst_carve_rest(k, in, off, data.len, used);
	return rc;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	const uint8_t *h = pst_view_at(in, 0, HDR);
	uint32_t size, dcrc, sz[64];
	uint8_t type, comp;
	struct pst_view payload;
	char name[64];
	uint64_t off;
	unsigned n;
	bool ended, script;
	enum pst_err rc = PST_OK;

	if (!h || pst_be32(h) != UIMAGE_MAGIC || !header_crc_ok(h))
		return PST_EFORMAT;
	size = pst_be32(h + 12);
	dcrc = pst_be32(h + 24);
	type = h[30];
	comp = h[31];
	payload = pst_view_sub(in, HDR, size);
	k->consumed = HDR + (uint64_t)payload.len;
	k->header = HDR;
	if (payload.len < size)
		pst_sink_damage(k, PST_EFORMAT, "payload truncated: %zu of %u bytes", payload.len, size);
	else if (crc32(0, payload.p, (uInt)payload.len) != dcrc)
		pst_sink_damage(k, PST_EFORMAT, "payload CRC mismatch");

	n = size_table(payload, sz, &ended, &off);
	/* A script: U-Boot's `source` reads it through the same size table as
	 * a multi-file image and never decompresses it, whatever the header
	 * says (Debian's armhf tftpboot.scr says gzip and is text). */
	script = type == 6 && n > 0 && ended && parts_fit(payload, sz, n, off);
	if (type == 4 || script) {
		unsigned i;
		for (i = 0; i < n && rc != PST_ENOMEM; i++) {
			if (!pst_view_has(payload, off, sz[i])) {
				pst_sink_damage(k, PST_EFORMAT, "multi-image part %u runs past the payload", i);
				break;
			}
			if (!script)
				snprintf(name, sizeof(name), "/part%u", i);
			else
				snprintf(name, sizeof(name), n == 1 ? "/script" : "/script%u", i);
			/* Only a multi-file image's first part (the kernel) is
			 * compressed by comp. */
			rc = emit_payload(k, in, HDR + off, sz[i], i == 0 && !script ? comp : 0,
					  name);
			off += ((uint64_t)sz[i] + 3) & ~(uint64_t)3;
		}
		return rc == PST_ENOMEM ? rc : PST_OK;
	}
	snprintf(name, sizeof(name), "/%s", type_name(type));
	rc = emit_payload(k, in, HDR, payload.len, comp, name);
	return rc == PST_ENOMEM ? rc : PST_OK;
}

static const struct pst_magic magics[] = { { "\x27\x05\x19\x56", 4, 0 }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_uimage = {
	"uimage", PST_KIND_FIRMWARE, PST_UNPACK_CARVE, magics, bid, unpack,
};
