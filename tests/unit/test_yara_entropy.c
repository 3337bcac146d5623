/*
 * test_yara_entropy.c - the math.entropy(0, filesize) rewrite
 * (src/analyze/yara_entropy.c) against libyara itself: the same rules,
 * compiled once as written and once rewritten, scanned over the same data
 * (whole buffers and buffers given as blocks, as containers are scanned over
 * their own ranges), must match exactly the same rules; comments, strings
 * and regular expressions are left alone and line numbers kept.
 */
#include <math.h>
#include <yara.h>
#include "helpers.h"
#include "internal.h"
#include "analyze/yara_entropy.h"

static const char rules_src[] =
	"import \"math\"\n"
	"rule e_gt { condition: math.entropy(0, filesize) > 7.5 }\n"
	"rule e_lt { condition: math.entropy(0, filesize) < 2.0 }\n"
	"rule e_ne { condition: math.entropy(0, filesize) != 3.0 }\n"
	"rule e_not { condition: not (math.entropy(0, filesize) > 7.5) }\n"
	"rule e_arith { condition: math.entropy(0, filesize) * 2 >= 1.0 }\n"
	"rule e_spaced { condition: math . entropy ( 0 ,\n  filesize ) >= 0.0 }\n"
	"rule e_or { condition: math.entropy(0, filesize) < 0.5 or filesize > 1000000 }\n"
	"// math.entropy(0, filesize) in a comment\n"
	"/* and math.entropy(0, filesize)\n   in a block comment */\n"
	"rule text_kept { strings: $a = \"math.entropy(0, filesize)\" condition: $a }\n"
	"rule regex_kept { strings: $r = /math.entropy\\(0, filesize\\)/ condition: $r }\n"
	"rule other_range { condition: math.entropy(0, 16) >= 0.0 }\n"
	"rule bigmath { condition: xmath.entropy(0, filesize) >= 0.0 or true }\n";

/* "xmath" is an undefined identifier: that rule must go for both sets */
static char *without_bigmath(const char *src)
{
	char *s = strdup(src);
	char *b = strstr(s, "rule bigmath");
	assert_non_null(b);
	*b = 0;
	return s;
}

struct blk {
	YR_MEMORY_BLOCK b[4];
	size_t n, next, total;
	const uint8_t *data;
};

static const uint8_t *fetch(YR_MEMORY_BLOCK *b)
{
	const struct blk *k = b->context;
	return k->data + b->base;
}

static YR_MEMORY_BLOCK *at(YR_MEMORY_BLOCK_ITERATOR *i, size_t idx)
{
	struct blk *k = i->context;
	i->last_error = ERROR_SUCCESS;
	if (idx >= k->n)
		return NULL;
	k->next = idx + 1;
	return &k->b[idx];
}

static YR_MEMORY_BLOCK *first(YR_MEMORY_BLOCK_ITERATOR *i)
{
	return at(i, 0);
}

static YR_MEMORY_BLOCK *next(YR_MEMORY_BLOCK_ITERATOR *i)
{
	return at(i, ((struct blk *)i->context)->next);
}

static uint64_t total(YR_MEMORY_BLOCK_ITERATOR *i)
{
	return ((struct blk *)i->context)->total;
}

static int on_match(YR_SCAN_CONTEXT *ctx, int msg, void *data, void *user)
{
	(void)ctx;
	if (msg == CALLBACK_MSG_RULE_MATCHING) {
		char *out = user;
		strcat(out, ((YR_RULE *)data)->identifier);
		strcat(out, " ");
	}
	return CALLBACK_CONTINUE;
}

static YR_RULES *compile(const char *src, bool externals)
{
	YR_COMPILER *c;
	YR_RULES *r = NULL;
	assert_int_equal(yr_compiler_create(&c), ERROR_SUCCESS);
	if (externals) {
		yr_compiler_define_float_variable(c, PST_YARA_ENTROPY_VAR, 0.0);
		yr_compiler_define_integer_variable(c, PST_YARA_ENTROPY_AT_VAR, 0);
	}
	assert_int_equal(yr_compiler_add_string(c, src, NULL), 0);
	assert_int_equal(yr_compiler_get_rules(c, &r), ERROR_SUCCESS);
	yr_compiler_destroy(c);
	return r;
}

/* Scans data (as the given ranges, or whole when n == 0) and lists the
 * matching rules. */
static void scan(YR_RULES *r, bool rewritten, const uint8_t *data, size_t len,
		 const struct pst_range *own, size_t n, char *out)
{
	YR_SCANNER *sc;
	struct blk k = { .n = n, .total = len, .data = data };
	YR_MEMORY_BLOCK_ITERATOR it = { &k, first, next, total, ERROR_SUCCESS };
	size_t i;
	out[0] = 0;
	for (i = 0; i < n; i++) {
		k.b[i].base = own[i].off;
		k.b[i].size = (size_t)own[i].len;
		k.b[i].context = &k;
		k.b[i].fetch_data = fetch;
	}
	assert_int_equal(yr_scanner_create(r, &sc), ERROR_SUCCESS);
	if (rewritten) {
		double e = 0.0;
		bool def = pst_yara_entropy_value(data, len, n ? own : NULL, n, pst_entropy(data, len), &e);
		yr_scanner_define_float_variable(sc, PST_YARA_ENTROPY_VAR, e);
		yr_scanner_define_integer_variable(sc, PST_YARA_ENTROPY_AT_VAR,
						   def ? 0 : PST_YARA_ENTROPY_NOWHERE);
	}
	yr_scanner_set_callback(sc, on_match, out);
	if (n)
		assert_int_equal(yr_scanner_scan_mem_blocks(sc, &it), ERROR_SUCCESS);
	else
		assert_int_equal(yr_scanner_scan_mem(sc, data, len), ERROR_SUCCESS);
	yr_scanner_destroy(sc);
}

