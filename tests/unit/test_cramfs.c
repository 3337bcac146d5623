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

/* A block of a file's data that no longer decodes (a byte of the image's
 * last compressed block flipped, the CRC made right again, so that only
 * loading the file finds out) is the file's damage: the file is reported
 * damaged and incomplete with the blocks before it, the image and the other
 * files are not; the undamaged image's files read back whole. */
static void test_undecodable_at_load(void **state)
{
	static const char *const bad[] = { "img!/etc/zblob" };
	char *d = th_tmpdir();
	(void)state;
	th_sh("cd %s && mkdir -p src/etc && seq 1 20000 > src/etc/zblob && "
	      "printf 'root::19000:0:99999:7:::\n' > src/etc/shadow && "
	      "mkfs.cramfs -N little src img >/dev/null", d);
	pst_scan_free(th_tree_roundtrip_scan(d, TH_TREE_OWNER, 0, "cramfs"));
	th_sh("cd %s && python3 -c 'import struct, zlib; "
	      "b = bytearray(open(\"img\", \"rb\").read()); "
	      "b[len(bytes(b).rstrip(bytes(1))) - 10] ^= 0x55; b[32:36] = bytes(4); "
	      "struct.pack_into(\"<I\", b, 32, zlib.crc32(b)); open(\"img\", \"wb\").write(b)'", d);
	/* zblob: 108894 bytes, 26 whole blocks before its last */
	th_damaged_at_load(d, bad, 1, 26 * 4096, "img!/etc/shadow", 25);
	th_rmtree(d);
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
		cmocka_unit_test(test_undecodable_at_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
