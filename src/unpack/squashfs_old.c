/*
 * squashfs_old.c - squashfs 2.x and 3.x, both byte orders, gzip and the
 * vendor LZMA framings (lzvendor.c). No library reads these any more.
 *
 * Format: the old kernel's squashfs_fs.h (layouts 2.x and 3.x, kept in
 * squashfs-tools' squashfs_compat.h). The on-disk structures are packed C
 * bitfields written by the creating host: a little-endian image packs fields
 * from the least significant bit of its byte stream, a big-endian one from
 * the most significant, so every field here is read with bits() at its bit
 * position. Metadata (inodes, directories, fragment table) is a chain of
 * blocks of at most 8 KiB, each behind a 16-bit length word (bit 15 =
 * stored); an inode reference is (block offset in the table << 16 | offset
 * inside the uncompressed block). Data blocks have 32-bit sizes, bit 24 =
 * stored. Both tables are decoded once into memory and indexed by the
 * compressed offset of each block.
 *
 * Also squashfs 4.0 images whose superblock says LZMA (compression id 2):
 * vendors shipped them with LZMA framings the squashfs-tools LZMA wrapper
 * never wrote (no size field, bare streams), which no library reads (the
 * mksquashfs framing stays with squashfs.c and libsquashfs). Layout
 * 4.0 (squashfs-tools' squashfs_fs.h) is little-endian with byte-aligned
 * fields, 16-bit uid/gid indexes into an id table, and otherwise the same
 * tables, so it shares this reader.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fsutil.h"
#include "lzvendor.h"

#define META 8192u
#define INVALID_FRAG 0xffffffffu

struct table {
	uint8_t *p;
	size_t len, cap;
	uint64_t *coff;  /* compressed offset of block i, relative to the table */
	size_t *uoff;    /* where block i starts in p */
	size_t n, ncap;
};

struct sq {
	struct pst_sink *k;
	struct pst_view img;
	bool big;
	unsigned major;
	uint32_t block_size;
	bool check;
	uint64_t inode_start, dir_start, frag_start, uid_start, guid_start;
	uint32_t fragments, ninodes;
	unsigned nuids, nguids;
	struct table it, dt;
	uint32_t *ids;         /* 4.0: the id table */
	size_t nids;
	uint64_t id_start;
	uint8_t *frag;
	size_t frag_len;
	enum pst_lzv method;
	uint8_t *scratch;      /* one data block */
	uint64_t entries, max_entries;
	uint64_t root, used;
	struct pst_fspath path;
	enum pst_err rc;       /* ENOMEM or a stop from the sink */
};

/* A packed bitfield of w bits at bit pos of the structure at p. */
static uint64_t bits(const uint8_t *p, unsigned pos, unsigned w, bool big)
{
	unsigned b = pos % 8, nb = (b + w + 7) / 8, i;
	uint64_t v = 0;
	p += pos / 8;
	if (big) {
		for (i = 0; i < nb; i++)
			v = v << 8 | p[i];
		v >>= nb * 8 - b - w;
	} else {
		for (i = 0; i < nb; i++)
			v |= (uint64_t)p[i] << (8 * i);
		v >>= b;
	}
	return w >= 64 ? v : v & ((1ull << w) - 1);
}

/* The magic, as the creating host wrote it: "sqsh"/"hsqs" (squashfs),
 * "qshs"/"shsq" (the sqlzma patches' LZMA magic), "tqsh"/"hsqt" (DD-WRT's
 * squashfs 3.0 with LZMA), "sqlz" (listed by binwalk's signatures as
 * big-endian with LZMA); big-endian spelling first. The superblock behind
 * any of them must still check out (bid). */
static bool magic_ok(const uint8_t *h, bool *big)
{
	static const char *const be[] = { "sqsh", "qshs", "tqsh", "sqlz" },
			  *const le[] = { "hsqs", "shsq", "hsqt", "zlqs" };
	size_t i;
	for (i = 0; i < sizeof(be) / sizeof(be[0]); i++) {
		if (!memcmp(h, be[i], 4) || !memcmp(h, le[i], 4)) {
			*big = memcmp(h, be[i], 4) == 0;
			return true;
		}
	}
	return false;
}

