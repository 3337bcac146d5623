/*
 * squashfs_data.c - the content side of the squashfs unpacker: an
 * sqfs_file_t over the in-memory image, the LZO decompressor Debian's
 * libsquashfs lacks (liblzo2 behind the sqfs_compressor_t interface), and
 * the loaders that decode files on worker threads.
 *
 * Each worker has its own decompressor (created on first use) and decodes a
 * file's data blocks straight from the image into the output buffer. Work
 * that several paths would repeat is done once: a fragment block is decoded
 * by the first loader that needs it and kept, counted, for the other files
 * whose tails it holds; a hard-linked inode's content likewise for its other
 * paths. Both caches are bounded (PST_CAP_SQFS_SHARED_CACHE); past it, loaders decode
 * for themselves.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <lzo/lzo1x.h>
#include <sqfs/error.h>
#include "squashfs.h"

/* ---- an sqfs_file_t over the in-memory image: no file I/O at all ---- */

static int mem_read_at(sqfs_file_t *f, sqfs_u64 off, void *buf, size_t size)
{
	const struct sq_memfile *m = (const struct sq_memfile *)f;
	const uint8_t *p = pst_view_at(m->v, off, size);
	if (!p)
		return SQFS_ERROR_OUT_OF_BOUNDS;
	memcpy(buf, p, size);
	return 0;
}

static int mem_write_at(sqfs_file_t *f, sqfs_u64 off, const void *buf, size_t size)
{
	(void)f; (void)off; (void)buf; (void)size;
	return SQFS_ERROR_IO;
}

static sqfs_u64 mem_get_size(const sqfs_file_t *f)
{
	return ((const struct sq_memfile *)f)->v.len;
}

static int mem_truncate(sqfs_file_t *f, sqfs_u64 size)
{
	(void)f; (void)size;
	return SQFS_ERROR_IO;
}

static void mem_destroy(sqfs_object_t *o)
{
	(void)o; /* embedded in its owner */
}

static void memfile_init(struct sq_memfile *m, struct pst_view v)
{
	memset(m, 0, sizeof(*m));
	m->base.base.destroy = mem_destroy;
	m->base.read_at = mem_read_at;
	m->base.write_at = mem_write_at;
	m->base.get_size = mem_get_size;
	m->base.truncate = mem_truncate;
	m->v = v;
}

/* ---- LZO (id 3), which Debian's libsquashfs lacks: liblzo2 decodes ---- */

static sqfs_s32 lzo_do_block(sqfs_compressor_t *c, const sqfs_u8 *in, sqfs_u32 size,
			     sqfs_u8 *out, sqfs_u32 outsize)
{
	lzo_uint olen = outsize;
	(void)c;
	if (lzo1x_decompress_safe(in, size, out, &olen, NULL) != LZO_E_OK || olen > outsize)
		return SQFS_ERROR_COMPRESSOR;
	return (sqfs_s32)olen;
}

static int lzo_no_options(sqfs_compressor_t *c, sqfs_file_t *f)
{
	(void)c; (void)f;
	return 0; /* options only matter when compressing */
}

static void lzo_get_config(const sqfs_compressor_t *c, sqfs_compressor_config_t *cfg)
{
	(void)c;
	memset(cfg, 0, sizeof(*cfg));
	cfg->id = SQFS_COMP_LZO;
	cfg->flags = SQFS_COMP_FLAG_UNCOMPRESS;
}

static void lzo_destroy(sqfs_object_t *o)
{
	free(o);
}

static sqfs_compressor_t *lzo_decompressor_new(void)
{
	sqfs_compressor_t *c;
	if (lzo_init() != LZO_E_OK)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->base.destroy = lzo_destroy;
	c->get_configuration = lzo_get_config;
	c->write_options = lzo_no_options;
	c->read_options = lzo_no_options;
	c->do_block = lzo_do_block;
	return c;
}

/* A decompressor for the image's method; options are not read: none of the
 * decoders needs them. */
int pst_sq_compressor_new(const sqfs_super_t *sb, sqfs_compressor_t **out)
{
	sqfs_compressor_config_t cfg;
	int rc;

	*out = NULL;
	rc = sqfs_compressor_config_init(&cfg, (SQFS_COMPRESSOR)sb->compression_id, sb->block_size,
					 SQFS_COMP_FLAG_UNCOMPRESS);
	if (rc == 0) {
		errno = 0;
		rc = sqfs_compressor_create(&cfg, out);
		/* libsquashfs reports a decoder (zlib, xz, zstd) that could not
		 * allocate its state as SQFS_ERROR_COMPRESSOR: errno, read right
		 * beside the failed call, says which */
		if (rc != 0 && rc != SQFS_ERROR_UNSUPPORTED && errno == ENOMEM)
			rc = SQFS_ERROR_ALLOC;
	}
	if (rc == SQFS_ERROR_UNSUPPORTED && sb->compression_id == SQFS_COMP_LZO) {
		*out = lzo_decompressor_new();
		rc = *out ? 0 : SQFS_ERROR_ALLOC;
	}
	return rc;
}

