/* slots.h - per-worker state for the loaders of filesystem unpackers
 * (ext_data.c, yalfs.c): see slots.c. */
#ifndef PST_SLOTS_H
#define PST_SLOTS_H
#include "internal.h"

/* What a loader context (ext_data.c, yalfs.c) shares: its references, the
 * container's blob kept alive while loaders may read it, and one slot of
 * size zeroed bytes per worker (a library handle opened on first use) plus a
 * spare for any other thread, which pst_slots_get locks until
 * pst_slots_put. */
struct pst_slots {
	atomic_int refs;
	struct pst_blob *blob;
	unsigned n;        /* workers; slot n is the spare */
	size_t size;
	uint8_t *v;
	pthread_mutex_t spare_lock;
};
/* One reference; false on out of memory. */
bool pst_slots_init(struct pst_slots *sl, struct pst_sink *k, size_t size);
void *pst_slots_get(struct pst_slots *sl, unsigned worker);
void pst_slots_put(struct pst_slots *sl, void *slot);
/* Slot i (i <= n), for closing them. */
void *pst_slots_at(struct pst_slots *sl, unsigned i);
void pst_slots_ref(struct pst_slots *sl);
/* Drops a reference; true when it was the last: the caller closes what
 * the slots hold, then pst_slots_free. */
bool pst_slots_unref(struct pst_slots *sl);
void pst_slots_free(struct pst_slots *sl);
#endif
