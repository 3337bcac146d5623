/*
 * test_roles.c - role profiles (rules/roles/) and the historical back doors
 * of real servers, on programs of our own built at test time for x86-64,
 * armel and mipsel (-O2, dynamic, stripped; never executed):
 *   tests/implants/ftpd.c        an FTP server; -DSMILEY vsftpd 2.3.4's ":)"
 *                                shell on TCP 6200, -DACID ProFTPD 1.3.3c's
 *                                "HELP ACIDBITCHEZ", -DHTTPMODE vsftpd's
 *                                http_enable (a second role: web server),
 *                                -DSMILEYHTTP both
 *   tests/implants/routerhttpd.c a router web interface with a clear-log and
 *                                a firewall page; -DMFG Tenda's UDP 7329
 *                                "w302r_mfg" channel, -DXMLSET D-Link's
 *                                User-Agent
 *   tests/implants/dhcpc.c       a DHCP client; -DLISTEN a TCP listener with
 *                                a shell
 * Each back-doored build gets its out-of-role finding (with the port in the
 * evidence where there is one) and the signature that names it; each clean
 * counterpart gets nothing above low, and the router web server's log and
 * firewall pages are low (capability.log-clearing, not log-wiping). A
 * user's role profile from --rules DIR/roles/ is loaded and applied, and
 * only a program's primary role (the first profile in load order it has)
 * explains its behaviours to the out-of-role rules: a secondary role
 * licenses nothing (vsftpd's HTTP mode does not make its shell CGI).
 */
#include "helpers.h"

static char *dir;

static const struct {
	const char *name, *cc;
} arches[] = {
	{ "x86_64", "gcc" },
	{ "armel", "arm-linux-gnueabi-gcc" },
	{ "mipsel", "mipsel-linux-gnu-gcc" },
};
#define NARCH (sizeof(arches) / sizeof(arches[0]))

static int build(void **state)
{
	const char *src = getenv("SRC");
	size_t i;
	(void)state;
	dir = th_tmpdir();
	for (i = 0; i < NARCH; i++) {
		const char *a = arches[i].name, *cc = arches[i].cc;
		th_sh("cd %s && mkdir -p lib-%s %s && "
		      "%s -O2 -s -shared -fPIC -o lib-%s/libcrypt.so %s/tests/implants/crypt.c && "
		      "%s -O2 -s -shared -fPIC -o lib-%s/libnvram.so %s/tests/implants/nvram.c && "
		      "for v in clean SMILEY ACID SMILEYHTTP HTTPMODE; do "
		      "d=-D$v; [ $v = clean ] && d=; "
		      "%s -O2 -s -w $d -o %s/ftpd-$v %s/tests/implants/ftpd.c -Llib-%s -lcrypt & done; "
		      "for v in clean MFG XMLSET; do d=-D$v; [ $v = clean ] && d=; "
		      "%s -O2 -s -w $d -o %s/httpd-$v %s/tests/implants/routerhttpd.c -Llib-%s -lnvram & done; "
		      "for v in clean LISTEN; do d=-D$v; [ $v = clean ] && d=; "
		      "%s -O2 -s -w $d -o %s/dhcpc-$v %s/tests/implants/dhcpc.c & done; wait; "
		      "test $(ls %s | wc -l) = 10",
		      dir, a, a, cc, a, src, cc, a, src, cc, a, src, a, cc, a, src, a, cc, a, src, a);
	}
	return 0;
}

static int cleanup(void **state)
{
	(void)state;
	th_rmtree(dir);
	return 0;
}

/* rule fires on the file at suffix with this severity, and its evidence
 * contains ev (NULL: anything). */
static void expect(const struct pst_scan *s, const char *arch, const char *suffix,
		   const char *rule, enum pst_severity sev, const char *ev)
{
	const struct pst_finding *f = th_finding(s, rule, suffix);
	if (!f)
		fail_msg("%s%s: %s did not fire", arch, suffix, rule);
	if (f->severity != sev)
		fail_msg("%s%s: %s severity %d, want %d", arch, suffix, rule, f->severity, sev);
	if (ev && !strstr(f->evidence, ev))
		fail_msg("%s%s: %s evidence lacks %s: %s", arch, suffix, rule, ev, f->evidence);
}