/* 4.0 with LZMA in a vendor framing. mksquashfs's own framing (lzma-alone
 * with the uncompressed size) is left to the libsquashfs unpacker
 * (squashfs.c, bid 160); any other framing of the first inode-table block
 * (no size, properties only, bare LZMA) is bid above it, since libsquashfs
 * cannot read it. */
static unsigned bid4(const uint8_t *h, size_t len)
{
	struct pst_view v = pst_view_make(h, len);
	uint64_t used, itab, dtab, size;
	const uint8_t *blk;
	unsigned blog;
	uint16_t hdr;
	if (len < 96 || memcmp(h, "hsqs", 4) != 0 || pst_le16(h + 28) != 4 || pst_le16(h + 20) != 2)
		return 0;
	blog = pst_le16(h + 22);
	used = pst_le64(h + 40);
	itab = pst_le64(h + 64);
	dtab = pst_le64(h + 72);
	if (blog < 12 || blog > 20 || pst_le32(h + 12) != (1u << blog) || itab >= dtab || dtab >= used ||
	    itab < 96)
		return 0;
	if (!pst_view_le16(v, itab, &hdr) || (hdr & 0x8000u))
		return 0;   /* a stored first block says nothing about the framing */
	blk = pst_view_at(v, itab + 2, 13);
	if (!blk)
		return 0;
	size = pst_le64(blk + 5);
	if (blk[0] < 225 && size <= 8192 && (hdr & 0x7fffu) > 13)
		return 0;   /* mksquashfs's framing */
	return 168;
}

static unsigned bid(const uint8_t *h, size_t len)
{
	bool big;
	unsigned major, minor, blog;
	uint64_t bs, used, itab, dtab;
	if (len >= 96 && bid4(h, len))
		return bid4(h, len);
	if (len < 120 || !magic_ok(h, &big))
		return 0;
	major = (unsigned)bits(h, 224, 16, big);
	minor = (unsigned)bits(h, 240, 16, big);
	blog = (unsigned)bits(h, 272, 16, big);
	bs = bits(h, 408, 32, big);
	if ((major != 2 && major != 3) || minor > 1 || blog < 12 || blog > 20 || bs != (1ull << blog))
		return 0;
	if (major == 2) {
		used = bits(h, 64, 32, big);
		itab = bits(h, 160, 32, big);
		dtab = bits(h, 192, 32, big);
	} else {
		used = bits(h, 504, 64, big);
		itab = bits(h, 696, 64, big);
		dtab = bits(h, 760, 64, big);
	}
	if (itab >= dtab || dtab >= used || itab < 60)
		return 0;
	return 96;
}

/* One metadata block at absolute off into out (META bytes); *next gets the
 * offset after it. Returns the bytes produced or -1. */
static long meta_block(struct sq *q, uint64_t off, uint8_t *out, uint64_t *next)
{
	uint16_t hdr;
	uint64_t data;
	size_t len;
	const uint8_t *p;
	long got;

	if (!pst_view_u16e(q->img, off, q->big, &hdr))
		return -1;
	len = hdr & 0x7fffu;
	data = off + 2 + (q->check ? 1 : 0);
	p = pst_view_at(q->img, data, len);
	if (!p || len == 0)
		return -1;
	*next = data + len;
	if (hdr & 0x8000u) {
		if (len > META)
			return -1;
		memcpy(out, p, len);
		return (long)len;
	}
	got = pst_lzv_decode(p, len, out, META, 0, &q->method);
	return got;
}

static void table_free(struct table *t)
{
	free(t->p);
	free(t->coff);
	free(t->uoff);
	memset(t, 0, sizeof(*t));
}

