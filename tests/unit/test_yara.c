/*
 * test_yara.c - the signature analyzer: every rule of the bundled pack fires
 * on a fixture we write (tests/fixtures/yara/, compiled here, never run) and
 * no other pack rule does; clean programs stay silent; a broken user rule
 * file is reported while the rest run; the compiled rules come from the
 * cache on the second run; known-bad and known-good hash lists; finding
 * suppression keeps coverage findings; several scans at once.
 */
#include <dirent.h>
#include <pthread.h>
#include <sys/stat.h>
#include "helpers.h"

#define SRC_DIR FIXTURE_DIR "/../.."
#define YFIX FIXTURE_DIR "/yara"

static char *g_tmp;

/* How a fixture becomes a file of the image. */
enum how { MIPSEL, MIPS, ARM, X86_SO, X86, COPY };

struct fixture {
	const char *rule;    /* pack rule it must fire */
	const char *src;     /* file under tests/fixtures/yara */
	enum how how;
};

static const struct fixture fixtures[] = {
	{ "dlink_xmlset_useragent_backdoor", "dlink_xmlset_useragent_backdoor.c", MIPSEL },
	{ "dlink_xmlset_useragent_backdoor", "dlink_xmlset_useragent_backdoor-reversed.c", ARM },
	{ "tenda_w302r_mfg_backdoor", "tenda_w302r_mfg_backdoor.c", MIPSEL },
	{ "netis_netcore_udp53413_backdoor", "netis_netcore_udp53413_backdoor.c", MIPSEL },
	{ "netis_netcore_udp53413_backdoor", "netis_netcore_udp53413_backdoor.c", MIPS },
	{ "netis_netcore_udp53413_backdoor", "netis_netcore_udp53413_backdoor.c", ARM },
	{ "netis_netcore_udp53413_backdoor", "netis_netcore_udp53413_backdoor.c", X86 },
	{ "sercomm_scmm_tcp32764_backdoor", "sercomm_scmm_tcp32764_backdoor.c", MIPSEL },
	/* built the way the real daemon is: the magic and port exist only as
	 * immediates, whose bytes depend on the machine */
	{ "sercomm_scmm_tcp32764_backdoor", "sercomm_scmm_tcp32764_backdoor.c", MIPS },
	{ "sercomm_scmm_tcp32764_backdoor", "sercomm_scmm_tcp32764_backdoor.c", ARM },
	{ "sercomm_scmm_tcp32764_backdoor", "sercomm_scmm_tcp32764_backdoor.c", X86 },
	{ "sercomm_ethertype_8888_knock", "sercomm_ethertype_8888_knock.c", MIPSEL },
	{ "vsftpd_234_smiley_backdoor", "vsftpd_234_smiley_backdoor.c", X86 },
	{ "vsftpd_234_smiley_backdoor", "vsftpd_234_smiley_backdoor.c", MIPSEL },
	{ "vsftpd_234_smiley_backdoor", "vsftpd_234_smiley_backdoor.c", MIPS },
	{ "vsftpd_234_smiley_backdoor", "vsftpd_234_smiley_backdoor.c", ARM },
	{ "proftpd_acidbitchez_backdoor", "proftpd_acidbitchez_backdoor.c", X86 },
	{ "proftpd_acidbitchez_backdoor", "proftpd_acidbitchez_backdoor.c", MIPSEL },
	{ "zyxel_zyfwp_hardcoded_account", "zyxel_zyfwp_hardcoded_account.conf", COPY },
	{ "fortinet_fortimanager_access_backdoor", "fortinet_fortimanager_access_backdoor.c", ARM },
	{ "juniper_screenos_auth_backdoor", "juniper_screenos_auth_backdoor.c", X86 },
	{ "juniper_screenos_dual_ec_rogue_q", "juniper_screenos_dual_ec_rogue_q.c", X86 },
	{ "juniper_screenos_dual_ec_q", "juniper_screenos_dual_ec_q.c", X86 },
	{ "dual_ec_drbg_nist_p256_q", "dual_ec_drbg_nist_p256_q.c", ARM },
	{ "hikvision_auth_bypass_token", "hikvision_auth_bypass_token.c", ARM },
	{ "hikvision_config_key", "hikvision_config_key.c", ARM },
	{ "xz_liblzma_backdoor_cve_2024_3094", "xz_liblzma_backdoor_cve_2024_3094.c", X86_SO },
	{ "xz_liblzma_backdoor_cve_2024_3094", "xz_liblzma_backdoor_cve_2024_3094-stage.sh", COPY },
	{ "bpfdoor_implant", "bpfdoor_implant.c", X86 },
	{ "tiny_shell_backdoor", "tiny_shell_backdoor.c", ARM },
	{ "mirai_xor_string_table", "mirai_xor_string_table.c", MIPSEL },
	{ "mirai_default_credentials", "mirai_default_credentials.c", ARM },
	{ "mirai_loader_dlr", "mirai_loader_dlr.c", MIPS },
};
#define NFIX (sizeof(fixtures) / sizeof(fixtures[0]))

