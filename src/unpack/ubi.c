/*
 * ubi.c - UBI images (raw flash as ubinize or nanddump writes it): one child
 * per volume, named after the volume table, holding the volume's logical
 * erase blocks in order. UBIFS inside a volume is ubifs.c's business.
 *
 * Format: drivers/mtd/ubi/ubi-media.h in Linux. Every physical erase block
 * (PEB) starts with a 64-byte big-endian erase-counter header ("UBI#") that
 * says where the volume-identifier header ("UBI!") and the data start; the
 * VID header names the volume, the logical block number and a sequence
 * number (the highest wins when a block was copied). Both headers end in a
 * CRC32 (seed 0xffffffff, no final inversion). The PEB size is recorded
 * nowhere: it is the distance to the next EC header. The volume table is
 * the layout volume (id 0x7fffefff): 172-byte records with names.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "internal.h"

#define EC_MAGIC 0x55424923u  /* "UBI#" */
#define VID_MAGIC 0x55424921u /* "UBI!" */
#define LAYOUT_VOL 0x7fffefffu
#define VTBL_REC 172u
#define MAX_VOLS 128u

struct leb {
	uint32_t vol, lnum, data_size, used_ebs;
	uint64_t sqnum, peb;
	uint8_t type;
};

static uint32_t ubi_crc(const uint8_t *p, size_t n)
{
	return ~(uint32_t)crc32(0, p, (uInt)n);
}

static bool ec_ok(struct pst_view v, uint64_t off)
{
	const uint8_t *h = pst_view_at(v, off, 64);
	return h && pst_be32(h) == EC_MAGIC && ubi_crc(h, 60) == pst_be32(h + 60);
}

static unsigned bid(const uint8_t *h, size_t len)
{
	struct pst_view v = pst_view_make(h, len);
	uint32_t vid, data;
	if (!ec_ok(v, 0))
		return 0;
	vid = pst_be32(h + 16);
	data = pst_be32(h + 20);
	if (vid < 64 || data <= vid || data > (16u << 20))
		return 0;
	return 96;
}

/* The PEB size: the smallest power of two past the data offset where the
 * next EC header sits. */
static uint64_t peb_size(struct pst_view v, uint32_t data_off)
{
	uint64_t s;
	for (s = 4096; s <= (16u << 20); s *= 2)
		if (s > data_off && ec_ok(v, s))
			return s;
	return 0;
}

static int cmp_leb(const void *a, const void *b)
{
	const struct leb *x = a, *y = b;
	if (x->vol != y->vol)
		return x->vol < y->vol ? -1 : 1;
	if (x->lnum != y->lnum)
		return x->lnum < y->lnum ? -1 : 1;
	return x->sqnum > y->sqnum ? -1 : x->sqnum < y->sqnum;   /* newest first */
}

/* The layout volume's first block: the volume table; n when there is none. */
static size_t vtbl_leb(const struct leb *l, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (l[i].vol == LAYOUT_VOL && l[i].lnum == 0)
			break;
	return i;
}

/* Volume vol's record in the volume table, or NULL (no table, out of range,
 * bad CRC). */
static const uint8_t *vtbl_rec(struct pst_view v, const struct leb *l, size_t n, uint64_t peb,
			       uint32_t data_off, uint32_t vol)
{
	size_t t = vtbl_leb(l, n);
	const uint8_t *r;
	if (t == n || vol >= MAX_VOLS)
		return NULL;
	r = pst_view_at(v, l[t].peb * peb + data_off + (uint64_t)vol * VTBL_REC, VTBL_REC);
	if (!r || ubi_crc(r, VTBL_REC - 4) != pst_be32(r + VTBL_REC - 4))
		return NULL;
	return r;
}

/* Copies the name of volume vol from the volume table into out. */
static void vol_name(const uint8_t *r, uint32_t vol, char *out, size_t outlen)
{
	uint16_t nlen;
	snprintf(out, outlen, "/volume%u", vol);
	if (!r)
		return;
	nlen = pst_be16(r + 14);
	if (nlen == 0 || nlen > 127 || memchr(r + 16, '/', nlen))
		return;
	snprintf(out, outlen, "/%.*s", (int)nlen, (const char *)r + 16);
}

/* Every static volume the table lists must have blocks in the image (an
 * empty dynamic volume legitimately has none). */
