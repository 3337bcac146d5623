/*
 * cmd_log.c - postern log check --state FILE --sth NEW [--consistency PROOF]
 * --log-key PUB: keeps the last signed tree head of the service's
 * transparency log in FILE and proves that the new one extends it
 * (docs/transparency.md). Exit status:
 *   0 the new head extends the kept one (kept from now on), or is the same
 *   1 history rewritten: a fork, or a consistency proof that fails
 *   2 a tree head is not signed by the log key
 *   64 usage, or the log grew and no consistency proof was given
 *   65 not a tree head, a proof or a key; 66 a file is missing;
 *   73 the state could not be written
 *
 * The inputs come from files (read_inputs), or with --server URL from the
 * service (fetch_inputs): GET /api/v1/log/sth, then, when its size differs
 * from the kept one, GET /api/v1/log/proof/consistency between the two
 * sizes (smaller first). The check itself is the same. Online statuses: 69
 * the server cannot be reached, 76 its answer is not one, 77 the token was
 * refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include "cli.h"
#include "tlog.h"

/* A tree head or a consistency proof is well under a KiB or a few KiB. */
#define LOG_FILE_MAX (64u << 10)

/* What one check needs besides the kept state. */
struct log_inputs {
	char *sth, *consistency;	/* consistency may be NULL */
	size_t sth_len, consistency_len;
};

static int read_or_say(const char *path, char **out, size_t *len)
{
	*out = pst_cli_read_small(path, LOG_FILE_MAX, len);
	if (*out)
		return 0;
	fprintf(stderr, "postern: %s: %s\n", path, strerror(errno));
	return errno == EFBIG ? EX_DATAERR : EX_NOINPUT;
}

/* The offline form: the new tree head and the proof from files. */
static int read_inputs(const char *sth_path, const char *cons_path, struct log_inputs *in)
{
	int rc = read_or_say(sth_path, &in->sth, &in->sth_len);
	if (rc == 0 && cons_path)
		rc = read_or_say(cons_path, &in->consistency, &in->consistency_len);
	return rc;
}

/* One GET of the log; 0 with the body in *out, else the exit status. */
static int fetch(const struct pst_http_peer *peer, const char *path, char **out, size_t *len)
{
	struct pst_http_answer a;
	int rc = pst_http_get(peer, path, &a);

	if (rc != 0 && rc != PST_HTTP_PROTOCOL)
		return pst_http_say(peer, rc);
	if (rc == 0 && a.status == 200) {
		*out = a.body;
		*len = a.len;
		return 0;
	}
	fprintf(stderr, "postern: %s%s answered %d: %.300s\n", peer->server, path, a.status,
		a.body ? a.body : "");
	free(a.body);
	return rc == 0 && (a.status == 401 || a.status == 403) ? EX_NOPERM : EX_PROTOCOL;
}

/* The online form: the service's tree head now, and the consistency proof
 * between it and the kept one when their sizes differ. */
static int fetch_inputs(const struct pst_http_peer *peer, const char *state_path,
			struct log_inputs *in)
{
	struct pst_tlog_sth kept, now;
	char err[256], path[128], *state;
	size_t slen = 0;
	int rc = fetch(peer, "/api/v1/log/sth", &in->sth, &in->sth_len);

	if (rc != 0)
		return rc;
	state = pst_cli_read_small(state_path, LOG_FILE_MAX, &slen);
	/* an unreadable state or head is for the check to report */
	if (state && pst_tlog_sth_parse(state, slen, &kept, err, sizeof(err)) == PST_OK &&
	    pst_tlog_sth_parse(in->sth, in->sth_len, &now, err, sizeof(err)) == PST_OK &&
	    kept.size != now.size) {
		snprintf(path, sizeof(path), "/api/v1/log/proof/consistency?first=%llu&second=%llu",
			 (unsigned long long)(kept.size < now.size ? kept.size : now.size),
			 (unsigned long long)(kept.size < now.size ? now.size : kept.size));
		rc = fetch(peer, path, &in->consistency, &in->consistency_len);
	}
	free(state);
	return rc;
}