/* Decodes metadata blocks from start until end or the first bad block. */
static enum pst_err table_read(struct sq *q, struct table *t, uint64_t start, uint64_t end,
			       const char *what)
{
	uint64_t off = start, next = 0;
	uint8_t buf[META];

	while (off + 2 <= end && t->len < PST_CAP_SQFS_OLD_TABLE) {
		long got = meta_block(q, off, buf, &next);
		if (got < 0) {
			if (t->n == 0 || off + 3 < end)
				pst_sink_damage(q->k, PST_EFORMAT, "%s table block at 0x%llx does not decode",
						what, (unsigned long long)off);
			break;
		}
		if (t->len + (size_t)got > t->cap) {
			size_t nc = t->cap ? t->cap * 2 : 65536;
			uint8_t *np;
			while (nc < t->len + (size_t)got)
				nc *= 2;
			np = realloc(t->p, nc);
			if (!np)
				return PST_ENOMEM;
			t->p = np;
			t->cap = nc;
		}
		if (t->n == t->ncap) {
			size_t nc = t->ncap ? t->ncap * 2 : 64;
			uint64_t *c = realloc(t->coff, nc * sizeof(*c));
			size_t *u;
			if (!c)
				return PST_ENOMEM;
			t->coff = c;
			u = realloc(t->uoff, nc * sizeof(*u));
			if (!u)
				return PST_ENOMEM;
			t->uoff = u;
			t->ncap = nc;
		}
		t->coff[t->n] = off - start;
		t->uoff[t->n] = t->len;
		t->n++;
		if (got > 0)
			memcpy(t->p + t->len, buf, (size_t)got);
		t->len += (size_t)got;
		off = next;
	}
	/* a table no real image has: what is past it is reported, not dropped */
	if (t->len >= PST_CAP_SQFS_OLD_TABLE && off + 2 <= end)
		pst_sink_cap_hit(q->k, "PST_CAP_SQFS_OLD_TABLE",
				 "%s table larger than %u MiB: the rest of it was not read", what,
				 PST_CAP_SQFS_OLD_TABLE >> 20);
	return PST_OK;
}

/* Where the block at compressed offset coff starts in the decoded table. */
static bool table_find(const struct table *t, uint64_t coff, uint64_t in, size_t *pos)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->coff[mid] == coff) {
			if (t->uoff[mid] + in > t->len)
				return false;
			*pos = t->uoff[mid] + (size_t)in;
			return true;
		}
		if (t->coff[mid] < coff)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static enum pst_err frag_table_read(struct sq *q)
{
	unsigned esz = q->major == 2 ? 8 : 16, isz = q->major == 2 ? 4 : 8;   /* 3.x and 4.0 agree */
	uint64_t bytes = (uint64_t)q->fragments * esz, nidx = (bytes + META - 1) / META, i;
	uint8_t buf[META];

	if (q->fragments == 0)
		return PST_OK;
	if (bytes > PST_CAP_SQFS_OLD_TABLE || !pst_view_has(q->img, q->frag_start, nidx * isz)) {
		pst_sink_damage(q->k, PST_EFORMAT, "fragment index outside the image");
		return PST_OK;
	}
	q->frag = calloc(1, (size_t)nidx * META);
	if (!q->frag)
		return PST_ENOMEM;
	for (i = 0; i < nidx; i++) {
		uint64_t at = 0, next;
		long got;
		if (isz == 4) {
			uint32_t v = 0;
			pst_view_u32e(q->img, q->frag_start + i * 4, q->big, &v);
			at = v;
		} else {
			pst_view_u64e(q->img, q->frag_start + i * 8, q->big, &at);
		}
		got = meta_block(q, at, buf, &next);
		if (got < 0) {
			pst_sink_damage(q->k, PST_EFORMAT, "fragment table block %llu does not decode",
					(unsigned long long)i);
			break;
		}
		memcpy(q->frag + i * META, buf, (size_t)got);
		q->frag_len = (size_t)(i * META + (uint64_t)got);
	}
	return PST_OK;
}

static uint32_t id_lookup(const struct sq *q, uint64_t table, unsigned n, unsigned idx)
{
	uint32_t v = idx;
	if (q->major == 4)
		return idx < q->nids ? q->ids[idx] : idx;
	if (idx < n)
		pst_view_u32e(q->img, table + (uint64_t)idx * 4, q->big, &v);
	return v;
}