static void build_fixture(const struct fixture *f, const char *out)
{
	switch (f->how) {
	case MIPSEL:
		th_sh("mipsel-linux-gnu-gcc -O1 -o '%s' '%s/%s'", out, YFIX, f->src);
		break;
	case MIPS:
		th_sh("mips-linux-gnu-gcc -O1 -o '%s' '%s/%s'", out, YFIX, f->src);
		break;
	case ARM:
		th_sh("arm-linux-gnueabi-gcc -O1 -o '%s' '%s/%s'", out, YFIX, f->src);
		break;
	case X86:
		th_sh("cc -O1 -o '%s' '%s/%s'", out, YFIX, f->src);
		break;
	case X86_SO:
		th_sh("cc -O1 -shared -fPIC -o '%s' '%s/%s'", out, YFIX, f->src);
		break;
	case COPY:
		th_sh("cp '%s/%s' '%s'", YFIX, f->src, out);
		break;
	}
}

static struct pst_scan *scan_with(const char *path, const char *const *dirs, bool no_pack)
{
	struct pst_options o;
	pst_options_default(&o);
	o.jobs = 2;
	o.rule_dirs = dirs;
	o.no_rules_pack = no_pack;
	return th_scan_opts(path, &o);
}

static size_t count_prefix(const struct pst_scan *s, const char *prefix, const char *suffix)
{
	size_t n, i, k = 0;
	const struct pst_finding *f = pst_scan_findings(s, &n);
	for (i = 0; i < n; i++)
		if (strncmp(f[i].rule, prefix, strlen(prefix)) == 0 &&
		    (!suffix || (f[i].node && th_ends_with(f[i].node->location, suffix))))
			k++;
	return k;
}

static int setup(void **state)
{
	(void)state;
	g_tmp = th_tmpdir_with_cache(true);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	th_rmtree(g_tmp);
	return 0;
}

/* Every rule of the pack has a fixture in the table above. */
static void test_every_pack_rule_has_a_fixture(void **state)
{
	const char *files[] = { SRC_DIR "/rules/yara/appliance_backdoors.yar",
				SRC_DIR "/rules/yara/implants.yar" };
	size_t i, j, nrules = 0;
	(void)state;
	for (i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "r");
		char line[512];
		assert_non_null(f);
		while (fgets(line, sizeof(line), f)) {
			char name[128];
			bool found = false;
			if (sscanf(line, "rule %127[A-Za-z0-9_]", name) != 1)
				continue;
			nrules++;
			for (j = 0; j < NFIX; j++)
				if (strcmp(fixtures[j].rule, name) == 0)
					found = true;
			if (!found)
				fail_msg("pack rule %s has no fixture", name);
		}
		fclose(f);
	}
	assert_true(nrules >= 18);
}

/* Each fixture, alone in a directory, fires exactly its rule, with severity
 * and reference from the rule's metadata. */
