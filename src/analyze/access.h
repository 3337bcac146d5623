/*
 * access.h - small helpers the access-path analyzers (accounts, secrets,
 * keys, services, fsperm) share: line iteration over a view, path tests,
 * shell and interpreter names, fact fields, redaction, and the rule data
 * compiled in from rules/access/.
 */
#ifndef PST_ACCESS_H
#define PST_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "internal.h"

/* One line of a text file: bytes without the newline, and where it starts. */
struct acc_line {
	const char *p;
	size_t len;
	uint64_t off;
	bool cut; /* the line is longer than PST_CAP_LINE: len stops there */
};

/* Next line from *pos; false at the end. A line longer than PST_CAP_LINE
 * comes cut there (cut set) and the rest of it is skipped: the caller
 * reports that (acc_line_cap) or reads pieces instead. */
bool acc_next_line(struct pst_view v, uint64_t *pos, struct acc_line *out);
/* As acc_next_line, but a longer line comes in pieces of PST_CAP_LINE
 * bytes, one per call (cut set on all but the last), so that every byte is
 * read: for searches within a line, not for parsers of fields. */
bool acc_next_piece(struct pst_view v, uint64_t *pos, struct acc_line *out);
/* Records limit.cap (PST_CAP_LINE) on f: a line of it was read only to
 * the cap. Once per file: the caller keeps *told. */
void acc_line_cap(const struct pst_file *f, bool *told);

const char *acc_base(const char *path);
bool acc_prefix(const char *s, const char *prefix);
bool acc_suffix(const char *s, const char *suffix);
/* The path that says where a file lives: its own, or for the content of a
 * compressed file (htpasswd.1.gz!/htpasswd.1) the compressed file's path. */
const char *acc_where(const struct pst_node *n);
/* Test data, examples or documentation shipped with a product (a testdata/,
 * tests/ or examples/ directory, /usr/share/doc, a *_test.* or test_* file;
 * never under /etc): keys and certificates there are fixtures, not what the
 * product runs with. */
bool acc_test_material(const char *path);
/* True when path is dir itself or inside it ("/etc" holds "/etc/x"). */
bool acc_under(const char *path, const char *dir);
/* Length of the location's container prefix: location minus the path. */
size_t acc_container_len(const struct pst_node *n);
/* Same innermost container (same location prefix) for two nodes. */
bool acc_same_container(const struct pst_node *a, const struct pst_node *b);
/* Same container and directory for two nodes. */
bool acc_same_dir(const struct pst_node *a, const struct pst_node *b);
/* A path component starts with '.' (not "." or ".."). */
bool acc_hidden_component(const char *path, const char **comp);

/* name is one of list's words (list ends with NULL). */
bool acc_in_list(const char *name, const char *const *list);

/* Shell and interpreter names, by basename. */
bool acc_is_shell(const char *name);
bool acc_is_interpreter(const char *name);
/* A shell that gives no interactive login (nologin, false, ...). */
bool acc_is_nologin_shell(const char *shell);

/* Fields of a fact value, separated by ACC_FS; returns the count (<= max). */
#define ACC_FS '\x1f'
size_t acc_split(char *s, char sep, char **out, size_t max);

/* Copies s into buf (cap bytes) keeping n leading characters of the
 * secret and replacing the rest by a length mark: "ab… (9 chars)". */
void acc_redact(const char *s, size_t len, char *buf, size_t cap);

/* Embedded rule data (the .txt files in rules/access/), NUL-terminated. */
extern const char pst_rules_default_passwords[];
extern const char pst_rules_setuid_expected[];
extern const char pst_rules_trusted_roots[];
extern const char pst_rules_known_test_keys[];

/* Iterates the data lines of an embedded list: skips blanks and '#'. */
bool acc_list_next(const char **cur, const char **line, size_t *len);

/* The access lists an analyzer applies: the compiled-in data, followed by
 * the same-named files of every --rules DIR (DIR/NAME.txt, DIR/NAME-*.txt,
 * and the same under DIR/access/, NAME being default-passwords,
 * setuid-expected, trusted-roots or known-test-keys), in the same format.
 * It is the state of the accounts, keys and fsperm analyzers. */
enum acc_list { ACC_DEFAULT_PASSWORDS, ACC_SETUID_EXPECTED, ACC_TRUSTED_ROOTS,
		ACC_KNOWN_TEST_KEYS, ACC_NLISTS };
struct acc_lists {
	const char *list[ACC_NLISTS]; /* NUL-terminated text */
	const char *user[ACC_NLISTS]; /* where the user's lines start in it, or NULL */
	char *own[ACC_NLISTS];        /* owned when user files were added */
	unsigned nfiles;              /* user files read */
};
enum pst_err acc_lists_init(const struct pst_options *o, void **state);
void acc_lists_fini(void *state);
/* The lists as the analyzers' shared state: loaded once per scan (so a
 * warning about a user's file is given once), freed with the scan. */
extern const struct pst_analyzer_shared acc_lists_shared;
/* The list, or the compiled-in one when state is NULL. */
const char *acc_lists_get(const void *state, enum acc_list which);
/* Where the user's lines start in that list, or NULL when it has none. */
const char *acc_lists_user(const void *state, enum acc_list which);

#endif
