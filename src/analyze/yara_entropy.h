/*
 * yara_entropy.h - math.entropy(0, filesize) from the entropy postern has
 * already computed (yara_entropy.c says how and why).
 */
#ifndef PST_YARA_ENTROPY_H
#define PST_YARA_ENTROPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pst_range;

#define PST_YARA_ENTROPY_VAR "__postern_entropy"
#define PST_YARA_ENTROPY_AT_VAR "__postern_entropy_at"
/* __postern_entropy_at where math.entropy would be undefined: past any
 * block libyara is given. */
#define PST_YARA_ENTROPY_NOWHERE INT64_MAX

/* Rewrites every `math.entropy(0, filesize)` of a YARA source that imports
 * "math" into the external-variable expression; returns how many (0: *out
 * is NULL and the source is used as it is). *out is malloc'd. */
size_t pst_yara_entropy_rewrite(const uint8_t *src, size_t len, uint8_t **out, size_t *outlen);

/* What math.entropy(0, filesize) evaluates to for a file of len bytes
 * scanned whole (own == NULL: `whole`, the entropy already computed) or over
 * its own ranges; false where libyara would leave it undefined. */
bool pst_yara_entropy_value(const uint8_t *data, size_t len, const struct pst_range *own,
			    size_t nown, double whole, double *value);

#endif
