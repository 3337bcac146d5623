/* test_containers.c - vendor containers and headers: TRX, TP-Link, Netgear
 * .chk, SEAMA, Realtek, Arcadyan, FIT, Android boot and sparse images,
 * Intel HEX, S-records, U-Boot environments, and encrypted images. Each
 * fixture is made here, with Debian's tools where they exist and with
 * tests/tools/mkvendor.py otherwise; what comes out must equal what went in. */
#include "helpers.h"

#define MKVENDOR "python3 " FIXTURE_DIR "/../tools/mkvendor.py"

/* The node's content hash equals the file's. */
static void assert_same(const struct pst_scan *s, const char *suffix, const char *file)
{
	const struct pst_node *n = th_node(s, suffix);
	uint8_t sha[32];
	size_t len;
	uint8_t *p;
	if (!n)
		fail_msg("no node %s", suffix);
	p = th_read(file, &len);
	pst_sha256(p, len, sha);
	if (n->size != len || memcmp(sha, n->sha256, 32) != 0)
		fail_msg("%s: %llu bytes, differs from %s (%zu bytes)", suffix,
			 (unsigned long long)n->size, file, len);
	free(p);
}

static void assert_clean(const struct pst_scan *s)
{
	const struct pst_coverage *c = pst_scan_coverage(s);
	assert_int_equal(c->incomplete, 0);
	assert_int_equal(c->encrypted, 0);
	assert_null(th_finding(s, "container.checksum-mismatch", NULL));
	assert_null(th_finding(s, "coverage.encrypted", NULL));
}

/* A kernel (LZMA) and a root filesystem image in d. */
static void make_parts(const char *d)
{
	th_sh("cd %s && seq 1 30000 > vmlinux && xz --format=lzma -c vmlinux > kernel && "
	      "mkdir -p root/etc && printf 'root:x:0:0::/root:/bin/sh\\n' > root/etc/passwd && "
	      "mksquashfs root rootfs -quiet -noappend -comp xz >/dev/null", d);
}

static char *path_in(const char *d, const char *name)
{
	static char buf[4200];
	snprintf(buf, sizeof(buf), "%s/%s", d, name);
	return buf;
}

/* Two-part vendor images: kernel and rootfs come back byte for byte, the
 * LZMA kernel is opened, and truncation and bit flips are survived. */
static void two_part(const char *fmt, const char *kname, const char *rname, const char *want_fmt)
{
	char *d = th_tmpdir(), want[128], file[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	make_parts(d);
	th_sh("cd %s && " MKVENDOR " %s fw.bin kernel rootfs", d, fmt);
	snprintf(file, sizeof(file), "%s/fw.bin", d);
	s = th_scan(file, 2);
	n = pst_scan_root(s);
	assert_string_equal(n->format, want_fmt);
	snprintf(want, sizeof(want), "fw.bin!%s", kname);
	assert_same(s, want, path_in(d, "kernel"));
	snprintf(want, sizeof(want), "fw.bin!%s!/%s.data", kname, kname + 1);
	assert_same(s, want, path_in(d, "vmlinux"));
	snprintf(want, sizeof(want), "fw.bin!%s", rname);
	assert_same(s, want, path_in(d, "rootfs"));
	/* and the root filesystem opens: its files are there */
	snprintf(want, sizeof(want), "fw.bin!%s!/etc/passwd", rname);
	assert_same(s, want, path_in(d, "root/etc/passwd"));
	assert_clean(s);
	assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 0);
	pst_scan_free(s);
	th_mangle(file, d);
	th_rmtree(d);
}

static void test_trx(void **state)
{
	(void)state;
	two_part("trx", "/part0", "/part1", "trx");
	two_part("trx2", "/part0", "/part1", "trx");
}

static void test_tplink(void **state)
{
	(void)state;
	two_part("tplink", "/kernel", "/rootfs", "tplink");
	two_part("tplink2", "/kernel", "/rootfs", "tplink");
}

static void test_chk(void **state)
{
	(void)state;
	two_part("chk", "/kernel", "/rootfs", "chk");
}

