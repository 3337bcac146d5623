/*
 * rpmbdb.c - installed rpm packages from rpm's BerkeleyDB hash database
 * (/var/lib/rpm/Packages: CentOS/RHEL 7 and 8, SUSE before 2021), read by a
 * bounded reader of our own; each data item is one header blob, handed to
 * rpmdb.c's header reader so the components are those of rpmdb.sqlite.
 *
 * The format (BerkeleyDB's db_page.h, documented in its "Access method
 * file formats"): pages of one size; page 0 the hash metadata page (magic
 * 0x061561 at offset 12, its byte order the file's; page size at 20; the
 * encryption algorithm at 24, page type 8 at 25, flags at 26 with bit 0 a
 * page checksum; the last page number at 32). Every other page starts with
 * a 26-byte header (32 with checksums): next page at 16, entry count at 20,
 * hf_offset at 22, type at 25. Hash pages (type 2, or 13 unsorted) hold an
 * array of 16-bit item offsets after the header, keys and data alternating;
 * an item ends where the previous one starts (item 0 at the page's end).
 * An item is H_KEYDATA (1, the bytes follow) or H_OFFPAGE (3: first
 * overflow page at 4, total length at 8); overflow pages (type 7) hold
 * hf_offset bytes after the header and chain through their next page.
 * The pages are walked in file order rather than through the buckets: every
 * item sits on exactly one hash page, and a damaged bucket table costs
 * nothing. Bounds: pages from the file size, a chain at most that many
 * pages and never longer than its item, assembled bytes PST_CAP_RPM_BDB_BYTES.
 *
 * Also rpm 4.16's NDB database (Packages.db; rpm's lib/backend/ndb/rpmpkg.c):
 * little-endian; a 32-byte file header ("RpmP", version 0, generation, the
 * number of 4096-byte slot pages at 12), then 16-byte slots from offset 32
 * through the slot pages ("Slot", package index, block offset, block count;
 * offset 0 a free slot), blocks of 16 bytes; a blob is a 16-byte head
 * ("BlbS", package index, time, length), the header, padding and a 12-byte
 * tail (adler32, length, "BlbE") ending its last block. No chains: each blob
 * is checked against the file and read in place.
 */
#include <stdlib.h>
#include <string.h>
#include "components.h"

enum { BDB_HASH_MAGIC = 0x061561, P_HASH_UNSORTED = 2, P_OVERFLOW = 7, P_HASHMETA = 8,
       P_HASH = 13, H_KEYDATA = 1, H_OFFPAGE = 3, PAGE_HDR = 26, PAGE_HDR_CHKSUM = 32 };

struct bdb {
	struct pst_view v;
	bool big, stop;
	uint32_t psize, npages, hdr;
	uint64_t bytes;          /* assembled from overflow chains so far */
	enum pst_bdb_rc rc;      /* CAP or NOMEM once one stops the walk */
	const char *why;         /* the first damage */
	uint8_t *buf;
	size_t bufcap;
	pst_bdb_fn fn;
	void *ctx;
};

static void damaged(struct bdb *b, const char *why)
{
	if (!b->why)
		b->why = why;
}

/* The metadata page: false when this is no hash database we can read. */
static bool bdb_meta(struct bdb *b)
{
	const uint8_t *m = pst_view_at(b->v, 0, 512);
	uint64_t pages;
	uint32_t last;
	if (!m)
		return false;
	if (pst_le32(m + 12) == BDB_HASH_MAGIC)
		b->big = false;
	else if (pst_be32(m + 12) == BDB_HASH_MAGIC)
		b->big = true;
	else
		return false;
	b->psize = pst_u32e(m + 20, b->big);
	if (b->psize < 512 || b->psize > 65536 || (b->psize & (b->psize - 1)) != 0 ||
	    m[24] != 0 || m[25] != P_HASHMETA)
		return false;
	b->hdr = (m[26] & 1) ? PAGE_HDR_CHKSUM : PAGE_HDR;
	pages = b->v.len / b->psize;
	last = pst_u32e(m + 32, b->big);
	if (b->v.len % b->psize != 0 || (uint64_t)last >= pages)
		damaged(b, "the file ends inside its pages");
	/* past the last page BerkeleyDB wrote there is nothing of the database */
	b->npages = (uint32_t)(pages < (uint64_t)last + 1 ? pages : (uint64_t)last + 1);
	return true;
}

static struct pst_view bdb_page(const struct bdb *b, uint32_t pg)
{
	return pst_view_sub(b->v, (uint64_t)pg * b->psize, b->psize);
}

static bool grow(struct bdb *b, size_t n)
{
	uint8_t *p;
	if (n <= b->bufcap)
		return true;
	p = realloc(b->buf, n);
	if (!p)
		return false;
	b->buf = p;
	b->bufcap = n;
	return true;
}

