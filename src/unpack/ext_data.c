/*
 * ext_data.c - libext2fs over memory, and ext's loaders: a regular file's
 * bytes are read from the image when a worker examines it (pst_ext_load), not
 * when the filesystem is walked, so a disk image's files are never all in
 * buffers and spill files at once (issue 15, members on demand).
 *
 * libext2fs reads through an io_manager; ours serves blocks from the view,
 * so nothing touches a file or a device. The manager's open() only gets a
 * name, so the name carries the address of a struct pst_ext_mem
 * ("mem:%p:%zu"), parsed back in open(): no global state, several images at
 * once. Blocks past the end of the view read as zeros and mark the image
 * truncated.
 *
 * A libext2fs handle is not thread-safe (its inode cache, the buffers of its
 * extent handles): each worker opens its own handle over the same bytes the
 * first time it loads a file of the filesystem; a thread that is not a
 * worker takes the spare handle under a mutex. An extent-mapped file's
 * extents are listed through the handle and its bytes copied straight from
 * the image; holes and unwritten extents read as zeros, as libext2fs's file
 * reader gives them. Block-mapped (ext2/3) and inline-data files go through
 * that reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ext.h"
#include "slots.h"

static errcode_t mem_open(const char *name, int flags, io_channel *out);
static errcode_t mem_close(io_channel ch);
static errcode_t mem_set_blksize(io_channel ch, int blksize);
static errcode_t mem_read_blk64(io_channel ch, unsigned long long block, int count, void *data);
static errcode_t mem_read_blk(io_channel ch, unsigned long block, int count, void *data);
static errcode_t mem_write_blk(io_channel ch, unsigned long block, int count, const void *data);
static errcode_t mem_flush(io_channel ch);

static struct struct_io_manager mem_manager = {
	.magic = EXT2_ET_MAGIC_IO_MANAGER,
	.name = "postern memory",
	.open = mem_open,
	.close = mem_close,
	.set_blksize = mem_set_blksize,
	.read_blk = mem_read_blk,
	.write_blk = mem_write_blk,
	.flush = mem_flush,
	.read_blk64 = mem_read_blk64,
};

static errcode_t mem_open(const char *name, int flags, io_channel *out)
{
	io_channel ch = NULL;
	void *p = NULL;
	size_t len = 0;

	if (flags & IO_FLAG_RW)
		return EXT2_ET_RO_UNSUPP_FEATURE;
	if (!name || sscanf(name, "mem:%p:%zu", &p, &len) != 2)
		return EXT2_ET_BAD_DEVICE_NAME;
	ch = calloc(1, sizeof(*ch));
	if (!ch)
		return EXT2_ET_NO_MEMORY;
	ch->magic = EXT2_ET_MAGIC_IO_CHANNEL;
	ch->manager = &mem_manager;
	ch->name = strdup(name);
	ch->block_size = 1024;
	ch->refcount = 1;
	ch->private_data = p;
	if (!ch->name) {
		free(ch);
		return EXT2_ET_NO_MEMORY;
	}
	*out = ch;
	return 0;
}

static errcode_t mem_close(io_channel ch)
{
	if (--ch->refcount > 0)
		return 0;
	free(ch->name);
	free(ch);
	return 0;
}

static errcode_t mem_set_blksize(io_channel ch, int blksize)
{
	ch->block_size = blksize;
	return 0;
}

static errcode_t mem_read_blk64(io_channel ch, unsigned long long block, int count, void *data)
{
	struct pst_ext_mem *m = ch->private_data;
	uint64_t bs = (uint64_t)ch->block_size;
	uint64_t len = count < 0 ? (uint64_t)(-(int64_t)count) : (uint64_t)count * bs;
	struct pst_view got;

	if (block > UINT64_MAX / bs || len > (1u << 30))
		return EXT2_ET_LLSEEK_FAILED;
	got = pst_view_sub(pst_view_make(m->p, m->len), block * bs, len);
	if (got.len)
		memcpy(data, got.p, got.len);
	if (got.len < len) {
		memset((uint8_t *)data + got.len, 0, (size_t)(len - got.len));
		m->short_read = true;
	}
	return 0;
}

static errcode_t mem_read_blk(io_channel ch, unsigned long block, int count, void *data)
{
	return mem_read_blk64(ch, block, count, data);
}

static errcode_t mem_write_blk(io_channel ch, unsigned long block, int count, const void *data)
{
	(void)ch; (void)block; (void)count; (void)data;
	return EXT2_ET_RO_UNSUPP_FEATURE;
}

static errcode_t mem_flush(io_channel ch)
{
	(void)ch;
	return 0;
}

errcode_t pst_ext_open(struct pst_ext_mem *m, ext2_filsys *out)
{
	char name[64];
	snprintf(name, sizeof(name), "mem:%p:%zu", (void *)m, m->len);
	return ext2fs_open2(name, NULL, EXT2_FLAG_64BITS | EXT2_FLAG_IGNORE_CSUM_ERRORS |
			    EXT2_FLAG_SKIP_MMP, 0, 0, &mem_manager, out);
}

bool pst_ext_read(ext2_filsys fs, ext2_ino_t ino, struct pst_obuf *ob, uint64_t size)
{
	ext2_file_t f;
	bool ok = true;
	if (ext2fs_file_open(fs, ino, 0, &f))
		return false;
	while (ob->len < size && !ob->over) {
		size_t room;
		unsigned int got = 0, want;
		if (pst_obuf_grow(ob, 65536, &room) != PST_OK)
			break;
		want = (unsigned)(room < 65536 ? room : 65536);
		if (want > size - ob->len)
			want = (unsigned)(size - ob->len);
		if (ext2fs_file_read(f, ob->p + ob->len, want, &got)) {
			ok = false;
			break;
		}
		if (got == 0) {
			ok = ob->len >= size;
			break;
		}
		ob->len += got;
	}
	ext2fs_file_close(f);
	return ok;
}

/* ---- loaders ---- */

