/*
 * tlog.h - the transparency log: an append-only Merkle tree with RFC 6962 /
 * RFC 9162 hashing (leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 ||
 * left || right)), its inclusion and consistency proofs (RFC 9162 §2.1.3,
 * §2.1.4) and their verifiers, and signed tree heads (Ed25519, the key files
 * of postern keygen). The tree reads and stores through a vtable
 * (struct pst_tlog_store), so the service's SQLite or PostgreSQL store backs
 * it as well as the in-memory store tests use. The JSON encodings are in
 * docs/transparency.md; the offline checks the CLI runs are in the public
 * API (pst_log_*, postern.h).
 */
#ifndef PST_TLOG_H
#define PST_TLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "postern/postern.h"

#define PST_TLOG_HASH 32
/* A proof in a tree of fewer than 2^63 leaves holds at most 64 hashes
 * (inclusion) or 65 (consistency: one per level, plus the old root's
 * subtree); anything longer is malformed. */
#define PST_TLOG_PROOF_MAX 65
/* Sizes and timestamps in the JSON stay exact in every JSON reader
 * (IEEE doubles hold integers up to 2^53 - 1). */
#define PST_TLOG_JSON_INT_MAX ((UINT64_C(1) << 53) - 1)

/* Where the tree lives. Leaves are numbered from 0. A node (level, index)
 * is the root of the complete subtree over leaves [index << level,
 * (index + 1) << level): once complete it never changes, so a store may keep
 * it. Every callback returns 0, or -1 on a storage error. */
struct pst_tlog_store {
	void *ctx;
	/* Leaves in the log. */
	int (*size)(void *ctx, uint64_t *n);
	/* Leaf index's hash, index < size. */
	int (*leaf_get)(void *ctx, uint64_t index, uint8_t out[PST_TLOG_HASH]);
	/* Adds a leaf hash at index == size: the store's commit point. */
	int (*leaf_append)(void *ctx, uint64_t index, const uint8_t h[PST_TLOG_HASH]);
	/* A kept node: 1 found, 0 not kept. May be NULL (no node cache: every
	 * root is then computed from the leaves). */
	int (*node_get)(void *ctx, unsigned level, uint64_t index, uint8_t out[PST_TLOG_HASH]);
	/* Keeps a complete node (level >= 1). May be NULL. */
	int (*node_put)(void *ctx, unsigned level, uint64_t index, const uint8_t h[PST_TLOG_HASH]);
};

/* The in-memory store, for tests and one-shot tools. */
struct pst_tlog_mem;
struct pst_tlog_mem *pst_tlog_mem_new(void);
void pst_tlog_mem_free(struct pst_tlog_mem *m);
/* A store over m (borrowed: m outlives it). */
struct pst_tlog_store pst_tlog_mem_store(struct pst_tlog_mem *m);

/* RFC 6962 §2.1 hashes. */
void pst_tlog_leaf_hash(const uint8_t *entry, size_t len, uint8_t out[PST_TLOG_HASH]);
void pst_tlog_node_hash(const uint8_t left[PST_TLOG_HASH], const uint8_t right[PST_TLOG_HASH],
			uint8_t out[PST_TLOG_HASH]);
/* The root of the empty tree: SHA-256 of nothing. */
void pst_tlog_empty_root(uint8_t out[PST_TLOG_HASH]);

/* Appends entry (hashed as a leaf) and keeps the nodes it completes;
 * *index is where it went. Appends must not interleave: the caller holds
 * the store's write transaction (the one that records the decision) across
 * the call, so a leaf and its nodes commit together or not at all. */
enum pst_err pst_tlog_append(const struct pst_tlog_store *st, const uint8_t *entry, size_t len,
			     uint64_t *index);
/* The root of the tree of the first size leaves (size <= the log's size;
 * PST_EUSAGE otherwise). */
