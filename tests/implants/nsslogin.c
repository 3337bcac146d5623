/* Clean counterpart (never executed): a login daemon linked statically
 * against glibc's name-service switch. It accepts a connection and starts
 * a shell on it, but only after getspnam() and crypt() verify the
 * password. Static, its only sign of getspnam is NSS's table (which
 * names /etc/shadow in every static NSS program); crypt() shows by
 * libxcrypt's hash prefixes. */
#include <crypt.h>
#include <netinet/in.h>
#include <shadow.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int verify(const char *user, const char *pass)
{
	struct spwd *sp = getspnam(user);
	const char *h;
	if (!sp || !sp->sp_pwdp)
		return 0;
	h = crypt(pass, sp->sp_pwdp);
	return h && strcmp(h, sp->sp_pwdp) == 0;
}

int main(void)
{
	struct sockaddr_in a;
	int s = socket(AF_INET, SOCK_STREAM, 0), c;
	char user[64], pass[128];
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(2323);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(s, 1) != 0)
		return 1;
	while ((c = accept(s, NULL, NULL)) >= 0) {
		ssize_t u = read(c, user, sizeof(user) - 1), p = read(c, pass, sizeof(pass) - 1);
		if (u > 0 && p > 0) {
			user[u] = 0;
			pass[p] = 0;
			user[strcspn(user, "\r\n")] = 0;
			pass[strcspn(pass, "\r\n")] = 0;
			if (verify(user, pass) && fork() == 0) {
				dup2(c, 0);
				dup2(c, 1);
				dup2(c, 2);
				execl("/bin/sh", "sh", (char *)0);
				_exit(1);
			}
		}
		close(c);
	}
	return 0;
}
