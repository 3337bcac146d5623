/*
 * test_caps_analyzers.c - the analyzers' caps that drop content are
 * reported (issue 23): a file made one past the cap (tests/tools/mkcaps.py,
 * compilers) gets limit.cap naming the cap, and the same kind of file within
 * the cap stays silent. Programs: system-call and socket() sweeps over code
 * past 48 MiB, strings past 16 MiB, the RC4 search's 4 MiB of decoded
 * windows, an ELF symbol table past a million
 * entries; packages: rpm database rows, Go modules; boot scripts: a line past
 * PST_CAP_LINE, a word past PST_CAP_SVC_TOKEN, variables and downloads past
 * their caps, a chain of scripts deeper than PST_CAP_SVC_CHAIN, a script that is
 * no boot file only once boot runs it; an account
 * file's long line, slow password hashes past their tries, DER key
 * candidates, a package field. And what stopped dropping: a command keeps all its words
 * (a shell option after 60 others is seen), and the secrets analyzer reads a
 * long line in pieces (a password past its first 4 KiB is found).
 * The hidden-command search's caps in compwrap.c and libfuncs.c report as
 * analyze.budget naming the cap (the program counted partial): comparison
 * wrappers past PST_CAP_CMP_WRAPS, comparison calls past
 * PST_CAP_CMP_WRAP_SITES, and a stripped static program's system-call
 * sites, function starts and copies of "/bin/sh" past theirs.
 */
#include "helpers.h"

/* Findings rule on the node ending in where whose message (or, with
 * evidence, evidence) names cap. */
static size_t naming(const struct pst_scan *s, const char *rule, const char *where,
		     const char *cap, bool evidence)
{
	const struct pst_finding *f;
	const char *text;
	size_t i, hit = 0;
	for (i = 0; i < s->nfindings; i++) {
		f = &s->findings[i];
		text = evidence ? f->evidence : f->message;
		if (strcmp(f->rule, rule) == 0 && th_ends_with(f->node->location, where) && text &&
		    strstr(text, cap))
			hit++;
	}
	return hit;
}

/* limit.cap on the node ending in where, naming cap. */
static void assert_cap(const struct pst_scan *s, const char *where, const char *cap)
{
	if (!naming(s, "limit.cap", where, cap, false))
		fail_msg("no limit.cap %s on %s", cap, where);
	assert_true(pst_scan_coverage(s)->limits_hit >= 1);
}

/* analyze.budget on the node ending in where, its evidence naming cap. */
static void assert_budget(const struct pst_scan *s, const char *where, const char *cap)
{
	if (!naming(s, "analyze.budget", where, cap, true))
		fail_msg("no analyze.budget %s on %s", cap, where);
	assert_true(pst_scan_coverage(s)->partial >= 1);
}

static void assert_no_cap(const struct pst_scan *s)
{
	const struct pst_finding *f = th_finding(s, "limit.cap", NULL);
	if (f)
		fail_msg("unexpected limit.cap on %s: %s", f->node->location, f->message);
}

static struct pst_scan *scan_dir(const char *d, const char *sub)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", d, sub);
	return th_scan(path, 2);
}

/* The tree d/u, made within the caps, gets no limit.cap (and has node). */
static void assert_within(const char *d, const char *node)
{
	struct pst_scan *s = scan_dir(d, "u");
	assert_non_null(th_node(s, node));
	assert_no_cap(s);
	pst_scan_free(s);
}

