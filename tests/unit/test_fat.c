/* test_fat.c - FAT12/16/32 volumes (mkfs.vfat + mtools) with long and
 * non-ASCII names read back equal to their source (FAT keeps no owners or
 * permissions), and damaged volumes. */
#include "th_tree.h"

static void make_src(const char *d)
{
	th_sh("cd %s && mkdir -p src/etc/init.d src/bin src/usr/share/deep/er src/empty && "
	      "printf 'root::0:0:root:/root:/bin/sh\\n' > src/etc/passwd && "
	      "seq 1 60000 > src/usr/share/deep/er/numbers && head -c 150000 /dev/urandom > src/bin/random && "
	      ": > src/etc/empty && echo hi > 'src/etc/A Long Name With Spaces.conf' && "
	      "echo x > src/etc/Grüße.txt && echo y > src/BOOT.INI", d);
}

static void roundtrip(const char *mkfs)
{
	char *d = th_tmpdir();

	make_src(d);
	th_sh("cd %s && %s >/dev/null && MTOOLS_SKIP_CHECK=1 mcopy -s -i img src/* ::/", d, mkfs);
	th_tree_roundtrip(d, TH_TREE_NOPERM, "fat");
}

static void test_fat12(void **state) { (void)state; roundtrip("mkfs.vfat -F 12 -C img 4000"); }
static void test_fat16(void **state) { (void)state; roundtrip("mkfs.vfat -F 16 -C img 32768"); }
static void test_fat32(void **state) { (void)state; roundtrip("mkfs.vfat -F 32 -C img 40000"); }

static void test_damaged(void **state)
{
	char *d = th_tmpdir(), img[4200];
	(void)state;
	make_src(d);
	th_sh("cd %s && mkfs.vfat -F 12 -C img 1200 >/dev/null && MTOOLS_SKIP_CHECK=1 mcopy -s -i img src/* ::/", d);
	snprintf(img, sizeof(img), "%s/img", d);
	th_mangle(img, d);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fat12),
		cmocka_unit_test(test_fat16),
		cmocka_unit_test(test_fat32),
		cmocka_unit_test(test_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
