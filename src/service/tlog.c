/*
 * tlog.c - the transparency log of final decisions (issue 17): an
 * append-only Merkle tree hashed as RFC 6962 §2.1 / RFC 9162 §2.1 define it,
 * the audit paths and consistency proofs of RFC 9162 §2.1.3-2.1.4 and their
 * verification algorithms, Ed25519-signed tree heads, their JSON (see
 * docs/transparency.md), and the offline checks postern verify --log-proof
 * and postern log check run (pst_log_*, postern.h).
 *
 * The tree is read through struct pst_tlog_store, so it lives wherever the
 * service keeps its rows. Trees are ranges of leaves [lo, hi); the RFC's
 * recursion splits a range at the largest power of two below its size, so
 * every left part is a complete, aligned subtree: that is what a store may
 * keep (node level, index), and what makes a root cost O(log n) reads.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <sodium.h>
#include "report/report.h"
#include "service/tlog.h"

#define STH_CONTEXT "postern tlog sth v1\n"
#define STH_MSG_LEN (sizeof(STH_CONTEXT) - 1 + 8 + 8 + PST_TLOG_HASH)
#define LEVELS 64

/* ---- hashing ---- */

static void hash_prefixed(uint8_t prefix, const uint8_t *a, size_t alen, const uint8_t *b,
			  size_t blen, uint8_t out[PST_TLOG_HASH])
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, &prefix, 1);
	crypto_hash_sha256_update(&h, a, alen);
	if (b)
		crypto_hash_sha256_update(&h, b, blen);
	crypto_hash_sha256_final(&h, out);
}

void pst_tlog_leaf_hash(const uint8_t *entry, size_t len, uint8_t out[PST_TLOG_HASH])
{
	hash_prefixed(0x00, entry, len, NULL, 0, out);
}

void pst_tlog_node_hash(const uint8_t left[PST_TLOG_HASH], const uint8_t right[PST_TLOG_HASH],
			uint8_t out[PST_TLOG_HASH])
{
	hash_prefixed(0x01, left, PST_TLOG_HASH, right, PST_TLOG_HASH, out);
}

void pst_tlog_empty_root(uint8_t out[PST_TLOG_HASH])
{
	crypto_hash_sha256(out, (const uint8_t *)"", 0);
}

/* ---- the tree over a store ---- */

/* The largest power of two below n (n >= 2): where the RFC splits. */
static uint64_t split_of(uint64_t n)
{
	return UINT64_C(1) << (63 - __builtin_clzll(n - 1));
}

static bool is_pow2(uint64_t n)
{
	return n && !(n & (n - 1));
}

static int log2_of(uint64_t n)
{
	return 63 - __builtin_clzll(n);
}

static int log_size(const struct pst_tlog_store *st, uint64_t *n)
{
	return st->size(st->ctx, n);
}

/* MTH(D[lo:hi]) for 0 < hi - lo; reads kept nodes where the range is one. */
static int mth(const struct pst_tlog_store *st, uint64_t lo, uint64_t hi, uint8_t out[PST_TLOG_HASH])
{
	uint8_t l[PST_TLOG_HASH], r[PST_TLOG_HASH];
	uint64_t n = hi - lo, k;

	if (n == 1)
		return st->leaf_get(st->ctx, lo, out);
	if (is_pow2(n) && st->node_get) {
		int level = log2_of(n);
		int got = st->node_get(st->ctx, (unsigned)level, lo >> level, out);
		if (got != 0)
			return got > 0 ? 0 : -1;
	}
	k = split_of(n);
	if (mth(st, lo, lo + k, l) != 0 || mth(st, lo + k, hi, r) != 0)
		return -1;
	pst_tlog_node_hash(l, r, out);
	return 0;
}

