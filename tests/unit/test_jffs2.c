/* test_jffs2.c - JFFS2 of both byte orders with zlib, LZO and rtime nodes
 * (mkfs.jffs2), erase-block padding; versions, deletions, renames, obsolete
 * nodes, truncation and LZMA nodes (tests/tools/mkjffs2.py); damage. */
#include "th_tree.h"

static void roundtrip(const char *opts)
{
	char img[4200];
	char *d = th_tree_fixture(img, "mkfifo src/fifo && mkfs.jffs2 %s -r src -o img", opts);
	th_tree_roundtrip(d, TH_TREE_OWNER, "jffs2");
}

static void test_le_zlib(void **state) { (void)state; roundtrip("-l"); }
static void test_be_zlib(void **state) { (void)state; roundtrip("-b"); }
static void test_le_lzo(void **state) { (void)state; roundtrip("-l -X lzo -x zlib -x rtime"); }
static void test_be_lzo(void **state) { (void)state; roundtrip("-b -X lzo -x zlib -x rtime"); }
static void test_be_rtime(void **state) { (void)state; roundtrip("-b -x zlib"); }
static void test_le_padded(void **state) { (void)state; roundtrip("-l -e 0x20000 -n -p"); }

static void check_node(const struct pst_scan *s, const char *loc, const char *content, size_t len)
{
	const struct pst_node *n = th_node(s, loc);
	uint8_t sha[32];
	if (!n)
		fail_msg("%s missing", loc);
	pst_sha256((const uint8_t *)content, len, sha);
	if (n->size != len || memcmp(sha, n->sha256, 32) != 0)
		fail_msg("%s: wrong content (%llu bytes)", loc, (unsigned long long)n->size);
}

static void log_semantics(const char *endian)
{
	char *d = th_tmpdir(), img[4200], big[10001], trunc[100];
	struct pst_scan *s;
	const struct pst_node *n;
	size_t len = 0;
	int i;

	th_sh("cd %s && python3 %s/tests/tools/mkjffs2.py img --endian %s", d, getenv("SRC"), endian);
	snprintf(img, sizeof(img), "%s/img", d);
	s = th_scan(img, 2);
	check_node(s, "img!/etc/passwd", "root::0:0::/root:/bin/sh\n", 25);
	check_node(s, "img!/etc/new", "renamed\n", 8);
	memset(trunc, 'T', sizeof(trunc));
	check_node(s, "img!/etc/trunc", trunc, sizeof(trunc));
	for (i = 0; len < 10000; i++)
		len += (size_t)snprintf(big + len, sizeof(big) - len, "%d\n", i);
	memcpy(big, "PATCHED!!!", 10);
	check_node(s, "img!/bin/big", big, 10000);
	n = th_node(s, "img!/bin/sh");
	assert_non_null(n);
	assert_string_equal(n->link, "busybox");
	assert_null(th_node(s, "img!/etc/shadow"));
	assert_null(th_node(s, "img!/etc/old"));
	assert_null(th_node(s, "img!/bin/evil"));
	assert_int_equal(th_count_nodes(s, "img!/"), 7);
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_log_le(void **state) { (void)state; log_semantics("little"); }
static void test_log_be(void **state) { (void)state; log_semantics("big"); }

static void test_carved(void **state)
{
	(void)state;
	th_tree_carved("img!jffs2@0x20000!/etc/passwd", TH_CARVE_EXPLAINED,
		       "mkfs.jffs2 -b -r src -o fs && head -c 131072 /dev/zero > img && "
		       "cat fs >> img && head -c 70000 /dev/zero | tr '\\0' '\\377' >> img");
}

static void test_damaged(void **state)
{
	(void)state;
	th_tree_damaged("mkfs.jffs2 -l -r src -o img");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_le_zlib),
		cmocka_unit_test(test_be_zlib),
		cmocka_unit_test(test_le_lzo),
		cmocka_unit_test(test_be_lzo),
		cmocka_unit_test(test_be_rtime),
		cmocka_unit_test(test_le_padded),
		cmocka_unit_test(test_log_le),
		cmocka_unit_test(test_log_be),
		cmocka_unit_test(test_carved),
		cmocka_unit_test(test_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
