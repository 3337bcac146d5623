/* test_firmware.c - U-Boot legacy images and device trees, alone and inside
 * raw images. */
#include "helpers.h"

static void make_payload(const char *d)
{
	th_sh("cd %s && seq 1 30000 > kernel && printf 'console=ttyS0 init=/sbin/init\\n' > script", d);
}

static void test_uimage_compressions(void **state)
{
	static const struct {
		const char *comp, *tool;
	} t[] = {
		{ "none", "cat" }, { "gzip", "gzip -n -c" }, { "bzip2", "bzip2 -c" },
		{ "lzma", "xz --format=lzma -c" }, { "zstd", "zstd -q -c" }, { "lz4", "lz4 -q -l -c" },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *d = th_tmpdir(), path[4200];
		struct pst_scan *s;
		const struct pst_node *n, *k;
		make_payload(d);
		th_sh("cd %s && %s kernel > k.c && mkimage -A mips -O linux -T kernel -C %s -a 0x80000000 "
		      "-e 0x80000000 -n test -d k.c uImage > /dev/null", d, t[i].tool, t[i].comp);
		snprintf(path, sizeof(path), "%s/uImage", d);
		s = th_scan(path, 2);
		n = pst_scan_root(s);
		assert_string_equal(n->format, "uimage");
		k = th_node(s, "uImage!/kernel");
		if (strcmp(t[i].comp, "lz4") == 0 && (!k || k->size != 168894)) {
			/* U-Boot's lz4 is the legacy frame some mkimage builds write;
			 * the frame decoder must at least not claim success wrongly. */
			pst_scan_free(s);
			th_rmtree(d);
			continue;
		}
		if (!k)
			fail_msg("no kernel child with -C %s", t[i].comp);
		assert_int_equal(k->size, 168894);
		assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
		pst_scan_free(s);
		th_rmtree(d);
	}
}

/* A header that lies about the compression: Debian 12's Buffalo
 * initrd.buffalo is an xz ramdisk whose header says gzip (Linux unpacks an
 * initramfs by its magic, so it boots). The ramdisk comes out whole; the
 * same ramdisk gzip-compressed as its header says is unchanged. */
static void test_uimage_ramdisk_lying_comp(void **state)
{
	static const char *const tool[] = { "xz --check=crc32 -c", "gzip -n -c" };
	size_t i;
	(void)state;
	for (i = 0; i < 2; i++) {
		char *d = th_tmpdir(), path[4200];
		struct pst_scan *s;
		const struct pst_node *r;
		make_payload(d);
		th_sh("cd %s && %s kernel > rd.c && mkimage -A arm -O linux -T ramdisk -C gzip "
		      "-a 0 -e 0 -n 'debian-installer ramdisk' -d rd.c initrd.buffalo > /dev/null",
		      d, tool[i]);
		snprintf(path, sizeof(path), "%s/initrd.buffalo", d);
		s = th_scan(path, 1);
		r = th_node(s, "initrd.buffalo!/ramdisk");
		if (!r)
			fail_msg("no ramdisk with %s", tool[i]);
		assert_int_equal(r->size, 168894);
		assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
		assert_null(th_finding(s, "unpack.damaged", NULL));
		pst_scan_free(s);
		th_rmtree(d);
	}
}

static void test_uimage_multi(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	(void)state;
	make_payload(d);
	th_sh("cd %s && seq 1 999 > ramdisk && mkimage -A arm -O linux -T multi -C none -a 0 -e 0 "
	      "-n multi -d kernel:ramdisk:script m.img > /dev/null", d);
	snprintf(path, sizeof(path), "%s/m.img", d);
	s = th_scan(path, 1);
	assert_non_null(th_node(s, "m.img!/part0"));
	assert_int_equal(th_node(s, "m.img!/part0")->size, 168894);
	assert_int_equal(th_node(s, "m.img!/part1")->size, 3888);
	assert_int_equal(th_node(s, "m.img!/part2")->size, 30);
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

/* A U-Boot script image: U-Boot's `source` reads it through a size table
 * and never decompresses it, so neither does postern, whatever the header's
 * compression says (Debian's armhf tftpboot.scr claims gzip and is text). */
static void test_uimage_script(void **state)
{
	static const char *const comps[] = { "none", "gzip" };
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	size_t i;
	(void)state;
	th_sh("cd %s && printf 'setenv bootargs console=ttyS0\\nbootz 0x1000000 - ${fdt_addr_r}\\n' > boot.txt", d);
	for (i = 0; i < 2; i++) {
		th_sh("cd %s && mkimage -A arm -O linux -T script -C %s -n s -d boot.txt s.scr > /dev/null", d, comps[i]);
		snprintf(path, sizeof(path), "%s/s.scr", d);
		s = th_scan(path, 1);
		n = th_node(s, "s.scr!/script");
		if (!n)
			fail_msg("-C %s: no script node", comps[i]);
		assert_int_equal(n->size, 62);
		assert_int_equal(n->kind, PST_KIND_TEXT);
		assert_null(th_finding(s, "unpack.damaged", NULL));
		assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
		pst_scan_free(s);
	}
	th_rmtree(d);
}

/* Makes dir/u, an uncompressed uImage of the payload, flips the bits mask
 * of its byte at, and scans it. */
static struct pst_scan *scan_flipped_uimage(const char *d, size_t at, uint8_t mask)
{
	char path[4200];
	size_t len;
	uint8_t *p;
	make_payload(d);
	th_sh("cd %s && mkimage -A mips -O linux -T kernel -C none -a 0 -e 0 -n t -d kernel u > /dev/null", d);
	snprintf(path, sizeof(path), "%s/u", d);
	p = th_read(path, &len);
	assert_true(at < len);
	p[at] ^= mask;
	th_write(path, p, len);
	free(p);
	return th_scan(path, 1);
}

/* A header whose CRC does not match is not a uImage: no bid, no tree. */
static void test_uimage_bad_header_crc(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	(void)state;
	s = scan_flipped_uimage(d, 40, 1); /* a name byte: the header CRC no longer matches */
	assert_null(pst_scan_root(s)->format);
	assert_null(th_node(s, "!/kernel"));
	pst_scan_free(s);
	th_rmtree(d);
}

/* A payload CRC mismatch still opens, and is reported. */
static void test_uimage_bad_data_crc(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	(void)state;
	s = scan_flipped_uimage(d, 1000, 0x20);
	assert_non_null(th_node(s, "u!/kernel"));
	assert_non_null(th_finding(s, "unpack.damaged", "u"));
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_REVIEW);
	pst_scan_free(s);
	th_rmtree(d);
}

