/*
 * cmd_gate.c - postern gate --server URL FILE: hashes FILE and asks the
 * vetting service's market gate (GET /api/v1/gate/{sha256}, docs/service.md)
 * whether it may go in. For a firmware-update server or a network admission
 * step to call. Exit status:
 *   0 approved; 1 rejected; 2 pending or unknown;
 *   64 usage; 66 FILE cannot be read; 69 the server cannot be reached;
 *   73 --attestation cannot be written; 76 not the gate's answer;
 *   77 the token was refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include <jansson.h>
#include <sodium.h>
#include "cli.h"

/* FILE's SHA-256 in hex, read in chunks (images are large). */
static int file_sha256(const char *path, char hex[65])
{
	crypto_hash_sha256_state st;
	unsigned char buf[1 << 16], h[32];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	crypto_hash_sha256_init(&st);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
	close(fd);
	if (n < 0)
		return -1;
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, 65, h, sizeof(h));
	return 0;
}

static int save(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ok = f && fputs(text, f) >= 0;
	if (f && fclose(f) != 0)
		ok = 0;
	if (!ok)
		fprintf(stderr, "postern: %s: %s\n", path, strerror(errno));
	return ok ? 0 : EX_CANTCREAT;
}

/* The exit status for the gate's answer, after saying it. */
static int answer(const struct pst_http_answer *a, const char *file, const char *att_path)
{
	json_t *o = json_loadb(a->body, a->len, 0, NULL);
	const char *d = json_string_value(json_object_get(o, "decision"));
	const char *p = json_string_value(json_object_get(o, "product"));
	const char *v = json_string_value(json_object_get(o, "version"));
	const char *att = json_string_value(json_object_get(o, "attestation"));
	int rc = EX_PROTOCOL;

	if (d && strcmp(d, "approved") == 0)
		rc = 0;
	else if (d && strcmp(d, "rejected") == 0)
		rc = 1;
	else if (d && (strcmp(d, "pending") == 0 || strcmp(d, "unknown") == 0))
		rc = 2;
	if (rc == EX_PROTOCOL)
		fprintf(stderr, "postern: the server's answer is not the gate's\n");
	else
		printf("%s: %s%s%s%s%s\n", d, file, p ? " is " : "", p ? p : "", v ? " " : "",
		       v ? v : "");
	if (rc != EX_PROTOCOL && att_path && att && save(att_path, att) != 0)
		rc = EX_CANTCREAT;
	json_decref(o);
	return rc;
}

static int ask(const struct pst_http_peer *peer, const char *file, const char *att_path)
{
	struct pst_http_answer a;
	char sha[65], path[96];
	int rc;

	if (file_sha256(file, sha) != 0) {
		fprintf(stderr, "postern: %s: %s\n", file, strerror(errno));
		return EX_NOINPUT;
	}
	snprintf(path, sizeof(path), "/api/v1/gate/%s", sha);
	rc = pst_http_get(peer, path, &a);
	if (rc != 0 && rc != PST_HTTP_PROTOCOL)
		return pst_http_say(peer, rc);
	if (rc == 0 && (a.status == 401 || a.status == 403))
		rc = EX_NOPERM;
	else if (rc == 0 && a.status == 200)
		rc = answer(&a, file, att_path);
	else
		rc = EX_PROTOCOL;
	if (rc == EX_NOPERM || (rc == EX_PROTOCOL && a.body))
		fprintf(stderr, "postern: the server answered %d: %.300s\n", a.status,
			a.body ? a.body : "");
	free(a.body);
	return rc;
}

int pst_cmd_gate(int argc, char **argv)
{
	struct pst_cli_parser p;
	const char *server = NULL, *token = getenv("POSTERN_TOKEN"), *att = NULL, *name;
	const char *cacert = NULL;
	int c;

	pst_cli_parser_init(&p, pst_cli_cmd_find("gate"));
	while ((c = pst_cli_parser_next(&p, argc, argv, &name)) != -1) {
		switch (c) {
		case PST_OPT_SERVER: server = optarg; break;
		case PST_OPT_TOKEN: token = optarg; break;
		case PST_OPT_CACERT: cacert = optarg; break;
		case PST_OPT_ATTEST: att = optarg; break;
		case 'h':
			pst_cli_help(stdout, p.cmd);
			return 0;
		default: return EX_USAGE;
		}
	}
	if (!server || optind != argc - 1) {
		fprintf(stderr, "postern: gate needs --server URL and one FILE "
				"(try 'postern gate --help')\n");
		return EX_USAGE;
	}
	if (token && !*token)
		token = NULL;
	{
		struct pst_http_peer peer = { server, token, cacert };
		return ask(&peer, argv[optind], att);
	}
}