/* SEAMA in one byte order (order: "" big-endian, "-le" little-endian): the
 * image opens and equals its source, its MD5 is checked, a seal of it opens,
 * and it is carved out of a dump. */
static void check_seama(const char *d, const char *order)
{
	char file[4200];
	struct pst_scan *s;
	th_sh("cd %s && " MKVENDOR " seama%s seama.bin rootfs && " MKVENDOR " seama-seal%s sealed.bin rootfs && "
	      "cp seama.bin bad.bin && printf 'X' | dd of=bad.bin bs=1 seek=100 conv=notrunc 2>/dev/null && "
	      "head -c 4096 /dev/zero > dump && cat seama.bin >> dump && head -c 100 /dev/zero >> dump",
	      d, order, order);
	snprintf(file, sizeof(file), "%s/seama.bin", d);
	s = th_scan(file, 2);
	assert_string_equal(pst_scan_root(s)->format, "seama");
	assert_same(s, "seama.bin!/image", path_in(d, "rootfs"));
	assert_same(s, "seama.bin!/image!/etc/passwd", path_in(d, "root/etc/passwd"));
	assert_clean(s);
	assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 0);
	pst_scan_free(s);
	th_mangle(file, d);

	snprintf(file, sizeof(file), "%s/bad.bin", d);
	s = th_scan(file, 2);
	assert_non_null(th_finding(s, "container.checksum-mismatch", "bad.bin"));
	pst_scan_free(s);

	snprintf(file, sizeof(file), "%s/sealed.bin", d);
	s = th_scan(file, 2);
	assert_string_equal(pst_scan_root(s)->format, "seama");
	assert_same(s, "sealed.bin!seama@0x30!/image", path_in(d, "rootfs"));
	assert_clean(s);
	assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 0);
	pst_scan_free(s);

	snprintf(file, sizeof(file), "%s/dump", d);
	s = th_scan(file, 2);
	assert_same(s, "dump!seama@0x1000!/image", path_in(d, "rootfs"));
	assert_clean(s);
	assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 0);
	pst_scan_free(s);
}

static void test_seama_and_realtek(void **state)
{
	char *d = th_tmpdir(), file[4200];
	struct pst_scan *s;
	(void)state;
	make_parts(d);
	check_seama(d, "");
	th_sh("cd %s && [ \"$(head -c 4 seama.bin | od -An -tx1 | tr -d ' ')\" = 5ea3a417 ] && "
	      MKVENDOR " realtek rt.bin rootfs && " MKVENDOR " realtek rk.bin kernel cs6c", d);
	snprintf(file, sizeof(file), "%s/rt.bin", d);
	s = th_scan(file, 2);
	assert_string_equal(pst_scan_root(s)->format, "realtek");
	assert_same(s, "rt.bin!/kernel+rootfs", path_in(d, "rootfs"));
	assert_clean(s);
	pst_scan_free(s);
	th_mangle(file, d);

	snprintf(file, sizeof(file), "%s/rk.bin", d);
	s = th_scan(file, 2);
	assert_same(s, "rk.bin!/kernel!/kernel.data", path_in(d, "vmlinux"));
	pst_scan_free(s);
	th_rmtree(d);
}

/* SEAMA with its header little-endian (magic bytes 17 a4 a3 5e). */
static void test_seama_little_endian(void **state)
{
	char *d = th_tmpdir();
	(void)state;
	make_parts(d);
	check_seama(d, "-le");
	th_sh("cd %s && [ \"$(head -c 4 seama.bin | od -An -tx1 | tr -d ' ')\" = 17a4a35e ]", d);
	th_rmtree(d);
}

