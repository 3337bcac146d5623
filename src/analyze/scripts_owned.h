/*
 * scripts_owned.h - script findings on a packaged test suite, settled
 * against the dpkg database at the end of the scan (scripts_owned.c).
 */
#ifndef POSTERN_SCRIPTS_OWNED_H
#define POSTERN_SCRIPTS_OWNED_H
#include <stdbool.h>
#include "internal.h"

/* path has a directory component named test or tests. */
bool sc_test_path(const char *path);
/* path is a dpkg md5sums file (/var/lib/dpkg/info/PKG.md5sums). */
bool sc_dpkg_md5sums(const char *path);
void sc_record_md5sums(const struct pst_file *f);
/* The facts a test file's finding is settled by: md5 of a source, source of a .pyc. */
void sc_record_file(const struct pst_file *f);
/* Holds back a finding (rule, evidence, message) until sc_finish; terms
 * (space-separated, "" for source) are what a code object's finding rests on. */
void sc_defer(const struct pst_file *f, const char *rule, const char *terms, const char *ev,
	      const char *msg);
enum pst_err sc_finish(const void *st, const struct pst_tree *t);
#endif
