/*
 * cmd_service.c - postern serve, postern worker and postern admin: parse
 * their options (cmdtable.c) and hand over to the vetting service
 * (src/service/service.h).
 */
#include <getopt.h>
#include <string.h>
#include <sysexits.h>
#include "cli.h"
#include "service.h"

/* --db URL: sqlite:DIR names a data directory (*db stays NULL);
 * postgresql://… is the PostgreSQL store, given to libpq as it is. */
static int db_url(const char *url, const char **db, const char **data_dir)
{
	if (strncmp(url, "sqlite:", 7) == 0 && url[7]) {
		*data_dir = url + 7;
		*db = NULL;
		return 0;
	}
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
		*db = url;
		return 0;
	}
	fprintf(stderr, "postern: --db takes sqlite:DIR or postgresql://…\n");
	return EX_USAGE;
}

static int parse_count(const char *arg, const char *name, uint64_t max, uint64_t *v)
{
	if (!pst_cli_parse_size(arg, v) || *v == 0 || *v > max) {
		fprintf(stderr, "postern: --%s takes 1 to %llu\n", name, (unsigned long long)max);
		return EX_USAGE;
	}
	return 0;
}

/* A byte offset, 0 allowed (the count parser of the other options). */
static int parse_offset(const char *arg, const char *name, uint64_t *v)
{
	if (!pst_cli_parse_size(arg, v)) {
		fprintf(stderr, "postern: --%s takes a byte offset\n", name);
		return EX_USAGE;
	}
	return 0;
}

/* The options serve and worker share; 1 not one of them. */
static int service_opt(int c, const char *name, struct pst_serve_opts *o)
{
	uint64_t v = 0;
	int rc = 0;

	switch (c) {
	case PST_OPT_DATA: o->data_dir = optarg; return 0;
	case PST_OPT_DB: return db_url(optarg, &o->db, &o->data_dir);
	case PST_OPT_LISTEN: o->listen = optarg; return 0;
	case PST_OPT_WORKERS:
		rc = parse_count(optarg, name, 256, &v);
		o->workers = (unsigned)v;
		return rc;
	case PST_OPT_MAX_UPLOAD: return parse_count(optarg, name, 1ull << 50, &o->max_upload);
	case PST_OPT_RATE:
		rc = parse_count(optarg, name, 100000, &v);
		o->rate = (unsigned)v;
		return rc;
	case PST_OPT_BURST:
		rc = parse_count(optarg, name, 100000, &v);
		o->burst = (unsigned)v;
		return rc;
	case PST_OPT_LEASE:
		rc = parse_count(optarg, name, 86400, &v);
		o->lease = (double)v;
		return rc;
	case PST_OPT_TLS_CERT: o->tls_cert = optarg; return 0;
	case PST_OPT_TLS_KEY: o->tls_key = optarg; return 0;
	case PST_OPT_PUBLIC_GATE: o->public_gate = 1; return 0;
	case PST_OPT_DIFF_OLD: o->diff_old = optarg; return 0;
	case PST_OPT_DIFF_NEW: o->diff_new = optarg; return 0;
	case PST_OPT_PEEK: o->peek = optarg; return 0;
	case PST_OPT_PEEK_PATH: o->peek_path = optarg; return 0;
	case PST_OPT_PEEK_OFFSET: return parse_offset(optarg, name, &o->peek_offset);
	default: return 1;
	}
}

static int serve_or_worker(int argc, char **argv, const char *cmd)
{
	struct pst_cli_parser p;
	struct pst_serve_opts o;
	const char *name;
	int c, r;

	pst_serve_opts_default(&o);
	pst_cli_parser_init(&p, pst_cli_cmd_find(cmd));
	while ((c = pst_cli_parser_next(&p, argc, argv, &name)) != -1) {
		if (c == 'h') {
			pst_cli_help(stdout, p.cmd);
			return 0;
		}
		r = service_opt(c, name, &o);
		if (r != 0)
			return r == 1 ? EX_USAGE : r;
	}
	if (optind != argc) {
		fprintf(stderr, "postern: %s takes options only (try 'postern %s --help')\n", cmd,
			cmd);
		return EX_USAGE;
	}
	if (!o.diff_old != !o.diff_new || !o.tls_cert != !o.tls_key) {
		fprintf(stderr, "postern: %s go together\n", o.diff_old || o.diff_new ?
			"--diff-old and --diff-new" : "--tls-cert and --tls-key");
		return EX_USAGE;
	}
	if (!o.peek != !o.peek_path) {
		fprintf(stderr, "postern: --peek and --peek-path go together\n");
		return EX_USAGE;
	}
	if (o.diff_old)
		return pst_service_diff(o.data_dir, o.diff_old, o.diff_new);
	if (o.peek)
		return pst_service_peek(o.data_dir, o.peek, o.peek_path, o.peek_offset);
	return strcmp(cmd, "serve") == 0 ? pst_service_serve(&o) :
	       pst_service_worker(o.db, o.data_dir, o.lease);
}

int pst_cmd_serve(int argc, char **argv) { return serve_or_worker(argc, argv, "serve"); }
int pst_cmd_worker(int argc, char **argv) { return serve_or_worker(argc, argv, "worker"); }

static int is(int argc, char **argv, int i, const char *a, const char *b)
{
	return argc - i == (b ? 2 : 1) && strcmp(argv[i], a) == 0 &&
	       (!b || strcmp(argv[i + 1], b) == 0);
}

int pst_cmd_admin(int argc, char **argv)
{
	struct pst_cli_parser p;
	const char *name, *data = "postern-data", *db = NULL, *role = NULL, *tenant = "default";
	const char *label = NULL, *person = NULL;
	int c, r;

	pst_cli_parser_init(&p, pst_cli_cmd_find("admin"));
	while ((c = pst_cli_parser_next(&p, argc, argv, &name)) != -1) {
		switch (c) {
		case 'h': pst_cli_help(stdout, p.cmd); return 0;
		case PST_OPT_DATA: data = optarg; break;
		case PST_OPT_DB:
			if ((r = db_url(optarg, &db, &data)) != 0)
				return r;
			break;
		case PST_OPT_ROLE: role = optarg; break;
		case PST_OPT_TENANT: tenant = optarg; break;
		case PST_OPT_NAME: label = optarg; break;
		case PST_OPT_PERSON: person = optarg; break;
		default: return EX_USAGE;
		}
	}
	if (db)
		data = db; /* admin needs the store only: the URL stands for it */
	if (is(argc, argv, optind, "token", "create")) {
		if (!role) {
			fprintf(stderr, "postern: token create needs --role ROLE\n");
			return EX_USAGE;
		}
		return pst_service_token_create(data, role, tenant, label ? label : role, person,
						stdout);
	}
	if (is(argc, argv, optind, "token", "list"))
		return pst_service_token_list(data, stdout);
	if (argc - optind == 3 && strcmp(argv[optind], "token") == 0 &&
	    strcmp(argv[optind + 1], "revoke") == 0)
		return pst_service_token_revoke(data, argv[optind + 2], stdout);
	if (is(argc, argv, optind, "audit", "verify"))
		return pst_service_audit_verify(data, stdout);
	fprintf(stderr, "postern: admin takes token create|list|revoke ID or audit verify "
		"(try 'postern admin --help')\n");
	return EX_USAGE;
}
