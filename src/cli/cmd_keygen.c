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
	static const struct option longs[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *prefix = "postern";
	char *sec = NULL, *pub = NULL, err[512];
	int c, rc = EX_CANTCREAT;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longs, NULL)) != -1) {
		switch (c) {
		case 'o': prefix = optarg; break;
		case 'h':
			puts("usage: postern keygen [-o PREFIX]   writes PREFIX.key (secret, 0600) and "
			     "PREFIX.pub (default prefix: postern)");
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
