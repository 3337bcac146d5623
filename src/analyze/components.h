/*
 * components.h - what the component readers share (components.c emits the
 * "component" facts; compfp.c, pkgmeta.c and gobuild.c read components).
 */
#ifndef PST_COMPONENTS_H
#define PST_COMPONENTS_H

#include <stdbool.h>
#include "internal.h"

/* Records fact "component" on f's node: TYPE NAME VERSION PURL CPE TECHNIQUE
 * EVIDENCE, tab-separated (control characters become spaces). */
void pst_component_emit(const struct pst_file *f, const char *type, const char *name,
			const char *version, const char *purl, const char *cpe,
			const char *technique, const char *evidence);
/* Whether a field read from an image is a usable name or version: not
 * empty, no spaces or control characters. */
bool pst_component_plain(const char *s);
/* A package name, version or architecture of f was longer than
 * PST_CAP_PKG_FIELD and cut: limit.cap on f (the package may be misnamed). */
void pst_field_cut(const struct pst_file *f);
/* Appends s percent-encoded as a purl segment (RFC 3986 unreserved stay). */
void pst_purl_enc(struct pst_str *o, const char *s);

/* Package metadata other than dpkg/opkg (pkgmeta.c): os-release,
 * openwrt_release, Python dist-info/egg-info, Maven pom.properties, Node
 * package.json under node_modules, Alpine's apk database. */
bool pst_pkgmeta_wants(const struct pst_node *n);
void pst_pkgmeta_read(const struct pst_file *f);

/* Each line of f (without its \n) calls fn(ctx, line, len) until it
 * returns false (pkgmeta.c). */
void pst_each_line(const struct pst_file *f, bool (*fn)(void *, const char *, size_t), void *ctx);

/* Installed packages from rpm's SQLite database (rpmdb.c). */
void pst_rpmdb_read(const struct pst_file *f);
/* One rpm header blob (no magic: IL, DL, index, data) as a component of f,
 * evidence "LABEL: NAME VERSION"; false when it is no usable header. Sets
 * *cut when a string of it was longer than PST_CAP_PKG_FIELD (the caller
 * reports pst_field_cut once per database). */
bool pst_rpm_header_emit(const struct pst_file *f, struct pst_view blob, const char *label,
			 bool *cut);
/* Installed packages from rpm's BerkeleyDB hash database (rpmbdb.c). */
void pst_rpmbdb_read(const struct pst_file *f);
enum pst_bdb_rc {
	PST_BDB_OK,
	PST_BDB_NOT,     /* no BerkeleyDB hash database (magic, page size) */
	PST_BDB_DAMAGED, /* a page, item or overflow chain out of place; the rest was read */
	PST_BDB_CAP,     /* PST_CAP_RPM_BDB_BYTES or PST_CAP_RPM_PACKAGES reached */
	PST_BDB_NOMEM,
};
/* Calls fn with each data item of the hash database db (an overflow item
 * assembled from its chain) until fn returns false; *why says what was
 * damaged (static text) when the result is PST_BDB_DAMAGED. */
typedef bool (*pst_bdb_fn)(void *ctx, struct pst_view item);
enum pst_bdb_rc pst_bdb_hash_walk(struct pst_view db, pst_bdb_fn fn, void *ctx,
				  const char **why);
/* The same for rpm's NDB Packages.db: fn gets each slot's blob (rpmbdb.c). */
enum pst_bdb_rc pst_ndb_walk(struct pst_view db, pst_bdb_fn fn, void *ctx, const char **why);
/* Installed packages from rpm's NDB database Packages.db (rpmbdb.c). */
void pst_rpmndb_read(const struct pst_file *f);
/* A virtual appliance's OVF descriptor (ovf.c): its ProductSection. */
void pst_ovf_read(const struct pst_file *f);

/* Go build information in a Go program (gobuild.c). */
void pst_gobuild_read(const struct pst_file *f);

/* A jar's META-INF/MANIFEST.MF (jarmf.c): read records fact "jar.manifest",
 * finish turns it into a component unless pom.properties gave one. */
void pst_jarmf_read(const struct pst_file *f);
void pst_jarmf_finish(const struct pst_tree *t);

/* cargo auditable's dependency list in a Rust program (cargodep.c). */
enum pst_cargo_rc {
	PST_CARGO_OK,
	PST_CARGO_DAMAGED, /* the zlib stream does not inflate or the JSON does not parse */
	PST_CARGO_CAP,     /* inflates past PST_CAP_CARGO_DEP_BYTES */
	PST_CARGO_MANY,    /* more than PST_CAP_CARGO_PACKAGES (the first ones were listed) */
	PST_CARGO_NOMEM,
};
typedef void (*pst_cargo_fn)(void *ctx, const char *name, const char *version, bool root);
/* Inflates and parses a .dep-v0 section's bytes z, calling fn per package. */
enum pst_cargo_rc pst_cargodep_parse(struct pst_view z, pst_cargo_fn fn, void *ctx);
/* Reads f's .dep-v0 section, found in its section table (elf.c). */
void pst_cargodep_read(const struct pst_file *f);

#endif