/* Decodes one data block (or fragment block) of stored size word sw at off. */
static long data_block(struct sq *q, uint64_t off, uint32_t sw, size_t want)
{
	size_t len = sw & ~(1u << 24);
	const uint8_t *p = pst_view_at(q->img, off, len);
	if (!p)
		return -1;
	if (sw & (1u << 24)) {
		if (len > q->block_size)
			return -1;
		memcpy(q->scratch, p, len);
		return (long)len;
	}
	return pst_lzv_decode(p, len, q->scratch, q->block_size, want, &q->method);
}

struct inode {
	unsigned type;
	uint32_t mode, uid, gid;
	uint64_t size;
	uint64_t start;      /* data: absolute; dir: relative block */
	uint32_t offset;     /* dir: offset in block; file: fragment offset */
	uint32_t fragment;
	size_t blist;        /* file: block list position in the inode table */
	char link[4096];
	uint32_t link_len;
};

static const uint32_t type_bits[] = { 0, S_IFDIR, S_IFREG, S_IFLNK, S_IFBLK, S_IFCHR, S_IFIFO,
				      S_IFSOCK, S_IFDIR, S_IFREG };

static bool read_inode4(struct sq *q, uint64_t blk, uint32_t off, struct inode *ino)
{
	static const uint8_t base_type[15] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 3, 4, 5, 6, 7 };
	static const uint8_t need[15] = { 0, 32, 32, 24, 24, 24, 20, 20, 40, 56, 24, 28, 28, 24, 24 };
	struct pst_view t = pst_view_make(q->it.p, q->it.len);
	const uint8_t *p;
	size_t pos;
	unsigned type;

	if (!table_find(&q->it, blk, off, &pos) || !(p = pst_view_at(t, pos, 16)))
		return false;
	memset(ino, 0, sizeof(*ino));
	type = pst_le16(p);
	if (type == 0 || type > 14 || !(p = pst_view_at(t, pos, need[type])))
		return false;
	ino->type = base_type[type];
	ino->mode = type_bits[ino->type] | (pst_le16(p + 2) & 07777u);
	ino->uid = id_lookup(q, 0, 0, pst_le16(p + 4));
	ino->gid = id_lookup(q, 0, 0, pst_le16(p + 6));
	switch (type) {
	case 1:
		ino->start = pst_le32(p + 16);
		ino->size = pst_le16(p + 24);
		ino->offset = pst_le16(p + 26);
		break;
	case 8:
		ino->size = pst_le32(p + 20);
		ino->start = pst_le32(p + 24);
		ino->offset = pst_le16(p + 34);
		break;
	case 2:
		ino->start = pst_le32(p + 16);
		ino->fragment = pst_le32(p + 20);
		ino->offset = pst_le32(p + 24);
		ino->size = pst_le32(p + 28);
		ino->blist = pos + 32;
		break;
	case 9:
		ino->start = pst_le64(p + 16);
		ino->size = pst_le64(p + 24);
		ino->fragment = pst_le32(p + 44);
		ino->offset = pst_le32(p + 48);
		ino->blist = pos + 56;
		break;
	case 3:
	case 10: {
		const uint8_t *s;
		ino->link_len = pst_le32(p + 20);
		if (ino->link_len >= sizeof(ino->link) || !(s = pst_view_at(t, pos + 24, ino->link_len)))
			return false;
		memcpy(ino->link, s, ino->link_len);
		ino->link[ino->link_len] = 0;
		break;
	}
	default:
		break;
	}
	return true;
}

