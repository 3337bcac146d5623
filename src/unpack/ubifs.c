/*
 * ubifs.c - UBIFS volumes (the content of a UBI volume, or mkfs.ubifs
 * output), read by scanning every node rather than walking the index.
 *
 * Format: fs/ubifs/ubifs-media.h in Linux. Every node starts with a 24-byte
 * little-endian header (magic 0x06101831, CRC32 of the rest with seed
 * 0xffffffff and no final inversion, sequence number, length, type) and is
 * 8-byte aligned inside a logical erase block; free space is 0xff. Inode
 * nodes carry metadata (and a symlink's target), directory-entry nodes name
 * an inode in a parent, data nodes carry one 4 KiB block (none, LZO, raw
 * deflate or zstd). Scanning all nodes and keeping the highest sequence
 * number per inode, per (parent, name) and per (inode, block) gives the
 * tree the index describes for the images flash tools write; an entry
 * whose newest node names inode 0 is deleted.
 *
 * The walk reads directories and symlink targets; a regular file is emitted
 * with a loader that, when a worker examines the file, looks its data nodes
 * up in the walk's sorted records (offsets into the image, kept unchanged in
 * the loaders' context) and decodes them then, so a volume's files are never
 * all in buffers at once (issue 15). A file with a data node that does not
 * decode is reported damaged by its own loader.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <lzo/lzo1x.h>
#include <zlib.h>
#include <zstd.h>
#include "lzvendor.h"
#include "fsutil.h"

#define NODE_MAGIC 0x06101831u
#define T_INO 0
#define T_DATA 1
#define T_DENT 2
#define T_SB 6
#define T_MST 7
#define BLOCK 4096u
#define ROOT_INO 1u

struct rec {
	uint64_t key;      /* inode number, or parent for entries */
	uint64_t sub;      /* block number, or name offset for entries */
	uint64_t sqnum;
	uint64_t pos;
};

/* The newest inode and data node of each inode and block, sorted: what a
 * loader needs, built by the walk and read-only after. */
struct umap {
	struct pst_view img;
	const struct rec *ino, *data;
	size_t nino, ndata;
};

/* A loader's context: base.own[] are the map's arrays. */
struct uctx {
	struct pst_fsctx base;
	struct umap m;
};

struct ufs {
	struct pst_sink *k;
	struct pst_view img;
	struct rec *ino, *dent, *data;
	size_t nino, ndent, ndata, capino, capdent, capdata;
	uint32_t leb;
	uint64_t mst;       /* position of the first master node + 1, or 0 */
	struct uctx *c;     /* the loaders'; owns ino and data once made */
	struct umap m;      /* c's map, for the walk */
	struct pst_idset visited; /* directories walked */
	struct pst_fspath path;
	enum pst_err rc;
};

static uint32_t ucrc(const uint8_t *p, size_t n)
{
	return ~(uint32_t)crc32(0, p, (uInt)n);
}

static bool node_ok(struct pst_view v, uint64_t pos, uint32_t *len)
{
	const uint8_t *h = pst_view_at(v, pos, 24);
	if (!h || pst_le32(h) != NODE_MAGIC)
		return false;
	*len = pst_le32(h + 16);
	if (*len < 24 || !pst_view_has(v, pos, *len))
		return false;
	return ucrc(h + 8, *len - 8) == pst_le32(h + 4);
}

static unsigned bid(const uint8_t *h, size_t len)
{
	uint32_t n;
	if (!node_ok(pst_view_make(h, len), 0, &n) || h[20] != T_SB)
		return 0;
	return 96;
}

static bool add(struct rec **r, size_t *n, size_t *cap, uint64_t key, uint64_t sub,
		uint64_t sqnum, uint64_t pos)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		struct rec *nr = realloc(*r, nc * sizeof(*nr));
		if (!nr)
			return false;
		*r = nr;
		*cap = nc;
	}
	(*r)[*n].key = key;
	(*r)[*n].sub = sub;
	(*r)[*n].sqnum = sqnum;
	(*r)[*n].pos = pos;
	(*n)++;
	return true;
}

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->sub != y->sub)
		return x->sub < y->sub ? -1 : 1;
	return x->sqnum > y->sqnum ? -1 : x->sqnum < y->sqnum;
}

