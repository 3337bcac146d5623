/*
 * test_callreach.c - the coarse call graph that chooses which comparisons
 * the hidden-command search follows (src/analyze/callreach.c): a function
 * is live when it, or a function it reaches within the depth in calls (any
 * number of jumps between), holds a marked call; a function that reaches
 * one only deeper, or not at all, is not; everything is live before the
 * graph is solved.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "analyze/callreach.h"

/* Code 0x1000-0x2000, functions at 0x1000 (A), 0x1100 (B), 0x1200 (C),
 * 0x1300 (D), 0x1400 (E), 0x1500 (F, its cold part at 0x1800). A calls B,
 * B calls C, C calls D, D's code holds the marked call. E jumps to F's
 * cold part, which calls D. */
static struct pst_callreach *chain(void)
{
	struct pst_callreach *g = pst_callreach_new();
	assert_non_null(g);
	pst_callreach_code(g, 0x1000, 0x2000);
	pst_callreach_call(g, 0x1010, 0x1100);
	pst_callreach_call(g, 0x1110, 0x1200);
	pst_callreach_call(g, 0x1210, 0x1300);
	pst_callreach_mark(g, 0x1320);
	pst_callreach_call(g, 0x1f00, 0x1400); /* E and F are functions */
	pst_callreach_call(g, 0x1f10, 0x1500);
	pst_callreach_jump(g, 0x1410, 0x1800);
	pst_callreach_call(g, 0x1810, 0x1300);
	return g;
}

static void test_depth(void **state)
{
	struct pst_callreach *g = chain();
	(void)state;
	pst_callreach_solve(g, 2);
	assert_true(pst_callreach_live(g, 0x1300, 0x1310)); /* D itself */
	assert_true(pst_callreach_live(g, 0x1200, 0x1210)); /* C: one call */
	assert_true(pst_callreach_live(g, 0x1100, 0x1110)); /* B: two calls */
	assert_false(pst_callreach_live(g, 0x1000, 0x1010)); /* A: three */
	assert_true(pst_callreach_live(g, 0x1000, 0x1101)); /* a stretch reaching into B */
	pst_callreach_free(g);
}

static void test_jumps_free(void **state)
{
	struct pst_callreach *g = chain();
	(void)state;
	pst_callreach_solve(g, 1);
	/* E jumps into F's region, which calls D: one call */
	assert_true(pst_callreach_live(g, 0x1400, 0x1410));
	assert_false(pst_callreach_live(g, 0x1100, 0x1110));
	pst_callreach_free(g);
}

static void test_unsolved_all_live(void **state)
{
	struct pst_callreach *g = chain();
	(void)state;
	assert_true(pst_callreach_live(g, 0x1000, 0x1010));
	pst_callreach_solve(g, 0);
	assert_false(pst_callreach_live(g, 0x1000, 0x1010));
	assert_true(pst_callreach_live(g, 0x1300, 0x1304));
	/* before the first start: not judged */
	assert_true(pst_callreach_live(g, 0x800, 0x900));
	pst_callreach_free(g);
	pst_callreach_free(NULL);
}

static void test_no_marks(void **state)
{
	struct pst_callreach *g = pst_callreach_new();
	(void)state;
	pst_callreach_code(g, 0x1000, 0x2000);
	pst_callreach_call(g, 0x1010, 0x1100);
	pst_callreach_call(g, 0x1010, 0x9000); /* outside the code: no region */
	pst_callreach_solve(g, 2);
	assert_false(pst_callreach_live(g, 0x1000, 0x2000));
	pst_callreach_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_jumps_free),
		cmocka_unit_test(test_unsolved_all_live),
		cmocka_unit_test(test_no_marks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
