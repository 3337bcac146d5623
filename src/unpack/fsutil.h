/* fsutil.h - what the filesystem unpackers (ext, jffs2, ubifs, yaffs2)
 * share: a sorted set of ids (inode, object numbers) of the directories they
 * walked, so that a directory reached twice (a cycle, a second link) is
 * walked once; a zero-filled file buffer that their data nodes fill in. */
#ifndef PST_FSUTIL_H
#define PST_FSUTIL_H
#include "internal.h"

struct pst_idset {
	uint64_t *v; /* ascending */
	size_t n, cap;
};

/* Adds id; true when it was not in the set yet. False when it was, or when
 * memory ran out (then *rc = PST_ENOMEM). */
bool pst_idset_add(struct pst_idset *s, uint64_t id, enum pst_err *rc);
void pst_idset_free(struct pst_idset *s);

/* Readies ob for a file of size bytes, zero-filled (holes and missing data
 * read as zeros), as much of it as the sink's limit and memory allow; *len
 * gets the bytes readied, and ob->over is set when that is less than size.
 * False when no buffer could be had. */
bool pst_fs_zeroed(struct pst_obuf *ob, uint64_t size, uint64_t *len);
#endif
