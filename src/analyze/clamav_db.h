/*
 * clamav_db.h - a ClamAV database directory split between postern and
 * libclamav (clamav_db.c): hash signatures answered from postern's own
 * digests, body and logical signatures translated into YARA where the
 * translation is exact, and what is left for libclamav.
 */
#ifndef PST_CLAMAV_DB_H
#define PST_CLAMAV_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "internal.h"
#include "clamav_body.h"

/* One hash signature: a whole file of this size with this digest (dlen 16
 * MD5, 20 SHA-1, 32 SHA-256). sig indexes pst_clamdb.hnames. */
struct pst_clamdb_hash {
	uint64_t size;
	uint32_t sig;
	uint8_t dlen;
	uint8_t d[32];
};

/* Signature names as libclamav reports them. */
struct pst_clamdb_names {
	char **v;
	size_t n, cap;
};

/* What a signed container (.cvd/.cld from freshclam, .cud from sigtool
 * --unsigned) holds besides its hash parts: its other parts, written out
 * for libclamav. official: libclamav names their detections without
 * ".UNOFFICIAL" (a verified .cvd/.cld). */
struct pst_clamdb_part {
	char *name;
	struct pst_str text;
	bool official;
};

/* Verifies a signed container (.cvd/.cld) before its parts are used; buf
 * and len: the bytes read from path, which the verdict is about. */
typedef bool (*pst_clamdb_verify)(const char *path, const void *buf, size_t len);

/* Hash and translated signatures are numbered apart, so that a lab's daily
 * new hash list leaves the translated rules, and their cache, as they were. */
struct pst_clamdb {
	struct pst_clamdb_names hnames; /* of hash signatures */
	struct pst_clamdb_names ynames; /* of translated ones: YARA rule r<n>, string $s<n> */
	struct pst_clamdb_hash *hashes; /* sorted by size, dlen, digest, sig */
	size_t nhashes, caphashes;
	struct pst_cbodies bodies;    /* plain body signatures postern matches itself */
	struct pst_str yara;          /* the translated rules (YARA source) */
	unsigned nyara;               /* signatures in it */
	struct pst_str left[4];       /* lines left to libclamav: .hdb .hsb .ndb .ldb */
	unsigned nleft;
	char **others;                /* files libclamav reads whole (.cvd, .cld, ...) */
	size_t nothers, capothers;
	struct pst_clamdb_part *parts; /* of the containers split (their hash parts answered) */
	size_t nparts, capparts;
	unsigned ncontainers;         /* containers split */
	bool whole;                   /* an ignore or false-positive list: all to libclamav */
	char unreadable[256];         /* the file that could not be read, for the message */
};

/* Reads every signature file of dir. flevel is libclamav's functionality
 * level (signatures outside their level range are left to libclamav, which
 * skips them). PST_EUSAGE for an unreadable file, named in db->unreadable. */
enum pst_err pst_clamdb_read(const char *dir, unsigned flevel, struct pst_clamdb *db);
/* The same, and the hash parts (.hdb, .hsb) of containers in dir are
 * answered from postern's digests too, their other parts kept in db->parts:
 * a .cud always, a .cvd or .cld when verify says it is sound; a container
 * with an ignore or false-positive list (which changes what libclamav
 * reports for any signature) stays whole. verify NULL: every container
 * stays whole. */
enum pst_err pst_clamdb_read_ex(const char *dir, unsigned flevel, pst_clamdb_verify verify,
				struct pst_clamdb *db);
void pst_clamdb_free(struct pst_clamdb *db);

/* Whether some hash signature has this size and digest length. */
bool pst_clamdb_hash_wants(const struct pst_clamdb *db, uint64_t size, unsigned dlen);
/* The lowest signature index with this size and digest, or -1. */
long pst_clamdb_hash_find(const struct pst_clamdb *db, uint64_t size, unsigned dlen,
			  const uint8_t *d);

/* Writes the lines left to libclamav as files in dir (left.hdb, ...) and a
 * symbolic link to each other file; false on an I/O error. */
bool pst_clamdb_write_left(const struct pst_clamdb *db, const char *dir);
/* Writes the containers' parts of one kind (official or not) into dir. */
bool pst_clamdb_write_parts(const struct pst_clamdb *db, const char *dir, bool official);

/* Translates one ClamAV hex signature into a YARA hex string body; false
 * when the translation would not be exact (exposed for the tests). */
bool pst_clamdb_hex_to_yara(const char *sig, struct pst_str *out);

#endif
