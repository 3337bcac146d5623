/*
 * test_insncache.c - the decoded-instruction cache (src/analyze/insncache.c):
 * what is put comes back under its key at the address asked for, keys by
 * address and by encoding stay apart, growth keeps every entry, a text too
 * long for an entry is not kept, and a NULL cache keeps nothing. The MIPS
 * instructions keyed by their encoding (pst_insncache_mips_anywhere) are
 * checked against capstone itself: seeded random words of every opcode the
 * predicate takes decode to the same text at two addresses, in MIPS32 and
 * MIPS64, both byte orders, while branches (which it refuses) do not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <capstone/capstone.h>
#include <stdbool.h>
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

static uint32_t rnd(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 8) ^ (*seed << 20);
}

/* Decodes the word x at addr; false when capstone takes no instruction. */
static bool text_at(csh h, uint32_t x, bool big, uint64_t addr, char *out, size_t n)
{
	uint8_t b[4];
	cs_insn *in = NULL;
	size_t k;
	b[0] = (uint8_t)(big ? x >> 24 : x);
	b[1] = (uint8_t)(big ? x >> 16 : x >> 8);
	b[2] = (uint8_t)(big ? x >> 8 : x >> 16);
	b[3] = (uint8_t)(big ? x : x >> 24);
	k = cs_disasm(h, b, 4, addr, 1, &in);
	if (k == 1)
		snprintf(out, n, "%s %s", in[0].mnemonic, in[0].op_str);
	cs_free(in, k);
	return k == 1;
}

/* Over every mode: anywhere-words decode alike at both addresses; returns
 * how many refused words (branches) decoded differently. */
static unsigned check_mode(cs_mode mode, bool big)
{
	csh h;
	uint32_t seed = 12345u + (uint32_t)mode;
	unsigned i, differ = 0;
	assert_int_equal(cs_open(CS_ARCH_MIPS, mode, &h), CS_ERR_OK);
	for (i = 0; i < 64u * 4000u; i++) {
		uint32_t x = (i % 64u) << 26 | (rnd(&seed) & 0x03ffffffu);
		char t1[256], t2[256];
		bool ok1 = text_at(h, x, big, 0x400000, t1, sizeof(t1));
		bool ok2 = text_at(h, x, big, 0x7ffe0000, t2, sizeof(t2));
		if (pst_insncache_mips_anywhere(x)) {
			assert_int_equal(ok1, ok2);
			if (ok1 && strcmp(t1, t2) != 0)
				fail_msg("0x%08x decodes to '%s' and '%s'", x, t1, t2);
		} else if (ok1 && ok2 && strcmp(t1, t2) != 0) {
			differ++;
		}
	}
	cs_close(&h);
	return differ;
}

static void test_mips_anywhere_by_capstone(void **state)
{
	(void)state;
	assert_true(check_mode(CS_MODE_MIPS32 | CS_MODE_LITTLE_ENDIAN, false) > 0);
	assert_true(check_mode(CS_MODE_MIPS32 | CS_MODE_BIG_ENDIAN, true) > 0);
	assert_true(check_mode(CS_MODE_MIPS64 | CS_MODE_LITTLE_ENDIAN, false) > 0);
	assert_true(check_mode(CS_MODE_MIPS64 | CS_MODE_BIG_ENDIAN, true) > 0);
	/* the control: a branch and a jump are refused */
	assert_false(pst_insncache_mips_anywhere(0x10400003u)); /* beq */
	assert_false(pst_insncache_mips_anywhere(0x0c100000u)); /* jal */
	assert_true(pst_insncache_mips_anywhere(0x8f998030u));  /* lw */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_address_and_encoding),
		cmocka_unit_test(test_growth_keeps_all),
		cmocka_unit_test(test_long_text_and_null),
		cmocka_unit_test(test_mips_anywhere_by_capstone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