/* A worker's own handle over the image. */
struct slot {
	struct pst_ext_mem m;
	ext2_filsys fs;
	errcode_t err;     /* opening failed for good */
};

struct pst_ext_ctx {
	struct pst_slots sl;     /* struct slot per worker */
	struct pst_view img;
};

/* Written blocks [lblk, lblk + n) of a file lie at pblk. */
struct run {
	uint64_t lblk, pblk, n;
};

struct pst_ext_ctx *pst_ext_ctx_new(struct pst_sink *k, struct pst_view img)
{
	struct pst_ext_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (!pst_slots_init(&c->sl, k, sizeof(struct slot))) {
		free(c);
		return NULL;
	}
	c->img = img;
	return c;
}

void pst_ext_ctx_ref(void *ctx)
{
	struct pst_ext_ctx *c = ctx;
	pst_slots_ref(&c->sl);
}

void pst_ext_ctx_unref(void *ctx)
{
	struct pst_ext_ctx *c = ctx;
	unsigned i;

	if (!c || !pst_slots_unref(&c->sl))
		return;
	for (i = 0; i <= c->sl.n; i++) {
		struct slot *s = pst_slots_at(&c->sl, i);
		if (s->fs)
			ext2fs_close_free(&s->fs);
	}
	pst_slots_free(&c->sl);
	free(c);
}

/* Opens s's handle on first use. Out of memory fails this file only. */
static enum pst_err slot_open(const struct pst_ext_ctx *c, struct slot *s)
{
	errcode_t err;
	if (s->fs)
		return PST_OK;
	if (s->err)
		return PST_EFORMAT;
	s->m.p = c->img.p;
	s->m.len = c->img.len;
	err = pst_ext_open(&s->m, &s->fs);
	if (err == EXT2_ET_NO_MEMORY)
		return PST_ENOMEM;
	s->err = err;
	return err ? PST_EFORMAT : PST_OK;
}

/* The written extents of ino among its first nblk blocks, ascending; an
 * extent that goes back over an earlier one is damage. */
