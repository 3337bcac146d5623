/* fsutil.h - what the filesystem unpackers (ext, jffs2, ubifs, yaffs2)
 * share: a sorted set of ids (inode, object numbers) of the directories they
 * walked, so that a directory reached twice (a cycle, a second link) is
 * walked once; a zero-filled file buffer that their data nodes fill in; the
 * path of the entry being walked, with the one rule for entry names; the
 * loader context of a format whose files' data is found through a map the
 * walk builds. */
#ifndef PST_FSUTIL_H
#define PST_FSUTIL_H
#include "internal.h"
#include "slots.h"

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
 * What growing the buffer gave when no buffer could be had at all. */
enum pst_err pst_fs_zeroed(struct pst_obuf *ob, uint64_t size, uint64_t *len);

/* The loader context of jffs2, yaffs2 and ubifs: a map of the image's data
 * nodes, built by the walk and never changed after, that a loader looks one
 * file's nodes up in (issue 15, members on demand). A format's context
 * starts with this; own[] are the map's arrays, freed with the last
 * reference, and the slots keep the container's blob alive. No per-worker
 * state. */
struct pst_fsctx {
	struct pst_slots sl;
	void *own[2];
};
/* A zeroed context of size bytes (at least sizeof(struct pst_fsctx)), one
 * reference; NULL on out of memory. */
void *pst_fsctx_new(struct pst_sink *k, size_t size);
void pst_fsctx_ref(void *ctx);
void pst_fsctx_unref(void *ctx);

/* The path of the entry a filesystem unpacker is at: "" at the root, then
 * "/a/b", at most --max-path bytes. */
struct pst_fspath {
	char *p;
	size_t len, max;
	bool cut;    /* limit.path reported for this container */
};

enum pst_err pst_fspath_init(struct pst_fspath *fp, const struct pst_sink *k);
void pst_fspath_free(struct pst_fspath *fp);
/* Appends "/name" (n bytes, not NUL-terminated) and sets *mark to pop back
 * to. The one rule for entry names: an empty name, ".", "..", or one holding
 * '/' or a NUL byte is refused as damage ("bad entry name"; formats whose
 * directories list themselves and their parent, ext, romfs and FAT, skip
 * those two before); a
 * path that would pass --max-path is refused with limit.path (once per
 * container, which is marked incomplete). False when refused, path as it
 * was. */
bool pst_fspath_push(struct pst_fspath *fp, struct pst_sink *k, const void *name, size_t n,
		     size_t *mark);
void pst_fspath_pop(struct pst_fspath *fp, size_t mark);
/* The directory for messages: "/" at the root. */
const char *pst_fspath_where(const struct pst_fspath *fp);
#endif
