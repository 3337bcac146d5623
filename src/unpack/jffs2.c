/*
 * jffs2.c - the Journalling Flash File System v2, both byte orders.
 *
 * Format: include/uapi/linux/jffs2.h and fs/jffs2/ in Linux (David
 * Woodhouse, "JFFS: The Journalling Flash File System", 2001). The image is
 * a log of 4-byte-aligned nodes, each behind a 12-byte header (magic 0x1985,
 * type, total length, CRC of the first 8 bytes); erase blocks end in 0xff
 * padding. Directory entry nodes name an inode in a parent; inode nodes
 * carry metadata and one compressed piece (offset, dsize) of the inode's
 * data. Every node has a version: the newest directory entry for a (parent,
 * name) wins (inode 0 = deleted), inode data is applied oldest first so the
 * newest piece wins, the newest metadata wins. Nodes with the ACCURATE bit
 * cleared are obsolete and ignored. CRCs are Linux's crc32_le seeded with
 * 0 (zlib's crc32 without its inversions). Compressors: none, zero, rtime,
 * zlib, LZO (liblzo2), LZMA (the OpenWrt patch: bare LZMA1, lc=lp=pb=0,
 * 8 KiB dictionary), rubinmips and dynrubin (rubin.c); any other id is
 * reported as unsupported.
 *
 * The walk reads directories and symlink targets; a regular file is emitted
 * with a loader that, when a worker examines the file, finds its data nodes
 * in the map of inode nodes the walk built (offsets into the image, sorted
 * by inode) and decodes them then, so an image's files are never all in
 * buffers at once (issue 15). A file whose data nodes are missing, fail
 * their CRC or do not decode is reported damaged by its own loader.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <lzo/lzo1x.h>
#include <zlib.h>
#include "lzvendor.h"
#include "fsutil.h"
#include "rubin.h"

#define MAGIC 0x1985u
#define ACCURATE 0x2000u
#define T_DIRENT 0xe001u
#define T_INODE 0xe002u
#define RI_LEN 68u
#define RD_LEN 40u
/* How far past garbage to look for the next node before the image ends. */
#define RESYNC (256u << 10)

struct dent {
	uint32_t pino, version, ino;
	uint8_t type;
	uint64_t name;      /* offset of the name in the image */
	uint8_t nsize;
};

struct inode_ref {
	uint32_t ino, version;
	uint64_t pos;
};

/* The image and its inode nodes, by inode, version, position: built by the
 * walk, read-only after, shared with the loaders. */
struct jmap {
	struct pst_view img;
	bool big;
	struct inode_ref *in;
	size_t nin;
};

/* A loader's context: base.own[0] is m.in. */
struct jctx {
	struct pst_fsctx base;
	struct jmap m;
};

struct jf {
	struct pst_sink *k;
	struct jmap m;
	struct dent *d;
	size_t nd, capd, capin;
	struct jctx *c;           /* the loaders'; owns m.in once made */
	struct pst_idset visited; /* directories walked */
	struct pst_fspath path;
	unsigned bad_crc, unsupported;
	enum pst_err rc;
};

static uint32_t jcrc(const uint8_t *p, size_t n)
{
	return ~(uint32_t)crc32(0xffffffffUL, p, (uInt)n);
}

static uint16_t u16(const struct jmap *m, const uint8_t *p) { return m->big ? pst_be16(p) : pst_le16(p); }
static uint32_t u32(const struct jmap *m, const uint8_t *p) { return pst_u32e(p, m->big); }

/* A node header at p with a good CRC; its byte order in *big. The CRC was
 * computed with the ACCURATE bit set: marking a node obsolete clears the bit
 * in place on flash without rewriting the CRC. */
static bool header_ok(const uint8_t *p, size_t avail, bool *big)
{
	uint8_t h[8];
	uint32_t totlen;
	if (avail < 12)
		return false;
	if (pst_le16(p) == MAGIC)
		*big = false;
	else if (pst_be16(p) == MAGIC)
		*big = true;
	else
		return false;
	totlen = *big ? pst_be32(p + 4) : pst_le32(p + 4);
	if (totlen < 12)
		return false;
	memcpy(h, p, 8);
	h[*big ? 2 : 3] |= (uint8_t)(ACCURATE >> 8);
	return jcrc(h, 8) == (*big ? pst_be32(p + 8) : pst_le32(p + 8));
}

