/* test_tlog.c - the transparency log (src/service/tlog.c): roots, audit
 * paths and consistency proofs equal those tests/tools/tlog_vectors.py
 * computes from RFC 9162's recursive definitions (and, for sizes 1-8, the
 * Certificate Transparency reference roots), for every tree size 1-64,
 * every leaf and every first size; every proof verifies and every tampered
 * one (a hash, the entry, the index, the sizes, the root) does not; signed
 * tree heads and their JSON; the offline checks (pst_log_*) accept a log that
 * grew and refuse a fork or a rewritten history. */
#include <sodium.h>
#include "helpers.h"
#include "report/report.h"
#include "service/tlog.h"

#define N 64

static uint8_t *entry(size_t i, size_t *len)
{
	/* the CT reference leaves, then "postern-%d" (as tlog_vectors.py) */
	static const char *ct[8] = { "", "\x00", "\x10", "\x20\x21", "\x30\x31",
				     "\x40\x41\x42\x43", "\x50\x51\x52\x53\x54\x55\x56\x57",
				     "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f" };
	static const size_t ctlen[8] = { 0, 1, 1, 2, 2, 4, 8, 16 };
	static char buf[32];
	if (i < 8) {
		*len = ctlen[i];
		return (uint8_t *)ct[i];
	}
	*len = (size_t)snprintf(buf, sizeof(buf), "postern-%zu", i);
	return (uint8_t *)buf;
}

static struct pst_tlog_mem *filled(size_t n, struct pst_tlog_store *st)
{
	struct pst_tlog_mem *m = pst_tlog_mem_new();
	size_t i, len;
	uint64_t at;
	assert_non_null(m);
	*st = pst_tlog_mem_store(m);
	for (i = 0; i < n; i++) {
		const uint8_t *e = entry(i, &len);
		assert_int_equal(pst_tlog_append(st, e, len, &at), PST_OK);
		assert_int_equal(at, i);
	}
	return m;
}

static void hex(const uint8_t h[PST_TLOG_HASH], char out[65])
{
	pst_hex(h, PST_TLOG_HASH, out);
}

/* The empty tree's root, and no root past the log's size. The CT reference
 * roots are checked by tlog_vectors.py, which every other root here is
 * compared with. */
