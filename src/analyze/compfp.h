/*
 * compfp.h - component fingerprints: the data in rules/components/NAME.yaml
 * (compiled in; users add DIR/components/ with --rules), and the one-pass
 * matcher that reads a component's version out of a file's bytes.
 * The file format is documented in docs/components.md and compfp.c.
 */
#ifndef PST_COMPFP_H
#define PST_COMPFP_H

#include <stdbool.h>
#include <stddef.h>
#include "core/view.h"

/* Where a pattern is looked for (a pattern's `in:` list). */
enum {
	PST_FP_ELF = 1,    /* ELF programs and libraries */
	PST_FP_MODULE = 2, /* ELF kernel modules (*.ko) */
	PST_FP_DATA = 4,   /* unclassified data: raw kernels, boot loaders */
};

struct pst_compfp;

/* One component found in one file: exactly one version was read. */
struct pst_fp_hit {
	const char *name, *type; /* borrowed from the rules */
	const char *const *linked; /* library name prefixes (NULL-terminated):
				      in a program that needs one, no component */
	char version[64];
	char cpe[256];           /* empty when the version is no plain release */
	char purl[320];
	char evidence[160];      /* the bytes matched, control bytes as spaces */
};

typedef void (*pst_fp_cb)(void *ctx, const struct pst_fp_hit *h);

/* The built-in fingerprints, then each DIR/components/ (*.yaml, name order).
 * NULL on error with "FILE:LINE: what" in err. */
struct pst_compfp *pst_compfp_load(const char *const *dirs, char *err, size_t errlen);
/* Loads only the YAML text given (tests, fuzzing); NULL and err on error. */
struct pst_compfp *pst_compfp_parse(const char *name, const char *text, size_t len, char *err,
				    size_t errlen);
void pst_compfp_free(struct pst_compfp *fp);
/* The CPE part:vendor:product of the component called name, or NULL. */
const char *pst_compfp_cpe(const struct pst_compfp *fp, const char *name);
size_t pst_compfp_count(const struct pst_compfp *fp);

/* Reads v once for the patterns that apply where (PST_FP_*), and the file
 * patterns on name (the file's name, or NULL), and calls cb once per
 * component that names exactly one version, in rule order. */
void pst_compfp_scan(const struct pst_compfp *fp, struct pst_view v, const char *name,
		     unsigned where, pst_fp_cb cb, void *ctx);

#endif