/* Vendor headers sit inside raw flash dumps: found by carving. */
static void test_carved_in_flash_dump(void **state)
{
	char *d = th_tmpdir(), file[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	make_parts(d);
	th_sh("cd %s && " MKVENDOR " trx fw.trx kernel rootfs && " MKVENDOR " chk fw.chk kernel rootfs && "
	      "head -c 65536 /dev/zero | tr '\\0' '\\377' > dump && cat fw.trx >> dump && "
	      "head -c 4096 /dev/zero >> dump && cat fw.chk >> dump && " MKVENDOR " tplink fw.tp kernel rootfs && "
	      "head -c 8192 /dev/zero | tr '\\0' '\\377' >> dump && cat fw.tp >> dump", d);
	snprintf(file, sizeof(file), "%s/dump", d);
	s = th_scan(file, 2);
	n = th_node(s, "dump!trx@0x10000");
	assert_non_null(n);
	assert_same(s, "dump!trx@0x10000!/part1", path_in(d, "rootfs"));
	assert_true(th_count_nodes(s, "dump!chk@0x") > 0);
	assert_true(th_count_nodes(s, "dump!tplink@0x") > 0);
	assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 0);
	assert_null(th_finding(s, "container.checksum-mismatch", NULL));
	pst_scan_free(s);
	th_rmtree(d);
}

/* Magic strings by chance inside a raw image, with sizes past its end:
 * not containers, and nothing is marked incomplete for them. */
static void test_chance_magics_in_dump(void **state)
{
	char *d = th_tmpdir(), file[4200];
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && randbytes 70000 test_containers1 > dump && "
	      "printf 'csys\\200\\000\\000\\000\\000\\003\\000\\000\\177\\377\\377\\376' | dd of=dump bs=1 seek=1000 conv=notrunc 2>/dev/null && "
	      "printf 'HDR0\\377\\377\\377\\177\\000\\000\\000\\000\\000\\000\\001\\000\\034\\000\\000\\000' | dd of=dump bs=1 seek=9000 conv=notrunc 2>/dev/null && "
	      "printf '\\000\\000\\000\\001TP-LINK Technologies' | dd of=dump bs=1 seek=20000 conv=notrunc 2>/dev/null", d);
	snprintf(file, sizeof(file), "%s/dump", d);
	s = th_scan(file, 2);
	assert_int_equal(th_count_nodes(s, "realtek@"), 0);
	assert_int_equal(th_count_nodes(s, "trx@"), 0);
	assert_int_equal(th_count_nodes(s, "tplink@"), 0);
	assert_null(th_finding(s, "unpack.damaged", NULL));
	pst_scan_free(s);
	th_rmtree(d);
}

/* Arcadyan's magic and a plausible scrambled LZMA header by chance inside
 * other data (seen in Debian's arm64 kernel Image at 0x11c3d7b): the LZMA
 * stream dies after a few bytes. That is a false candidate, dropped as a
 * raw stream's would be, not a damaged container that makes the scan
 * incomplete. */
static void test_arcadyan_chance_magic(void **state)
{
	char *d = th_tmpdir(), file[4200];
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && python3 -c \"import random,sys; r=random.Random(11); b=bytearray(r.getrandbits(8) for _ in range(70000)); "
	      "b[1000+0x68:1000+0x68+14]=bytes.fromhex('00d50800ff00ffffffffffff00ff'); sys.stdout.buffer.write(b)\" > dump", d);
	snprintf(file, sizeof(file), "%s/dump", d);
	s = th_scan(file, 2);
	assert_int_equal(th_count_nodes(s, "arcadyan@"), 0);
	assert_null(th_finding(s, "unpack.damaged", NULL));
	pst_scan_free(s);
	th_rmtree(d);
}

/* A byte changed inside a sealed image: the checksum says so; clean
 * images (above) stay silent. */
static void test_checksum_mismatch(void **state)
{
	static const char *const fmts[] = { "trx", "tplink", "chk" };
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		char *d = th_tmpdir(), file[4200];
		struct pst_scan *s;
		size_t len;
		uint8_t *p;
		make_parts(d);
		th_sh("cd %s && " MKVENDOR " %s fw.bin kernel rootfs", d, fmts[i]);
		snprintf(file, sizeof(file), "%s/fw.bin", d);
		p = th_read(file, &len);
		p[len - 100] ^= 0x40; /* inside the root filesystem */
		th_write(file, p, len);
		free(p);
		s = th_scan(file, 2);
		if (!th_finding(s, "container.checksum-mismatch", "fw.bin"))
			fail_msg("%s: no checksum mismatch reported", fmts[i]);
		pst_scan_free(s);
		th_rmtree(d);
	}
}

