/*
 * test_fuzz_only.c - a format fuzz harness's unpacker list (PST_FUZZ_ONLY,
 * tests/fuzz/fuzz_common.h) replaces the registry at link time: this
 * program enables tar only, so a tar is opened and its files found, while
 * the same tar gzipped stays one unopened file (no gzip unpacker bids).
 * The whole registry (every other test and fuzz_scan) opens both.
 */
#include "helpers.h"
#include "../fuzz/fuzz_common.h"

extern const struct pst_unpacker pst_unpacker_tar;
PST_FUZZ_ONLY(&pst_unpacker_tar);

static void test_only_tar_opened(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	(void)state;
	assert_ptr_equal(pst_unpackers[0], &pst_unpacker_tar);
	assert_null(pst_unpackers[1]);
	th_sh("mkdir -p %s/r/etc && cd %s && printf 'root:x:0:0::/root:/bin/sh\\n' > r/etc/passwd"
	      " && tar -C r -cf a.tar etc && gzip -c a.tar > a.tar.gz", d, d);
	snprintf(path, sizeof(path), "%s/a.tar", d);
	s = th_scan(path, 2);
	assert_non_null(th_node(s, "/etc/passwd"));
	pst_scan_free(s);
	snprintf(path, sizeof(path), "%s/a.tar.gz", d);
	s = th_scan(path, 2);
	assert_null(th_node(s, "/etc/passwd"));
	assert_int_equal(th_count_nodes(s, ""), 1);
	pst_scan_free(s);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_tar_opened),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
