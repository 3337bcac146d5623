/* test_squashfs_old.c - squashfs 2.x/3.x: binwalk's big-endian 2.0 LZMA image
 * opens fully; 2.0 and 2.1 images of both byte orders (checked against
 * Debian's unsquashfs) and 3.1 images of both byte orders, gzip and both
 * vendor LZMA framings, made by tests/tools/mksquashfs3.py, read back equal
 * to their source; so do DD-WRT's 3.0 images (per-block pb/lc/lp header
 * under hsqt/tqsh and under the standard and sqlzma magics), a 3.0 image
 * under "sqlz", and 4.0 LZMA images (mksquashfs's and the vendor framings);
 * damaged images never crash and say so. */
#include "th_tree.h"

static void test_v2_fixture(void **state)
{
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	s = th_scan(FIXTURE_DIR "/binwalk/squashfs_v2.bin", 2);
	/* 431 inodes: the root directory and 430 entries below it; and in
	 * /etc/tinybridge.w, a CFE boot loader's size-less LZMA stream (props
	 * 0x5d, no size field, no end marker) and what it decodes to. */
	assert_int_equal(th_count_nodes(s, "squashfs_v2.bin!/"), 432);
	n = th_node(s, "!/etc/tinybridge.w!lzma@0x5494!/data");
	assert_non_null(n);
	assert_int_equal(n->size, 769876);
	assert_int_equal(n->flags & PST_NODE_TRUNCATED, 0);
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	assert_int_equal(pst_scan_coverage(s)->links, 68);
	assert_int_equal(pst_scan_coverage(s)->dirs, 28);
	assert_int_equal(pst_scan_coverage(s)->specials, 71);
	n = th_node(s, "!/bin/busybox");
	assert_non_null(n);
	assert_int_equal(n->kind, PST_KIND_ELF);
	assert_int_equal(n->elf.endian, 2);
	n = th_node(s, "!/etc/passwd");
	assert_non_null(n);
	assert_string_equal(n->link, "/var/passwd");
	n = th_node(s, "!/etc/init.d/rcS");
	assert_non_null(n);
	assert_int_equal(n->kind, PST_KIND_SCRIPT);
	pst_scan_free(s);
}

/* version: "--major 2 --minor 0" and the like, or "" for 3.1. */
static void roundtrip_v(const char *version, const char *endian, const char *comp)
{
	char img[4200], *d;
	struct pst_scan *s;
	const struct pst_node *n;

	d = th_tree_fixture(img, "mkdir src/dev && mkfifo src/dev/fifo && python3 %s/tests/tools/mksquashfs3.py "
			    "src img %s --endian %s --comp %s --dev /dev/console:c:5:1 --dev /dev/mtdblock0:b:31:0",
			    getenv("SRC"), version, endian, comp);
	/* the two injected devices come on top of the source tree */
	s = th_tree_roundtrip_scan(d, TH_TREE_OWNER, 2, "squashfs-old");
	n = th_node(s, "img!/dev/console");
	assert_non_null(n);
	assert_int_equal(n->mode & S_IFMT, S_IFCHR);
	n = th_node(s, "img!/dev/mtdblock0");
	assert_non_null(n);
	assert_int_equal(n->mode & S_IFMT, S_IFBLK);
	pst_scan_free(s);
	th_rmtree(d);
}

static void roundtrip(const char *endian, const char *comp)
{
	roundtrip_v("", endian, comp);
}

static void test_v3_le_gzip(void **state) { (void)state; roundtrip("little", "gzip"); }
static void test_v3_be_gzip(void **state) { (void)state; roundtrip("big", "gzip"); }
static void test_v3_le_lzma(void **state) { (void)state; roundtrip("little", "lzma"); }
static void test_v3_be_lzma(void **state) { (void)state; roundtrip("big", "lzma"); }
static void test_v3_le_lzma_props(void **state) { (void)state; roundtrip("little", "lzma-props"); }
static void test_v3_be_lzma_props(void **state) { (void)state; roundtrip("big", "lzma-props"); }

