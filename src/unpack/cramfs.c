/*
 * cramfs.c - the compressed ROM filesystem, both byte orders.
 *
 * Format: include/uapi/linux/cramfs_fs.h and Documentation/filesystems/
 * cramfs.rst. A 76-byte superblock ("Compressed ROMFS", CRC32 of the whole
 * image with the CRC field zeroed) at 0, or at 512 behind a boot-sector pad;
 * then 12-byte inodes of packed bitfields (mode:16 uid:16 / size:24 gid:8 /
 * namelen:6 offset:26, least significant bit first on a little-endian image,
 * most significant first on a big-endian one), names padded to 4 bytes. A
 * directory's offset points at its children's inodes, its size is their
 * bytes; a file's offset points at one 32-bit end pointer per 4 KiB block,
 * each block a zlib stream (vendor builds used LZMA, Jungo OpenRG's with a
 * 9-byte properties + size header: lzvendor.c decides).
 * Symlink targets are stored like file contents; devices keep rdev in size.
 * The walk reads directories and symlink targets; a regular file is emitted
 * with a loader that decodes its blocks when a worker examines it, so the
 * walk holds no file's content.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <zlib.h>
#include "fsutil.h"
#include "lzvendor.h"

#define CRAMFS_MAGIC 0x28cd3d45u
#define SB 76
#define PAGE 4096u
#define FLAG_HOLES 0x100u
#define FLAG_EXT_PTRS 0x800u

/* What reading a file's blocks needs: set from the superblock before the
 * walk and never changed after, so loaders on any thread share it. */
struct image {
	struct pst_view img;
	bool big;
	uint32_t flags;
};

/* The loaders' context: the image, with its blob kept alive by base (no
 * per-worker state: a loader decodes through its own stack page). */
struct cram_ctx {
	struct pst_fsctx base;   /* first: pst_fsctx_ref/unref */
	struct image im;
};

struct cram {
	struct pst_sink *k;
	struct cram_ctx *cx;
	const struct image *im;   /* &cx->im */
	enum pst_lzv method;      /* the codec symlinks settled on (the walk's own) */
	uint64_t entries, max_entries;
	struct pst_fspath path;
	enum pst_err rc;
	uint8_t page[PAGE];
};

static uint32_t field(const uint8_t *p, unsigned pos, unsigned w, bool big)
{
	uint32_t v = big ? pst_be32(p + pos / 32 * 4) : pst_le32(p + pos / 32 * 4);
	unsigned b = pos % 32;
	if (big)
		return (v >> (32 - b - w)) & (uint32_t)((1ull << w) - 1);
	return (v >> b) & (uint32_t)((1ull << w) - 1);
}

/* Where the superblock is (0 or 512) and its byte order; -1 when absent. */
static int find_sb(const uint8_t *h, size_t len, bool *big)
{
	static const uint64_t at[] = { 0, 512 };
	size_t i;
	for (i = 0; i < 2; i++) {
		const uint8_t *p = h + at[i];
		if (len < at[i] + SB)
			break;
		if (memcmp(p + 16, "Compressed ROMFS", 16) != 0)
			continue;
		if (pst_le32(p) == CRAMFS_MAGIC)
			*big = false;
		else if (pst_be32(p) == CRAMFS_MAGIC)
			*big = true;
		else
			continue;
		return (int)at[i];
	}
	return -1;
}

static unsigned bid(const uint8_t *h, size_t len)
{
	bool big;
	int at = find_sb(h, len, &big);
	uint32_t size;
	if (at < 0)
		return 0;
	size = big ? pst_be32(h + at + 4) : pst_le32(h + at + 4);
	if (size < (uint32_t)at + SB)
		return 0;
	/* the root inode must be a directory */
	if (!S_ISDIR(field(h + at + 64, 0, 16, big)))
		return 0;
	return 96;
}

/* Reads a file's (or symlink's) content of size bytes whose pointer table
 * sits at off, decoding through page with the codec *method (tried first,
 * then updated: see pst_lzv_decode). PST_EFORMAT when a block does not
 * decode, or what appending returned when the buffer stopped it. */
static enum pst_err read_content(const struct image *im, uint64_t off, uint32_t size,
				 enum pst_lzv *method, uint8_t page[PAGE], struct pst_obuf *ob)
{
	uint32_t nblocks = (size + PAGE - 1) / PAGE, i;
	uint64_t prev = off + (uint64_t)nblocks * 4, done = 0;