/* binwalk's Arcadyan sample: the obfuscated LZMA is undone and the whole
 * file is explained (prefix, stream, padding, trailer). */
static void test_arcadyan(void **state)
{
	struct pst_scan *s = th_scan(FIXTURE_DIR "/binwalk/arcadyan.bin", 2);
	const struct pst_node *n;
	char *d = th_tmpdir(), file[4200];
	(void)state;
	assert_string_equal(pst_scan_root(s)->format, "arcadyan");
	n = th_node(s, "arcadyan.bin!/firmware");
	assert_non_null(n);
	assert_int_equal(n->size, 2813252);
	assert_false(n->flags & PST_NODE_TRUNCATED);
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 0);
	/* What the obfuscation hid is a 2.8 MB monolithic firmware no unpacker
	 * opens and nothing identifies: not examined, so not a pass (issue 13). */
	assert_non_null(th_finding(s, "coverage.unidentified", "arcadyan.bin!/firmware"));
	assert_int_equal(pst_scan_coverage(s)->unidentified, 1);
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_REVIEW);
	pst_scan_free(s);
	/* Our own obfuscation of a known stream reads back exactly. */
	make_parts(d);
	th_sh("cd %s && " MKVENDOR " arcadyan arc.bin kernel", d);
	snprintf(file, sizeof(file), "%s/arc.bin", d);
	s = th_scan(file, 2);
	assert_same(s, "arc.bin!/firmware", path_in(d, "vmlinux"));
	pst_scan_free(s);
	th_mangle(file, d);
	th_rmtree(d);
}

static const char its[] =
	"/dts-v1/;\n/ { description = \"t\"; #address-cells = <1>;\n images {\n"
	"  kernel-1 { data = /incbin/(\"vmlinux.gz\"); type = \"kernel\"; arch = \"arm\"; os = \"linux\";"
	" compression = \"gzip\"; load = <0x80008000>; entry = <0x80008000>; hash-1 { algo = \"crc32\"; }; };\n"
	"  ramdisk-1 { data = /incbin/(\"initrd\"); type = \"ramdisk\"; arch = \"arm\"; os = \"linux\";"
	" compression = \"none\"; };\n"
	"  fdt-1 { data = /incbin/(\"board.dtb\"); type = \"flat_dt\"; arch = \"arm\"; compression = \"none\"; };\n"
	" };\n configurations { default = \"conf-1\"; conf-1 { kernel = \"kernel-1\"; ramdisk = \"ramdisk-1\";"
	" fdt = \"fdt-1\"; }; };\n};\n";

/* A fresh directory with a kernel (vmlinux, vmlinux.gz), a random initrd, a
 * device tree (board.dtb) and fit.itb made by mkimage (flags) from its. */
static char *fit_dir(const char *its_text, const char *flags)
{
	char *d = th_tmpdir(), file[4200];
	FILE *f;
	th_sh("cd %s && seq 1 20000 > vmlinux && gzip -n -c vmlinux > vmlinux.gz && "
	      "randbytes 3000 test_containers2 > initrd && "
	      "printf '/dts-v1/;\\n/ { model = \"t\"; chosen { bootargs = \"console=ttyS0\"; }; };\\n' > b.dts && "
	      "dtc -q -I dts -O dtb -o board.dtb b.dts", d);
	snprintf(file, sizeof(file), "%s/fit.its", d);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs(its_text, f);
	fclose(f);
	th_sh("cd %s && mkimage %s -f fit.its fit.itb >/dev/null", d, flags);
	return d;
}

/* mkimage -f FIT images, embedded and external data: each image comes out
 * under its node's name, the gzip kernel decompressed. */