/* DD-WRT's squashfs 3.0: its LZMA blocks under its own magic and under
 * the standard and sqlzma ones, both byte orders. */
static void test_v30_le_ddwrt(void **state) { (void)state; roundtrip_v("--minor 0 --magic ddwrt", "little", "ddwrt"); }
static void test_v30_be_ddwrt(void **state) { (void)state; roundtrip_v("--minor 0 --magic ddwrt", "big", "ddwrt"); }
static void test_v30_be_std_ddwrt(void **state) { (void)state; roundtrip_v("--minor 0", "big", "ddwrt"); }
static void test_v30_le_sqlzma_ddwrt(void **state) { (void)state; roundtrip_v("--minor 0 --magic sqlzma", "little", "ddwrt"); }
static void test_v30_be_sqlz_lzma(void **state) { (void)state; roundtrip_v("--minor 0 --magic sqlz", "big", "lzma"); }

/* Carved out of a raw image at an odd offset, as in a TRX part. */
static void test_v30_ddwrt_carved(void **state)
{
	(void)state;
	th_tree_carved("img!squashfs-old@0x1003!/etc/passwd", TH_CARVE_EXPLAINED,
		       "python3 %s/tests/tools/mksquashfs3.py src fs --endian big --minor 0 --comp ddwrt "
		       "--magic ddwrt && head -c 4099 /dev/zero > img && cat fs >> img && "
		       "head -c 1000 /dev/zero >> img", getenv("SRC"));
}

static void test_v30_ddwrt_damaged(void **state)
{
	(void)state;
	th_tree_damaged("python3 %s/tests/tools/mksquashfs3.py src img --endian little --minor 0 --comp ddwrt "
			"--magic ddwrt", getenv("SRC"));
}

/* A renamed magic over a superblock that is not squashfs 3.x stays unclaimed. */
static void test_ddwrt_magic_needs_superblock(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && { printf tqsh; head -c 8000 /dev/zero | tr '\\0' '\\7'; } > img", d);
	snprintf(path, sizeof(path), "%s/img", d);
	s = th_scan(path, 1);
	assert_null(pst_scan_root(s)->format);
	assert_null(pst_scan_root(s)->child);
	pst_scan_free(s);
	th_rmtree(d);
}

/* squashfs 2.0 and 2.1, both byte orders: gzip as mksquashfs 2.x wrote it,
 * LZMA as vendors patched it in. */
static void test_v20_le_gzip(void **state) { (void)state; roundtrip_v("--major 2 --minor 0", "little", "gzip"); }
static void test_v20_be_gzip(void **state) { (void)state; roundtrip_v("--major 2 --minor 0", "big", "gzip"); }
static void test_v21_le_gzip(void **state) { (void)state; roundtrip_v("--major 2 --minor 1", "little", "gzip"); }
static void test_v21_be_gzip(void **state) { (void)state; roundtrip_v("--major 2 --minor 1", "big", "gzip"); }
static void test_v21_be_lzma(void **state) { (void)state; roundtrip_v("--major 2", "big", "lzma"); }

/* The 2.x generator checked by an independent reader: Debian's unsquashfs
 * (squashfs-tools reads 2.x gzip images) extracts the same tree. */
static void test_v2_generator_vs_unsquashfs(void **state)
{
	char img[4200], *d;
	(void)state;
	d = th_tree_fixture(img, "python3 %s/tests/tools/mksquashfs3.py src img --major 2 --endian big && "
			    "unsquashfs -n -d out img >/dev/null 2>&1 && diff -r --no-dereference src out && "
			    "[ \"$(unsquashfs -s img 2>/dev/null | grep -c 'big endian SQUASHFS 2:1')\" = 1 ]", getenv("SRC"));
	th_rmtree(d);
}

static void test_v2_carved(void **state)
{
	(void)state;
	th_tree_carved("img!squashfs-old@0x20040!/usr/share/deep/er/numbers", 0,
		       "python3 %s/tests/tools/mksquashfs3.py src fs --major 2 --endian little && "
		       "head -c 131136 /dev/zero > img && cat fs >> img && head -c 999 /dev/zero >> img",
		       getenv("SRC"));
}