/* Keeps the complete nodes leaf index closes (one per trailing 1 bit). */
static int keep_nodes(const struct pst_tlog_store *st, uint64_t index)
{
	uint8_t h[PST_TLOG_HASH];
	unsigned level;

	if (!st->node_put)
		return 0;
	for (level = 1; level < LEVELS && ((index + 1) & ((UINT64_C(1) << level) - 1)) == 0; level++) {
		uint64_t lo = (index + 1) - (UINT64_C(1) << level);
		if (mth(st, lo, index + 1, h) != 0 || st->node_put(st->ctx, level, lo >> level, h) != 0)
			return -1;
	}
	return 0;
}

enum pst_err pst_tlog_append(const struct pst_tlog_store *st, const uint8_t *entry, size_t len,
			     uint64_t *index)
{
	uint8_t h[PST_TLOG_HASH];
	uint64_t n;

	if (log_size(st, &n) != 0)
		return PST_EIO;
	if (n >= PST_TLOG_JSON_INT_MAX)
		return PST_ELIMIT;
	pst_tlog_leaf_hash(entry, len, h);
	if (st->leaf_append(st->ctx, n, h) != 0 || keep_nodes(st, n) != 0)
		return PST_EIO;
	*index = n;
	return PST_OK;
}

enum pst_err pst_tlog_root(const struct pst_tlog_store *st, uint64_t size, uint8_t out[PST_TLOG_HASH])
{
	uint64_t n;

	if (log_size(st, &n) != 0)
		return PST_EIO;
	if (size > n)
		return PST_EUSAGE;
	if (size == 0) {
		pst_tlog_empty_root(out);
		return PST_OK;
	}
	return mth(st, 0, size, out) == 0 ? PST_OK : PST_EIO;
}

static int proof_add(const struct pst_tlog_store *st, uint64_t lo, uint64_t hi,
		     struct pst_tlog_proof *p)
{
	if (p->n >= PST_TLOG_PROOF_MAX)
		return -1;
	return mth(st, lo, hi, p->hash[p->n++]);
}

/* PATH(m, D[lo:hi]): the audit path, bottom up. */
static int path(const struct pst_tlog_store *st, uint64_t m, uint64_t lo, uint64_t hi,
		struct pst_tlog_proof *p)
{
	uint64_t k;

	if (hi - lo <= 1)
		return 0;
	k = split_of(hi - lo);
	if (m < lo + k)
		return path(st, m, lo, lo + k, p) != 0 ? -1 : proof_add(st, lo + k, hi, p);
	return path(st, m, lo + k, hi, p) != 0 ? -1 : proof_add(st, lo, lo + k, p);
}

/* SUBPROOF(m, D[lo:hi], whole): m leaves of the old tree fall in this range;
 * whole says the range's first m leaves are the old tree itself (its root
 * is known to the verifier, so it is not sent). */
static int subproof(const struct pst_tlog_store *st, uint64_t m, uint64_t lo, uint64_t hi,
		    bool whole, struct pst_tlog_proof *p)
{
	uint64_t k, n = hi - lo;

	if (m == n)
		return whole ? 0 : proof_add(st, lo, hi, p);
	k = split_of(n);
	if (m <= k)
		return subproof(st, m, lo, lo + k, whole, p) != 0 ? -1 : proof_add(st, lo + k, hi, p);
	return subproof(st, m - k, lo + k, hi, false, p) != 0 ? -1 : proof_add(st, lo, lo + k, p);
}

/* Empties out; PST_EUSAGE unless the log holds a tree of size leaves. */
static enum pst_err proof_start(const struct pst_tlog_store *st, uint64_t size,
				struct pst_tlog_proof *out)
{
	uint64_t n;

	out->n = 0;
	if (log_size(st, &n) != 0)
		return PST_EIO;
	return size > n ? PST_EUSAGE : PST_OK;
}

enum pst_err pst_tlog_prove_inclusion(const struct pst_tlog_store *st, uint64_t index,
				      uint64_t size, struct pst_tlog_proof *out)
{
	enum pst_err e = proof_start(st, size, out);

	if (e == PST_OK && index >= size)
		e = PST_EUSAGE;
	if (e == PST_OK && path(st, index, 0, size, out) != 0)
		e = PST_EIO;
	return e;
}

