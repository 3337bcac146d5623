/* test_dirroot.c - the root a directory target is taken as (src/core/dirroot.c):
 * --root normalised or refused, and the inference from the target's path,
 * beside the near misses that must stay at the default "/". */
#include "helpers.h"

static void infer(const char *path, const char *want)
{
	char out[256];
	bool got = pst_dir_root_infer(-1, path, out, sizeof(out));
	if (!want) {
		if (got)
			fail_msg("%s: inferred '%s', want none", path, out);
		assert_string_equal(out, "");
		return;
	}
	if (!got || strcmp(out, want) != 0)
		fail_msg("%s: got %s '%s', want '%s'", path, got ? "" : "none", out, want);
}

static void test_inferred(void **arg)
{
	(void)arg;
	/* Paths that need not exist: realpath fails and the text is used. */
	infer("/no/such/x/usr/bin", "/usr/bin");
	infer("/no/such/x/usr/bin/", "/usr/bin");
	infer("/no/such/x/usr/sbin", "/usr/sbin");
	infer("/no/such/x/sbin", "/sbin");
	infer("/no/such/x/bin", "/bin");
	infer("/no/such/x/etc", "/etc");
	infer("/no/such/x/usr/lib", "/usr/lib");
	infer("/no/such/x/usr/local/bin", "/usr/local/bin");
	infer("/no/such/_fw.extracted/squashfs-root/usr", "/usr");
	infer("/no/such/squashfs-root/usr/share/doc", "/usr/share/doc");
	infer("/no/such/rootfs/etc/init.d", "/etc/init.d");
	infer("/no/such/jffs2-root/www", "/www");
	infer("/no/such//x/./usr//bin", "/usr/bin");
}

static void test_default(void **arg)
{
	(void)arg;
	infer("/no/such/firmware", NULL);
	infer("/no/such/squashfs-root", NULL);           /* the root filesystem itself */
	infer("/no/such/rootfs/", NULL);
	infer("/no/such/rootfs/backups/fw-dir", NULL);   /* not a place a root has */
	infer("/no/such/mybin", NULL);                   /* "bin" only as a whole name */
	infer("/no/such/etcetera", NULL);
	infer("/no/such/rootfsx/usr", "/usr");           /* "rootfsx" is no marker, /usr ends it */
	infer("relative/usr/bin", NULL);                 /* realpath fails: no guess from a relative path */
}

static void test_option(void **arg)
{
	char out[64];
	(void)arg;
	assert_int_equal(pst_dir_root_option("/usr/bin", out, sizeof(out)), PST_OK);
	assert_string_equal(out, "/usr/bin");
	assert_int_equal(pst_dir_root_option("//usr/./bin/", out, sizeof(out)), PST_OK);
	assert_string_equal(out, "/usr/bin");
	assert_int_equal(pst_dir_root_option("/", out, sizeof(out)), PST_OK);
	assert_string_equal(out, "");
	assert_int_equal(pst_dir_root_option("usr/bin", out, sizeof(out)), PST_EUSAGE);
	assert_int_equal(pst_dir_root_option("/usr/../etc", out, sizeof(out)), PST_EUSAGE);
	assert_int_equal(pst_dir_root_option("", out, sizeof(out)), PST_EUSAGE);
	assert_int_equal(pst_dir_root_option("/a/very/long/path/that/does/not/fit/in/the/out/buffer/x",
					     out, 16), PST_EUSAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inferred),
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_option),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
