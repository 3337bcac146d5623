/* test_binary_multicall.c - stock router programs judged by what they are
 * (rules/capabilities/00-base.yaml: capability.multicall and the applet
 * rules, capability.link-protocol-client; has:public-ip without public
 * resolvers). Programs of our own, compiled at test time for x86-64 and
 * mipsel (never executed):
 *   - a BusyBox-shaped multi-call binary (banner, applet table with ping,
 *     hush and wget; a raw ICMP socket read by ping, a shell exec, an NTP
 *     server address) gets no capability.raw-socket-trigger and a low
 *     capability.c2-endpoint; the same code without the applets that explain
 *     those calls, or without the multi-call banner, keeps both;
 *   - a PPPoE client (packet socket, runs /etc/ppp/ip-up) is no trigger; the
 *     same code without the protocol's strings is;
 *   - a dynamic-DNS client that knows the public resolver 1.1.1.1 gets no
 *     capability.c2-endpoint; with another public address beside it, it does. */
#include "helpers.h"

static const char *const ccs[] = { "gcc", "mipsel-linux-gnu-gcc" };
#define NCC (sizeof(ccs) / sizeof(ccs[0]))

/* One source, variants by -D: BANNER (the multi-call banner), APPLETS
 * (the applet table's names), PPP (the PPPoE program), IPS (address strings). */
static const char src[] =
	"#include <stdio.h>\n#include <string.h>\n#include <stdlib.h>\n#include <unistd.h>\n"
	"#include <sys/socket.h>\n#include <netinet/in.h>\n#include <arpa/inet.h>\n"
	"static const char *const names[] = { APPLETS };\n"
	"static const char *const ips[] = { IPS };\n"
	"#ifdef BANNER\nstatic const char banner[] = \"BusyBox v1.01 (2009.06.25) multi-call binary\";\n#endif\n"
	"static int rawrecv(void) { char b[256];\n"
	"#ifdef PPP\n  int s = socket(AF_PACKET, SOCK_RAW, htons(0x8863));\n"
	"#else\n  int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);\n#endif\n"
	"  return (int)recvfrom(s, b, sizeof b, 0, 0, 0); }\n"
	"static int client(const char *ip) { struct sockaddr_in a; int s = socket(AF_INET, SOCK_STREAM, 0);\n"
	"  memset(&a, 0, sizeof a); a.sin_family = AF_INET; a.sin_port = htons(123);\n"
	"  inet_pton(AF_INET, ip, &a.sin_addr); return connect(s, (struct sockaddr *)&a, sizeof a); }\n"
	"int main(int argc, char **argv) { const char *n = strrchr(argv[0], '/'); size_t i;\n"
	"  n = n ? n + 1 : argv[0];\n"
	"#ifdef BANNER\n  if (argc < 1) puts(banner);\n#endif\n"
	"  for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) if (!strcmp(n, names[i])) puts(names[i]);\n"
	"  if (rawrecv() > 0 && argc > 2) execl(\"/bin/sh\", \"sh\", \"-c\", argv[1], (char *)0);\n"
	"  return client(ips[argc % (int)(sizeof(ips) / sizeof(ips[0]))]) + system(argv[0]); }\n";

#define NTP "'\"129.6.15.28\"'"
#define STOCK_APPLETS "'\"[[\",\"arping\",\"hush\",\"ping\",\"traceroute\",\"wget\",\"xargs\"'"

static const struct {
	const char *name, *defs;
} progs[] = {
	{ "bb-stock", "-DBANNER -DAPPLETS=" STOCK_APPLETS " -DIPS=" NTP },
	/* multi-call banner, but no applet that needs a raw socket or runs programs */
	{ "bb-bare", "-DBANNER -DAPPLETS='\"true\",\"false\",\"echo\"' -DIPS=" NTP },
	/* the applet names without the banner: not a multi-call binary */
	{ "nobanner", "-DAPPLETS=" STOCK_APPLETS " -DIPS=" NTP },
	{ "pppoe", "-DPPP -DAPPLETS='\"PPPoE\",\"PADI\",\"/etc/ppp/ip-up\"' -DIPS='\"10.0.0.1\"'" },
	{ "pppoe-nostr", "-DPPP -DAPPLETS='\"/etc/ppp/ip-up\"' -DIPS='\"10.0.0.1\"'" },
	{ "ddns", "-DAPPLETS='\"/nic/update\"' -DIPS='\"1.1.1.1\",\"1.0.0.1\"'" },
	{ "ddns-other", "-DAPPLETS='\"/nic/update\"' -DIPS='\"1.1.1.1\",\"45.9.148.3\"'" },
};
#define NPROGS (sizeof(progs) / sizeof(progs[0]))

static const struct pst_finding *at(const struct pst_scan *s, const char *rule, const char *name,
				    size_t c)
{
	char where[64];
	snprintf(where, sizeof(where), "/%s-%zu", name, c);
	return th_finding(s, rule, where);
}

static void test_stock_programs(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	size_t c, i;
	FILE *f;
	(void)state;
	snprintf(path, sizeof(path), "%s/p.c", d);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(src, f);
	fclose(f);
	for (c = 0; c < NCC; c++)
		for (i = 0; i < NPROGS; i++)
			th_sh("cd %s && %s -O2 -w -s %s -o %s-%zu p.c", d, ccs[c], progs[i].defs,
			      progs[i].name, c);
	th_sh("rm -f %s/p.c", d);
	s = th_scan(d, 2);
	for (c = 0; c < NCC; c++) {
		const struct pst_finding *g;
		/* stock multi-call: judged by its applets */
		assert_null(at(s, "capability.raw-socket-trigger", "bb-stock", c));
		g = at(s, "capability.c2-endpoint", "bb-stock", c);
		assert_non_null(g);
		assert_int_equal(g->severity, PST_SEV_LOW);
		/* the same calls unexplained: still found */
		assert_non_null(at(s, "capability.raw-socket-trigger", "bb-bare", c));
		assert_non_null(at(s, "capability.raw-socket-trigger", "nobanner", c));
		g = at(s, "capability.c2-endpoint", "bb-bare", c);
		assert_non_null(g);
		assert_int_equal(g->severity, PST_SEV_MEDIUM);
		/* PPPoE discovery and its hook script */
		assert_null(at(s, "capability.raw-socket-trigger", "pppoe", c));
		assert_non_null(at(s, "capability.raw-socket-trigger", "pppoe-nostr", c));
		/* public resolvers are nobody's command server */
		assert_null(at(s, "capability.c2-endpoint", "ddns", c));
		assert_non_null(at(s, "capability.c2-endpoint", "ddns-other", c));
	}
	pst_scan_free(s);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stock_programs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