static void test_each_fixture_fires_its_rule(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < NFIX; i++) {
		char dir[4200], out[4400], id[200];
		struct pst_scan *s;
		const struct pst_finding *f;
		snprintf(dir, sizeof(dir), "%s/fx%zu", g_tmp, i);
		mkdir(dir, 0755);
		snprintf(out, sizeof(out), "%s/%s", dir, fixtures[i].src);
		if (fixtures[i].how != COPY)
			out[strlen(out) - 2] = 0; /* drop ".c" */
		build_fixture(&fixtures[i], out);
		s = scan_with(dir, NULL, false);
		snprintf(id, sizeof(id), "signature.postern.%s", fixtures[i].rule);
		f = th_finding(s, id, NULL);
		if (!f)
			fail_msg("%s did not fire on %s", id, fixtures[i].src);
		assert_string_equal(f->category, "signature");
		assert_true(f->severity >= PST_SEV_HIGH);
		assert_non_null(strstr(f->message, "reference: http"));
		assert_non_null(f->evidence);
		assert_non_null(strchr(f->evidence, '@'));
		if (count_prefix(s, "signature.", NULL) != 1)
			fail_msg("%s: %zu signature findings, want 1", fixtures[i].src,
				 count_prefix(s, "signature.", NULL));
		assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
		pst_scan_free(s);
	}
}

/* Credentials matched by a redact=true rule do not appear in the evidence. */
static void test_redacted_evidence(void **state)
{
	char dir[4200];
	struct pst_scan *s;
	const struct pst_finding *f;
	(void)state;
	snprintf(dir, sizeof(dir), "%s/redact", g_tmp);
	mkdir(dir, 0755);
	th_sh("cp '%s/zyxel_zyfwp_hardcoded_account.conf' '%s/'", YFIX, dir);
	s = scan_with(dir, NULL, false);
	f = th_finding(s, "signature.postern.zyxel_zyfwp_hardcoded_account", NULL);
	assert_non_null(f);
	assert_null(strstr(f->evidence, "PrOw!aN_fXp"));
	assert_non_null(strstr(f->evidence, "redacted"));
	pst_scan_free(s);
}

/* Ordinary programs, scripts and configuration: the pack stays silent. */
static void test_clean_input_silent(void **state)
{
	char dir[4200];
	struct pst_scan *s;
	(void)state;
	snprintf(dir, sizeof(dir), "%s/clean", g_tmp);
	mkdir(dir, 0755);
	th_sh("printf '#include <stdio.h>\\nint main(void){puts(\"hello router\");return 0;}\\n' > '%s/h.c' && "
	      "mipsel-linux-gnu-gcc -O1 -o '%s/hello' '%s/h.c' && rm '%s/h.c' && "
	      "cp /bin/ls /bin/sh /usr/bin/ssh* /etc/services '%s/' 2>/dev/null; "
	      "printf '#!/bin/sh\\nexec /sbin/httpd -h /www\\n' > '%s/rcS'",
	      dir, dir, dir, dir, dir, dir);
	s = scan_with(dir, NULL, false);
	assert_true(pst_scan_coverage(s)->files >= 4);
	assert_int_equal(count_prefix(s, "signature.", NULL), 0);
	assert_int_equal(count_prefix(s, "hash.", NULL), 0);
	pst_scan_free(s);
}

/* A user directory: one good file, one with a syntax error, one needing an
 * external variable postern does not define. The good one runs (in its own
 * namespace), the other two are reported with the compiler's message. */
