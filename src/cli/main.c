/*
 * main.c - the postern command: dispatches to a subcommand (cmd_<name>.c).
 * Exit status: 0 pass or review, 1 fail, sysexits codes (64+) for usage,
 * input and internal errors; verify has statuses of its own
 * (docs/attestation.md).
 */
#include <string.h>
#include <sysexits.h>
#include "cli.h"

static void usage(FILE *f)
{
	fputs("usage: postern scan TARGET [options]     vet a product (postern scan --help)\n"
	      "       postern diff OLD NEW [options]     what NEW changes against OLD, and its verdict\n"
	      "       postern explain RULE               why a finding's rule matters, how to fix it\n"
	      "                                          (postern explain --list: every rule id)\n"
	      "       postern keygen [-o PREFIX]         make an Ed25519 key pair for attestations\n"
	      "       postern verify --key PUB --attestation FILE ARTIFACT\n"
	      "                                          check a signed vetting attestation\n"
	      "       postern version\n"
	      "\n"
	      "Opens TARGET (a firmware image, package, archive or directory) all the way down,\n"
	      "in memory, examines every file and gives a verdict: pass, review or fail.\n"
	      "\n"
	      "exit status: 0 pass or review, 1 fail, 64 usage, 65 bad data, 66 no input,\n"
	      "70 internal error, 74 I/O error; verify: 2 bad signature, 3 artifact mismatch,\n"
	      "4 verdict not accepted\n",
	      f);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} cmds[] = {
		{ "scan", pst_cmd_scan },
		{ "diff", pst_cmd_diff },
		{ "keygen", pst_cmd_keygen },
		{ "verify", pst_cmd_verify },
		{ "explain", pst_cmd_explain },
	};
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].run(argc - 1, argv + 1);
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("postern %s\n", PST_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "postern: unknown command '%s' (try 'postern help')\n", argv[1]);
	return EX_USAGE;
}
