/*
 * http.c - the service's HTTP server over libmicrohttpd: request
 * lifecycle, authentication (Authorization: Bearer, looked up by the
 * token's SHA-256), a per-token rate limit (a token bucket), limits on
 * connections, header memory and time, and cleanup of an upload that did
 * not finish (its unnamed file vanishes with its descriptor).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include "http.h"

/* Header memory per connection: a request whose headers do not fit is
 * refused by libmicrohttpd (431) before any route sees it. */
#define SVC_HEADER_MEMORY (32u * 1024)
#define SVC_MAX_CONNECTIONS 128
#define SVC_CONNECTION_TIMEOUT 120 /* seconds a connection may stay idle */

enum MHD_Result svc_send(struct MHD_Connection *c, unsigned status, const char *type,
			 const char *body, size_t len)
{
	struct MHD_Response *res =
		svc_mhd.MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result r;
	if (!res)
		return MHD_NO;
	svc_mhd.MHD_add_response_header(res, "Content-Type", type);
	svc_mhd.MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	svc_mhd.MHD_add_response_header(res, "Cache-Control", "no-store");
	if (status == 429)
		svc_mhd.MHD_add_response_header(res, "Retry-After", "1");
	if (status == 401)
		svc_mhd.MHD_add_response_header(res, "WWW-Authenticate", "Bearer");
	r = svc_mhd.MHD_queue_response(c, status, res);
	svc_mhd.MHD_destroy_response(res);
	return r;
}

enum MHD_Result svc_send_json(struct MHD_Connection *c, unsigned status, json_t *v)
{
	char *s = v ? json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	enum MHD_Result r;
	json_decref(v);
	if (!s)
		return MHD_NO;
	r = svc_send(c, status, "application/json", s, strlen(s));
	free(s);
	return r;
}

enum MHD_Result svc_error(struct MHD_Connection *c, unsigned status, const char *error,
			  const char *detail)
{
	return svc_send_json(c, status, json_pack("{s:s, s:s}", "error", error, "detail", detail));
}

/* 0 the caller is a live token (in r->tok), else the status refused. */
static unsigned authenticate(struct svc_server *srv, struct MHD_Connection *c, struct svc_req *r)
{
	const char *h = svc_mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	char hash[65];

	if (!h || strncmp(h, "Bearer ", 7) != 0 || strlen(h + 7) != SVC_TOKEN_LEN)
		return 401;
	svc_sha256_hex(h + 7, SVC_TOKEN_LEN, hash);
	if (srv->st->ops->token_find(srv->st, hash, &r->tok) != 0 || r->tok.revoked)
		return 401;
	return 0;
}

/* A token bucket per token: burst requests at once, rate per second after. */
static int rate_ok(struct svc_server *srv, int64_t token)
{
	struct svc_bucket *b = &srv->rate[(uint64_t)token % SVC_RATE_SLOTS];
	double now = pst_service_clock();
	int ok;

	pthread_mutex_lock(&srv->rate_mu);
	if (b->token != token) {
		b->token = token;
		b->tokens = srv->o.burst;
		b->at = now;
	}
	b->tokens += (now - b->at) * srv->o.rate;
	if (b->tokens > srv->o.burst)
		b->tokens = srv->o.burst;
	b->at = now;
	ok = b->tokens >= 1;
	if (ok)
		b->tokens -= 1;
	pthread_mutex_unlock(&srv->rate_mu);
	return ok;
}

static enum MHD_Result first_call(struct svc_server *srv, struct MHD_Connection *c,
				  struct svc_req *r, const char *url, const char *method)
{
	unsigned st;
	int post = strcmp(method, "POST") == 0, get = strcmp(method, "GET") == 0;