static void check_table(struct pst_sink *k, struct pst_view v, const struct leb *l, size_t n,
			uint64_t peb, uint32_t data_off)
{
	size_t j;
	uint32_t vol;
	if (vtbl_leb(l, n) == n) {
		pst_sink_damage(k, PST_EFORMAT, "no volume table");
		return;
	}
	for (vol = 0; vol < MAX_VOLS; vol++) {
		const uint8_t *r = vtbl_rec(v, l, n, peb, data_off, vol);
		bool found = false;
		if (!r || pst_be32(r) == 0 || r[12] != 2)
			continue;
		for (j = 0; j < n && !found; j++)
			found = l[j].vol == vol;
		if (!found)
			pst_sink_damage(k, PST_EFORMAT, "volume %u has no blocks in the image", vol);
	}
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	const uint8_t *h = pst_view_at(in, 0, 64);
	uint32_t vid_off, data_off;
	uint64_t peb, npeb, i, end = 0;
	struct leb *l = NULL;
	size_t n = 0, a, b;
	enum pst_err rc = PST_OK;
	unsigned bad = 0;

	if (!h || !bid(h, in.len))
		return PST_EFORMAT;
	vid_off = pst_be32(h + 16);
	data_off = pst_be32(h + 20);
	peb = peb_size(in, data_off);
	if (peb == 0) {
		/* a single erase block: it is all there is */
		peb = in.len;
	}
	npeb = in.len / peb;
	l = calloc((size_t)npeb + 1, sizeof(*l));
	if (!l)
		return PST_ENOMEM;
	for (i = 0; i < npeb; i++) {
		const uint8_t *vh;
		uint64_t base = i * peb;
		if (!ec_ok(in, base)) {
			const uint8_t *p = in.p + base;
			if (pst_be32(p) == 0xffffffffu)
				continue;   /* erased */
			break;          /* the UBI image ends here */
		}
		end = base + peb;
		vh = pst_view_at(in, base + pst_be32(in.p + base + 16), 64);
		if (!vh || pst_be32(vh) != VID_MAGIC)
			continue;   /* a free PEB */
		if (ubi_crc(vh, 60) != pst_be32(vh + 60)) {
			bad++;
			continue;
		}
		l[n].vol = pst_be32(vh + 8);
		l[n].lnum = pst_be32(vh + 12);
		l[n].data_size = pst_be32(vh + 20);
		l[n].used_ebs = pst_be32(vh + 24);
		l[n].type = vh[5];
		l[n].sqnum = pst_be64(vh + 40);
		l[n].peb = i;
		n++;
	}
	k->consumed = end;
	if (bad)
		pst_sink_damage(k, PST_EFORMAT, "%u erase block header(s) with bad CRCs", bad);
	if (end < in.len) {
		const uint8_t *p = pst_view_at(in, end, 4);
		if (p && pst_be32(p) == EC_MAGIC)
			pst_sink_damage(k, PST_EFORMAT, "image ends inside an erase block");
	}
	(void)vid_off;
	if (n > 1)
		qsort(l, n, sizeof(*l), cmp_leb);
	for (a = 0; a < n && rc == PST_OK; a = b) {
		uint32_t vol = l[a].vol, maxl = 0, reserved = UINT32_MAX, past = 0;
		uint64_t leb = peb - data_off;
		const uint8_t *rec = vtbl_rec(in, l, n, peb, data_off, vol);
		struct pst_entry e;
		struct pst_obuf ob;
		char name[160];
		bool missing = false;
		/* a volume has no more logical blocks than the table reserves
		 * for it: a block numbered past that is not part of it */
		if (rec && pst_be32(rec) > 0)
			reserved = pst_be32(rec);
		for (b = a; b < n && l[b].vol == vol; b++) {
			if (l[b].lnum >= reserved)
				past++;
			else if (l[b].lnum > maxl)
				maxl = l[b].lnum;
		}
		/* a static volume says how many blocks it has */
		if (l[a].type == 2 && l[a].used_ebs > 0 && l[a].used_ebs - 1 > maxl && l[a].used_ebs < (1u << 20))
			maxl = l[a].used_ebs - 1;
		if (vol == LAYOUT_VOL)
			continue;
		vol_name(rec, vol, name, sizeof(name));
		if (past)
			pst_sink_damage(k, PST_EFORMAT, "%s: %u logical block(s) numbered past the %u "
					"the volume table reserves; left out", name, past, reserved);
		pst_sink_obuf(k, &ob);
		memset(&e, 0, sizeof(e));
		e.path = name;
		/* LEBs newest first within each number: take the first of each */
		{
			size_t c = a;
			uint32_t want;
			for (want = 0; want <= maxl && !ob.over; want++) {
				const uint8_t *p;
				uint64_t take = leb;
				while (c < b && l[c].lnum < want)
					c++;
				if (c < b && l[c].lnum == want) {
					if (l[c].type == 2)
						take = l[c].data_size < leb ? l[c].data_size : leb;
					p = pst_view_at(in, l[c].peb * peb + data_off, take);
					if (!p) {
						missing = true;
						break;
					}
					pst_obuf_append(&ob, p, (size_t)take);
				} else {
					/* unmapped: reads as erased flash */
					size_t room, z;
					if (l[a].type == 2) {
						missing = true;
						break;
					}
					for (z = 0; z < take && !ob.over;) {
						size_t chunk;
						if (pst_obuf_grow(&ob, (size_t)(take - z), &room) != PST_OK)
							break;
						chunk = room < take - z ? room : (size_t)(take - z);
						memset(ob.p + ob.len, 0xff, chunk);
						ob.len += chunk;
						z += chunk;
					}
				}
			}
		}
		if (missing) {
			e.flags |= PST_NODE_TRUNCATED | PST_NODE_INCOMPLETE;
			pst_sink_damage(k, PST_EFORMAT, "%s: logical erase blocks missing", name);
		}
		e.take = &ob;
		rc = pst_sink_emit(k, &e);
		if (rc != PST_ENOMEM)
			rc = k->stopped ? PST_ELIMIT : PST_OK;
	}
	if (rc == PST_OK)
		check_table(k, in, l, n, peb, data_off);
	free(l);
	return rc == PST_ENOMEM ? rc : PST_OK;
}

static const struct pst_magic magics[] = { { "UBI#", 4, 0 }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_ubi = {
	"ubi", PST_KIND_FILESYSTEM, PST_UNPACK_CARVE, magics, bid, unpack,
};
