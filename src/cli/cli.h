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

/* A count with an optional K/M/G/T suffix (powers of 1024). */
bool pst_cli_parse_size(const char *s, uint64_t *out);
/* The sysexits status for a scan that could not be done. */
int pst_cli_exit_for(enum pst_err e);

#endif
