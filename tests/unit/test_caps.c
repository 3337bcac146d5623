/*
 * test_caps.c - an internal cap that drops content is reported (issue 23
 * step 2): pst_sink_cap_hit records limit.cap naming the cap, marks the
 * container incomplete and counts in coverage, so the verdict cannot pass;
 * nothing is recorded while no cap is hit.
 */
#include "helpers.h"

/* A scan with a bare root node and a sink opening it, as the walker has
 * when an unpacker runs. */
static struct pst_scan *fake_scan(struct pst_sink *k)
{
	struct pst_scan *s = pst_scan_new(NULL);
	struct pst_node *n;
	assert_non_null(s);
	n = pst_arena_alloc(s->arena, sizeof(*n));
	assert_non_null(n);
	n->seg = n->location = "img.bin";
	n->path = "/";
	s->root = n;
	pst_sink_init(k, s, n, NULL, pst_view_make(NULL, 0), 0);
	return s;
}

static void test_cap_hit_reported(void **state)
{
	struct pst_sink k;
	struct pst_scan *s = fake_scan(&k);
	struct pst_node *n = s->root;
	(void)state;
	pst_sink_cap_hit(&k, "PST_CAP_SQFS_OLD_TABLE", "inode table larger than %u MiB",
			 PST_CAP_SQFS_OLD_TABLE >> 20);
	assert_int_equal(s->nfindings, 1);
	assert_string_equal(s->findings[0].rule, "limit.cap");
	assert_string_equal(s->findings[0].category, "coverage");
	assert_non_null(strstr(s->findings[0].message, "PST_CAP_SQFS_OLD_TABLE"));
	assert_non_null(strstr(s->findings[0].message, "inode table larger than 64 MiB"));
	assert_true(n->flags & PST_NODE_INCOMPLETE);
	assert_int_equal(s->cov.incomplete, 1);
	assert_int_equal(s->cov.limits_hit, 1);
	assert_true(pst_coverage_gap(&s->cov, s->findings, s->nfindings));
	pst_scan_free(s);
}

static void test_no_hit_no_record(void **state)
{
	struct pst_sink k;
	struct pst_scan *s = fake_scan(&k);
	struct pst_node *n = s->root;
	(void)state;
	assert_int_equal(s->nfindings, 0);
	assert_false(n->flags & PST_NODE_INCOMPLETE);
	assert_false(pst_coverage_gap(&s->cov, s->findings, s->nfindings));
	pst_scan_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_hit_reported),
		cmocka_unit_test(test_no_hit_no_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