static void test_program_caps(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	(void)state;
	/* a static stripped server with 49 MiB of code after libc's, one with
	 * 19 MiB of strings, one with 8 MiB of byte loads and stores (dense
	 * windows for the RC4 search), and the server alone */
	th_sh("mkdir -p %s/t %s/u && cd %s && printf '%%s\\n' '#include <netinet/in.h>' "
	      "'#include <string.h>' '#include <sys/socket.h>' '#include <unistd.h>' "
	      "'int main(void) { struct sockaddr_in a; char b[64]; int c, s = socket(AF_INET, "
	      "SOCK_STREAM, 0); memset(&a, 0, sizeof(a)); a.sin_family = AF_INET; a.sin_port = "
	      "htons(4444); bind(s, (struct sockaddr *)&a, sizeof(a)); listen(s, 1); "
	      "c = accept(s, 0, 0); return read(c, b, sizeof(b)) > 0 && strcmp(b, \"x\") == 0; }'"
	      " > srv.c && printf '.section .zfill,\"ax\",@progbits\\n.fill %u,1,0x90\\n"
	      ".section .note.GNU-stack,\"\",@progbits\\n' > fill.s && "
	      "printf '.section .rodata.zstr,\"a\"\\n.rept 220000\\n.ascii \"%s\"\\n.byte 0\\n"
	      ".endr\\n.section .note.GNU-stack,\"\",@progbits\\n' > str.s && "
	      "printf '.section .zbytes,\"ax\",@progbits\\n.rept 2000000\\n"
	      ".byte 0x8a,0x06,0x88,0x07\\n.endr\\n.section .note.GNU-stack,\"\",@progbits\\n'"
	      " > ldst.s && gcc -O1 -o t/rc4big srv.c ldst.s && "
	      "gcc -O1 -static -s -o t/bigcode srv.c fill.s && gcc -O1 -o t/manystr srv.c str.s && "
	      "gcc -O1 -static -s -o u/small srv.c && gcc -O1 -o u/dyn srv.c",
	      d, d, d, 49u << 20,
	      "postern-strings-cap-filler-0123456789-abcdefghijklmnopqrstuvwxyz-"
	      "ABCDEFGHIJKLMNOPQRST");
	s = scan_dir(d, "t");
	assert_cap(s, "/bigcode", "PST_CAP_SYS_CODE");
	assert_cap(s, "/bigcode", "PST_CAP_SOCK_CODE");
	assert_cap(s, "/manystr", "PST_CAP_BIN_STRINGS");
	assert_cap(s, "/rc4big", "PST_CAP_RC4_SCAN");
	pst_scan_free(s);
	assert_within(d, "/small");
	th_rmtree(d);
}

/* Programs one past the hidden-command search's wrapper and library-function
 * caps (t), and the same programs within them (u): the 3-wrapper server is
 * also the one the comparison calls and the static sites are linked into. */