enum pst_err pst_tlog_root(const struct pst_tlog_store *st, uint64_t size,
			   uint8_t out[PST_TLOG_HASH]);

struct pst_tlog_proof {
	size_t n;
	uint8_t hash[PST_TLOG_PROOF_MAX][PST_TLOG_HASH];
};
/* RFC 9162 §2.1.3.1: leaf index's audit path in the tree of size leaves
 * (index < size <= the log's size). */
enum pst_err pst_tlog_prove_inclusion(const struct pst_tlog_store *st, uint64_t index,
				      uint64_t size, struct pst_tlog_proof *out);
/* RFC 9162 §2.1.4.1: that the tree of second leaves extends the tree of
 * first (first <= second <= the log's size; empty when first is 0 or equal). */
enum pst_err pst_tlog_prove_consistency(const struct pst_tlog_store *st, uint64_t first,
					uint64_t second, struct pst_tlog_proof *out);
/* RFC 9162 §2.1.3.2 and §2.1.4.2. Pure functions of their arguments. The
 * empty tree (first 0, root SHA-256 of nothing) is extended by every tree. */
bool pst_tlog_verify_inclusion(uint64_t index, uint64_t size, const uint8_t leaf[PST_TLOG_HASH],
			       const struct pst_tlog_proof *p, const uint8_t root[PST_TLOG_HASH]);
bool pst_tlog_verify_consistency(uint64_t first, uint64_t second,
				 const uint8_t first_root[PST_TLOG_HASH],
				 const uint8_t second_root[PST_TLOG_HASH],
				 const struct pst_tlog_proof *p);

/* A signed tree head. The signature is Ed25519 over
 *   "postern tlog sth v1\n" || BE64(timestamp) || BE64(size) || root
 * (docs/transparency.md); the fixed prefix keeps it from ever being read as a
 * DSSE attestation signed with the same key. */
struct pst_tlog_sth {
	uint64_t size;
	uint64_t timestamp;			/* milliseconds since 1970, UTC */
	uint8_t root[PST_TLOG_HASH];
	char key_id[33];			/* as attestations' keyid */
	uint8_t sig[64];
};
/* Signs sth (size, timestamp, root set) with an Ed25519 secret key: fills
 * key_id and sig. */
void pst_tlog_sth_sign(struct pst_tlog_sth *sth, const uint8_t sk[64]);
/* The same with a postern keygen secret key file. */
enum pst_err pst_tlog_sth_sign_file(struct pst_tlog_sth *sth, const char *secret_path, char *err,
				    size_t errlen);
bool pst_tlog_sth_verify(const struct pst_tlog_sth *sth, const uint8_t pk[32]);

/* The JSON texts (malloc'ed, NUL-terminated, ending with a newline; NULL
 * when out of memory or a number is past PST_TLOG_JSON_INT_MAX), and their
 * parsers (PST_EFORMAT with the reason in err). An inclusion proof carries
 * the tree head it leads to. */
char *pst_tlog_sth_json(const struct pst_tlog_sth *sth);
enum pst_err pst_tlog_sth_parse(const char *text, size_t len, struct pst_tlog_sth *out,
				char *err, size_t errlen);
char *pst_tlog_inclusion_json(const struct pst_tlog_sth *sth, uint64_t index,
			      const uint8_t leaf[PST_TLOG_HASH], const struct pst_tlog_proof *p);
enum pst_err pst_tlog_inclusion_parse(const char *text, size_t len, struct pst_tlog_sth *sth,
				      uint64_t *index, uint8_t leaf[PST_TLOG_HASH],
				      struct pst_tlog_proof *p, char *err, size_t errlen);
char *pst_tlog_consistency_json(uint64_t first, uint64_t second, const struct pst_tlog_proof *p);
enum pst_err pst_tlog_consistency_parse(const char *text, size_t len, uint64_t *first,
					uint64_t *second, struct pst_tlog_proof *p, char *err,
					size_t errlen);

#endif