static void test_v2_generated_damaged(void **state)
{
	(void)state;
	th_tree_damaged("python3 %s/tests/tools/mksquashfs3.py src img --major 2 --minor 0 --endian little",
			getenv("SRC"));
}

/* squashfs 4.0 with LZMA: the vendors' properties-only framing is ours;
 * mksquashfs's own framing (lzma-alone with sizes) is left to the
 * libsquashfs unpacker. */
static void v4(const char *mk, const char *format)
{
	char img[4200];
	char *d = th_tree_fixture(img, "mkfifo src/fifo && %s", mk);
	th_tree_roundtrip(d, TH_TREE_OWNER, format);
}

static void test_v4_mksquashfs_lzma(void **state)
{
	(void)state;
	v4("mksquashfs src img -comp lzma -noappend -quiet >/dev/null", "squashfs");
}

static void test_v4_vendor_lzma_props(void **state)
{
	char mk[512];
	(void)state;
	snprintf(mk, sizeof(mk), "python3 %s/tests/tools/mksquashfs3.py src img --major 4 --comp lzma-props",
		 getenv("SRC"));
	v4(mk, "squashfs-old");
}

static void test_v4_damaged(void **state)
{
	(void)state;
	th_tree_damaged("python3 %s/tests/tools/mksquashfs3.py src img --major 4 --comp lzma-props",
			getenv("SRC"));
}

/* A router-style layout: padding, then the filesystem at an odd offset, then
 * more padding; carving must find it. */
static void test_v3_carved(void **state)
{
	(void)state;
	th_tree_carved("img!squashfs-old@0x10000!/etc/passwd", 0,
		       "python3 %s/tests/tools/mksquashfs3.py src fs --endian big --comp lzma && "
		       "head -c 65536 /dev/zero | tr '\\0' '\\377' > img && cat fs >> img && "
		       "head -c 1000 /dev/zero >> img", getenv("SRC"));
}

static void test_v3_damaged(void **state)
{
	(void)state;
	th_tree_damaged("python3 %s/tests/tools/mksquashfs3.py src img --endian little --comp lzma-props",
			getenv("SRC"));
}

static void test_v2_damaged(void **state)
{
	char *d = th_tmpdir();
	(void)state;
	th_mangle(FIXTURE_DIR "/binwalk/squashfs_v2.bin", d);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_fixture),
		cmocka_unit_test(test_v3_le_gzip),
		cmocka_unit_test(test_v3_be_gzip),
		cmocka_unit_test(test_v3_le_lzma),
		cmocka_unit_test(test_v3_be_lzma),
		cmocka_unit_test(test_v3_le_lzma_props),
		cmocka_unit_test(test_v3_be_lzma_props),
		cmocka_unit_test(test_v3_carved),
		cmocka_unit_test(test_v30_le_ddwrt),
		cmocka_unit_test(test_v30_be_ddwrt),
		cmocka_unit_test(test_v30_be_std_ddwrt),
		cmocka_unit_test(test_v30_le_sqlzma_ddwrt),
		cmocka_unit_test(test_v30_be_sqlz_lzma),
		cmocka_unit_test(test_v30_ddwrt_carved),
		cmocka_unit_test(test_v30_ddwrt_damaged),
		cmocka_unit_test(test_ddwrt_magic_needs_superblock),
		cmocka_unit_test(test_v20_le_gzip),
		cmocka_unit_test(test_v20_be_gzip),
		cmocka_unit_test(test_v21_le_gzip),
		cmocka_unit_test(test_v21_be_gzip),
		cmocka_unit_test(test_v21_be_lzma),
		cmocka_unit_test(test_v2_generator_vs_unsquashfs),
		cmocka_unit_test(test_v2_carved),
		cmocka_unit_test(test_v2_generated_damaged),
		cmocka_unit_test(test_v4_mksquashfs_lzma),
		cmocka_unit_test(test_v4_vendor_lzma_props),
		cmocka_unit_test(test_v4_damaged),
		cmocka_unit_test(test_v3_damaged),
		cmocka_unit_test(test_v2_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
