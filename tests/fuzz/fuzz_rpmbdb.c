/* fuzz_rpmbdb.c - rpm's BerkeleyDB hash and NDB database readers
 * (src/analyze/rpmbdb.c) on any bytes: the first byte modulo 4 picks (0) the
 * BerkeleyDB page walk alone, every item it hands over read to its end,
 * (1) the input as /var/lib/rpm/Packages in a small tar scanned through the
 * whole pipeline (header reader, components, findings), (2) the NDB slot
 * walk alone, (3) the input as /var/lib/rpm/Packages.db scanned. Seeds in
 * corpus/rpmbdb/, made by tests/tools/mkrpmbdb.py (BerkeleyDB with 512-byte
 * pages: clean, big-endian, a loop, a chain past the end, a wrong magic,
 * truncated; NDB: clean, truncated, a slot past the end). */
#include <stdlib.h>
#include <string.h>
#include "fuzz_common.h"
#include "fuzz_tar.h"
#include "analyze/components.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool touch(void *ctx, struct pst_view item)
{
	uint64_t *sum = ctx;
	for (size_t i = 0; i < item.len; i++)
		*sum += item.p[i];
	return true;
}

static void packages_tree(const char *path, const uint8_t *p, size_t n)
{
	size_t cap = n + 65536, len = 0;
	uint8_t *tree = malloc(cap);
	struct archive *a = archive_write_new();
	if (tree && a && archive_write_set_format_ustar(a) == ARCHIVE_OK &&
	    archive_write_open_memory(a, tree, cap, &len) == ARCHIVE_OK) {
		pst_fuzz_put(a, path, p, n);
		if (archive_write_close(a) == ARCHIVE_OK)
			pst_fuzz_scan(tree, len);
	}
	archive_write_free(a);
	free(tree);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t sum = 0;
	const char *why;
	struct pst_view v;
	if (size < 1 || size > (1u << 20))
		return 0;
	v = pst_view_make(data + 1, size - 1);
	switch (data[0] % 4) {
	case 0:
		(void)pst_bdb_hash_walk(v, touch, &sum, &why);
		break;
	case 1:
		packages_tree("var/lib/rpm/Packages", v.p, v.len);
		break;
	case 2:
		(void)pst_ndb_walk(v, touch, &sum, &why);
		break;
	default:
		packages_tree("var/lib/rpm/Packages.db", v.p, v.len);
	}
	return 0;
}