/* Entries compare by parent, then name bytes, newest first. */
static int cmp_dent(const void *a, const void *b, void *ctx)
{
	const struct rec *x = a, *y = b;
	const uint8_t *img = ctx;
	uint16_t nx = pst_le16(img + x->pos + 50), ny = pst_le16(img + y->pos + 50);
	int c;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (nx != ny)
		return nx < ny ? -1 : 1;
	c = memcmp(img + x->pos + 56, img + y->pos + 56, nx);
	if (c)
		return c;
	return x->sqnum > y->sqnum ? -1 : x->sqnum < y->sqnum;
}

/* Keeps the first (newest) record of each run of equal keys. */
static size_t newest(struct rec *r, size_t n, const uint8_t *img, bool dents)
{
	size_t i, out = 0;
	for (i = 0; i < n; i++) {
		bool same = false;
		if (i > 0 && r[i - 1].key == r[i].key) {
			if (!dents) {
				same = r[i - 1].sub == r[i].sub;
			} else {
				uint16_t a = pst_le16(img + r[i - 1].pos + 50), b = pst_le16(img + r[i].pos + 50);
				same = a == b && !memcmp(img + r[i - 1].pos + 56, img + r[i].pos + 56, a);
			}
		}
		if (!same)
			r[out++] = r[i];
	}
	return out;
}

static void scan(struct ufs *u)
{
	uint64_t pos = 0;
	unsigned bad = 0;
	while (pos + 24 <= u->img.len && u->rc == PST_OK) {
		const uint8_t *h = u->img.p + pos;
		uint32_t len;
		bool ok = true;
		if (!node_ok(u->img, pos, &len)) {
			if (pst_le32(h) == NODE_MAGIC)
				bad++;
			if (pst_le32(h) == 0xffffffffu && pst_le32(h + 4) == 0xffffffffu && u->leb) {
				/* free space: the rest of this erase block */
				pos = (pos / u->leb + 1) * u->leb;
				continue;
			}
			pos += 8;
			continue;
		}
		switch (h[20]) {
		case T_SB:
			if (len >= 40 && !u->leb) {
				u->leb = pst_le32(h + 36);
				if (u->leb < 4096 || u->leb % 8)
					u->leb = 0;
			}
			break;
		case T_MST:
			if (len >= 160 && !u->mst)
				u->mst = pos + 1;
			break;
		case T_INO:
			if (len >= 160)
				ok = add(&u->ino, &u->nino, &u->capino, pst_le32(h + 24), 0, pst_le64(h + 8), pos);
			break;
		case T_DENT:
			if (len >= 56 && (uint32_t)pst_le16(h + 50) + 56 <= len)
				ok = add(&u->dent, &u->ndent, &u->capdent, pst_le32(h + 24), 0,
					 pst_le64(h + 8), pos);
			break;
		case T_DATA:
			if (len >= 48)
				ok = add(&u->data, &u->ndata, &u->capdata, pst_le32(h + 24),
					 pst_le32(h + 28) & 0x1fffffffu, pst_le64(h + 8), pos);
			break;
		default:
			break;
		}
		if (!ok)
			u->rc = PST_ENOMEM;
		pos += ((uint64_t)len + 7) & ~(uint64_t)7;
	}
	if (bad)
		pst_sink_damage(u->k, PST_EFORMAT, "%u node(s) with bad CRCs", bad);
}

/* The master node says where the index, its head and the LEB properties
 * tree end: an image shorter than that lost its tail. */
static void check_master(struct ufs *u)
{
	const uint8_t *m;
	uint64_t need = 0, x;
	static const unsigned at[][2] = { { 48, 52 }, { 64, 68 }, { 128, 132 }, { 136, 140 } };
	size_t i;
	if (!u->mst || !u->leb) {
		pst_sink_damage(u->k, PST_EFORMAT, "no master node");
		return;
	}
	m = u->img.p + u->mst - 1;
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		x = (uint64_t)pst_le32(m + at[i][0]) * u->leb + pst_le32(m + at[i][1]);
		if (i == 0)
			x += pst_le32(m + 56);   /* root_len */
		if (x > need)
			need = x;
	}
	if (u->img.len % u->leb)
		pst_sink_damage(u->k, PST_EFORMAT, "image ends inside an erase block");
	if (need > u->img.len)
		pst_sink_damage(u->k, PST_EFORMAT, "image truncated: the index needs %llu bytes, %zu present",
				(unsigned long long)need, u->img.len);
}

static const struct rec *find(const struct rec *r, size_t n, uint64_t key, size_t *first)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	return lo < n && r[lo].key == key ? &r[lo] : NULL;
}