	for (i = 0; i < nblocks && !ob->over; i++) {
		uint32_t ptr = 0;
		size_t want = (size_t)(size - done < PAGE ? size - done : PAGE);
		bool raw = false;
		const uint8_t *p;
		long got;
		enum pst_err e;
		if (!pst_view_u32e(im->img, off + (uint64_t)i * 4, im->big, &ptr))
			return PST_EFORMAT;
		if (im->flags & FLAG_EXT_PTRS) {
			if (ptr & (1u << 30))
				return PST_EFORMAT;   /* direct pointers: not supported */
			raw = (ptr & (1u << 31)) != 0;
			ptr &= ~(3u << 30);
		}
		if (ptr < prev || !(p = pst_view_at(im->img, prev, ptr - prev)))
			return PST_EFORMAT;
		if (ptr == prev) {
			memset(page, 0, want);  /* a hole */
			got = (long)want;
		} else if (raw) {
			got = (long)(ptr - prev);
			if ((size_t)got > PAGE)
				return PST_EFORMAT;
			memcpy(page, p, (size_t)got);
		} else {
			got = pst_lzv_decode(p, ptr - prev, page, PAGE, want, method);
		}
		if (got < (long)want)
			return PST_EFORMAT;
		e = pst_obuf_append(ob, page, want);
		if (e != PST_OK)
			return e;
		prev = ptr;
		done += want;
	}
	return ob->over ? PST_ELIMIT : PST_OK;
}

/* The sink's loader: cookie is a file's pointer table offset << 32 | its
 * size. Each load settles on its codec itself, from its first block: the
 * loaders of one image share nothing that changes. */
static enum pst_err load(void *ctx, uint64_t cookie, unsigned worker, struct pst_obuf *out)
{
	const struct cram_ctx *cx = ctx;
	enum pst_lzv method = PST_LZV_NONE;
	uint8_t page[PAGE];
	(void)worker;
	return read_content(&cx->im, cookie >> 32, (uint32_t)cookie, &method, page, out);
}

static void emit(struct cram *c, const uint8_t *ino)
{
	struct pst_entry e;
	bool big = c->im->big;
	uint32_t mode = field(ino, 0, 16, big), size = field(ino, 32, 24, big);
	uint64_t off = (uint64_t)field(ino, 70, 26, big) * 4;
	char link[PAGE + 1];
	enum pst_err rc;

	memset(&e, 0, sizeof(e));
	e.path = c->path.p;
	e.mode = mode;
	e.uid = field(ino, 16, 16, big);
	e.gid = field(ino, 56, 8, big);
	if (S_ISREG(mode)) {
		/* blocks that do not decode are the file's damage, found when
		 * it loads */
		e.declared_size = size;
		e.load = load;
		e.ctx = c->cx;
		e.cookie = off << 32 | size;
		e.ctx_ref = pst_fsctx_ref;
		e.ctx_unref = pst_fsctx_unref;
	} else if (S_ISLNK(mode)) {
		struct pst_obuf lb;
		memset(&lb, 0, sizeof(lb));
		lb.max = PAGE;
		if (size > PAGE || read_content(c->im, off, size, &c->method, c->page, &lb) != PST_OK ||
		    lb.len != size) {
			pst_sink_damage(c->k, PST_EFORMAT, "%s: symlink target unreadable",
					c->path.p);
		} else {
			if (lb.len)
				memcpy(link, lb.p, lb.len);
			link[lb.len] = 0;
			e.link = link;
		}
		pst_obuf_free(&lb);
	}
	rc = pst_sink_emit(c->k, &e);
	if (rc == PST_ENOMEM || rc == PST_ECANCEL || c->k->stopped)
		c->rc = rc ? rc : PST_ELIMIT;
}