static void test_broken_user_rules_reported(void **state)
{
	char rules[4200], target[4200], path[4400];
	const char *dirs[2];
	struct pst_scan *s;
	const struct pst_finding *f;
	size_t n, i, errs = 0;
	bool syntax = false, external = false;
	(void)state;
	snprintf(rules, sizeof(rules), "%s/userrules", g_tmp);
	snprintf(target, sizeof(target), "%s/usertarget", g_tmp);
	mkdir(rules, 0755);
	mkdir(target, 0755);
	snprintf(path, sizeof(path), "%s/lab-rules.yar", rules);
	th_sh("printf 'rule lab_marker { meta: severity = \"medium\" reference = \"https://example.org/lab\" "
	      "strings: $a = \"LAB-MARKER-7731\" condition: $a }\\n' > '%s'", path);
	th_sh("printf 'rule broken { strings: $a = \"x\" condition: $a and and }\\n' > '%s/broken.yar'", rules);
	/* filename is defined now (the LOKI/THOR convention, test_sigs.c); an
	 * external nobody defines still does not compile */
	th_sh("printf 'rule needs_external { condition: lab_only_external == \"a\" }\\n' > '%s/external.yara'", rules);
	th_sh("printf 'xx LAB-MARKER-7731 yy' > '%s/file.txt'", target);
	dirs[0] = rules;
	dirs[1] = NULL;
	s = scan_with(target, dirs, false);
	f = th_finding(s, "signature.lab_rules.lab_marker", "/file.txt");
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_MEDIUM);
	assert_non_null(strstr(f->evidence, "$a@0x3"));
	f = pst_scan_findings(s, &n);
	for (i = 0; i < n; i++) {
		if (strcmp(f[i].rule, "signature.rule-error") != 0)
			continue;
		errs++;
		assert_string_equal(f[i].category, "coverage");
		if (strstr(f[i].message, "broken.yar") && strstr(f[i].message, "syntax error"))
			syntax = true;
		if (strstr(f[i].message, "external.yara") && strstr(f[i].message, "lab_only_external"))
			external = true;
	}
	assert_int_equal(errs, 2);
	assert_true(syntax);
	assert_true(external);
	pst_scan_free(s);
}

/* The second run with the same rules loads them compiled from the cache;
 * a changed rule file misses it; the errors are remembered with the rules. */