/* Reads the inode at reference (blk, off). */
static bool read_inode(struct sq *q, uint64_t blk, uint32_t off, struct inode *ino)
{
	size_t pos, need;
	const uint8_t *p;
	struct pst_view t = pst_view_make(q->it.p, q->it.len);
	bool b = q->big, v2 = q->major == 2;
	unsigned uidx, gidx;

	if (q->major == 4)
		return read_inode4(q, blk, off, ino);
	if (!table_find(&q->it, blk, off, &pos) || !(p = pst_view_at(t, pos, v2 ? 4 : 12)))
		return false;
	memset(ino, 0, sizeof(*ino));
	ino->type = (unsigned)bits(p, 0, 4, b);
	if (ino->type == 0 || ino->type > (v2 ? 8u : 9u))
		return false;
	ino->mode = type_bits[ino->type] | (uint32_t)bits(p, 4, 12, b);
	uidx = (unsigned)bits(p, 16, 8, b);
	gidx = (unsigned)bits(p, 24, 8, b);
	ino->uid = id_lookup(q, q->uid_start, q->nuids, uidx);
	ino->gid = gidx == 255 ? ino->uid : id_lookup(q, q->guid_start, q->nguids, gidx);
	switch (ino->type) {
	case 1:
		need = v2 ? 15 : 28;
		break;
	case 8:
		need = v2 ? 18 : 31;
		break;
	case 2:
		need = v2 ? 24 : 32;
		break;
	case 9:
		need = 40;
		break;
	case 3:
	case 4:
	case 5:
		need = v2 ? 6 : 18;
		break;
	default:
		need = v2 ? 4 : 16;
		break;
	}
	if (!(p = pst_view_at(t, pos, need)))
		return false;
	switch (ino->type) {
	case 1:
		ino->size = bits(p, v2 ? 32 : 128, 19, b);
		ino->offset = (uint32_t)bits(p, v2 ? 51 : 147, 13, b);
		ino->start = v2 ? bits(p, 96, 24, b) : bits(p, 160, 32, b);
		break;
	case 8:
		ino->size = bits(p, v2 ? 32 : 128, 27, b);
		ino->offset = (uint32_t)bits(p, v2 ? 59 : 155, 13, b);
		ino->start = v2 ? bits(p, 104, 24, b) : bits(p, 168, 32, b);
		break;
	case 2:
		ino->start = v2 ? bits(p, 64, 32, b) : bits(p, 96, 64, b);
		ino->fragment = (uint32_t)bits(p, v2 ? 96 : 160, 32, b);
		ino->offset = (uint32_t)bits(p, v2 ? 128 : 192, 32, b);
		ino->size = bits(p, v2 ? 160 : 224, 32, b);
		ino->blist = pos + need;
		break;
	case 9:
		ino->start = bits(p, 128, 64, b);
		ino->fragment = (uint32_t)bits(p, 192, 32, b);
		ino->offset = (uint32_t)bits(p, 224, 32, b);
		ino->size = bits(p, 256, 64, b);
		ino->blist = pos + need;
		break;
	case 3: {
		const uint8_t *s;
		ino->link_len = (uint32_t)bits(p, v2 ? 32 : 128, 16, b);
		s = pst_view_at(t, pos + need, ino->link_len);
		if (!s || ino->link_len >= sizeof(ino->link))
			return false;
		memcpy(ino->link, s, ino->link_len);
		ino->link[ino->link_len] = 0;
		break;
	}
	default:
		break;
	}
	return true;
}

/* Reads a regular file's content into ob; false when it is damaged. */
static bool read_file(struct sq *q, const struct inode *ino, struct pst_obuf *ob)
{
	uint64_t nblocks, i, off = ino->start, done = 0;
	bool has_frag = ino->fragment != INVALID_FRAG;
	struct pst_view t = pst_view_make(q->it.p, q->it.len);

	nblocks = has_frag ? ino->size / q->block_size : (ino->size + q->block_size - 1) / q->block_size;
	for (i = 0; i < nblocks && !ob->over; i++) {
		const uint8_t *w = pst_view_at(t, ino->blist + i * 4, 4);
		size_t want = (size_t)(ino->size - done < q->block_size ? ino->size - done : q->block_size);
		uint32_t sw;
		long got;
		if (!w)
			return false;
		sw = q->big ? pst_be32(w) : pst_le32(w);
		if ((sw & ~(1u << 24)) == 0) {
			memset(q->scratch, 0, want);   /* a sparse block */
			got = (long)want;
		} else {
			got = data_block(q, off, sw, want);
		}
		if (got != (long)want)
			return false;
		if (pst_obuf_append(ob, q->scratch, want) == PST_ELIMIT)
			return true;   /* the sink recorded the limit */
		off += sw & ~(1u << 24);
		done += want;
	}
	if (has_frag && done < ino->size && !ob->over) {
		size_t want = (size_t)(ino->size - done);
		uint64_t fpos = (uint64_t)ino->fragment * (q->major == 2 ? 8 : 16);
		struct pst_view f = pst_view_make(q->frag, q->frag_len);
		const uint8_t *e = pst_view_at(f, fpos, q->major == 2 ? 8 : 12);
		uint64_t fstart;
		uint32_t fsw;
		long got;
		if (!e)
			return false;
		fstart = q->major == 2 ? bits(e, 0, 32, q->big) : bits(e, 0, 64, q->big);
		fsw = (uint32_t)bits(e, q->major == 2 ? 32 : 64, 32, q->big);
		got = data_block(q, fstart, fsw, 0);
		if (got < 0 || (uint64_t)ino->offset + want > (uint64_t)got)
			return false;
		pst_obuf_append(ob, q->scratch + ino->offset, want);
	}
	return true;
}

