/*
 * androidsparse.c - Android sparse images (AOSP system/core/libsparse,
 * sparse_format.h): a 28-byte little-endian file header (magic 0xed26ff3a,
 * version 1.x, header sizes, block size, total blocks and chunks) and
 * chunks of a 12-byte header (type, blocks, bytes with header) that are
 * RAW (data follows), FILL (a 4-byte pattern), DONT_CARE (a hole, read as
 * zeros) or CRC32 (of the expanded image so far). The child is the
 * expanded image, built in a sink buffer so the per-file limit caps a
 * sparse bomb.
 */
#include <string.h>
#include <zlib.h>
#include "internal.h"

#define MAGIC 0xed26ff3au
#define RAW 0xcac1u
#define FILL 0xcac2u
#define DONT_CARE 0xcac3u
#define CRC 0xcac4u

static unsigned bid(const uint8_t *h, size_t len)
{
	uint32_t blk;
	if (len < 28 || pst_le32(h) != MAGIC || pst_le16(h + 4) != 1 || pst_le16(h + 8) < 28 ||
	    pst_le16(h + 10) < 12)
		return 0;
	blk = pst_le32(h + 12);
	if (blk < 512 || (blk & 3) || blk > (1u << 20))
		return 0;
	return 80;
}

/* Appends n copies of the 4-byte pattern (zeros when pat is NULL). */
static enum pst_err fill(struct pst_obuf *ob, const uint8_t *pat, uint64_t n)
{
	while (n) {
		size_t room, i;
		enum pst_err rc = pst_obuf_grow(ob, 1u << 20, &room);
		if (rc)
			return rc;
		room &= ~(size_t)3;
		if (room == 0)
			return PST_ELIMIT;
		if (room > n)
			room = (size_t)n;
		if (pat)
			for (i = 0; i < room; i++)
				ob->p[ob->len + i] = pat[i & 3];
		else
			memset(ob->p + ob->len, 0, room);
		ob->len += room;
		n -= room;
	}
	return PST_OK;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	uint16_t fhdr = 0, chdr = 0;
	uint32_t blk = 0, nchunks = 0, i;
	uint64_t pos;
	struct pst_obuf ob;
	struct pst_entry e;
	enum pst_err rc = PST_OK;
	bool damaged = false;
	/* The CRC of the output so far, brought up to date at each CRC chunk, so
	 * many CRC chunks cost no more than one. */
	uLong crc = crc32(0, NULL, 0);
	size_t crc_len = 0;

	if (!pst_view_le16(in, 8, &fhdr) || !pst_view_le16(in, 10, &chdr) ||
	    !pst_view_le32(in, 12, &blk) || !pst_view_le32(in, 20, &nchunks) || blk == 0)
		return PST_EFORMAT;
	pst_sink_obuf(k, &ob);
	pos = fhdr;
	for (i = 0; i < nchunks && rc == PST_OK; i++) {
		uint16_t type = 0;
		uint32_t nblk = 0, total = 0;
		uint64_t bytes;
		const uint8_t *d;
		if (!pst_view_le16(in, pos, &type) || !pst_view_le32(in, pos + 4, &nblk) ||
		    !pst_view_le32(in, pos + 8, &total) || total < chdr) {
			pst_sink_damage(k, PST_EFORMAT, "chunk %u of %u missing or bad", i, nchunks);
			damaged = true;
			break;
		}
		bytes = (uint64_t)nblk * blk;
		d = pst_view_at(in, pos + chdr, total - chdr);
		switch (type) {
		case RAW:
			if (!d || total - chdr != bytes) {
				struct pst_view part = pst_view_sub(in, pos + chdr, bytes);
				pst_sink_damage(k, PST_EFORMAT, "raw chunk %u truncated or inconsistent", i);
				damaged = true;
				if (part.len)
					pst_obuf_append(&ob, part.p, part.len);
				rc = PST_EFORMAT;
				break;
			}
			rc = pst_obuf_append(&ob, d, bytes);
			break;
		case FILL:
			if (!d || total - chdr < 4) {
				pst_sink_damage(k, PST_EFORMAT, "fill chunk %u truncated", i);
				damaged = true;
				rc = PST_EFORMAT;
				break;
			}
			rc = fill(&ob, d, bytes);
			break;
		case DONT_CARE:
			rc = fill(&ob, NULL, bytes);
			break;
		case CRC:
			if (ob.over)
				break;
			crc = crc32_z(crc, ob.p + crc_len, ob.len - crc_len);
			crc_len = ob.len;
			if (d && total - chdr >= 4 && (uint32_t)crc != pst_le32(d))
				pst_finding_add(k->scan, k->parent, "container.checksum-mismatch",
						PST_SEV_LOW, "integrity", pos, NULL,
						"sparse image CRC32 does not match the expanded content");
			break;
		default:
			pst_sink_damage(k, PST_EFORMAT, "unknown chunk type 0x%x", type);
			damaged = true;
			rc = PST_EFORMAT;
			break;
		}
		pos += total;
	}
	if (rc == PST_ELIMIT)
		ob.over = true;
	if (rc == PST_ENOMEM) {
		pst_obuf_free(&ob);
		return rc;
	}
	k->consumed = pos < in.len ? pos : in.len;
	memset(&e, 0, sizeof(e));
	e.path = "/image.raw";
	e.take = &ob;
	if (damaged)
		e.flags |= PST_NODE_TRUNCATED;
	rc = pst_sink_emit(k, &e);
	return rc == PST_ENOMEM ? rc : PST_OK;
}

static const struct pst_magic magics[] = { { "\x3a\xff\x26\xed", 4, 0 }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_androidsparse = {
	"android-sparse", PST_KIND_FILESYSTEM, PST_UNPACK_CARVE, magics, bid, unpack,
};
