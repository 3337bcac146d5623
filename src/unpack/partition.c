/*
 * partition.c - raw disks: MBR and GPT partition tables, read-only.
 *
 * Each partition becomes a child borrowing its bytes from the disk, named
 * "mbr@p1" / "gpt@p1" (1-based, as the kernel numbers them; MBR logical
 * partitions from 5), so a file inside reads as
 * "disk.img!gpt@p2!/etc/shadow". Nothing is copied.
 *
 * MBR: the 64-byte table at 446, signature 55 AA at 510; four primary
 * entries (status, CHS, type, LBA start and count, little-endian). Extended
 * partitions (types 05, 0F, 85) hold a chain of EBRs, each an MBR-shaped
 * sector whose first entry is a logical partition (relative to that EBR) and
 * whose second links the next EBR (relative to the extended partition).
 * GPT (UEFI 2.10 section 5.3): "EFI PART" header at LBA 1 (sector 512 or
 * 4096), its CRC32, the entry array (128-byte entries usually) with its own
 * CRC32, a backup header at the disk's last LBA. A protective MBR (type EE)
 * leaves the disk to GPT; when the primary header is damaged the backup is
 * used and the damage reported.
 *
 * Bytes between partitions are carved like a raw image (pst_carve_rest), so
 * something hidden in unpartitioned space is found or reported, not skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "internal.h"

#define MBR_SIG 510u
#define MBR_TABLE 446u
#define EBR_MAX 128u     /* logical partitions followed; Linux stops at 256 minors */
#define GPT_ENTRIES_MAX 1024u
#define PART_MAX (4u + EBR_MAX)

struct part {
	uint64_t off, len;
	unsigned num;
};

struct parts {
	struct part v[GPT_ENTRIES_MAX];
	size_t n;
};

/* ---- MBR ---- */

static bool is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

/* A FAT or NTFS boot sector also ends in 55 AA: its BIOS parameter block
 * (bytes per sector a power of two 512..4096, sectors per cluster a power of
 * two) says it is a volume, not a disk. */
static bool looks_like_vbr(const uint8_t *h)
{
	uint16_t bps = pst_le16(h + 11);
	uint8_t spc = h[13];
	if (h[0] != 0xeb && h[0] != 0xe9)
		return false;
	if (memcmp(h + 3, "NTFS    ", 8) == 0 || memcmp(h + 3, "-FVE-FS-", 8) == 0)
		return true;
	return bps >= 512 && bps <= 4096 && (bps & (bps - 1)) == 0 && spc && (spc & (spc - 1)) == 0;
}

/* The four entries are plausible: status 00 or 80, a used entry starts past
 * sector 0, and at least one entry is used. */
static bool mbr_table_ok(const uint8_t *t, bool *protective)
{
	unsigned used = 0, i;
	*protective = false;
	for (i = 0; i < 4; i++) {
		const uint8_t *e = t + 16 * i;
		if (e[0] != 0 && e[0] != 0x80)
			return false;
		if (e[4] == 0)
			continue;
		if (pst_le32(e + 8) == 0 || pst_le32(e + 12) == 0)
			return false;
		if (e[4] == 0xee)
			*protective = true;
		used++;
	}
	return used > 0;
}

static unsigned bid_mbr(const uint8_t *h, size_t len)
{
	bool prot;
	if (len < 1024 || h[MBR_SIG] != 0x55 || h[MBR_SIG + 1] != 0xaa || looks_like_vbr(h))
		return 0;
	if (!mbr_table_ok(h + MBR_TABLE, &prot))
		return 0;
	/* 16 bits of signature, four entries' status bytes; a protective MBR
	 * bids less so that GPT wins when its header is there */
	return prot ? 24 : 40;
}

static void add(struct parts *ps, uint64_t off, uint64_t len, unsigned num)
{
	if (ps->n >= GPT_ENTRIES_MAX)
		return;
	ps->v[ps->n].off = off;
	ps->v[ps->n].len = len;
	ps->v[ps->n].num = num;
	ps->n++;
}

/* Follows the EBR chain of the extended partition at [base, base+size). */
static void mbr_logical(struct pst_sink *k, struct pst_view in, uint64_t base, uint64_t size,
			struct parts *ps)
{
	uint64_t ebr = 0; /* relative to base, in sectors */
	unsigned num = 5, i;

	for (i = 0; i < EBR_MAX; i++) {
		const uint8_t *s = pst_view_at(in, (base + ebr) * 512, 512);
		const uint8_t *e1, *e2;
		uint64_t next;
		if (!s || s[MBR_SIG] != 0x55 || s[MBR_SIG + 1] != 0xaa) {
			pst_sink_damage(k, PST_EFORMAT,
					"extended partition: EBR at sector %llu unreadable",
					(unsigned long long)(base + ebr));
			return;
		}
		e1 = s + MBR_TABLE;
		e2 = e1 + 16;
		if (e1[4] != 0 && pst_le32(e1 + 12) != 0)
			add(ps, (base + ebr + pst_le32(e1 + 8)) * 512,
			    (uint64_t)pst_le32(e1 + 12) * 512, num++);
		if (e2[4] == 0 || !is_extended(e2[4]))
			return;
		next = pst_le32(e2 + 8);
		/* the chain must move forward inside the extended partition: no loop */
		if (next <= ebr || next >= size) {
			pst_sink_damage(k, PST_EFORMAT,
					"extended partition: EBR link %llu out of order",
					(unsigned long long)next);
			return;
		}
		ebr = next;
	}
	pst_sink_damage(k, PST_EFORMAT, "extended partition: more than %u logical partitions",
			EBR_MAX);
}

