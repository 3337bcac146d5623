/* test_stream.c - raw compressed streams, alone and carved out of padding. */
#include "helpers.h"

static void test_gzip_file(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	th_sh("cd %s && printf 'root:x:0:0::/root:/bin/sh\\n' > passwd && gzip -n passwd", d);
	snprintf(path, sizeof(path), "%s/passwd.gz", d);
	s = th_scan(path, 1);
	n = th_node(s, "passwd.gz!/passwd");
	assert_non_null(n);
	assert_int_equal(n->size, 26);
	assert_int_equal(n->kind, PST_KIND_TEXT);
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_PASS);
	pst_scan_free(s);
	th_rmtree(d);
}

/* Each stream sits at an odd offset inside padding and random bytes, the way
 * they sit in raw flash images; each must be found at its offset. */
static void test_streams_at_offsets(void **state)
{
	static const struct {
		const char *tool, *fmt;
	} t[] = {
		{ "gzip -9 -c", "gzip" }, { "xz -c", "xz" }, { "xz --format=lzma -c", "lzma" },
		{ "zstd -q -c", "zstd" }, { "bzip2 -c", "bzip2" }, { "lz4 -q -c", "lz4" },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *d = th_tmpdir(), path[4200], want[64];
		struct pst_scan *s;
		const struct pst_node *n;
		th_sh("cd %s && seq 1 20000 > payload && %s payload > p.z && "
		      "head -c 777 /dev/zero > img && cat p.z >> img && "
		      "head -c 4096 /dev/zero | tr '\\0' '\\377' >> img", d, t[i].tool);
		snprintf(path, sizeof(path), "%s/img", d);
		s = th_scan(path, 2);
		snprintf(want, sizeof(want), "img!%s@0x309", t[i].fmt);
		n = th_node(s, want);
		if (!n)
			fail_msg("%s stream not found at 0x309", t[i].fmt);
		assert_non_null(n->child);
		assert_int_equal(n->child->size, 108894);
		assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 0);
		pst_scan_free(s);
		th_rmtree(d);
	}
}

static void test_nested_gzip_ten_layers(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	unsigned depth = 0;
	(void)state;
	th_sh("cd %s && echo innermost > f && for i in 1 2 3 4 5 6 7 8 9 10; do gzip -n -c f > g && mv g f; done && mv f f.gz", d);
	snprintf(path, sizeof(path), "%s/f.gz", d);
	s = th_scan(path, 2);
	for (n = pst_scan_root(s); n; n = pst_node_next(n))
		if (n->depth > depth)
			depth = n->depth;
	assert_int_equal(depth, 10);
	assert_int_equal(pst_scan_coverage(s)->containers, 10);
	assert_int_equal(pst_scan_coverage(s)->limits_hit, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_depth_limit_reported(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_options o;
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && echo x > f && for i in 1 2 3 4 5 6; do gzip -n -c f > g && mv g f; done && mv f f.gz", d);
	snprintf(path, sizeof(path), "%s/f.gz", d);
	pst_options_default(&o);
	o.limits.max_depth = 3;
	s = th_scan_opts(path, &o);
	assert_non_null(th_finding(s, "limit.depth", NULL));
	assert_true(pst_scan_coverage(s)->incomplete > 0);
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_REVIEW);
	pst_scan_free(s);
	th_rmtree(d);
}

/* 4 GiB of zeros in a 4 MiB gzip: cut at the per-file limit, reported. */
static void test_zero_bomb(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	th_sh("cd %s && head -c 4G /dev/zero | gzip -1 > bomb.gz", d);
	snprintf(path, sizeof(path), "%s/bomb.gz", d);
	s = th_scan(path, 2);
	n = th_node(s, "bomb.gz!/bomb");
	assert_non_null(n);
	assert_true(n->flags & PST_NODE_TRUNCATED);
	assert_true(n->size <= (256u << 20));
	assert_true(th_finding(s, "limit.file-size", NULL) || th_finding(s, "limit.ratio", NULL));
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_REVIEW);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_truncated_and_flipped(void **state)
{
	char *d = th_tmpdir(), path[4200];
	(void)state;
	th_sh("cd %s && seq 1 50000 | xz -c > s.xz", d);
	snprintf(path, sizeof(path), "%s/s.xz", d);
	th_mangle(path, d);
	th_rmtree(d);
}

/* Size-less LZMA (properties 0x6e, 2 MiB dictionary, no size field: the
 * Broadcom-loader form) carved out of padding, decoded whole; a size-less
 * stream that decodes to less than a kernel is a chance match and stays
 * unclaimed (the image is then reported as not examined). */
static void nosize_case(unsigned lines, bool found)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	th_sh("cd %s && seq 1 %u > payload && python3 %s/tests/tools/mkvendor.py lzma-nosize p.z payload && "
	      "head -c 777 /dev/zero > img && cat p.z >> img && "
	      "head -c 4096 /dev/zero | tr '\\0' '\\377' >> img", d, lines, getenv("SRC"));
	snprintf(path, sizeof(path), "%s/img", d);
	s = th_scan(path, 2);
	n = th_node(s, "img!lzma@0x309");
	if (found) {
		assert_non_null(n);
		assert_non_null(n->child);
		assert_int_equal(n->child->size, lines == 20000 ? 108894 : 0);
		assert_int_equal(n->child->flags & PST_NODE_TRUNCATED, 0);
		assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 0);
		assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	} else {
		assert_null(n);
		/* nothing found: the image is reported as not examined */
		assert_true(pst_scan_coverage(s)->unexplained_bytes > 0 || pst_scan_coverage(s)->incomplete > 0);
	}
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_lzma_nosize_carved(void **state)
{
	(void)state;
	nosize_case(20000, true);
}

static void test_lzma_nosize_too_small(void **state)
{
	(void)state;
	nosize_case(2000, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gzip_file),
		cmocka_unit_test(test_streams_at_offsets),
		cmocka_unit_test(test_nested_gzip_ten_layers),
		cmocka_unit_test(test_depth_limit_reported),
		cmocka_unit_test(test_zero_bomb),
		cmocka_unit_test(test_truncated_and_flipped),
		cmocka_unit_test(test_lzma_nosize_carved),
		cmocka_unit_test(test_lzma_nosize_too_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
