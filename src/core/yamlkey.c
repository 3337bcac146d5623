/* yamlkey.c - see yamlkey.h. */
#include <string.h>
#include "yamlkey.h"

static const char *key_of(yaml_document_t *doc, const yaml_node_pair_t *p)
{
	const yaml_node_t *k = yaml_document_get_node(doc, p->key);
	return k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : NULL;
}

bool pst_yaml_key_repeated(yaml_document_t *doc, const yaml_node_pair_t *first,
			   const yaml_node_pair_t *pair)
{
	const char *key = key_of(doc, pair);
	const yaml_node_pair_t *prev;
	if (!key)
		return false;
	for (prev = first; prev < pair; prev++) {
		const char *pk = key_of(doc, prev);
		if (pk && strcmp(pk, key) == 0)
			return true;
	}
	return false;
}
