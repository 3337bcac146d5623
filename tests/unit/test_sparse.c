/* test_sparse.c - sparse buffers (src/core/sparse.c): a virtual disk read
 * into a spill file keeps its all-zero blocks as holes, which are hashed,
 * measured, carved and scanned as zeros without being stored or read, and
 * its data counts against --max-spill and the scan's total, not the budget. */
#include <math.h>
#include "helpers.h"

#define MIB (1u << 20)
#define BLK PST_SPARSE_BLOCK

struct fix {
	struct pst_mem m;
	atomic_uint_fast64_t total;
	uint8_t *dense;   /* the same disk, in memory */
	size_t len;
};

/* A disk of len bytes: data in blocks 0 and 61 (a byte pattern), a few
 * bytes at the very end of a short last block, zeros elsewhere. */
static void make_dense(struct fix *f, size_t len)
{
	size_t i;
	f->len = len;
	f->dense = calloc(1, len);
	assert_non_null(f->dense);
	for (i = 0; i < BLK; i++) {
		f->dense[i] = (uint8_t)(i * 7 + 1);
		f->dense[61 * BLK + i] = (uint8_t)(i ^ 0x5a);
	}
	f->dense[len - 3] = 0xee;
}

static void obuf_on(struct fix *f, struct pst_obuf *b, uint64_t charge_max)
{
	memset(b, 0, sizeof(*b));
	b->max = 1 * MIB; /* a per-file limit a sparse buffer does not use */
	b->mem = &f->m;
	b->charge = &f->total;
	b->charge_max = charge_max;
}

static void setup(struct fix *f, uint64_t spill_max)
{
	memset(f, 0, sizeof(*f));
	assert_int_equal(pst_mem_init(&f->m, 4 * MIB, 1, 4 * MIB, NULL), PST_OK);
	pst_spill_open(&f->m, spill_max);
	atomic_init(&f->total, 0);
	make_dense(f, 100 * BLK + 100);
}

static void teardown(struct fix *f)
{
	pst_spill_close(&f->m);
	pst_mem_destroy(&f->m);
	free(f->dense);
}

/* Fills b from f's disk in 1 MiB reads, as yal.c does. */
static enum pst_err fill(struct fix *f, struct pst_obuf *b)
{
	enum pst_err e = PST_OK;
	while (b->len < f->len && e == PST_OK) {
		size_t n = f->len - b->len < MIB ? f->len - b->len : MIB;
		e = pst_obuf_put_sparse(b, f->dense + b->len, n);
	}
	return e;
}

static void holes_recorded_and_bytes_match(void **state)
{
	struct fix f;
	struct pst_obuf b;
	struct pst_blob *blob;
	(void)state;

	setup(&f, 64 * MIB);
	obuf_on(&f, &b, 64 * MIB);
	assert_true(pst_obuf_sparse(&b, f.len));
	assert_int_equal(fill(&f, &b), PST_OK);
	assert_int_equal(b.len, f.len);
	/* three data blocks written (0, 61, the short last one), the rest holes */
	assert_int_equal(b.written, 2 * BLK + 100);
	assert_int_equal(b.zeros, f.len - b.written);
	assert_int_equal(b.nholes, 2);
	assert_int_equal(b.holes[0].off, BLK);
	assert_int_equal(b.holes[0].len, 60 * BLK);
	assert_int_equal(b.holes[1].off, 62 * BLK);
	/* the data counts against the scan's total while it is charged */
	assert_int_equal(atomic_load(&f.total), b.written);
	/* nothing of it is held in the memory budget */
	assert_int_equal(f.m.live, 0);
	blob = pst_obuf_take(&b);
	assert_non_null(blob);
	pst_obuf_settle(&b);
	pst_obuf_free(&b);
	assert_int_equal(blob->nholes, 2);
	/* the data reads back through the mapping */
	assert_memory_equal(blob->p, f.dense, BLK);
	assert_memory_equal(blob->p + 61 * BLK, f.dense + 61 * BLK, BLK);
	assert_int_equal(blob->p[f.len - 3], 0xee);
	pst_blob_unref(blob);
	assert_int_equal(f.m.spill_used, 0);
	teardown(&f);
}

/* sha256 and entropy of a view with holes equal those of the same bytes in
 * memory, for the whole disk and for a part that starts inside a hole (a
 * partition borrowing the disk's bytes). */