static void test_fit(void **state)
{
	static const char *const flags[] = { "", "-E" };
	size_t i;
	(void)state;
	for (i = 0; i < 2; i++) {
		char *d = fit_dir(its, flags[i]), file[4200];
		struct pst_scan *s;
		snprintf(file, sizeof(file), "%s/fit.itb", d);
		s = th_scan(file, 2);
		assert_same(s, "fit.itb!/images/kernel-1", path_in(d, "vmlinux"));
		assert_same(s, "fit.itb!/images/ramdisk-1", path_in(d, "initrd"));
		assert_same(s, "fit.itb!/images/fdt-1", path_in(d, "board.dtb"));
		assert_non_null(th_node(s, "fit.itb!/images/fdt-1!/devicetree.txt"));
		assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
		pst_scan_free(s);
		if (i == 0)
			th_mangle(file, d);
		th_rmtree(d);
	}
}

/* FIT hash nodes (crc32, md5, sha1, sha256) are checked against each
 * image's data: silent when they match, container.checksum-mismatch naming
 * the image and hash node when one data byte is flipped (embedded and
 * external data). */
static const char its_hashed[] =
	"/dts-v1/;\n/ { description = \"t\"; #address-cells = <1>;\n images {\n"
	"  kernel-1 { data = /incbin/(\"vmlinux.gz\"); type = \"kernel\"; arch = \"arm\"; os = \"linux\";"
	" compression = \"gzip\"; load = <0x80008000>; entry = <0x80008000>;"
	" hash-1 { algo = \"crc32\"; }; hash-2 { algo = \"sha256\"; }; };\n"
	"  ramdisk-1 { data = /incbin/(\"initrd\"); type = \"ramdisk\"; arch = \"arm\"; os = \"linux\";"
	" compression = \"none\"; hash-1 { algo = \"md5\"; }; hash-2 { algo = \"sha1\"; }; };\n"
	" };\n configurations { default = \"conf-1\"; conf-1 { kernel = \"kernel-1\"; ramdisk = \"ramdisk-1\"; }; };\n};\n";

static void test_fit_hashes(void **state)
{
	static const char *const flags[] = { "", "-E" };
	size_t i;
	(void)state;
	for (i = 0; i < 2; i++) {
		char *d = fit_dir(its_hashed, flags[i]), file[4200];
		struct pst_scan *s;
		const struct pst_finding *f;
		/* flip(OUT, PART): OUT is fit.itb with a byte of PART's data flipped */
		th_sh("cd %s && flip() { python3 -c 'import sys; d=bytearray(open(\"fit.itb\",\"rb\").read()); "
		      "p=open(sys.argv[2],\"rb\").read(); at=d.find(p); assert at>0; d[at+len(p)//2]^=1; "
		      "open(sys.argv[1],\"wb\").write(d)' $1 $2; } && flip k.itb vmlinux.gz && flip r.itb initrd", d);
		snprintf(file, sizeof(file), "%s/fit.itb", d);
		s = th_scan(file, 2);
		assert_same(s, "fit.itb!/images/kernel-1", path_in(d, "vmlinux"));
		assert_same(s, "fit.itb!/images/ramdisk-1", path_in(d, "initrd"));
		assert_int_equal(th_count_rule(s, "container.checksum-mismatch"), 0);
		pst_scan_free(s);

		snprintf(file, sizeof(file), "%s/k.itb", d);
		s = th_scan(file, 2);
		assert_int_equal(th_count_rule(s, "container.checksum-mismatch"), 2); /* crc32 and sha256 */
		f = th_finding(s, "container.checksum-mismatch", "k.itb");
		assert_non_null(f);
		assert_string_equal(f->category, "integrity");
		assert_non_null(strstr(f->message, "/images/kernel-1 hash-"));
		assert_null(strstr(f->message, "ramdisk"));
		pst_scan_free(s);

		snprintf(file, sizeof(file), "%s/r.itb", d);
		s = th_scan(file, 2);
		assert_int_equal(th_count_rule(s, "container.checksum-mismatch"), 2); /* md5 and sha1 */
		f = th_finding(s, "container.checksum-mismatch", "r.itb");
		assert_non_null(f);
		assert_non_null(strstr(f->message, "/images/ramdisk-1 hash-"));
		assert_same(s, "r.itb!/images/kernel-1", path_in(d, "vmlinux"));
		pst_scan_free(s);
		th_rmtree(d);
	}
}

