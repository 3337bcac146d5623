/*
 * yara_cache.h - what yara.c shares with the other analyzers that compile
 * YARA rules (clamav.c's translated signatures): libyara's process-global
 * state, counted, and the cache of compiled rule sets keyed by content.
 */
#ifndef PST_YARA_CACHE_H
#define PST_YARA_CACHE_H

#include <stdbool.h>
#include <yara.h>

/* yr_initialize on the first user, yr_finalize after the last. */
bool pst_yara_acquire(void);
void pst_yara_release(void);

/* The compiled rule set cached under key (64 hex digits), or NULL. */
YR_RULES *pst_yara_cache_get(const char *key);
/* Saves rules under key (best effort: a cache that cannot be written only
 * costs the next run a compile). */
void pst_yara_cache_put(YR_RULES *rules, const char *key);

/* Marks: empty files in the cache recording a fact about the content whose
 * digest is in name (a ClamAV container libclamav verified); one that is
 * not this user's alone, or writable by others, does not count. */
bool pst_cache_has_mark(const char *name);
void pst_cache_put_mark(const char *name);

#endif
