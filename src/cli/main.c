/*
 * main.c - the postern command: dispatches to a subcommand (cmd_<name>.c)
 * through the command table (cmdtable.c).
 * Exit status: 0 pass or review, 1 fail, sysexits codes (64+) for usage,
 * input and internal errors; verify has statuses of its own
 * (docs/attestation.md).
 */
#include <string.h>
#include <sysexits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include "cli.h"

/* Commands the build runs (man pages, completion), kept out of help. */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} hidden[] = {
	{ "__manpage", pst_cmd_manpage },
	{ "__completion", pst_cmd_completion },
};

/* glibc raises its mmap threshold up to 32 MiB each time a big block is
 * freed, and the workers' arenas then keep the freed buffers: with four
 * workers, 85 MB beyond the memory budget on /usr/lib/jvm under
 * --max-memory 128M (docs/limits.md, "One accounting"). Fixed thresholds
 * from the start (every block past 256 KiB given back when freed, a heap's
 * top trimmed past 1 MiB); each scan's budget then sets them while it lives
 * (fit_malloc, core/mem.c). */
static void tune_malloc(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
#endif
}

int main(int argc, char **argv)
{
	const struct pst_cli_cmd *c;
	size_t i;

	tune_malloc();
	pst_cli_fatal_init();

	if (argc < 2) {
		pst_cli_usage(stderr);
		return EX_USAGE;
	}
	for (c = pst_cli_cmds; c->name; c++)
		if (c->run && strcmp(argv[1], c->name) == 0)
			return c->run(argc - 1, argv + 1);
	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		if (strcmp(argv[1], hidden[i].name) == 0)
			return hidden[i].run(argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0)
		return pst_cmd_version(argc - 1, argv + 1);
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		pst_cli_usage(stdout);
		return 0;
	}
	fprintf(stderr, "postern: unknown command '%s' (try 'postern help')\n", argv[1]);
	return EX_USAGE;
}
