/* fuzz_rpmbdb.c - rpm's BerkeleyDB hash database reader (src/analyze/rpmbdb.c)
 * on any bytes: the first byte picks (even) the page walk alone, every item
 * it hands over read to its end, or (odd) the input as /var/lib/rpm/Packages
 * in a small tar scanned through the whole pipeline (header reader,
 * components, findings). Seeds in corpus/rpmbdb/, made by
 * tests/tools/mkrpmbdb.py with 512-byte pages (clean, big-endian, a loop, a
 * chain past the end, a wrong magic, truncated). */
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

static void packages_tree(const uint8_t *p, size_t n)
{
	size_t cap = n + 65536, len = 0;
	uint8_t *tree = malloc(cap);
	struct archive *a = archive_write_new();
	if (tree && a && archive_write_set_format_ustar(a) == ARCHIVE_OK &&
	    archive_write_open_memory(a, tree, cap, &len) == ARCHIVE_OK) {
		pst_fuzz_put(a, "var/lib/rpm/Packages", p, n);
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
	if (size < 1 || size > (1u << 20))
		return 0;
	if (data[0] % 2 == 0)
		(void)pst_bdb_hash_walk(pst_view_make(data + 1, size - 1), touch, &sum, &why);
	else
		packages_tree(data + 1, size - 1);
	return 0;
}
