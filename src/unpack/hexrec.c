/*
 * hexrec.c - the region builder shared by ihex.c and srec.c: records come
 * with absolute addresses; contiguous ones (allowing small gaps) are joined
 * into one binary child named after its start address.
 */
#include <string.h>
#include "hexrec.h"

static int nib(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool pst_hex_decode(const uint8_t *p, size_t n, uint8_t *out)
{
	size_t i;
	for (i = 0; i < n; i++) {
		int hi = nib(p[2 * i]), lo = nib(p[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

void pst_hexrec_init(struct pst_hexrec *b, struct pst_sink *k)
{
	memset(b, 0, sizeof(*b));
	b->k = k;
}

static enum pst_err flush(struct pst_hexrec *b)
{
	struct pst_entry e;
	char name[48];
	if (!b->open)
		return PST_OK;
	b->open = false;
	memset(&e, 0, sizeof(e));
	snprintf(name, sizeof(name), "/image-0x%08llx.bin", (unsigned long long)b->start);
	e.path = name;
	e.take = &b->ob;
	if (b->damaged)
		e.flags |= PST_NODE_TRUNCATED;
	return pst_sink_emit(b->k, &e);
}

enum pst_err pst_hexrec_put(struct pst_hexrec *b, uint64_t addr, const uint8_t *p, size_t n)
{
	static const uint8_t zeros[256];
	enum pst_err rc;
	uint64_t end = b->start + b->ob.len;

	if (b->open && (addr < b->start || addr > end + PST_HEXREC_GAP)) {
		rc = flush(b);
		if (rc)
			return rc;
	}
	if (!b->open) {
		pst_sink_obuf(b->k, &b->ob);
		b->start = addr;
		b->open = true;
		end = addr;
	}
	while (end < addr) {
		size_t z = addr - end > sizeof(zeros) ? sizeof(zeros) : (size_t)(addr - end);
		rc = pst_obuf_append(&b->ob, zeros, z);
		if (rc)
			return rc;
		end += z;
	}
	if (addr < end) {
		/* Rewrites bytes already placed (records out of order). */
		size_t at = (size_t)(addr - b->start), over = b->ob.len - at;
		if (over > n)
			over = n;
		memcpy(b->ob.p + at, p, over);
		p += over;
		n -= over;
	}
	return n ? pst_obuf_append(&b->ob, p, n) : PST_OK;
}

enum pst_err pst_hexrec_finish(struct pst_hexrec *b)
{
	enum pst_err rc = flush(b);
	pst_obuf_free(&b->ob);
	return rc;
}

struct pst_view pst_hexrec_line(struct pst_view in, uint64_t off, uint64_t *next)
{
	uint64_t e = off;
	struct pst_view l;
	while (e < in.len && in.p[e] != '\n' && in.p[e] != '\r')
		e++;
	l = pst_view_sub(in, off, e - off);
	while (e < in.len && (in.p[e] == '\n' || in.p[e] == '\r'))
		e++;
	*next = e;
	return l;
}

enum pst_err pst_hexrec_run(struct pst_sink *k, struct pst_view in, pst_hexrec_record_fn fn, void *ctx,
			    const char *no_end)
{
	struct pst_hexrec b;
	uint64_t off = 0, next = 0;
	unsigned lineno = 0;
	bool end = false;
	enum pst_err rc = PST_OK;

	pst_hexrec_init(&b, k);
	while (off < in.len && !end && rc == PST_OK) {
		struct pst_view l = pst_hexrec_line(in, off, &next);
		lineno++;
		if (l.len == 0) {
			off = next;
			continue;
		}
		if (!fn(&b, l, ctx, &end, &rc)) {
			pst_sink_damage(k, PST_EFORMAT, "line %u is not a valid record (or its checksum is wrong)",
					lineno);
			b.damaged = true;
			break;
		}
		off = next;
	}
	if (!end && !b.damaged && rc == PST_OK) {
		pst_sink_damage(k, PST_EFORMAT, "%s", no_end);
		b.damaged = true;
	}
	k->consumed = off;
	if (rc == PST_ENOMEM) {
		pst_hexrec_finish(&b);
		return rc;
	}
	rc = pst_hexrec_finish(&b);
	return rc == PST_ENOMEM ? rc : PST_OK;
}