/* Nothing above low from the capability rules or the signatures. */
static void expect_quiet(const struct pst_scan *s, const char *arch, const char *suffix)
{
	size_t n, i;
	const struct pst_finding *f = pst_scan_findings(s, &n);
	for (i = 0; i < n; i++) {
		if (!f[i].node || !th_ends_with(f[i].node->location, suffix))
			continue;
		if ((strncmp(f[i].rule, "capability.", 11) == 0 ||
		     strncmp(f[i].rule, "signature.", 10) == 0) && f[i].severity > PST_SEV_LOW)
			fail_msg("%s%s: %s (%d) on a clean build", arch, suffix, f[i].rule,
				 f[i].severity);
	}
}

static struct pst_scan *scan_arch(size_t i)
{
	char p[4200];
	snprintf(p, sizeof(p), "%s/%s", dir, arches[i].name);
	return th_scan(p, 2);
}

static void test_ftp_servers(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < NARCH; i++) {
		struct pst_scan *s = scan_arch(i);
		const char *a = arches[i].name;
		expect(s, a, "/ftpd-SMILEY", "capability.out-of-role-shell", PST_SEV_CRITICAL, "6200");
		expect(s, a, "/ftpd-SMILEY", "capability.out-of-role-listener", PST_SEV_CRITICAL,
		       "unusual port 6200");
		expect(s, a, "/ftpd-SMILEY", "signature.postern.vsftpd_234_smiley_backdoor",
		       PST_SEV_CRITICAL, NULL);
		expect(s, a, "/ftpd-ACID", "capability.out-of-role-exec", PST_SEV_CRITICAL, NULL);
		expect(s, a, "/ftpd-ACID", "signature.postern.proftpd_acidbitchez_backdoor",
		       PST_SEV_CRITICAL, "ACIDBITCHEZ");
		/* the shell on a socket is the one finding, not also an exec */
		assert_null(th_finding(s, "capability.out-of-role-exec", "/ftpd-SMILEY"));
		/* it authenticates: the plain bind-shell rule excuses it, which is
		 * why the role has to speak */
		assert_null(th_finding(s, "capability.bind-shell", "/ftpd-SMILEY"));
		expect_quiet(s, a, "/ftpd-clean");
		assert_true(th_fact_has(s, "/ftpd-clean", "bin.capabilities[]",
					"capability.role.ftp-server"));
		/* vsftpd's http_enable: also a web server, whose CGI would
		 * explain a shell - but FTP is its primary role */
		assert_true(th_fact_has(s, "/ftpd-SMILEYHTTP", "bin.capabilities[]",
					"capability.role.web-server"));
		expect(s, a, "/ftpd-SMILEYHTTP", "capability.out-of-role-shell", PST_SEV_CRITICAL,
		       "6200");
		assert_true(th_fact_has(s, "/ftpd-HTTPMODE", "bin.capabilities[]",
					"capability.role.web-server"));
		assert_true(th_fact_has(s, "/ftpd-HTTPMODE", "bin.capabilities[]",
					"capability.role.ftp-server"));
		expect_quiet(s, a, "/ftpd-HTTPMODE");
		pst_scan_free(s);
	}
}

static void test_router_web_servers(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < NARCH; i++) {
		struct pst_scan *s = scan_arch(i);
		const char *a = arches[i].name;
		expect(s, a, "/httpd-MFG", "capability.out-of-role-command-channel", PST_SEV_HIGH,
		       "7329");
		expect(s, a, "/httpd-MFG", "signature.postern.tenda_w302r_mfg_backdoor",
		       PST_SEV_CRITICAL, NULL);
		expect(s, a, "/httpd-XMLSET", "signature.postern.dlink_xmlset_useragent_backdoor",
		       PST_SEV_CRITICAL, NULL);
		/* its clear-log and firewall pages are its job */
		expect(s, a, "/httpd-clean", "capability.log-clearing", PST_SEV_LOW, "clearing its log");
		expect(s, a, "/httpd-clean", "capability.firewall-tampering", PST_SEV_LOW, NULL);
		assert_null(th_finding(s, "capability.log-wiping", "/httpd-clean"));
		expect_quiet(s, a, "/httpd-clean");
		assert_true(th_fact_has(s, "/httpd-clean", "bin.capabilities[]",
					"capability.role.web-server"));
		pst_scan_free(s);
	}
}

static void test_dhcp_clients(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < NARCH; i++) {
		struct pst_scan *s = scan_arch(i);
		const char *a = arches[i].name;
		expect(s, a, "/dhcpc-LISTEN", "capability.out-of-role-listener", PST_SEV_CRITICAL,
		       "31337");
		expect_quiet(s, a, "/dhcpc-clean");
		assert_true(th_fact_has(s, "/dhcpc-clean", "bin.capabilities[]",
					"capability.role.dhcp-agent"));
		pst_scan_free(s);
	}
}