static void digest_matches_dense(void **state)
{
	struct fix f;
	struct pst_obuf b;
	struct pst_blob *blob;
	uint8_t want[32], got[32];
	double e;
	size_t cuts[][2] = { { 0, 0 }, { 3 * BLK + 11, 70 * BLK }, { 61 * BLK + 5, 9 } };
	size_t i;
	(void)state;

	setup(&f, 64 * MIB);
	obuf_on(&f, &b, 64 * MIB);
	assert_true(pst_obuf_sparse(&b, f.len));
	assert_int_equal(fill(&f, &b), PST_OK);
	blob = pst_obuf_take(&b);
	assert_non_null(blob);
	pst_obuf_free(&b);
	cuts[0][1] = f.len;
	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		struct pst_view v = pst_view_make(blob->p + cuts[i][0], cuts[i][1]);
		pst_sha256(f.dense + cuts[i][0], cuts[i][1], want);
		pst_view_digest(blob, v, got, &e);
		assert_memory_equal(got, want, 32);
		assert_true(fabs(e - pst_entropy(f.dense + cuts[i][0], cuts[i][1])) < 1e-9);
	}
	pst_blob_unref(blob);
	teardown(&f);
}

/* Content scanners read the data, not the holes; the carver skips them; a
 * view is classified on its bytes before the first hole. */
static void scanners_skip_holes(void **state)
{
	struct fix f;
	struct pst_obuf b;
	struct pst_blob *blob;
	struct pst_range *own, *given;
	struct pst_holes it;
	struct pst_view v, head;
	size_t n = 0;
	(void)state;

	setup(&f, 64 * MIB);
	obuf_on(&f, &b, 64 * MIB);
	assert_true(pst_obuf_sparse(&b, f.len));
	assert_int_equal(fill(&f, &b), PST_OK);
	blob = pst_obuf_take(&b);
	pst_obuf_free(&b);
	v = pst_view_make(blob->p, blob->len);

	own = pst_own_less_holes(blob, v, NULL, &n);
	assert_non_null(own);
	assert_int_equal(n, 3);
	assert_int_equal(own[0].off, 0);
	assert_int_equal(own[0].len, BLK);
	assert_int_equal(own[1].off, 61 * BLK);
	assert_int_equal(own[2].off, 62 * BLK + 38 * BLK);
	free(own);

	/* own ranges given (a header window and a tail) are cut by the holes */
	given = malloc(2 * sizeof(*given));
	given[0].off = 0;
	given[0].len = 2 * BLK;
	given[1].off = 70 * BLK;
	given[1].len = 10 * BLK;
	n = 2;
	own = pst_own_less_holes(blob, v, given, &n);
	assert_int_equal(n, 1);
	assert_int_equal(own[0].off, 0);
	assert_int_equal(own[0].len, BLK);
	free(own);

	/* a part lying wholly in a hole has nothing to read (not "all of it") */
	n = 0;
	own = pst_own_less_holes(blob, pst_view_make(blob->p + 2 * BLK, 10 * BLK), NULL, &n);
	assert_non_null(own);
	assert_int_equal(n, 0);
	free(own);

	pst_holes_init(&it, blob, v);
	assert_int_equal(it.start, BLK);
	assert_int_equal(pst_holes_skip(&it, 5), 5);
	assert_int_equal(pst_holes_skip(&it, BLK + 9), 61 * BLK);
	assert_int_equal(pst_holes_skip(&it, 62 * BLK), 100 * BLK);

	head = pst_view_before_hole(blob, v);
	assert_int_equal(head.len, BLK);
	head = pst_view_before_hole(blob, pst_view_make(blob->p + 2 * BLK, 5 * BLK));
	assert_int_equal(head.len, BLK); /* at least one block, even in a hole */
	pst_blob_unref(blob);
	teardown(&f);
}

/* Data past --max-spill, or past the scan's total, cuts the disk there: the
 * first as the memory budget does (mem_over: limit.memory), the second as
 * the total does. */
static void limits_cut(void **state)
{
	struct fix f;
	struct pst_obuf b;
	(void)state;

	setup(&f, BLK + BLK / 2);
	obuf_on(&f, &b, 64 * MIB);
	assert_true(pst_obuf_sparse(&b, f.len));
	assert_int_equal(fill(&f, &b), PST_ELIMIT);
	assert_true(b.over && b.mem_over);
	assert_int_equal(b.len, 61 * BLK); /* block 0 and the hole, not block 61 */
	pst_obuf_free(&b);
	assert_int_equal(f.m.spill_used, 0);
	teardown(&f);

	setup(&f, 64 * MIB);
	obuf_on(&f, &b, BLK);
	assert_true(pst_obuf_sparse(&b, f.len));
	assert_int_equal(fill(&f, &b), PST_ELIMIT);
	assert_true(b.over && !b.mem_over);
	assert_int_equal(b.len, 61 * BLK);
	pst_obuf_free(&b);
	assert_int_equal(atomic_load(&f.total), 0);
	teardown(&f);

	/* no spill files at all: the caller fills the buffer in memory */
	setup(&f, 0);
	obuf_on(&f, &b, 64 * MIB);
	assert_false(pst_obuf_sparse(&b, f.len));
	assert_null(b.p);
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(holes_recorded_and_bytes_match),
		cmocka_unit_test(digest_matches_dense),
		cmocka_unit_test(scanners_skip_holes),
		cmocka_unit_test(limits_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
