/*
 * service.h - what the postern command (src/cli/cmd_serve.c, cmd_admin.c)
 * calls of the vetting service. Everything else under src/service/ is the
 * service's own: the store interface (store.h), the HTTP API (api.c,
 * http.c), the queue's workers (worker.c). See docs/service.md.
 */
#ifndef PST_SERVICE_H
#define PST_SERVICE_H

#include <stdint.h>
#include <stdio.h>

struct pst_serve_opts {
	const char *data_dir;	/* default ./postern-data (with db: local scratch only) */
	const char *db;		/* a postgresql:// URL, or NULL: SQLite in data_dir */
	const char *listen;	/* ADDR:PORT, default 127.0.0.1:8080 */
	unsigned workers;	/* local worker processes; 0: one per core */
	uint64_t max_upload;	/* bytes, default 4 GiB */
	unsigned rate;		/* requests per second per token (refill) */
	unsigned burst;		/* requests a token may make at once */
	double lease;		/* seconds a job is leased for between heartbeats */
	const char *tls_cert;	/* PEM files: HTTPS when both are set */
	const char *tls_key;
	const char *diff_old;	/* worker --diff-old/--diff-new (diff.c) */
	const char *diff_new;
	const char *peek;	/* worker --peek SHA:NAME --peek-path LOC --peek-offset N */
	const char *peek_path;
	uint64_t peek_offset;
	int public_gate;	/* the gate and the log answer without a token */
};

void pst_serve_opts_default(struct pst_serve_opts *o);
/* Runs the service until SIGINT/SIGTERM; returns a sysexits status. */
int pst_service_serve(const struct pst_serve_opts *o);

/* Administration over the store in data_dir (made when missing). Each
 * returns 0 or a sysexits status after saying why on stderr. */
/* person NULL: the token's name (four eyes compare persons). */
int pst_service_token_create(const char *data_dir, const char *role, const char *tenant,
			     const char *name, const char *person, FILE *out);
int pst_service_token_list(const char *data_dir, FILE *out);
int pst_service_token_revoke(const char *data_dir, const char *id, FILE *out);
int pst_service_audit_verify(const char *data_dir, FILE *out);
/* A worker on the store at db (a postgresql:// URL), or with db NULL on the
 * SQLite store of data_dir (with db, data_dir holds only its scratch files
 * and a copy of the service key): leases and runs jobs until SIGTERM. */
int pst_service_worker(const char *db, const char *data_dir, double lease);
/* postern worker --diff-old SHA:NAME --diff-new SHA:NAME, as serve runs it
 * for GET .../diff: the diff's JSON of two blobs on stdout (diff.c). */
int pst_service_diff(const char *data_dir, const char *old_spec, const char *new_spec);
/* postern worker --peek SHA:NAME --peek-path LOCATION --peek-offset N, as
 * serve runs it for a submission's hex view (peek.c): up to 512 bytes of
 * the file at LOCATION inside the blob from offset N, as JSON on stdout;
 * exit 0, or EX_NOINPUT (66) when no file has that location. */
int pst_service_peek(const char *data_dir, const char *spec, const char *location,
		     uint64_t offset);

#endif