static void test_cache(void **state)
{
	char rules[4200], target[4200];
	const char *dirs[2];
	struct pst_scan *s;
	DIR *d;
	struct dirent *e;
	size_t cached = 0;
	char cdir[4200];
	(void)state;
	snprintf(rules, sizeof(rules), "%s/cacherules", g_tmp);
	snprintf(target, sizeof(target), "%s/cachetarget", g_tmp);
	snprintf(cdir, sizeof(cdir), "%s/cache2", g_tmp);
	setenv("XDG_CACHE_HOME", cdir, 1);
	mkdir(rules, 0755);
	mkdir(target, 0755);
	th_sh("printf 'rule c1 { strings: $a = \"CACHE-ME-1\" condition: $a }\\n' > '%s/c.yar'", rules);
	th_sh("printf 'rule bad { condition: nope }\\n' > '%s/bad.yar'", rules);
	th_sh("printf 'CACHE-ME-1 CACHE-ME-2' > '%s/f'", target);
	dirs[0] = rules;
	dirs[1] = NULL;

	s = scan_with(target, dirs, false);
	assert_non_null(th_fact(s, NULL, "signature.rules"));
	assert_null(strstr(th_fact(s, NULL, "signature.rules"), "cache"));
	assert_non_null(th_finding(s, "signature.c.c1", "/f"));
	assert_non_null(th_finding(s, "signature.rule-error", NULL));
	pst_scan_free(s);

	s = scan_with(target, dirs, false);
	assert_non_null(strstr(th_fact(s, NULL, "signature.rules"), "from cache"));
	assert_non_null(th_finding(s, "signature.c.c1", "/f"));
	assert_non_null(th_finding(s, "signature.rule-error", NULL)); /* remembered */
	pst_scan_free(s);

	th_sh("printf 'rule c2 { strings: $a = \"CACHE-ME-2\" condition: $a }\\n' > '%s/c.yar'", rules);
	s = scan_with(target, dirs, false);
	assert_null(strstr(th_fact(s, NULL, "signature.rules"), "cache"));
	assert_null(th_finding(s, "signature.c.c1", "/f"));
	assert_non_null(th_finding(s, "signature.c.c2", "/f"));
	pst_scan_free(s);

	snprintf(cdir, sizeof(cdir), "%s/cache2/postern", g_tmp);
	d = opendir(cdir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (th_ends_with(e->d_name, ".rules"))
			cached++;
	closedir(d);
	assert_int_equal(cached, 2);

	/* the cache keeps the 8 most recently used sets: ten stale ones
	 * (a day old) make room for the new set, the one in use stays */
	th_sh("cd '%s' && for i in 0 1 2 3 4 5 6 7 8 9; do k=$(printf '%%064d' $i); "
	      "printf x > yara-$k.rules; printf '' > yara-$k.errors; "
	      "touch -d '-1 day' yara-$k.rules; done", cdir);
	th_sh("printf 'rule c3 { strings: $a = \"CACHE-ME-2\" condition: $a }\\n' > '%s/c.yar'", rules);
	s = scan_with(target, dirs, false);
	assert_non_null(th_finding(s, "signature.c.c3", "/f"));
	pst_scan_free(s);
	cached = 0;
	d = opendir(cdir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (th_ends_with(e->d_name, ".rules") || th_ends_with(e->d_name, ".errors"))
			cached++;
	closedir(d);
	assert_int_equal(cached, 16);   /* 8 sets, rules and errors each */
	s = scan_with(target, dirs, false);   /* the newest set survived */
	assert_non_null(strstr(th_fact(s, NULL, "signature.rules"), "from cache"));
	pst_scan_free(s);
	snprintf(cdir, sizeof(cdir), "%s/cache", g_tmp);
	setenv("XDG_CACHE_HOME", cdir, 1);
}

static void sha_hex_of(const char *path, char hex[65])
{
	size_t len;
	uint8_t *p = th_read(path, &len), sha[32];
	pst_sha256(p, len, sha);
	pst_hex(sha, 32, hex);
	free(p);
}

/* known-bad: critical finding; known-good: the file's other findings are
 * dropped and the silencing recorded, coverage findings stay; a malformed
 * line is reported. */
static void test_hash_lists(void **state)
{
	char rules[4200], target[4200], bad[4400], good[4400], gz[4400];
	char hb[65], hg[65], hz[65];
	const char *dirs[2];
	struct pst_scan *s;
	const struct pst_finding *f;
	(void)state;
	snprintf(rules, sizeof(rules), "%s/hashrules", g_tmp);
	snprintf(target, sizeof(target), "%s/hashtarget", g_tmp);
	th_sh("mkdir -p '%s/hashes' '%s'", rules, target);
	snprintf(bad, sizeof(bad), "%s/implant.bin", target);
	snprintf(good, sizeof(good), "%s/cgi-bin-login", target);
	snprintf(gz, sizeof(gz), "%s/cut.gz", target);
	th_sh("printf 'an implant we know' > '%s'", bad);
	build_fixture(&fixtures[0], good); /* carries the D-Link User-Agent */
	th_sh("randbytes 100000 test_yara1 | gzip | head -c 300 > '%s'", gz);
	sha_hex_of(bad, hb);
	sha_hex_of(good, hg);
	sha_hex_of(gz, hz);
	th_sh("printf '# lab list\\n%s  implant from advisory X\\nnot-a-hash\\n' > '%s/hashes/known-bad.sha256'",
	      hb, rules);
	th_sh("printf '%s  vendor CGI, reviewed 2026-11\\n%s *cut.gz\\n' > '%s/hashes/known-good.sha256'",
	      hg, hz, rules);
	dirs[0] = rules;
	dirs[1] = NULL;
	s = scan_with(target, dirs, false);

	f = th_finding(s, "hash.known-bad", "/implant.bin");
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_CRITICAL);
	assert_non_null(strstr(f->message, "implant from advisory X"));

	assert_null(th_finding(s, "signature.postern.dlink_xmlset_useragent_backdoor", "/cgi-bin-login"));
	f = th_finding(s, "hash.known-good-silenced", "/cgi-bin-login");
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_INFO);
	assert_non_null(strstr(f->evidence, "signature.postern.dlink_xmlset_useragent_backdoor"));
	assert_non_null(strstr(f->message, "vendor CGI"));

	/* the truncated stream's coverage finding is not silenced */
	assert_non_null(th_finding(s, "hash.known-good-silenced", "/cut.gz"));
	assert_true(count_prefix(s, "unpack.", "/cut.gz") + count_prefix(s, "limit.", "/cut.gz") >= 1);

	f = th_finding(s, "signature.rule-error", NULL);
	assert_non_null(f);
	assert_non_null(strstr(f->message, "line 3"));
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
	pst_scan_free(s);

	/* without the known-good list the CGI's finding is back */
	th_sh("rm '%s/hashes/known-good.sha256'", rules);
	s = scan_with(target, dirs, false);
	assert_non_null(th_finding(s, "signature.postern.dlink_xmlset_useragent_backdoor", "/cgi-bin-login"));
	assert_null(th_finding(s, "hash.known-good-silenced", NULL));
	pst_scan_free(s);

	/* 20 bad lines before the good one: five are named, the rest counted in
	 * one more error, and the good line still counts */
	th_sh("cd '%s/hashes' && (for i in $(seq 1 20); do echo \"junk $i\"; done; echo '%s  implant') "
	      "> known-bad.sha256", rules, hb);
	s = scan_with(target, dirs, false);
	assert_non_null(th_finding(s, "hash.known-bad", "/implant.bin"));
	assert_int_equal(count_prefix(s, "signature.rule-error", NULL), 6);
	{
		size_t n, i, more = 0;
		const struct pst_finding *e = pst_scan_findings(s, &n);
		for (i = 0; i < n; i++)
			if (strcmp(e[i].rule, "signature.rule-error") == 0 &&
			    strstr(e[i].message, "15 more lines are not a SHA-256"))
				more++;
		assert_int_equal(more, 1);
	}
	pst_scan_free(s);
}

