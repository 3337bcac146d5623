/* test_ubi.c - UBIFS images (mkfs.ubifs, each compressor) read back equal
 * to their source; UBI images (ubinize) with a UBIFS volume and a static
 * volume, named from the volume table; carving; damaged images. */
#include "th_tree.h"

static void ubifs_roundtrip(const char *comp)
{
	char img[4200];
	char *d = th_tree_fixture(img, "mkfifo src/fifo && mkfs.ubifs -q -r src -m 2048 -e 129024 -c 64 -x %s -o img",
				  comp);
	th_tree_roundtrip(d, TH_TREE_OWNER, "ubifs");
}

static void test_ubifs_lzo(void **state) { (void)state; ubifs_roundtrip("lzo"); }
static void test_ubifs_zlib(void **state) { (void)state; ubifs_roundtrip("zlib"); }
static void test_ubifs_zstd(void **state) { (void)state; ubifs_roundtrip("zstd"); }
static void test_ubifs_none(void **state) { (void)state; ubifs_roundtrip("none"); }

static void make_ubi(const char *d, const char *out)
{
	th_tree_make(d);
	th_sh("cd %s && mkfs.ubifs -q -r src -m 2048 -e 129024 -c 64 -x zlib -o fs.ubifs && "
	      "randbytes 300000 test_ubi1 > kernel.bin && "
	      "printf '[kernel]\\nmode=ubi\\nimage=kernel.bin\\nvol_id=0\\nvol_type=static\\nvol_name=kernel\\n"
	      "[rootfs]\\nmode=ubi\\nimage=fs.ubifs\\nvol_id=1\\nvol_type=dynamic\\nvol_name=rootfs\\n"
	      "vol_size=4MiB\\n' > ubi.ini && ubinize -o %s -m 2048 -p 128KiB -s 512 ubi.ini 2>/dev/null",
	      d, out);
}

static void test_ubi_volumes(void **state)
{
	char *d = th_tmpdir(), img[4200], src[4200], kern[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	size_t len;
	uint8_t *p, sha[32];
	(void)state;
	make_ubi(d, "img");
	snprintf(img, sizeof(img), "%s/img", d);
	snprintf(src, sizeof(src), "%s/src", d);
	snprintf(kern, sizeof(kern), "%s/kernel.bin", d);
	s = th_scan(img, 2);
	n = th_node(s, "img!/kernel");
	assert_non_null(n);
	p = th_read(kern, &len);
	pst_sha256(p, len, sha);
	free(p);
	assert_int_equal(n->size, len);
	assert_memory_equal(sha, n->sha256, 32);
	n = th_node(s, "img!/rootfs");
	assert_non_null(n);
	assert_string_equal(n->format, "ubifs");
	th_tree_equal(s, src, TH_TREE_OWNER);
	assert_non_null(th_node(s, "img!/rootfs!/etc/passwd"));
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_ubi_carved(void **state)
{
	char *d = th_tmpdir(), img[4200];
	struct pst_scan *s;
	(void)state;
	make_ubi(d, "ubi.img");
	th_sh("cd %s && head -c 262144 /dev/zero > img && cat ubi.img >> img", d);
	snprintf(img, sizeof(img), "%s/img", d);
	s = th_scan(img, 2);
	assert_non_null(th_node(s, "img!ubi@0x40000!/rootfs!/etc/passwd"));
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_damaged(void **state)
{
	char *d = th_tmpdir(), img[4200];
	(void)state;
	make_ubi(d, "img");
	snprintf(img, sizeof(img), "%s/img", d);
	th_mangle(img, d);
	snprintf(img, sizeof(img), "%s/fs.ubifs", d);
	th_mangle(img, d);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ubifs_lzo),
		cmocka_unit_test(test_ubifs_zlib),
		cmocka_unit_test(test_ubifs_zstd),
		cmocka_unit_test(test_ubifs_none),
		cmocka_unit_test(test_ubi_volumes),
		cmocka_unit_test(test_ubi_carved),
		cmocka_unit_test(test_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
