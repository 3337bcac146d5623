/*
 * squashfs.h - what the squashfs unpacker's two halves share: the walk
 * (squashfs.c) emits files whose loaders (squashfs_data.c) decode them on
 * worker threads from a shared, reference-counted context.
 */
#ifndef PST_UNPACK_SQUASHFS_H
#define PST_UNPACK_SQUASHFS_H

#include <sqfs/block.h>
#include <sqfs/compressor.h>
#include <sqfs/frag_table.h>
#include <sqfs/inode.h>
#include <sqfs/io.h>
#include <sqfs/super.h>
#include "internal.h"

#define NO_FRAGMENT 0xffffffffu

/* An sqfs_file_t over the in-memory image: no file I/O at all. */
struct sq_memfile {
	sqfs_file_t base;
	struct pst_view v;
};

struct sq_slot {                  /* one per worker thread; only it touches it */
	sqfs_compressor_t *cmp;
	uint8_t *scratch;         /* a block, when out has less room than that */
	uint8_t *fblock;          /* the last fragment block decoded here */
	size_t flen;
	uint32_t fidx;            /* its index, NO_FRAGMENT for none */
	int err;                  /* creating it failed: every load fails */
};

enum { SH_NONE, SH_LOADING, SH_READY };

/* A fragment block, decoded once for all the files whose tails it holds. */
struct sq_fragc {
	int state;                /* SH_NONE, SH_LOADING, SH_READY */
	uint8_t *p;
	size_t len;
	unsigned users;           /* loaders emitted and not done yet */
};

/* The content of a hard-linked inode, decoded once for all its paths. */
struct sq_shared {
	struct sq_shared *next;   /* the context's list, freed with it */
	int state;
	uint8_t *p;
	size_t len;
	enum pst_err err;
	unsigned users;           /* loaders emitted and not done yet */
};

struct sq_held {                  /* a file inode kept for its loader */
	struct sq_held *next;
	sqfs_inode_generic_t *ino;
	struct sq_shared *sh;     /* NULL unless the inode has several links */
	bool frag_counted;        /* counted as a user of its fragment's record */
};

struct sq_ctx {
	atomic_int refs;
	struct pst_blob *blob;    /* keeps the image bytes alive */
	struct sq_memfile file;
	sqfs_super_t sb;
	unsigned nslots;
	struct sq_slot *slots;
	pthread_mutex_t spare_lock; /* for a worker id past nslots (never expected) */
	struct sq_slot spare;
	struct sq_held *held;     /* appended by the unpacking thread only */
	pthread_mutex_t lock;     /* the shared records below */
	pthread_cond_t loaded;
	struct sq_shared *shared;
	size_t cached;            /* bytes held in shared records */
	sqfs_frag_table_t *ftab;  /* read once, then only looked up */
	struct sq_fragc *frags;   /* one per fragment block, or NULL */
	uint32_t nfrags;
};

/* A decompressor for the image's method (LZO through liblzo2). */
int pst_sq_compressor_new(const sqfs_super_t *sb, sqfs_compressor_t **out);
/* The context over img (the image, clipped to bytes_used), with one
 * reference; it holds a reference on k's blob. */
struct sq_ctx *pst_sq_ctx_new(struct pst_sink *k, struct pst_view img, const sqfs_super_t *sb);
void pst_sq_ctx_ref(void *ctx);
void pst_sq_ctx_unref(void *ctx);
/* The loader of a file entry: cookie is its struct sq_held. */
enum pst_err pst_sq_load(void *ctx, uint64_t cookie, unsigned worker, struct pst_obuf *out);
enum pst_err pst_sq_err(int libsquashfs_rc);

#endif
