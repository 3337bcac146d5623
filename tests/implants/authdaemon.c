/* Clean counterpart (never executed): a login daemon. It accepts a
 * connection and starts a shell on it too, but only after checking the
 * password against /etc/shadow. */
#include <netinet/in.h>
#include <shadow.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int check(const char *user, const char *hash)
{
	FILE *f = fopen("/etc/shadow", "r");
	struct spwd *sp;
	int ok = 0;
	if (!f)
		return 0;
	while ((sp = fgetspent(f)) != NULL)
		if (strcmp(sp->sp_namp, user) == 0 && sp->sp_pwdp && strcmp(sp->sp_pwdp, hash) == 0)
			ok = 1;
	fclose(f);
	return ok;
}

int main(void)
{
	struct sockaddr_in a;
	int s = socket(AF_INET, SOCK_STREAM, 0), c;
	char user[64], pass[128];
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(2323);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(s, 5) != 0)
		return 1;
	for (;;) {
		ssize_t n;
		c = accept(s, NULL, NULL);
		if (c < 0 || fork() != 0) {
			close(c);
			continue;
		}
		write(c, "login: ", 7);
		n = read(c, user, sizeof(user) - 1);
		user[n > 0 ? n - 1 : 0] = 0;
		write(c, "Password: ", 10);
		n = read(c, pass, sizeof(pass) - 1);
		pass[n > 0 ? n - 1 : 0] = 0;
		if (!check(user, pass))
			_exit(1);
		dup2(c, 0);
		dup2(c, 1);
		dup2(c, 2);
		execl("/bin/sh", "-sh", (char *)0);
		_exit(1);
	}
}