static void slot_free(struct sq_slot *s)
{
	sqfs_destroy(s->cmp);
	free(s->scratch);
	free(s->fblock);
}

void pst_sq_ctx_ref(void *p)
{
	atomic_fetch_add(&((struct sq_ctx *)p)->refs, 1);
}

void pst_sq_ctx_unref(void *p)
{
	struct sq_ctx *c = p;
	struct sq_held *h, *next;
	struct sq_shared *sh, *nsh;
	unsigned i;

	if (!c || atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	for (i = 0; i < c->nslots; i++)
		slot_free(&c->slots[i]);
	slot_free(&c->spare);
	for (h = c->held; h; h = next) {
		next = h->next;
		sqfs_free(h->ino);
		free(h);
	}
	for (sh = c->shared; sh; sh = nsh) {
		nsh = sh->next;
		free(sh->p);
		free(sh);
	}
	for (i = 0; i < c->nfrags; i++)
		free(c->frags[i].p);
	free(c->frags);
	sqfs_destroy(c->ftab);
	pthread_mutex_destroy(&c->spare_lock);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->loaded);
	pst_blob_unref(c->blob);
	free(c->slots);
	free(c);
}

struct sq_ctx *pst_sq_ctx_new(struct pst_sink *k, struct pst_view img, const sqfs_super_t *sb)
{
	struct sq_ctx *c = calloc(1, sizeof(*c));
	unsigned n = pst_scan_worker_count(k->scan);

	if (!c)
		return NULL;
	c->nslots = n ? n : 1;
	c->slots = calloc(c->nslots, sizeof(*c->slots));
	if (!c->slots) {
		free(c);
		return NULL;
	}
	atomic_init(&c->refs, 1);
	pthread_mutex_init(&c->spare_lock, NULL);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->loaded, NULL);
	memfile_init(&c->file, img);
	c->sb = *sb;
	c->blob = pst_blob_ref(k->blob);
	return c;
}

/* Makes a worker's decompressor on first use. */
static int slot_open(struct sq_ctx *c, struct sq_slot *s)
{
	if (s->cmp || s->err)
		return s->err;
	s->fidx = NO_FRAGMENT;
	s->err = pst_sq_compressor_new(&c->sb, &s->cmp);
	/* out of memory gives up this file only: the next one tries again */
	if (s->err == SQFS_ERROR_ALLOC) {
		s->err = 0;
		return SQFS_ERROR_ALLOC;
	}
	return s->err;
}

enum pst_err pst_sq_err(int rc)
{
	switch (rc) {
	case 0: return PST_OK;
	case SQFS_ERROR_ALLOC: return PST_ENOMEM;
	case SQFS_ERROR_UNSUPPORTED: return PST_EUNSUPPORTED;
	default: return PST_EFORMAT;
	}
}

/* Decodes one data block of want bytes straight from the image into out;
 * near the sink's maximum it goes through the slot's scratch buffer. */
static enum pst_err read_block(struct sq_ctx *c, struct sq_slot *s, uint64_t off, uint32_t raw,
			       size_t want, struct pst_obuf *out)
{
	uint32_t disk = SQFS_ON_DISK_BLOCK_SIZE(raw);
	const uint8_t *src = pst_view_at(c->file.v, off, disk);
	size_t room = 0;
	uint8_t *dst;
	sqfs_s32 got;
	enum pst_err e;

	if (!src || disk > c->sb.block_size)
		return PST_EFORMAT;
	e = pst_obuf_grow(out, want, &room);
	if (e != PST_OK)
		return e;
	if (!SQFS_IS_BLOCK_COMPRESSED(raw)) {
		e = pst_obuf_append(out, src, disk < want ? disk : want);
		return e != PST_OK ? e : disk == want ? PST_OK : PST_EFORMAT;
	}
	if (room >= want) {
		dst = out->p + out->len;
	} else {
		if (!s->scratch && !(s->scratch = malloc(c->sb.block_size)))
			return PST_ENOMEM;
		dst = s->scratch;
	}
	got = s->cmp->do_block(s->cmp, src, disk, dst, (sqfs_u32)want);
	if (got <= 0)
		return PST_EFORMAT;
	if (dst == s->scratch)
		e = pst_obuf_append(out, dst, (size_t)got);
	else
		out->len += (size_t)got;
	if (e != PST_OK)
		return e;
	return (size_t)got == want ? PST_OK : PST_EFORMAT; /* short: keep what came out */
}