static unsigned bid(const uint8_t *h, size_t len)
{
	bool big;
	uint16_t type;
	if (!header_ok(h, len, &big))
		return 0;
	type = big ? pst_be16(h + 2) : pst_le16(h + 2);
	/* a known node type: dirent, inode, cleanmarker, padding, summary, xattr */
	switch (type & ~ACCURATE) {
	case 0xc001: case 0xc002: case 0x0003: case 0x0004: case 0x0006: case 0xc008: case 0xc009:
		return 80;
	default:
		return 0;
	}
}

static bool grow(void **p, size_t *cap, size_t n, size_t sz)
{
	void *np;
	size_t nc;
	if (n < *cap)
		return true;
	nc = *cap ? *cap * 2 : 256;
	np = realloc(*p, nc * sz);
	if (!np)
		return false;
	*p = np;
	*cap = nc;
	return true;
}

/* Records one node; false on out of memory. */
static bool take_node(struct jf *j, uint64_t pos, const uint8_t *p, uint32_t totlen)
{
	const struct jmap *m = &j->m;
	uint16_t type = u16(m, p + 2);
	if (type == T_DIRENT) {
		struct dent *d;
		if (totlen < RD_LEN || jcrc(p, 32) != u32(m, p + 32) || p[28] + RD_LEN > totlen) {
			j->bad_crc++;
			return true;
		}
		if (!grow((void **)&j->d, &j->capd, j->nd, sizeof(*j->d)))
			return false;
		d = &j->d[j->nd++];
		d->pino = u32(m, p + 12);
		d->version = u32(m, p + 16);
		d->ino = u32(m, p + 20);
		d->nsize = p[28];
		d->type = p[29];
		d->name = pos + RD_LEN;
	} else if (type == T_INODE) {
		struct inode_ref *r;
		if (totlen < RI_LEN || jcrc(p, 60) != u32(m, p + 60 + 4)) {
			j->bad_crc++;
			return true;
		}
		if (!grow((void **)&j->m.in, &j->capin, j->m.nin, sizeof(*j->m.in)))
			return false;
		r = &j->m.in[j->m.nin++];
		r->ino = u32(m, p + 12);
		r->version = u32(m, p + 16);
		r->pos = pos;
	}
	return true;
}

/* Walks the node log; returns the end of the last good node. */
static uint64_t scan_nodes(struct jf *j)
{
	struct pst_view img = j->m.img;
	uint64_t pos = 0, end = 0, garbage_from = UINT64_MAX;
	while (pos + 12 <= img.len) {
		const uint8_t *p = img.p + pos;
		bool big;
		uint32_t totlen;
		if (header_ok(p, img.len - pos, &big) && big == j->m.big) {
			totlen = u32(&j->m, p + 4);
			if (totlen > img.len - pos) {
				pst_sink_damage(j->k, PST_EFORMAT, "node at 0x%llx runs past the image",
						(unsigned long long)pos);
				break;
			}
			if (garbage_from != UINT64_MAX)
				pst_sink_damage(j->k, PST_EFORMAT, "unreadable bytes at 0x%llx-0x%llx",
						(unsigned long long)garbage_from, (unsigned long long)pos);
			garbage_from = UINT64_MAX;
			if (!take_node(j, pos, p, totlen)) {
				j->rc = PST_ENOMEM;
				break;
			}
			pos += ((uint64_t)totlen + 3) & ~(uint64_t)3;
			end = pos;
			continue;
		}
		if (pst_le32(p) == 0xffffffffu) {
			pos += 4;
			continue;
		}
		if (garbage_from == UINT64_MAX)
			garbage_from = pos;
		if (pos - garbage_from > RESYNC)
			break;   /* the filesystem has ended */
		pos += 4;
	}
	if (pos < img.len && garbage_from == UINT64_MAX) {
		uint64_t i;
		for (i = pos; i < img.len && img.p[i] == 0xff; i++)
			;
		if (i < img.len)
			pst_sink_damage(j->k, PST_EFORMAT, "image ends inside a node at 0x%llx",
					(unsigned long long)pos);
	}
	return end;
}

