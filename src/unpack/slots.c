/* slots.c - what a loader context shares (slots.h): references, the
 * container's blob, a slot per worker and a spare one under a mutex. */
#include <stdlib.h>
#include <string.h>
#include "slots.h"

bool pst_slots_init(struct pst_slots *sl, struct pst_sink *k, size_t size)
{
	unsigned n = pst_scan_worker_count(k->scan);
	memset(sl, 0, sizeof(*sl));
	sl->n = n ? n : 1;
	sl->size = size;
	/* size 0: no per-worker state (calloc may then give NULL) */
	sl->v = size ? calloc(sl->n + 1, size) : NULL;
	if (size && !sl->v)
		return false;
	atomic_init(&sl->refs, 1);
	pthread_mutex_init(&sl->spare_lock, NULL);
	sl->blob = pst_blob_ref(k->blob);
	return true;
}

void *pst_slots_at(struct pst_slots *sl, unsigned i)
{
	return sl->v + (size_t)i * sl->size;
}

void *pst_slots_get(struct pst_slots *sl, unsigned worker)
{
	if (worker < sl->n)
		return pst_slots_at(sl, worker);
	pthread_mutex_lock(&sl->spare_lock);
	return pst_slots_at(sl, sl->n);
}

void pst_slots_put(struct pst_slots *sl, void *slot)
{
	if (slot == pst_slots_at(sl, sl->n))
		pthread_mutex_unlock(&sl->spare_lock);
}

void pst_slots_ref(struct pst_slots *sl)
{
	atomic_fetch_add(&sl->refs, 1);
}

bool pst_slots_unref(struct pst_slots *sl)
{
	return atomic_fetch_sub(&sl->refs, 1) == 1;
}

void pst_slots_free(struct pst_slots *sl)
{
	pthread_mutex_destroy(&sl->spare_lock);
	pst_blob_unref(sl->blob);
	free(sl->v);
	sl->v = NULL;
}