/* Decodes fragment block idx into dst (block_size bytes). */
static enum pst_err decode_fragment(struct sq_ctx *c, struct sq_slot *s, uint32_t idx, uint8_t *dst,
				    size_t *len)
{
	sqfs_fragment_t ent;
	uint32_t disk;
	const uint8_t *src;
	sqfs_s32 got;

	if (!c->ftab || sqfs_frag_table_lookup(c->ftab, idx, &ent) != 0)
		return PST_EFORMAT;
	disk = SQFS_ON_DISK_BLOCK_SIZE(ent.size);
	src = pst_view_at(c->file.v, ent.start_offset, disk);
	if (!src || disk == 0 || disk > c->sb.block_size)
		return PST_EFORMAT;
	if (!SQFS_IS_BLOCK_COMPRESSED(ent.size)) {
		memcpy(dst, src, disk);
		*len = disk;
		return PST_OK;
	}
	got = s->cmp->do_block(s->cmp, src, disk, dst, c->sb.block_size);
	if (got <= 0)
		return PST_EFORMAT;
	*len = (size_t)got;
	return PST_OK;
}

static enum pst_err copy_tail(const uint8_t *blk, size_t len, uint32_t foff, size_t tail,
			      struct pst_obuf *out)
{
	if (foff > len || tail > len - foff)
		return PST_EFORMAT;
	return pst_obuf_append(out, blk + foff, tail);
}

/* A loader is done with fragment record f. Under c->lock. */
static void frag_done(struct sq_ctx *c, struct sq_fragc *f)
{
	if (--f->users == 0 && f->state == SH_READY) {
		free(f->p);
		f->p = NULL;
		c->cached -= f->len;
		f->state = SH_NONE;
	}
}

/* Appends a file's tail from its fragment block. Files counted on the
 * block's record share one decoding (their count, dropped by load(), keeps
 * the block alive); others use the worker's own cache. */
static enum pst_err read_tail(struct sq_ctx *c, struct sq_slot *s, const struct sq_held *h, size_t tail,
			      struct pst_obuf *out)
{
	uint32_t idx = NO_FRAGMENT, foff = 0;
	struct sq_fragc *f;
	uint8_t *buf;
	size_t len = 0;
	enum pst_err e, d;

	sqfs_inode_get_frag_location(h->ino, &idx, &foff);
	if (!h->frag_counted) {
		if (!s->fblock && !(s->fblock = malloc(c->sb.block_size)))
			return PST_ENOMEM;
		if (s->fidx != idx) {
			s->fidx = NO_FRAGMENT;
			e = decode_fragment(c, s, idx, s->fblock, &s->flen);
			if (e != PST_OK)
				return e;
			s->fidx = idx;
		}
		return copy_tail(s->fblock, s->flen, foff, tail, out);
	}
	f = &c->frags[idx];
	pthread_mutex_lock(&c->lock);
	while (f->state == SH_LOADING) {
		pst_obuf_blocked(out, true); /* the loader may wait for our memory */
		pthread_cond_wait(&c->loaded, &c->lock);
		pst_obuf_blocked(out, false);
	}
	if (f->state == SH_READY) {
		/* Our user count keeps f->p alive while we copy. */
		pthread_mutex_unlock(&c->lock);
		return copy_tail(f->p, f->len, foff, tail, out);
	}
	f->state = SH_LOADING;
	pthread_mutex_unlock(&c->lock);
	buf = malloc(c->sb.block_size);
	d = buf ? decode_fragment(c, s, idx, buf, &len) : PST_ENOMEM;
	e = d == PST_OK ? copy_tail(buf, len, foff, tail, out) : d;
	pthread_mutex_lock(&c->lock);
	f->state = SH_NONE;
	if (d == PST_OK && f->users > 1 && len <= PST_CAP_SQFS_SHARED_CACHE - c->cached) {
		f->p = buf;
		f->len = len;
		f->state = SH_READY;
		c->cached += len;
		buf = NULL;
	}
	pthread_cond_broadcast(&c->loaded);
	pthread_mutex_unlock(&c->lock);
	free(buf);
	return e;
}

/* Reads one file: its blocks, decoded by the worker's compressor straight
 * into out, then its tail from its fragment block. */
static enum pst_err read_file(struct sq_ctx *c, struct sq_slot *s, const struct sq_held *h,
			      struct pst_obuf *out)
{
	const sqfs_inode_generic_t *ino = h->ino;
	uint64_t size = 0, pos = 0, off = 0;
	size_t i, nblocks = sqfs_inode_get_file_block_count(ino), room;
	enum pst_err e = PST_OK;

