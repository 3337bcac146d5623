/*
 * cmd_version.c - postern version: the version, the git commit it was built
 * from, and each library it was built with (compiled against / loaded), the
 * first lines a bug report needs.
 */
#include <string.h>
#include <sysexits.h>
#include "cli.h"

static void print_lib(const char *name, const char *built, const char *loaded, void *ctx)
{
	(void)ctx;
	printf("  %-12s %s", name, built ? built : loaded);
	/* capstone says only major.minor: a prefix of what was built is the same */
	if (built && loaded && strncmp(built, loaded, strlen(loaded)) != 0)
		printf(" (loaded: %s)", loaded);
	putchar('\n');
}

int pst_cmd_version(int argc, char **argv)
{
	struct pst_cli_parser p;
	const char *name;
	int c;

	pst_cli_parser_init(&p, pst_cli_cmd_find("version"));
	while ((c = pst_cli_parser_next(&p, argc, argv, &name)) != -1) {
		if (c == 'h') {
			pst_cli_help(stdout, p.cmd);
			return 0;
		}
		return EX_USAGE;
	}
	if (optind != argc) {
		fputs("postern: version takes no arguments\n", stderr);
		return EX_USAGE;
	}
	printf("postern %s\ncommit: %s\nlibraries (built with, loaded when it differs):\n", PST_VERSION,
	       pst_build_commit());
	pst_build_libraries(print_lib, NULL);
	return 0;
}
