/* Clean counterpart (never executed): a stock-style network daemon that
 * still offers export-grade ciphers, as old dropbear and openvpn builds do.
 * Its findings are crypto hygiene (crypto.weak-cipher-network, medium): a
 * boot file that starts it must not be called suspicious for it. */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const ciphers[] = { "AES256-SHA", "DES-CBC3-SHA", "EXP-RC4-MD5",
				       "EXP-DES-CBC-SHA", NULL };

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	int s = socket(AF_INET, SOCK_STREAM, 0), c, i;
	FILE *pid;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(argc > 1 ? 8443 : 443);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(s, 5) != 0)
		return 1;
	if (daemon(0, 0) != 0)
		return 1;
	pid = fopen("/var/run/weakcipherd.pid", "w");
	if (pid) {
		fprintf(pid, "%d\n", (int)getpid());
		fclose(pid);
	}
	for (;;) {
		c = accept(s, NULL, NULL);
		if (c < 0)
			continue;
		for (i = 0; ciphers[i]; i++)
			if (argv[0] && strcmp(argv[0], ciphers[i]) == 0)
				write(c, ciphers[i], strlen(ciphers[i]));
		close(c);
	}
}
