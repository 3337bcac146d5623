/*
 * yara_include.h - the files YARA rule files `include`, read once before
 * compiling so that the compiled-rule cache keys on their content and the
 * compiler reads exactly what was hashed (yara_include.c).
 */
#ifndef PST_YARA_INCLUDE_H
#define PST_YARA_INCLUDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pst_yara_incl;

/* Reads a rule file whole: at most PST_YARA_RULE_FILE_MAX bytes, a regular
 * file, NUL-terminated (not counted in *len). NULL with err set. */
#define PST_YARA_RULE_FILE_MAX (16u << 20)
uint8_t *pst_yara_read_rule_file(const char *path, size_t *len, char *err, size_t errlen);

struct pst_yara_incl *pst_yara_incl_new(void);
void pst_yara_incl_free(struct pst_yara_incl *t);

/* Reads what the rule file at path (content src) includes, and what those
 * include, relative to the including file (absolute names as they are).
 * An include that cannot be read is left to the compiler to report. False
 * on out of memory only. */
bool pst_yara_incl_scan(struct pst_yara_incl *t, const char *path, const uint8_t *src,
			size_t len);

/* Whether the file at path (any spelling) is included by a scanned file. */
bool pst_yara_incl_has(const struct pst_yara_incl *t, const char *path);

/* Feeds every included file's real path and content, in path order (sorts t). */
void pst_yara_incl_digest(struct pst_yara_incl *t,
			  void (*feed)(void *ctx, const void *p, size_t len), void *ctx);

/* libyara's include callback (user = the table) and its no-op release. */
const char *pst_yara_incl_callback(const char *name, const char *caller, const char *ns,
				   void *user);
void pst_yara_incl_release(const char *p, void *user);

#endif