static void mbr_table(struct pst_sink *k, struct pst_view in, struct parts *ps)
{
	unsigned i;
	bool extended = false;
	for (i = 0; i < 4; i++) {
		const uint8_t *e = in.p + MBR_TABLE + 16 * i;
		uint64_t start = pst_le32(e + 8), count = pst_le32(e + 12);
		if (e[4] == 0)
			continue;
		if (is_extended(e[4]) && !extended) {
			extended = true;
			mbr_logical(k, in, start, count, ps);
			continue;
		}
		add(ps, start * 512, count * 512, i + 1);
	}
}

/* ---- GPT ---- */

static const uint8_t *gpt_header_at(struct pst_view in, uint64_t off)
{
	const uint8_t *h = pst_view_at(in, off, 92);
	if (!h || memcmp(h, "EFI PART", 8) != 0)
		return NULL;
	return h;
}

static unsigned bid_gpt(const uint8_t *h, size_t len)
{
	struct pst_view v = pst_view_make(h, len);
	bool prot;
	if (len < 1024 || h[MBR_SIG] != 0x55 || h[MBR_SIG + 1] != 0xaa)
		return 0;
	if (!mbr_table_ok(h + MBR_TABLE, &prot) || !prot)
		return 0;
	if (!gpt_header_at(v, 512) && !gpt_header_at(v, 4096))
		return 0;
	return 96;
}

static uint32_t crc(const uint8_t *p, size_t n)
{
	return (uint32_t)crc32(0L, p, (uInt)n);
}

/* The header at off is whole and its CRC32 (computed with its own CRC field
 * zeroed) matches. */
static bool gpt_header_ok(struct pst_view in, uint64_t off)
{
	const uint8_t *h = gpt_header_at(in, off);
	uint8_t copy[512];
	uint32_t hsize;
	if (!h)
		return false;
	hsize = pst_le32(h + 12);
	if (hsize < 92 || hsize > sizeof(copy) || !pst_view_has(in, off, hsize))
		return false;
	memcpy(copy, h, hsize);
	memset(copy + 16, 0, 4);
	return crc(copy, hsize) == pst_le32(h + 16);
}

/* Reads the entry array the header at hoff names; false when it lies outside
 * the disk or its CRC32 does not match. */
static bool gpt_entries(struct pst_sink *k, struct pst_view in, uint64_t hoff, uint64_t sector,
			struct parts *ps)
{
	const uint8_t *h = in.p + hoff;
	uint64_t lba = pst_le64(h + 72);
	uint32_t n = pst_le32(h + 80), esize = pst_le32(h + 84), i;
	struct pst_view arr;

	if (n > GPT_ENTRIES_MAX || esize < 128 || esize > 4096 || (esize & 7) ||
	    lba > UINT64_MAX / sector)
		return false;
	arr = pst_view_sub(in, lba * sector, (uint64_t)n * esize);
	if (arr.len != (uint64_t)n * esize || crc(arr.p, arr.len) != pst_le32(h + 88))
		return false;
	for (i = 0; i < n; i++) {
		const uint8_t *e = arr.p + (size_t)i * esize;
		static const uint8_t unused[16];
		uint64_t first = pst_le64(e + 32), last = pst_le64(e + 40);
		if (memcmp(e, unused, 16) == 0)
			continue;
		if (last < first || first > UINT64_MAX / sector || last >= UINT64_MAX / sector) {
			pst_sink_damage(k, PST_EFORMAT, "GPT entry %u: bad extent %llu..%llu",
					i + 1, (unsigned long long)first, (unsigned long long)last);
			continue;
		}
		add(ps, first * sector, (last - first + 1) * sector, i + 1);
	}
	return true;
}

/* Where the backup copy (entries, then header in the last sector) begins,
 * when a valid backup header sits at the end of the disk; in.len if not. */
static uint64_t gpt_tail(struct pst_view in, uint64_t sector)
{
	uint64_t last = in.len / sector, lba;
	const uint8_t *h;
	if (last == 0 || !gpt_header_ok(in, (last - 1) * sector))
		return in.len;
	h = in.p + (last - 1) * sector;
	lba = pst_le64(h + 72);
	if (lba >= last || lba > UINT64_MAX / sector)
		return in.len;
	return lba * sector;
}

