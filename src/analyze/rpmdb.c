/*
 * rpmdb.c - installed rpm packages from rpm's SQLite database
 * (/var/lib/rpm/rpmdb.sqlite, rpm 4.16 and later; the older BerkeleyDB hash
 * database and rpm 4.16's NDB Packages.db are rpmbdb.c, which hands their
 * records to pst_rpm_header_emit here). Each row of table Packages holds one package
 * header blob as rpm stores it: no magic, then big-endian int32 index count
 * IL and data length DL, IL index entries of 16 bytes (tag, type, offset,
 * count) and DL bytes of data (rpm's lib/header.c; the format is in the
 * "RPM file format" chapter of the rpm documentation). Read here through a
 * bounded view: NAME (1000), VERSION (1001), RELEASE (1002), EPOCH (1003,
 * INT32) and ARCH (1022), strings (type 6) NUL-terminated inside the data;
 * one longer than PST_CAP_PKG_FIELD is not kept (a header without its name
 * or version is not listed) and is limit.cap on the database.
 * -> pkg:rpm/NAMESPACE/NAME@[EPOCH:]VERSION-RELEASE?arch=ARCH, the
 * namespace "rpm" (the distribution is not known from the database alone).
 * The database is opened read-only from memory (sqlite3_deserialize),
 * defensive mode on: the image's bytes never reach a file.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include "components.h"

enum { TAG_NAME = 1000, TAG_VERSION = 1001, TAG_RELEASE = 1002, TAG_EPOCH = 1003,
       TAG_ARCH = 1022, TYPE_INT32 = 4, TYPE_STRING = 6 };

struct rpmhdr {
	char name[PST_CAP_PKG_FIELD + 1], version[PST_CAP_PKG_FIELD + 1];
	char release[PST_CAP_PKG_FIELD + 1], arch[PST_CAP_PKG_FIELD + 1];
	long epoch; /* -1: none */
	bool cut;   /* a string longer than PST_CAP_PKG_FIELD was not kept */
};

/* A NUL-terminated string at off of the data store, or false (*cut set
 * when it is there but longer than PST_CAP_PKG_FIELD). */
static bool hdr_string(struct pst_view data, uint32_t off, char *out, bool *cut)
{
	const uint8_t *p = pst_view_at(data, off, 1);
	const uint8_t *nul = p ? memchr(p, 0, data.len - off) : NULL;
	size_t len;
	if (!nul)
		return false;
	len = (size_t)(nul - p);
	if (len > PST_CAP_PKG_FIELD)
		*cut = true;
	if (len == 0 || len > PST_CAP_PKG_FIELD)
		return false;
	memcpy(out, p, len);
	out[len] = 0;
	return true;
}

static bool rpm_header(struct pst_view v, struct rpmhdr *h)
{
	const uint8_t *b = pst_view_at(v, 0, 8);
	uint32_t il, dl, i;
	struct pst_view data;
	memset(h, 0, sizeof(*h));
	h->epoch = -1;
	if (!b)
		return false;
	il = pst_be32(b);
	dl = pst_be32(b + 4);
	if (il == 0 || il > PST_CAP_RPM_INDEX || !pst_view_has(v, 8 + (uint64_t)il * 16, dl))
		return false;
	data = pst_view_sub(v, 8 + (uint64_t)il * 16, dl);
	for (i = 0; i < il; i++) {
		const uint8_t *e = pst_view_at(v, 8 + (uint64_t)i * 16, 16);
		uint32_t tag = pst_be32(e), type = pst_be32(e + 4), off = pst_be32(e + 8);
		char *dst = tag == TAG_NAME ? h->name : tag == TAG_VERSION ? h->version :
			    tag == TAG_RELEASE ? h->release : tag == TAG_ARCH ? h->arch : NULL;
		if (dst && type == TYPE_STRING && !hdr_string(data, off, dst, &h->cut))
			dst[0] = 0;
		if (tag == TAG_EPOCH && type == TYPE_INT32 && pst_view_has(data, off, 4))
			h->epoch = (long)pst_be32(data.p + off);
	}
	return pst_component_plain(h->name) && pst_component_plain(h->version);
}

static void rpm_emit(const struct pst_file *f, const struct rpmhdr *h, const char *label)
{
	struct pst_str purl, ver;
	char evidence[700];
	pst_str_init(&ver, 1024);
	if (h->epoch >= 0)
		pst_str_printf(&ver, "%ld:", h->epoch);
	pst_str_puts(&ver, h->version);
	if (pst_component_plain(h->release))
		pst_str_printf(&ver, "-%s", h->release);
	pst_str_putc(&ver, 0);
	pst_str_init(&purl, 4096);
	pst_str_puts(&purl, "pkg:rpm/rpm/");
	pst_purl_enc(&purl, h->name);
	pst_str_putc(&purl, '@');
	if (!ver.err)
		pst_purl_enc(&purl, ver.p);
	if (pst_component_plain(h->arch)) {
		pst_str_puts(&purl, "?arch=");
		pst_purl_enc(&purl, h->arch);
	}
	pst_str_putc(&purl, 0);
	if (!ver.err && !purl.err) {
		snprintf(evidence, sizeof(evidence), "%s: %s %s", label, h->name, ver.p);
		pst_component_emit(f, strncmp(h->name, "lib", 3) == 0 ? "library" : "application",
				   h->name, ver.p, purl.p, NULL, "manifest-analysis", evidence);
	}
	pst_str_free(&purl);
	pst_str_free(&ver);
}

bool pst_rpm_header_emit(const struct pst_file *f, struct pst_view blob, const char *label,
			 bool *cut)
{
	struct rpmhdr h;
	bool ok = rpm_header(blob, &h);
	*cut = *cut || h.cut;
	if (!ok)
		return false;
	rpm_emit(f, &h, label);
	return true;
}

void pst_rpmdb_read(const struct pst_file *f)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	unsigned char *copy;
	size_t n = 0;
	bool cut = false;
	if (f->data.len < 512 || f->data.len > ((uint64_t)1 << 31) ||
	    memcmp(f->data.p, "SQLite format 3", 16) != 0)
		return;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		goto out;
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	/* sqlite3_deserialize takes ownership of a sqlite3_malloc'd copy */
	copy = sqlite3_malloc64(f->data.len);
	if (!copy)
		goto out;
	memcpy(copy, f->data.p, f->data.len);
	if (sqlite3_deserialize(db, "main", copy, (sqlite3_int64)f->data.len,
				(sqlite3_int64)f->data.len,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) != SQLITE_OK)
		goto out;
	if (sqlite3_prepare_v2(db, "SELECT blob FROM Packages ORDER BY hnum", -1, &st, NULL) != SQLITE_OK)
		goto out;
	while (n < PST_CAP_RPM_PACKAGES && sqlite3_step(st) == SQLITE_ROW) {
		const void *blob = sqlite3_column_blob(st, 0);
		int len = sqlite3_column_bytes(st, 0);
		if (blob && len > 0 &&
		    pst_rpm_header_emit(f, pst_view_make(blob, (size_t)len), "rpmdb.sqlite", &cut))
			n++;
	}
	if (n == PST_CAP_RPM_PACKAGES && sqlite3_step(st) == SQLITE_ROW)
		pst_cap_hit(f->scan, f->node, "PST_CAP_RPM_PACKAGES",
			    "packages past the first %u were not listed", PST_CAP_RPM_PACKAGES);
	if (cut)
		pst_field_cut(f);
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
}
