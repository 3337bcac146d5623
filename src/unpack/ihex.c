/*
 * ihex.c - Intel HEX (Intel's "Hexadecimal Object File Format
 * Specification", rev. A): lines ":LLAAAATT<data>CC" with LL data bytes,
 * a 16-bit address, a record type (00 data, 01 end of file, 02 extended
 * segment address, 03 start segment address, 04 extended linear address,
 * 05 start linear address) and a checksum that makes all the line's bytes
 * sum to zero. The data becomes binary children, one per contiguous region;
 * every checksum is verified.
 */
#include <string.h>
#include "hexrec.h"

/* Decodes one record line; false when it is not a well-formed record. */
static bool record(struct pst_view l, uint8_t rec[260], size_t *n)
{
	size_t cnt, i;
	uint8_t sum = 0;
	if (l.len < 11 || l.p[0] != ':' || !pst_hex_decode(l.p + 1, 1, rec))
		return false;
	cnt = (size_t)rec[0] + 5;
	if (l.len < 1 + 2 * cnt || !pst_hex_decode(l.p + 1, cnt, rec))
		return false;
	for (i = 0; i < cnt; i++)
		sum = (uint8_t)(sum + rec[i]);
	*n = cnt;
	return sum == 0 && rec[3] <= 5;
}

static unsigned bid(const uint8_t *h, size_t len)
{
	uint8_t rec[260];
	size_t n;
	uint64_t next;
	struct pst_view l = pst_hexrec_line(pst_view_make(h, len < 600 ? len : 600), 0, &next);
	if (len < 11 || h[0] != ':' || !record(l, rec, &n) || next >= len || h[next] != ':')
		return 0;
	return 40;
}

/* One line; ctx is the base address the extended address records set. */
static bool line(struct pst_hexrec *b, struct pst_view l, void *ctx, bool *end, enum pst_err *rc)
{
	uint64_t *base = ctx;
	uint8_t rec[260];
	size_t n;

	if (!record(l, rec, &n))
		return false;
	switch (rec[3]) {
	case 0:
		*rc = pst_hexrec_put(b, *base + ((uint64_t)rec[1] << 8 | rec[2]), rec + 4, rec[0]);
		break;
	case 1:
		*end = true;
		break;
	case 2:
		if (rec[0] == 2)
			*base = ((uint64_t)rec[4] << 8 | rec[5]) << 4;
		break;
	case 4:
		if (rec[0] == 2)
			*base = ((uint64_t)rec[4] << 8 | rec[5]) << 16;
		break;
	default:
		break;
	}
	return true;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	uint64_t base = 0;
	return pst_hexrec_run(k, in, line, &base, "no end-of-file record");
}

static const struct pst_magic magics[] = { { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_ihex = {
	"ihex", PST_KIND_ARCHIVE, 0, magics, bid, unpack,
};
