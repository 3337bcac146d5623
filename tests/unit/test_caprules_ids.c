/*
 * test_caprules_ids.c - the capability rule ids C code names are checked
 * when the rules load (issue 23 step 5): binary.c's list names only rules
 * the built-in pack defines, and a misspelt id fails the check, naming it.
 */
#include "helpers.h"
#include "analyze/binfeat.h"

static struct pst_caprules *load_builtin(struct pst_needles **ns)
{
	const char *dirs[1] = { NULL };
	char err[512];
	struct pst_caprules *r;
	*ns = pst_needles_new();
	assert_non_null(*ns);
	r = pst_caprules_load(dirs, *ns, 0, err, sizeof(err));
	if (!r)
		fail_msg("built-in capability rules: %s", err);
	return r;
}

static void test_binary_refs_are_defined(void **state)
{
	struct pst_needles *ns;
	struct pst_caprules *r = load_builtin(&ns);
	char err[512] = "";
	(void)state;
	assert_non_null(pst_binary_cap_refs[0]);
	assert_true(pst_caprules_check_ids(r, pst_binary_cap_refs, err, sizeof(err)));
	assert_string_equal(err, "");
	pst_caprules_free(r);
	pst_needles_free(ns);
}

static void test_misspelt_id_fails(void **state)
{
	static const char *const ids[] = { "capability.network-client", "capability.network-deamon",
					   NULL };
	struct pst_needles *ns;
	struct pst_caprules *r = load_builtin(&ns);
	char err[512] = "";
	(void)state;
	assert_false(pst_caprules_check_ids(r, ids, err, sizeof(err)));
	assert_non_null(strstr(err, "capability.network-deamon"));
	pst_caprules_free(r);
	pst_needles_free(ns);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binary_refs_are_defined),
		cmocka_unit_test(test_misspelt_id_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
