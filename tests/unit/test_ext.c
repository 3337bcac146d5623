/* test_ext.c - ext2/3/4 through libext2fs over memory: mke2fs -d and
 * genext2fs images read back equal to their source, carved out of a raw
 * image, and damaged images; files read on demand (ext_data.c's loaders):
 * holes, and blocks that cannot be read when the file is loaded. */
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

/* Sparse files (holes inside and at the end, a hole only) and a file of
 * more extents than the inode holds read back equal to their source. */
static void test_holes(void **state)
{
	(void)state;
	roundtrip("truncate -s 1M src/sparse && printf x | dd of=src/sparse bs=1 seek=500000 "
		  "conv=notrunc 2>/dev/null && truncate -s 300000 src/hole && "
		  "for i in $(seq 0 2 40); do head -c 4096 /dev/urandom | "
		  "dd of=src/frag bs=4096 seek=$i conv=notrunc 2>/dev/null; done && "
		  "mke2fs -q -t ext4 -b 4096 -d src img 8M");
}

/* A file's second block points past the image (set by debugfs after
 * mke2fs): the walk is whole, the file is read when it is examined and
 * that read fails there, so the file itself is reported incomplete and
 * damaged (before: only the filesystem, "blocks referenced past the
 * image", and the file looked whole). The other files are examined. */
static void test_unreadable_at_load(void **state)
{
	char *d = th_tmpdir(), path[4200];
	unsigned jobs;
	(void)state;
	th_sh("cd %s && mkdir -p src/etc && head -c 20000 /dev/urandom > src/etc/blob && "
	      "printf 'root::19000:0:99999:7:::\n' > src/etc/shadow && truncate -s 2M img && "
	      "mke2fs -q -t ext4 -d src img && "
	      "debugfs -w -R 'sif /etc/blob bmap[1] 1500000' img 2>/dev/null", d);
	snprintf(path, sizeof(path), "%s/img", d);
	for (jobs = 1; jobs <= 2; jobs++) {
		struct pst_scan *s = th_scan(path, jobs);
		const struct pst_node *n = th_node(s, "img!/etc/blob");
		assert_non_null(n);
		assert_true(n->flags & PST_NODE_INCOMPLETE);
		assert_int_equal(n->size, 20000);
		assert_non_null(th_finding(s, "unpack.damaged", "img!/etc/blob"));
		assert_false(th_node(s, "img")->flags & PST_NODE_INCOMPLETE);
		n = th_node(s, "img!/etc/shadow");
		assert_non_null(n);
		assert_int_equal(n->size, 25);
		assert_false(n->flags & PST_NODE_INCOMPLETE);
		pst_scan_free(s);
	}
	th_rmtree(d);
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
		cmocka_unit_test(test_holes),
		cmocka_unit_test(test_unreadable_at_load),
		cmocka_unit_test(test_deep_nesting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
