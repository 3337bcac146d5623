/* ext.h - what ext.c (the walk) and ext_data.c (libext2fs over memory, and
 * the loaders that read regular files when a worker examines them) share. */
#ifndef PST_EXT_H
#define PST_EXT_H
#include <ext2fs/ext2fs.h>
#include "internal.h"

/* The image one libext2fs handle reads: blocks past len read as zeros and
 * set short_read. Must outlive the handle. */
struct pst_ext_mem {
	const uint8_t *p;
	size_t len;
	bool short_read;
};

/* Opens the filesystem in m read-only through postern's memory io_manager
 * (checksum errors and MMP ignored: the walk reads what is there). */
errcode_t pst_ext_open(struct pst_ext_mem *m, ext2_filsys *out);

/* Appends inode ino's bytes (size of them) to ob through libext2fs's file
 * reader; false when it fails (ob keeps what was read). Stops at ob's max. */
bool pst_ext_read(ext2_filsys fs, ext2_ino_t ino, struct pst_obuf *ob, uint64_t size);

/* The loaders' shared state: the image (its blob referenced) and one
 * libext2fs handle per worker, opened on first use. Refcounted: alive until
 * the walk and the last loader are done. */
struct pst_ext_ctx;
struct pst_ext_ctx *pst_ext_ctx_new(struct pst_sink *k, struct pst_view img);
void pst_ext_ctx_ref(void *ctx);
void pst_ext_ctx_unref(void *ctx);
/* The sink's loader: cookie is the inode number of a regular file. */
enum pst_err pst_ext_load(void *ctx, uint64_t cookie, unsigned worker, struct pst_obuf *out);
#endif