/* Replaces path's content with text, atomically (a reader sees the old
 * state or the new one, never half of it). */
static int write_state(const char *path, const char *text, size_t len)
{
	char *tmp = NULL;
	FILE *f = NULL;
	int fd = -1, rc = EX_CANTCREAT;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		tmp = NULL;
		goto out;
	}
	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		fprintf(stderr, "postern: %s: %s\n", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (fwrite(text, 1, len, f) != len || fflush(f) != 0 || fsync(fileno(f)) != 0 ||
	    fclose(f) != 0) {
		f = NULL;
		fprintf(stderr, "postern: %s: writing the state failed\n", path);
		goto out;
	}
	f = NULL;
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "postern: %s: %s\n", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (rc != 0 && tmp)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int exit_for(enum pst_log_result r, const char *log_key)
{
	switch (r) {
	case PST_LOG_OK: return 0;
	case PST_LOG_INCONSISTENT: case PST_LOG_NOT_INCLUDED: return 1;
	case PST_LOG_BAD_SIGNATURE: return 2;
	case PST_LOG_NEED_PROOF: return EX_USAGE;
	case PST_LOG_KEY: return access(log_key, R_OK) == 0 ? EX_DATAERR : EX_NOINPUT;
	case PST_LOG_MALFORMED: break;
	}
	return EX_DATAERR;
}

static int check(const char *state_path, const struct log_inputs *in, const char *log_key)
{
	enum pst_log_result r;
	char *state = NULL, msg[512];
	size_t slen = 0;
	bool advance = false;
	int rc;

	state = pst_cli_read_small(state_path, LOG_FILE_MAX, &slen);
	if (!state && errno != ENOENT) {
		fprintf(stderr, "postern: %s: %s\n", state_path, strerror(errno));
		return errno == EFBIG ? EX_DATAERR : EX_NOINPUT;
	}
	r = pst_log_check(state, slen, in->sth, in->sth_len, in->consistency, in->consistency_len,
			  log_key, &advance, msg, sizeof(msg));
	rc = exit_for(r, log_key);
	fprintf(rc == 0 ? stdout : stderr, "%s%s\n", rc == 0 ? "" : "postern: ", msg);
	if (rc == 0 && advance)
		rc = write_state(state_path, in->sth, in->sth_len);
	free(state);
	return rc;
}

int pst_cmd_log(int argc, char **argv)
{
	struct pst_cli_parser p;
	struct log_inputs in = { NULL, NULL, 0, 0 };
	const char *state = NULL, *sth = NULL, *cons = NULL, *key = NULL, *name, *server = NULL;
	const char *token = getenv("POSTERN_TOKEN"), *cacert = NULL;
	struct pst_http_peer peer;
	int c, rc;

	pst_cli_parser_init(&p, pst_cli_cmd_find("log"));
	while ((c = pst_cli_parser_next(&p, argc, argv, &name)) != -1) {
		switch (c) {
		case PST_OPT_STATE: state = optarg; break;
		case PST_OPT_STH: sth = optarg; break;
		case PST_OPT_CONSISTENCY: cons = optarg; break;
		case PST_OPT_LOG_KEY: key = optarg; break;
		case PST_OPT_SERVER: server = optarg; break;
		case PST_OPT_TOKEN: token = optarg; break;
		case PST_OPT_CACERT: cacert = optarg; break;
		case 'h':
			pst_cli_help(stdout, p.cmd);
			return 0;
		default: return EX_USAGE;
		}
	}
	if (optind != argc - 1 || strcmp(argv[optind], "check") != 0 || !state || !key ||
	    !sth == !server || (server && cons)) {
		fprintf(stderr, "postern: log check needs --state FILE --log-key PUB, and either "
				"--sth FILE [--consistency FILE] or --server URL\n");
		return EX_USAGE;
	}
	if (token && !*token)
		token = NULL;
	peer = (struct pst_http_peer){ server, token, cacert };
	rc = server ? fetch_inputs(&peer, state, &in) : read_inputs(sth, cons, &in);
	if (rc == 0)
		rc = check(state, &in, key);
	free(in.sth);
	free(in.consistency);
	return rc;
}
