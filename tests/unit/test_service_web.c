/*
 * test_service_web.c - the web pages' HTML writer (src/service/web_html.c):
 * markup-significant characters become entities, bytes that are not
 * well-formed UTF-8 and characters HTML reports as parse errors become
 * visible escapes, valid text passes unchanged, query values are
 * percent-encoded, the hex dump is escaped, and the size cap is sticky.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "service/web_html.h"

static char *text(const char *s, size_t n)
{
	struct web_buf b = { 0 };
	web_textn(&b, s, n);
	assert_false(b.err);
	return b.p ? b.p : strdup("");
}

static void check_text(const char *in, size_t n, const char *want)
{
	char *got = text(in, n);
	assert_string_equal(got, want);
	free(got);
}

static void test_markup_escaped(void **state)
{
	(void)state;
	check_text("<script>alert(1)</script>", 25, "&lt;script&gt;alert(1)&lt;/script&gt;");
	check_text("a\"b'c&d", 7, "a&quot;b&#39;c&amp;d");
	check_text("&amp;", 5, "&amp;amp;");
}

static void test_plain_and_utf8_pass(void **state)
{
	(void)state;
	check_text("squashfs@0x4c0000!/etc/passwd", 29, "squashfs@0x4c0000!/etc/passwd");
	check_text("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91", 14,
		   "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91");
	check_text("tab\tline\n", 9, "tab\tline\n");
}

static void test_bad_bytes_visible(void **state)
{
	(void)state;
	check_text("a\x00" "b", 3, "a\\x00b");
	check_text("\x1b[31m", 5, "\\x1b[31m");
	check_text("\x7f", 1, "\\x7f");
	check_text("\xff\xfe", 2, "\\xff\\xfe");
	check_text("\xc0\xaf", 2, "\\xc0\\xaf");		/* overlong '/' */
	check_text("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");	/* a surrogate */
	check_text("\xe2\x82", 2, "\\xe2\\x82");		/* cut short */
	check_text("\xc2\x85", 2, "\\x85");			/* C1 control */
	check_text("\xef\xb7\x90", 3, "\\u{fdd0}");		/* noncharacter */
	check_text("\xef\xbf\xbe", 3, "\\u{fffe}");
	/* an escape never produces markup: the backslash form is inert text */
	check_text("\xff<", 2, "\\xff&lt;");
}

static void test_urlenc(void **state)
{
	struct web_buf b = { 0 };
	(void)state;
	web_urlenc(&b, "a b/<\"'>&=?#%~._-Z9");
	assert_string_equal(b.p, "a%20b%2F%3C%22%27%3E%26%3D%3F%23%25~._-Z9");
	web_buf_free(&b);
}

static void test_hexdump(void **state)
{
	struct web_buf b = { 0 };
	(void)state;
	web_hexdump(&b, (const unsigned char *)"<a>\x01", 4, 0x1f0);
	/* 4 bytes, 12 blank columns of 3, one space, then the characters */
	assert_string_equal(b.p, "000001f0  3c 61 3e 01 "
				 "                                    "
				 " &lt;a&gt;.\n");
	web_buf_free(&b);
}

static void test_numbers_and_raw(void **state)
{
	struct web_buf b = { 0 };
	(void)state;
	web_raw(&b, "<p>");
	web_int(&b, -12);
	web_uint(&b, 18446744073709551615ull);
	web_raw(&b, "</p>");
	assert_string_equal(b.p, "<p>-1218446744073709551615</p>");
	web_buf_free(&b);
}

static void test_cap_sticky(void **state)
{
	struct web_buf b = { 0 };
	char *big = malloc(1u << 20);
	size_t i;
	(void)state;
	assert_non_null(big);
	memset(big, 'a', 1u << 20);
	for (i = 0; i < WEB_PAGE_MAX / (1u << 20) + 2; i++)
		web_textn(&b, big, 1u << 20);
	assert_true(b.err);
	assert_true(b.len <= WEB_PAGE_MAX);
	web_raw(&b, "x");
	assert_true(b.err);
	web_buf_free(&b);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markup_escaped),
		cmocka_unit_test(test_plain_and_utf8_pass),
		cmocka_unit_test(test_bad_bytes_visible),
		cmocka_unit_test(test_urlenc),
		cmocka_unit_test(test_hexdump),
		cmocka_unit_test(test_numbers_and_raw),
		cmocka_unit_test(test_cap_sticky),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