enum pst_err pst_tlog_prove_consistency(const struct pst_tlog_store *st, uint64_t first,
					uint64_t second, struct pst_tlog_proof *out)
{
	enum pst_err e = proof_start(st, second, out);

	if (e == PST_OK && first > second)
		e = PST_EUSAGE;
	/* from the empty tree or to the same size: nothing to send */
	if (e == PST_OK && first != 0 && first != second &&
	    subproof(st, first, 0, second, true, out) != 0)
		e = PST_EIO;
	return e;
}

/* ---- verification (pure) ---- */

/* Shifts fn and sn right until fn's low bit is set or fn is 0. */
static void climb(uint64_t *fn, uint64_t *sn)
{
	while (!(*fn & 1) && *fn != 0) {
		*fn >>= 1;
		*sn >>= 1;
	}
}

bool pst_tlog_verify_inclusion(uint64_t index, uint64_t size, const uint8_t leaf[PST_TLOG_HASH],
			       const struct pst_tlog_proof *p, const uint8_t root[PST_TLOG_HASH])
{
	uint8_t r[PST_TLOG_HASH];
	uint64_t fn = index, sn = size - 1;
	size_t i;

	if (index >= size || p->n > PST_TLOG_PROOF_MAX)
		return false;
	memcpy(r, leaf, PST_TLOG_HASH);
	for (i = 0; i < p->n; i++) {
		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			pst_tlog_node_hash(p->hash[i], r, r);
			climb(&fn, &sn);
		} else {
			pst_tlog_node_hash(r, p->hash[i], r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && sodium_memcmp(r, root, PST_TLOG_HASH) == 0;
}

static bool same(const uint8_t a[PST_TLOG_HASH], const uint8_t b[PST_TLOG_HASH])
{
	return sodium_memcmp(a, b, PST_TLOG_HASH) == 0;
}

bool pst_tlog_verify_consistency(uint64_t first, uint64_t second,
				 const uint8_t first_root[PST_TLOG_HASH],
				 const uint8_t second_root[PST_TLOG_HASH],
				 const struct pst_tlog_proof *p)
{
	uint8_t fr[PST_TLOG_HASH], sr[PST_TLOG_HASH], empty[PST_TLOG_HASH];
	uint64_t fn, sn;
	size_t i = 0;

	if (first > second || p->n > PST_TLOG_PROOF_MAX)
		return false;
	if (first == 0) {
		pst_tlog_empty_root(empty);
		return p->n == 0 && same(first_root, empty);
	}
	if (first == second)
		return p->n == 0 && same(first_root, second_root);
	if (p->n == 0)
		return false;
	/* The old root is a complete subtree of the new one: the verifier
	 * knows it, so the path starts with it. */
	if (is_pow2(first)) {
		memcpy(fr, first_root, PST_TLOG_HASH);
	} else {
		memcpy(fr, p->hash[0], PST_TLOG_HASH);
		i = 1;
	}
	memcpy(sr, fr, PST_TLOG_HASH);
	fn = first - 1;
	sn = second - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < p->n; i++) {
		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			pst_tlog_node_hash(p->hash[i], fr, fr);
			pst_tlog_node_hash(p->hash[i], sr, sr);
			climb(&fn, &sn);
		} else {
			pst_tlog_node_hash(sr, p->hash[i], sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && same(fr, first_root) && same(sr, second_root);
}

/* ---- signed tree heads ---- */

static void put_be64(uint8_t *p, uint64_t v)
{
	int i;
	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static void sth_message(const struct pst_tlog_sth *sth, uint8_t msg[STH_MSG_LEN])
{
	size_t c = sizeof(STH_CONTEXT) - 1;
	memcpy(msg, STH_CONTEXT, c);
	put_be64(msg + c, sth->timestamp);
	put_be64(msg + c + 8, sth->size);
	memcpy(msg + c + 16, sth->root, PST_TLOG_HASH);
}

void pst_tlog_sth_sign(struct pst_tlog_sth *sth, const uint8_t sk[64])
{
	uint8_t msg[STH_MSG_LEN], pk[crypto_sign_PUBLICKEYBYTES];

	crypto_sign_ed25519_sk_to_pk(pk, sk);
	pst_key_id(pk, sth->key_id);
	sth_message(sth, msg);
	crypto_sign_detached(sth->sig, NULL, msg, sizeof(msg), sk);
}

enum pst_err pst_tlog_sth_sign_file(struct pst_tlog_sth *sth, const char *secret_path, char *err,
				    size_t errlen)
{
	uint8_t sk[crypto_sign_SECRETKEYBYTES];

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to initialise");
		return PST_EIO;
	}
	if (!pst_key_read(secret_path, PST_SECRET_KEY_HEADER, sk, sizeof(sk), err, errlen))
		return PST_EUSAGE;
	pst_tlog_sth_sign(sth, sk);
	sodium_memzero(sk, sizeof(sk));
	return PST_OK;
}

bool pst_tlog_sth_verify(const struct pst_tlog_sth *sth, const uint8_t pk[32])
{
	uint8_t msg[STH_MSG_LEN];

	sth_message(sth, msg);
	return crypto_sign_verify_detached(sth->sig, msg, sizeof(msg), pk) == 0;
}

/* ---- JSON (docs/transparency.md): fixed key order, hashes in lowercase
 * hex, the signature in base64 ---- */

static json_t *hex_json(const uint8_t h[PST_TLOG_HASH])
{
	char hex[2 * PST_TLOG_HASH + 1];
	pst_hex(h, PST_TLOG_HASH, hex);
	return json_string(hex);
}

static json_t *int_json(uint64_t v)
{
	return v <= PST_TLOG_JSON_INT_MAX ? json_integer((json_int_t)v) : NULL;
}

static json_t *proof_json(const struct pst_tlog_proof *p)
{
	json_t *a = json_array();
	size_t i;
	for (i = 0; a && i < p->n; i++)
		if (json_array_append_new(a, hex_json(p->hash[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *sth_obj(const struct pst_tlog_sth *sth)
{
	char *sig = pst_b64_encode(sth->sig, sizeof(sth->sig));
	json_t *o = sig ? json_pack("{s:o*,s:o*,s:o,s:s,s:s}", "tree_size", int_json(sth->size),
				    "timestamp", int_json(sth->timestamp), "root_hash",
				    hex_json(sth->root), "key_id", sth->key_id, "signature", sig)
			: NULL;
	/* o* drops a key whose number is out of range: refuse the object */
	if (o && json_object_size(o) != 5) {
		json_decref(o);
		o = NULL;
	}
	free(sig);
	return o;
}

/* Dumps o (stolen) indented, with a final newline. */
static char *dump(json_t *o)
{
	char *text = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII) : NULL;
	char *out = NULL;
	if (text && asprintf(&out, "%s\n", text) < 0)
		out = NULL;
	free(text);
	json_decref(o);
	return out;
}

char *pst_tlog_sth_json(const struct pst_tlog_sth *sth)
{
	return dump(sth_obj(sth));
}

char *pst_tlog_inclusion_json(const struct pst_tlog_sth *sth, uint64_t index,
			      const uint8_t leaf[PST_TLOG_HASH], const struct pst_tlog_proof *p)
{
	json_t *o = json_pack("{s:o*,s:o*,s:o*,s:o,s:o*}", "sth", sth_obj(sth), "leaf_index",
			      int_json(index), "tree_size", int_json(sth->size), "leaf_hash",
			      hex_json(leaf), "hashes", proof_json(p));
	if (o && json_object_size(o) != 5) {
		json_decref(o);
		o = NULL;
	}
	return dump(o);
}

char *pst_tlog_consistency_json(uint64_t first, uint64_t second, const struct pst_tlog_proof *p)
{
	json_t *o = json_pack("{s:o*,s:o*,s:o*}", "first", int_json(first), "second",
			      int_json(second), "hashes", proof_json(p));
	if (o && json_object_size(o) != 3) {
		json_decref(o);
		o = NULL;
	}
	return dump(o);
}

#define FAIL(...) (snprintf(err, errlen, __VA_ARGS__), false)

static bool get_int(json_t *o, const char *key, uint64_t *out, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);
	json_int_t i;

	if (!json_is_integer(v))
		return FAIL("\"%s\" is missing or not an integer", key);
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i > PST_TLOG_JSON_INT_MAX)
		return FAIL("\"%s\" is out of range", key);
	*out = (uint64_t)i;
	return true;
}

static bool hex_hash(json_t *v, uint8_t out[PST_TLOG_HASH])
{
	const char *s = json_string_value(v);
	size_t got = 0;
	return s && strlen(s) == 2 * PST_TLOG_HASH &&
	       sodium_hex2bin(out, PST_TLOG_HASH, s, 2 * PST_TLOG_HASH, NULL, &got, NULL) == 0 &&
	       got == PST_TLOG_HASH;
}

static bool get_hash(json_t *o, const char *key, uint8_t out[PST_TLOG_HASH], char *err,
		     size_t errlen)
{
	if (!hex_hash(json_object_get(o, key), out))
		return FAIL("\"%s\" is not a SHA-256 in hex", key);
	return true;
}

static bool get_proof(json_t *o, struct pst_tlog_proof *p, char *err, size_t errlen)
{
	json_t *a = json_object_get(o, "hashes");
	size_t i;

	if (!json_is_array(a) || json_array_size(a) > PST_TLOG_PROOF_MAX)
		return FAIL("\"hashes\" is not an array of at most %d hashes", PST_TLOG_PROOF_MAX);
	p->n = json_array_size(a);
	for (i = 0; i < p->n; i++)
		if (!hex_hash(json_array_get(a, i), p->hash[i]))
			return FAIL("\"hashes\"[%zu] is not a SHA-256 in hex", i);
	return true;
}

static bool sth_of(json_t *o, struct pst_tlog_sth *sth, char *err, size_t errlen)
{
	const char *kid = json_string_value(json_object_get(o, "key_id"));
	const char *sig = json_string_value(json_object_get(o, "signature"));
	uint8_t *raw;
	size_t rawlen = 0;

	if (!json_is_object(o))
		return FAIL("not a signed tree head (an object)");
	if (!get_int(o, "tree_size", &sth->size, err, errlen) ||
	    !get_int(o, "timestamp", &sth->timestamp, err, errlen) ||
	    !get_hash(o, "root_hash", sth->root, err, errlen))
		return false;
	if (!kid || strlen(kid) != 32 || strspn(kid, "0123456789abcdef") != 32)
		return FAIL("\"key_id\" is not 32 lowercase hex digits");
	memcpy(sth->key_id, kid, 33);
	raw = sig ? pst_b64_decode(sig, &rawlen) : NULL;
	if (!raw || rawlen != sizeof(sth->sig)) {
		free(raw);
		return FAIL("\"signature\" is not a base64 Ed25519 signature");
	}
	memcpy(sth->sig, raw, sizeof(sth->sig));
	free(raw);
	return true;
}

static json_t *load(const char *text, size_t len, const char *what, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		snprintf(err, errlen, "%s: not JSON: %s (line %d)", what, jerr.text, jerr.line);
	else if (!json_is_object(o)) {
		snprintf(err, errlen, "%s: not a JSON object", what);
		json_decref(o);
		o = NULL;
	}
	return o;
}

enum pst_err pst_tlog_sth_parse(const char *text, size_t len, struct pst_tlog_sth *out,
				char *err, size_t errlen)
{
	json_t *o = load(text, len, "tree head", err, errlen);
	bool ok = o && sth_of(o, out, err, errlen);
	json_decref(o);
	return ok ? PST_OK : PST_EFORMAT;
}

enum pst_err pst_tlog_inclusion_parse(const char *text, size_t len, struct pst_tlog_sth *sth,
				      uint64_t *index, uint8_t leaf[PST_TLOG_HASH],
				      struct pst_tlog_proof *p, char *err, size_t errlen)
{
	json_t *o = load(text, len, "inclusion proof", err, errlen);
	uint64_t size = 0;
	bool ok = o && sth_of(json_object_get(o, "sth"), sth, err, errlen) &&
		  get_int(o, "leaf_index", index, err, errlen) &&
		  get_int(o, "tree_size", &size, err, errlen) &&
		  get_hash(o, "leaf_hash", leaf, err, errlen) && get_proof(o, p, err, errlen);

	if (ok && size != sth->size)
		ok = FAIL("the proof is for a tree of %llu leaves, its tree head has %llu",
			  (unsigned long long)size, (unsigned long long)sth->size);
	json_decref(o);
	return ok ? PST_OK : PST_EFORMAT;
}

enum pst_err pst_tlog_consistency_parse(const char *text, size_t len, uint64_t *first,
					uint64_t *second, struct pst_tlog_proof *p, char *err,
					size_t errlen)
{
	json_t *o = load(text, len, "consistency proof", err, errlen);
	bool ok = o && get_int(o, "first", first, err, errlen) &&
		  get_int(o, "second", second, err, errlen) && get_proof(o, p, err, errlen);
	json_decref(o);
	return ok ? PST_OK : PST_EFORMAT;
}

/* ---- the in-memory store ---- */

struct mem_node {
	uint8_t h[PST_TLOG_HASH];
	bool set;
};

struct pst_tlog_mem {
	uint8_t (*leaves)[PST_TLOG_HASH];
	uint64_t n, cap;
	struct mem_node *level[LEVELS];	/* level 0 unused: leaves */
	uint64_t level_cap[LEVELS];
};

struct pst_tlog_mem *pst_tlog_mem_new(void)
{
	return calloc(1, sizeof(struct pst_tlog_mem));
}

void pst_tlog_mem_free(struct pst_tlog_mem *m)
{
	int i;
	if (!m)
		return;
	for (i = 0; i < LEVELS; i++)
		free(m->level[i]);
	free(m->leaves);
	free(m);
}

static int mem_size(void *ctx, uint64_t *n)
{
	*n = ((struct pst_tlog_mem *)ctx)->n;
	return 0;
}

static int mem_leaf_get(void *ctx, uint64_t index, uint8_t out[PST_TLOG_HASH])
{
	struct pst_tlog_mem *m = ctx;
	if (index >= m->n)
		return -1;
	memcpy(out, m->leaves[index], PST_TLOG_HASH);
	return 0;
}

/* Grows *p (elements of size bytes) to hold at least want, zero-filled. */
static int grow(void **p, uint64_t *cap, uint64_t want, size_t size)
{
	uint64_t ncap = *cap ? *cap : 16;
	char *a;

	while (ncap < want)
		ncap *= 2;
	if (ncap == *cap)
		return 0;
	if (ncap > SIZE_MAX / size)
		return -1;
	a = realloc(*p, (size_t)ncap * size);
	if (!a)
		return -1;
	memset(a + *cap * size, 0, (size_t)(ncap - *cap) * size);
	*p = a;
	*cap = ncap;
	return 0;
}

static int mem_leaf_append(void *ctx, uint64_t index, const uint8_t h[PST_TLOG_HASH])
{
	struct pst_tlog_mem *m = ctx;
	if (index != m->n || grow((void **)&m->leaves, &m->cap, m->n + 1, PST_TLOG_HASH) != 0)
		return -1;
	memcpy(m->leaves[m->n++], h, PST_TLOG_HASH);
	return 0;
}

static int mem_node_get(void *ctx, unsigned level, uint64_t index, uint8_t out[PST_TLOG_HASH])
{
	struct pst_tlog_mem *m = ctx;
	if (level >= LEVELS || index >= m->level_cap[level] || !m->level[level][index].set)
		return 0;
	memcpy(out, m->level[level][index].h, PST_TLOG_HASH);
	return 1;
}

static int mem_node_put(void *ctx, unsigned level, uint64_t index, const uint8_t h[PST_TLOG_HASH])
{
	struct pst_tlog_mem *m = ctx;
	if (level >= LEVELS || grow((void **)&m->level[level], &m->level_cap[level], index + 1,
				    sizeof(struct mem_node)) != 0)
		return -1;
	memcpy(m->level[level][index].h, h, PST_TLOG_HASH);
	m->level[level][index].set = true;
	return 0;
}

struct pst_tlog_store pst_tlog_mem_store(struct pst_tlog_mem *m)
{
	struct pst_tlog_store st = { m, mem_size, mem_leaf_get, mem_leaf_append, mem_node_get,
				     mem_node_put };
	return st;
}

/* ---- offline checks (postern verify --log-proof, postern log check) ---- */

#define MSG(...) snprintf(msg, msglen, __VA_ARGS__)

static bool log_key(const char *public_path, uint8_t pk[32], char *msg, size_t msglen)
{
	if (sodium_init() < 0) {
		MSG("libsodium failed to initialise");
		return false;
	}
	return pst_key_read(public_path, PST_PUBLIC_KEY_HEADER, pk, 32, msg, msglen);
}

static bool sth_good(const struct pst_tlog_sth *sth, const uint8_t pk[32], const char *what,
		     const char *public_path, char *msg, size_t msglen)
{
	if (pst_tlog_sth_verify(sth, pk))
		return true;
	MSG("%s (size %llu) is not signed by the log key %s", what, (unsigned long long)sth->size,
	    public_path);
	return false;
}

enum pst_log_result pst_log_verify_inclusion(const char *entry, size_t len, const char *proof,
					     size_t plen, const char *public_path, char *msg,
					     size_t msglen)
{
	struct pst_tlog_sth sth;
	struct pst_tlog_proof p;
	uint8_t pk[32], leaf[PST_TLOG_HASH], want[PST_TLOG_HASH];
	uint64_t index = 0;

	if (!log_key(public_path, pk, msg, msglen))
		return PST_LOG_KEY;
	if (pst_tlog_inclusion_parse(proof, plen, &sth, &index, leaf, &p, msg, msglen) != PST_OK)
		return PST_LOG_MALFORMED;
	if (!sth_good(&sth, pk, "the proof's tree head", public_path, msg, msglen))
		return PST_LOG_BAD_SIGNATURE;
	pst_tlog_leaf_hash((const uint8_t *)entry, len, want);
	if (!same(leaf, want)) {
		MSG("the log proof is for another entry (leaf hash differs from the attestation's)");
		return PST_LOG_NOT_INCLUDED;
	}
	if (!pst_tlog_verify_inclusion(index, sth.size, leaf, &p, sth.root)) {
		MSG("the inclusion proof does not lead to the signed root of the %llu-entry log",
		    (unsigned long long)sth.size);
		return PST_LOG_NOT_INCLUDED;
	}
	MSG("in the transparency log: entry %llu of %llu, tree head signed by %s",
	    (unsigned long long)index, (unsigned long long)sth.size, sth.key_id);
	return PST_LOG_OK;
}

/* Whether the smaller of the two heads (a; either may be the new one) is a
 * prefix of the larger (b): the same root at the same size, or a consistency
 * proof (p, for sizes first to second) from a's size to b's. */
static enum pst_log_result check_order(const struct pst_tlog_sth *old, const struct pst_tlog_sth *nw,
				       const struct pst_tlog_proof *p, uint64_t first,
				       uint64_t second, char *msg, size_t msglen)
{
	const struct pst_tlog_sth *a = old->size <= nw->size ? old : nw;
	const struct pst_tlog_sth *b = a == old ? nw : old;
	static const struct pst_tlog_proof none;

	if (a->size == b->size) {
		if (same(a->root, b->root))
			return PST_LOG_OK;
		MSG("history rewritten: two signed tree heads of size %llu with different roots "
		    "(a forked log)", (unsigned long long)a->size);
		return PST_LOG_INCONSISTENT;
	}
	if (a->size == 0 && !p) {
		/* every tree extends the empty one: the proof is empty */
		p = &none;
		first = 0;
		second = b->size;
	}
	if (!p) {
		MSG("the log went from %llu to %llu entries: a consistency proof (first %llu, second "
		    "%llu) is needed", (unsigned long long)old->size, (unsigned long long)nw->size,
		    (unsigned long long)a->size, (unsigned long long)b->size);
		return PST_LOG_NEED_PROOF;
	}
	if (first != a->size || second != b->size) {
		MSG("the consistency proof is for sizes %llu to %llu, not %llu to %llu",
		    (unsigned long long)first, (unsigned long long)second,
		    (unsigned long long)a->size, (unsigned long long)b->size);
		return PST_LOG_MALFORMED;
	}
	if (!pst_tlog_verify_consistency(a->size, b->size, a->root, b->root, p)) {
		MSG("history rewritten: the tree head of size %llu does not extend the one of size "
		    "%llu (the consistency proof fails)", (unsigned long long)b->size,
		    (unsigned long long)a->size);
		return PST_LOG_INCONSISTENT;
	}
	return PST_LOG_OK;
}

enum pst_log_result pst_log_check(const char *state, size_t slen, const char *sth, size_t len,
				  const char *consistency, size_t clen, const char *public_path,
				  bool *advance, char *msg, size_t msglen)
{
	struct pst_tlog_sth old, nw;
	struct pst_tlog_proof p;
	uint64_t first = 0, second = 0;
	uint8_t pk[32];
	enum pst_log_result r;

	*advance = false;
	if (!log_key(public_path, pk, msg, msglen))
		return PST_LOG_KEY;
	if (pst_tlog_sth_parse(sth, len, &nw, msg, msglen) != PST_OK)
		return PST_LOG_MALFORMED;
	if (!sth_good(&nw, pk, "the new tree head", public_path, msg, msglen))
		return PST_LOG_BAD_SIGNATURE;
	if (!state) {
		*advance = true;
		MSG("first tree head seen: %llu entries (kept, trusted on first use)",
		    (unsigned long long)nw.size);
		return PST_LOG_OK;
	}
	if (pst_tlog_sth_parse(state, slen, &old, msg, msglen) != PST_OK)
		return PST_LOG_MALFORMED;
	if (!sth_good(&old, pk, "the kept tree head", public_path, msg, msglen))
		return PST_LOG_BAD_SIGNATURE;
	if (consistency &&
	    pst_tlog_consistency_parse(consistency, clen, &first, &second, &p, msg, msglen) != PST_OK)
		return PST_LOG_MALFORMED;
	r = check_order(&old, &nw, consistency ? &p : NULL, first, second, msg, msglen);
	if (r != PST_LOG_OK)
		return r;
	*advance = nw.size > old.size || (nw.size == old.size && nw.timestamp > old.timestamp);
	if (nw.size > old.size)
		MSG("the log grew from %llu to %llu entries and kept its history",
		    (unsigned long long)old.size, (unsigned long long)nw.size);
	else if (nw.size == old.size)
		MSG("the log still has %llu entries, same root", (unsigned long long)nw.size);
	else
		MSG("an older tree head (%llu entries), consistent with the kept one (%llu); kept "
		    "state unchanged", (unsigned long long)nw.size, (unsigned long long)old.size);
	return PST_LOG_OK;
}