/* Decodes data node `node` (len bytes) into block; its length or -1. */
static long decode_block(const uint8_t *node, uint32_t len, uint8_t *block)
{
	uint32_t size = pst_le32(node + 40);
	uint16_t compr = pst_le16(node + 44);
	const uint8_t *in = node + 48;
	size_t inlen = len - 48;
	if (size > BLOCK)
		return -1;
	switch (compr) {
	case 0:
		if (inlen < size)
			return -1;
		memcpy(block, in, size);
		return (long)size;
	case 1: {
		lzo_uint n = BLOCK;
		if (lzo1x_decompress_safe(in, inlen, block, &n, NULL) != LZO_E_OK)
			return -1;
		return (long)n;
	}
	case 2:
		return pst_lzv_decode_with(PST_LZV_RAWDEFLATE, in, inlen, block, BLOCK, 0);
	case 3: {
		size_t r = ZSTD_decompress(block, BLOCK, in, inlen);
		return ZSTD_isError(r) ? -1 : (long)r;
	}
	default:
		return -1;
	}
}

/* The bytes inode inum's file of size bytes gets: its size, unless that is
 * far beyond any data, which is not worth allocating (*cut; the data's
 * extent is kept). *first: its first data record. */
static uint64_t file_len(const struct umap *m, uint64_t inum, uint64_t size, bool *cut,
			 size_t *first)
{
	uint64_t extent = 0;
	size_t i;

	if (find(m->data, m->ndata, inum, first))
		for (i = *first; i < m->ndata && m->data[i].key == inum; i++)
			if ((m->data[i].sub + 1) * BLOCK > extent)
				extent = (m->data[i].sub + 1) * BLOCK;
	*cut = size > extent + (1u << 20);
	return *cut ? extent : size;
}

/* A regular file's loader: cookie is the index of its inode record. Blocks
 * without a data node are holes (zeros); one that does not decode makes the
 * file damaged. */
static enum pst_err load(void *ctx, uint64_t cookie, unsigned worker, struct pst_obuf *out)
{
	const struct umap *m = &((const struct uctx *)ctx)->m;
	uint8_t block[BLOCK];
	uint64_t inum, len;
	size_t first, i;
	bool cut, bad = false;
	enum pst_err e;

	(void)worker;
	if (cookie >= m->nino)
		return PST_EFORMAT;
	inum = m->ino[cookie].key;
	len = file_len(m, inum, pst_le64(m->img.p + m->ino[cookie].pos + 48), &cut, &first);
	e = pst_fs_zeroed(out, len, &len);
	if (e != PST_OK)
		return e;
	for (i = first; i < m->ndata && m->data[i].key == inum; i++) {
		const uint8_t *node = m->img.p + m->data[i].pos;
		uint64_t off = m->data[i].sub * BLOCK;
		long got = decode_block(node, pst_le32(node + 16), block);
		if (got < 0) {
			bad = true;
			continue;
		}
		if (off < len)
			memcpy(out->p + off, block,
			       (size_t)((uint64_t)got < len - off ? (uint64_t)got : len - off));
	}
	if (bad)
		return PST_EFORMAT;
	return out->over ? PST_ELIMIT : PST_OK;
}

static bool visit(struct ufs *u, uint64_t inum)
{
	return pst_idset_add(&u->visited, inum, &u->rc);
}

static void walk_dir(struct ufs *u, uint64_t dir, unsigned depth);

static void emit(struct ufs *u, uint64_t inum, unsigned depth)
{
	size_t first;
	const struct rec *r = find(u->ino, u->nino, inum, &first);
	const uint8_t *node;
	struct pst_entry e;
	char link[4097];
	uint32_t len, dlen;
	enum pst_err rc;

	memset(&e, 0, sizeof(e));
	e.path = u->path.p;
	if (!r) {
		pst_sink_damage(u->k, PST_EFORMAT, "%s: inode %llu not found", u->path.p,
				(unsigned long long)inum);
		e.flags |= PST_NODE_INCOMPLETE;
		rc = pst_sink_emit(u->k, &e);
		goto done;
	}
	node = u->img.p + r->pos;
	len = pst_le32(node + 16);
	e.mode = pst_le32(node + 104);
	e.uid = pst_le32(node + 96);
	e.gid = pst_le32(node + 100);
	dlen = pst_le32(node + 112);
	if (S_ISREG(e.mode)) {
		bool cut;
		e.declared_size = pst_le64(node + 48);
		file_len(&u->m, inum, e.declared_size, &cut, &first);
		if (cut)
			e.flags |= PST_NODE_TRUNCATED;
		e.load = load;
		e.ctx = u->c;
		e.cookie = (uint64_t)(r - u->ino);
		e.ctx_ref = pst_fsctx_ref;
		e.ctx_unref = pst_fsctx_unref;
	} else if (S_ISLNK(e.mode)) {
		if (dlen < sizeof(link) && 160 + (uint64_t)dlen <= len) {
			memcpy(link, node + 160, dlen);
			link[dlen] = 0;
			e.link = link;
		} else {
			pst_sink_damage(u->k, PST_EFORMAT, "%s: symlink target unreadable",
					u->path.p);
		}
	}
	rc = pst_sink_emit(u->k, &e);
	if (rc == PST_OK && S_ISDIR(e.mode) && visit(u, inum))
		walk_dir(u, inum, depth + 1);
done:
	if (rc == PST_ENOMEM || rc == PST_ECANCEL || u->k->stopped)
		u->rc = rc ? rc : PST_ELIMIT;
}

