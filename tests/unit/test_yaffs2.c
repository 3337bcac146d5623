/* test_yaffs2.c - YAFFS2 NAND images of the common page/spare layouts, both
 * byte orders, tags at spare offset 0 and 2 (tests/tools/mkyaffs2.py, there
 * being no mkyaffs2image in Debian), a rewritten file whose newest chunks
 * win, hard links, binwalk's sample, and damaged images. */
#include "th_tree.h"

static void roundtrip(const char *layout)
{
	char img[4200], *d;
	struct pst_scan *s;
	const struct pst_node *n;
	uint8_t sha[32];

	/* the source then says what the rewrite says, for the comparison */
	d = th_tree_fixture(img, "mkfifo src/fifo && ln src/usr/share/deep/er/numbers src/etc/numbers.hard && "
			    "python3 %s/tests/tools/mkyaffs2.py src img %s --rewrite etc/passwd:root::0:0:new && "
			    "printf 'root::0:0:new' > src/etc/passwd", getenv("SRC"), layout);
	s = th_tree_roundtrip_scan(d, TH_TREE_OWNER, 0, "yaffs2");
	n = th_node(s, "img!/etc/passwd");
	pst_sha256((const uint8_t *)"root::0:0:new", 13, sha);
	assert_memory_equal(n->sha256, sha, 32);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_2048_le(void **state) { (void)state; roundtrip("--page 2048 --spare 64"); }
static void test_2048_be_off2(void **state) { (void)state; roundtrip("--page 2048 --spare 64 --tag-off 2 --endian big"); }
static void test_512_le(void **state) { (void)state; roundtrip("--page 512 --spare 16"); }
static void test_4096_be(void **state) { (void)state; roundtrip("--page 4096 --spare 128 --endian big"); }

static void test_binwalk_fixture(void **state)
{
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	s = th_scan(FIXTURE_DIR "/binwalk/yaffs2.bin", 1);
	assert_string_equal(pst_scan_root(s)->format, "yaffs2");
	assert_int_equal(th_count_nodes(s, "yaffs2.bin!/"), 13);
	n = th_node(s, "yaffs2.bin!/yutilsenv.h");
	assert_non_null(n);
	assert_int_equal(n->size, 844);
	assert_int_equal(n->mode, 0100664);
	assert_int_equal(n->uid, 1000);
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
}

static void test_damaged(void **state)
{
	(void)state;
	/* no erased pages at the end: a cut there would lose nothing */
	th_tree_damaged("python3 %s/tests/tools/mkyaffs2.py src img --no-pad", getenv("SRC"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_2048_le),
		cmocka_unit_test(test_2048_be_off2),
		cmocka_unit_test(test_512_le),
		cmocka_unit_test(test_4096_be),
		cmocka_unit_test(test_binwalk_fixture),
		cmocka_unit_test(test_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
