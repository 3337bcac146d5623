/*
 * yara_ext.h - the external variables public YARA collections expect (the
 * LOKI/THOR convention, also used by YARA-Forge packages): filename,
 * filepath, extension, filetype, owner, set per file from the inventory.
 * docs/findings/signature.md has the mapping.
 */
#ifndef PST_YARA_EXT_H
#define PST_YARA_EXT_H

#include <stddef.h>
#include <stdint.h>

struct pst_node;

#define PST_YARA_EXT_N 5
/* The names, in the order of struct pst_yara_ext's values. */
extern const char *const pst_yara_ext_names[PST_YARA_EXT_N];

/* One file's values; each is NUL-terminated and at most 255 bytes (a
 * longer path is cut, which only a rule on its tail can notice). */
struct pst_yara_ext {
	char v[PST_YARA_EXT_N][256];
};

/* Fills x for node n whose first bytes are head[0..len). */
void pst_yara_ext_of(const struct pst_node *n, const uint8_t *head, size_t len,
		     struct pst_yara_ext *x);

/* The convention's type name for n ("ELF", "EXE", "ZIP", "SQUASHFS"...). */
void pst_yara_ext_filetype(const struct pst_node *n, const uint8_t *head, size_t len,
			   char *out, size_t outlen);

#endif
