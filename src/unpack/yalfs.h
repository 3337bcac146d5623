/* yalfs.h - the one directory walker for the filesystems postern opens
 * through libyal libraries (XFS through libfsxfs, NTFS through libfsntfs):
 * each library supplies a small table of entry operations, the walker does
 * paths, nesting, loops, content and emitting. */
#ifndef PST_YALFS_H
#define PST_YALFS_H
#include <sys/types.h>
#include "internal.h"
#include "yal.h"

struct pst_yalfs_stat {
	uint32_t mode;   /* S_IF* | permissions */
	uint32_t uid, gid;
	uint64_t size;
	uint64_t id;     /* inode or MFT entry: a directory reached twice is walked once */
	bool skip;       /* the filesystem's own metadata files (NTFS $MFT...) */
};

struct pst_yalfs_ops {
	const char *lib;   /* for messages: "libfsxfs" */
	int (*nsub)(void *e, int *n);
	int (*sub)(void *e, int i, void **out);
	void (*free)(void **e);
	/* the entry's UTF-8 name, NUL-terminated, in buf of n bytes */
	int (*name)(void *e, uint8_t *buf, size_t n);
	/* 1 on success; depth 1: an entry of the root directory */
	int (*stat)(void *e, unsigned depth, struct pst_yalfs_stat *st);
	/* the symlink's target, NUL-terminated */
	int (*link)(void *e, uint8_t *buf, size_t n);
	/* off is a buffer's length: it fits the libraries' off64_t */
	ssize_t (*read)(void *e, uint8_t *buf, size_t n, uint64_t off);
	/* Optional (NULL: none): a file's named data streams (NTFS alternate
	 * data streams), each emitted as "NAME:STREAM" beside the file. */
	int (*nstreams)(void *e, int *n);
	int (*stream)(void *e, int i, void **out);
	int (*sname)(void *s, uint8_t *buf, size_t n);
	int (*ssize)(void *s, uint64_t *size);
	ssize_t (*sread)(void *s, uint8_t *buf, size_t n, uint64_t off);
	void (*sfree)(void **s);
	/* Optional (NULL: a file's content is read during the walk): files and
	 * streams are loaded when a worker examines them, each worker through
	 * its own volume over the same bytes (library handles are not
	 * thread-safe; pst_yal_vol_open makes one): vinit makes the
	 * library's volume, vio opens it over a libbfio handle, vfree closes
	 * and frees it; entry gets the file entry of the id stat gave. */
	int (*vinit)(void **vol);
	int (*vio)(void *vol, libbfio_handle_t *io);
	void (*vfree)(void **vol);
	int (*entry)(void *vol, uint64_t id, void **out);
};

/* A library's volume over in's bytes with its libbfio handle: the walk's,
 * and each loading worker's own. */
struct pst_yal_vol {
	void *v;
	libbfio_handle_t *io;
};

/* ops' volume over in; NULL when it cannot be opened, *nomem: for want of
 * memory. */
struct pst_yal_vol *pst_yal_vol_open(const struct pst_yalfs_ops *ops, struct pst_view in,
				     bool *nomem);
void pst_yal_vol_close(const struct pst_yalfs_ops *ops, struct pst_yal_vol *x);

/* Walks the tree below root (which the walker frees), emitting every entry
 * into k. max_entries bounds the entries visited (a loop through hard links
 * or a lying directory). in: the volume's bytes, for the loaders' volumes.
 * PST_ENOMEM, or PST_OK with damage reported. */
enum pst_err pst_yalfs_walk(struct pst_sink *k, const struct pst_yalfs_ops *ops, void *root,
			    uint64_t max_entries, struct pst_view in);
#endif