/* Assembles an H_OFFPAGE item of tlen bytes from its chain at pgno. */
static void bdb_overflow(struct bdb *b, uint32_t pgno, uint32_t tlen)
{
	uint32_t got = 0, steps = 0;
	if (tlen == 0 || (uint64_t)tlen > (uint64_t)b->npages * b->psize) {
		damaged(b, "an overflow item is longer than the file");
		return;
	}
	if (b->bytes + tlen > PST_CAP_RPM_BDB_BYTES) {
		b->rc = PST_BDB_CAP;
		b->stop = true;
		return;
	}
	if (!grow(b, tlen)) {
		b->rc = PST_BDB_NOMEM;
		b->stop = true;
		return;
	}
	while (got < tlen) {
		struct pst_view pg;
		uint16_t len;
		if (pgno == 0 || pgno >= b->npages) {
			damaged(b, "an overflow chain points past the file");
			return;
		}
		if (++steps > b->npages) {
			damaged(b, "an overflow chain loops");
			return;
		}
		pg = bdb_page(b, pgno);
		if (pg.p[25] != P_OVERFLOW) {
			damaged(b, "an overflow chain reaches a page of another type");
			return;
		}
		len = pst_u16e(pg.p + 22, b->big);
		if (len > b->psize - b->hdr || len > tlen - got) {
			damaged(b, "an overflow page holds more than its item (a loop?)");
			return;
		}
		memcpy(b->buf + got, pg.p + b->hdr, len);
		got += len;
		pgno = pst_u32e(pg.p + 16, b->big);
	}
	b->bytes += tlen;
	b->stop = !b->fn(b->ctx, pst_view_make(b->buf, tlen));
}

static void bdb_item(struct bdb *b, struct pst_view it)
{
	if (it.p[0] == H_KEYDATA)
		b->stop = !b->fn(b->ctx, pst_view_sub(it, 1, it.len - 1));
	else if (it.p[0] == H_OFFPAGE && it.len >= 12)
		bdb_overflow(b, pst_u32e(it.p + 4, b->big), pst_u32e(it.p + 8, b->big));
	else if (it.p[0] == H_OFFPAGE || it.p[0] == 0 || it.p[0] > 5)
		damaged(b, "a hash item of unknown type or too short");
	/* duplicates (2, 4) and H_BLOB (5) are not what rpm writes: skipped */
}

/* The data items (odd indexes) of hash page pg. */
static void bdb_hash_page(struct bdb *b, uint32_t pg)
{
	struct pst_view p = bdb_page(b, pg);
	uint32_t n, i, floor;
	if (p.p[25] != P_HASH && p.p[25] != P_HASH_UNSORTED)
		return;
	n = pst_u16e(p.p + 20, b->big);
	floor = b->hdr + 2 * n;
	if (floor > b->psize) {
		damaged(b, "a hash page's index runs past the page");
		return;
	}
	for (i = 1; i < n && !b->stop; i += 2) {
		uint32_t off = pst_u16e(p.p + b->hdr + 2 * i, b->big);
		uint32_t end = pst_u16e(p.p + b->hdr + 2 * (i - 1), b->big);
		if (off < floor || end > b->psize || off >= end) {
			damaged(b, "a hash item lies outside its page");
			continue;
		}
		bdb_item(b, pst_view_sub(p, off, end - off));
	}
}

enum pst_bdb_rc pst_bdb_hash_walk(struct pst_view db, pst_bdb_fn fn, void *ctx,
				  const char **why)
{
	struct bdb b = { .v = db, .fn = fn, .ctx = ctx, .rc = PST_BDB_OK };
	uint32_t pg;
	*why = NULL;
	if (!bdb_meta(&b))
		return PST_BDB_NOT;
	for (pg = 1; pg < b.npages && !b.stop; pg++)
		bdb_hash_page(&b, pg);
	free(b.buf);
	*why = b.why;
	if (b.rc != PST_BDB_OK)
		return b.rc;
	return b.why ? PST_BDB_DAMAGED : PST_BDB_OK;
}

struct rpmbdb_ctx {
	const struct pst_file *f;
	uint32_t n;
	bool many;
	bool cut; /* a header string past PST_CAP_PKG_FIELD */
};

static bool each_header(void *ctx, struct pst_view item)
{
	struct rpmbdb_ctx *c = ctx;
	if (c->n >= PST_CAP_RPM_PACKAGES) {
		c->many = true;
		return false;
	}
	/* key 0's record (rpm's instance counter, 4 bytes) is no header */
	if (pst_rpm_header_emit(c->f, item, "Packages", &c->cut))
		c->n++;
	return true;
}

