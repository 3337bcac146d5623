/*
 * httpget.c - the one HTTP request the client commands make (postern gate,
 * postern log check --server): GET over plain HTTP/1.1 with an optional
 * bearer token, Connection: close, a bounded answer. No TLS: a service
 * behind HTTPS is asked through a local proxy or with curl (docs/service.md).
 * Everything the server sends is bounded before it is read.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "cli.h"

#define HTTP_ANSWER_MAX (4u << 20)
#define HTTP_TIMEOUT_MS 15000

/* http://HOST[:PORT][/PREFIX] into its parts; -1 when not such a URL. */
static int split_url(const char *url, char *host, size_t hlen, char *port, size_t plen,
		     const char **prefix)
{
	const char *h, *end, *colon;
	size_t n;

	if (strncmp(url, "http://", 7) != 0)
		return -1;
	h = url + 7;
	end = h + strcspn(h, "/");
	colon = memchr(h, ':', (size_t)(end - h));
	n = (size_t)((colon ? colon : end) - h);
	if (n == 0 || n >= hlen)
		return -1;
	memcpy(host, h, n);
	host[n] = 0;
	n = colon ? (size_t)(end - colon - 1) : 2;
	if (n == 0 || n >= plen)
		return -1;
	memcpy(port, colon ? colon + 1 : "80", n);
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

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads until the server closes (bounded in size and time). */
static char *recv_all(int fd, size_t *len)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap + 1), *b;
	ssize_t r;

	while (buf && poll(&pfd, 1, HTTP_TIMEOUT_MS) == 1) {
		if (n == cap) {
			if (cap >= HTTP_ANSWER_MAX || !(b = realloc(buf, 2 * cap + 1)))
				break;
			buf = b;
			cap *= 2;
		}
		r = recv(fd, buf + n, cap - n, 0);
		if (r == 0) {
			buf[n] = 0;
			*len = n;
			return buf;
		}
		if (r < 0 && errno != EINTR)
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

int pst_http_get(const char *server, const char *path, const char *token,
		 struct pst_http_answer *out)
{
	char host[256], port[8], *req = NULL, *raw = NULL;
	const char *prefix;
	size_t n = 0, plen;
	int fd, rc = PST_HTTP_PROTOCOL;

	memset(out, 0, sizeof(*out));
	if (split_url(server, host, sizeof(host), port, sizeof(port), &prefix) != 0)
		return PST_HTTP_URL;
	plen = strcspn(prefix, "?#");
	while (plen && prefix[plen - 1] == '/')
		plen--; /* http://host/base/ and /api/... make one slash */
	fd = connect_to(host, port);
	if (fd < 0)
		return PST_HTTP_UNREACHABLE;
	if (asprintf(&req, "GET %.*s%s HTTP/1.1\r\nHost: %s:%s\r\nAccept: application/json\r\n"
		     "%s%s%sConnection: close\r\n\r\n", (int)plen, prefix,
		     path, host, port, token ? "Authorization: Bearer " : "", token ? token : "",
		     token ? "\r\n" : "") < 0)
		req = NULL;
	if (req && send_all(fd, req, strlen(req)) == 0 && (raw = recv_all(fd, &n)) &&
	    parse_answer(raw, n, out) == 0)
		rc = 0;
	else if (req && !raw)
		rc = PST_HTTP_UNREACHABLE;
	close(fd);
	free(req);
	free(raw);
	return rc;
}
