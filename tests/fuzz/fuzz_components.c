/* fuzz_components.c - component readers on any bytes: the first byte picks
 * (0) a component fingerprint file (pst_compfp_parse; when it loads, it is
 * run over the input itself), (1) the built-in fingerprints over the input
 * as ELF, module and data bytes, with the input's start as the file name,
 * (2) the input as each package metadata file (os-release, openwrt_release,
 * Python METADATA, pom.properties, a node_modules package.json, the apk
 * database, rpmdb.sqlite) in a small tar scanned through the whole pipeline. Seeds in
 * corpus/components/. */
#include <stdlib.h>
#include <string.h>
#include "fuzz_common.h"
#include "fuzz_tar.h"
#include "analyze/compfp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(void *ctx, const struct pst_fp_hit *h)
{
	(void)ctx;
	(void)h;
}

static void metadata_tree(const uint8_t *p, size_t n)
{
	static const char *const paths[] = {
		"etc/os-release", "etc/openwrt_release", "lib/apk/db/installed",
		"usr/lib/python3/x-1.0.dist-info/METADATA", "META-INF/maven/g/a/pom.properties",
		"srv/node_modules/x/package.json", "var/lib/rpm/rpmdb.sqlite",
	};
	size_t cap = n * 6 + 65536, len = 0;
	uint8_t *tree = malloc(cap);
	struct archive *a = archive_write_new();
	if (tree && a && archive_write_set_format_ustar(a) == ARCHIVE_OK &&
	    archive_write_open_memory(a, tree, cap, &len) == ARCHIVE_OK) {
		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
			pst_fuzz_put(a, paths[i], p, n);
		if (archive_write_close(a) == ARCHIVE_OK)
			pst_fuzz_scan(tree, len);
	}
	archive_write_free(a);
	free(tree);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256], name[64];
	struct pst_compfp *fp;
	struct pst_view v;
	if (size < 1 || size > (1u << 20))
		return 0;
	v = pst_view_make(data + 1, size - 1);
	if (data[0] % 3 == 0) {
		fp = pst_compfp_parse("fuzz.yaml", (const char *)data + 1, size - 1, err, sizeof(err));
		if (fp)
			pst_compfp_scan(fp, v, NULL, PST_FP_ELF | PST_FP_DATA, ignore, NULL);
		pst_compfp_free(fp);
	} else if (data[0] % 3 == 1) {
		fp = pst_compfp_load(NULL, err, sizeof(err));
		snprintf(name, sizeof(name), "%.*s", (int)(size - 1 < 63 ? size - 1 : 63),
			 (const char *)data + 1);
		pst_compfp_scan(fp, v, name, PST_FP_ELF, ignore, NULL);
		pst_compfp_scan(fp, v, name, PST_FP_MODULE, ignore, NULL);
		pst_compfp_scan(fp, v, NULL, PST_FP_DATA, ignore, NULL);
		pst_compfp_free(fp);
	} else {
		metadata_tree(data + 1, size - 1);
	}
	return 0;
}
