/* fuzz_cargodep.c - the package data readers of jarmf.c and cargodep.c on
 * any bytes: the first byte picks (0) the input as a .dep-v0 section's zlib
 * stream (pst_cargodep_parse), (1) the input as the JSON inside such a
 * stream (compressed here, then parsed), (2) the input as a jar's
 * META-INF/MANIFEST.MF beside a version-less pom.properties, in a small tar
 * scanned through the whole pipeline (the manifest's finish included).
 * Seeds in corpus/cargodep/. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "fuzz_common.h"
#include "fuzz_tar.h"
#include "analyze/components.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(void *ctx, const char *name, const char *version, bool root)
{
	(void)ctx;
	(void)name;
	(void)version;
	(void)root;
}

static void manifest_tree(const uint8_t *p, size_t n)
{
	static const char pom[] = "groupId=g\nartifactId=a\n";
	size_t cap = n * 2 + 65536, len = 0;
	uint8_t *tree = malloc(cap);
	struct archive *a = archive_write_new();
	if (tree && a && archive_write_set_format_ustar(a) == ARCHIVE_OK &&
	    archive_write_open_memory(a, tree, cap, &len) == ARCHIVE_OK) {
		pst_fuzz_put(a, "META-INF/MANIFEST.MF", p, n);
		pst_fuzz_put(a, "META-INF/maven/g/a/pom.properties", pom, sizeof(pom) - 1);
		if (archive_write_close(a) == ARCHIVE_OK)
			pst_fuzz_scan(tree, len);
	}
	archive_write_free(a);
	free(tree);
}

static void json_stream(const uint8_t *p, size_t n)
{
	uLongf zlen = compressBound((uLong)n);
	Bytef *z = malloc(zlen);
	if (z && compress2(z, &zlen, p, (uLong)n, 1) == Z_OK)
		pst_cargodep_parse(pst_view_make(z, zlen), ignore, NULL);
	free(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > (1u << 20))
		return 0;
	if (data[0] % 3 == 0)
		pst_cargodep_parse(pst_view_make(data + 1, size - 1), ignore, NULL);
	else if (data[0] % 3 == 1)
		json_stream(data + 1, size - 1);
	else
		manifest_tree(data + 1, size - 1);
	return 0;
}