enum { NDB_PAGE = 4096, NDB_SLOT = 16, NDB_BLK = 16, NDB_HEAD = 16, NDB_TAIL = 12 };
#define NDB_MAGIC(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | \
			       (uint32_t)(d) << 24)

/* The blob of one used slot, or damage. */
static const char *ndb_blob(struct pst_view db, const uint8_t *slot, struct pst_view *out)
{
	uint32_t idx = pst_le32(slot + 4), blkoff = pst_le32(slot + 8), cnt = pst_le32(slot + 12);
	uint64_t off = (uint64_t)blkoff * NDB_BLK, len = (uint64_t)cnt * NDB_BLK;
	const uint8_t *head = pst_view_at(db, off, len), *tail;
	uint32_t blen;
	if (!head || len < NDB_HEAD + NDB_TAIL)
		return "a slot's blob lies past the file";
	tail = head + len - NDB_TAIL;
	blen = pst_le32(head + 12);
	if (pst_le32(head) != NDB_MAGIC('B', 'l', 'b', 'S') || pst_le32(head + 4) != idx ||
	    (uint64_t)blen + NDB_HEAD + NDB_TAIL > len ||
	    len - blen - NDB_HEAD - NDB_TAIL >= NDB_BLK ||
	    pst_le32(tail + 4) != blen || pst_le32(tail + 8) != NDB_MAGIC('B', 'l', 'b', 'E'))
		return "a blob's head or tail does not match its slot";
	*out = pst_view_sub(db, off + NDB_HEAD, blen);
	return NULL;
}

enum pst_bdb_rc pst_ndb_walk(struct pst_view db, pst_bdb_fn fn, void *ctx, const char **why)
{
	const uint8_t *h = pst_view_at(db, 0, 32);
	uint32_t pages;
	uint64_t off, end;
	*why = NULL;
	if (!h || pst_le32(h) != NDB_MAGIC('R', 'p', 'm', 'P') || pst_le32(h + 4) != 0)
		return PST_BDB_NOT;
	pages = pst_le32(h + 12);
	end = (uint64_t)pages * NDB_PAGE;
	if (pages == 0 || end > db.len) {
		*why = "its slot pages run past the file";
		end = db.len - db.len % NDB_SLOT;
	}
	for (off = 32; off < end; off += NDB_SLOT) {
		const uint8_t *slot = pst_view_at(db, off, NDB_SLOT);
		struct pst_view blob;
		const char *bad;
		if (pst_le32(slot) != NDB_MAGIC('S', 'l', 'o', 't')) {
			*why = "a slot without its magic";
			break;
		}
		if (pst_le32(slot + 8) == 0)
			continue;
		bad = ndb_blob(db, slot, &blob);
		if (bad && !*why)
			*why = bad;
		if (!bad && !fn(ctx, blob))
			break;
	}
	return *why ? PST_BDB_DAMAGED : PST_BDB_OK;
}

typedef enum pst_bdb_rc (*rpm_walk_fn)(struct pst_view, pst_bdb_fn, void *, const char **);

/* Lists f's packages through walk; reports damage (not_db when walk finds
 * no database at all), the package and byte caps, memory. */
static void rpm_db_read(const struct pst_file *f, rpm_walk_fn walk, const char *not_db)
{
	struct rpmbdb_ctx c = { .f = f };
	const char *why;
	enum pst_bdb_rc rc;
	if (f->data.len == 0)
		return;
	rc = walk(f->data, each_header, &c, &why);
	if (rc == PST_BDB_NOT)
		why = not_db;
	if (why)
		pst_finding_add(f->scan, f->node, "unpack.damaged", PST_SEV_LOW, "coverage", 0,
				NULL, "rpm database: %s; %u packages read", why, c.n);
	if (c.cut)
		pst_field_cut(f);
	if (rc == PST_BDB_CAP || c.many)
		pst_cap_hit(f->scan, f->node, rc == PST_BDB_CAP ? "PST_CAP_RPM_BDB_BYTES" :
			    "PST_CAP_RPM_PACKAGES", "packages past the first %u were not listed",
			    c.n);
	else if (rc == PST_BDB_NOMEM)
		pst_finding_add(f->scan, f->node, "unpack.resource", PST_SEV_MEDIUM, "coverage", 0,
				NULL, "rpm database: out of memory; %u packages read", c.n);
}

void pst_rpmbdb_read(const struct pst_file *f)
{
	rpm_db_read(f, pst_bdb_hash_walk, "no BerkeleyDB hash database (magic, page size or type)");
}

void pst_rpmndb_read(const struct pst_file *f)
{
	rpm_db_read(f, pst_ndb_walk, "no NDB package database (magic or version)");
}
