/* idset.h - a sorted set of ids (inode, object numbers): what the
 * filesystem unpackers keep of the directories they walked, so that a
 * directory reached twice (a cycle, a second link) is walked once. */
#ifndef PST_IDSET_H
#define PST_IDSET_H
#include "internal.h"

struct pst_idset {
	uint64_t *v; /* ascending */
	size_t n, cap;
};

/* Adds id; true when it was not in the set yet. False when it was, or when
 * memory ran out (then *rc = PST_ENOMEM). */
bool pst_idset_add(struct pst_idset *s, uint64_t id, enum pst_err *rc);
void pst_idset_free(struct pst_idset *s);
#endif
