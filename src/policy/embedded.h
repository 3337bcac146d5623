/*
 * embedded.h - data files compiled into the library by scripts/embed.c:
 * the policies (policies/NAME.yaml) and the findings catalog
 * (docs/findings/AREA.md).
 */
#ifndef PST_EMBEDDED_H
#define PST_EMBEDDED_H

#include <stddef.h>

struct pst_embedded {
	const char *name; /* relative to the source tree: "policies/default.yaml" */
	const char *text; /* NUL-terminated */
	size_t len;
};

/* Terminated by an entry with name NULL. */
extern const struct pst_embedded pst_embedded_files[];

/* The file called name, or NULL. */
const struct pst_embedded *pst_embedded_find(const char *name);

#endif
