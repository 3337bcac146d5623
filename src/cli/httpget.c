/*
 * httpget.c - the one HTTP request the client commands make (postern gate,
 * postern log check --server): GET over HTTP/1.1, or HTTPS through OpenSSL
 * (TLS 1.2 or later, the server's certificate checked against --cacert or
 * the system's trust store and against the URL's host name or address),
 * with an optional bearer token, Connection: close, a bounded answer.
 * Everything the server sends is bounded before it is read.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "cli.h"

#define HTTP_ANSWER_MAX (4u << 20)
#define HTTP_TIMEOUT_MS 15000

/* http[s]://HOST[:PORT][/PREFIX] into its parts (*tls for https); -1 when
 * not such a URL. */
static int split_url(const char *url, char *host, size_t hlen, char *port, size_t plen,
		     const char **prefix, bool *tls)
{
	const char *h, *end, *colon, *def;
	size_t n;

	*tls = strncmp(url, "https://", 8) == 0;
	if (!*tls && strncmp(url, "http://", 7) != 0)
		return -1;
	h = url + (*tls ? 8 : 7);
	end = h + strcspn(h, "/");
	colon = memchr(h, ':', (size_t)(end - h));
	n = (size_t)((colon ? colon : end) - h);
	if (n == 0 || n >= hlen)
		return -1;
	memcpy(host, h, n);
	host[n] = 0;
	def = *tls ? "443" : "80";
	n = colon ? (size_t)(end - colon - 1) : strlen(def);
	if (n == 0 || n >= plen)
		return -1;
	memcpy(port, colon ? colon + 1 : def, n);
	port[n] = 0;
	*prefix = end;
	return 0;
}

static int connect_to(const char *host, const char *port)
{
	struct addrinfo hints = { 0 }, *res = NULL, *a;
	int fd = -1;

	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return -1;
	for (a = res; a && fd < 0; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
		if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	return fd;
}

/* A connection: the socket, and its TLS session when https. */
struct conn {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
};

/* TLS on c->fd, the peer's certificate checked (cacert, or the system's
 * store) and matched to host (a name, or an address literal). */
static int tls_start(struct conn *c, const char *host, const char *cacert)
{
	struct in6_addr a6;
	int ok;

	c->ctx = SSL_CTX_new(TLS_client_method());
	if (!c->ctx || SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION) != 1)
		return -1;
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	ok = cacert ? SSL_CTX_load_verify_locations(c->ctx, cacert, NULL)
		    : SSL_CTX_set_default_verify_paths(c->ctx);
	if (ok != 1 || !(c->ssl = SSL_new(c->ctx)) || SSL_set_fd(c->ssl, c->fd) != 1)
		return -1;
	if (inet_pton(AF_INET, host, &a6) == 1 || inet_pton(AF_INET6, host, &a6) == 1)
		ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), host);
	else
		ok = SSL_set_tlsext_host_name(c->ssl, host) == 1 && SSL_set1_host(c->ssl, host);
	return ok == 1 && SSL_connect(c->ssl) == 1 ? 0 : -1;
}

static void conn_close(struct conn *c)
{
	if (c->ssl)
		SSL_free(c->ssl);
	if (c->ctx)
		SSL_CTX_free(c->ctx);
	if (c->fd >= 0)
		close(c->fd);
}

