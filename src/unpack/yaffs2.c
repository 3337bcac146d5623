/*
 * yaffs2.c - YAFFS2 images as mkyaffs2image and nanddump write them: pages
 * with their spare (out-of-band) bytes, 2048+64, 512+16 or 4096+128.
 *
 * Format: the YAFFS2 sources (yaffs_guts.h, yaffs_packedtags2.c; Aleph One,
 * "How YAFFS works"). Every chunk is one page plus spare; the spare holds
 * the packed tags (sequence number, object id, chunk id, byte count) at
 * offset 0 or, on layouts that keep the bad-block marker, 2. Chunk id 0 (or
 * with bit 31 set, the "extra header info" form) is an object header
 * (type, parent, name, mode, owner, size, symlink alias, hard-link target);
 * chunk n > 0 is the n-th page of a file's data. The newest chunk (highest
 * block sequence, then latest in the image) wins.
 *
 * There is no magic, so a bid is a structural check (also what lets carving
 * find a partition inside a raw flash dump; docs/findings/formats.md):
 *  - the first chunk is an object header: type 1..5, parent id in range,
 *    name non-empty, printable, without '/', NUL-terminated, and its mode's
 *    file type, where set, the one its object type implies; carving anchors
 *    only on headers of entries of the root directory (type, then parent id
 *    1: 8 fixed bytes in either byte order), which mkyaffs2image writes
 *    first;
 *  - its spare holds object-header tags: sequence number in the range
 *    YAFFS2 allocates from, object id in range, chunk id 0 or the extra-
 *    header form;
 *  - of the next up to 15 chunks, each is erased or has good tags (headers
 *    well-formed, data chunks no longer than a page); one bad chunk is
 *    forgiven only when at least four good ones vouch for the layout.
 * The tags' own ECC (12 bytes after the tags in a 64-byte spare) is not
 * checked: mkyaffs2image-style images, and every sample we have, leave it
 * erased. A partition is found from its first root-entry header; what a
 * live-system dump holds before that header (data chunks) is not read, and
 * the chunks read stop after a run of two erase blocks' worth of chunks
 * that are neither good nor erased (so one bad block inside does not end it).
 *
 * The walk reads directories and symlink aliases; a regular file is emitted
 * with a loader that, when a worker examines the file, looks its data
 * chunks up in the walk's sorted map of the newest chunks (offsets into the
 * image, kept unchanged in the loaders' context) and copies them then, so
 * an image's files are never all in buffers at once (issue 15). A file
 * whose chunks do not cover its size is reported damaged by its own loader.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "internal.h"
#include "fsutil.h"

#define T_FILE 1u
#define T_SYMLINK 2u
#define T_DIR 3u
#define T_HARDLINK 4u
#define T_SPECIAL 5u
#define ROOT_ID 1u
#define UNLINKED_ID 3u
#define DELETED_ID 4u
#define MIN_SEQ 0x1000u
#define HDR_LEN 512u
#define LOOKAHEAD 16
/* Chunks neither good nor erased in a row that end the partition: two
 * blocks of 64, so one bad block in the middle does not. */
#define GARBAGE_RUN 128

struct layout {
	uint32_t page, spare, tag_off;
	bool big;
};

static const struct layout layouts[] = {
	{ 2048, 64, 0, false }, { 2048, 64, 2, false }, { 2048, 64, 0, true }, { 2048, 64, 2, true },
	{ 512, 16, 0, false }, { 512, 16, 0, true },   /* 16 bytes of tags fill the spare */
	{ 4096, 128, 0, false }, { 4096, 128, 2, false }, { 4096, 128, 0, true }, { 4096, 128, 2, true },
};

struct chunk {
	uint32_t obj, id, seq, nbytes;
	uint64_t pos;     /* page offset in the image */
};

/* The newest object header of each object and chunk of each file page,
 * sorted by object and chunk id: built by the walk, read-only after, shared
 * with the loaders. */
