/*
 * cmd_verify.c - postern verify --key PUB --attestation FILE ARTIFACT:
 * checks a signed vetting attestation against an artifact. Each failed check
 * has its own exit status (docs/attestation.md):
 *   0 verified (and the verdict is accepted)
 *   2 the signature does not verify (the attestation was altered, or another key)
 *   3 the artifact is not the one attested
 *   4 verified, but the verdict is not accepted (pass only, unless
 *     --allow-review or --any-verdict)
 *   64 usage, 65 not an attestation or not a key, 66 a file is missing
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>
#include "cli.h"

#define ATTESTATION_MAX (16u << 20)

static char *read_small(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	if (!f)
		return NULL;
	buf = malloc(ATTESTATION_MAX + 1);
	if (buf) {
		*len = fread(buf, 1, ATTESTATION_MAX + 1, f);
		if (ferror(f) || *len > ATTESTATION_MAX) {
			free(buf);
			buf = NULL;
			errno = EFBIG;
		}
	}
	fclose(f);
	return buf;
}

int pst_cmd_verify(int argc, char **argv)
{
	struct pst_cli_parser p;
	const char *key = NULL, *att = NULL, *artifact, *name;
	enum pst_verdict accept = PST_VERDICT_PASS;
	enum pst_verify_result r;
	char *env = NULL, msg[512];
	const uint8_t *data = (const uint8_t *)"";
	void *map = NULL;
	size_t envlen = 0, len = 0;
	struct stat st;
	int c, fd, rc = EX_SOFTWARE;

	pst_cli_parser_init(&p, pst_cli_cmd_find("verify"));
	while ((c = pst_cli_parser_next(&p, argc, argv, &name)) != -1) {
		switch (c) {
		case 'k': key = optarg; break;
		case 'a': att = optarg; break;
		case PST_OPT_ALLOW_REVIEW: accept = PST_VERDICT_REVIEW; break;
		case PST_OPT_ANY_VERDICT: accept = PST_VERDICT_FAIL; break;
		case 'h':
			pst_cli_help(stdout, p.cmd);
			return 0;
		default: return EX_USAGE;
		}
	}
	if (!key || !att || optind != argc - 1) {
		fprintf(stderr, "postern: verify needs --key PUB --attestation FILE and one ARTIFACT\n");
		return EX_USAGE;
	}
	artifact = argv[optind];
	env = read_small(att, &envlen);
	if (!env) {
		fprintf(stderr, "postern: %s: %s\n", att, strerror(errno));
		return EX_NOINPUT;
	}
	fd = open(artifact, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "postern: %s: %s\n", artifact, fd < 0 ? strerror(errno) : "not a file");
		if (fd >= 0)
			close(fd);
		rc = EX_NOINPUT;
		goto out;
	}
	len = (size_t)st.st_size;
	if (len) {
		map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			fprintf(stderr, "postern: %s: %s\n", artifact, strerror(errno));
			close(fd);
			map = NULL;
			rc = EX_IOERR;
			goto out;
		}
		data = map;
	}
	close(fd);
	r = pst_attest_verify(env, envlen, key, data, len, accept, msg, sizeof(msg));
	switch (r) {
	case PST_VERIFY_OK: rc = 0; break;
	case PST_VERIFY_BAD_SIGNATURE: rc = 2; break;
	case PST_VERIFY_MISMATCH: rc = 3; break;
	case PST_VERIFY_VERDICT: rc = 4; break;
	case PST_VERIFY_KEY: rc = access(key, R_OK) == 0 ? EX_DATAERR : EX_NOINPUT; break;
	case PST_VERIFY_MALFORMED: rc = EX_DATAERR; break;
	}
	fprintf(r == PST_VERIFY_OK ? stdout : stderr, "%s%s\n", r == PST_VERIFY_OK ? "" : "postern: ",
		msg);
out:
	if (map)
		munmap(map, len);
	free(env);
	return rc;
}
