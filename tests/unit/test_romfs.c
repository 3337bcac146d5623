/* test_romfs.c - romfs images (genromfs) read back equal to their source
 * (romfs keeps only an executable bit), hard links, carving, binwalk's
 * sample, damaged images. */
#include "th_tree.h"

static void test_roundtrip(void **state)
{
	char *d = th_tmpdir(), img[4200], src[4200];
	struct pst_scan *s;
	size_t entries;
	(void)state;

	th_tree_make(d);
	th_sh("cd %s && mkfifo src/fifo && ln src/etc/passwd src/etc/passwd.hard && "
	      "genromfs -f img -d src -V vol", d);
	snprintf(img, sizeof(img), "%s/img", d);
	snprintf(src, sizeof(src), "%s/src", d);
	s = th_scan(img, 2);
	entries = th_tree_equal(s, src, TH_TREE_NOPERM);
	assert_int_equal(th_count_nodes(s, "img!/"), entries);
	assert_int_equal(th_node(s, "img!/etc/init.d/rcS")->mode, 0100755);
	assert_int_equal(th_node(s, "img!/etc/passwd")->mode, 0100644);
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	assert_string_equal(pst_scan_root(s)->format, "romfs");
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_carved(void **state)
{
	char *d = th_tmpdir(), img[4200];
	struct pst_scan *s;
	(void)state;
	th_tree_make(d);
	th_sh("cd %s && genromfs -f fs -d src && head -c 4096 /dev/zero > img && cat fs >> img && "
	      "head -c 512 /dev/zero >> img", d);
	snprintf(img, sizeof(img), "%s/img", d);
	s = th_scan(img, 2);
	assert_non_null(th_node(s, "img!romfs@0x1000!/etc/passwd"));
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_binwalk_fixture(void **state)
{
	struct pst_scan *s;
	(void)state;
	s = th_scan(FIXTURE_DIR "/binwalk/romfs.bin", 1);
	assert_string_equal(pst_scan_root(s)->format, "romfs");
	assert_non_null(th_node(s, "romfs.bin!/lsb-release"));
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
}

static void test_damaged(void **state)
{
	char *d = th_tmpdir(), img[4200];
	(void)state;
	th_tree_make(d);
	th_sh("cd %s && genromfs -f img -d src", d);
	snprintf(img, sizeof(img), "%s/img", d);
	th_mangle(img, d);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_carved),
		cmocka_unit_test(test_binwalk_fixture),
		cmocka_unit_test(test_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