/* Log wiping is history and login records, wherever it is; clearing a
 * message log outside a web or management server is medium. */
static void test_log_rules(void **state)
{
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && mkdir -p logs && printf '%%s\\n' '#include <stdlib.h>' "
	      "'int main(void){return system(\"cat /dev/null > /var/log/wtmp; rm -f ~/.bash_history\");}' "
	      "> logs/w.c && printf '%%s\\n' '#include <stdlib.h>' "
	      "'int main(void){return system(\"cat /dev/null > /var/log/messages\");}' > logs/c.c && "
	      "gcc -O2 -s -o logs/histwipe logs/w.c && gcc -O2 -s -o logs/logclear logs/c.c && "
	      "rm logs/*.c", dir);
	{
		char p[4200];
		snprintf(p, sizeof(p), "%s/logs", dir);
		s = th_scan(p, 1);
	}
	expect(s, "", "/histwipe", "capability.log-wiping", PST_SEV_HIGH, "/var/log/wtmp");
	assert_null(th_finding(s, "capability.log-clearing", "/histwipe"));
	expect(s, "", "/logclear", "capability.log-clearing", PST_SEV_MEDIUM, NULL);
	assert_null(th_finding(s, "capability.log-wiping", "/logclear"));
	pst_scan_free(s);
}

/* A user's role profile in --rules DIR's roles/ subdirectory: the role is
 * recognised, its out-of-role rule fires on the program that runs a command
 * and not on the one that does not; a rule with both role: and id:, and an
 * out-of-role rule naming a role defined nowhere, are load errors. */
static void test_user_roles(void **state)
{
	char *d = th_tmpdir(), rules[4200], target[4200];
	const char *dirs[2] = { rules, NULL };
	struct pst_options o;
	struct pst_scan *s;
	static const char *const broken[] = {
		"'- role: x' '  id: capability.x' '  recognise:' '    - string:abcd'",
		"'- id: capability.broken' '  all:' '    - capability:role.nosuch'",
	};
	size_t i;
	(void)state;
	th_sh("mkdir -p %s/r/roles %s/t && printf '%%s\n' '- role: marker-server'"
	      " '  recognise:' '    - string:POSTERN-ROLE-MARKER' '    - capability:network-server'"
	      " '  expected:' '    - capability:udp-server'"
	      " '- id: capability.out-of-role-marker' '  severity: high' '  all:'"
	      " '    - capability:role.marker-server' '    - capability:execute'"
	      " > %s/r/roles/x.yaml && printf '%%s\n' '#include <stdio.h>' '#include <stdlib.h>'"
	      " '#include <sys/socket.h>' 'int main(int c, char **v) { puts(\"POSTERN-ROLE-MARKER\");"
	      " bind(0, 0, 0); listen(0, 1); accept(0, 0, 0); return EXEC; }' > %s/m.c"
	      " && gcc -O2 -DEXEC='system(v[c-1])' -o %s/t/m %s/m.c && gcc -O2 -DEXEC=0 -o %s/t/n %s/m.c",
	      d, d, d, d, d, d, d, d);
	snprintf(rules, sizeof(rules), "%s/r", d);
	snprintf(target, sizeof(target), "%s/t", d);
	pst_options_default(&o);
	o.rule_dirs = dirs;
	s = th_scan_opts(target, &o);
	expect(s, "", "/m", "capability.out-of-role-marker", PST_SEV_HIGH, NULL);
	assert_null(th_finding(s, "capability.out-of-role-marker", "/n"));
	assert_true(th_fact_has(s, "/n", "bin.capabilities[]", "capability.role.marker-server"));
	pst_scan_free(s);
	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		th_sh("printf '%%s\n' %s > %s/r/roles/y.yaml", broken[i], d);
		s = pst_scan_new(&o);
		assert_non_null(s);
		if (pst_scan_run(s, target) == PST_OK)
			fail_msg("broken role file %zu accepted", i);
		pst_scan_free(s);
	}
	th_rmtree(d);
}

