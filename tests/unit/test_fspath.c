/* test_fspath.c - the one entry-name rule of the filesystem unpackers
 * (src/unpack/fsutil.c, issue 23), through romfs and cramfs: a name with
 * '/' or a NUL byte is refused as damage ("bad entry name"), "." and ".."
 * are never entered, and a path past --max-path is not emitted but reported
 * as limit.path with the container incomplete; the same images with room
 * for their paths stay silent. Also the walker's own nesting bound on a
 * directory target. */
#include "helpers.h"

#define DEEP "d2345678901234567890/e2345678901234567890/f2345678901234567890"

/* A tree with a deep file and three names to mangle, as romfs ("rom") and
 * cramfs ("cram") images in a fresh directory. */
static char *make_images(void)
{
	char *d = th_tmpdir();
	th_sh("cd '%s' && mkdir -p src/" DEEP " && echo deep > src/" DEEP "/file && "
	      "echo a > src/xxa1 && echo b > src/xxb2 && echo c > src/xxc3 && "
	      "genromfs -f rom -d src -V vol && mkfs.cramfs src cram >/dev/null", d);
	return d;
}

static struct pst_scan *scan_max_path(const char *path, unsigned max_path)
{
	struct pst_options o;
	pst_options_default(&o);
	o.jobs = 1;
	if (max_path)
		o.limits.max_path = max_path;
	return th_scan_opts(path, &o);
}

/* True when the image is reported damaged. Its message names the first
 * damage only, and the renames break romfs's header checksums and cramfs's
 * image CRC first, so "bad entry name" itself is not asserted. */
static bool bad_name_reported(const struct pst_scan *s)
{
	return th_finding(s, "unpack.damaged", NULL) != NULL;
}

static void check_clean(const char *img, const char *name)
{
	struct pst_scan *s = scan_max_path(img, 0);
	char deep[256];
	snprintf(deep, sizeof(deep), "%s!/" DEEP "/file", name);
	assert_non_null(th_node(s, deep));
	assert_null(th_finding(s, "limit.path", NULL));
	assert_null(th_finding(s, "unpack.damaged", NULL));
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
}

static void check_too_long(const char *img, const char *name)
{
	struct pst_scan *s = scan_max_path(img, 50);
	char deep[256], short_[64];
	snprintf(deep, sizeof(deep), "%s!/" DEEP "/file", name);
	snprintf(short_, sizeof(short_), "%s!/xxa1", name);
	assert_null(th_node(s, deep));
	assert_non_null(th_node(s, short_));
	assert_non_null(th_finding(s, "limit.path", name));
	assert_true(pst_scan_root(s)->flags & PST_NODE_INCOMPLETE);
	assert_null(th_finding(s, "unpack.damaged", NULL));
	pst_scan_free(s);
}

/* Runs check on the romfs and the cramfs image of one fresh tree. */
static void on_both(void (*check)(const char *img, const char *name))
{
	char *d = make_images(), p[512];
	snprintf(p, sizeof(p), "%s/rom", d);
	check(p, "rom");
	snprintf(p, sizeof(p), "%s/cram", d);
	check(p, "cram");
	th_rmtree(d);
}

static void test_clean(void **state)
{
	(void)state;
	on_both(check_clean);
}

static void test_too_long(void **state)
{
	(void)state;
	on_both(check_too_long);
}

/* Renames xxa1 to "x/a1", xxb2 to "x<NUL>b2" (cramfs: romfs names end at a
 * NUL) and xxc3 to "..", in place. */
static void mangle(const char *img, bool nul)
{
	th_sh("python3 -c 'import sys; p = sys.argv[1]; b = open(p, \"rb\").read(); "
	      "b = b.replace(b\"xxa1\", b\"x/a1\"); "
	      "b = b.replace(b\"xxb2\", b\"x\\0b2\") if %d else b; "
	      "b = b.replace(b\"xxc3\", b\"..\\0\\0\"); open(p, \"wb\").write(b)' '%s'",
	      nul ? 1 : 0, img);
}

static void check_mangled(const char *img, const char *name)
{
	struct pst_scan *s = scan_max_path(img, 0);
	char loc[256];
	assert_true(bad_name_reported(s));
	snprintf(loc, sizeof(loc), "%s!/x/a1", name);
	assert_null(th_node(s, loc));
	snprintf(loc, sizeof(loc), "%s!/x", name);
	assert_null(th_node(s, loc));
	snprintf(loc, sizeof(loc), "%s!/a1", name);
	assert_null(th_node(s, loc));
	assert_int_equal(th_count_nodes(s, "!/.."), 0);
	snprintf(loc, sizeof(loc), "%s!/xxc3", name);
	assert_null(th_node(s, loc));
	snprintf(loc, sizeof(loc), "%s!/" DEEP "/file", name);
	assert_non_null(th_node(s, loc));
	assert_true(pst_scan_root(s)->flags & PST_NODE_INCOMPLETE);
	pst_scan_free(s);
}

static void test_bad_names(void **state)
{
	char *d = make_images(), p[512];
	(void)state;
	snprintf(p, sizeof(p), "%s/rom", d);
	mangle(p, false);
	check_mangled(p, "rom");
	snprintf(p, sizeof(p), "%s/cram", d);
	mangle(p, true);
	check_mangled(p, "cram");
	th_rmtree(d);
}

/* A directory target nested deeper than half of --max-path: reported as
 * limit.path and incomplete (the walker stopped silently at 256 levels once);
 * with the default limit the same tree is read whole and silent. */
static void test_dir_target_nesting(void **state)
{
	char *d = th_tmpdir(), p[512];
	struct pst_scan *s;
	(void)state;
	th_sh("cd '%s' && mkdir -p t/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d && "
	      "echo x > t/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/f", d);
	snprintf(p, sizeof(p), "%s/t", d);
	s = scan_max_path(p, 40);
	assert_non_null(th_finding(s, "limit.path", NULL));
	assert_true(pst_scan_root(s)->flags & PST_NODE_INCOMPLETE);
	assert_null(th_node(s, "/f"));
	pst_scan_free(s);
	s = scan_max_path(p, 0);
	assert_null(th_finding(s, "limit.path", NULL));
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	assert_non_null(th_node(s, "/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/f"));
	pst_scan_free(s);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_dir_target_nesting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
