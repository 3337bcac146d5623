/*
 * test_caps.c - an internal cap that drops content is reported (issue 23
 * step 2): pst_sink_cap_hit records limit.cap naming the cap, marks the
 * container incomplete and counts in coverage, so the verdict cannot pass;
 * nothing is recorded while no cap is hit. The capability matcher keeps
 * PST_CAP_CAP_MATCHES fired rules per program: a program that fires more
 * (user rules made here) gets limit.cap; one that fires few does not.
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

static void test_capability_matches_cap(void **state)
{
	char *d = th_tmpdir(), rules[4200], target[4200];
	const char *dirs[2] = { rules, NULL };
	const struct pst_finding *f;
	struct pst_options o;
	struct pst_scan *s;
	(void)state;
	/* 70 rules that all fire on the marker, reported or not */
	th_sh("mkdir -p %s/r/capabilities %s/t && for i in $(seq 1 70); do printf '%%s\\n' "
	      "\"- id: capability.many-$i\" '  report: false' '  all:' "
	      "'    - string:POSTERN-MANY-MARKER'; done > %s/r/capabilities/many.yaml && "
	      "printf '%%s\\n' '#include <stdio.h>' "
	      "'int main(void) { puts(\"POSTERN-MANY-MARKER\"); return 0; }' > %s/m.c && "
	      "gcc -O2 -o %s/t/m %s/m.c && "
	      "printf 'int main(void){return 0;}' > %s/n.c && gcc -O2 -o %s/t/n %s/n.c",
	      d, d, d, d, d, d, d, d, d);
	snprintf(rules, sizeof(rules), "%s/r", d);
	snprintf(target, sizeof(target), "%s/t", d);
	pst_options_default(&o);
	o.rule_dirs = dirs;
	o.no_rules_pack = true;
	s = th_scan_opts(target, &o);
	f = th_finding(s, "limit.cap", "/m");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "PST_CAP_CAP_MATCHES"));
	assert_null(th_finding(s, "limit.cap", "/n"));
	assert_true(pst_scan_coverage(s)->limits_hit >= 1);
	pst_scan_free(s);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_hit_reported),
		cmocka_unit_test(test_no_hit_no_record),
		cmocka_unit_test(test_capability_matches_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