static void test_hidden_caps(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	const struct pst_finding *f;
	(void)state;
	th_sh("cd %s && mkdir -p t u && mkcaps.py wraps %u wmany.c && mkcaps.py wraps 3 wfew.c && "
	      "mkcaps.py cmpcalls %u cmp.s && mkcaps.py libsites %u lib.s && "
	      "mkcaps.py libsites 3 libfew.s && gcc -O1 -fno-ipa-icf -o t/wraps wmany.c && "
	      "gcc -O1 -fno-ipa-icf -o t/cmpcalls wfew.c cmp.s && "
	      "gcc -O1 -static -s -o t/libcut wfew.c lib.s && "
	      "gcc -O1 -fno-ipa-icf -o u/wraps wfew.c && "
	      "gcc -O1 -static -s -o u/libok wfew.c libfew.s",
	      d, PST_CAP_CMP_WRAPS + 1, PST_CAP_CMP_WRAP_SITES + 1, PST_CAP_CMP_LIB_STARTS + 1);
	s = scan_dir(d, "t");
	assert_budget(s, "/wraps", "PST_CAP_CMP_WRAPS");
	assert_budget(s, "/cmpcalls", "PST_CAP_CMP_WRAP_SITES");
	assert_budget(s, "/libcut", "PST_CAP_CMP_LIB_SITES");
	assert_budget(s, "/libcut", "PST_CAP_CMP_LIB_STARTS");
	assert_budget(s, "/libcut", "PST_CAP_CMP_LIB_REFS");
	pst_scan_free(s);
	s = scan_dir(d, "u");
	/* within the caps the wrappers and the static program's functions
	 * are still found: their triggers are reported */
	assert_non_null(th_finding(s, "backdoor.magic-trigger", "/wraps"));
	assert_non_null(th_finding(s, "backdoor.magic-trigger", "/libok"));
	f = th_finding(s, "analyze.budget", NULL);
	if (f)
		fail_msg("unexpected analyze.budget on %s: %s", f->node->location, f->evidence);
	assert_int_equal(pst_scan_coverage(s)->partial, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_table_caps(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && mkdir -p t/var/lib/rpm u/var/lib/rpm && "
	      "mkcaps.py rpmdb %u t/var/lib/rpm/rpmdb.sqlite && "
	      "mkcaps.py rpmdb 3 u/var/lib/rpm/rpmdb.sqlite && "
	      "mkcaps.py gomod %u gomany.c && gcc -O0 -o t/gomany gomany.c && "
	      "mkcaps.py gomod 3 gofew.c && gcc -O0 -o u/gofew gofew.c && "
	      "mkcaps.py elfsyms %u t/manysyms && mkcaps.py elfsyms 10 u/fewsyms && "
	      "{ echo '<Envelope><!--'; head -c %zu /dev/zero | tr '\\0' x; "
	      "echo '--><ProductSection><Product>P</Product></ProductSection></Envelope>'; } "
	      "> t/appliance.ovf && echo '<Envelope><ProductSection><Product>P</Product>"
	      "</ProductSection></Envelope>' > u/appliance.ovf",
	      d, PST_CAP_RPM_PACKAGES + 1, PST_CAP_GO_MODULES + 1, PST_CAP_ELF_TABLE + 1,
	      PST_CAP_OVF_BYTES);
	s = scan_dir(d, "t");
	assert_cap(s, "/var/lib/rpm/rpmdb.sqlite", "PST_CAP_RPM_PACKAGES");
	assert_cap(s, "/gomany", "PST_CAP_GO_MODULES");
	assert_cap(s, "/manysyms", "PST_CAP_ELF_TABLE");
	assert_cap(s, "/appliance.ovf", "PST_CAP_OVF_BYTES");
	pst_scan_free(s);
	assert_within(d, "/fewsyms");
	th_rmtree(d);
}

/* Boot scripts one past each cap (t), and the same scripts within (u). */
static void make_scripts(const char *d, const char *dir, unsigned line, unsigned word,
			 unsigned vars, unsigned dls, unsigned chain)
{
	th_sh("cd %s && mkdir -p %s/etc/init.d && cd %s && "
	      "{ echo '#!/bin/sh'; printf 'echo %%s\\n' \"$(head -c %u /dev/zero | tr '\\0' x)\"; }"
	      " > etc/init.d/S10line && "
	      "{ echo '#!/bin/sh'; echo \"A=$(head -c %u /dev/zero | tr '\\0' a)\"; "
	      "echo 'echo \"$A$A$A\"'; } > etc/init.d/S20word && "
	      "{ echo '#!/bin/sh'; seq 1 %u | sed 's/.*/V&=&/'; } > etc/init.d/S30vars && "
	      "{ echo '#!/bin/sh'; seq 1 %u | sed 's|.*|wget -O /tmp/f& http://198.51.100.7/f&|'; }"
	      " > etc/init.d/S40dl && "
	      "{ echo '#!/bin/sh'; echo 'sh /etc/c1.sh'; } > etc/init.d/S50chain && "
	      "for i in $(seq 1 %u); do { echo '#!/bin/sh'; echo \"sh /etc/c$((i + 1)).sh\"; } "
	      "> etc/c$i.sh; done && chmod +x etc/init.d/* etc/*.sh",
	      d, dir, dir, line, word, vars, dls, chain);
}

static void test_boot_script_caps(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	(void)state;
	make_scripts(d, "t", PST_CAP_LINE + 10, PST_CAP_SVC_TOKEN / 3 + 10,
		     PST_CAP_SVC_VARS + 1, PST_CAP_SVC_DOWNLOADS + 1, PST_CAP_SVC_CHAIN + 2);
	make_scripts(d, "u", 100, 100, 10, 2, 1);
	s = scan_dir(d, "t");
	assert_cap(s, "/etc/init.d/S10line", "PST_CAP_LINE");
	assert_cap(s, "/etc/init.d/S20word", "PST_CAP_SVC_TOKEN");
	assert_cap(s, "/etc/init.d/S30vars", "PST_CAP_SVC_VARS");
	assert_cap(s, "/etc/init.d/S40dl", "PST_CAP_SVC_DOWNLOADS");
	assert_cap(s, "/etc/init.d/S50chain", "PST_CAP_SVC_CHAIN");
	pst_scan_free(s);
	assert_within(d, "/etc/init.d/S50chain");
	th_rmtree(d);
}

/* A shell script that is not a boot file (Debian's socat ships
 * /usr/share/doc/socat/examples/test.sh with hundreds of variables) is read
 * for what boot might run, so a cap's cut there waits like its findings: no
 * limit.cap while nothing runs it (u); limit.cap on it, naming the boot file,
 * once a boot file runs it (t). */
static void test_deferred_script_cap(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	const struct pst_finding *f;
	(void)state;
	th_sh("cd %s && for x in t u; do mkdir -p $x/usr/share/doc/p/examples $x/etc/init.d && "
	      "{ echo '#!/bin/sh'; seq 1 %u | sed 's/.*/V&=&/'; echo 'echo \"$V1\"'; } "
	      "> $x/usr/share/doc/p/examples/test.sh && "
	      "chmod +x $x/usr/share/doc/p/examples/test.sh && "
	      "printf '#!/bin/sh\\necho up\\n' > $x/etc/init.d/S10up; done && "
	      "printf '#!/bin/sh\\nsh /usr/share/doc/p/examples/test.sh\\n' "
	      "> t/etc/init.d/S10up && "
	      "chmod +x t/etc/init.d/S10up u/etc/init.d/S10up",
	      d, PST_CAP_SVC_VARS + 1);
	s = scan_dir(d, "t");
	assert_cap(s, "/usr/share/doc/p/examples/test.sh", "PST_CAP_SVC_VARS");
	f = th_finding(s, "limit.cap", NULL);
	assert_non_null(f);
	assert_non_null(strstr(f->message, "/etc/init.d/S10up runs it at boot"));
	pst_scan_free(s);
	s = scan_dir(d, "u");
	assert_non_null(th_node(s, "/usr/share/doc/p/examples/test.sh"));
	assert_no_cap(s);
	assert_int_equal(pst_scan_coverage(s)->limits_hit, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

/* The copies a script makes are read from the start of its lines (fsperm.c):
 * a long line cuts something only when it is a copy (t); a script that is no
 * boot file with a long line of anything else (Debian's Perl config.sh,
 * debconf scripts) gets no limit.cap (u). */
static void test_copy_line_cap(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && mkdir -p t/usr/lib/p u/usr/lib/p && "
	      "L=\"$(head -c %u /dev/zero | tr '\\0' y)\" && "
	      "printf '#!/bin/sh\\ncp -p /etc/a %%s /etc/b\\n' \"$L\" > t/usr/lib/p/copy.sh && "
	      "printf '#!/bin/sh\\nlibs=\\x27%%s\\x27\\ncp -p /etc/a /etc/b\\n' \"$L\" "
	      "> u/usr/lib/p/config.sh && chmod +x t/usr/lib/p/copy.sh u/usr/lib/p/config.sh",
	      d, PST_CAP_LINE + 10);
	s = scan_dir(d, "t");
	assert_cap(s, "/usr/lib/p/copy.sh", "PST_CAP_LINE");
	pst_scan_free(s);
	s = scan_dir(d, "u");
	assert_non_null(th_node(s, "/usr/lib/p/config.sh"));
	assert_no_cap(s);
	assert_int_equal(pst_scan_coverage(s)->limits_hit, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_account_line_cap(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && mkdir -p t/etc u/etc && "
	      "{ echo 'root:x:0:0:root:/root:/bin/sh'; printf 'g:x:1:1:%%s:/:/bin/false\\n' "
	      "\"$(head -c %u /dev/zero | tr '\\0' y)\"; } > t/etc/passwd && "
	      "echo 'root:x:0:0:root:/root:/bin/sh' > u/etc/passwd", d, PST_CAP_LINE + 10);
	s = scan_dir(d, "t");
	assert_cap(s, "/etc/passwd", "PST_CAP_LINE");
	pst_scan_free(s);
	assert_within(d, "/etc/passwd");
	th_rmtree(d);
}

/* Slow password hashes (sha512crypt) in more accounts than the slow tries
 * cover, DER key candidates past their cap in a data file (each a SEQUENCE
 * of nine zero INTEGERs: shaped like an RSA key, so it is tried, but no key),
 * and a package version longer than a field keeps; and the same within the
 * caps. */
static void test_try_caps(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && mkdir -p t/etc t/var/lib/dpkg u/etc u/var/lib/dpkg && "
	      "for i in $(seq 1 %u); do "
	      "echo \"u$i:$(openssl passwd -6 -salt s$i pw$i):19000:0:99999:7:::\"; "
	      "done > t/etc/shadow && head -1 t/etc/shadow > u/etc/shadow && "
	      "{ head -c 16 /dev/zero; for i in $(seq 1 %u); do printf '\\060\\033'; "
	      "for j in 1 2 3 4 5 6 7 8 9; do printf '\\002\\001\\000'; done; done; } "
	      "> t/blob.bin && "
	      "head -c 200 t/blob.bin > u/blob.bin && "
	      "printf 'Package: p\\nStatus: install ok installed\\nVersion: 1.%%s\\n\\n' "
	      "\"$(head -c %u /dev/zero | tr '\\0' 9)\" > t/var/lib/dpkg/status && "
	      "printf 'Package: p\\nStatus: install ok installed\\nVersion: 1.0\\n\\n' "
	      "> u/var/lib/dpkg/status",
	      d, PST_CAP_ACCOUNTS_SLOW / 12 + 2, PST_CAP_KEYS_DER_TRIES + 1, PST_CAP_PKG_FIELD);
	s = scan_dir(d, "t");
	assert_cap(s, "/etc/shadow", "PST_CAP_ACCOUNTS_SLOW");
	assert_cap(s, "/blob.bin", "PST_CAP_KEYS_DER_TRIES");
	assert_cap(s, "/var/lib/dpkg/status", "PST_CAP_PKG_FIELD");
	pst_scan_free(s);
	assert_within(d, "/etc/shadow");
	th_rmtree(d);
}

/* No longer caps: all the words of a command are read (the option that
 * makes telnetd a shell comes after 60 others), and a long line of a
 * configuration file is searched whole (a password past its first 4 KiB). */
static void test_stopped_dropping(void **state)
{
	char *d = th_tmpdir(), t[4200];
	struct pst_scan *s;
	const struct pst_finding *f;
	(void)state;
	th_sh("mkdir -p %s/t/etc/init.d %s/t/etc/app && cd %s/t && "
	      "{ echo '#!/bin/sh'; printf 'telnetd'; for i in $(seq 1 60); do printf ' -F'; done; "
	      "echo ' -l /bin/sh'; } > etc/init.d/rcS && chmod +x etc/init.d/rcS && "
	      "{ head -c %u /dev/zero | tr '\\0' ' '; echo 'password=Vend0rS3cretKey'; } "
	      "> etc/app/app.conf", d, d, d, PST_CAP_LINE + 100);
	snprintf(t, sizeof(t), "%s/t", d);
	s = th_scan(t, 2);
	f = th_finding(s, "service.unauthenticated-shell", "/etc/init.d/rcS");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "/bin/sh"));
	assert_non_null(th_finding(s, "secret.hardcoded-password", "/etc/app/app.conf"));
	assert_no_cap(s);
	pst_scan_free(s);
	th_rmtree(d);
}

