/* Clean counterpart (never executed): a ping. A raw ICMP socket, echo
 * requests out, replies in; it runs no program. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned char pkt[64], buf[1500];
	struct sockaddr_in a;
	int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), i;
	if (s < 0 || argc < 2)
		return 1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	if (inet_pton(AF_INET, argv[1], &a.sin_addr) != 1)
		return 1;
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 8;
	for (i = 0; i < 3; i++) {
		pkt[7] = (unsigned char)i;
		sendto(s, pkt, sizeof(pkt), 0, (struct sockaddr *)&a, sizeof(a));
		if (recvfrom(s, buf, sizeof(buf), 0, NULL, NULL) > 0)
			printf("reply %d\n", i);
		sleep(1);
	}
	return 0;
}
