/*
 * registry.c - every analyzer, in one plain array. Each runs on the files it
 * wants, on the worker threads; finish() runs once, at the end, in order.
 */
#include "internal.h"

extern const struct pst_analyzer pst_analyzer_yara;
extern const struct pst_analyzer pst_analyzer_clamav;
extern const struct pst_analyzer pst_analyzer_binary;
extern const struct pst_analyzer pst_analyzer_accounts;
extern const struct pst_analyzer pst_analyzer_secrets;
extern const struct pst_analyzer pst_analyzer_keys;
extern const struct pst_analyzer pst_analyzer_fsperm;
extern const struct pst_analyzer pst_analyzer_scripts;
extern const struct pst_analyzer pst_analyzer_services;
extern const struct pst_analyzer pst_analyzer_components;
extern const struct pst_analyzer pst_analyzer_vulns;

const struct pst_analyzer *const pst_analyzers[] = {
	&pst_analyzer_yara,
	&pst_analyzer_clamav,
	&pst_analyzer_binary,
	&pst_analyzer_accounts,
	&pst_analyzer_secrets,
	&pst_analyzer_keys,
	&pst_analyzer_fsperm,
	&pst_analyzer_components,
	/* after components: its finish() reads their facts */
	&pst_analyzer_vulns,
	&pst_analyzer_scripts,
	/* services last: its finish() looks at what the others found */
	&pst_analyzer_services,
	NULL,
};