static void test_empty_root(void **state)
{
	struct pst_tlog_store st;
	struct pst_tlog_mem *m = filled(8, &st);
	uint8_t h[PST_TLOG_HASH];
	char x[65];
	(void)state;
	assert_int_equal(pst_tlog_root(&st, 0, h), PST_OK);
	hex(h, x);
	assert_string_equal(x, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(pst_tlog_root(&st, 9, h), PST_EUSAGE);
	pst_tlog_mem_free(m);
}

/* One line of the vectors: its kind, two numbers and up to 65 hashes. */
struct vline {
	char kind;
	uint64_t a, b;
	struct pst_tlog_proof p;
};

static bool read_vline(FILE *f, struct vline *v)
{
	static char line[8192];
	char *s, *end;
	if (!fgets(line, sizeof(line), f))
		return false;
	v->kind = line[0];
	v->a = strtoull(line + 2, &end, 10);
	v->b = v->kind == 'I' || v->kind == 'C' ? strtoull(end, &end, 10) : 0;
	v->p.n = 0;
	for (s = end; *s == ' ' && v->p.n < PST_TLOG_PROOF_MAX; s += 65) {
		size_t got = 0;
		assert_int_equal(sodium_hex2bin(v->p.hash[v->p.n], PST_TLOG_HASH, s + 1, 64, NULL,
						&got, NULL), 0);
		assert_int_equal(got, PST_TLOG_HASH);
		v->p.n++;
	}
	return true;
}

static void assert_same_proof(const struct pst_tlog_proof *a, const struct pst_tlog_proof *b,
			      const struct vline *v)
{
	if (a->n != b->n || memcmp(a->hash, b->hash, a->n * PST_TLOG_HASH) != 0)
		fail_msg("%c %llu %llu: C gives %zu hashes, python %zu (or they differ)", v->kind,
			 (unsigned long long)v->a, (unsigned long long)v->b, a->n, b->n);
}

/* Every proof element flipped, one element dropped or added: none verifies. */
static void tampered_inclusion_fails(uint64_t m, uint64_t n, const uint8_t leaf[32],
				     const struct pst_tlog_proof *p, const uint8_t root[32],
				     const uint8_t *next_root)
{
	struct pst_tlog_proof t;
	uint8_t bad[PST_TLOG_HASH];
	size_t i;
	for (i = 0; i < p->n; i++) {
		t = *p;
		t.hash[i][i % PST_TLOG_HASH] ^= 0x01;
		assert_false(pst_tlog_verify_inclusion(m, n, leaf, &t, root));
	}
	t = *p;
	if (t.n) {
		t.n--;
		assert_false(pst_tlog_verify_inclusion(m, n, leaf, &t, root));
	}
	t = *p;
	memcpy(t.hash[t.n++], root, PST_TLOG_HASH);
	assert_false(pst_tlog_verify_inclusion(m, n, leaf, &t, root));
	memcpy(bad, leaf, sizeof(bad));
	bad[0] ^= 0x80;
	assert_false(pst_tlog_verify_inclusion(m, n, bad, p, root));
	if (n > 1)
		assert_false(pst_tlog_verify_inclusion((m + 1) % n, n, leaf, p, root));
	/* A path and a root alone do not pin the size (the leftmost leaf's path
	 * in 3 also climbs to that root as a tree of 4: the signature binds a
	 * root to its size), but no path reaches the next tree's root. */
	if (next_root)
		assert_false(pst_tlog_verify_inclusion(m, n + 1, leaf, p, next_root));
	assert_false(pst_tlog_verify_inclusion(n, n, leaf, p, root));
}

static void tampered_consistency_fails(uint64_t m, uint64_t n, const uint8_t r1[32],
				       const uint8_t r2[32], const struct pst_tlog_proof *p,
				       const uint8_t *next_root)
{
	struct pst_tlog_proof t;
	uint8_t bad[PST_TLOG_HASH];
	size_t i;
	for (i = 0; i < p->n; i++) {
		t = *p;
		t.hash[i][31 - i % PST_TLOG_HASH] ^= 0x40;
		assert_false(pst_tlog_verify_consistency(m, n, r1, r2, &t));
	}
	memcpy(bad, r1, sizeof(bad));
	bad[5] ^= 1;
	if (m != n || p->n)
		assert_false(pst_tlog_verify_consistency(m, n, bad, r2, p));
	memcpy(bad, r2, sizeof(bad));
	bad[5] ^= 1;
	assert_false(pst_tlog_verify_consistency(m, n, r1, bad, p));
	if (m < n) {
		assert_false(pst_tlog_verify_consistency(n, m, r2, r1, p));
		if (next_root)
			assert_false(pst_tlog_verify_consistency(m, n + 1, r1, next_root, p));
		t = *p;
		t.n--;
		assert_false(pst_tlog_verify_consistency(m, n, r1, r2, &t));
	}
}

static void check_vline(const struct pst_tlog_store *st, const struct vline *v,
			uint8_t roots[N + 1][PST_TLOG_HASH])
{
	struct pst_tlog_proof mine;
	uint8_t h[PST_TLOG_HASH];

	switch (v->kind) {
	case 'R':
		assert_int_equal(pst_tlog_root(st, v->a, h), PST_OK);
		assert_memory_equal(h, v->p.hash[0], PST_TLOG_HASH);
		memcpy(roots[v->a], h, PST_TLOG_HASH);
		break;
	case 'L':
		assert_int_equal(st->leaf_get(st->ctx, v->a, h), 0);
		assert_memory_equal(h, v->p.hash[0], PST_TLOG_HASH);
		break;
	case 'I':
		assert_int_equal(pst_tlog_prove_inclusion(st, v->a, v->b, &mine), PST_OK);
		assert_same_proof(&mine, &v->p, v);
		assert_int_equal(st->leaf_get(st->ctx, v->a, h), 0);
		assert_true(pst_tlog_verify_inclusion(v->a, v->b, h, &mine, roots[v->b]));
		tampered_inclusion_fails(v->a, v->b, h, &mine, roots[v->b],
					 v->b < N ? roots[v->b + 1] : NULL);
		break;
	case 'C':
		assert_int_equal(pst_tlog_prove_consistency(st, v->a, v->b, &mine), PST_OK);
		assert_same_proof(&mine, &v->p, v);
		assert_true(pst_tlog_verify_consistency(v->a, v->b, roots[v->a], roots[v->b], &mine));
		tampered_consistency_fails(v->a, v->b, roots[v->a], roots[v->b], &mine,
					   v->b < N ? roots[v->b + 1] : NULL);
		break;
	default:
		fail_msg("unknown vector line '%c'", v->kind);
	}
}

/* Every size 1-64, every leaf, every first size, against the python
 * vectors; with the node cache and without it (a store that keeps no
 * nodes must give the same answers). */
static void run_vectors(bool cache)
{
	static uint8_t roots[N + 1][PST_TLOG_HASH];
	struct pst_tlog_store st;
	struct pst_tlog_mem *m = filled(N, &st);
	struct vline v;
	size_t counts[128] = { 0 };
	FILE *f = popen("python3 " FIXTURE_DIR "/../tools/tlog_vectors.py", "r");

	assert_non_null(f);
	if (!cache)
		st.node_get = NULL;
	while (read_vline(f, &v)) {
		check_vline(&st, &v, roots);
		counts[(unsigned char)v.kind & 127]++;
	}
	assert_int_equal(pclose(f), 0);
	assert_int_equal(counts['R'], N + 1);
	assert_int_equal(counts['L'], N);
	assert_int_equal(counts['I'], N * (N + 1) / 2);
	assert_int_equal(counts['C'], N * (N + 1) / 2);
	pst_tlog_mem_free(m);
}

static void test_vectors_cached(void **state)
{
	(void)state;
	run_vectors(true);
}

static void test_vectors_uncached(void **state)
{
	(void)state;
	run_vectors(false);
}

/* A rewritten entry: the proofs of the old tree no longer verify against
 * the new root, and the new tree is not consistent with the old one. */
static void test_tampered_entry(void **state)
{
	struct pst_tlog_store a, b;
	struct pst_tlog_mem *ma = filled(13, &a), *mb = pst_tlog_mem_new();
	struct pst_tlog_proof p;
	uint8_t ra[32], rb[32], leaf[32];
	size_t i, len;
	uint64_t at;
	(void)state;
	b = pst_tlog_mem_store(mb);
	for (i = 0; i < 13; i++) {
		const uint8_t *e = entry(i, &len);
		if (i == 6)
			e = (const uint8_t *)"rewritten decision", len = 18;
		assert_int_equal(pst_tlog_append(&b, e, len, &at), PST_OK);
	}
	assert_int_equal(pst_tlog_root(&a, 13, ra), PST_OK);
	assert_int_equal(pst_tlog_root(&b, 13, rb), PST_OK);
	assert_memory_not_equal(ra, rb, 32);
	/* entry 6's old proof against the rewritten root */
	assert_int_equal(pst_tlog_prove_inclusion(&a, 6, 13, &p), PST_OK);
	assert_int_equal(a.leaf_get(a.ctx, 6, leaf), 0);
	assert_true(pst_tlog_verify_inclusion(6, 13, leaf, &p, ra));
	assert_false(pst_tlog_verify_inclusion(6, 13, leaf, &p, rb));
	/* a neighbour's proof passes through the rewritten leaf */
	assert_int_equal(pst_tlog_prove_inclusion(&a, 7, 13, &p), PST_OK);
	assert_int_equal(a.leaf_get(a.ctx, 7, leaf), 0);
	assert_false(pst_tlog_verify_inclusion(7, 13, leaf, &p, rb));
	/* b grown by one: its proof from 9 does not reach a's root of 9 */
	assert_int_equal(pst_tlog_append(&b, (const uint8_t *)"x", 1, &at), PST_OK);
	assert_int_equal(pst_tlog_root(&a, 9, ra), PST_OK);
	assert_int_equal(pst_tlog_root(&b, 14, rb), PST_OK);
	assert_int_equal(pst_tlog_prove_consistency(&b, 9, 14, &p), PST_OK);
	assert_false(pst_tlog_verify_consistency(9, 14, ra, rb, &p));
	pst_tlog_mem_free(ma);
	pst_tlog_mem_free(mb);
}

/* A bigger log: the cached and uncached roots agree, sampled proofs verify. */
static void test_large_log(void **state)
{
	struct pst_tlog_store st, bare;
	struct pst_tlog_mem *m = pst_tlog_mem_new();
	struct pst_tlog_proof p;
	uint8_t r1[32], r2[32], leaf[32], ro[32];
	uint64_t i, at, n = 3000;
	char e[32];
	(void)state;
	st = pst_tlog_mem_store(m);
	for (i = 0; i < n; i++) {
		int len = snprintf(e, sizeof(e), "decision %llu", (unsigned long long)i);
		assert_int_equal(pst_tlog_append(&st, (const uint8_t *)e, (size_t)len, &at), PST_OK);
	}
	bare = st;
	bare.node_get = NULL;
	for (i = 1; i <= n; i += 331) {
		assert_int_equal(pst_tlog_root(&st, i, r1), PST_OK);
		assert_int_equal(pst_tlog_root(&bare, i, r2), PST_OK);
		assert_memory_equal(r1, r2, 32);
	}
	assert_int_equal(pst_tlog_root(&st, n, r1), PST_OK);
	for (i = 0; i < n; i += 97) {
		assert_int_equal(pst_tlog_prove_inclusion(&st, i, n, &p), PST_OK);
		assert_int_equal(st.leaf_get(st.ctx, i, leaf), 0);
		assert_true(pst_tlog_verify_inclusion(i, n, leaf, &p, r1));
		assert_int_equal(pst_tlog_root(&st, i + 1, ro), PST_OK);
		assert_int_equal(pst_tlog_prove_consistency(&st, i + 1, n, &p), PST_OK);
		assert_true(pst_tlog_verify_consistency(i + 1, n, ro, r1, &p));
	}
	assert_int_equal(pst_tlog_prove_inclusion(&st, n, n, &p), PST_EUSAGE);
	assert_int_equal(pst_tlog_prove_consistency(&st, 5, n + 1, &p), PST_EUSAGE);
	assert_int_equal(pst_tlog_prove_consistency(&st, 6, 5, &p), PST_EUSAGE);
	pst_tlog_mem_free(m);
}

/* ---- signed tree heads and the offline checks ---- */

struct keys {
	char *dir, sec[512], pub[512], other_sec[512], other_pub[512];
};

static void make_keys(struct keys *k)
{
	char err[256];
	k->dir = th_tmpdir();
	snprintf(k->sec, sizeof(k->sec), "%s/log.key", k->dir);
	snprintf(k->pub, sizeof(k->pub), "%s/log.pub", k->dir);
	snprintf(k->other_sec, sizeof(k->other_sec), "%s/other.key", k->dir);
	snprintf(k->other_pub, sizeof(k->other_pub), "%s/other.pub", k->dir);
	assert_int_equal(pst_keygen(k->sec, k->pub, err, sizeof(err)), PST_OK);
	assert_int_equal(pst_keygen(k->other_sec, k->other_pub, err, sizeof(err)), PST_OK);
}

static void free_keys(struct keys *k)
{
	th_sh("rm -rf '%s'", k->dir);
	free(k->dir);
}

/* The signed head of the first n entries of st, as JSON. */
static char *sth_of(const struct pst_tlog_store *st, uint64_t n, uint64_t ts, const char *sec)
{
	struct pst_tlog_sth sth;
	char err[256];
	memset(&sth, 0, sizeof(sth));
	sth.size = n;
	sth.timestamp = ts;
	assert_int_equal(pst_tlog_root(st, n, sth.root), PST_OK);
	assert_int_equal(pst_tlog_sth_sign_file(&sth, sec, err, sizeof(err)), PST_OK);
	return pst_tlog_sth_json(&sth);
}

/* A signed head of size 0 whose root is not the empty tree's. */
static char *sth_bad_empty(const struct pst_tlog_store *st, const char *sec)
{
	struct pst_tlog_sth sth;
	char err[256];
	memset(&sth, 0, sizeof(sth));
	sth.timestamp = 1;
	assert_int_equal(pst_tlog_root(st, 1, sth.root), PST_OK);
	assert_int_equal(pst_tlog_sth_sign_file(&sth, sec, err, sizeof(err)), PST_OK);
	return pst_tlog_sth_json(&sth);
}

static char *consistency_of(const struct pst_tlog_store *st, uint64_t a, uint64_t b)
{
	struct pst_tlog_proof p;
	assert_int_equal(pst_tlog_prove_consistency(st, a, b, &p), PST_OK);
	return pst_tlog_consistency_json(a, b, &p);
}

static void test_sth_sign_and_json(void **state)
{
	struct keys k;
	struct pst_tlog_store st;
	struct pst_tlog_mem *m = filled(21, &st);
	struct pst_tlog_sth a, b;
	uint8_t pk[32], opk[32];
	char err[256], *j1, *j2;
	(void)state;
	make_keys(&k);
	j1 = sth_of(&st, 21, 1765000000123ull, k.sec);
	assert_non_null(j1);
	assert_int_equal(pst_tlog_sth_parse(j1, strlen(j1), &a, err, sizeof(err)), PST_OK);
	j2 = pst_tlog_sth_json(&a);
	assert_string_equal(j1, j2); /* stable: parse and print give the same text */
	assert_non_null(strstr(j1, "{\n  \"tree_size\": 21,\n  \"timestamp\": 1765000000123,\n"
				   "  \"root_hash\": \""));
	assert_true(pst_key_read(k.pub, PST_PUBLIC_KEY_HEADER, pk, 32, err, sizeof(err)));
	assert_true(pst_key_read(k.other_pub, PST_PUBLIC_KEY_HEADER, opk, 32, err, sizeof(err)));
	assert_true(pst_tlog_sth_verify(&a, pk));
	assert_false(pst_tlog_sth_verify(&a, opk));
	b = a, b.size++;
	assert_false(pst_tlog_sth_verify(&b, pk));
	b = a, b.timestamp--;
	assert_false(pst_tlog_sth_verify(&b, pk));
	b = a, b.root[31] ^= 1;
	assert_false(pst_tlog_sth_verify(&b, pk));
	b = a, b.sig[0] ^= 1;
	assert_false(pst_tlog_sth_verify(&b, pk));
	/* numbers past 2^53 - 1 are neither written nor read */
	b = a, b.size = PST_TLOG_JSON_INT_MAX + 1;
	assert_null(pst_tlog_sth_json(&b));
	free(j1);
	free(j2);
	pst_tlog_mem_free(m);
	free_keys(&k);
}

static void parse_fails(const char *text, const char *want)
{
	struct pst_tlog_sth sth;
	struct pst_tlog_proof p;
	uint8_t leaf[32];
	uint64_t a, b;
	char err[256] = "";
	enum pst_err e;
	if (strstr(text, "\"hashes\"") && !strstr(text, "\"sth\""))
		e = pst_tlog_consistency_parse(text, strlen(text), &a, &b, &p, err, sizeof(err));
	else if (strstr(text, "\"sth\""))
		e = pst_tlog_inclusion_parse(text, strlen(text), &sth, &a, leaf, &p, err, sizeof(err));
	else
		e = pst_tlog_sth_parse(text, strlen(text), &sth, err, sizeof(err));
	assert_int_equal(e, PST_EFORMAT);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
}

static void test_malformed_json(void **state)
{
	char many[8192], *q = many;
	int i;
	(void)state;
	parse_fails("", "not JSON");
	parse_fails("[1]", "not a JSON object");
	parse_fails("{\"tree_size\": -1}", "\"tree_size\" is out of range");
	parse_fails("{\"tree_size\": 9007199254740992}", "out of range");
	parse_fails("{\"tree_size\": 1.5}", "not an integer");
	parse_fails("{\"tree_size\": 1, \"timestamp\": 2, \"root_hash\": \"00\"}", "\"root_hash\"");
	parse_fails("{\"tree_size\": 1, \"tree_size\": 2}", "duplicate");
	parse_fails("{\"first\": 1, \"second\": 2, \"hashes\": [\"zz\"]}", "\"hashes\"[0]");
	q += sprintf(q, "{\"first\": 1, \"second\": 2, \"hashes\": [");
	for (i = 0; i < PST_TLOG_PROOF_MAX + 1; i++)
		q += sprintf(q, "%s\"%064d\"", i ? "," : "", 0);
	sprintf(q, "]}");
	parse_fails(many, "at most 65");
	parse_fails("{\"sth\": 5, \"hashes\": []}", "not a signed tree head");
}

static size_t len_or0(const char *s)
{
	return s ? strlen(s) : 0;
}

static void check_one(const char *kept, const char *sth, const char *cons, const char *pub,
		      enum pst_log_result want, bool adv_want, char *msg, size_t msglen)
{
	bool adv = !adv_want;
	enum pst_log_result r = pst_log_check(kept, len_or0(kept), sth, strlen(sth), cons,
					      len_or0(cons), pub, &adv, msg, msglen);
	if (r != want)
		fail_msg("pst_log_check gave %d, not %d: %s", (int)r, (int)want, msg);
	if (want == PST_LOG_OK)
		assert_int_equal(adv, adv_want);
}

/* pst_log_check: trust on first use, growth with a proof, the refusals. */
static void test_log_check(void **state)
{
	struct keys k;
	struct pst_tlog_store st, fork;
	struct pst_tlog_mem *m = filled(40, &st), *mf = pst_tlog_mem_new();
	char msg[512], *s0, *s0b, *s10, *s15, *s25, *s25b, *c10_25, *c10_40, *cf10_25, *cf15_25, *bad, *s25o;
	bool adv;
	size_t i, len;
	uint64_t at;
	(void)state;
	make_keys(&k);
	fork = pst_tlog_mem_store(mf);
	for (i = 0; i < 25; i++) { /* the same log with entry 12 rewritten */
		const uint8_t *e = i == 12 ? (const uint8_t *)"rewritten" : entry(i, &len);
		assert_int_equal(pst_tlog_append(&fork, e, i == 12 ? 9 : len, &at), PST_OK);
	}
	s0 = sth_of(&st, 0, 500, k.sec);
	s0b = sth_bad_empty(&st, k.sec);
	s10 = sth_of(&st, 10, 1000, k.sec);
	s25 = sth_of(&st, 25, 2000, k.sec);
	s25b = sth_of(&fork, 25, 2000, k.sec);
	s25o = sth_of(&st, 25, 2000, k.other_sec);
	c10_25 = consistency_of(&st, 10, 25);
	c10_40 = consistency_of(&st, 10, 40);
	s15 = sth_of(&st, 15, 1500, k.sec);
	cf10_25 = consistency_of(&fork, 10, 25);
	cf15_25 = consistency_of(&fork, 15, 25);
	bad = strdup(c10_25);
	{
		char *d = strrchr(bad, '"') - 1; /* the last hash's last digit */
		*d = *d == '0' ? '1' : '0';
	}

#define CHECK(state_, sth_, cons_, want, adv_want) \
	check_one(state_, sth_, cons_, k.pub, want, adv_want, msg, sizeof(msg))
	CHECK(s0, s10, NULL, PST_LOG_OK, true); /* from the empty log: nothing to prove */
	CHECK(s0b, s10, NULL, PST_LOG_INCONSISTENT, false); /* an "empty" log with a root */
	CHECK(NULL, s10, NULL, PST_LOG_OK, true);
	assert_non_null(strstr(msg, "first tree head"));
	CHECK(s10, s25, c10_25, PST_LOG_OK, true);
	assert_non_null(strstr(msg, "grew from 10 to 25"));
	CHECK(s10, s10, NULL, PST_LOG_OK, false);
	CHECK(s25, s10, c10_25, PST_LOG_OK, false); /* an older head, consistent */
	CHECK(s10, s25, NULL, PST_LOG_NEED_PROOF, false);
	CHECK(s10, s25, c10_40, PST_LOG_MALFORMED, false);
	CHECK(s10, s25, bad, PST_LOG_INCONSISTENT, false);
	/* the forked tree head: same size, another root */
	CHECK(s25, s25b, NULL, PST_LOG_INCONSISTENT, false);
	assert_non_null(strstr(msg, "history rewritten"));
	/* the fork shares the first 12 entries: from 10 it is an extension... */
	CHECK(s10, s25b, cf10_25, PST_LOG_OK, true);
	/* ...from 15 (entry 12 seen) its own proof does not reach our root */
	CHECK(s15, s25b, cf15_25, PST_LOG_INCONSISTENT, false);
	assert_non_null(strstr(msg, "history rewritten"));
	/* signed by another key: the new head, or the kept one */
	CHECK(s10, s25o, c10_25, PST_LOG_BAD_SIGNATURE, false);
	CHECK(s25o, s25, NULL, PST_LOG_BAD_SIGNATURE, false);
	CHECK(s10, "{}", NULL, PST_LOG_MALFORMED, false);
#undef CHECK
	assert_int_equal(pst_log_check(NULL, 0, s10, strlen(s10), NULL, 0, "/nonexistent.pub", &adv,
				       msg, sizeof(msg)), PST_LOG_KEY);
	free(s10), free(s25), free(s25b), free(s25o), free(c10_25), free(c10_40), free(cf10_25);
	free(s15), free(cf15_25);
	free(bad), free(s0), free(s0b);
	pst_tlog_mem_free(m);
	pst_tlog_mem_free(mf);
	free_keys(&k);
}

static char *inclusion_of(const struct pst_tlog_store *st, uint64_t index, uint64_t n,
			  const char *sec)
{
	struct pst_tlog_sth sth;
	struct pst_tlog_proof p;
	uint8_t leaf[32];
	char err[256];
	memset(&sth, 0, sizeof(sth));
	sth.size = n;
	sth.timestamp = 42;
	assert_int_equal(pst_tlog_root(st, n, sth.root), PST_OK);
	assert_int_equal(pst_tlog_sth_sign_file(&sth, sec, err, sizeof(err)), PST_OK);
	assert_int_equal(pst_tlog_prove_inclusion(st, index, n, &p), PST_OK);
	assert_int_equal(st->leaf_get(st->ctx, index, leaf), 0);
	return pst_tlog_inclusion_json(&sth, index, leaf, &p);
}

static void test_verify_inclusion(void **state)
{
	struct keys k;
	struct pst_tlog_store st;
	struct pst_tlog_mem *m = filled(30, &st);
	char msg[512], *good, *other, *tampered;
	size_t len;
	const uint8_t *e;
	(void)state;
	make_keys(&k);
	good = inclusion_of(&st, 17, 30, k.sec);
	other = inclusion_of(&st, 17, 30, k.other_sec);
	e = entry(17, &len);
#define VERIFY(ent, elen, proof, key) \
	pst_log_verify_inclusion((const char *)(ent), elen, proof, strlen(proof), key, msg, sizeof(msg))
	assert_int_equal(VERIFY(e, len, good, k.pub), PST_LOG_OK);
	assert_non_null(strstr(msg, "entry 17 of 30"));
	assert_int_equal(VERIFY("another entry", 13, good, k.pub), PST_LOG_NOT_INCLUDED);
	assert_non_null(strstr(msg, "another entry"));
	assert_int_equal(VERIFY(e, len, other, k.pub), PST_LOG_BAD_SIGNATURE);
	/* one digit of the path's first hash changed */
	tampered = strdup(good);
	{
		char *h = strstr(tampered, "\"hashes\": [\n    \"") + 17;
		*h = *h == 'a' ? 'b' : 'a';
	}
	assert_int_equal(VERIFY(e, len, tampered, k.pub), PST_LOG_NOT_INCLUDED);
	assert_non_null(strstr(msg, "does not lead to the signed root"));
	assert_int_equal(VERIFY(e, len, "not json", k.pub), PST_LOG_MALFORMED);
	assert_int_equal(VERIFY(e, len, good, "/nonexistent.pub"), PST_LOG_KEY);
#undef VERIFY
	free(good), free(other), free(tampered);
	pst_tlog_mem_free(m);
	free_keys(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_root),
		cmocka_unit_test(test_vectors_cached),
		cmocka_unit_test(test_vectors_uncached),
		cmocka_unit_test(test_tampered_entry),
		cmocka_unit_test(test_large_log),
		cmocka_unit_test(test_sth_sign_and_json),
		cmocka_unit_test(test_malformed_json),
		cmocka_unit_test(test_log_check),
		cmocka_unit_test(test_verify_inclusion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
