/*
 * test_needles.c - the multi-pattern search (src/analyze/needles.c) against
 * a plain memcmp at every position: the same hits, reported by the callback
 * at the same offsets, in offset order, for seeded random pattern sets and
 * data (small alphabets, so that patterns overlap, repeat and share their
 * first bytes), patterns at both ends of the data, and a set sealed again
 * after more patterns are added. (Written for a Wu-Manber skip table tried
 * in session 9 and dropped: the router scan got no faster; it fails on a
 * search that skips a start.) The search that skips ranges (the sections
 * pst_elf_code_sections finds, tested here on ELF files built in memory:
 * code, a symbol table, with a .rodata, without one, with a lying section
 * table) finds exactly the occurrences that start outside them. The
 * same files check pst_elf_find_section, the section table read alone.
 */
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "internal.h"
#include "analyze/binfeat.h"

#define NPAT 40
#define DATA_LEN 4096
#define MAX_CALLS 100000

struct calls {
	size_t n;
	unsigned id[MAX_CALLS];
	uint64_t off[MAX_CALLS];
};

static void record(void *ctx, unsigned id, uint64_t off)
{
	struct calls *c = ctx;
	if (c->n < MAX_CALLS) {
		c->id[c->n] = id;
		c->off[c->n] = off;
	}
	c->n++;
}

static uint32_t rnd(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 16;
}

/* Every (offset, pattern) a memcmp at each position finds. */
static void brute(uint8_t pat[][12], const size_t *len, size_t npat, const uint8_t *d,
		  size_t dlen, struct calls *want)
{
	size_t i, j;
	for (i = 0; i + 4 <= dlen; i++)
		for (j = 0; j < npat; j++)
			if (len[j] <= dlen - i && memcmp(d + i, pat[j], len[j]) == 0)
				record(want, (unsigned)j, i);
}

static int cmp_call(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	return *x < *y ? -1 : *x > *y;
}

/* The callback's calls come in offset order (patterns of one offset in any
 * order) and are exactly want's. */
static void same_calls(const struct calls *got, const struct calls *want)
{
	static uint64_t g[MAX_CALLS], w[MAX_CALLS];
	size_t i;
	assert_int_equal(got->n, want->n);
	assert_true(got->n <= MAX_CALLS);
	for (i = 0; i < got->n; i++) {
		if (i)
			assert_true(got->off[i] >= got->off[i - 1]);
		g[i] = got->off[i] << 16 | got->id[i];
		w[i] = want->off[i] << 16 | want->id[i];
	}
	qsort(g, got->n, sizeof(g[0]), cmp_call);
	qsort(w, want->n, sizeof(w[0]), cmp_call);
	assert_memory_equal(g, w, got->n * sizeof(g[0]));
}

static void check_round(uint32_t seed, unsigned alphabet)
{
	uint8_t pat[NPAT * 2][12], hits[NPAT * 2], data[DATA_LEN];
	size_t len[NPAT * 2], i, j, npat = NPAT;
	struct calls *got = calloc(1, sizeof(*got)), *want = calloc(1, sizeof(*want));
	struct pst_needles *ns = pst_needles_new();

	assert_non_null(got);
	assert_non_null(want);
	assert_non_null(ns);
	for (i = 0; i < DATA_LEN; i++)
		data[i] = (uint8_t)('a' + rnd(&seed) % alphabet);
	for (j = 0; j < NPAT * 2; j++) {
		len[j] = 4 + rnd(&seed) % 8;
		/* half the patterns are taken from the data, so they are found */
		if (j % 2) {
			size_t at = j == 1 ? 0 : j == 3 ? DATA_LEN - len[j] :
						rnd(&seed) % (DATA_LEN - len[j]);
			memcpy(pat[j], data + at, len[j]);
		} else {
			for (i = 0; i < len[j]; i++)
				pat[j][i] = (uint8_t)('a' + rnd(&seed) % alphabet);
		}
	}
	for (j = 0; j < npat; j++)
		assert_true(pst_needles_add(ns, pat[j], len[j], (unsigned)j));
	pst_needles_seal(ns);
	memset(hits, 0, sizeof(hits));
	pst_needles_find(ns, pst_view_make(data, DATA_LEN), hits, NPAT * 2, record, got);
	brute(pat, len, npat, data, DATA_LEN, want);
	same_calls(got, want);
	for (i = 0; i < got->n; i++)
		assert_int_equal(hits[got->id[i]], 1);
	/* more patterns after a search: sealed again, all are searched */
	for (j = NPAT; j < NPAT * 2; j++)
		assert_true(pst_needles_add(ns, pat[j], len[j], (unsigned)j));
	pst_needles_seal(ns);
	got->n = want->n = 0;
	pst_needles_find(ns, pst_view_make(data, DATA_LEN), hits, NPAT * 2, record, got);
	brute(pat, len, NPAT * 2, data, DATA_LEN, want);
	same_calls(got, want);
	assert_true(want->n > 0);
	pst_needles_free(ns);
	free(got);
	free(want);
}