static void test_android_boot(void **state)
{
	static const char *const v[] = { "0", "1", "2", "3" };
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char *d = th_tmpdir(), file[4200];
		struct pst_scan *s;
		const struct pst_node *n;
		th_sh("cd %s && seq 1 20000 | gzip -n -c > kernel && seq 5 9000 > ramdisk && "
		      "printf '/dts-v1/;\\n/ { model = \"t\"; };\\n' > b.dts && dtc -q -I dts -O dtb -o b.dtb b.dts && "
		      "seq 1 3000 > second && "
		      "mkbootimg --kernel kernel --ramdisk ramdisk %s --cmdline 'console=ttyS0 init=/bin/sh' "
		      "--header_version %s %s -o boot.img", d, i < 3 ? "--second second" : "", v[i],
		      i == 2 ? "--dtb b.dtb" : "");
		snprintf(file, sizeof(file), "%s/boot.img", d);
		s = th_scan(file, 2);
		assert_string_equal(pst_scan_root(s)->format, "android-boot");
		assert_same(s, "boot.img!/kernel", path_in(d, "kernel"));
		assert_same(s, "boot.img!/ramdisk", path_in(d, "ramdisk"));
		if (i < 3)
			assert_same(s, "boot.img!/second", path_in(d, "second"));
		if (i == 2)
			assert_same(s, "boot.img!/dtb", path_in(d, "b.dtb"));
		n = th_node(s, "boot.img!/cmdline.txt");
		assert_non_null(n);
		assert_int_equal(n->kind, PST_KIND_TEXT);
		assert_clean(s);
		pst_scan_free(s);
		if (i == 2)
			th_mangle(file, d);
		th_rmtree(d);
	}
}

/* Version 4 (mkbootimg in Debian 12 writes up to 3): a v3 image made
 * version 4 with a boot signature page appended. */
static void test_android_boot_v4(void **state)
{
	char *d = th_tmpdir(), file[4200];
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && seq 1 20000 | gzip -n -c > kernel && seq 5 9000 > ramdisk && randbytes 1000 test_containers3 > sig && "
	      "mkbootimg --kernel kernel --ramdisk ramdisk --cmdline 'console=ttyS0' --header_version 3 -o v3.img && "
	      "python3 -c 'import struct,sys; d=bytearray(open(\"v3.img\",\"rb\").read()); "
	      "d[40:44]=struct.pack(\"<I\",4); d[1580:1584]=struct.pack(\"<I\",1000); "
	      "sig=open(\"sig\",\"rb\").read(); d+=sig+bytes(4096-len(sig)); open(\"boot.img\",\"wb\").write(d)'", d);
	snprintf(file, sizeof(file), "%s/boot.img", d);
	s = th_scan(file, 2);
	assert_same(s, "boot.img!/kernel", path_in(d, "kernel"));
	assert_same(s, "boot.img!/ramdisk", path_in(d, "ramdisk"));
	assert_same(s, "boot.img!/boot-signature", path_in(d, "sig"));
	assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_android_sparse(void **state)
{
	char *d = th_tmpdir(), file[4200];
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && truncate -s 6M raw && seq 1 20000 | dd of=raw bs=4096 seek=10 conv=notrunc 2>/dev/null && "
	      "printf 'ABCD%%.0s' $(seq 1 2048) | dd of=raw bs=4096 seek=700 conv=notrunc 2>/dev/null && "
	      "img2simg raw sparse.img", d);
	snprintf(file, sizeof(file), "%s/sparse.img", d);
	s = th_scan(file, 2);
	assert_string_equal(pst_scan_root(s)->format, "android-sparse");
	assert_same(s, "sparse.img!/image.raw", path_in(d, "raw"));
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
	/* A CRC32 chunk appended: checked, silent when right, reported when wrong. */
	th_sh("cd %s && python3 -c 'import struct,zlib,sys\n"
	      "d=bytearray(open(\"sparse.img\",\"rb\").read()); raw=open(\"raw\",\"rb\").read()\n"
	      "struct.pack_into(\"<I\",d,20,struct.unpack_from(\"<I\",d,20)[0]+1)\n"
	      "for name,c in ((\"good.img\",zlib.crc32(raw)),(\"bad.img\",zlib.crc32(raw)^1)):\n"
	      "  open(name,\"wb\").write(d+struct.pack(\"<HHIII\",0xcac4,0,0,16,c))'", d);
	snprintf(file, sizeof(file), "%s/good.img", d);
	s = th_scan(file, 2);
	assert_same(s, "good.img!/image.raw", path_in(d, "raw"));
	assert_null(th_finding(s, "container.checksum-mismatch", NULL));
	pst_scan_free(s);
	snprintf(file, sizeof(file), "%s/bad.img", d);
	s = th_scan(file, 2);
	assert_non_null(th_finding(s, "container.checksum-mismatch", "bad.img"));
	pst_scan_free(s);
	snprintf(file, sizeof(file), "%s/sparse.img", d);
	th_mangle(file, d);
	th_rmtree(d);
}

