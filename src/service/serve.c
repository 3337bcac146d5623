/*
 * serve.c - postern serve: prepares the data directory (store, blobs, the
 * service's signing key), starts the local worker processes (each one a
 * `postern worker` of its own, re-executed, so no thread state crosses a
 * fork), serves the HTTP API, and restarts a worker that dies until it is
 * told to stop.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>
#include "http.h"

#define SVC_MAX_WORKERS 256

void pst_serve_opts_default(struct pst_serve_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->data_dir = "postern-data";
	o->listen = "127.0.0.1:8080";
	o->max_upload = 4ull << 30;
	o->rate = 20;
	o->burst = 100;
	o->lease = 30;
}

/* The public key's text and its id (sha256 of the raw key, 16 bytes, hex,
 * as the attestation's keyid). */
static int load_pubkey(struct svc_server *srv, const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[512], *nl;
	unsigned char raw[64], h[32];
	size_t n = 0, rawlen = 0;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	srv->pubkey = strdup(buf);
	nl = strchr(buf, '\n');
	if (!srv->pubkey || !nl ||
	    sodium_base642bin(raw, sizeof(raw), nl + 1, strlen(nl + 1), "\n\r", &rawlen, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0)
		return -1;
	crypto_hash_sha256(h, raw, rawlen);
	svc_hex(h, 16, srv->keyid);
	return 0;
}

void svc_server_free(struct svc_server *srv)
{
	if (!srv)
		return;
	if (srv->d)
		svc_mhd.MHD_stop_daemon(srv->d);
	if (srv->st)
		srv->st->ops->close(srv->st);
	pthread_mutex_destroy(&srv->rate_mu);
	free(srv->pubkey);
	free(srv->tls_cert);
	if (srv->tls_key)
		sodium_memzero(srv->tls_key, strlen(srv->tls_key));
	free(srv->tls_key);
	free(srv);
}

static volatile sig_atomic_t g_stop;
static void on_stop(int sig) { (void)sig; g_stop = 1; }

/* Makes DATA, DATA/blobs, the store (migrated) and the key pair. */
static int prepare_data(const struct pst_serve_opts *o, char *secret, char *pub, size_t len)
{
	char blobs[4096];
	struct pst_store *st;
	int rc;

	if (svc_mkdir(o->data_dir) != 0 ||
	    svc_path(blobs, sizeof(blobs), o->data_dir, "blobs") != 0 || svc_mkdir(blobs) != 0) {
		fprintf(stderr, "postern: %s: %s\n", o->data_dir, strerror(errno));
		return -1;
	}
	st = svc_store_open(o->db ? o->db : o->data_dir);
	if (!st)
		return -1;
	rc = svc_keys_sync(st, o->data_dir, secret, pub, len);
	st->ops->close(st);
	return rc;
}

/* SIGTERM to every worker, sent again every 0.2 s for 5 s to those still
 * there: one that lands between a worker's fork and its exec is taken by
 * the handler it inherited from serve and lost, and serve would wait for
 * that worker forever (seen when serve gives up at once, a bad --listen).
 * A worker takes a repeated SIGTERM as one. Then waits for them all. */
static void stop_workers(pid_t *pids, unsigned n)
{
	struct timespec nap = { 0, 200 * 1000 * 1000 };
	unsigned i, round, left = n;
	int status;

	for (round = 0; round < 25 && left; round++) {
		for (i = 0, left = 0; i < n; i++) {
			if (pids[i] <= 0)
				continue;
			if (waitpid(pids[i], &status, WNOHANG) == pids[i]) {
				pids[i] = 0;
				continue;
			}
			kill(pids[i], SIGTERM);
			left++;
		}
		if (left)
			nanosleep(&nap, NULL);
	}
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			waitpid(pids[i], &status, 0);
}

static void supervise_workers(const struct pst_serve_opts *o, pid_t *pids, unsigned n)
{
	struct timespec nap = { 0, 200 * 1000 * 1000 };
	unsigned i;
	int status;

	while (!g_stop) {
		pid_t pid = waitpid(-1, &status, WNOHANG);
		for (i = 0; pid > 0 && i < n; i++)
			if (pids[i] == pid) {
				fprintf(stderr, "postern: worker %d ended; starting another\n",
					(int)pid);
				pids[i] = svc_worker_spawn(o->db, o->data_dir, o->lease, i);
			}
		if (pid <= 0)
			nanosleep(&nap, NULL);
	}
	stop_workers(pids, n);
}

int pst_service_serve(const struct pst_serve_opts *o)
{
	struct svc_server *srv = calloc(1, sizeof(*srv));
	pid_t pids[SVC_MAX_WORKERS];
	unsigned n = o->workers, i;
	char pub[4096];
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int rc = EX_SOFTWARE;

	if (!srv)
		return EX_OSERR;
	srv->o = *o;
	pthread_mutex_init(&srv->rate_mu, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	/* before the data directory is made: a service that cannot listen
	 * leaves nothing behind */
	if (svc_mhd_load() != 0) {
		rc = EX_UNAVAILABLE;
		goto out;
	}
	if (prepare_data(o, srv->key_secret, pub, sizeof(pub)) != 0 || load_pubkey(srv, pub) != 0 ||
	    svc_scan_identity(&srv->id) != 0) {
		rc = EX_CANTCREAT;
		goto out;
	}
	if (svc_server_load_tls(srv) < 0) {
		rc = EX_CONFIG;
		goto out;
	}
	if (n == 0)
		n = cores > 0 ? (unsigned)cores : 1;
	if (n > SVC_MAX_WORKERS)
		n = SVC_MAX_WORKERS;
	/* workers before any thread exists; each opens its own connection */
	for (i = 0; i < n; i++)
		pids[i] = svc_worker_spawn(o->db, o->data_dir, o->lease, i);
	srv->st = svc_store_open(o->db ? o->db : o->data_dir);
	/* passes a store from before schema 4 (or a worker stopped between
	 * storing a scan and logging its approval) left unlogged */
	if (srv->st && svc_policy_approve_all(srv->st, srv->key_secret) < 0)
		fprintf(stderr, "postern: cannot log the approvals of passes now: %s\n",
			srv->st->err);
	if (srv->st && svc_server_start(srv) == 0) {
		supervise_workers(o, pids, n);
		rc = 0;
	} else {
		g_stop = 1;
		supervise_workers(o, pids, n);
	}
out:
	svc_server_free(srv);
	return rc;
}