static void test_same_as_memcmp(void **state)
{
	uint32_t seed;
	(void)state;
	/* 2 letters: nearly every window starts some pattern; 26 and 200: few */
	for (seed = 1; seed <= 30; seed++) {
		check_round(seed, 2);
		check_round(seed * 7919u, 4);
		check_round(seed * 104729u, 26);
		check_round(seed * 15485863u, 200);
	}
}

static void test_short_and_empty(void **state)
{
	struct pst_needles *ns = pst_needles_new();
	struct calls c = { 0 };
	uint8_t hits[2] = { 0 };
	(void)state;
	assert_non_null(ns);
	assert_false(pst_needles_add(ns, "abc", 3, 0)); /* under 4 bytes: refused */
	assert_true(pst_needles_add(ns, "abcd", 4, 1));
	pst_needles_seal(ns);
	pst_needles_find(ns, pst_view_make("abc", 3), hits, 2, record, &c);
	assert_int_equal(c.n, 0);
	pst_needles_find(ns, pst_view_make("abcd", 4), hits, 2, record, &c);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.off[0], 0);
	pst_needles_find(ns, pst_view_make("xxabcdabcd", 10), hits, 2, record, &c);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.off[1], 2);
	assert_int_equal(c.off[2], 6);
	pst_needles_free(ns);
}

/* Occurrences starting inside a skipped range are not reported; one that
 * starts just before a range and runs into it is. */
static void test_skip_ranges(void **state)
{
	struct pst_needles *ns = pst_needles_new();
	struct pst_range skip[2] = { { 5, 6 }, { 14, 8 } };
	struct calls c = { 0 };
	uint8_t hits[1] = { 0 };
	const char *data = "abcdabcdabcdabcdabcdabcd"; /* "abcd" at 0, 4, 8, ... 20 */
	(void)state;
	assert_non_null(ns);
	assert_true(pst_needles_add(ns, "abcd", 4, 0));
	pst_needles_seal(ns);
	pst_needles_find_skip(ns, pst_view_make(data, 24), skip, 2, hits, 1, record, &c);
	assert_int_equal(c.n, 3); /* 4 runs into the first range; 8, 16, 20 start in one */
	assert_int_equal(c.off[0], 0);
	assert_int_equal(c.off[1], 4);
	assert_int_equal(c.off[2], 12);
	c.n = 0;
	pst_needles_find_skip(ns, pst_view_make(data, 24), NULL, 0, hits, 1, record, &c);
	assert_int_equal(c.n, 6);
	pst_needles_free(ns);
}

/* A 64-bit little-endian ELF: null, .text (executable, at 0x100, 0x80
 * bytes), a second code section overlapping it, .rodata or .data, and
 * .shstrtab. */
#define ELF_LEN 0x400
static void put_le(uint8_t *p, uint64_t x, unsigned n)
{
	unsigned i;
	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(x >> (8 * i));
}
#define put16(p, x) put_le(p, x, 2)
#define put32(p, x) put_le(p, x, 4)
#define put64(p, x) put_le(p, x, 8)

static void section(uint8_t *elf, unsigned i, uint32_t name, uint64_t flags, uint64_t off,
		    uint64_t size)
{
	uint8_t *sh = elf + 0x200 + i * 64;
	put32(sh, name);
	put32(sh + 4, i == 4 ? 3u : 1u);
	put64(sh + 8, flags);
	put64(sh + 24, off);
	put64(sh + 32, size);
}

