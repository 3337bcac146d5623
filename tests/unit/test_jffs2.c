/* test_jffs2.c - JFFS2 of both byte orders with zlib, LZO and rtime nodes
 * (mkfs.jffs2), erase-block padding; versions, deletions, renames, obsolete
 * nodes, truncation, LZMA and rubin nodes (tests/tools/mkjffs2.py); damage,
 * also found when a file is loaded. */
#include "th_tree.h"

static void roundtrip(const char *opts)
{
	char img[4200];
	char *d = th_tree_fixture(img, "mkfifo src/fifo && mkfs.jffs2 %s -r src -o img", opts);
	th_tree_roundtrip(d, TH_TREE_OWNER, "jffs2");
}

static void test_le_zlib(void **state) { (void)state; roundtrip("-l"); }
static void test_be_zlib(void **state) { (void)state; roundtrip("-b"); }
static void test_le_lzo(void **state) { (void)state; roundtrip("-l -X lzo -x zlib -x rtime"); }
static void test_be_lzo(void **state) { (void)state; roundtrip("-b -X lzo -x zlib -x rtime"); }
static void test_be_rtime(void **state) { (void)state; roundtrip("-b -x zlib"); }
static void test_le_padded(void **state) { (void)state; roundtrip("-l -e 0x20000 -n -p"); }

static void check_node(const struct pst_scan *s, const char *loc, const char *content, size_t len)
{
	const struct pst_node *n = th_node(s, loc);
	uint8_t sha[32];
	if (!n)
		fail_msg("%s missing", loc);
	pst_sha256((const uint8_t *)content, len, sha);
	if (n->size != len || memcmp(sha, n->sha256, 32) != 0)
		fail_msg("%s: wrong content (%llu bytes)", loc, (unsigned long long)n->size);
}