static void emit_inode(struct sq *q, const struct inode *ino)
{
	struct pst_entry e;
	struct pst_obuf ob;
	enum pst_err rc;

	memset(&e, 0, sizeof(e));
	e.path = pst_fspath_where(&q->path);
	e.mode = ino->mode;
	e.uid = ino->uid;
	e.gid = ino->gid;
	if (ino->type == 3)
		e.link = ino->link;
	if (ino->type == 2 || ino->type == 9) {
		e.declared_size = ino->size;
		pst_sink_obuf(q->k, &ob);
		if (!read_file(q, ino, &ob)) {
			e.flags |= PST_NODE_TRUNCATED | PST_NODE_INCOMPLETE;
			pst_sink_damage(q->k, PST_EFORMAT, "%s: data blocks do not decode", e.path);
		}
		e.take = &ob;
	}
	rc = pst_sink_emit(q->k, &e);
	if (rc == PST_ENOMEM || rc == PST_ECANCEL || q->k->stopped)
		q->rc = rc ? rc : PST_ELIMIT;
}

static void walk_dir(struct sq *q, const struct inode *dir, unsigned depth)
{
	struct pst_view t = pst_view_make(q->dt.p, q->dt.len);
	size_t pos, end, mark;
	const char *where = pst_fspath_where(&q->path);
	unsigned hsz = q->major == 2 ? 4 : q->major == 3 ? 9 : 12;
	unsigned esz = q->major == 2 ? 3 : q->major == 3 ? 5 : 8;
	uint64_t size = dir->size;

	if (!pst_sink_nest(q->k, depth, where)) {
		return;
	}
	if (q->major >= 3)
		size = size >= 3 ? size - 3 : 0;
	if (!table_find(&q->dt, dir->start, dir->offset, &pos)) {
		if (size > 0)
			pst_sink_damage(q->k, PST_EFORMAT, "%s: directory block not found",
					pst_fspath_where(&q->path));
		return;
	}
	end = pos + size > t.len ? t.len : pos + (size_t)size;
	if (pos + size > t.len)
		pst_sink_damage(q->k, PST_EFORMAT, "%s: directory listing truncated",
				pst_fspath_where(&q->path));
	while (pos + hsz <= end && q->rc == PST_OK) {
		const uint8_t *h = pst_view_at(t, pos, hsz);
		unsigned count, i;
		uint64_t sblk;
		if (!h)
			break;
		if (q->major == 4) {
			count = pst_le32(h) + 1;
			sblk = pst_le32(h + 4);
			if (count > 256) {
				pst_sink_damage(q->k, PST_EFORMAT, "%s: bad directory header",
						pst_fspath_where(&q->path));
				return;
			}
		} else {
			count = (unsigned)bits(h, 0, 8, q->big) + 1;
			sblk = bits(h, 8, q->major == 2 ? 24 : 32, q->big);
		}
		pos += hsz;
		for (i = 0; i < count && q->rc == PST_OK; i++) {
			const uint8_t *d = pst_view_at(t, pos, esz), *name;
			uint32_t ioff, nlen;
			struct inode *ino;
			if (!d || pos + esz > end) {
				pst_sink_damage(q->k, PST_EFORMAT, "%s: directory entry runs past its listing",
						pst_fspath_where(&q->path));
				return;
			}
			if (q->major == 4) {
				ioff = pst_le16(d);
				nlen = (uint32_t)pst_le16(d + 6) + 1;
			} else {
				ioff = (uint32_t)bits(d, 0, 13, q->big);
				nlen = (uint32_t)bits(d, 16, 8, q->big) + 1;
			}
			name = pst_view_at(t, pos + esz, nlen);
			if (!name || pos + esz + nlen > end) {
				pst_sink_damage(q->k, PST_EFORMAT, "%s: directory entry name runs past its listing",
						pst_fspath_where(&q->path));
				return;
			}
			pos += esz + nlen;
			if (++q->entries > q->max_entries) {
				pst_sink_damage(q->k, PST_EFORMAT, "more directory entries than inodes (a loop?)");
				q->rc = PST_EFORMAT;
				return;
			}
			if (!pst_fspath_push(&q->path, q->k, name, nlen, &mark))
				continue;
			ino = malloc(sizeof(*ino));
			if (!ino) {
				q->rc = PST_ENOMEM;
				pst_fspath_pop(&q->path, mark);
				return;
			}
			if (!read_inode(q, sblk, ioff, ino)) {
				pst_sink_damage(q->k, PST_EFORMAT, "%s: inode unreadable",
						q->path.p);
			} else {
				emit_inode(q, ino);
				if (q->rc == PST_OK && (ino->type == 1 || ino->type == 8))
					walk_dir(q, ino, depth + 1);
			}
			free(ino);
			pst_fspath_pop(&q->path, mark);
		}
	}
}

