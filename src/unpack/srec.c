/*
 * srec.c - Motorola S-records (the SREC format as in srec(5) of the
 * SRecord project and objcopy): lines "S<type><count><address><data><sum>"
 * where count covers address, data and checksum, S1/S2/S3 carry data with
 * 2/3/4-byte addresses, S0 is a header, S5/S6 a record count, S7/S8/S9 the
 * end, and the checksum is the one's complement of the low byte of the sum
 * of count, address and data. The data becomes binary children, one per
 * contiguous region; every checksum is verified.
 */
#include <string.h>
#include "hexrec.h"

static unsigned addr_len(uint8_t t)
{
	static const unsigned a[10] = { 2, 2, 3, 4, 0, 2, 3, 4, 3, 2 };
	return t <= 9 ? a[t] : 0;
}

/* Decodes one record; false when the line is not a well-formed record. */
static bool record(struct pst_view l, uint8_t *type, uint8_t rec[260], size_t *n)
{
	size_t cnt, i;
	uint8_t sum = 0;
	if (l.len < 10 || l.p[0] != 'S' || l.p[1] < '0' || l.p[1] > '9' || l.p[1] == '4')
		return false;
	*type = (uint8_t)(l.p[1] - '0');
	if (!pst_hex_decode(l.p + 2, 1, rec))
		return false;
	cnt = (size_t)rec[0] + 1;
	if (rec[0] < addr_len(*type) + 1 || l.len < 2 + 2 * cnt || !pst_hex_decode(l.p + 2, cnt, rec))
		return false;
	for (i = 0; i + 1 < cnt; i++)
		sum = (uint8_t)(sum + rec[i]);
	*n = cnt;
	sum = (uint8_t)(sum + rec[cnt - 1]);
	return sum == 0xff; /* the checksum is the complement of the sum */
}

static unsigned bid(const uint8_t *h, size_t len)
{
	uint8_t rec[260], t;
	size_t n;
	uint64_t next;
	struct pst_view l = pst_hexrec_line(pst_view_make(h, len < 600 ? len : 600), 0, &next);
	if (len < 10 || h[0] != 'S' || !record(l, &t, rec, &n) || next >= len || h[next] != 'S')
		return 0;
	return 40;
}

static bool line(struct pst_hexrec *b, struct pst_view l, void *ctx, bool *end, enum pst_err *rc)
{
	uint8_t rec[260], t = 0;
	size_t n, i;
	unsigned al;
	uint64_t addr = 0;

	(void)ctx;
	if (!record(l, &t, rec, &n))
		return false;
	al = addr_len(t);
	for (i = 0; i < al; i++)
		addr = addr << 8 | rec[1 + i];
	if (t >= 1 && t <= 3)
		*rc = pst_hexrec_put(b, addr, rec + 1 + al, n - 2 - al);
	else if (t >= 7)
		*end = true;
	return true;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	return pst_hexrec_run(k, in, line, NULL, "no termination record");
}

static const struct pst_magic magics[] = { { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_srec = {
	"srec", PST_KIND_ARCHIVE, 0, magics, bid, unpack,
};