/* --no-rules-pack: the pack does not run. */
static void test_no_pack(void **state)
{
	char dir[4200];
	struct pst_scan *s;
	(void)state;
	snprintf(dir, sizeof(dir), "%s/fx0", g_tmp); /* built by the fixture test */
	s = scan_with(dir, NULL, true);
	assert_int_equal(count_prefix(s, "signature.", NULL), 0);
	pst_scan_free(s);
	s = scan_with(dir, NULL, false);
	assert_int_equal(count_prefix(s, "signature.postern.", NULL), 1);
	pst_scan_free(s);
}

static void *scan_thread(void *arg)
{
	char dir[4200];
	struct pst_options o;
	struct pst_scan *s;
	unsigned k;
	(void)arg;
	snprintf(dir, sizeof(dir), "%s/fx2", g_tmp);
	for (k = 0; k < 3; k++) {
		pst_options_default(&o);
		o.jobs = 2;
		s = pst_scan_new(&o);
		if (!s || pst_scan_run(s, dir) != PST_OK ||
		    !th_finding(s, "signature.postern.tenda_w302r_mfg_backdoor", NULL)) {
			pst_scan_free(s);
			return (void *)1;
		}
		pst_scan_free(s);
	}
	return NULL;
}

/* Scans come and go in parallel: libyara's global state is counted. */
static void test_parallel_scans(void **state)
{
	pthread_t t[3];
	void *rc;
	size_t i;
	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, scan_thread, NULL), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(pthread_join(t[i], &rc), 0);
		assert_null(rc);
	}
}

/* $POSTERN_RULES_DIR names the pack. */
static void test_pack_from_env(void **state)
{
	char pack[4200], target[4200];
	struct pst_scan *s;
	(void)state;
	snprintf(pack, sizeof(pack), "%s/envpack", g_tmp);
	snprintf(target, sizeof(target), "%s/envtarget", g_tmp);
	th_sh("mkdir -p '%s/yara' '%s' && printf 'rule env_marker { strings: $a = \"ENV-PACK-1\" "
	      "condition: $a }\n' > '%s/yara/p.yar' && "
	      "printf 'ENV-PACK-1 xmlset_roodkcableoj28840ybtide' > '%s/f'", pack, target, pack, target);
	setenv("POSTERN_RULES_DIR", pack, 1);
	s = scan_with(target, NULL, false);
	unsetenv("POSTERN_RULES_DIR");
	assert_non_null(th_finding(s, "signature.postern.env_marker", "/f"));
	assert_null(th_finding(s, "signature.postern.dlink_xmlset_useragent_backdoor", NULL));
	pst_scan_free(s);
}

