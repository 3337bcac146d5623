/* test_ext.c - ext2/3/4 through libext2fs over memory: mke2fs -d and
 * genext2fs images read back equal to their source, carved out of a raw
 * image, and damaged images. */
#include "th_tree.h"

static void roundtrip_flags(const char *mk, unsigned flags)
{
	char img[4200];
	char *d = th_tree_fixture(img, "mkfifo src/fifo && ln src/etc/passwd src/etc/passwd.hard && %s", mk);
	/* lost+found comes on top of the source tree */
	struct pst_scan *s = th_tree_roundtrip_scan(d, flags, 1, "ext");
	if (!(flags & TH_TREE_NOPERM))
		assert_int_equal(th_node(s, "img!/bin/random")->mode & 07777, 04755);
	assert_non_null(th_node(s, "img!/lost+found"));
	pst_scan_free(s);
	th_rmtree(d);
}

static void roundtrip(const char *mk) { roundtrip_flags(mk, TH_TREE_OWNER); }

static void test_ext2(void **state) { (void)state; roundtrip("mke2fs -q -t ext2 -d src img 4M"); }
static void test_ext3(void **state) { (void)state; roundtrip("mke2fs -q -t ext3 -d src img 8M"); }
static void test_ext4(void **state) { (void)state; roundtrip("mke2fs -q -t ext4 -b 4096 -d src img 8M"); }
static void test_ext4_inline(void **state)
{
	(void)state;
	roundtrip("mke2fs -q -t ext4 -O inline_data,^has_journal -I 256 -d src img 4M");
}
/* genext2fs drops group and other permission bits (debugfs shows the same
 * modes), so permissions are not compared. */
static void test_genext2fs(void **state)
{
	(void)state;
	roundtrip_flags("genext2fs -q -b 2048 -d src img", TH_TREE_OWNER | TH_TREE_NOPERM);
}

static void test_carved(void **state)
{
	(void)state;
	th_tree_carved("img!ext@0x2000!/etc/passwd", 0,
		       "mke2fs -q -t ext2 -d src fs 2M && randbytes 8192 test_ext1 > img && "
		       "cat fs >> img && head -c 3000 /dev/zero >> img");
}

static void test_damaged(void **state)
{
	(void)state;
	th_tree_damaged("mke2fs -q -t ext4 -d src img 2M");
}

/* Recursion over a 600-level tree stops at PST_NEST_MAX (512) with
 * limit.path, on the worker's fixed stack (also under ASan). */
static void test_deep_nesting(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && p=src && for i in $(seq 600); do p=$p/d; done && mkdir -p $p && "
	      "echo deep > $p/bottom && mke2fs -q -t ext2 -d src img 16M", d);
	snprintf(path, sizeof(path), "%s/img", d);
	s = th_scan(path, 2);
	assert_null(th_node(s, "/bottom"));
	assert_int_equal(th_count_nodes(s, "img!/d"), 513);
	assert_non_null(th_finding(s, "limit.path", "img"));
	assert_true(th_node(s, "img")->flags & PST_NODE_INCOMPLETE);
	pst_scan_free(s);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ext2),
		cmocka_unit_test(test_ext3),
		cmocka_unit_test(test_ext4),
		cmocka_unit_test(test_ext4_inline),
		cmocka_unit_test(test_genext2fs),
		cmocka_unit_test(test_carved),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_deep_nesting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
