/*
 * clamav_body.h - ClamAV body signatures (.ndb, offset "*") that postern
 * matches itself (clamav_body.c), without compiling them: an anchor per
 * signature (its longest run of fixed bytes before any jump), then the
 * whole pattern checked where an anchor's first 4 bytes are found.
 */
#ifndef PST_CLAMAV_BODY_H
#define PST_CLAMAV_BODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pst_cbody;
struct pst_cindex;

struct pst_cbodies {
	struct pst_cbody *v;
	size_t n, cap;
	struct pst_cindex *ix; /* built by pst_cbodies_seal */
};

/* Takes hex (ClamAV's body signature syntax) as signature sig when every
 * part has a form this matcher reads: bytes, ?? and nibble wildcards,
 * {n}, {-n} and {n-m} jumps of at most 64 bytes (two at most), with a run
 * of 4 fixed bytes before the first jump. false: leave it to YARA. elf:
 * the signature is for ELF files only (target 6). */
bool pst_cbodies_add(struct pst_cbodies *set, const char *hex, bool elf, uint32_t sig);
/* Builds the index (once, before any match); false when out of memory. */
bool pst_cbodies_seal(struct pst_cbodies *set);
/* The lowest signature that matches p, -1 for none, -2 when the file's
 * work budget ran out before it was checked through. */
long pst_cbodies_match(const struct pst_cbodies *set, const uint8_t *p, size_t len);
void pst_cbodies_free(struct pst_cbodies *set);

#endif
