/*
 * test_insncache.c - the decoded-instruction cache (src/analyze/insncache.c):
 * what is put comes back under its key at the address asked for, keys by
 * address and by encoding stay apart, growth keeps every entry, a text too
 * long for an entry is not kept, and a NULL cache keeps nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <capstone/capstone.h>
#include "analyze/insncache.h"

static cs_insn insn(uint64_t addr, const char *m, const char *o)
{
	cs_insn in;
	memset(&in, 0, sizeof(in));
	in.id = 7;
	in.address = addr;
	in.size = 4;
	in.bytes[0] = 0x8f;
	snprintf(in.mnemonic, sizeof(in.mnemonic), "%s", m);
	snprintf(in.op_str, sizeof(in.op_str), "%s", o);
	return in;
}

static void test_by_address_and_encoding(void **state)
{
	struct pst_insncache *ic = pst_insncache_new();
	cs_insn a = insn(0x400100, "beqz", "$v0, 0x400180");
	cs_insn w = insn(0x400104, "lw", "$t9, -0x7fd0($gp)");
	cs_insn out;
	(void)state;
	assert_non_null(ic);
	pst_insncache_put(ic, a.address, &a);
	pst_insncache_put(ic, PST_INSNCACHE_ENC | 0x8f998030u, &w);
	assert_true(pst_insncache_get(ic, 0x400100, 0x400100, &out));
	assert_string_equal(out.mnemonic, "beqz");
	assert_string_equal(out.op_str, "$v0, 0x400180");
	/* the same encoding elsewhere: the text, at the new address */
	assert_true(pst_insncache_get(ic, PST_INSNCACHE_ENC | 0x8f998030u, 0x400200, &out));
	assert_string_equal(out.op_str, "$t9, -0x7fd0($gp)");
	assert_int_equal(out.address, 0x400200);
	assert_int_equal(out.size, 4);
	assert_int_equal(out.id, 7);
	assert_int_equal(out.bytes[0], 0x8f);
	assert_false(pst_insncache_get(ic, 0x400104, 0x400104, &out));
	assert_false(pst_insncache_get(ic, 0x8f998030u, 0x400104, &out));
	pst_insncache_free(ic);
}

static void test_growth_keeps_all(void **state)
{
	struct pst_insncache *ic = pst_insncache_new();
	char o[32];
	cs_insn in, out;
	uint64_t a;
	(void)state;
	assert_non_null(ic);
	for (a = 0; a < 20000; a++) {
		snprintf(o, sizeof(o), "$a0, %llu", (unsigned long long)a);
		in = insn(0x10000 + 4 * a, "li", o);
		pst_insncache_put(ic, in.address, &in);
	}
	for (a = 0; a < 20000; a += 997) {
		snprintf(o, sizeof(o), "$a0, %llu", (unsigned long long)a);
		assert_true(pst_insncache_get(ic, 0x10000 + 4 * a, 0x10000 + 4 * a, &out));
		assert_string_equal(out.op_str, o);
	}
	pst_insncache_free(ic);
}

static void test_long_text_and_null(void **state)
{
	struct pst_insncache *ic = pst_insncache_new();
	char o[100];
	cs_insn in, out;
	(void)state;
	assert_non_null(ic);
	memset(o, 'x', sizeof(o) - 1);
	o[sizeof(o) - 1] = 0;
	in = insn(0x1000, "mov", o);
	pst_insncache_put(ic, in.address, &in);
	assert_false(pst_insncache_get(ic, 0x1000, 0x1000, &out)); /* decoded again */
	pst_insncache_put(NULL, in.address, &in);
	assert_false(pst_insncache_get(NULL, 0x1000, 0x1000, &out));
	pst_insncache_free(ic);
	pst_insncache_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_address_and_encoding),
		cmocka_unit_test(test_growth_keeps_all),
		cmocka_unit_test(test_long_text_and_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
