/*
 * report.h - what the report writers (one file per format) share: the
 * findings catalog, location helpers and counts. Reports only read a
 * finished scan.
 */
#ifndef PST_REPORT_H
#define PST_REPORT_H

#include <jansson.h>
#include "internal.h"

/* One entry of the findings catalog (docs/findings/AREA.md, compiled in): the
 * markdown under "## <rule>" up to the next heading. */
struct pst_catalog_entry {
	const char *file;   /* "docs/findings/policy.md" */
	const char *text;   /* markdown body, not NUL-terminated */
	size_t len;
};
bool pst_catalog_lookup(const char *rule, struct pst_catalog_entry *out);
/* The entry's first descriptive sentence, markdown emphasis removed. */
void pst_catalog_summary(const struct pst_catalog_entry *e, char *out, size_t len);
/* The entry as plain text (emphasis and code marks removed). */
char *pst_catalog_plain(const struct pst_catalog_entry *e);

/* Counts of unwaived findings by severity, and of waived ones. */
struct pst_counts {
	size_t sev[PST_SEV_CRITICAL + 1];
	size_t waived;
};
void pst_count_findings(const struct pst_finding *f, size_t n, struct pst_counts *c);

const char *pst_finding_location(const struct pst_finding *f);

/* Ed25519 keys and base64 (attest.c), shared with the transparency log
 * (service/tlog.c). A key file is a header line, then the raw libsodium key
 * in base64 (docs/attestation.md). */
#define PST_SECRET_KEY_HEADER "postern ed25519 secret key v1"
#define PST_PUBLIC_KEY_HEADER "postern ed25519 public key v1"
/* Reads the key under header from path into key (keylen bytes); false with
 * the reason in err. */
bool pst_key_read(const char *path, const char *header, uint8_t *key, size_t keylen,
		  char *err, size_t errlen);
/* The key id: the first 16 bytes of sha256(public key), hex. */
void pst_key_id(const uint8_t pk[32], char out[33]);
/* Both return malloc'ed buffers; decode returns NULL when s is not base64. */
char *pst_b64_encode(const uint8_t *p, size_t len);
uint8_t *pst_b64_decode(const char *s, size_t *len);

/* Writers. Each appends to o (text formats) and returns PST_OK or PST_ENOMEM. */
enum pst_err pst_write_text(const struct pst_scan *s, const struct pst_report_opts *ro,
			    struct pst_str *o);
enum pst_err pst_write_json(const struct pst_scan *s, const struct pst_report_opts *ro,
			    struct pst_str *o);
enum pst_err pst_write_sarif(const struct pst_scan *s, const struct pst_report_opts *ro,
			     struct pst_str *o);
enum pst_err pst_write_html(const struct pst_scan *s, const struct pst_report_opts *ro,
			    struct pst_str *o);
/* A "component" fact's value (src/analyze/components.c): TYPE NAME VERSION
 * PURL CPE TECHNIQUE EVIDENCE, tab-separated. Splits a copy into f[]; the
 * caller frees the returned buffer. NULL when malformed or out of memory. */
enum { PST_COMP_TYPE, PST_COMP_NAME, PST_COMP_VERSION, PST_COMP_PURL, PST_COMP_CPE,
       PST_COMP_TECHNIQUE, PST_COMP_EVIDENCE, PST_COMP_N };
char *pst_component_split(const char *value, const char *f[PST_COMP_N]);

/* The component facts, split, sorted by identity then location (compgroup.c). */
struct pst_comp_row {
	char *buf;                 /* owns the split fields */
	const char *f[PST_COMP_N];
	const struct pst_node *node;
};
struct pst_comp_row *pst_comp_rows(const struct pst_scan *s, size_t *n);
/* The end of the run of rows with rs[i]'s identity. */
size_t pst_comp_group_end(const struct pst_comp_row *rs, size_t n, size_t i);
void pst_comp_rows_free(struct pst_comp_row *rs, size_t n);
enum pst_err pst_write_vex(const struct pst_scan *s, const struct pst_report_opts *ro,
			   struct pst_str *o);
enum pst_err pst_write_cyclonedx(const struct pst_scan *s, const struct pst_report_opts *ro,
				 struct pst_str *o);

/* jansson helpers: set a key, dropping a NULL value; dump into o. */
void pst_jset(json_t *obj, const char *key, json_t *v);
void pst_jstr(json_t *obj, const char *key, const char *s);
enum pst_err pst_jdump(json_t *root, struct pst_str *o);
/* The JSON report's data as a jansson value (used by HTML). */
json_t *pst_report_json_value(const struct pst_scan *s, bool inventory);

#endif