/* A raw flash image: uImage, then 64 KiB-aligned a gzip stream and a
 * device tree, 0xff padding between. Everything is found, nothing is
 * unexplained. */
static void test_raw_flash_layout(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	make_payload(d);
	th_sh("cd %s && gzip -n -c kernel > kernel.gz && mkimage -A mips -O linux -T kernel -C gzip -a 0 -e 0 -n t -d kernel.gz u >/dev/null && "
	      "printf '/dts-v1/;\\n/ { model = \"test\"; chosen { bootargs = \"console=ttyS0 root=/dev/mtdblock2\"; }; };\\n' > t.dts && "
	      "dtc -I dts -O dtb -o t.dtb t.dts 2>/dev/null && "
	      "pad() { s=$(stat -c %%s \"$1\"); r=$(( (65536 - s %% 65536) %% 65536 )); head -c $r /dev/zero | tr '\\0' '\\377' >> \"$1\"; } && "
	      "cp u img && pad img && gzip -n -c script >> img && pad img && cat t.dtb >> img && pad img", d);
	snprintf(path, sizeof(path), "%s/img", d);
	s = th_scan(path, 2);
	assert_non_null(th_node(s, "img!/kernel"));
	assert_non_null(th_node(s, "img!gzip@0x20000!/data"));
	n = th_node(s, "img!dtb@0x30000!/devicetree.txt");
	assert_non_null(n);
	assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 0);
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

/* Bytes between objects that nothing explains are reported with ranges. */
static void test_unexplained_ranges(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	const struct pst_finding *f;
	(void)state;
	make_payload(d);
	th_sh("cd %s && gzip -n -c script > img && randbytes 5000 test_firmware1 >> img && gzip -n -c kernel >> img", d);
	snprintf(path, sizeof(path), "%s/img", d);
	s = th_scan(path, 1);
	f = th_finding(s, "coverage.unexplained", "img");
	assert_non_null(f);
	assert_true(pst_scan_coverage(s)->unexplained_bytes >= 4900);
	assert_true(pst_scan_coverage(s)->unexplained_bytes <= 5000);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_dtb_listing(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	th_sh("cd %s && printf '/dts-v1/;\\n/ { model = \"acme,router\"; chosen { bootargs = \"init=/bin/sh\"; }; "
	      "images { kernel { data = /incbin/(\"/etc/services\"); }; }; };\\n' > t.dts && "
	      "dtc -I dts -O dtb -o t.dtb t.dts 2>/dev/null", d);
	snprintf(path, sizeof(path), "%s/t.dtb", d);
	s = th_scan(path, 1);
	n = th_node(s, "t.dtb!/devicetree.txt");
	assert_non_null(n);
	assert_int_equal(n->kind, PST_KIND_TEXT);
	assert_non_null(th_finding(s, "service.boot-shell", "t.dtb!/devicetree.txt"));
	n = th_node(s, "t.dtb!/images/kernel"); /* a FIT image node: its data, named after it */
	assert_non_null(n);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_mangled(void **state)
{
	char *d = th_tmpdir(), path[4200];
	(void)state;
	make_payload(d);
	th_sh("cd %s && gzip -n -c kernel > kernel.gz && mkimage -A mips -O linux -T kernel -C gzip -a 0 -e 0 -n t -d kernel.gz u > /dev/null", d);
	snprintf(path, sizeof(path), "%s/u", d);
	th_mangle(path, d);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uimage_compressions),
		cmocka_unit_test(test_uimage_ramdisk_lying_comp),
		cmocka_unit_test(test_uimage_multi),
		cmocka_unit_test(test_uimage_script),
		cmocka_unit_test(test_uimage_bad_header_crc),
		cmocka_unit_test(test_uimage_bad_data_crc),
		cmocka_unit_test(test_raw_flash_layout),
		cmocka_unit_test(test_unexplained_ranges),
		cmocka_unit_test(test_dtb_listing),
		cmocka_unit_test(test_mangled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