/* Orders entries by parent, name, newest first. */
static int cmp_dent(const void *a, const void *b, void *ctx)
{
	const struct dent *x = a, *y = b;
	const uint8_t *img = ctx;
	int c;
	if (x->pino != y->pino)
		return x->pino < y->pino ? -1 : 1;
	if (x->nsize != y->nsize)
		return x->nsize < y->nsize ? -1 : 1;
	c = memcmp(img + x->name, img + y->name, x->nsize);
	if (c)
		return c;
	if (x->version != y->version)
		return x->version > y->version ? -1 : 1;
	return x->name > y->name ? -1 : x->name < y->name;   /* later in the log wins */
}

static int cmp_inode(const void *a, const void *b)
{
	const struct inode_ref *x = a, *y = b;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	if (x->version != y->version)
		return x->version < y->version ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Keeps the newest entry for each (parent, name); drops deletions. */
static void resolve_dents(struct jf *j)
{
	const uint8_t *img = j->m.img.p;
	size_t i, out = 0;
	if (j->nd > 1)
		qsort_r(j->d, j->nd, sizeof(*j->d), cmp_dent, (void *)(uintptr_t)img);
	for (i = 0; i < j->nd; i++) {
		const struct dent *d = &j->d[i];
		bool newest = i == 0 || j->d[i - 1].pino != d->pino || j->d[i - 1].nsize != d->nsize ||
			      memcmp(img + j->d[i - 1].name, img + d->name, d->nsize) != 0;
		if (newest && d->ino != 0)
			j->d[out++] = *d;
	}
	j->nd = out;
}

static size_t first_inode(const struct jmap *m, uint32_t ino)
{
	size_t lo = 0, hi = m->nin;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->in[mid].ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t rtime_decode(const uint8_t *in, size_t inlen, uint8_t *out, size_t dsize)
{
	size_t pos = 0, outpos = 0, positions[256];
	memset(positions, 0, sizeof(positions));
	while (outpos < dsize && pos + 2 <= inlen) {
		uint8_t value = in[pos++];
		size_t repeat = in[pos++], back = positions[value];
		out[outpos++] = value;
		positions[value] = outpos;
		if (repeat > dsize - outpos)
			return 0;
		while (repeat--)
			out[outpos++] = out[back++];
	}
	return outpos;
}

/* The sizes of inode node p's data (*csize stored, *dsize decoded), when
 * they are sane. */
static bool data_sizes(const struct jmap *m, const uint8_t *p, uint32_t *csize, uint32_t *dsize)
{
	uint32_t totlen = u32(m, p + 4);
	*csize = u32(m, p + 48);
	*dsize = u32(m, p + 52);
	return *dsize <= PST_CAP_JFFS2_DSIZE && totlen >= RI_LEN && *csize <= totlen - RI_LEN;
}

static bool data_crc_ok(const struct jmap *m, const uint8_t *p, uint32_t csize)
{
	return csize == 0 || jcrc(p + RI_LEN, csize) == u32(m, p + 60);
}

/* Compressor ids 0 to 8 are the ones node_data decodes. */
static bool compr_known(const uint8_t *p)
{
	return p[56] <= 8;
}

/* Decodes inode node p's data (sizes from data_sizes) into out, dsize bytes
 * of room; false when it cannot. */
static bool node_data(const uint8_t *p, uint32_t csize, uint32_t dsize, uint8_t *out)
{
	const uint8_t *data = p + RI_LEN;
	long got = -1;

	switch (p[56]) {
	case 0:
	case 4:
		if (csize < dsize)
			return false;
		memcpy(out, data, dsize);
		return true;
	case 1:
		memset(out, 0, dsize);
		return true;
	case 2:
		return rtime_decode(data, csize, out, dsize) == dsize;
	case 3:
	case 5:
		return pst_rubin_decode(data, csize, p[56] == 5, out, dsize);
	case 6:
		got = pst_lzv_decode_with(PST_LZV_ZLIB, data, csize, out, dsize, 0);
		break;
	case 7: {
		lzo_uint n = dsize;
		if (lzo1x_decompress_safe(data, csize, out, &n, NULL) != LZO_E_OK)
			return false;
		got = (long)n;
		break;
	}
	case 8:
		got = pst_lzv_lzma_raw(data, csize, 0, 0x2000, out, dsize, dsize);
		if (got < 0)
			got = pst_lzv_lzma_raw(data, csize, 0x5d, 0x2000, out, dsize, dsize);
		break;
	default:
		return false;
	}
	return got == (long)dsize;
}

struct range {
	uint64_t a, b;
};

static int cmp_range(const void *x, const void *y)
{
	const struct range *r = x, *t = y;
	return r->a < t->a ? -1 : r->a > t->a;
}

/* PST_OK when the data nodes [a, b) cover [0, len), else PST_EFORMAT: JFFS2
 * writes holes as explicit zero nodes, so a gap is data that is missing
 * from the image. */
static enum pst_err covered(const struct jmap *m, size_t a, size_t b, uint64_t len)
{
	struct range *r = malloc((b - a + 1) * sizeof(*r));
	size_t i, n = 0;
	uint64_t reach = 0;
	bool ok = true;
	if (!r)
		return PST_ENOMEM;
	for (i = a; i < b; i++) {
		const uint8_t *p = m->img.p + m->in[i].pos;
		uint32_t dsize = u32(m, p + 52);
		if (dsize) {
			r[n].a = u32(m, p + 44);
			r[n].b = r[n].a + dsize;
			n++;
		}
	}
	qsort(r, n, sizeof(*r), cmp_range);
	for (i = 0; i < n && reach < len; i++) {
		if (r[i].a > reach) {
			ok = false;
			break;
		}
		if (r[i].b > reach)
			reach = r[i].b;
	}
	free(r);
	return ok && reach >= len ? PST_OK : PST_EFORMAT;
}

/* The bytes a file of inode nodes [a, b) gets: its size isize, unless that
 * is far beyond any data, which is not worth allocating (*cut; the data's
 * extent is kept). */
static uint64_t file_len(const struct jmap *m, size_t a, size_t b, uint32_t isize, bool *cut)
{
	uint64_t extent = 0;
	size_t i;

	for (i = a; i < b; i++) {
		const uint8_t *p = m->img.p + m->in[i].pos;
		uint64_t x = (uint64_t)u32(m, p + 44) + u32(m, p + 52);
		if (x > extent)
			extent = x;
	}
	*cut = isize > extent + (1u << 20);
	return *cut ? extent : isize;
}

/* The largest decoded size of the data nodes [a, b) node_data may decode. */
static uint32_t max_dsize(const struct jmap *m, size_t a, size_t b)
{
	uint32_t top = 0, csize, dsize;
	size_t i;

	for (i = a; i < b; i++)
		if (data_sizes(m, m->img.p + m->in[i].pos, &csize, &dsize) && dsize > top)
			top = dsize;
	return top;
}

/* Data nodes of [a, b) with an unknown compressor: counted by the walk,
 * for the container, as the loader cannot report to it. */
static unsigned count_unknown(const struct jmap *m, size_t a, size_t b)
{
	uint32_t csize, dsize;
	unsigned n = 0;
	size_t i;

	for (i = a; i < b; i++) {
		const uint8_t *p = m->img.p + m->in[i].pos;
		if (u32(m, p + 52) && data_sizes(m, p, &csize, &dsize) && !compr_known(p))
			n++;
	}
	return n;
}

/* Builds the file of inode nodes [a, b) into out, applied oldest first so
 * the newest piece wins. A node that fails its data CRC is still applied
 * (it is what the flash holds), but like a node that does not decode, or a
 * gap no node fills (in the whole file, also past a cut by the limits), it
 * makes the file damaged. */
static enum pst_err build_file(const struct jmap *m, size_t a, size_t b, struct pst_obuf *out)
{
	const uint8_t *meta = m->img.p + m->in[b - 1].pos;   /* the newest node */
	uint64_t len, full;
	uint8_t *buf;
	size_t i;
	bool cut, damaged = false;
	enum pst_err e;

	full = file_len(m, a, b, u32(m, meta + 28), &cut);
	e = pst_fs_zeroed(out, full, &len);
	if (e != PST_OK)
		return e;
	buf = malloc((size_t)max_dsize(m, a, b) + 1);
	if (!buf)
		return PST_ENOMEM;
	for (i = a; i < b; i++) {
		const uint8_t *p = m->img.p + m->in[i].pos;
		uint32_t off = u32(m, p + 44), csize, dsize;
		if (u32(m, p + 52) == 0)
			continue;
		if (!data_sizes(m, p, &csize, &dsize) || !node_data(p, csize, dsize, buf)) {
			damaged = true;
			continue;
		}
		if (!data_crc_ok(m, p, csize))
			damaged = true;
		if (off < len)
			memcpy(out->p + off, buf, (size_t)(dsize < len - off ? dsize : len - off));
	}
	free(buf);
	e = damaged ? PST_EFORMAT : covered(m, a, b, full);
	if (e == PST_OK && out->over)
		e = PST_ELIMIT;
	return e;
}

/* A regular file's loader: cookie is the index of its first inode node. */
static enum pst_err load(void *ctx, uint64_t cookie, unsigned worker, struct pst_obuf *out)
{
	const struct jmap *m = &((const struct jctx *)ctx)->m;
	size_t a = (size_t)cookie, b = a;

	(void)worker;
	if (cookie >= m->nin)
		return PST_EFORMAT;
	while (b < m->nin && m->in[b].ino == m->in[a].ino)
		b++;
	return build_file(m, a, b, out);
}

static bool visit(struct jf *j, uint32_t ino)
{
	return pst_idset_add(&j->visited, ino, &j->rc);
}

static void walk_dir(struct jf *j, uint32_t pino, unsigned depth);

/* The target of the symlink whose newest inode node is meta into link
 * (size bytes); false when it cannot be read. */
static bool read_link(struct jf *j, const uint8_t *meta, char *link, size_t size)
{
	uint32_t csize, dsize;

	if (!data_sizes(&j->m, meta, &csize, &dsize))
		return false;
	if (!data_crc_ok(&j->m, meta, csize))
		j->bad_crc++;
	if (!compr_known(meta)) {
		j->unsupported++;
		return false;
	}
	if (dsize >= size || !node_data(meta, csize, dsize, (uint8_t *)link))
		return false;
	link[dsize] = 0;
	return true;
}

static void emit_entry(struct jf *j, const struct dent *d, unsigned depth)
{
	const struct jmap *m = &j->m;
	size_t a = first_inode(m, d->ino), b = a;
	struct pst_entry e;
	const uint8_t *meta;
	char link[4096];
	enum pst_err rc;

	while (b < m->nin && m->in[b].ino == d->ino)
		b++;
	memset(&e, 0, sizeof(e));
	e.path = j->path.p;
	if (a == b) {
		pst_sink_damage(j->k, PST_EFORMAT, "%s: no inode node", j->path.p);
		e.flags |= PST_NODE_INCOMPLETE;
		e.mode = d->type == 4 ? (S_IFDIR | 0755) : 0;
		rc = pst_sink_emit(j->k, &e);
		goto done;
	}
	meta = m->img.p + m->in[b - 1].pos;   /* the newest node */
	e.mode = u32(m, meta + 20);
	e.uid = u16(m, meta + 24);
	e.gid = u16(m, meta + 26);
	if (S_ISREG(e.mode)) {
		bool cut;
		e.declared_size = u32(m, meta + 28);
		file_len(m, a, b, u32(m, meta + 28), &cut);
		if (cut)
			e.flags |= PST_NODE_TRUNCATED;
		j->unsupported += count_unknown(m, a, b);
		e.load = load;
		e.ctx = j->c;
		e.cookie = a;
		e.ctx_ref = pst_fsctx_ref;
		e.ctx_unref = pst_fsctx_unref;
	} else if (S_ISLNK(e.mode)) {
		if (read_link(j, meta, link, sizeof(link)))
			e.link = link;
		else
			pst_sink_damage(j->k, PST_EFORMAT, "%s: symlink target unreadable",
					j->path.p);
	}
	rc = pst_sink_emit(j->k, &e);
	if (rc == PST_OK && S_ISDIR(e.mode) && visit(j, d->ino))
		walk_dir(j, d->ino, depth + 1);
done:
	if (rc == PST_ENOMEM || rc == PST_ECANCEL || j->k->stopped)
		j->rc = rc ? rc : PST_ELIMIT;
}

static void walk_dir(struct jf *j, uint32_t pino, unsigned depth)
{
	size_t lo = 0, hi = j->nd, i, mark;
	if (!pst_sink_nest(j->k, depth, pst_fspath_where(&j->path)))
		return;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (j->d[mid].pino < pino)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < j->nd && j->d[i].pino == pino && j->rc == PST_OK; i++) {
		const struct dent *d = &j->d[i];
		const uint8_t *name = pst_view_at(j->m.img, d->name, d->nsize);
		if (!name) {
			pst_sink_damage(j->k, PST_EFORMAT, "%s: entry name past the image",
					pst_fspath_where(&j->path));
			continue;
		}
		if (!pst_fspath_push(&j->path, j->k, name, d->nsize, &mark))
			continue;
		emit_entry(j, d, depth);
		pst_fspath_pop(&j->path, mark);
	}
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	struct jf *j = calloc(1, sizeof(*j));
	enum pst_err rc = PST_OK;
	size_t i;

	if (!j || pst_fspath_init(&j->path, k) != PST_OK) {
		free(j);
		return PST_ENOMEM;
	}
	j->k = k;
	j->m.img = in;
	if (!header_ok(in.p, in.len, &j->m.big)) {
		rc = PST_EFORMAT;
		goto out;
	}
	k->consumed = scan_nodes(j);
	if (j->rc == PST_ENOMEM) {
		rc = PST_ENOMEM;
		goto out;
	}
	j->m.img = pst_view_sub(in, 0, k->consumed);
	resolve_dents(j);
	if (j->m.nin > 1)
		qsort(j->m.in, j->m.nin, sizeof(*j->m.in), cmp_inode);
	/* drop inode refs whose node no longer lies inside the image */
	for (i = 0; i < j->m.nin; i++)
		if (j->m.in[i].pos + RI_LEN > j->m.img.len)
			j->m.in[i].ino = 0;
	/* the map is complete: the loaders share it from here on */
	j->c = pst_fsctx_new(k, sizeof(*j->c));
	if (!j->c) {
		rc = PST_ENOMEM;
		goto out;
	}
	j->c->m = j->m;
	j->c->base.own[0] = j->m.in;
	visit(j, 1);
	walk_dir(j, 1, 0);
	if (j->bad_crc)
		pst_sink_damage(k, PST_EFORMAT, "%u node(s) with bad CRCs", j->bad_crc);
	if (j->unsupported)
		pst_sink_damage(k, PST_EUNSUPPORTED, "%u node(s) use an unknown compressor",
				j->unsupported);
	if (j->rc == PST_ENOMEM)
		rc = PST_ENOMEM;
out:
	if (j->c)
		pst_fsctx_unref(j->c);
	else
		free(j->m.in);
	free(j->d);
	pst_idset_free(&j->visited);
	pst_fspath_free(&j->path);
	free(j);
	return rc;
}

static const struct pst_magic magics[] = { { "\x85\x19", 2, 0 }, { "\x19\x85", 2, 0 }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_jffs2 = {
	"jffs2", PST_KIND_FILESYSTEM, PST_UNPACK_CARVE, magics, bid, unpack,
};
