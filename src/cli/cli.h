/*
 * cli.h - what the subcommands (one file each, cmd_*.c) share. The tool
 * includes only the public API.
 */
#ifndef PST_CLI_H
#define PST_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "postern/postern.h"

int pst_cmd_scan(int argc, char **argv);
int pst_cmd_diff(int argc, char **argv);
int pst_cmd_keygen(int argc, char **argv);
int pst_cmd_verify(int argc, char **argv);
int pst_cmd_explain(int argc, char **argv);
int pst_cmd_vulndb(int argc, char **argv);
int pst_cmd_serve(int argc, char **argv);
int pst_cmd_worker(int argc, char **argv);
int pst_cmd_admin(int argc, char **argv);
int pst_cmd_log(int argc, char **argv);
int pst_cmd_gate(int argc, char **argv);

/* httpget.c: GET peer->server + path, with a bearer token when non-NULL;
 * https checks the server against cacert (a PEM file), or the system's
 * trust store when NULL. 0 with the answer (body malloc'd, NUL-terminated;
 * the caller frees it), or why not. */
struct pst_http_answer {
	int status;
	char *body;
	size_t len;
};
enum { PST_HTTP_URL = 1, PST_HTTP_UNREACHABLE, PST_HTTP_PROTOCOL, PST_HTTP_TLS };
struct pst_http_peer {
	const char *server; /* http[s]://HOST[:PORT][/PREFIX] */
	const char *token;  /* or NULL */
	const char *cacert; /* or NULL: the system's trust store */
};
int pst_http_get(const struct pst_http_peer *peer, const char *path, struct pst_http_answer *out);
/* Says on stderr why pst_http_get's rc (not 0) got no answer; its exit status. */
int pst_http_say(const struct pst_http_peer *peer, int rc);
/* Reads a small file (at most max bytes) whole into a malloc'ed buffer with
 * a NUL after it; NULL with errno set (EFBIG when larger). */
char *pst_cli_read_small(const char *path, size_t max, size_t *len);
/* Prints RULE's catalog entry; 0, or EX_USAGE with the closest ids. */
int pst_cli_explain(const char *rule);

/* A count with an optional K/M/G/T suffix (powers of 1024). */
bool pst_cli_parse_size(const char *s, uint64_t *out);
/* The sysexits status for a scan that could not be done. */
int pst_cli_exit_for(enum pst_err e);

/* getopt codes of the long options without a short letter (the table in
 * cmdtable.c gives each to the commands that take it). */
enum {
	PST_OPT_POLICY = 256, PST_OPT_RULES, PST_OPT_FAIL_ON, PST_OPT_NO_SANDBOX, PST_OPT_MAX_DEPTH,
	PST_OPT_MAX_FILE, PST_OPT_MAX_TOTAL, PST_OPT_MAX_FILES, PST_OPT_MAX_RATIO, PST_OPT_MAX_SECONDS,
	PST_OPT_MAX_PATH, PST_OPT_MAX_MEMORY, PST_OPT_MAX_SPILL,
	/* scan's own */
	PST_OPT_INVENTORY, PST_OPT_EXTRACT, PST_OPT_NO_PROGRESS, PST_OPT_COLOR, PST_OPT_NO_COLOR,
	PST_OPT_NO_RUN, PST_OPT_RULES_PACK, PST_OPT_NO_RULES_PACK, PST_OPT_RULE_TIMEOUT, PST_OPT_SIGN,
	PST_OPT_ATTEST, PST_OPT_EXPLAIN, PST_OPT_ROOT, PST_OPT_CLAMAV_DB,
	/* verify's, explain's */
	PST_OPT_ALLOW_REVIEW, PST_OPT_ANY_VERDICT, PST_OPT_LIST,
	/* scan's vulnerability database (vulndb --db shares PST_OPT_DB) */
	PST_OPT_VULNDB, PST_OPT_NO_VULNDB, PST_OPT_VULNDB_MAX_AGE,
	PST_OPT_VEX,
	/* the transparency log's (verify --log-proof, log check) */
	PST_OPT_LOG_PROOF, PST_OPT_LOG_KEY, PST_OPT_STATE, PST_OPT_STH, PST_OPT_CONSISTENCY,
	/* the service's clients (gate, log check --server) */
	PST_OPT_SERVER, PST_OPT_TOKEN, PST_OPT_CACERT,
	/* a new command numbers its options from here, and lists them in the table */
	PST_OPT_COMMON_END,
};
/* serve's, worker's and admin's (the service, src/service/) */
enum {
	PST_OPT_DATA = PST_OPT_COMMON_END, PST_OPT_LISTEN, PST_OPT_WORKERS, PST_OPT_MAX_UPLOAD,
	PST_OPT_RATE, PST_OPT_BURST, PST_OPT_LEASE, PST_OPT_DB, PST_OPT_ROLE, PST_OPT_TENANT,
	PST_OPT_NAME, PST_OPT_DIFF_OLD, PST_OPT_DIFF_NEW, PST_OPT_TLS_CERT, PST_OPT_TLS_KEY,
	PST_OPT_PUBLIC_GATE, PST_OPT_PERSON, PST_OPT_PEEK, PST_OPT_PEEK_PATH, PST_OPT_PEEK_OFFSET,
};