static void log_semantics(const char *endian)
{
	char *d = th_tmpdir(), img[4200], big[10001], trunc[100];
	struct pst_scan *s;
	const struct pst_node *n;
	size_t len = 0;
	int i;

	th_sh("cd %s && python3 %s/tests/tools/mkjffs2.py img --endian %s", d, getenv("SRC"), endian);
	snprintf(img, sizeof(img), "%s/img", d);
	s = th_scan(img, 2);
	check_node(s, "img!/etc/passwd", "root::0:0::/root:/bin/sh\n", 25);
	check_node(s, "img!/etc/new", "renamed\n", 8);
	memset(trunc, 'T', sizeof(trunc));
	check_node(s, "img!/etc/trunc", trunc, sizeof(trunc));
	for (i = 0; len < 10000; i++)
		len += (size_t)snprintf(big + len, sizeof(big) - len, "%d\n", i);
	memcpy(big, "PATCHED!!!", 10);
	check_node(s, "img!/bin/big", big, 10000);
	n = th_node(s, "img!/bin/sh");
	assert_non_null(n);
	assert_string_equal(n->link, "busybox");
	assert_null(th_node(s, "img!/etc/shadow"));
	assert_null(th_node(s, "img!/etc/old"));
	assert_null(th_node(s, "img!/bin/evil"));
	assert_int_equal(th_count_nodes(s, "img!/"), 7);
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_log_le(void **state) { (void)state; log_semantics("little"); }
static void test_log_be(void **state) { (void)state; log_semantics("big"); }

/* rubinmips and dynrubin nodes (tests/tools/mkjffs2.py --tree: Debian's
 * mkfs.jffs2 has no rubin compressor). The tree is small: the encoder is
 * Python. Pages rubin does not shrink (random bytes) are stored plain. */
static char *rubin_fixture(const char *compr, const char *endian)
{
	char *d = th_tmpdir();
	th_sh("cd %s && mkdir -p src/etc src/usr/share/deep src/empty && "
	      "printf 'root::0:0:root:/root:/bin/sh\\n' > src/etc/passwd && seq 1 3000 > src/usr/share/deep/numbers && "
	      "randbytes 3000 test_jffs21 > src/usr/rnd && chmod 4755 src/usr/rnd && : > src/etc/empty && "
	      "ln -s /etc/passwd src/pw && python3 %s/tests/tools/mkjffs2.py img --tree src --compr %s --endian %s && "
	      "python3 -c 'import struct,sys; d=open(\"img\",\"rb\").read(); e=\"%s\"; i=0; n=0\n"
	      "while i+12<=len(d):\n"
	      " m,t,l=struct.unpack(e+\"HHI\",d[i:i+8])\n"
	      " if m!=0x1985: i+=4; continue\n"
	      " n+=t==0xe002 and d[i+56] in (3,5); i+=(l+3)&~3\n"
	      "sys.exit(0 if n>=2 else 1)'",
	      d, getenv("SRC"), compr, endian, strcmp(endian, "big") == 0 ? ">" : "<");
	return d;
}

static void test_dynrubin_le(void **state) { (void)state; th_tree_roundtrip(rubin_fixture("dynrubin", "little"), TH_TREE_OWNER, "jffs2"); }
static void test_rubinmips_be(void **state) { (void)state; th_tree_roundtrip(rubin_fixture("rubinmips", "big"), TH_TREE_OWNER, "jffs2"); }

static void test_rubin_damaged(void **state)
{
	char *d = rubin_fixture("dynrubin", "big"), img[4200];
	(void)state;
	/* without the erased tail, every cut loses nodes */
	th_sh("cd %s && python3 -c 'd=open(\"img\",\"rb\").read().rstrip(b\"\\xff\"); open(\"img\",\"wb\").write(d)'", d);
	snprintf(img, sizeof(img), "%s/img", d);
	th_mangle(img, d);
	th_rmtree(d);
}

static void test_carved(void **state)
{
	(void)state;
	th_tree_carved("img!jffs2@0x20000!/etc/passwd", TH_CARVE_EXPLAINED,
		       "mkfs.jffs2 -b -r src -o fs && head -c 131072 /dev/zero > img && "
		       "cat fs >> img && head -c 70000 /dev/zero | tr '\\0' '\\377' >> img");
}

static void test_damaged(void **state)
{
	(void)state;
	th_tree_damaged("mkfs.jffs2 -l -r src -o img");
}

/* Random (so stored uncompressed) files of five 4 KiB nodes: one byte of
 * /bin/blob's third node is flipped (its data CRC fails), /bin/gap's second
 * node is marked obsolete in place as the kernel does (its data is gone, a
 * gap no node fills). Files are read when examined, so each is reported
 * damaged itself (before: the filesystem, "data nodes missing", and a bad
 * data CRC only as a count of bad nodes). */
static void test_damaged_at_load(void **state)
{
	static const char *const bad[] = { "img!/bin/blob", "img!/bin/gap" };
	char *d = th_damage_src("test_jffs22");
	(void)state;
	th_sh("cd %s && randbytes 20000 test_jffs23 > src/bin/gap && "
	      "mkfs.jffs2 -l -r src -o img && "
	      "python3 -c 'd = bytearray(open(\"img\", \"rb\").read())\n"
	      "def at(f, o):\n"
	      " s = open(f, \"rb\").read()[o:o + 32]; i = d.find(s)\n"
	      " assert i > 0 and d.find(s, i + 1) < 0\n"
	      " return i\n"
	      "d[at(\"src/bin/blob\", 8292)] ^= 1\n"
	      "n = at(\"src/bin/gap\", 4196) - 100 - 68\n"
	      "assert d[n:n + 4] == bytes([0x85, 0x19, 0x02, 0xe0])\n"
	      "d[n + 3] = 0xc0\n"
	      "open(\"img\", \"wb\").write(d)'", d);
	th_damaged_at_load(d, bad, 2, 20000, "img!/etc/passwd", 25);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_le_zlib),
		cmocka_unit_test(test_be_zlib),
		cmocka_unit_test(test_le_lzo),
		cmocka_unit_test(test_be_lzo),
		cmocka_unit_test(test_be_rtime),
		cmocka_unit_test(test_le_padded),
		cmocka_unit_test(test_log_le),
		cmocka_unit_test(test_log_be),
		cmocka_unit_test(test_dynrubin_le),
		cmocka_unit_test(test_rubinmips_be),
		cmocka_unit_test(test_rubin_damaged),
		cmocka_unit_test(test_carved),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_damaged_at_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