/* objcopy's Intel HEX and S-records, from a blob and from an ELF-like
 * layout with two regions far apart. */
static void test_ihex_srec(void **state)
{
	static const char *const fmts[] = { "ihex", "srec" };
	size_t i;
	(void)state;
	for (i = 0; i < 2; i++) {
		char *d = th_tmpdir(), file[4200];
		struct pst_scan *s;
		th_sh("cd %s && randbytes 70000 test_containers4 > blob && objcopy -I binary -O %s blob blob.hex && "
		      "randbytes 3000 test_containers5 > hi && objcopy -I binary -O %s --change-addresses 0x08000000 hi hi.hex && "
		      "grep -v -e '^:00000001FF' -e '^S9' -e '^S8' -e '^S7' -e '^S5' blob.hex > two.hex && cat hi.hex >> two.hex",
		      d, fmts[i], fmts[i]);
		snprintf(file, sizeof(file), "%s/blob.hex", d);
		s = th_scan(file, 2);
		assert_string_equal(pst_scan_root(s)->format, fmts[i]);
		assert_same(s, "blob.hex!/image-0x00000000.bin", path_in(d, "blob"));
		assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
		pst_scan_free(s);
		snprintf(file, sizeof(file), "%s/two.hex", d);
		s = th_scan(file, 2);
		assert_same(s, "two.hex!/image-0x00000000.bin", path_in(d, "blob"));
		assert_same(s, "two.hex!/image-0x08000000.bin", path_in(d, "hi"));
		pst_scan_free(s);
		/* A wrong checksum is damage, not data. */
		th_sh("cd %s && sed '3s/.$/0/;3s/.$/%s/' blob.hex > bad.hex", d, i ? "1" : "1");
		snprintf(file, sizeof(file), "%s/blob.hex", d);
		th_mangle(file, d);
		th_rmtree(d);
	}
}