static enum pst_err list_extents(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode *in,
				 uint64_t nblk, struct run **out, size_t *nout)
{
	ext2_extent_handle_t h = NULL;
	struct ext2fs_extent ex;
	struct run *v = NULL;
	size_t n = 0, cap = 0;
	uint64_t next = 0;
	enum pst_err e = PST_OK;
	errcode_t err;

	if (ext2fs_extent_open2(fs, ino, in, &h))
		return PST_EFORMAT;
	for (err = ext2fs_extent_get(h, EXT2_EXTENT_ROOT, &ex); !err;
	     err = ext2fs_extent_get(h, EXT2_EXTENT_NEXT, &ex)) {
		if (!(ex.e_flags & EXT2_EXTENT_FLAGS_LEAF) || ex.e_len == 0 ||
		    (ex.e_flags & EXT2_EXTENT_FLAGS_UNINIT) || ex.e_lblk >= nblk)
			continue;
		if (ex.e_lblk < next) {
			e = PST_EFORMAT;
			break;
		}
		if (!pst_array_grow((void **)&v, &cap, n, sizeof(*v), 16)) {
			e = PST_ENOMEM;
			break;
		}
		v[n].lblk = ex.e_lblk;
		v[n].pblk = ex.e_pblk;
		v[n].n = nblk - ex.e_lblk < ex.e_len ? nblk - ex.e_lblk : ex.e_len;
		next = ex.e_lblk + ex.e_len;
		n++;
	}
	if (e == PST_OK && err != EXT2_ET_EXTENT_NO_NEXT)
		e = err == EXT2_ET_NO_MEMORY ? PST_ENOMEM : PST_EFORMAT;
	ext2fs_extent_free(h);
	*out = v;
	*nout = n;
	return e;
}

static enum pst_err zeros(struct pst_obuf *out, uint64_t n)
{
	return n > SIZE_MAX ? pst_obuf_zeros(out, SIZE_MAX) : pst_obuf_zeros(out, (size_t)n);
}

/* Copies size bytes of a file mapped by r[0..n) from the image; blocks past
 * the image read as zeros and make the file damaged. */
static enum pst_err copy_runs(struct pst_view img, uint64_t bs, const struct run *r, size_t n,
			      uint64_t size, struct pst_obuf *out)
{
	uint64_t pos = 0;
	bool short_read = false;
	enum pst_err e = PST_OK;
	size_t i;

	for (i = 0; i < n && e == PST_OK; i++) {
		uint64_t at = r[i].lblk * bs, len = r[i].n * bs;
		struct pst_view got = { NULL, 0 };
		if (len > size - at)
			len = size - at;
		if (r[i].pblk <= UINT64_MAX / bs)
			got = pst_view_sub(img, r[i].pblk * bs, len);
		e = zeros(out, at - pos);
		if (e == PST_OK)
			e = pst_obuf_append(out, got.p, got.len);
		if (e == PST_OK && got.len < len) {
			short_read = true;
			e = zeros(out, len - got.len);
		}
		pos = at + len;
	}
	if (e == PST_OK)
		e = zeros(out, size - pos);
	return e == PST_OK && short_read ? PST_EFORMAT : e;
}

/* Under s: ino's size and either its extents (*runs, *mapped set) or, for
 * a file libext2fs reads itself, its bytes in out. */
static enum pst_err map_or_read(struct slot *s, ext2_ino_t ino, struct run **runs, size_t *nruns,
				bool *mapped, uint64_t *size, struct pst_obuf *out)
{
	struct ext2_inode in;
	uint64_t bs = s->fs->blocksize;

	if (ext2fs_read_inode(s->fs, ino, &in))
		return PST_EFORMAT;
	*size = EXT2_I_SIZE(&in);
	if ((in.i_flags & EXT4_EXTENTS_FL) && !(in.i_flags & EXT4_INLINE_DATA_FL)) {
		*mapped = true;
		if (*size == 0)
			return PST_OK;
		return list_extents(s->fs, ino, &in, *size / bs + (*size % bs != 0), runs, nruns);
	}
	s->m.short_read = false;
	if (!pst_ext_read(s->fs, ino, out, *size) || s->m.short_read)
		return PST_EFORMAT;
	return out->over ? PST_ELIMIT : PST_OK;
}

enum pst_err pst_ext_load(void *ctx, uint64_t cookie, unsigned worker, struct pst_obuf *out)
{
	struct pst_ext_ctx *c = ctx;
	struct slot *s = pst_slots_get(&c->sl, worker);
	struct run *runs = NULL;
	size_t nruns = 0;
	uint64_t size = 0, bs = 0;
	bool mapped = false;
	enum pst_err e;

	e = slot_open(c, s);
	if (e == PST_OK) {
		bs = s->fs->blocksize;
		e = map_or_read(s, (ext2_ino_t)cookie, &runs, &nruns, &mapped, &size, out);
	}
	pst_slots_put(&c->sl, s);
	/* the copy needs no handle: the image's bytes are read-only */
	if (e == PST_OK && mapped)
		e = copy_runs(c->img, bs, runs, nruns, size, out);
	free(runs);
	return e;
}