/* Primary header first, then the backup at the disk's last sector. */
static bool gpt_table(struct pst_sink *k, struct pst_view in, struct parts *ps, uint64_t *tail)
{
	static const uint64_t sectors[] = { 512, 4096 };
	size_t i;
	for (i = 0; i < 2; i++) {
		uint64_t s = sectors[i], backup;
		if (!gpt_header_at(in, s))
			continue;
		*tail = gpt_tail(in, s);
		if (gpt_header_ok(in, s) && gpt_entries(k, in, s, s, ps))
			return true;
		pst_sink_damage(k, PST_EFORMAT,
				"GPT primary header or entries damaged; trying the backup");
		backup = pst_le64(in.p + s + 32);
		if (backup > UINT64_MAX / s || !gpt_header_ok(in, backup * s))
			backup = in.len / s - 1;
		if (gpt_header_ok(in, backup * s) && gpt_entries(k, in, backup * s, s, ps))
			return true;
		pst_sink_damage(k, PST_EFORMAT, "GPT backup header unusable too");
		return false;
	}
	return false;
}

/* ---- both ---- */

static int by_off(const void *a, const void *b)
{
	const struct part *x = a, *y = b;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->num < y->num ? -1 : x->num > y->num;
}

static enum pst_err emit_part(struct pst_sink *k, struct pst_view in, const struct part *p,
			      const char *scheme)
{
	struct pst_view body = pst_view_sub(in, p->off, p->len);
	struct pst_entry e;
	char seg[32];

	memset(&e, 0, sizeof(e));
	snprintf(seg, sizeof(seg), "%s@p%u", scheme, p->num);
	e.seg = seg;
	e.offset = p->off;
	e.declared_size = p->len;
	e.borrow = body.p;
	e.borrow_len = body.len;
	if (body.len < p->len) {
		e.flags = PST_NODE_TRUNCATED | PST_NODE_INCOMPLETE;
		pst_sink_damage(k, PST_EFORMAT, "%s: %llu of %llu bytes inside the disk", seg,
				(unsigned long long)body.len, (unsigned long long)p->len);
	}
	if (body.len == 0)
		return PST_OK;
	return pst_sink_emit(k, &e);
}

/* Emits the partitions in disk order and carves the gaps between them and
 * after the last one, up to tail: where the table's own trailing copy (GPT's
 * backup entries and header) begins, in.len when there is none. */
static enum pst_err emit_all(struct pst_sink *k, struct pst_view in, struct parts *ps,
			     const char *scheme, uint64_t table_end, uint64_t tail)
{
	uint64_t at = table_end;
	size_t i;
	enum pst_err rc = PST_OK;

	if (ps->n)
		qsort(ps->v, ps->n, sizeof(ps->v[0]), by_off);
	for (i = 0; i < ps->n && rc != PST_ENOMEM && !k->stopped; i++) {
		const struct part *p = &ps->v[i];
		if (i > 0 && p->off < ps->v[i - 1].off + ps->v[i - 1].len)
			pst_sink_damage(k, PST_EFORMAT, "%s@p%u overlaps the partition before it",
					scheme, p->num);
		if (p->off > at && at < in.len)
			pst_carve_rest(k, in, at, (p->off < in.len ? p->off : in.len) - at, 0);
		rc = emit_part(k, in, p, scheme);
		if (p->off + p->len > at)
			at = p->off + p->len;
	}
	if (rc != PST_ENOMEM && !k->stopped && at < tail && tail <= in.len)
		pst_carve_rest(k, in, at, tail - at, 0);
	k->consumed = in.len;
	k->header = table_end < in.len ? table_end : in.len;
	return rc == PST_ENOMEM ? rc : PST_OK;
}

static enum pst_err unpack_mbr(struct pst_sink *k, struct pst_view in)
{
	struct parts *p = calloc(1, sizeof(*p)); /* too big for a worker's stack */
	enum pst_err rc;
	if (!p)
		return PST_ENOMEM;
	if (!pst_view_has(in, 0, 512)) {
		free(p);
		return PST_EFORMAT;
	}
	mbr_table(k, in, p);
	rc = emit_all(k, in, p, "mbr", 512, in.len);
	free(p);
	return rc;
}

static enum pst_err unpack_gpt(struct pst_sink *k, struct pst_view in)
{
	struct parts *p = calloc(1, sizeof(*p));
	enum pst_err rc = PST_OK;
	uint64_t tail = in.len;
	if (!p)
		return PST_ENOMEM;
	if (!gpt_table(k, in, p, &tail)) {
		/* no table to trust: the disk is carved like a raw image, so a
		 * filesystem with a magic is still found and the rest reported */
		pst_carve_rest(k, in, 0, in.len, 0);
		k->consumed = in.len;
		rc = PST_OK;
	} else
		rc = emit_all(k, in, p, "gpt", 512 + 512 + 128 * 128, tail);
	free(p);
	return rc;
}

/* not carved: 55 AA is too weak a magic inside a raw image */
static const struct pst_magic no_magics[] = { { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_mbr = {
	"mbr", PST_KIND_FILESYSTEM, 0, no_magics, bid_mbr, unpack_mbr,
};

const struct pst_unpacker pst_unpacker_gpt = {
	"gpt", PST_KIND_FILESYSTEM, 0, no_magics, bid_gpt, unpack_gpt,
};