	sqfs_inode_get_file_size(ino, &size);
	sqfs_inode_get_file_block_start(ino, &off);
	/* One allocation for the whole file (up to the sink's maximum). */
	if (size && pst_obuf_grow(out, size < SIZE_MAX ? (size_t)size : SIZE_MAX, &room) == PST_ENOMEM)
		return PST_ENOMEM;
	for (i = 0; i < nblocks && pos < size && e == PST_OK; i++) {
		uint64_t want = size - pos < c->sb.block_size ? size - pos : c->sb.block_size;
		if (SQFS_IS_SPARSE_BLOCK(ino->extra[i]))
			e = pst_obuf_zeros(out, (size_t)want);
		else
			e = read_block(c, s, off, ino->extra[i], (size_t)want, out);
		off += SQFS_ON_DISK_BLOCK_SIZE(ino->extra[i]);
		pos += want;
	}
	if (e == PST_OK && pos < size)
		e = read_tail(c, s, h, (size_t)(size - pos), out);
	return e;
}

static enum pst_err load_plain(struct sq_ctx *c, const struct sq_held *h, unsigned worker,
			       struct pst_obuf *out)
{
	struct sq_slot *s;
	enum pst_err e;
	int rc;

	if (worker < c->nslots) {
		s = &c->slots[worker];
		rc = slot_open(c, s);
		e = rc ? pst_sq_err(rc) : read_file(c, s, h, out);
	} else {
		pthread_mutex_lock(&c->spare_lock);
		rc = slot_open(c, &c->spare);
		e = rc ? pst_sq_err(rc) : read_file(c, &c->spare, h, out);
		pthread_mutex_unlock(&c->spare_lock);
	}
	return e;
}

/* A loader is done with sh; the last one frees its content. Under c->lock. */
static void shared_done(struct sq_ctx *c, struct sq_shared *sh)
{
	if (--sh->users == 0 && sh->state == SH_READY) {
		free(sh->p);
		sh->p = NULL;
		c->cached -= sh->len;
		sh->state = SH_NONE;
	}
}

/* Loads one path's content. A hard-linked inode is decoded by the first of
 * its loaders and copied for the others while any is still to come. */
static enum pst_err load_content(struct sq_ctx *c, const struct sq_held *h, unsigned worker,
				 struct pst_obuf *out)
{
	struct sq_shared *sh = h->sh;
	enum pst_err e;

	if (!sh)
		return load_plain(c, h, worker, out);
	pthread_mutex_lock(&c->lock);
	while (sh->state == SH_LOADING) {
		pst_obuf_blocked(out, true);
		pthread_cond_wait(&c->loaded, &c->lock);
		pst_obuf_blocked(out, false);
	}
	if (sh->state == SH_READY) {
		/* Our user count keeps sh->p alive while we copy. */
		pthread_mutex_unlock(&c->lock);
		e = pst_obuf_append(out, sh->p, sh->len);
		if (e == PST_OK)
			e = sh->err;
		pthread_mutex_lock(&c->lock);
		shared_done(c, sh);
		pthread_mutex_unlock(&c->lock);
		return e;
	}
	sh->state = SH_LOADING;
	pthread_mutex_unlock(&c->lock);
	e = load_plain(c, h, worker, out);
	pthread_mutex_lock(&c->lock);
	sh->state = SH_NONE;
	if (sh->users > 1 && (e == PST_OK || e == PST_EFORMAT) &&
	    out->len <= PST_CAP_SQFS_SHARED_CACHE - c->cached &&
	    (sh->p = malloc(out->len ? out->len : 1))) {
		memcpy(sh->p, out->p, out->len);
		sh->len = out->len;
		sh->err = e;
		sh->state = SH_READY;
		c->cached += sh->len;
	}
	shared_done(c, sh);
	pthread_cond_broadcast(&c->loaded);
	pthread_mutex_unlock(&c->lock);
	return e;
}

enum pst_err pst_sq_load(void *p, uint64_t cookie, unsigned worker, struct pst_obuf *out)
{
	struct sq_ctx *c = p;
	const struct sq_held *h = (const struct sq_held *)(uintptr_t)cookie;
	enum pst_err e = load_content(c, h, worker, out);
	uint32_t idx = NO_FRAGMENT, foff = 0;

	if (h->frag_counted) {
		sqfs_inode_get_frag_location(h->ino, &idx, &foff);
		pthread_mutex_lock(&c->lock);
		frag_done(c, &c->frags[idx]);
		pthread_mutex_unlock(&c->lock);
	}
	return e;
}

