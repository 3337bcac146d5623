/*
 * cmd_keygen.c - postern keygen [-o PREFIX]: writes PREFIX.key (the Ed25519
 * secret key, mode 0600) and PREFIX.pub (the public key) for signing
 * vetting attestations. Refuses to overwrite either file.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include "cli.h"

int pst_cmd_keygen(int argc, char **argv)
{
	struct pst_cli_parser p;
	const char *name;
	const char *prefix = "postern";
	char *sec = NULL, *pub = NULL, err[512];
	int c, rc = EX_CANTCREAT;

	pst_cli_parser_init(&p, pst_cli_cmd_find("keygen"));
	while ((c = pst_cli_parser_next(&p, argc, argv, &name)) != -1) {
		switch (c) {
		case 'o': prefix = optarg; break;
		case 'h':
			pst_cli_help(stdout, p.cmd);
			return 0;
		default: return EX_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "postern: keygen takes no arguments besides -o PREFIX\n");
		return EX_USAGE;
	}
	if (asprintf(&sec, "%s.key", prefix) < 0 || asprintf(&pub, "%s.pub", prefix) < 0) {
		rc = EX_OSERR;
		goto out;
	}
	if (pst_keygen(sec, pub, err, sizeof(err)) != PST_OK) {
		fprintf(stderr, "postern: keygen: %s\n", err);
		goto out;
	}
	printf("secret key: %s\npublic key: %s\n", sec, pub);
	rc = 0;
out:
	free(sec);
	free(pub);
	return rc;
}
