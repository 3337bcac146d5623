/* yal.h - what the unpackers built on Joachim Metz's libyal libraries
 * (libqcow, libvhdi, libvmdk, libvslvm, libfsxfs, libfsntfs) share: a
 * libbfio handle that reads the container's bytes where they are in memory
 * (a libbfio "memory range": nothing is written to a file), and reading a
 * virtual disk or volume into a child's buffer. */
#ifndef PST_YAL_H
#define PST_YAL_H
#include <sys/types.h>
#include <libbfio.h>
#include "internal.h"

/* A read-only handle on in's bytes (the caller keeps them alive until the
 * handle is freed), or NULL. */
libbfio_handle_t *pst_yal_handle(struct pst_view in);
void pst_yal_handle_free(libbfio_handle_t **h);
/* A pool holding one such handle (for the libraries that read their data
 * from "files" by index: VMDK extents, LVM physical volumes), or NULL. */
libbfio_pool_t *pst_yal_pool(struct pst_view in);
void pst_yal_pool_free(libbfio_pool_t **p);

/* Reads up to size bytes through read(obj, buf, n, off) into ob, as much
 * as ob may grow; false on a read error. */
bool pst_yal_read(struct pst_obuf *ob, uint64_t size,
		  ssize_t (*read)(void *obj, uint8_t *buf, size_t n, uint64_t off), void *obj);

/* Reads size bytes through read(obj, buf, n, off) into a buffer (off is
 * a buffer's length, so it fits the libraries' off64_t) and emits
 * it as the child seg ("disk", "lvm@root"): as much as the sink allows, the
 * rest reported. A read error marks the child damaged and incomplete. */
enum pst_err pst_yal_emit(struct pst_sink *k, const char *seg, uint64_t size,
			  ssize_t (*read)(void *obj, uint8_t *buf, size_t n, uint64_t off),
			  void *obj);
#endif