/* The 4.0 superblock and id table. */
static enum pst_err super4(struct sq *q, struct pst_view in, const uint8_t *h)
{
	uint64_t nidx, i;
	uint8_t buf[META];

	q->big = false;
	q->major = 4;
	q->ninodes = pst_le32(h + 4);
	q->block_size = pst_le32(h + 12);
	q->fragments = pst_le32(h + 16);
	q->nids = pst_le16(h + 26);
	q->root = pst_le64(h + 32);
	q->used = pst_le64(h + 40);
	q->id_start = pst_le64(h + 48);
	q->inode_start = pst_le64(h + 64);
	q->dir_start = pst_le64(h + 72);
	q->frag_start = pst_le64(h + 80);
	if (pst_le16(h + 24) & 0x0010u)
		q->fragments = 0;   /* "no fragments" */
	q->img = pst_view_sub(in, 0, q->used);
	q->ids = calloc(q->nids + 1, sizeof(*q->ids));
	if (!q->ids)
		return PST_ENOMEM;
	nidx = ((uint64_t)q->nids * 4 + META - 1) / META;
	for (i = 0; i < nidx; i++) {
		uint64_t at = 0, next;
		long got = -1;
		size_t j;
		if (pst_view_le64(q->img, q->id_start + i * 8, &at))
			got = meta_block(q, at, buf, &next);
		if (got < 0) {
			pst_sink_damage(q->k, PST_EFORMAT, "id table unreadable");
			break;
		}
		for (j = 0; j + 4 <= (size_t)got && i * (META / 4) + j / 4 < q->nids; j += 4)
			q->ids[i * (META / 4) + j / 4] = pst_le32(buf + j);
	}
	return PST_OK;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	struct sq *q = calloc(1, sizeof(*q));
	const uint8_t *h = pst_view_at(in, 0, 120);
	uint64_t used, root, lim;
	struct inode *root_ino = NULL;
	enum pst_err rc = PST_OK;

