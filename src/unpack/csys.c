/*
 * csys.c - the upper-case "CSYS" header of Realtek-SDK router images (Edimax
 * and the brands built on its SDK; OpenWrt's firmware-utils csysimg.h names
 * the signature). The documented form is 12 bytes: "CSYS", a load address
 * and the payload size, little-endian. Vendor images stretch it: 20-byte
 * headers whose extra words are undocumented, sizes in either byte order,
 * sizes that cover the whole rest of the flash. So the payload is found the
 * way the boot loader finds it, where a known object starts after the
 * signature (12 to 64 bytes in, 4-byte aligned), and the header's words are
 * reported as read (the node's detail), with the ones that can be named
 * (load address: an address in a MIPS kernel segment; size: what agrees with
 * the image) named.
 */
#include <stdio.h>
#include <string.h>
#include "vendor.h"

#define SIG "CSYS"
#define HDR_MIN 12u
#define HDR_MAX 64u

static bool kseg(uint32_t a)
{
	return a >= 0x80000000u && a < 0xc0000000u;
}

/* Where the payload starts: the first aligned offset after the signature
 * at which an unpacker recognises an object; 0 when none does. *b gets that
 * bid, which the payload's node takes (one bid per node). */
static uint64_t payload_at(struct pst_view in, struct pst_bid *b)
{
	uint64_t o;
	for (o = HDR_MIN; o <= HDR_MAX && o + 64 <= in.len; o += 4) {
		*b = pst_bid_make(in.p + o, in.len - (size_t)o);
		if (b->u)
			return o;
	}
	return 0;
}

static unsigned bid(const uint8_t *h, size_t len)
{
	if (len < HDR_MIN + 64 || memcmp(h, SIG, 4) != 0)
		return 0;
	/* The load address is the one field every variant has. */
	if (!kseg(pst_le32(h + 4)) && !kseg(pst_be32(h + 4)))
		return 0;
	return 40;
}

/* The declared size, in whichever byte order it fits the image. */
static uint32_t declared(const uint8_t *h, uint64_t avail)
{
	uint32_t le = pst_le32(h + 8), be = pst_be32(h + 8);
	if (le && le <= avail)
		return le;
	if (be && be <= avail)
		return be;
	return le < be ? le : be;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	const uint8_t *h = pst_view_at(in, 0, HDR_MIN), *word;
	struct pst_bid b = { NULL, 0, NULL, 0 };
	uint64_t hdr, len;
	uint32_t size, addr;
	char what[240];
	size_t w;
	uint64_t o;

	if (!h || memcmp(h, SIG, 4) != 0)
		return PST_EFORMAT;
	hdr = payload_at(in, &b);
	if (!hdr)
		return PST_EFORMAT; /* a signature with nothing known behind it */
	addr = kseg(pst_le32(h + 4)) ? pst_le32(h + 4) : pst_be32(h + 4);
	size = declared(h, in.len - hdr);
	w = (size_t)snprintf(what, sizeof(what), "CSYS header, %llu bytes: load address 0x%08x, declared size %u",
			     (unsigned long long)hdr, addr, size);
	/* at most 13 more words (HDR_MAX): 11 bytes each fit the buffer */
	for (o = HDR_MIN; w < sizeof(what) && (word = pst_view_at(in, o, 4)) && o + 4 <= hdr; o += 4)
		w += (size_t)snprintf(what + w, sizeof(what) - w, "%s0x%08x", o == HDR_MIN ? "; more words " : " ",
				      pst_le32(word));
	k->parent->kind_detail = pst_arena_strdup(k->scan->arena, what);
	k->header = hdr;
	len = in.len - hdr;
	/* A size past the image is one of the header's lies, not damage:
	 * every byte there is examined all the same. */
	if (size < len)
		len = size;
	/* A payload shorter than declared is carved past its end (walk.c). */
	k->consumed = hdr + len;
	if (pst_vendor_emit_bid(k, in, hdr, len, "/payload", &b) == PST_ENOMEM)
		return PST_ENOMEM;
	return PST_OK;
}

static const struct pst_magic magics[] = { { SIG, 4, 0 }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_csys = {
	"csys", PST_KIND_FIRMWARE, PST_UNPACK_CARVE, magics, bid, unpack,
};
