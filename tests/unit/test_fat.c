/* test_fat.c - FAT12/16/32 volumes (mkfs.vfat + mtools) with long and
 * non-ASCII names read back equal to their source (FAT keeps no owners or
 * permissions), carved out of a raw image, boot records that are not FAT
 * volumes, and damaged volumes. */
#include "th_tree.h"

static void make_src(const char *d)
{
	th_sh("cd %s && mkdir -p src/etc/init.d src/bin src/usr/share/deep/er src/empty && "
	      "printf 'root::0:0:root:/root:/bin/sh\\n' > src/etc/passwd && "
	      "seq 1 60000 > src/usr/share/deep/er/numbers && randbytes 150000 test_fat1 > src/bin/random && "
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

/* A volume inside a raw image at an odd sector (19 * 512), after padding. */
static void test_carved(void **state)
{
	char *d = th_tmpdir(), img[4200];
	struct pst_scan *s;
	(void)state;
	make_src(d);
	th_sh("cd %s && mkfs.vfat -F 32 -C fs 40000 >/dev/null && MTOOLS_SKIP_CHECK=1 mcopy -s -i fs src/* ::/ && "
	      "head -c 9728 /dev/zero | tr '\\0' '\\377' > img && cat fs >> img && head -c 4096 /dev/zero >> img", d);
	snprintf(img, sizeof(img), "%s/img", d);
	s = th_scan(img, 2);
	assert_non_null(th_node(s, "img!fat@0x2600!/usr/share/deep/er/numbers"));
	assert_non_null(th_node(s, "img!fat@0x2600!/etc/A Long Name With Spaces.conf"));
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

/* A volume embedded at an offset no sector boundary explains, as GRUB embeds
 * its memdisk in grubx64.efi (there at 0x14f380). */
static void test_carved_unaligned(void **state)
{
	char *d = th_tmpdir(), img[4200];
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && mkdir -p src && printf 'set root=(memdisk)\\n' > src/grub.cfg && "
	      "mkfs.vfat -C fs 256 >/dev/null && MTOOLS_SKIP_CHECK=1 mcopy -i fs src/grub.cfg ::/grub.cfg && "
	      "randbytes 4992 test_fat2 > img && cat fs >> img && randbytes 333 test_fat3 >> img", d);
	snprintf(img, sizeof(img), "%s/img", d);
	s = th_scan(img, 2);
	assert_non_null(th_node(s, "img!fat@0x1380!/grub.cfg"));
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

/* Boot records that are not FAT volumes (an MBR, a boot sector whose FAT
 * lacks its signature) and 55 aa by chance in random bytes: not carved. */
static void test_not_fat(void **state)
{
	char *d = th_tmpdir(), img[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	th_sh("cd %s && mkfs.vfat -F 16 -C fs 32768 >/dev/null && randbytes 200000 test_fat4 > img && "
	      "for at in 1000 5000 33333; do printf '\\125\\252' | dd of=img bs=1 seek=$at conv=notrunc 2>/dev/null; done && "
	      "head -c 512 fs | dd of=img bs=1 seek=65536 conv=notrunc 2>/dev/null && "
	      "printf '\\353\\143\\220' | dd of=img bs=1 seek=131072 conv=notrunc 2>/dev/null && "
	      "printf '\\125\\252' | dd of=img bs=1 seek=$((131072 + 510)) conv=notrunc 2>/dev/null", d);
	snprintf(img, sizeof(img), "%s/img", d);
	s = th_scan(img, 2);
	for (n = pst_scan_root(s); n; n = pst_node_next(n))
		assert_true(!n->format || strcmp(n->format, "fat") != 0);
	pst_scan_free(s);
	th_rmtree(d);
}

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

/* A file whose cluster chain breaks after its first cluster (its FAT16
 * entry zeroed in the first FAT, the one read) is found when it is loaded:
 * the file is reported damaged and incomplete, the volume and the other
 * files are not, and the undamaged volume's files read back whole. */
static void test_broken_chain_at_load(void **state)
{
	static const char *const bad[] = { "img!/bin/blob" };
	char *d = th_damage_src("test_fat5");
	(void)state;
	th_sh("cd %s && mkfs.vfat -F 16 -R 4 -S 512 -s 4 -C img 20000 >/dev/null && "
	      "MTOOLS_SKIP_CHECK=1 mcopy -s -i img src/* ::/", d);
	pst_scan_free(th_tree_roundtrip_scan(d, TH_TREE_NOPERM, 0, "fat"));
	th_sh("cd %s && c=$(MTOOLS_SKIP_CHECK=1 mshowfat -i img ::/bin/blob | "
	      "sed 's/.*<\\([0-9]*\\)-.*/\\1/') && "
	      "printf '\\0\\0' | dd of=img bs=1 seek=$((4 * 512 + 2 * c)) conv=notrunc "
	      "2>/dev/null", d);
	/* what was read of the file: its first cluster */
	th_damaged_at_load(d, bad, 1, 2048, "img!/etc/passwd", 25);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fat12),
		cmocka_unit_test(test_fat16),
		cmocka_unit_test(test_fat32),
		cmocka_unit_test(test_carved),
		cmocka_unit_test(test_carved_unaligned),
		cmocka_unit_test(test_not_fat),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_broken_chain_at_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
