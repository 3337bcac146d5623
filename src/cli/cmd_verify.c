/*
 * cmd_verify.c - postern verify --key PUB --attestation FILE ARTIFACT
 * [--log-proof P --log-key PUB]: checks a signed vetting attestation against
 * an artifact and, with --log-proof, that the attestation is an entry of the
 * service's transparency log (docs/transparency.md). Each failed check has
 * its own exit status (docs/attestation.md):
 *   0 verified (and the verdict is accepted)
 *   2 the signature does not verify (the attestation was altered, or another key)
 *   3 the artifact is not the one attested
 *   4 verified, but the verdict is not accepted (pass only, unless
 *     --allow-review or --any-verdict)
 *   5 verified, but the log proof does not show it in the log
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

/* A log proof is a tree head and at most 65 hashes: a few KiB. */
#define LOG_PROOF_MAX (64u << 10)

/* The attestation is in the log (--log-proof): 0, 5, or a sysexits code.
 * verified: what the attestation check said, printed with the log's answer
 * when that is yes. */
static int check_log(const char *env, size_t envlen, const char *proof_path, const char *log_key,
		     const char *verified)
{
	enum pst_log_result r;
	char *proof, msg[512];
	size_t plen = 0;
	int rc = EX_SOFTWARE;

	proof = pst_cli_read_small(proof_path, LOG_PROOF_MAX, &plen);
	if (!proof) {
		fprintf(stderr, "postern: %s: %s\n", proof_path, strerror(errno));
		return errno == EFBIG ? EX_DATAERR : EX_NOINPUT;
	}
	r = pst_log_verify_inclusion(env, envlen, proof, plen, log_key, msg, sizeof(msg));
	switch (r) {
	case PST_LOG_OK: rc = 0; break;
	case PST_LOG_BAD_SIGNATURE: case PST_LOG_NOT_INCLUDED: case PST_LOG_INCONSISTENT:
		rc = 5;
		break;
	case PST_LOG_KEY: rc = access(log_key, R_OK) == 0 ? EX_DATAERR : EX_NOINPUT; break;
	case PST_LOG_NEED_PROOF: case PST_LOG_MALFORMED: rc = EX_DATAERR; break;
	}
	if (r == PST_LOG_OK)
		printf("%s\n%s\n", verified, msg);
	else
		fprintf(stderr, "postern: the attestation verifies, but %s\n", msg);
	free(proof);
	return rc;
}

int pst_cmd_verify(int argc, char **argv)
{
	struct pst_cli_parser p;
	const char *key = NULL, *att = NULL, *artifact, *name, *log_proof = NULL, *log_key = NULL;
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
		case PST_OPT_LOG_PROOF: log_proof = optarg; break;
		case PST_OPT_LOG_KEY: log_key = optarg; break;
		case 'h':
			pst_cli_help(stdout, p.cmd);
			return 0;
		default: return EX_USAGE;
		}
	}
	if (!key)
		key = log_key; /* the service signs attestations and tree heads with one key */
	if (!key || !att || optind != argc - 1 || (log_proof && !log_key)) {
		fprintf(stderr, "postern: verify needs --key PUB (or --log-key PUB) --attestation FILE "
				"and one ARTIFACT; --log-proof needs --log-key\n");
		return EX_USAGE;
	}
	artifact = argv[optind];
	env = pst_cli_read_small(att, ATTESTATION_MAX, &envlen);
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
	/* "verified" is said only once the log check, when asked for, passed too */
	if (rc == 0 && log_proof)
		rc = check_log(env, envlen, log_proof, log_key, msg);
	else
		fprintf(r == PST_VERIFY_OK ? stdout : stderr, "%s%s\n",
			r == PST_VERIFY_OK ? "" : "postern: ", msg);
out:
	if (map)
		munmap(map, len);
	free(env);
	return rc;
}