static void walk_dir(struct cram *c, uint64_t off, uint32_t size, unsigned depth)
{
	uint64_t pos = off, end = off + size;
	const char *where = pst_fspath_where(&c->path);
	struct pst_view img = c->im->img;
	bool big = c->im->big;

	if (!pst_sink_nest(c->k, depth, where))
		return;
	if (size && !pst_view_has(img, off, size)) {
		pst_sink_damage(c->k, PST_EFORMAT, "%s: directory runs past the image", where);
		return;
	}
	while (pos + 12 <= end && c->rc == PST_OK) {
		const uint8_t *ino = pst_view_at(img, pos, 12), *name;
		uint32_t nlen, mode;
		size_t n, mark;
		if (!ino)
			break;
		nlen = field(ino, 64, 6, big) * 4;
		name = pst_view_at(img, pos + 12, nlen);
		if (!name || nlen == 0 || pos + 12 + nlen > end) {
			pst_sink_damage(c->k, PST_EFORMAT, "%s: bad directory entry",
					pst_fspath_where(&c->path));
			return;
		}
		pos += 12 + nlen;
		if (++c->entries > c->max_entries) {
			pst_sink_damage(c->k, PST_EFORMAT, "more entries than the image can hold (a loop?)");
			c->rc = PST_EFORMAT;
			return;
		}
		/* the name is NUL-padded to 4 bytes: a NUL before other bytes is
		 * part of the name (and refused) */
		n = nlen;
		while (n > 0 && !name[n - 1])
			n--;
		if (!pst_fspath_push(&c->path, c->k, name, n, &mark))
			continue;
		emit(c, ino);
		mode = field(ino, 0, 16, big);
		if (c->rc == PST_OK && S_ISDIR(mode))
			walk_dir(c, (uint64_t)field(ino, 70, 26, big) * 4, field(ino, 32, 24, big),
				 depth + 1);
		pst_fspath_pop(&c->path, mark);
	}
}

/* The loaders' context over the image in, whose superblock (at sb) says
 * it has size bytes; NULL on out of memory. */
static struct cram_ctx *ctx_new(struct pst_sink *k, struct pst_view in, const uint8_t *sb,
				bool big, uint32_t size)
{
	struct cram_ctx *cx = pst_fsctx_new(k, sizeof(*cx));

	if (!cx)
		return NULL;
	cx->im.big = big;
	cx->im.flags = big ? pst_be32(sb + 8) : pst_le32(sb + 8);
	cx->im.img = pst_view_sub(in, 0, size);
	return cx;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	struct cram *c;
	const struct image *im;
	const uint8_t *sb;
	uint32_t size, crc, files;
	int at;
	bool big;
	enum pst_err rc = PST_OK;

	at = find_sb(in.p, in.len, &big);
	if (at < 0)
		return PST_EFORMAT;
	c = calloc(1, sizeof(*c));
	if (!c)
		return PST_ENOMEM;
	sb = in.p + at;
	size = big ? pst_be32(sb + 4) : pst_le32(sb + 4);
	if (pst_fspath_init(&c->path, k) == PST_OK)
		c->cx = ctx_new(k, in, sb, big, size);
	if (!c->cx) {
		rc = PST_ENOMEM;
		goto out;
	}
	c->k = k;
	c->im = im = &c->cx->im;
	crc = big ? pst_be32(sb + 32) : pst_le32(sb + 32);
	files = big ? pst_be32(sb + 44) : pst_le32(sb + 44);
	k->consumed = im->img.len;
	if (im->img.len < size) {
		pst_sink_damage(k, PST_EFORMAT, "image truncated: %zu of %u bytes",
				im->img.len, size);
	} else if (im->flags & 1u) {
		/* version 2 carries a CRC32 of the image (from the superblock on,
		 * after any boot pad) with its own field zeroed */
		uLong z = crc32(0, Z_NULL, 0);
		static const uint8_t zero[4];
		z = crc32(z, im->img.p + at, 32);
		z = crc32(z, zero, 4);
		z = crc32(z, im->img.p + at + 36, (uInt)(im->img.len - (size_t)at - 36));
		if ((uint32_t)z != crc)
			pst_sink_damage(k, PST_EFORMAT, "image CRC mismatch");
	}
	c->max_entries = (uint64_t)im->img.len / 12 + 1;
	if (files && files < c->max_entries)
		c->max_entries = (uint64_t)files + 16;
	walk_dir(c, (uint64_t)field(sb + 64, 70, 26, big) * 4, field(sb + 64, 32, 24, big), 0);
	if (c->rc == PST_ENOMEM)
		rc = PST_ENOMEM;
out:
	/* loaders still queued keep the context */
	pst_fsctx_unref(c->cx);
	pst_fspath_free(&c->path);
	free(c);
	return rc;
}

static const struct pst_magic magics[] = {
	{ "\x45\x3d\xcd\x28", 4, 0 }, { "\x28\xcd\x3d\x45", 4, 0 }, { NULL, 0, 0 },
};

const struct pst_unpacker pst_unpacker_cramfs = {
	"cramfs", PST_KIND_FILESYSTEM, PST_UNPACK_CARVE, magics, bid, unpack,
};
