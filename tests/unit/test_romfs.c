/* test_romfs.c - romfs images (genromfs) read back equal to their source
 * (romfs keeps only an executable bit), hard links, carving, binwalk's
 * sample, damaged images. */
#include "th_tree.h"

static void test_roundtrip(void **state)
{
	char img[4200], *d;
	struct pst_scan *s;
	(void)state;

	d = th_tree_fixture(img, "mkfifo src/fifo && ln src/etc/passwd src/etc/passwd.hard && "
			    "genromfs -f img -d src -V vol");
	s = th_tree_roundtrip_scan(d, TH_TREE_NOPERM, 0, "romfs");
	assert_int_equal(th_node(s, "img!/etc/init.d/rcS")->mode, 0100755);
	assert_int_equal(th_node(s, "img!/etc/passwd")->mode, 0100644);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_carved(void **state)
{
	(void)state;
	th_tree_carved("img!romfs@0x1000!/etc/passwd", 0,
		       "genromfs -f fs -d src && head -c 4096 /dev/zero > img && cat fs >> img && "
		       "head -c 512 /dev/zero >> img");
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
	(void)state;
	th_tree_damaged("genromfs -f img -d src");
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
