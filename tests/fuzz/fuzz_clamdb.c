/* fuzz_clamdb.c - a ClamAV database (--clamav-db DIR) on any bytes: the
 * input is written as one .hdb, .hsb, .ndb and .ldb file of a directory
 * made here and read by clamav_db.c, which splits it between postern (hash
 * table, YARA translation) and libclamav. Every translation must compile:
 * the YARA source it made is compiled with libyara, and a rule that does
 * not compile aborts (a translation that is not YARA would send the whole
 * database to libclamav in a real scan). The input is also written as a
 * .cvd and a .cud (a signed container's header, then a tar, gzipped or
 * not), read as if verified. The plain body signatures postern matches
 * itself (clamav_body.c) are run over the input. libclamav itself is not
 * run. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yara.h>
#include "analyze/clamav_db.h"
#include "analyze/yara_cache.h"

static void put(const char *dir, const char *name, const uint8_t *data, size_t size)
{
	char path[4200];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
}

static void compiles(const char *src)
{
	YR_COMPILER *c = NULL;
	if (yr_compiler_create(&c) != ERROR_SUCCESS)
		abort();
	if (yr_compiler_add_string(c, src, NULL) != 0) {
		fprintf(stderr, "fuzz_clamdb: the translation does not compile:\n%s\n", src);
		abort();
	}
	yr_compiler_destroy(c);
}

static bool sound(const char *path, const void *buf, size_t len)
{
	(void)path;
	(void)buf;
	(void)len;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "f.hdb", "f.hsb", "f.ndb", "f.ldb", "f.cvd", "f.cud" };
	char dir[] = "/tmp/postern-fuzz-clamdb-XXXXXX", path[4200];
	struct pst_clamdb db;
	size_t i;

	if (size > 65536 || !mkdtemp(dir))
		return 0;
	for (i = 0; i < 6; i++)
		put(dir, names[i], data, size);
	if (pst_clamdb_read_ex(dir, 200, sound, &db) == PST_OK) {
		if (db.yara.len && pst_yara_acquire()) {
			compiles(db.yara.p);
			pst_yara_release();
		}
		/* the plain body signatures postern matches itself, over the input */
		(void)pst_cbodies_match(&db.bodies, data, size);
		/* every hash entry is found again by its own key */
		for (i = 0; i < db.nhashes; i++)
			if (pst_clamdb_hash_find(&db, db.hashes[i].size, db.hashes[i].dlen,
						 db.hashes[i].d) < 0)
				abort();
	}
	pst_clamdb_free(&db);
	for (i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}