struct ymap {
	struct pst_view img;
	struct layout L;
	const struct chunk *hdr, *data;
	size_t nhdr, ndata;
};

/* A loader's context: base.own[] are the map's arrays. */
struct yctx {
	struct pst_fsctx base;
	struct ymap m;
};

struct yf {
	struct pst_sink *k;
	struct pst_view img;
	struct layout L;
	struct chunk *hdr, *data;
	size_t nhdr, ndata;
	struct yctx *c;           /* the loaders'; owns hdr and data once made */
	struct pst_idset visited; /* directories walked */
	struct pst_fspath path;
	enum pst_err rc;
};


static bool tags(const uint8_t *spare, const struct layout *L, struct chunk *c)
{
	const uint8_t *t = spare + L->tag_off;
	c->seq = pst_u32e(t, L->big);
	c->obj = pst_u32e(t + 4, L->big);
	c->id = pst_u32e(t + 8, L->big);
	c->nbytes = pst_u32e(t + 12, L->big);
	if (c->seq < MIN_SEQ || c->seq > PST_CAP_YAFFS2_SEQ || (c->obj & 0x0fffffffu) == 0 ||
	    (c->obj & 0x0fffffffu) > PST_CAP_YAFFS2_OBJ)
		return false;
	if (c->id == 0 || (c->id & 0x80000000u))
		return true;   /* an object header */
	return c->id < (1u << 24) && c->nbytes <= L->page;
}

/* The S_IFMT bits an object type allows (0 = any: mkyaffs2image-style
 * tools store the whole st_mode, the kernel too; a hard link's is its
 * target's). */
static bool mode_fits(uint32_t type, uint32_t mode)
{
	uint32_t fmt = mode & S_IFMT;
	if (fmt == 0 || type == T_HARDLINK)
		return true;
	switch (type) {
	case T_FILE: return fmt == S_IFREG;
	case T_SYMLINK: return fmt == S_IFLNK;
	case T_DIR: return fmt == S_IFDIR;
	default: return fmt == S_IFCHR || fmt == S_IFBLK || fmt == S_IFIFO || fmt == S_IFSOCK;
	}
}

static bool header_ok(const uint8_t *h, bool big)
{
	uint32_t type = pst_u32e(h, big), parent = pst_u32e(h + 4, big);
	size_t n = 0;
	if (type < T_FILE || type > T_SPECIAL || parent == 0 || parent > PST_CAP_YAFFS2_OBJ)
		return false;
	while (n < 256 && h[10 + n]) {
		if (h[10 + n] < 0x20 || h[10 + n] == 0x7f || h[10 + n] == '/')
			return false;
		n++;
	}
	return n > 0 && n < 256 && mode_fits(type, pst_u32e(h + 268, big));
}

static bool erased(const uint8_t *spare, const struct layout *L)
{
	static const uint8_t ff[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	return memcmp(spare + L->tag_off, ff, sizeof(ff)) == 0;
}

/* A chunk whose tags are good and, for an object header, whose header is
 * well-formed. */
static bool chunk_ok(const uint8_t *page, const struct layout *L, struct chunk *c)
{
	if (!tags(page + L->page, L, c))
		return false;
	return !(c->id == 0 || (c->id & 0x80000000u)) || header_ok(page, L->big);
}

/* How well layout L explains the first chunks: 0 when the first is not an
 * object header with good tags, or when the chunks after it
 * (up to LOOKAHEAD) hold a bad one not outweighed by four good ones; else 1
 * + the good ones. */
static int layout_score(const uint8_t *h, size_t len, const struct layout *L)
{
	struct chunk c;
	uint64_t stride = (uint64_t)L->page + L->spare, i;
	int good = 0, bad = 0;
	if (len < stride || !chunk_ok(h, L, &c) ||
	    !(c.id == 0 || (c.id & 0x80000000u)))
		return 0;
	for (i = 1; i < LOOKAHEAD && (i + 1) * stride <= len; i++) {
		const uint8_t *pg = h + i * stride;
		if (chunk_ok(pg, L, &c))
			good++;
		else if (!erased(pg + L->page, L))
			bad++;
	}
	if (bad > 1 || (bad == 1 && good < 4))
		return 0;
	return 1 + good;
}

static const struct layout *best_layout(const uint8_t *h, size_t len)
{
	const struct layout *best = NULL;
	int top = 0;
	size_t i;
	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		int sc = layout_score(h, len, &layouts[i]);
		if (sc > top) {
			top = sc;
			best = &layouts[i];
		}
	}
	return best;
}

