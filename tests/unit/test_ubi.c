/* test_ubi.c - UBIFS images (mkfs.ubifs, each compressor) read back equal
 * to their source; UBI images (ubinize) with a UBIFS volume and a static
 * volume, named from the volume table; carving; damaged images; a file
 * whose data is found damaged when it is loaded. */
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

/* A random (so stored uncompressed) file's second data node names an
 * unknown compressor, its CRC made good again: the walk is whole, the file
 * is decoded when it is examined and that fails there, so the file itself
 * is reported incomplete and damaged (before: only the filesystem, "data
 * nodes do not decode"). The other file is whole. */
static void test_damaged_at_load(void **state)
{
	static const char *const bad = "img!/bin/blob";
	char *d = th_damage_src("test_ubi2");
	(void)state;
	th_sh("cd %s && mkfs.ubifs -q -r src -m 2048 -e 129024 -c 64 -x none -o img && "
	      "python3 -c 'import struct, zlib\n"
	      "d = bytearray(open(\"img\", \"rb\").read())\n"
	      "s = open(\"src/bin/blob\", \"rb\").read()[4196:4228]; i = d.find(s)\n"
	      "assert i > 0 and d.find(s, i + 1) < 0\n"
	      "n = i - 100 - 48\n"
	      "assert d[n:n + 4] == bytes([0x31, 0x18, 0x10, 0x06]) and d[n + 20] == 1\n"
	      "d[n + 44] = 9\n"
	      "ln = struct.unpack_from(\"<I\", d, n + 16)[0]\n"
	      "struct.pack_into(\"<I\", d, n + 4, zlib.crc32(d[n + 8:n + ln]) ^ 0xffffffff)\n"
	      "open(\"img\", \"wb\").write(d)'", d);
	th_damaged_at_load(d, &bad, 1, 20000, "img!/etc/passwd", 25);
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
		cmocka_unit_test(test_damaged_at_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