static size_t lines(const char *s, size_t n)
{
	size_t i, c = 0;
	for (i = 0; i < n; i++)
		c += s[i] == '\n';
	return c;
}

static void test_rewrite_text(void **state)
{
	char *src = without_bigmath(rules_src);
	uint8_t *out, *again;
	size_t outlen, againlen;
	(void)state;
	/* seven calls in conditions; the comment, the block comment, the text
	 * string, the regex and math.entropy(0, 16) stay as they are */
	assert_int_equal(pst_yara_entropy_rewrite((const uint8_t *)src, strlen(src), &out, &outlen), 7);
	assert_int_equal(lines((const char *)out, outlen), lines(src, strlen(src)));
	assert_non_null(memmem(out, outlen, "// math.entropy(0, filesize) in a comment", 41));
	assert_non_null(memmem(out, outlen, "$a = \"math.entropy(0, filesize)\"", 32));
	assert_non_null(memmem(out, outlen, "math.entropy(0, 16)", 19));
	/* nothing left to rewrite */
	assert_int_equal(pst_yara_entropy_rewrite(out, outlen, &again, &againlen), 0);
	assert_null(again);
	free(out);
	/* without import "math" the source is left to fail as it would */
	assert_int_equal(pst_yara_entropy_rewrite((const uint8_t *)src + 14, strlen(src) - 14, &out,
						  &outlen), 0);
	/* an identifier that only ends in "math" is not the module */
	{
		static const char x[] = "import \"math\"\nrule a { condition: xmath.entropy(0, filesize) }\n";
		assert_int_equal(pst_yara_entropy_rewrite((const uint8_t *)x, strlen(x), &out, &outlen), 0);
	}
	free(src);
}

static void test_same_matches_as_libyara(void **state)
{
	char *src = without_bigmath(rules_src);
	uint8_t *rw;
	size_t rwlen, i, b;
	YR_RULES *orig, *mine;
	uint8_t *bufs[4];
	size_t lens[4] = { 4096, 4096, 300, 2000 };
	/* whole; two ranges with a gap; a range not at 0; a prefix; two
	 * contiguous ranges covering all; contiguous then a gap */
	static const struct pst_range layouts[][3] = {
		{ { 0, 0 } },
		{ { 0, 100 }, { 200, 50 } },
		{ { 100, 150 } },
		{ { 0, 120 } },
		{ { 0, 100 }, { 100, 200 } },
		{ { 0, 100 }, { 100, 50 }, { 250, 10 } },
	};
	static const size_t nl[] = { 0, 2, 1, 1, 2, 3 };
	(void)state;

	assert_int_equal(yr_initialize(), ERROR_SUCCESS);
	for (i = 0; i < 4; i++)
		bufs[i] = malloc(lens[i]);
	{
		uint32_t x = 2463534242u; /* xorshift: high entropy, the same every run */
		for (i = 0; i < lens[0]; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			bufs[0][i] = (uint8_t)(x >> 24);
		}
	}
	memset(bufs[1], 0, lens[1]);
	for (i = 0; i < lens[2]; i++)
		bufs[2][i] = (uint8_t)("math.entropy(0, filesize) text "[i % 31]);
	for (i = 0; i < lens[3]; i++)
		bufs[3][i] = (uint8_t)(i % 7);

	assert_true(pst_yara_entropy_rewrite((const uint8_t *)src, strlen(src), &rw, &rwlen) > 0);
	rw = realloc(rw, rwlen + 1);
	rw[rwlen] = 0;
	orig = compile(src, false);
	mine = compile((const char *)rw, true);
	for (i = 0; i < 4; i++)
		for (b = 0; b < sizeof(nl) / sizeof(nl[0]); b++) {
			char want[512], got[512];
			if (nl[b] && layouts[b][nl[b] - 1].off + layouts[b][nl[b] - 1].len > lens[i])
				continue;
			scan(orig, false, bufs[i], lens[i], layouts[b], nl[b], want);
			scan(mine, true, bufs[i], lens[i], layouts[b], nl[b], got);
			if (strcmp(want, got) != 0)
				fail_msg("buffer %zu layout %zu: libyara matched [%s], rewritten [%s]", i, b,
					 want, got);
		}
	/* the comparison can fail: the random buffer is high-entropy, zeros are not */
	{
		char m[512];
		scan(mine, true, bufs[0], lens[0], NULL, 0, m);
		assert_non_null(strstr(m, "e_gt "));
		scan(mine, true, bufs[1], lens[1], NULL, 0, m);
		assert_null(strstr(m, "e_gt "));
		assert_non_null(strstr(m, "e_lt "));
		/* a gap: undefined, so neither e_ne nor e_not (libyara's rule) */
		scan(mine, true, bufs[1], lens[1], layouts[1], 2, m);
		assert_null(strstr(m, "e_ne "));
	}
	yr_rules_destroy(orig);
	yr_rules_destroy(mine);
	for (i = 0; i < 4; i++)
		free(bufs[i]);
	free(rw);
	free(src);
	yr_finalize();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rewrite_text),
		cmocka_unit_test(test_same_matches_as_libyara),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
