/*
 * cli.h - what the subcommands (one file each, cmd_*.c) share. The tool
 * includes only the public API.
 */
#ifndef PST_CLI_H
#define PST_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "postern/postern.h"

int pst_cmd_scan(int argc, char **argv);
int pst_cmd_diff(int argc, char **argv);
int pst_cmd_keygen(int argc, char **argv);
int pst_cmd_verify(int argc, char **argv);
int pst_cmd_explain(int argc, char **argv);
/* Prints RULE's catalog entry; 0, or EX_USAGE with the closest ids. */
int pst_cli_explain(const char *rule);

/* A count with an optional K/M/G/T suffix (powers of 1024). */
bool pst_cli_parse_size(const char *s, uint64_t *out);
/* The sysexits status for a scan that could not be done. */
int pst_cli_exit_for(enum pst_err e);

/* getopt codes of the options scan and diff share; a command numbers its
 * own from PST_OPT_COMMON_END. */
enum {
	PST_OPT_POLICY = 256, PST_OPT_RULES, PST_OPT_FAIL_ON, PST_OPT_NO_SANDBOX, PST_OPT_MAX_DEPTH,
	PST_OPT_MAX_FILE, PST_OPT_MAX_TOTAL, PST_OPT_MAX_FILES, PST_OPT_MAX_RATIO, PST_OPT_MAX_SECONDS,
	PST_OPT_MAX_PATH, PST_OPT_MAX_MEMORY, PST_OPT_COMMON_END,
};

/* Their struct option entries (the file includes <getopt.h>). */
#define PST_CLI_COMMON_LONGS \
	{ "output", required_argument, NULL, 'o' }, \
	{ "jobs", required_argument, NULL, 'j' }, \
	{ "policy", required_argument, NULL, PST_OPT_POLICY }, \
	{ "rules", required_argument, NULL, PST_OPT_RULES }, \
	{ "fail-on", required_argument, NULL, PST_OPT_FAIL_ON }, \
	{ "no-sandbox", no_argument, NULL, PST_OPT_NO_SANDBOX }
#define PST_CLI_LIMIT_LONGS \
	{ "max-depth", required_argument, NULL, PST_OPT_MAX_DEPTH }, \
	{ "max-file-bytes", required_argument, NULL, PST_OPT_MAX_FILE }, \
	{ "max-total-bytes", required_argument, NULL, PST_OPT_MAX_TOTAL }, \
	{ "max-files", required_argument, NULL, PST_OPT_MAX_FILES }, \
	{ "max-ratio", required_argument, NULL, PST_OPT_MAX_RATIO }, \
	{ "max-seconds", required_argument, NULL, PST_OPT_MAX_SECONDS }, \
	{ "max-path", required_argument, NULL, PST_OPT_MAX_PATH }, \
	{ "max-memory", required_argument, NULL, PST_OPT_MAX_MEMORY }

/* What those options set besides struct pst_options. */
struct pst_cli_common {
	const char *out_path;
	const char *rule_dirs[33];
	size_t nrules;
	enum pst_verdict fail_from;
	bool sandbox;
};

/* Defaults for both (pst_options_default for o). */
void pst_cli_common_init(struct pst_cli_common *cc, struct pst_options *o);
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
