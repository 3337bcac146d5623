/*
 * cmd_vulndb.c - postern vulndb import|status: the offline vulnerability
 * database a lab fills from the files it downloads itself (OSV, NVD CVE API
 * 2.0, CISA KEV, EPSS) and postern scan matches components against
 * (docs/vulndb.md).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>
#include "cli.h"

/* Creates the directories above path (the default lives in ~/.cache). */
static void make_parents(const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(dir, 0700);
		*p = '/';
	}
}

static int do_import(const char *db, int argc, char **argv)
{
	char msg[1024];
	int rc = 0;
	if (argc == 0) {
		fprintf(stderr, "postern: vulndb import takes one or more SOURCE files\n");
		return EX_USAGE;
	}
	make_parents(db);
	for (int i = 0; i < argc; i++) {
		enum pst_err e = pst_vulndb_import(db, argv[i], msg, sizeof(msg));
		fprintf(e == PST_OK ? stdout : stderr, "%s%s\n",
			e == PST_OK ? "" : "postern: ", msg);
		if (e != PST_OK && !rc)
			rc = e == PST_EIO ? EX_CANTCREAT : EX_DATAERR;
	}
	return rc;
}

int pst_cmd_vulndb(int argc, char **argv)
{
	struct pst_cli_parser p;
	const char *db = NULL, *name, *verb;
	char defpath[PATH_MAX], msg[1024];
	int c;

	pst_cli_parser_init(&p, pst_cli_cmd_find("vulndb"));
	while ((c = pst_cli_parser_next(&p, argc, argv, &name)) != -1) {
		switch (c) {
		case PST_OPT_DB: db = optarg; break;
		case 'h': pst_cli_help(stdout, p.cmd); return 0;
		default: return EX_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr,
			"postern: vulndb takes import or status (try 'postern vulndb --help')\n");
		return EX_USAGE;
	}
	if (!db) {
		if (!pst_vulndb_default_path(defpath, sizeof(defpath))) {
			fprintf(stderr, "postern: neither XDG_CACHE_HOME nor HOME is set: give "
					"--db FILE\n");
			return EX_USAGE;
		}
		db = defpath;
	}
	verb = argv[optind++];
	if (strcmp(verb, "import") == 0)
		return do_import(db, argc - optind, argv + optind);
	if (strcmp(verb, "status") == 0 && optind == argc) {
		if (access(db, R_OK) != 0) {
			fprintf(stderr, "postern: %s: %s\n", db, strerror(errno));
			return EX_NOINPUT;
		}
		printf("database %s\n", db);
		if (pst_vulndb_status(db, stdout, msg, sizeof(msg)) != PST_OK) {
			fprintf(stderr, "postern: %s\n", msg);
			return EX_DATAERR;
		}
		return 0;
	}
	fprintf(stderr,
		"postern: vulndb takes import SOURCE... or status (try 'postern vulndb --help')\n");
	return EX_USAGE;
}