static unsigned bid(const uint8_t *h, size_t len)
{
	return best_layout(h, len) ? 48 : 0;
}

static int cmp_chunk(const void *a, const void *b)
{
	const struct chunk *x = a, *y = b;
	if (x->obj != y->obj)
		return x->obj < y->obj ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq > y->seq ? -1 : 1;
	return x->pos > y->pos ? -1 : x->pos < y->pos;   /* newest first */
}

static size_t newest(struct chunk *c, size_t n)
{
	size_t i, out = 0;
	for (i = 0; i < n; i++)
		if (i == 0 || c[i - 1].obj != c[i].obj || c[i - 1].id != c[i].id)
			c[out++] = c[i];
	return out;
}

static const struct chunk *find_hdr(const struct yf *y, uint32_t obj)
{
	size_t lo = 0, hi = y->nhdr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (y->hdr[mid].obj < obj)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < y->nhdr && y->hdr[lo].obj == obj ? &y->hdr[lo] : NULL;
}

static bool visit(struct yf *y, uint32_t obj)
{
	return pst_idset_add(&y->visited, obj, &y->rc);
}

/* A file's size, from its object header h. */
static uint64_t file_size(const uint8_t *h, bool big)
{
	uint64_t size = pst_u32e(h + 292, big);
	uint32_t hi = pst_u32e(h + 496, big);
	if (hi != 0xffffffffu)
		size |= (uint64_t)hi << 32;
	return size;
}

/* A regular file's loader: cookie is the index of its object header. Chunk
 * n holds bytes from (n-1)*page; bytes no chunk holds (in the whole file,
 * also past a cut by the limits) make the file damaged. */
static enum pst_err load(void *ctx, uint64_t cookie, unsigned worker, struct pst_obuf *out)
{
	const struct ymap *m = &((const struct yctx *)ctx)->m;
	size_t lo = 0, hi = m->ndata, i;
	uint64_t have = 0, size, len;
	uint32_t obj;
	enum pst_err e;

	(void)worker;
	if (cookie >= m->nhdr)
		return PST_EFORMAT;
	obj = m->hdr[cookie].obj;
	size = file_size(m->img.p + m->hdr[cookie].pos, m->L.big);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->data[mid].obj < obj)
			lo = mid + 1;
		else
			hi = mid;
	}
	e = pst_fs_zeroed(out, size, &len);
	if (e != PST_OK)
		return e;
	for (i = lo; i < m->ndata && m->data[i].obj == obj; i++) {
		const struct chunk *c = &m->data[i];
		uint64_t off = (uint64_t)(c->id - 1) * m->L.page;
		uint32_t n = c->nbytes < m->L.page ? c->nbytes : m->L.page;
		if (off >= size)
			continue;
		if (n > size - off)
			n = (uint32_t)(size - off);
		have += n;
		if (off >= len)
			continue;
		memcpy(out->p + off, m->img.p + c->pos, (size_t)(n < len - off ? n : len - off));
	}
	if (have < size)
		return PST_EFORMAT;
	return out->over ? PST_ELIMIT : PST_OK;
}

static void walk_dir(struct yf *y, uint32_t dir, unsigned depth);

