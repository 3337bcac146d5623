/*
 * test_clamav_body.c - ClamAV body signatures matched by postern itself
 * (src/analyze/clamav_body.c): which signatures it takes (the rest stays
 * with YARA), and for each element kind a file it matches and a near miss
 * it does not; the lowest numbered signature wins; ELF-only signatures need
 * ELF's magic; a hostile file's work is bounded. tests/e2e/clamav_body.sh
 * checks the same kinds against clamscan.
 */
#include <string.h>
#include "helpers.h"
#include "analyze/clamav_body.h"

static long match(const struct pst_cbodies *s, const char *text)
{
	return pst_cbodies_match(s, (const uint8_t *)text, strlen(text));
}

/* "ABCD" is 41424344 */
static void test_takes(void **state)
{
	struct pst_cbodies s;
	(void)state;
	memset(&s, 0, sizeof(s));
	assert_true(pst_cbodies_add(&s, "41424344", false, 0));
	assert_true(pst_cbodies_add(&s, "41424344??45{2}46{1-4}48", false, 1));
	assert_true(pst_cbodies_add(&s, "414243??44454647", false, 2));   /* the anchor later */
	assert_false(pst_cbodies_add(&s, "414243??444546{2}4748", false, 3)); /* 3 before a jump */
	assert_false(pst_cbodies_add(&s, "41424344*45", false, 2));       /* unbounded */
	assert_false(pst_cbodies_add(&s, "41424344{65}45", false, 2));    /* a long jump */
	assert_false(pst_cbodies_add(&s, "41424344{3-}45", false, 2));
	assert_false(pst_cbodies_add(&s, "41424344(45|46)", false, 2));   /* alternatives */
	assert_false(pst_cbodies_add(&s, "41424344{1}45{1}46{1}47", false, 2)); /* three jumps */
	assert_false(pst_cbodies_add(&s, "41424344{2}", false, 2));        /* a jump last */
	assert_false(pst_cbodies_add(&s, "{2}41424344", false, 2));        /* a jump first */
	assert_false(pst_cbodies_add(&s, "41424344{1}{1}45", false, 2));
	assert_false(pst_cbodies_add(&s, "4142434", false, 2));            /* half a byte */
	assert_false(pst_cbodies_add(&s, "", false, 2));
	assert_false(pst_cbodies_add(&s, "0000000041", false, 2));        /* a head of zeros */
	assert_int_equal(s.n, 3);
	pst_cbodies_free(&s);
}

static void test_matches(void **state)
{
	struct pst_cbodies s;
	(void)state;
	memset(&s, 0, sizeof(s));
	/* 0: wildcard and nibbles around an anchor that is not at the start */
	assert_true(pst_cbodies_add(&s, "5a??3?4b4c4d4e?f", false, 10));
	/* 1, 5: jumps of every form */
	assert_true(pst_cbodies_add(&s, "50515253{2}54{-2}55", false, 11));
	assert_true(pst_cbodies_add(&s, "5758595a{1-3}56", false, 13));
	/* 2: ELF files only */
	assert_true(pst_cbodies_add(&s, "454c464f4e4c59", true, 12));
	/* 3: a lower number for the same bytes as 4 */
	assert_true(pst_cbodies_add(&s, "4c4f57455354", false, 3));
	assert_true(pst_cbodies_add(&s, "4c4f5745", false, 4));
	assert_true(pst_cbodies_seal(&s));

	assert_int_equal(match(&s, "..Z!3KLMN/..."), 10);   /* 5a ?? 3? 4b4c4d4e ?f */
	assert_int_equal(match(&s, "..Z!DKLMN/..."), -1);   /* D (44) is no 3? */
	assert_int_equal(match(&s, "..Z!3KLMN.."), -1);     /* . (2e) is no ?f */
	assert_int_equal(match(&s, "KLMN/"), -1);           /* the start before the file */
	assert_int_equal(match(&s, "PQRSxxTU"), 11);        /* {2}, {-2} as 0 */
	assert_int_equal(match(&s, "PQRSxxTxxU"), 11);      /* {-2} as 2 */
	assert_int_equal(match(&s, "PQRSxxTxxxU"), -1);     /* {-2} as 3 */
	assert_int_equal(match(&s, "PQRSxTU"), -1);         /* {2} as 1 */
	assert_int_equal(match(&s, "PQRSxxxTU"), -1);       /* {2} as 3 */
	assert_int_equal(match(&s, "PQRS PQRSxxTU"), 11);   /* the second occurrence */
	assert_int_equal(match(&s, "WXYZxV"), 13);          /* {1-3} as 1 */
	assert_int_equal(match(&s, "WXYZxxxV"), 13);        /* {1-3} as 3 */
	assert_int_equal(match(&s, "WXYZV"), -1);           /* {1-3} as 0 */
	assert_int_equal(match(&s, "WXYZxxxxV"), -1);       /* {1-3} as 4 */
	assert_int_equal(match(&s, "\177ELF....ELFONLY"), 12);
	assert_int_equal(match(&s, "........ELFONLY"), -1);
	assert_int_equal(match(&s, "xx LOWEST yy"), 3);
	assert_int_equal(match(&s, "xx LOWER yy"), 4);
	assert_int_equal(match(&s, "LOW"), -1);
	pst_cbodies_free(&s);
}

/* A file made of one anchor and the byte after the first jump, against a
 * signature with two wide jumps: the work is bounded, and the file is
 * reported unchecked, not clean. */
static void test_budget(void **state)
{
	struct pst_cbodies s;
	size_t len = 1u << 18;
	uint8_t *buf = malloc(len);
	(void)state;
	assert_non_null(buf);
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)"ABCDEEEE"[i % 8];
	memset(&s, 0, sizeof(s));
	assert_true(pst_cbodies_add(&s, "41424344{0-64}45{0-64}46", false, 0));
	assert_true(pst_cbodies_seal(&s));
	assert_int_equal(pst_cbodies_match(&s, buf, len), -2);
	buf[len - 1] = 'F'; /* a match at the end is never reached */
	assert_int_equal(pst_cbodies_match(&s, buf, len), -2);
	buf[20] = 'F';      /* one near the start is found */
	assert_int_equal(pst_cbodies_match(&s, buf, len), 0);
	pst_cbodies_free(&s);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_takes),
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