	if (get && (strcmp(url, "/healthz") == 0))
		return svc_send(c, 200, "application/json", "{\"status\":\"ok\"}", 15);
	if (get && strcmp(url, "/api/v1/openapi.json") == 0)
		return svc_send(c, 200, "application/json", pst_service_openapi,
				strlen(pst_service_openapi));
	if (strncmp(url, "/api/", 5) != 0 && strcmp(url, "/metrics") != 0)
		return svc_web_first(srv, c, r, url, method);
	if (strncmp(url, "/api/v1/", 8) != 0 && strcmp(url, "/metrics") != 0)
		return svc_error(c, 404, "not found", "no such endpoint");
	if (!get && !post)
		return svc_error(c, 405, "method not allowed",
				 "GET, or POST to /api/v1/submissions");
	/* --public-gate: a firmware server or a network admission step asks
	 * without a token; the log is public to whoever may see the gate */
	if (get && srv->o.public_gate && strncmp(url, "/api/v1/gate/", 13) == 0)
		return svc_api_gate_get(srv, c, NULL, url);
	if (get && srv->o.public_gate && strncmp(url, "/api/v1/log/", 12) == 0)
		return svc_api_log(srv, c, url);
	st = authenticate(srv, c, r);
	if (st)
		return svc_error(c, st, "unauthorized",
				 "a valid token is needed: Authorization: Bearer TOKEN");
	if (!rate_ok(srv, r->tok.id))
		return svc_error(c, 429, "too many requests", "this token's rate limit is reached");
	if (post && strcmp(url, "/api/v1/submissions") == 0)
		return svc_api_submit_head(srv, c, r);
	if (post)
		return svc_api_review_head(srv, c, r, url);
	return svc_api_get(srv, c, r, url);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_len, void **ctx)
{
	struct svc_server *srv = cls;
	struct svc_req *r = *ctx;

	(void)version;
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		r->up.fd = -1;
		*ctx = r;
		return first_call(srv, c, r, url, method);
	}
	if (r->web) {
		if (*upload_len) {
			svc_web_body(srv, r, upload, *upload_len);
			*upload_len = 0;
			return MHD_YES;
		}
		return svc_web_end(srv, c, r);
	}
	if (r->review) {
		if (*upload_len) {
			svc_api_review_body(r, upload, *upload_len);
			*upload_len = 0;
			return MHD_YES;
		}
		r->review = 0;
		return svc_api_review_end(srv, c, r);
	}
	if (!r->upload) {
		/* a body nobody asked for (GET with a body): drop it */
		*upload_len = 0;
		return MHD_YES;
	}
	if (*upload_len) {
		svc_api_submit_body(srv, r, upload, *upload_len);
		*upload_len = 0;
		return MHD_YES;
	}
	r->upload = 0;
	return svc_api_submit_end(srv, c, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ctx,
			 enum MHD_RequestTerminationCode why)
{
	struct svc_req *r = *ctx;
	(void)cls;
	(void)c;
	(void)why;
	if (!r)
		return;
	svc_web_req_free(r);
	svc_upload_abort(&r->up); /* an unfinished upload's file had no name: it is gone */
	free(r->body);
	free(r);
	*ctx = NULL;
}

/* --listen: ADDR:PORT, ADDR an IPv4 address (empty: all of them) or an IPv6
 * address in brackets ("[::1]:8080", "[::]:8080"), as URLs write it: the
 * brackets keep the address's colons apart from the port's. */
static int parse_listen(const char *s, struct sockaddr_storage *ss)
{
	char host[64];
	const char *colon = strrchr(s, ':'), *h = s;
	size_t hl;
	char *end;
	long port;

	if (!colon)
		return -1;
	hl = (size_t)(colon - s);
	if (s[0] == '[') {
		if (hl < 2 || colon[-1] != ']')
			return -1;
		h = s + 1;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return -1;
	memcpy(host, h, hl);
	host[hl] = 0;
	port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 0 || port > 65535)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, host, &a6->sin6_addr) == 1 ? 0 : -1;
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		return inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &a4->sin_addr) == 1 ? 0 : -1;
	}
}

int svc_server_load_tls(struct svc_server *srv)
{
	size_t n;

	if (!srv->o.tls_cert)
		return 0;
	if (svc_mhd.MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		fprintf(stderr, "postern: --tls-cert: this libmicrohttpd was built without TLS "
			"(GnuTLS); use a reverse proxy (docs/service.md)\n");
		return -1;
	}
	srv->tls_cert = svc_slurp(srv->o.tls_cert, &n);
	srv->tls_key = svc_slurp(srv->o.tls_key, &n);
	if (!srv->tls_cert || !srv->tls_key) {
		fprintf(stderr, "postern: cannot read %s\n",
			srv->tls_cert ? srv->o.tls_key : srv->o.tls_cert);
		return -1;
	}
	return 1;
}

int svc_server_start(struct svc_server *srv)
{
	struct sockaddr_storage sa;
	const union MHD_DaemonInfo *info;
	int tls = srv->tls_cert != NULL;
	unsigned v6, flags;

	if (parse_listen(srv->o.listen, &sa) != 0) {
		fprintf(stderr, "postern: --listen takes IPV4:PORT or [IPV6]:PORT, not '%s'\n",
			srv->o.listen);
		return -1;
	}
	v6 = sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0;
	/* MHD_OPTION_HTTPS_MEM_* come last and only with TLS (libmicrohttpd
	 * refuses them on a plain daemon): without, MHD_OPTION_END stops there. */
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
		MHD_USE_ERROR_LOG | (tls ? MHD_USE_TLS : 0) | v6;
	srv->d = svc_mhd.MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SVC_HEADER_MEMORY,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)SVC_MAX_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SVC_CONNECTION_TIMEOUT,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, srv->tls_cert,
		MHD_OPTION_HTTPS_MEM_KEY, srv->tls_key, MHD_OPTION_END);
	if (!srv->d) {
		fprintf(stderr, "postern: cannot listen on %s\n", srv->o.listen);
		return -1;
	}
	info = svc_mhd.MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
	fprintf(stderr, "postern: serving on %s://%.*s:%u/ (data %s)\n", tls ? "https" : "http",
		(int)(strrchr(srv->o.listen, ':') - srv->o.listen), srv->o.listen,
		info ? (unsigned)info->port : 0u, srv->o.data_dir);
	return 0;
}
