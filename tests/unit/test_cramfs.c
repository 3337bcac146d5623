/* test_cramfs.c - cramfs of both byte orders (mkfs.cramfs -N), with a boot
 * pad and explicit holes, with LZMA blocks, carved out of a raw image,
 * binwalk's sample, and damaged images. */
#include "th_tree.h"

static void roundtrip(const char *opts)
{
	char img[4200];
	char *d = th_tree_fixture(img, "mkfifo src/fifo && mkfs.cramfs %s src img >/dev/null", opts);
	/* cramfs keeps 8 bits of gid: the tree is root's, so owners compare */
	th_tree_roundtrip(d, TH_TREE_OWNER, "cramfs");
}

static void test_little(void **state) { (void)state; roundtrip("-N little"); }
static void test_big(void **state) { (void)state; roundtrip("-N big"); }
static void test_padded_holes(void **state) { (void)state; roundtrip("-p -z -N big"); }

/* Jungo OpenRG's LZMA blocks (9-byte header: properties, 32-bit size),
 * made by rewriting a mkfs.cramfs image (tests/tools/cramfs_lzma.py). */
#define CRAMFS_LZMA "mkfifo src/fifo && mkfs.cramfs -N little src fs >/dev/null && " \
	"python3 %s/tests/tools/cramfs_lzma.py fs img"

static void test_lzma_jungo(void **state)
{
	char img[4200];
	char *d;
	(void)state;
	d = th_tree_fixture(img, CRAMFS_LZMA " && [ $(stat -c %%s img) -lt $(stat -c %%s fs) ]", getenv("SRC"));
	th_tree_roundtrip(d, TH_TREE_OWNER, "cramfs");
}

static void test_lzma_damaged(void **state)
{
	(void)state;
	th_tree_damaged(CRAMFS_LZMA, getenv("SRC"));
}

static void test_carved(void **state)
{
	(void)state;
	th_tree_carved("img!cramfs@0x1004!/etc/passwd", TH_CARVE_EXPLAINED,
		       "mkfs.cramfs -N big src fs >/dev/null && head -c 4100 /dev/zero > img && "
		       "cat fs >> img && head -c 3000 /dev/zero | tr '\\0' '\\377' >> img");
}

static void test_binwalk_fixture(void **state)
{
	struct pst_scan *s;
	(void)state;
	s = th_scan(FIXTURE_DIR "/binwalk/cramfs.bin", 1);
	assert_string_equal(pst_scan_root(s)->format, "cramfs");
	assert_int_equal(pst_scan_coverage(s)->files, 2);   /* the image and its one file */
	assert_int_equal(th_count_nodes(s, "cramfs.bin!/"), 1);
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
}

static void test_crc_mismatch_reported(void **state)
{
	char img[4200], *d;
	struct pst_scan *s;
	(void)state;
	/* flip one byte of the random file's compressed data, well past the inodes */
	d = th_tree_fixture(img, "mkfs.cramfs src img >/dev/null && printf '\\001' | "
			    "dd of=img bs=1 seek=$(( $(stat -c %%s img) - 100 )) conv=notrunc 2>/dev/null");
	s = th_scan(img, 1);
	assert_non_null(th_finding(s, "unpack.damaged", "img"));
	assert_true(pst_scan_coverage(s)->incomplete > 0);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_damaged(void **state)
{
	(void)state;
	th_tree_damaged("mkfs.cramfs -N big src img >/dev/null");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_little),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_padded_holes),
		cmocka_unit_test(test_lzma_jungo),
		cmocka_unit_test(test_lzma_damaged),
		cmocka_unit_test(test_carved),
		cmocka_unit_test(test_binwalk_fixture),
		cmocka_unit_test(test_crc_mismatch_reported),
		cmocka_unit_test(test_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