/* Only the primary role licenses. Three user roles in load order:
 * alpha-server (expects execute), marker-server (expects udp-server) and
 * runner-server (expects execute); the out-of-role rules judge
 * marker-server. /m has marker only: running a command is out of role.
 * /r has marker then runner: runner is secondary and licenses nothing, so
 * the rule still fires. /a has alpha then marker: alpha is primary and
 * expects execute, so the rule judging marker stays silent there. A
 * behaviour the primary role expects only in part (udp-server + execute on
 * /a) is still out of role. */
static void test_role_expected(void **state)
{
	char *d = th_tmpdir(), rules[4200], target[4200], yaml[4300];
	const char *dirs[2] = { rules, NULL };
	struct pst_options o;
	struct pst_scan *s;
	FILE *y;
	(void)state;
	snprintf(rules, sizeof(rules), "%s/r", d);
	snprintf(target, sizeof(target), "%s/t", d);
	snprintf(yaml, sizeof(yaml), "%s/roles/x.yaml", rules);
	th_sh("mkdir -p %s/r/roles %s/t", d, d);
	y = fopen(yaml, "w");
	assert_non_null(y);
	fputs("- role: alpha-server\n"
	      "  recognise:\n    - string:POSTERN-ALPHA-MARKER\n"
	      "  expected:\n    - capability:execute\n"
	      "- role: marker-server\n"
	      "  recognise:\n    - string:POSTERN-ROLE-MARKER\n    - capability:network-server\n"
	      "  expected:\n    - capability:udp-server\n"
	      "- role: runner-server\n"
	      "  recognise:\n    - string:POSTERN-RUNNER-MARKER\n"
	      "  expected:\n    - capability:execute\n"
	      "- id: capability.out-of-role-marker\n  severity: high\n"
	      "  all:\n    - capability:role.marker-server\n    - capability:execute\n"
	      "  behaviour: capability:execute\n"
	      "- id: capability.out-of-role-marker-pair\n  severity: high\n"
	      "  all:\n    - capability:role.marker-server\n    - capability:execute\n"
	      "  behaviour: [capability:udp-server, capability:execute]\n", y);
	fclose(y);
	th_sh("printf '%%s\n' '#include <stdio.h>' '#include <stdlib.h>' '#include <sys/socket.h>'"
	      " 'int main(int c, char **v) { puts(\"POSTERN-ROLE-MARKER\"); puts(OTHER);"
	      " bind(0, 0, 0); listen(0, 1); accept(0, 0, 0); return system(v[c-1]); }' > %s/m.c"
	      " && gcc -O2 -DOTHER='\"-\"' -o %s/t/m %s/m.c"
	      " && gcc -O2 -DOTHER='\"POSTERN-RUNNER-MARKER\"' -o %s/t/r %s/m.c"
	      " && gcc -O2 -DOTHER='\"POSTERN-ALPHA-MARKER\"' -o %s/t/a %s/m.c",
	      d, d, d, d, d, d, d);
	pst_options_default(&o);
	o.rule_dirs = dirs;
	s = th_scan_opts(target, &o);
	assert_true(th_fact_has(s, "/r", "bin.capabilities[]", "capability.role.marker-server"));
	assert_true(th_fact_has(s, "/r", "bin.capabilities[]", "capability.role.runner-server"));
	assert_true(th_fact_has(s, "/a", "bin.capabilities[]", "capability.role.alpha-server"));
	assert_true(th_fact_has(s, "/a", "bin.capabilities[]", "capability.role.marker-server"));
	assert_false(th_fact_has(s, "/m", "bin.capabilities[]", "capability.role.runner-server"));
	expect(s, "", "/m", "capability.out-of-role-marker", PST_SEV_HIGH, NULL);
	/* a secondary role licenses nothing */
	expect(s, "", "/r", "capability.out-of-role-marker", PST_SEV_HIGH, NULL);
	/* the primary role does, whichever role the rule judges */
	assert_null(th_finding(s, "capability.out-of-role-marker", "/a"));
	expect(s, "", "/m", "capability.out-of-role-marker-pair", PST_SEV_HIGH, NULL);
	expect(s, "", "/r", "capability.out-of-role-marker-pair", PST_SEV_HIGH, NULL);
	expect(s, "", "/a", "capability.out-of-role-marker-pair", PST_SEV_HIGH, NULL);
	pst_scan_free(s);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ftp_servers),
		cmocka_unit_test(test_router_web_servers),
		cmocka_unit_test(test_dhcp_clients),
		cmocka_unit_test(test_log_rules),
		cmocka_unit_test(test_user_roles),
		cmocka_unit_test(test_role_expected),
	};
	return cmocka_run_group_tests(tests, build, cleanup);
}