static void test_uboot_env(void **state)
{
	char *d = th_tmpdir(), file[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	size_t len;
	uint8_t *p;
	(void)state;
	th_sh("cd %s && printf 'baudrate=115200\\nbootargs=console=ttyS0,115200 root=/dev/mtdblock2 init=/bin/sh\\n"
	      "bootcmd=bootm 0x9f020000\\n' > env.txt && mkenvimage -s 0x10000 -o env.bin env.txt && "
	      "mkenvimage -r -s 0x4000 -o envr.bin env.txt && "
	      "head -c 131072 /dev/zero | tr '\\0' '\\377' > flash && cat envr.bin >> flash && "
	      "head -c 4096 /dev/zero | tr '\\0' '\\377' >> flash", d);
	snprintf(file, sizeof(file), "%s/env.bin", d);
	s = th_scan(file, 2);
	n = th_node(s, "env.bin!/uboot-env.txt");
	assert_non_null(n);
	assert_int_equal(n->kind, PST_KIND_TEXT);
	/* bootargs are configuration: init=/bin/sh is a root shell on the console */
	assert_non_null(th_finding(s, "service.boot-shell", "env.bin!/uboot-env.txt"));
	pst_scan_free(s);
	/* Written out, the text equals the input, one variable per line. */
	th_sh("cd %s && mkdir x && %s scan --extract x env.bin >/dev/null && cmp env.txt x/env.bin/uboot-env.txt || "
	      "find x -name uboot-env.txt -exec cmp env.txt {} \\;", d, POSTERN_BIN);
	snprintf(file, sizeof(file), "%s/flash", d);
	s = th_scan(file, 2);
	assert_non_null(th_node(s, "flash!uboot-env@0x20000!/uboot-env.txt"));
	assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 0);
	pst_scan_free(s);
	/* A changed byte breaks the CRC: no longer an environment. */
	snprintf(file, sizeof(file), "%s/env.bin", d);
	p = th_read(file, &len);
	p[10] ^= 1;
	th_write(file, p, len);
	free(p);
	s = th_scan(file, 2);
	assert_null(th_node(s, "uboot-env.txt"));
	pst_scan_free(s);
	snprintf(file, sizeof(file), "%s/envr.bin", d);
	th_mangle(file, d);
	th_rmtree(d);
}

/* Known encrypted images and vendor headers over ciphertext: reported as
 * encrypted, with the scheme named, never passed as data. */
static void test_encrypted(void **state)
{
	char *d = th_tmpdir(), file[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	const struct pst_finding *f;
	(void)state;
	th_sh("cd %s && randbytes 200000 test_containers6 > ct && " MKVENDOR " shrs shrs.bin ct && "
	      "printf 'encrpted_img' > enc.bin && printf '\\000\\003\\015\\100' >> enc.bin && cat ct >> enc.bin && "
	      MKVENDOR " trx enc.trx ct && " MKVENDOR " tplink enc.tp ct ct", d);
	snprintf(file, sizeof(file), "%s/shrs.bin", d);
	s = th_scan(file, 2);
	n = th_node(s, "shrs.bin!/ciphertext");
	assert_non_null(n);
	assert_true(n->flags & PST_NODE_ENCRYPTED);
	f = th_finding(s, "coverage.encrypted", "shrs.bin");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "SHRS"));
	assert_int_equal(pst_scan_coverage(s)->encrypted, 1);
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_REVIEW);
	pst_scan_free(s);

	snprintf(file, sizeof(file), "%s/enc.bin", d);
	s = th_scan(file, 2);
	f = th_finding(s, "coverage.encrypted", "enc.bin");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "encrpted_img"));
	pst_scan_free(s);

	snprintf(file, sizeof(file), "%s/enc.trx", d);
	s = th_scan(file, 2);
	n = th_node(s, "enc.trx!/part0");
	assert_non_null(n);
	assert_true(n->flags & PST_NODE_ENCRYPTED);
	assert_non_null(th_finding(s, "coverage.encrypted", "enc.trx"));
	assert_null(th_finding(s, "container.checksum-mismatch", NULL));
	pst_scan_free(s);

	snprintf(file, sizeof(file), "%s/enc.tp", d);
	s = th_scan(file, 2);
	assert_int_equal(pst_scan_coverage(s)->encrypted, 2);
	pst_scan_free(s);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trx),
		cmocka_unit_test(test_tplink),
		cmocka_unit_test(test_chk),
		cmocka_unit_test(test_seama_and_realtek),
		cmocka_unit_test(test_seama_little_endian),
		cmocka_unit_test(test_carved_in_flash_dump),
		cmocka_unit_test(test_chance_magics_in_dump),
		cmocka_unit_test(test_arcadyan_chance_magic),
		cmocka_unit_test(test_checksum_mismatch),
		cmocka_unit_test(test_arcadyan),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_fit_hashes),
		cmocka_unit_test(test_android_boot),
		cmocka_unit_test(test_android_boot_v4),
		cmocka_unit_test(test_android_sparse),
		cmocka_unit_test(test_ihex_srec),
		cmocka_unit_test(test_uboot_env),
		cmocka_unit_test(test_encrypted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