/* What completing an option's argument or a command's operand offers. */
enum pst_cli_complete { PST_COMPLETE_NONE, PST_COMPLETE_FILE, PST_COMPLETE_DIR, PST_COMPLETE_RULE };

/* One option of a subcommand: the single source of its getopt entry, its
 * --help line, its man page item and its shell completion. */
struct pst_cli_opt {
	const char *name;	/* long name without "--" */
	int key;		/* getopt code: the short letter, or a PST_OPT_* code */
	const char *arg;	/* the argument's name in help; NULL: takes none */
	const char *values;	/* allowed values, space-separated; NULL: any */
	enum pst_cli_complete complete; /* what else the argument may be */
	const char *help;	/* what it does (may hold \n: the help wraps there) */
	const char *group;	/* a heading this option opens, or NULL */
};

/* A subcommand, or a page of its own (section 5: a file format). */
struct pst_cli_cmd {
	const char *name;	/* "scan"; a section 5 page's full name ("postern-policy") */
	int section;		/* man section: 1; 8 (the service); 5 (a file format) */
	const char *operands;	/* after the options in the synopsis: "TARGET"; NULL: none */
	enum pst_cli_complete operand; /* what completing an operand offers */
	const char *summary;	/* one line: NAME section, the command list */
	const char *description; /* paragraphs split by blank lines; see usage.c for the markup */
	const struct pst_cli_opt *opts; /* ends with a NULL name; NULL: no options */
	const char *exit_status; /* paragraphs, as description */
	int (*run)(int argc, char **argv); /* NULL: a page, not a command */
};

/* Every command and page, in the order help lists them, ending with a
 * NULL name. */
extern const struct pst_cli_cmd pst_cli_cmds[];
/* The command or page named name ("scan", "postern-scan", "postern-policy"),
 * or NULL. */
/* A command (sections 1 and 8), not a page of its own (section 5). */
static inline bool pst_cli_is_command(const struct pst_cli_cmd *c)
{
	return c->section != 5;
}
const struct pst_cli_cmd *pst_cli_cmd_find(const char *name);

/* getopt_long over a command's table entry: the long options and the short
 * letters are built from its options, so what the parser accepts is what
 * --help and the man page list. */
struct pst_cli_parser {
	struct option longs[64];
	char shorts[64];
	const struct pst_cli_cmd *cmd;
	int index;		/* of the long option last matched, or -1 */
};
/* Prepares p for cmd's options and resets getopt. */
void pst_cli_parser_init(struct pst_cli_parser *p, const struct pst_cli_cmd *cmd);
/* getopt_long's next code; *name is the option's long name (for messages). */
int pst_cli_parser_next(struct pst_cli_parser *p, int argc, char **argv, const char **name);

/* o's allowed values as a phrase ("text, json or html"), into buf. */
void pst_cli_values_phrase(const struct pst_cli_opt *o, char *buf, size_t len);
/* Writes cmd's --help text (wrapped to 79 columns). */
void pst_cli_help(FILE *f, const struct pst_cli_cmd *cmd);
/* Writes postern's own usage: every command with its summary. */
void pst_cli_usage(FILE *f);
/* Writes cmd's man page (man(7) macros); cmd NULL: postern(1). */
void pst_cli_manpage(FILE *f, const struct pst_cli_cmd *cmd);
/* Writes the completion script for shell ("bash" or "zsh"); EX_USAGE for
 * another shell. */
int pst_cli_completion(FILE *f, const char *shell);

int pst_cmd_version(int argc, char **argv);
int pst_cmd_manpage(int argc, char **argv);
int pst_cmd_completion(int argc, char **argv);

/* What those options set besides struct pst_options. */
struct pst_cli_common {
	const char *out_path;
	const char *rule_dirs[33];
	size_t nrules;
	enum pst_verdict fail_from;
	bool sandbox;
};

/* Defaults for both (pst_options_default for o), and the library's
 * messages printed on stderr. */
void pst_cli_common_init(struct pst_cli_common *cc, struct pst_options *o);
void pst_cli_fatal_init(void);
/* Handles getopt's code c (-o, -j and the shared long options) with its
 * argument; name is the long option's name (without --), for messages. Returns 1 handled,
 * 0 not a shared option, -1 a usage error (already reported). */
int pst_cli_common_opt(int c, const char *arg, const char *name, struct pst_cli_common *cc,
		       struct pst_options *o);
/* Points o at what the options collected (call once parsing is over). */
void pst_cli_common_apply(struct pst_cli_common *cc, struct pst_options *o);
/* Opens path for writing into *out (stdout when path is NULL); returns 0 or
 * EX_CANTCREAT, reported, with *out left at stdout. */
int pst_cli_open_output(const char *path, FILE **out);

/* Enters the sandbox for `scans` scans of o: Landlock reads under t1 and t2
 * (the targets, or the target and the signing key; t2 may be NULL), the
 * policy and rule directories, writes under o->extract_dir; address space
 * and CPU limits from the inputs' sizes and --max-seconds. Says once on
 * stderr when the kernel has no Landlock (seccomp alone cannot confine
 * paths). Returns 0, or EX_OSERR after saying why. */
int pst_cli_sandbox(const struct pst_options *o, const char *t1, const char *t2, unsigned scans,
		    const char *scratch);
/* Reports why a scan could not be prepared or run; returns the exit status. */
int pst_cli_scan_failed(const struct pst_scan *s, enum pst_err e);

#endif