static void emit(struct yf *y, const struct chunk *c, unsigned depth)
{
	const uint8_t *h = y->img.p + c->pos;
	bool big = y->L.big;
	uint32_t type = pst_u32e(h, big), obj = c->obj;
	const struct chunk *hc = c;   /* the header that is the content's */
	struct pst_entry e;
	char link[161];
	enum pst_err rc;
	unsigned hops = 0;

	memset(&e, 0, sizeof(e));
	e.path = y->path.p;
	e.mode = pst_u32e(h + 268, big);
	e.uid = pst_u32e(h + 272, big);
	e.gid = pst_u32e(h + 276, big);
	/* a hard link: the content and metadata of the object it names */
	while (type == T_HARDLINK && hops++ < 8) {
		const struct chunk *t = find_hdr(y, pst_u32e(h + 296, big));
		if (!t)
			break;
		h = y->img.p + t->pos;
		type = pst_u32e(h, big);
		obj = t->obj;
		hc = t;
		e.mode = pst_u32e(h + 268, big);
	}
	switch (type) {
	case T_FILE:
		e.mode = S_IFREG | (e.mode & 07777);
		e.declared_size = file_size(h, big);
		e.load = load;
		e.ctx = y->c;
		e.cookie = (uint64_t)(hc - y->hdr);
		e.ctx_ref = pst_fsctx_ref;
		e.ctx_unref = pst_fsctx_unref;
		break;
	case T_SYMLINK:
		memcpy(link, h + 300, 160);
		link[160] = 0;
		e.link = link;
		e.mode = S_IFLNK | (e.mode & 07777);
		break;
	case T_DIR:
		e.mode = S_IFDIR | (e.mode & 07777);
		break;
	case T_SPECIAL:
		break;
	default:
		pst_sink_damage(y->k, PST_EFORMAT, "%s: dangling hard link", y->path.p);
		e.flags |= PST_NODE_INCOMPLETE;
		break;
	}
	rc = pst_sink_emit(y->k, &e);
	if (rc == PST_ENOMEM || rc == PST_ECANCEL || y->k->stopped) {
		y->rc = rc ? rc : PST_ELIMIT;
		return;
	}
	if (type == T_DIR && visit(y, obj))
		walk_dir(y, obj, depth + 1);
}