/* A rule that runs past the per-file timeout: reported as a coverage gap. */
static void test_timeout(void **state)
{
	char rules[4200], target[4200];
	const char *dirs[2];
	struct pst_options o;
	struct pst_scan *s;
	const struct pst_finding *f;
	(void)state;
	snprintf(rules, sizeof(rules), "%s/slowrules", g_tmp);
	snprintf(target, sizeof(target), "%s/slowtarget", g_tmp);
	th_sh("mkdir -p '%s' '%s' && printf 'rule slow { condition: for all i in (0..filesize-1) : "
	      "(for all j in (0..1000) : (uint8(i) != 0xfe)) }\n' > '%s/slow.yar' && "
	      "head -c 8000000 /dev/zero > '%s/zeros'", rules, target, rules, target);
	dirs[0] = rules;
	dirs[1] = NULL;
	pst_options_default(&o);
	o.jobs = 2;
	o.rule_dirs = dirs;
	o.no_rules_pack = true;
	o.rule_timeout = 1;
	s = th_scan_opts(target, &o);
	f = th_finding(s, "signature.scan-incomplete", "/zeros");
	assert_non_null(f);
	assert_string_equal(f->category, "coverage");
	assert_null(th_finding(s, "signature.slow.slow", NULL));
	pst_scan_free(s);
}

/* Containers are scanned over their own bytes only (docs/findings/signature.md,
 * "What YARA reads"): a rule on a container's header fires on the container,
 * at the header's true offset (uImage magic at 0, squashfs superblock carved
 * at its offset, bytes between the carved objects); what children explain
 * is not read again: a match inside a gzip'd or stored member is reported on
 * the member only, never twice. */
