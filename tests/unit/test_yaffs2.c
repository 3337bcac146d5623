/* test_yaffs2.c - YAFFS2 NAND images of the common page/spare layouts, both
 * byte orders, tags at spare offset 0 and 2 (tests/tools/mkyaffs2.py, there
 * being no mkyaffs2image in Debian), a rewritten file whose newest chunks
 * win, hard links, binwalk's sample, and damaged images, also a file whose
 * data is found missing when it is loaded. */
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

#define MKYAFFS2 "python3 %s/tests/tools/mkyaffs2.py "

static size_t count_format(const struct pst_scan *s, const char *format)
{
	const struct pst_node *n;
	size_t k = 0;
	for (n = pst_scan_root(s); n; n = pst_node_next(n))
		if (n->format && strcmp(n->format, format) == 0)
			k++;
	return k;
}

/* A partition inside a raw flash dump, after a block of erased pages. */
static void test_carved(void **state)
{
	(void)state;
	th_tree_carved("img!yaffs2@0x21000!/etc/passwd", TH_CARVE_EXPLAINED,
		       MKYAFFS2 "src fs && head -c 135168 /dev/zero | tr '\\0' '\\377' > img && "
		       "cat fs >> img && head -c 3000 /dev/zero >> img", getenv("SRC"));
}

/* Big-endian small pages after random bytes, at an odd offset, then a FAT
 * volume at a sector boundary: both found, each ending where it ends. */
static void test_carved_be_then_fat(void **state)
{
	char img[4200], *d;
	struct pst_scan *s;
	(void)state;
	d = th_tree_fixture(img, MKYAFFS2 "src fs --page 512 --spare 16 --endian big --no-pad && "
			    "mkfs.vfat -F 12 -C vfat 2000 >/dev/null && "
			    "MTOOLS_SKIP_CHECK=1 mcopy -i vfat src/etc/passwd ::/passwd && "
			    "randbytes 5001 test_yaffs21 > img && cat fs >> img && s=$(stat -c %%s img) && "
			    "head -c $(( (s / 512 + 3) * 512 - s )) /dev/zero >> img && "
			    "printf '%%x' $(stat -c %%s img) > fatoff && cat vfat >> img && "
			    "head -c 700 /dev/zero >> img", getenv("SRC"));
	s = th_scan(img, 2);
	{
		char loc[4300], path[4300];
		size_t len;
		uint8_t *off;
		snprintf(path, sizeof(path), "%s/fatoff", d);
		off = th_read(path, &len);
		off[len] = 0;
		assert_non_null(th_node(s, "img!yaffs2@0x1389!/etc/passwd"));
		assert_non_null(th_node(s, "img!yaffs2@0x1389!/usr/share/deep/er/numbers"));
		snprintf(loc, sizeof(loc), "img!fat@0x%s!/passwd", (const char *)off);
		assert_non_null(th_node(s, loc));
		free(off);
	}
	assert_int_equal(th_count_nodes(s, "img!yaffs2@"), th_count_nodes(s, "img!yaffs2@0x1389"));
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

/* The anchor bytes by chance (a root-entry header with a name), and a real
 * first chunk followed by random pages: neither is a partition. */
static void test_chance_anchors(void **state)
{
	char img[4200], *d;
	struct pst_scan *s;
	(void)state;
	d = th_tree_fixture(img, MKYAFFS2 "src fs && randbytes 300000 test_yaffs22 > img && "
			    "for at in 1000 70001 140000; do printf '\\001\\0\\0\\0\\001\\0\\0\\0\\377\\377passwd\\0' | "
			    "dd of=img bs=1 seek=$at conv=notrunc 2>/dev/null; done && "
			    "head -c 2112 fs | dd of=img bs=1 seek=200000 conv=notrunc 2>/dev/null", getenv("SRC"));
	s = th_scan(img, 2);
	assert_int_equal(th_count_nodes(s, "img!yaffs2"), 0);
	pst_scan_free(s);
	th_rmtree(d);
}

/* Every other sample carries no YAFFS2 or FAT: nothing is carved out of them. */
static void test_clean_fixtures(void **state)
{
	static const char *const names[] = { "7z.bin", "arcadyan.bin", "bzip2.bin", "cramfs.bin", "gzip.bin",
					     "romfs.bin", "squashfs.bin", "squashfs_v2.bin", "zip_truncated.bin" };
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[4200];
		struct pst_scan *s;
		snprintf(path, sizeof(path), FIXTURE_DIR "/binwalk/%s", names[i]);
		s = th_scan(path, 2);
		assert_int_equal(count_format(s, "yaffs2") + count_format(s, "fat"), 0);
		pst_scan_free(s);
	}
}

static void test_damaged(void **state)
{
	(void)state;
	/* no erased pages at the end: a cut there would lose nothing */
	th_tree_damaged("python3 %s/tests/tools/mkyaffs2.py src img --no-pad", getenv("SRC"));
}

/* A random file's second data chunk is erased (page and spare 0xff, as a
 * block erased under it would be): the walk is whole, the file is read when
 * it is examined and its data is found missing then, so the file itself is
 * reported incomplete and damaged (before: only the filesystem, "data
 * chunks missing"). The other file is whole. */
static void test_damaged_at_load(void **state)
{
	static const char *const bad = "img!/bin/blob";
	char *d = th_damage_src("test_yaffs23");
	(void)state;
	th_sh("cd %s && " MKYAFFS2 "src img && "
	      "python3 -c 'd = bytearray(open(\"img\", \"rb\").read())\n"
	      "s = open(\"src/bin/blob\", \"rb\").read()[2148:2180]; i = d.find(s)\n"
	      "assert i > 0 and d.find(s, i + 1) < 0 and (i - 100) %% 2112 == 0\n"
	      "d[i - 100:i - 100 + 2112] = b\"\\xff\" * 2112\n"
	      "open(\"img\", \"wb\").write(d)'", d, getenv("SRC"));
	th_damaged_at_load(d, &bad, 1, 20000, "img!/etc/passwd", 25);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_2048_le),
		cmocka_unit_test(test_2048_be_off2),
		cmocka_unit_test(test_512_le),
		cmocka_unit_test(test_4096_be),
		cmocka_unit_test(test_binwalk_fixture),
		cmocka_unit_test(test_carved),
		cmocka_unit_test(test_carved_be_then_fat),
		cmocka_unit_test(test_chance_anchors),
		cmocka_unit_test(test_clean_fixtures),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_damaged_at_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