static void make_elf(uint8_t *elf, bool rodata)
{
	static const char names[] = "\0.text\0.init\0.rodata\0.data\0.shstrtab";
	memset(elf, 0, ELF_LEN);
	memcpy(elf, "\x7f" "ELF\x02\x01\x01", 7);
	put64(elf + 40, 0x200);  /* e_shoff */
	put16(elf + 58, 64);     /* e_shentsize */
	put16(elf + 60, 5);      /* e_shnum */
	put16(elf + 62, 4);      /* e_shstrndx */
	memcpy(elf + 0x380, names, sizeof(names));
	section(elf, 1, 1, 6, 0x100, 0x80);            /* .text: alloc + exec */
	section(elf, 2, 7, 6, 0x170, 0x20);            /* .init overlaps it */
	section(elf, 3, rodata ? 13 : 21, 2, 0x1a0, 0x40);
	section(elf, 4, 27, 0, 0x380, sizeof(names));
}

static size_t code_of(const uint8_t *elf, struct pst_range *r)
{
	return pst_elf_code_sections(pst_view_make(elf, ELF_LEN), r, PST_ELF_CODE_MAX);
}

static void test_elf_code_sections(void **state)
{
	uint8_t elf[ELF_LEN];
	struct pst_range r[PST_ELF_CODE_MAX];
	(void)state;
	make_elf(elf, true);
	assert_int_equal(code_of(elf, r), 1);
	assert_int_equal(r[0].off, 0x100);
	assert_int_equal(r[0].len, 0x90); /* .text and .init merged */
	/* a symbol table holds no strings either */
	section(elf, 2, 7, 2, 0x1e0, 0x10);
	put32(elf + 0x200 + 2 * 64 + 4, 11); /* SHT_DYNSYM */
	assert_int_equal(code_of(elf, r), 2);
	assert_int_equal(r[0].len, 0x80);
	assert_int_equal(r[1].off, 0x1e0);
	/* more such sections than room: search everything */
	assert_int_equal(pst_elf_code_sections(pst_view_make(elf, ELF_LEN), r, 1), 0);
	/* no .rodata: the strings may be in .text, so nothing is skipped */
	make_elf(elf, false);
	assert_int_equal(code_of(elf, r), 0);
	/* a section table past the end of the file */
	make_elf(elf, true);
	put64(elf + 40, 0x3f0);
	assert_int_equal(code_of(elf, r), 0);
	/* a code section running past the end is cut to the file */
	make_elf(elf, true);
	section(elf, 1, 1, 6, 0x100, 0xffffffffffull);
	assert_int_equal(code_of(elf, r), 1);
	assert_int_equal(r[0].off + r[0].len, ELF_LEN);
	/* not an ELF */
	assert_int_equal(pst_elf_code_sections(pst_view_make("abcd", 4), r, PST_ELF_CODE_MAX), 0);
}

/* The section table read alone (cargodep.c's lookup of .dep-v0): a named
 * section is found with its place; a missing one, a table past the end of
 * the file and a file that is no ELF give none. */
static void test_elf_find_section(void **state)
{
	uint8_t elf[ELF_LEN];
	struct pst_elf_sect s;
	(void)state;
	make_elf(elf, true);
	assert_true(pst_elf_find_section(pst_view_make(elf, ELF_LEN), ".rodata", &s));
	assert_string_equal(s.name, ".rodata");
	assert_int_equal(s.type, 1);
	assert_int_equal(s.off, 0x1a0);
	assert_int_equal(s.size, 0x40);
	assert_true(pst_elf_find_section(pst_view_make(elf, ELF_LEN), ".shstrtab", &s));
	assert_int_equal(s.type, 3);
	assert_false(pst_elf_find_section(pst_view_make(elf, ELF_LEN), ".dep-v0", &s));
	/* ".rodata" is in the name table but no section is named so */
	make_elf(elf, false);
	assert_false(pst_elf_find_section(pst_view_make(elf, ELF_LEN), ".rodata", &s));
	make_elf(elf, true);
	put64(elf + 40, 0x3f0);
	assert_false(pst_elf_find_section(pst_view_make(elf, ELF_LEN), ".rodata", &s));
	assert_false(pst_elf_find_section(pst_view_make("abcd", 4), ".rodata", &s));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_memcmp),
		cmocka_unit_test(test_short_and_empty),
		cmocka_unit_test(test_skip_ranges),
		cmocka_unit_test(test_elf_code_sections),
		cmocka_unit_test(test_elf_find_section),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
