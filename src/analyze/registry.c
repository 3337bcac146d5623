/*
 * registry.c - every analyzer, in one plain array. Each runs on the files it
 * wants, on the worker threads; finish() runs once, at the end, in order.
 */
#include "internal.h"

extern const struct pst_analyzer pst_analyzer_yara;

const struct pst_analyzer *const pst_analyzers[] = {
	&pst_analyzer_yara,
	NULL,
};
