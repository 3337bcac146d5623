/* yamlkey.c - see yamlkey.h. */
#include <stdio.h>
#include <string.h>
#include <dirent.h>
#include <stdlib.h>
#include "internal.h"
#include "yamlkey.h"
#include "policy/embedded.h"

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

const char *pst_yaml_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

bool pst_yaml_error(char *err, size_t errlen, const char *file, const yaml_node_t *n,
		    const char *what)
{
	snprintf(err, errlen, "%s:%lu: %s", file, n ? (unsigned long)n->start_mark.line + 1 : 0ul,
		 what);
	return false;
}

bool pst_yaml_load(yaml_document_t *doc, const char *name, FILE *f, const char *text, size_t len,
		   char *err, size_t errlen)
{
	yaml_parser_t parser;
	bool ok, oom;
	if (!yaml_parser_initialize(&parser)) {
		pst_oom_note();
		snprintf(err, errlen, "%s: out of memory", name);
		return false;
	}
	if (f)
		yaml_parser_set_input_file(&parser, f);
	else
		yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	ok = yaml_parser_load(&parser, doc) != 0;
	/* libyaml 0.2 fails some allocations (its composer's stacks) without
	 * saying YAML_MEMORY_ERROR; every syntax error names its problem */
	oom = !ok && (parser.error == YAML_MEMORY_ERROR || !parser.problem);
	if (oom)
		pst_oom_note();
	if (!ok)
		snprintf(err, errlen, "%s:%lu: %s", name, (unsigned long)parser.problem_mark.line + 1,
			 oom ? "out of memory" : parser.problem);
	yaml_parser_delete(&parser);
	return ok;
}

static int yaml_only(const struct dirent *de)
{
	size_t len = strlen(de->d_name);
	return len > 5 && de->d_name[0] != '.' && strcmp(de->d_name + len - 5, ".yaml") == 0;
}

static bool each_in_dir(const char *dir, const char *sub, pst_yaml_file_fn fn, void *ctx,
			char *err, size_t errlen)
{
	struct dirent **list = NULL;
	char path[4096];
	int n, i;
	bool ok = true;
	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	n = scandir(path, &list, yaml_only, alphasort);
	for (i = 0; i < n; i++) {
		FILE *f;
		if (ok) {
			snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, list[i]->d_name);
			f = fopen(path, "rb");
			ok = f ? fn(ctx, path, f, NULL, 0) : pst_yaml_error(err, errlen, path, NULL,
									      "cannot open");
			if (f)
				fclose(f);
		}
		free(list[i]);
	}
	free(list);
	return ok;
}

bool pst_yaml_each_file(const char *const *dirs, const char *sub, pst_yaml_file_fn fn, void *ctx,
			char *err, size_t errlen)
{
	const struct pst_embedded *e;
	size_t sl = strlen(sub), i;
	for (e = pst_embedded_files; e->name; e++)
		if (strncmp(e->name, "rules/", 6) == 0 && strncmp(e->name + 6, sub, sl) == 0 &&
		    e->name[6 + sl] == '/' && !fn(ctx, e->name, NULL, e->text, e->len))
			return false;
	for (i = 0; dirs && dirs[i]; i++)
		if (!each_in_dir(dirs[i], sub, fn, ctx, err, errlen))
			return false;
	return true;
}