static void test_container_own_ranges(void **state)
{
	char rules[4200], t[4200];
	const char *dirs[2];
	struct pst_scan *s;
	const struct pst_finding *f;
	(void)state;
	snprintf(rules, sizeof(rules), "%s/ownrules", g_tmp);
	snprintf(t, sizeof(t), "%s/own", g_tmp);
	th_sh("mkdir -p '%s' '%s/root/www' '%s/tree'", rules, t, t);
	th_sh("printf '%%s\\n' "
	      "'rule uimage_hdr { strings: $m = { 27 05 19 56 } condition: $m at 0 and uint32be(0) == 0x27051956 and filesize > 100000 }' "
	      "'rule sqfs_super { strings: $m = \"hsqs\" condition: $m }' "
	      "'rule gap_marker { strings: $m = \"POSTERN-GAP-MARKER-7\" condition: $m }' "
	      "'rule member_marker { strings: $m = \"POSTERN-MEMBER-MARKER-3\" condition: $m }' "
	      "> '%s/own.yar'", rules);
	/* a raw image: uImage(gzip payload), a marker in the gap, a squashfs */
	th_sh("cd '%s' && printf 'POSTERN-MEMBER-MARKER-3 in a squashfs file\\n' > root/www/index.html && "
	      "randbytes 200000 test_yara2 > kernel && gzip -9 -c kernel > kernel.gz && "
	      "mkimage -A mips -O linux -T kernel -C gzip -a 0x80100000 -e 0x80100000 -n k "
	      "-d kernel.gz uimg > /dev/null && "
	      "mksquashfs root root.sqfs -comp xz -noappend -quiet > /dev/null && "
	      "cp uimg fw.bin && truncate -s 393216 fw.bin && "
	      "printf 'POSTERN-GAP-MARKER-7 left by the vendor' | dd of=fw.bin bs=1 seek=327680 conv=notrunc status=none && "
	      "cat root.sqfs >> fw.bin && cp fw.bin tree/fw.bin && "
	      "printf 'POSTERN-MEMBER-MARKER-3 in a stored tar member\\n' > m.txt && "
	      "tar -cf tree/m.tar m.txt && gzip -c m.txt > tree/m.txt.gz", t);
	dirs[0] = rules;
	dirs[1] = NULL;
	snprintf(t + strlen(t), sizeof(t) - strlen(t), "/tree");
	s = scan_with(t, dirs, true);
	f = th_finding(s, "signature.own.uimage_hdr", "/fw.bin");
	assert_non_null(f);
	assert_int_equal(f->offset, 0);
	f = th_finding(s, "signature.own.sqfs_super", "/fw.bin");
	assert_non_null(f);
	assert_int_equal(f->offset, 393216);
	assert_int_equal(count_prefix(s, "signature.own.sqfs_super", NULL), 1);
	f = th_finding(s, "signature.own.gap_marker", "/fw.bin");
	assert_non_null(f);
	assert_int_equal(f->offset, 327680);
	/* each member marker once, on the member: squashfs file, tar member, gzip stream */
	assert_int_equal(count_prefix(s, "signature.own.member_marker", NULL), 3);
	assert_int_equal(count_prefix(s, "signature.own.member_marker", "/www/index.html"), 1);
	assert_int_equal(count_prefix(s, "signature.own.member_marker", "/m.tar!/m.txt"), 1);
	assert_int_equal(count_prefix(s, "signature.own.member_marker", "/m.txt.gz!/m.txt"), 1);
	assert_int_equal(count_prefix(s, "signature.own.member_marker", "/m.txt.gz"), 0);
	assert_int_equal(count_prefix(s, "signature.own.member_marker", "/m.tar"), 0);
	assert_int_equal(count_prefix(s, "signature.own.uimage_hdr", NULL), 1);
	pst_scan_free(s);
}

/* The shipped known-bad list (rules/hashes/known-bad.sha256: the xz-utils
 * CVE-2024-3094 tarballs, build-to-host.m4 and liblzma builds, each with its
 * published source) loads without a rule error; a file with one of its
 * hashes cannot be made here (we never fetch malware), so the known-bad path
 * itself is proven with a test-only list in test_hash_lists. */
static void test_shipped_hash_list(void **state)
{
	char dir[4200];
	struct pst_scan *s;
	const char *fc;
	unsigned nbad = 0;
	FILE *f = fopen(SRC_DIR "/rules/hashes/known-bad.sha256", "r");
	char line[512];
	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (strlen(line) > 66 && strspn(line, "0123456789abcdef") == 64)
			nbad++;
	fclose(f);
	assert_true(nbad >= 9);
	snprintf(dir, sizeof(dir), "%s/shipped", g_tmp);
	th_sh("mkdir -p '%s' && printf 'plain\\n' > '%s/f'", dir, dir);
	s = scan_with(dir, NULL, false);
	assert_null(th_finding(s, "signature.rule-error", NULL));
	fc = th_fact(s, NULL, "signature.rules");
	assert_non_null(fc);
	snprintf(line, sizeof(line), "; %u known-bad and", nbad);
	if (!strstr(fc, line))
		fail_msg("fact '%s' does not count the %u shipped known-bad hashes", fc, nbad);
	assert_null(th_finding(s, "hash.known-bad", NULL));
	pst_scan_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pack_rule_has_a_fixture),
		cmocka_unit_test(test_each_fixture_fires_its_rule),
		cmocka_unit_test(test_redacted_evidence),
		cmocka_unit_test(test_clean_input_silent),
		cmocka_unit_test(test_broken_user_rules_reported),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_hash_lists),
		cmocka_unit_test(test_shipped_hash_list),
		cmocka_unit_test(test_no_pack),
		cmocka_unit_test(test_parallel_scans),
		cmocka_unit_test(test_pack_from_env),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_container_own_ranges),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