	if (!q || pst_fspath_init(&q->path, k) != PST_OK) {
		free(q);
		return PST_ENOMEM;
	}
	if (!h && in.len >= 96 && bid4(in.p, in.len))
		h = in.p;
	if (!h || !bid(h, in.len)) {
		rc = PST_EFORMAT;
		goto out;
	}
	q->k = k;
	if (bid4(h, in.len)) {
		rc = super4(q, in, h);
		goto walk;
	}
	magic_ok(h, &q->big);
	q->major = (unsigned)bits(h, 224, 16, q->big);
	q->block_size = (uint32_t)bits(h, 408, 32, q->big);
	q->check = (bits(h, 288, 8, q->big) & 0x04) != 0;
	q->ninodes = (uint32_t)bits(h, 32, 32, q->big);
	q->nuids = (unsigned)bits(h, 296, 8, q->big);
	q->nguids = (unsigned)bits(h, 304, 8, q->big);
	q->fragments = (uint32_t)bits(h, 440, 32, q->big);
	root = bits(h, 344, 64, q->big);
	if (q->major == 2) {
		used = bits(h, 64, 32, q->big);
		q->uid_start = bits(h, 96, 32, q->big);
		q->guid_start = bits(h, 128, 32, q->big);
		q->inode_start = bits(h, 160, 32, q->big);
		q->dir_start = bits(h, 192, 32, q->big);
		q->frag_start = bits(h, 472, 32, q->big);
	} else {
		used = bits(h, 504, 64, q->big);
		q->uid_start = bits(h, 568, 64, q->big);
		q->guid_start = bits(h, 632, 64, q->big);
		q->inode_start = bits(h, 696, 64, q->big);
		q->dir_start = bits(h, 760, 64, q->big);
		q->frag_start = bits(h, 824, 64, q->big);
	}
	q->used = used;
	q->root = root;
	q->img = pst_view_sub(in, 0, used);
walk:
	if (rc)
		goto out;
	root = q->root;
	k->consumed = q->img.len;
	if (q->img.len < q->used)
		pst_sink_damage(k, PST_EFORMAT, "image truncated: %zu of %llu bytes", q->img.len,
				(unsigned long long)q->used);
	q->max_entries = (uint64_t)q->ninodes * 4 + 1024;
	q->scratch = malloc(q->block_size);
	root_ino = malloc(sizeof(*root_ino));
	if (!q->scratch || !root_ino) {
		rc = PST_ENOMEM;
		goto out;
	}
	rc = table_read(q, &q->it, q->inode_start, q->dir_start, "inode");
	if (rc)
		goto out;
	/* The directory table ends where the next table begins. */
	lim = q->img.len;
	if (q->frag_start > q->dir_start && q->frag_start < lim && q->fragments)
		lim = q->frag_start;
	if (q->uid_start > q->dir_start && q->uid_start < lim)
		lim = q->uid_start;
	if (q->guid_start > q->dir_start && q->guid_start < lim)
		lim = q->guid_start;
	if (q->id_start > q->dir_start && q->id_start < lim)
		lim = q->id_start;
	rc = table_read(q, &q->dt, q->dir_start, lim, "directory");
	if (rc)
		goto out;
	rc = frag_table_read(q);
	if (rc)
		goto out;
	if (!read_inode(q, root >> 16, (uint32_t)(root & 0xffff), root_ino) ||
	    (root_ino->type != 1 && root_ino->type != 8)) {
		pst_sink_damage(k, PST_EFORMAT, "root directory inode unreadable");
		goto out;
	}
	walk_dir(q, root_ino, 0);
	if (q->rc == PST_ENOMEM)
		rc = PST_ENOMEM;
out:
	free(root_ino);
	if (q) {
		table_free(&q->it);
		table_free(&q->dt);
		free(q->frag);
		free(q->ids);
		free(q->scratch);
		pst_fspath_free(&q->path);
		free(q);
	}
	return rc;
}

static const struct pst_magic magics[] = {
	{ "sqsh", 4, 0 }, { "hsqs", 4, 0 }, { "qshs", 4, 0 }, { "shsq", 4, 0 },
	{ "tqsh", 4, 0 }, { "hsqt", 4, 0 }, { "sqlz", 4, 0 }, { "zlqs", 4, 0 }, { NULL, 0, 0 },
};

const struct pst_unpacker pst_unpacker_squashfs_old = {
	"squashfs-old", PST_KIND_FILESYSTEM, PST_UNPACK_CARVE, magics, bid, unpack,
};
