/* yamlkey.h - what the YAML loaders (policy, capability and component rules) share. */
#ifndef PST_YAMLKEY_H
#define PST_YAMLKEY_H
#include <stdbool.h>
#include <stdio.h>
#include <yaml.h>

/* Whether the scalar key of pair was already a key of an earlier pair of the
 * same mapping (pairs from first up to pair). A key given twice is an error
 * in postern's files, not "the last one wins": a second list must not
 * silently replace, or be appended past, the first. Callers stop at the
 * first repeat, so the look back stays short. */
bool pst_yaml_key_repeated(yaml_document_t *doc, const yaml_node_pair_t *first,
			   const yaml_node_pair_t *pair);

/* The scalar's text, or NULL for another kind of node (or none). */
const char *pst_yaml_scalar(const yaml_node_t *n);
/* Writes "FILE:LINE: what" (LINE of node n, 0 without one) into err; false. */
bool pst_yaml_error(char *err, size_t errlen, const char *file, const yaml_node_t *n,
		    const char *what);
/* Loads one document from f or text/len; on a syntax error false and
 * "NAME:LINE: problem" in err. The caller deletes doc after success. */
bool pst_yaml_load(yaml_document_t *doc, const char *name, FILE *f, const char *text, size_t len,
		   char *err, size_t errlen);

/* Where a loader is: the document being read, its file's name, and where
 * an error goes ("FILE:LINE: what"). The rule loaders embed it. */
struct pst_yaml_at {
	yaml_document_t *doc;
	const char *file;
	char *err;
	size_t errlen;
};

/* pst_yaml_error at a's file: false. */
static inline bool pst_yaml_fail(const struct pst_yaml_at *a, const yaml_node_t *n,
				 const char *what)
{
	return pst_yaml_error(a->err, a->errlen, a->file, n, what);
}

/* Called for each rule file: its name and either f or text/len; false stops. */
typedef bool (*pst_yaml_file_fn)(void *ctx, const char *name, FILE *f, const char *text,
				 size_t len);
/* The rule files of one kind in load order: the built-in rules/SUB/\*.yaml
 * (compiled in, by name), then each of dirs' SUB/\*.yaml by name (a missing
 * directory is none). False when fn stops or a file cannot be opened (then
 * "PATH: cannot open" in err). */
bool pst_yaml_each_file(const char *const *dirs, const char *sub, pst_yaml_file_fn fn, void *ctx,
			char *err, size_t errlen);
#endif