static void walk_dir(struct ufs *u, uint64_t dir, unsigned depth)
{
	size_t first, i, mark;
	if (!pst_sink_nest(u->k, depth, pst_fspath_where(&u->path)))
		return;
	if (!find(u->dent, u->ndent, dir, &first))
		return;
	for (i = first; i < u->ndent && u->dent[i].key == dir && u->rc == PST_OK; i++) {
		const uint8_t *node = u->img.p + u->dent[i].pos;
		uint64_t inum = pst_le64(node + 40);
		uint16_t nlen = pst_le16(node + 50);
		const uint8_t *name = node + 56;
		if (inum == 0)
			continue;   /* deleted */
		if (!pst_fspath_push(&u->path, u->k, name, nlen, &mark))
			continue;
		emit(u, inum, depth);
		pst_fspath_pop(&u->path, mark);
	}
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	struct ufs *u = calloc(1, sizeof(*u));
	const uint8_t *sb;
	uint32_t len;
	uint64_t want;
	enum pst_err rc = PST_OK;

	if (!u || pst_fspath_init(&u->path, k) != PST_OK) {
		free(u);
		return PST_ENOMEM;
	}
	u->k = k;
	u->img = in;
	if (!node_ok(in, 0, &len) || in.p[20] != T_SB || len < 44) {
		pst_fspath_free(&u->path);
		free(u);
		return PST_EFORMAT;
	}
	sb = in.p;
	want = (uint64_t)pst_le32(sb + 36) * pst_le32(sb + 40);   /* leb_size * leb_cnt */
	/* mkfs.ubifs writes only the erase blocks it used; a volume is at most
	 * leb_cnt blocks: past that is something else. */
	if (want && want < in.len)
		u->img = pst_view_sub(in, 0, want);
	k->consumed = u->img.len;
	scan(u);
	check_master(u);
	if (u->rc == PST_OK) {
		if (u->nino > 1)
			qsort(u->ino, u->nino, sizeof(*u->ino), cmp_rec);
		u->nino = newest(u->ino, u->nino, in.p, false);
		if (u->ndata > 1)
			qsort(u->data, u->ndata, sizeof(*u->data), cmp_rec);
		u->ndata = newest(u->data, u->ndata, in.p, false);
		if (u->ndent > 1)
			qsort_r(u->dent, u->ndent, sizeof(*u->dent), cmp_dent, (void *)(uintptr_t)in.p);
		u->ndent = newest(u->dent, u->ndent, in.p, true);
		/* the map is complete: the loaders share it from here on */
		u->c = pst_fsctx_new(k, sizeof(*u->c));
		if (!u->c)
			u->rc = PST_ENOMEM;
	}
	if (u->c) {
		u->m = (struct umap){ u->img, u->ino, u->data, u->nino, u->ndata };
		u->c->m = u->m;
		u->c->base.own[0] = u->ino;
		u->c->base.own[1] = u->data;
		visit(u, ROOT_INO);
		walk_dir(u, ROOT_INO, 0);
		pst_fsctx_unref(u->c);
	} else {
		free(u->ino);
		free(u->data);
	}
	if (u->rc == PST_ENOMEM)
		rc = PST_ENOMEM;
	free(u->dent);
	pst_idset_free(&u->visited);
	pst_fspath_free(&u->path);
	free(u);
	return rc;
}

static const struct pst_magic magics[] = { { "\x31\x18\x10\x06", 4, 0 }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_ubifs = {
	"ubifs", PST_KIND_FILESYSTEM, PST_UNPACK_CARVE, magics, bid, unpack,
};
