/* yamlkey.h - checks the YAML loaders (policy, capability rules) share. */
#ifndef PST_YAMLKEY_H
#define PST_YAMLKEY_H
#include <stdbool.h>
#include <yaml.h>

/* Whether the scalar key of pair was already a key of an earlier pair of the
 * same mapping (pairs from first up to pair). A key given twice is an error
 * in postern's files, not "the last one wins": a second list must not
 * silently replace, or be appended past, the first. Callers stop at the
 * first repeat, so the look back stays short. */
bool pst_yaml_key_repeated(yaml_document_t *doc, const yaml_node_pair_t *first,
			   const yaml_node_pair_t *pair);
#endif
