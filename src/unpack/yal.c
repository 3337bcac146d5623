/* yal.c - memory-backed libbfio handles for the libyal-based unpackers, and
 * the one loop that copies a virtual disk or volume into a child (yal.h).
 *
 * Why a memory range: the libraries read through libbfio, whose memory range
 * handle serves reads from a buffer, so the container is read where it lies
 * (a borrowed view of its parent). The virtual disk it declares goes to a
 * sparse spill file (core/sparse.c): an unlinked temporary file that holds
 * only the disk's non-zero blocks, so a multi-GB appliance costs its data,
 * not its virtual size, and none of it is held in the memory budget.
 */
#include <stdlib.h>
#include <string.h>
#include <libbfio.h>
#include "yal.h"

#define CHUNK (1u << 20)

libbfio_handle_t *pst_yal_handle(struct pst_view in)
{
	libbfio_handle_t *h = NULL;
	/* libbfio's setter takes a non-const pointer; the handle is opened
	 * read-only by every caller, so the bytes are never written */
	if (libbfio_memory_range_initialize(&h, NULL) != 1)
		return NULL;
	if (libbfio_memory_range_set(h, (uint8_t *)(uintptr_t)in.p, in.len, NULL) != 1)
		pst_yal_handle_free(&h);
	return h;
}

void pst_yal_handle_free(libbfio_handle_t **h)
{
	if (*h)
		libbfio_handle_free(h, NULL);
	*h = NULL;
}

libbfio_pool_t *pst_yal_pool(struct pst_view in)
{
	libbfio_pool_t *p = NULL;
	libbfio_handle_t *h = pst_yal_handle(in);
	int entry = 0;
	if (!h)
		return NULL;
	if (libbfio_pool_initialize(&p, 0, LIBBFIO_POOL_UNLIMITED_NUMBER_OF_OPEN_HANDLES, NULL) !=
	    1) {
		pst_yal_handle_free(&h);
		return NULL;
	}
	/* the pool owns the handle from here */
	if (libbfio_pool_append_handle(p, &entry, h, LIBBFIO_OPEN_READ, NULL) != 1) {
		pst_yal_handle_free(&h);
		pst_yal_pool_free(&p);
	}
	return p;
}

void pst_yal_pool_free(libbfio_pool_t **p)
{
	if (*p)
		libbfio_pool_free(p, NULL);
	*p = NULL;
}

/* Reads the virtual disk into sparse ob (pst_obuf_sparse): its zero
 * blocks are never stored. *bad on a read error. */
static void read_sparse(struct pst_sink *k, struct pst_obuf *ob, uint64_t size,
			ssize_t (*read)(void *obj, uint8_t *buf, size_t n, uint64_t off),
			void *obj, bool *bad)
{
	uint8_t *chunk = malloc(CHUNK);
	if (!chunk) {
		pst_sink_damage(k, PST_ENOMEM, "out of memory reading the disk");
		return;
	}
	while (ob->len < size && !ob->over && !*bad) {
		size_t want = size - ob->len < CHUNK ? (size_t)(size - ob->len) : CHUNK;
		ssize_t got;
		enum pst_err e;
		if (ob->len >= PST_CAP_VIRTUAL_BYTES) {
			pst_sink_cap_hit(k, "PST_CAP_VIRTUAL_BYTES", "a virtual disk of %llu bytes "
					 "was read to its first %llu", (unsigned long long)size,
					 (unsigned long long)ob->len);
			break;
		}
		if (pst_sink_cancelled(k)) {
			ob->over = ob->cancelled = true;
			break;
		}
		got = read(obj, chunk, want, ob->len);
		if (got <= 0) {
			*bad = true;
			break;
		}
		e = pst_obuf_put_sparse(ob, chunk, (size_t)got);
		if (e == PST_EIO || e == PST_ENOMEM) {
			pst_sink_damage(k, e, "cannot keep the disk's data (%s)", pst_err_str(e));
			ob->over = true;
		}
	}
	free(chunk);
}

bool pst_yal_read(struct pst_obuf *ob, uint64_t size,
		  ssize_t (*read)(void *obj, uint8_t *buf, size_t n, uint64_t off), void *obj)
{
	while (ob->len < size && !ob->over) {
		/* no more room asked for than is left to read: a small file
		 * gets a small buffer */
		size_t room, want = size - ob->len < CHUNK ? (size_t)(size - ob->len) : CHUNK;
		ssize_t got;
		if (pst_obuf_grow(ob, want, &room) != PST_OK)
			break;
		if (want > room)
			want = room;
		got = read(obj, ob->p + ob->len, want, ob->len);
		if (got <= 0)
			return false;
		ob->len += (size_t)got;
	}
	return true;
}

enum pst_err pst_yal_emit(struct pst_sink *k, const char *seg, uint64_t size,
			  ssize_t (*read)(void *obj, uint8_t *buf, size_t n, uint64_t off),
			  void *obj)
{
	struct pst_obuf ob;
	struct pst_entry e;
	enum pst_err rc;
	bool bad = false;

	memset(&e, 0, sizeof(e));
	pst_sink_obuf(k, &ob);
	/* On demand into a spill file, holes not stored; in memory (cut by
	 * --max-file-bytes and the budget) only when no spill file is free. */
	if (pst_obuf_sparse(&ob, size))
		read_sparse(k, &ob, size, read, obj, &bad);
	else
		bad = !pst_yal_read(&ob, size, read, obj); /* no spill file was free */
	if (bad) {
		e.flags |= PST_NODE_TRUNCATED | PST_NODE_INCOMPLETE;
		pst_sink_damage(k, PST_EFORMAT, "%s: unreadable at byte %zu of %llu", seg, ob.len,
				(unsigned long long)size);
	}
	e.seg = seg;
	e.declared_size = size;
	e.take = &ob;
	rc = pst_sink_emit(k, &e);
	pst_obuf_free(&ob);
	return rc;
}
