/*
 * srv.h - the plumbing the hidden-command test servers share (a listening
 * TCP socket, one line read from a client, NVRAM's interface). These
 * programs are compiled by build.sh and scanned, never run.
 */
#ifndef SRV_H
#define SRV_H
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* libnvram's interface (nvram_stub.c stands in for it) */
char *nvram_get(const char *name);
int nvram_set(const char *name, const char *value);
int nvram_commit(void);
int nvram_getall(char *buf, int len);

static int srv_listen(int port, int type)
{
	struct sockaddr_in a;
	int s = socket(AF_INET, type, 0), one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		exit(1);
	if (type == SOCK_STREAM)
		listen(s, 8);
	return s;
}

static void srv_say(int fd, const char *s)
{
	send(fd, s, strlen(s), 0);
}

/* Accepts clients on a TCP port forever, one at a time (forked: each in a
 * child of its own). */
static void srv_serve(int port, void (*handle)(int fd), int forked)
{
	int s = srv_listen(port, SOCK_STREAM);
	for (;;) {
		int c = accept(s, NULL, NULL);
		if (c < 0)
			continue;
		if (!forked) {
			handle(c);
		} else if (fork() == 0) {
			handle(c);
			_exit(0);
		}
		close(c);
	}
}
#endif