static void on_warning(void *ctx, enum pst_msg kind, const char *text)
{
	if (kind == PST_MSG_WARNING && strstr(text, "PST_CAP_USER_LIST"))
		(*(unsigned *)ctx)++;
}

/* A user's list file past PST_CAP_USER_LIST is not loaded, with one warning
 * (the user's input: a message, not a finding); a small one loads quietly. */
static void test_user_list_cap(void **state)
{
	char *d = th_tmpdir(), rules[4200], t[4200];
	const char *dirs[2] = { rules, NULL };
	struct pst_options o;
	struct pst_scan *s;
	unsigned heard[2] = { 0, 0 }, k;
	(void)state;
	th_sh("cd %s && mkdir -p big/access small/access && echo hi > t.txt && "
	      "head -c %u /dev/zero | tr '\\0' a > big/access/default-passwords.txt && "
	      "echo admin > small/access/default-passwords.txt", d, PST_CAP_USER_LIST + 1);
	snprintf(t, sizeof(t), "%s/t.txt", d);
	for (k = 0; k < 2; k++) {
		snprintf(rules, sizeof(rules), "%s/%s", d, k ? "small" : "big");
		pst_options_default(&o);
		o.rule_dirs = dirs;
		o.message = on_warning;
		o.message_ctx = &heard[k];
		s = th_scan_opts(t, &o);
		pst_scan_free(s);
	}
	assert_true(heard[0] >= 1);
	/* the lists are loaded once per scan, not once per analyzer */
	assert_int_equal(heard[0], 1);
	assert_int_equal(heard[1], 0);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_program_caps),
		cmocka_unit_test(test_hidden_caps),
		cmocka_unit_test(test_table_caps),
		cmocka_unit_test(test_boot_script_caps),
		cmocka_unit_test(test_deferred_script_cap),
		cmocka_unit_test(test_copy_line_cap),
		cmocka_unit_test(test_account_line_cap),
		cmocka_unit_test(test_try_caps),
		cmocka_unit_test(test_user_list_cap),
		cmocka_unit_test(test_stopped_dropping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