static void walk_dir(struct yf *y, uint32_t dir, unsigned depth)
{
	size_t i, mark;
	if (!pst_sink_nest(y->k, depth, pst_fspath_where(&y->path)))
		return;
	/* headers are few; a linear pass per directory keeps this simple */
	for (i = 0; i < y->nhdr && y->rc == PST_OK; i++) {
		const uint8_t *h = y->img.p + y->hdr[i].pos;
		size_t n = 0;
		if (pst_u32e(h + 4, y->L.big) != dir || y->hdr[i].obj == dir)
			continue;
		if (!header_ok(h, y->L.big)) {
			pst_sink_damage(y->k, PST_EFORMAT, "bad object header for object %u",
					y->hdr[i].obj);
			continue;
		}
		while (n < 255 && h[10 + n])
			n++;
		if (!pst_fspath_push(&y->path, y->k, h + 10, n, &mark))
			continue;
		emit(y, &y->hdr[i], depth);
		pst_fspath_pop(&y->path, mark);
	}
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	struct yf *y = calloc(1, sizeof(*y));
	uint64_t stride, pos, nchunks, end = 0;
	size_t capd = 0, caph = 0;
	unsigned run = 0;
	enum pst_err rc = PST_OK;
	bool found = false;

	if (!y || pst_fspath_init(&y->path, k) != PST_OK) {
		free(y);
		return PST_ENOMEM;
	}
	y->k = k;
	y->img = in;
	if (best_layout(in.p, in.len)) {
		y->L = *best_layout(in.p, in.len);
		found = true;
	}
	if (!found) {
		pst_fspath_free(&y->path);
		free(y);
		return PST_EFORMAT;
	}
	stride = (uint64_t)y->L.page + y->L.spare;
	nchunks = in.len / stride;
	for (pos = 0; pos / stride < nchunks && run < GARBAGE_RUN; pos += stride) {
		struct chunk c;
		struct chunk **arr;
		size_t *n, *cap;
		if (!tags(in.p + pos + y->L.page, &y->L, &c)) {
			if (!erased(in.p + pos + y->L.page, &y->L))
				run++;
			continue;
		}
		run = 0;
		end = pos + stride;
		c.pos = pos;
		if (c.id == 0 || (c.id & 0x80000000u)) {
			c.id = 0;
			c.obj &= 0x0fffffffu;
			arr = &y->hdr; n = &y->nhdr; cap = &caph;
		} else {
			c.obj &= 0x0fffffffu;
			arr = &y->data; n = &y->ndata; cap = &capd;
		}
		if (*n == *cap) {
			size_t nc = *cap ? *cap * 2 : 256;
			struct chunk *na = realloc(*arr, nc * sizeof(*na));
			if (!na) {
				rc = PST_ENOMEM;
				goto out;
			}
			*arr = na;
			*cap = nc;
		}
		(*arr)[(*n)++] = c;
	}
	k->consumed = end;
	/* A partial page at the end of what reads as one partition is damage;
	 * after a run of foreign chunks it is whatever follows. */
	if (in.len % stride && run == 0 && pos / stride >= nchunks) {
		for (pos = nchunks * stride; pos < in.len && in.p[pos] == 0xff; pos++)
			;
		if (pos < in.len)
			pst_sink_damage(k, PST_EFORMAT, "image ends inside a page (%zu bytes past the last)",
					(size_t)(in.len % stride));
	}
	if (y->nhdr > 1)
		qsort(y->hdr, y->nhdr, sizeof(*y->hdr), cmp_chunk);
	y->nhdr = newest(y->hdr, y->nhdr);
	if (y->ndata > 1)
		qsort(y->data, y->ndata, sizeof(*y->data), cmp_chunk);
	y->ndata = newest(y->data, y->ndata);
	/* the map is complete: the loaders share it from here on */
	y->c = pst_fsctx_new(k, sizeof(*y->c));
	if (!y->c) {
		rc = PST_ENOMEM;
		goto out;
	}
	y->c->m = (struct ymap){ y->img, y->L, y->hdr, y->data, y->nhdr, y->ndata };
	y->c->base.own[0] = y->hdr;
	y->c->base.own[1] = y->data;
	visit(y, ROOT_ID);
	walk_dir(y, ROOT_ID, 0);
	if (y->rc == PST_ENOMEM)
		rc = PST_ENOMEM;
out:
	if (y->c) {
		pst_fsctx_unref(y->c);
	} else {
		free(y->hdr);
		free(y->data);
	}
	pst_idset_free(&y->visited);
	pst_fspath_free(&y->path);
	free(y);
	return rc;
}

/* Carving anchors: an object header of a root-directory entry, type 1..5
 * then parent id 1 (little-endian; big-endian from the type's low byte). */
static const struct pst_magic magics[] = {
	{ "\x01\0\0\0\x01\0\0\0", 8, 0 }, { "\x02\0\0\0\x01\0\0\0", 8, 0 },
	{ "\x03\0\0\0\x01\0\0\0", 8, 0 }, { "\x04\0\0\0\x01\0\0\0", 8, 0 },
	{ "\x05\0\0\0\x01\0\0\0", 8, 0 },
	{ "\x01\0\0\0\x01", 5, 3 }, { "\x02\0\0\0\x01", 5, 3 }, { "\x03\0\0\0\x01", 5, 3 },
	{ "\x04\0\0\0\x01", 5, 3 }, { "\x05\0\0\0\x01", 5, 3 },
	{ NULL, 0, 0 },
};

const struct pst_unpacker pst_unpacker_yaffs2 = {
	"yaffs2", PST_KIND_FILESYSTEM, PST_UNPACK_CARVE, magics, bid, unpack,
};