static int send_all(struct conn *c, const char *p, size_t n)
{
	while (n) {
		ssize_t w = c->ssl ? SSL_write(c->ssl, p, n > INT32_MAX ? INT32_MAX : (int)n)
				   : send(c->fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads until the server closes (bounded in size; in time by the socket's
 * timeouts, set in pst_http_get). */
static char *recv_all(struct conn *c, size_t *len)
{
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap + 1), *b;
	ssize_t r;

	while (buf) {
		if (n == cap) {
			if (cap >= HTTP_ANSWER_MAX || !(b = realloc(buf, 2 * cap + 1)))
				break;
			buf = b;
			cap *= 2;
		}
		r = c->ssl ? SSL_read(c->ssl, buf + n, (int)(cap - n))
			   : recv(c->fd, buf + n, cap - n, 0);
		/* the end: the peer closed (TLS: with or without close_notify) */
		if (r == 0 ||
		    (r < 0 && c->ssl && SSL_get_error(c->ssl, (int)r) == SSL_ERROR_ZERO_RETURN)) {
			buf[n] = 0;
			*len = n;
			return buf;
		}
		if (r < 0 && (c->ssl || errno != EINTR))
			break;
		if (r > 0)
			n += (size_t)r;
	}
	free(buf);
	return NULL;
}

/* The answer's status and body (after the blank line; Content-Length when
 * given); -1 when it is not an HTTP/1.x answer we read. */
static int parse_answer(char *raw, size_t n, struct pst_http_answer *out)
{
	char *sep = strstr(raw, "\r\n\r\n"), *cl;
	size_t body;

	if (strncmp(raw, "HTTP/1.", 7) != 0 || n < 12 || !sep)
		return -1;
	out->status = atoi(raw + 9);
	*sep = 0;
	body = (size_t)(sep + 4 - raw);
	if (strcasestr(raw, "\r\nTransfer-Encoding: chunked"))
		return -1;
	out->len = n - body;
	cl = strcasestr(raw, "\r\nContent-Length:");
	if (cl && strtoull(cl + 17, NULL, 10) < out->len)
		out->len = (size_t)strtoull(cl + 17, NULL, 10);
	out->body = malloc(out->len + 1);
	if (!out->body)
		return -1;
	memcpy(out->body, raw + body, out->len);
	out->body[out->len] = 0;
	return 0;
}

int pst_http_say(const struct pst_http_peer *peer, int rc)
{
	if (rc == PST_HTTP_URL) {
		fprintf(stderr, "postern: --server takes http[s]://HOST[:PORT][/PREFIX]\n");
		return EX_USAGE;
	}
	if (rc == PST_HTTP_TLS) {
		fprintf(stderr, "postern: %s: no trusted TLS connection (the certificate is not "
				"signed by %s, or not for that host)\n", peer->server,
			peer->cacert ? peer->cacert : "the system's trust store (--cacert FILE)");
		return EX_UNAVAILABLE;
	}
	if (rc == PST_HTTP_UNREACHABLE) {
		fprintf(stderr, "postern: %s cannot be reached\n", peer->server);
		return EX_UNAVAILABLE;
	}
	fprintf(stderr, "postern: %s: not an HTTP answer postern reads\n", peer->server);
	return EX_PROTOCOL;
}

int pst_http_get(const struct pst_http_peer *peer, const char *path, struct pst_http_answer *out)
{
	const char *server = peer->server, *token = peer->token;
	char host[256], port[8], *req = NULL, *raw = NULL;
	const char *prefix;
	size_t n = 0, plen;
	struct conn c = { -1, NULL, NULL };
	struct timeval tv = { HTTP_TIMEOUT_MS / 1000, 0 };
	bool tls;
	int rc = PST_HTTP_PROTOCOL;

	memset(out, 0, sizeof(*out));
	if (split_url(server, host, sizeof(host), port, sizeof(port), &prefix, &tls) != 0)
		return PST_HTTP_URL;
	plen = strcspn(prefix, "?#");
	while (plen && prefix[plen - 1] == '/')
		plen--; /* http://host/base/ and /api/... make one slash */
	c.fd = connect_to(host, port);
	if (c.fd < 0)
		return PST_HTTP_UNREACHABLE;
	setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (tls && tls_start(&c, host, peer->cacert) != 0) {
		conn_close(&c);
		return PST_HTTP_TLS;
	}
	if (asprintf(&req, "GET %.*s%s HTTP/1.1\r\nHost: %s:%s\r\nAccept: application/json\r\n"
		     "%s%s%sConnection: close\r\n\r\n", (int)plen, prefix,
		     path, host, port, token ? "Authorization: Bearer " : "", token ? token : "",
		     token ? "\r\n" : "") < 0)
		req = NULL;
	if (req && send_all(&c, req, strlen(req)) == 0 && (raw = recv_all(&c, &n)) &&
	    parse_answer(raw, n, out) == 0)
		rc = 0;
	else if (req && !raw)
		rc = PST_HTTP_UNREACHABLE;
	conn_close(&c);
	free(req);
	free(raw);
	return rc;
}
