/*
 * test_sigs.c - other people's signatures (issue 24): public YARA
 * collections' external variables (filename, filepath, extension, filetype,
 * owner) fire on the right file only, inside a squashfs image made here; a
 * rule file that does not compile is reported once, at info, leaves the
 * verdict alone and a policy can raise it; compiled rule files (yarac);
 * include chains (compiled once, cached by every included file's content);
 * a directory of many rule files; ClamAV databases made with sigtool and by
 * hand fire on the right files and stay silent elsewhere, and a scan
 * without --clamav-db never initialises libclamav.
 */
#include <sys/stat.h>
#include "helpers.h"
#include "analyze/yara_ext.h"
#include "analyze/clamav_db.h"

static char *g_tmp;

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

/* A test's working paths: g_tmp/NAME, its rules/ and its target/. */
struct tpaths {
	char dir[4200], rules[4300], target[4300];
};

static void tpaths(struct tpaths *p, const char *name)
{
	snprintf(p->dir, sizeof(p->dir), "%s/%s", g_tmp, name);
	snprintf(p->rules, sizeof(p->rules), "%s/rules", p->dir);
	snprintf(p->target, sizeof(p->target), "%s/target", p->dir);
}

static struct pst_scan *scan_opts(const char *target, const char *rules, const char *clamdb,
				  const char *policy)
{
	struct pst_options o;
	const char *dirs[2] = { rules, NULL };
	pst_options_default(&o);
	o.jobs = 2;
	o.no_rules_pack = true;
	o.rule_dirs = rules ? dirs : NULL;
	o.clamav_db = clamdb;
	o.policy_path = policy;
	return th_scan_opts(target, &o);
}

/* The image: a squashfs whose files all belong to uid 1000 (the image file
 * itself is the host's: root's, at the top, filepath ""); every rule names
 * one file by one variable. */
static void make_image(const char *dir)
{
	th_sh("cd '%s' && rm -rf root && mkdir -p root/www/cgi-bin root/etc root/usr/sbin && "
	      "printf 'backup' > root/etc/shadow.bak && printf 'out.println(1);' > root/www/Index.JSP && "
	      "printf '#!/bin/sh\\necho ok\\n' > root/www/cgi-bin/status && "
	      "printf 'plain' > root/www/.profile && cp /bin/true root/usr/sbin/helper && "
	      "mksquashfs root img.sqfs -quiet -noappend -force-uid 1000 -force-gid 1000 >/dev/null", dir);
}

static void test_without_clamav_db_libclamav_stays_out(void **state)
{
	char target[4200];
	struct pst_scan *s;
	(void)state;
	/* first in this process: nothing before has asked for a database */
	snprintf(target, sizeof(target), "%s/plain", g_tmp);
	th_sh("printf 'nothing here' > '%s'", target);
	s = scan_opts(target, NULL, NULL, NULL);
	assert_false(pst_clamav_initialized());
	assert_false(s->sigs.clamav_loaded);
	assert_null(pst_scan_scratch_dir(s));
	assert_null(th_fact(s, "plain", "signature.clamav"));
	pst_scan_free(s);
}

static void test_external_variables(void **state)
{
	char dir[4200], rules[4300], img[4300];
	struct pst_scan *s;
	const struct pst_finding *f;
	(void)state;
	snprintf(dir, sizeof(dir), "%s/ext", g_tmp);
	snprintf(rules, sizeof(rules), "%s/rules", dir);
	snprintf(img, sizeof(img), "%s/img.sqfs", dir);
	th_sh("mkdir -p '%s'", rules);
	make_image(dir);
	th_sh("cd '%s' && printf '%%s\\n' "
	      "'rule by_filename { condition: filename == \"shadow.bak\" }' "
	      "'rule by_filepath { condition: filepath == \"/www/cgi-bin\" }' "
	      "'rule by_extension { condition: extension == \".jsp\" }' "
	      "'rule by_filetype { condition: filetype == \"ELF\" }' "
	      "'rule by_owner { condition: owner == \"1000\" and filename == \"status\" }' "
	      "'rule root_owned { condition: owner == \"root\" and filepath startswith \"/\" }' "
	      "'rule no_extension { condition: extension == \"\" and filename == \".profile\" }' "
	      "> loki.yar", rules);
	s = scan_opts(img, rules, NULL, NULL);
	assert_non_null(th_finding(s, "signature.loki.by_filename", "!/etc/shadow.bak"));
	assert_int_equal(th_count_rule(s, "signature.loki.by_filename"), 1);
	assert_non_null(th_finding(s, "signature.loki.by_filepath", "!/www/cgi-bin/status"));
	assert_int_equal(th_count_rule(s, "signature.loki.by_filepath"), 1);
	/* the last extension, in lower case */
	assert_non_null(th_finding(s, "signature.loki.by_extension", "!/www/Index.JSP"));
	assert_int_equal(th_count_rule(s, "signature.loki.by_extension"), 1);
	assert_non_null(th_finding(s, "signature.loki.by_filetype", "!/usr/sbin/helper"));
	assert_int_equal(th_count_rule(s, "signature.loki.by_filetype"), 1);
	/* the owner from the squashfs inode */
	assert_non_null(th_finding(s, "signature.loki.by_owner", "!/www/cgi-bin/status"));
	assert_int_equal(th_count_rule(s, "signature.loki.by_owner"), 1);
	assert_int_equal(th_count_rule(s, "signature.loki.root_owned"), 0);
	assert_non_null(th_finding(s, "signature.loki.no_extension", "!/www/.profile"));
	assert_int_equal(th_count_rule(s, "signature.loki.no_extension"), 1);
	assert_int_equal(th_count_rule(s, "signature.rule-error"), 0);
	f = th_finding(s, "signature.loki.by_filename", NULL);
	assert_int_equal(f->severity, PST_SEV_HIGH);
	pst_scan_free(s);
}

static void test_filetype_names(void **state)
{
	struct pst_node n;
	char out[32];
	static const uint8_t mz[] = { 'M', 'Z', 0x90, 0 };
	(void)state;
	memset(&n, 0, sizeof(n));
	n.kind = PST_KIND_DATA;
	pst_yara_ext_filetype(&n, mz, sizeof(mz), out, sizeof(out));
	assert_string_equal(out, "EXE");
	n.kind = PST_KIND_FILESYSTEM;
	n.format = "squashfs";
	pst_yara_ext_filetype(&n, NULL, 0, out, sizeof(out));
	assert_string_equal(out, "SQUASHFS");
	n.kind = PST_KIND_SCRIPT;
	pst_yara_ext_filetype(&n, NULL, 0, out, sizeof(out));
	assert_string_equal(out, "SCRIPT");
	n.kind = PST_KIND_ENTROPY;
	pst_yara_ext_filetype(&n, NULL, 0, out, sizeof(out));
	assert_string_equal(out, "DATA");
}

/* One broken file among good ones: one info finding, the same verdict as
 * without it; a policy that raises the rule makes the scan a review. */
static void test_rule_error_once_at_info(void **state)
{
	struct tpaths tp;
	char policy[4300];
	struct pst_scan *s;
	const struct pst_finding *f;
	enum pst_verdict clean;
	(void)state;
	tpaths(&tp, "broken");
	snprintf(policy, sizeof(policy), "%s/raise.yaml", tp.dir);
	th_sh("mkdir -p '%s' '%s' && printf 'just text\\n' > '%s/readme.txt'", tp.rules, tp.target,
	      tp.target);
	th_sh("printf 'rule fine { strings: $a = \"NOT-HERE-4411\" condition: $a }\\n' > '%s/good.yar'",
	      tp.rules);
	s = scan_opts(tp.target, tp.rules, NULL, NULL);
	clean = pst_scan_verdict(s);
	pst_scan_free(s);

	th_sh("printf 'rule md5_only { condition: md5 == \"x\" }\\n' > '%s/needs_md5.yar'", tp.rules);
	s = scan_opts(tp.target, tp.rules, NULL, NULL);
	assert_int_equal(th_count_rule(s, "signature.rule-error"), 1);
	f = th_finding(s, "signature.rule-error", NULL);
	assert_int_equal(f->severity, PST_SEV_INFO);
	assert_non_null(strstr(f->message, "needs_md5.yar"));
	assert_non_null(strstr(f->message, "md5"));
	assert_int_equal(pst_scan_verdict(s), clean);
	pst_scan_free(s);

	th_sh("printf 'name: raise\\nfail: high\\nreview: medium\\ncoverage: review\\n"
	      "severity:\\n  signature.rule-error: medium\\nwaivers: []\\n' > '%s'", policy);
	s = scan_opts(tp.target, tp.rules, NULL, policy);
	f = th_finding(s, "signature.rule-error", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_MEDIUM);
	assert_int_equal(f->declared_severity, PST_SEV_INFO);
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_REVIEW);
	assert_int_not_equal(clean, PST_VERDICT_REVIEW);
	pst_scan_free(s);

	/* the built-in strict policy raises it to low */
	s = scan_opts(tp.target, tp.rules, NULL, "strict");
	f = th_finding(s, "signature.rule-error", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_LOW);
	pst_scan_free(s);
}

/* yarac output is loaded as a set of its own, in its file's namespace; one
 * of another format is a rule error, not a crash. */
static void test_compiled_rules(void **state)
{
	struct tpaths tp;
	struct pst_scan *s;
	(void)state;
	tpaths(&tp, "compiled");
	th_sh("mkdir -p '%s' '%s' && cd '%s' && "
	      "printf 'rule precompiled { strings: $a = \"PRECOMPILED-7731\" condition: $a and filename == \"hit.bin\" }\\n' > src.yar && "
	      "yarac -d filename=x src.yar '%s/vendor-set.yarc' && "
	      "printf 'xx PRECOMPILED-7731 yy' > '%s/hit.bin' && printf 'xx PRECOMPILED-7731 yy' > '%s/other.bin' && "
	      "printf 'nothing' > '%s/clean.bin' && printf 'YARA\\x01\\x02garbage' > '%s/broken.yarc'",
	      tp.rules, tp.target, tp.dir, tp.rules, tp.target, tp.target, tp.target, tp.rules);
	s = scan_opts(tp.target, tp.rules, NULL, NULL);
	assert_non_null(th_finding(s, "signature.vendor_set.precompiled", "/hit.bin"));
	assert_int_equal(th_count_rule(s, "signature.vendor_set.precompiled"), 1);
	assert_int_equal(th_count_rule(s, "signature.rule-error"), 1);
	assert_non_null(strstr(th_finding(s, "signature.rule-error", NULL)->message, "broken.yarc"));
	assert_int_equal(s->sigs.yara_rules, 1);
	pst_scan_free(s);
}

/* index.yar includes sub/part.yar, which includes deeper/leaf.yar: every
 * rule runs once, in the index's namespace; the parts are not compiled again
 * on their own; editing the leaf misses the cache. */
static void test_include_chain(void **state)
{
	struct tpaths tp;
	struct pst_scan *s;
	(void)state;
	tpaths(&tp, "incl");
	th_sh("mkdir -p '%s/sub/deeper' '%s' && cd '%s' && "
	      "printf 'include \"sub/part.yar\"\\nrule top { strings: $a = \"TOP-MARK\" condition: $a }\\n' > index.yar && "
	      "printf 'include \"deeper/leaf.yar\"\\nrule part { strings: $a = \"PART-MARK\" condition: $a }\\n' > sub/part.yar && "
	      "printf 'rule leaf { strings: $a = \"LEAF-MARK\" condition: $a }\\n' > sub/deeper/leaf.yar && "
	      "printf 'TOP-MARK PART-MARK LEAF-MARK' > '%s/all' && printf 'LEAF-MARX' > '%s/none'",
	      tp.rules, tp.target, tp.rules, tp.target, tp.target);
	s = scan_opts(tp.target, tp.rules, NULL, NULL);
	assert_non_null(th_finding(s, "signature.index.top", "/all"));
	assert_non_null(th_finding(s, "signature.index.part", "/all"));
	assert_non_null(th_finding(s, "signature.index.leaf", "/all"));
	assert_int_equal(th_count_rule(s, "signature.index.leaf"), 1);
	assert_int_equal(th_count_rule(s, "signature.part.part"), 0);
	assert_int_equal(th_count_rule(s, "signature.leaf.leaf"), 0);
	assert_int_equal(th_count_rule(s, "signature.rule-error"), 0);
	assert_int_equal(s->sigs.yara_rules, 3);
	pst_scan_free(s);

	s = scan_opts(tp.target, tp.rules, NULL, NULL);
	assert_true(s->sigs.yara_from_cache);
	pst_scan_free(s);

	th_sh("sed -i 's/LEAF-MARK/LEAF-MARX/' '%s/sub/deeper/leaf.yar'", tp.rules);
	s = scan_opts(tp.target, tp.rules, NULL, NULL);
	assert_false(s->sigs.yara_from_cache);
	assert_non_null(th_finding(s, "signature.index.leaf", "/none"));
	assert_null(th_finding(s, "signature.index.leaf", "/all"));
	pst_scan_free(s);
}

/* A collection-sized directory: 400 files in nested directories, .yar and
 * .yara, all compiled, the count in the run facts. */
static void test_many_rule_files(void **state)
{
	struct tpaths tp;
	struct pst_scan *s;
	(void)state;
	tpaths(&tp, "many");
	th_sh("mkdir -p '%s' && cd '%s' && for d in $(seq 0 19); do mkdir -p apt_$d; "
	      "for i in $(seq 0 19); do n=$((d * 20 + i)); ext=yar; [ $((n %% 2)) = 1 ] && ext=yara; "
	      "printf 'rule r%%d_a { strings: $a = \"MARK-%%d-A\" wide nocase condition: $a }\\n"
	      "rule r%%d_b { strings: $a = { 4D 41 52 4B [1-4] 2D %%02X } condition: $a and filesize < 1MB }\\n' "
	      "$n $n $n $((n %% 256)) > apt_$d/f$n.$ext; done; done", tp.rules, tp.rules);
	th_sh("mkdir -p '%s' && printf 'mark-377-a' | iconv -f ascii -t utf-16le > '%s/wide'", tp.target,
	      tp.target);
	s = scan_opts(tp.target, tp.rules, NULL, NULL);
	assert_int_equal(s->sigs.yara_files, 400);
	assert_int_equal(s->sigs.yara_rules, 800);
	assert_non_null(th_finding(s, "signature.f377.r377_a", "/wide"));
	assert_int_equal(th_count_rule(s, "signature.rule-error"), 0);
	assert_true(s->sigs.yara_compile_seconds > 0);
	pst_scan_free(s);
}

/* Databases made here: a SHA-256 (.hsb) and an MD5 (.hdb) hash signature by
 * sigtool, a body signature (.ndb) and a logical signature (.ldb) by hand;
 * each fires on its file inside a squashfs image and nowhere else. */
static void test_clamav(void **state)
{
	char dir[4200], db[4300], img[4300];
	struct pst_scan *s;
	const struct pst_finding *f;
	(void)state;
	if (!pst_clamav_available())
		skip();
	snprintf(dir, sizeof(dir), "%s/clam", g_tmp);
	snprintf(db, sizeof(db), "%s/db", dir);
	snprintf(img, sizeof(img), "%s/img.sqfs", dir);
	th_sh("mkdir -p '%s' && cd '%s' && rm -rf root && mkdir -p root/bin root/etc root/www && "
	      "head -c 4096 /bin/true > root/bin/dropper && cp /bin/ls root/bin/ls && "
	      "(head -c 3000 /dev/zero | tr '\\0' a; printf 'X-IMPLANT-BODY-9913'; head -c 3000 /dev/zero | tr '\\0' b) > root/www/panel.cgi && "
	      "(head -c 2000 /dev/zero | tr '\\0' c; printf 'beacon.example.invalid'; head -c 100 /dev/zero | tr '\\0' d; printf 'knock-knock-31337') > root/etc/agent.conf && "
	      "printf 'beacon.example.invalid only' > root/etc/half.conf && "
	      "head -c 4096 /bin/sh > root/bin/other && "
	      "mksquashfs root img.sqfs -quiet -noappend >/dev/null && "
	      "sigtool --sha256 root/bin/dropper > db/lab.hsb && sigtool --md5 root/bin/ls > db/lab.hdb && "
	      "printf 'Lab.Body.Implant:0:*:%%s\\n' $(printf 'X-IMPLANT-BODY-9913' | xxd -p) > db/lab.ndb && "
	      "printf 'Lab.Logical.Agent;Engine:51-255,Target:0;0&1;%%s;%%s\\n' "
	      "$(printf 'beacon.example.invalid' | xxd -p) $(printf 'knock-knock-31337' | xxd -p) > db/lab.ldb",
	      db, dir);
	s = scan_opts(img, NULL, db, NULL);
	/* all four are served by postern itself (clamav_db.c) */
	assert_false(pst_clamav_initialized());
	assert_true(s->sigs.clamav_loaded);
	assert_int_equal(s->sigs.clamav_signatures, 4);
	f = th_finding(s, "signature.clamav", "!/bin/dropper");
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_HIGH);
	assert_non_null(strstr(f->evidence, "dropper"));
	assert_non_null(th_finding(s, "signature.clamav", "!/bin/ls"));
	f = th_finding(s, "signature.clamav", "!/www/panel.cgi");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "Lab.Body.Implant"));
	f = th_finding(s, "signature.clamav", "!/etc/agent.conf");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "Lab.Logical.Agent"));
	/* four files, nothing else: not the image, not half.conf, not other */
	assert_int_equal(th_count_rule(s, "signature.clamav"), 4);
	assert_int_equal(th_count_rule(s, "signature.scan-incomplete"), 0);
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
	pst_scan_free(s);
}

/* The translation of ClamAV hex signatures into YARA hex strings: each
 * wildcard kind, and what is left to libclamav (false). */
static void test_clamav_hex_translation(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "414243444546", "41 42 43 44 45 46 " },
		{ "414243??4445", "41 42 43 ?? 44 45 " },
		{ "4142433?a?44", "41 42 43 3? a? 44 " },
		{ "414243?14445", "41 42 43 ?1 44 45 " },
		{ "414243*444546", "41 42 43 [-] 44 45 46 " },
		{ "414243{3}444546", "41 42 43 [3-3] 44 45 46 " },
		{ "414243{-3}444546", "41 42 43 [0-3] 44 45 46 " },
		{ "414243{3-}444546", "41 42 43 [3-] 44 45 46 " },
		{ "414243{2-5}444546", "41 42 43 [2-5] 44 45 46 " },
		{ "414243(44|4546)47", "41 42 43 ( 44 | 45 46 ) 47 " },
		/* left to libclamav */
		{ "414243!(44|45)46", NULL },      /* negated alternative */
		{ "414243(B)444546", NULL },       /* word boundary anchor */
		{ "414243[1-2]444546", NULL },     /* ClamAV's restricted jump */
		{ "414243(4?|45)46", NULL },       /* wildcard inside an alternative */
		{ "*414243", NULL },               /* a jump first */
		{ "414243{1}", NULL },             /* a jump last */
		{ "414243*{1}444546", NULL },      /* two jumps in a row */
		{ "414243{5-2}444546", NULL },     /* empty range */
		{ "414243{0-2000000}444546", NULL }, /* past the translated bound */
		{ "4142??4344??45", NULL },        /* no run of three fixed bytes */
		{ "41424", NULL },                 /* half a byte */
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pst_str s;
		bool ok;
		pst_str_init(&s, 4096);
		ok = pst_clamdb_hex_to_yara(cases[i].in, &s);
		if (cases[i].out) {
			assert_true(ok);
			assert_string_equal(s.p, cases[i].out);
		} else {
			assert_false(ok);
		}
		pst_str_free(&s);
	}
}

/* A ClamAV test's paths: g_tmp/NAME, its db/ and its img.sqfs. */
struct cpaths {
	char dir[4200], db[4300], img[4300];
};

static void cpaths(struct cpaths *c, const char *name)
{
	snprintf(c->dir, sizeof(c->dir), "%s/%s", g_tmp, name);
	snprintf(c->db, sizeof(c->db), "%s/db", c->dir);
	snprintf(c->img, sizeof(c->img), "%s/img.sqfs", c->dir);
}

/* The fixture of the translated and the left signatures: for each, a file
 * it must fire on (hit-*) and a near miss it must not fire on (miss-*). */
static void make_clam_fixture(const char *dir)
{
	th_sh("mkdir -p '%s' && cd '%s' && rm -rf root db && mkdir -p root/t db && cd root/t && "
	      "printf 'ABCzDEF' > hit-wild && printf 'ABCzzDEF' > miss-wild && "
	      "printf 'JKL5aMN' > hit-nibble && printf 'JKL5bMN' > miss-nibble && "
	      "printf 'PQR-------STU' > hit-star && printf 'STU-------PQR' > miss-star && "
	      "printf 'abc123xyx' > hit-fixed && printf 'abc12xyx' > miss-fixed && "
	      "printf 'klm1nop' > hit-upto && printf 'klm123nop' > miss-upto && "
	      "printf 'rst12345uvw' > hit-atleast && printf 'rst12uvw' > miss-atleast && "
	      "printf 'ghi12jkl' > hit-range && printf 'ghi1234jkl' > miss-range && "
	      "printf 'wxy22zz' > hit-alt && printf 'wxy3zz' > miss-alt && "
	      "printf '1234OFFS4T' > hit-at && printf '123OFFS4T' > miss-at && "
	      "printf '12345RANGE9' > hit-in && printf '123456RANGE9' > miss-in && "
	      "printf 'xxxxTAIL42' > hit-eof && printf 'xxxxTAIL42.' > miss-eof && "
	      "(head -c 2048 /bin/true; printf 'ELFONLY7') > hit-elf && printf 'ELFONLY7' > miss-elf && "
	      "printf 'ORB2 ORC3' > hit-logic && printf 'ORA1 ORB2' > miss-logic && "
	      "printf 'sha1 of this file' > hit-sha1 && printf 'sha1 of this filE' > miss-sha1 && "
	      "printf 'xx abcdef yy' > hit-nocase && printf 'xx abcde yy' > miss-nocase && "
	      "(printf BIGJUMP1; head -c 3000 /dev/zero; printf BIGJUMP2) > hit-bigjump && "
	      "printf 'BIGJUMP2 BIGJUMP1' > miss-bigjump && "
	      "printf 'any size, by sha1' > hit-anysize && printf 'any size, by sha2' > miss-anysize && "
	      "printf 'tiny5' > miss-tiny && "
	      "cd ../.. && mksquashfs root img.sqfs -quiet -noappend >/dev/null && "
	      "h() { printf '%%s' \"$1\" | xxd -p | tr -d '\\n'; } && "
	      "{ echo \"T.Wild:0:*:$(h ABC)??$(h DEF)\"; echo \"T.Nibble:0:*:$(h JKL)3??1$(h MN)\"; "
	      "echo \"T.Star:0:*:$(h PQR)*$(h STU)\"; echo \"T.Fixed:0:*:$(h abc){3}$(h xyx)\"; "
	      "echo \"T.Upto:0:*:$(h klm){-2}$(h nop)\"; echo \"T.Atleast:0:*:$(h rst){4-}$(h uvw)\"; "
	      "echo \"T.Range:0:*:$(h ghi){2-3}$(h jkl)\"; echo \"T.Alt:0:*:$(h wxy)(31|3232)$(h zz)\"; "
	      "echo \"T.At:0:4:$(h OFFS4T)\"; echo \"T.In:0:2,3:$(h RANGE9)\"; "
	      "echo \"T.Eof:0:EOF-6:$(h TAIL42)\"; echo \"T.Elf:6:*:$(h ELFONLY7)\"; "
	      "echo \"L.BigJump:0:*:$(h BIGJUMP1){0-2000000}$(h BIGJUMP2)\"; "
	      "echo \"L.EntryPoint:1:EP+0:$(h ELFONLY7)\"; } > db/t.ndb && "
	      "{ echo \"T.Logic;Engine:51-255,Target:0;(0|1)&2;$(h ORA1);$(h ORB2);$(h ORC3)\"; "
	      "echo \"L.Nocase;Engine:81-255,Target:0;0;$(h ABCDEF)::i\"; } > db/t.ldb && "
	      "sigtool --sha1 root/t/hit-sha1 > db/t.hsb && sigtool --md5 root/t/miss-tiny > db/t.hdb && "
	      "sigtool --sha1 root/t/hit-anysize | sed 's/:[0-9]*:/:*:/; s/$/:73/' >> db/t.hsb",
	      dir, dir);
}

/* Which hit and miss files a scan reported, as "file=Name" lines. */
static void clam_hits(const struct pst_scan *s, char *out, size_t len)
{
	size_t n, i;
	const struct pst_finding *f = pst_scan_findings(s, &n);
	out[0] = 0;
	for (i = 0; i < n; i++) {
		const char *slash;
		if (strcmp(f[i].rule, "signature.clamav") != 0 || !f[i].node)
			continue;
		slash = strrchr(f[i].node->location, '/');
		snprintf(out + strlen(out), len - strlen(out), "%s=%s\n", slash ? slash + 1 :
			 f[i].node->location, f[i].evidence ? f[i].evidence : "");
	}
}

static const char clam_want[] =
	"hit-alt=T.Alt.UNOFFICIAL\nhit-anysize=hit-anysize.UNOFFICIAL\n"
	"hit-at=T.At.UNOFFICIAL\nhit-atleast=T.Atleast.UNOFFICIAL\n"
	"hit-bigjump=L.BigJump.UNOFFICIAL\nhit-elf=T.Elf.UNOFFICIAL\nhit-eof=T.Eof.UNOFFICIAL\n"
	"hit-fixed=T.Fixed.UNOFFICIAL\nhit-in=T.In.UNOFFICIAL\nhit-logic=T.Logic.UNOFFICIAL\n"
	"hit-nibble=T.Nibble.UNOFFICIAL\nhit-nocase=L.Nocase.UNOFFICIAL\n"
	"hit-range=T.Range.UNOFFICIAL\nhit-sha1=hit-sha1.UNOFFICIAL\nhit-star=T.Star.UNOFFICIAL\n"
	"hit-upto=T.Upto.UNOFFICIAL\nhit-wild=T.Wild.UNOFFICIAL\n";

/* Each translated signature fires on its hit file only; the untranslatable
 * ones (L.*, the any-size hash) are still found, by libclamav; a hash
 * signature of a 5-byte file does not fire (libclamav skips files that
 * small, and the split keeps that); and a loose
 * ignore list, which sends the whole database to libclamav as before,
 * finds the same but for the ELF-only signature. */
static void test_clamav_split_same_as_libclamav(void **state)
{
	struct cpaths c;
	char split[2048], whole[2048], *p;
	struct pst_scan *s;
	(void)state;
	if (!pst_clamav_available())
		skip();
	cpaths(&c, "clamsplit");
	make_clam_fixture(c.dir);
	s = scan_opts(c.img, NULL, c.db, NULL);
	assert_int_equal(s->sigs.clamav_signatures, 19);
	assert_int_equal(s->sigs.clamav_hash, 2);
	assert_int_equal(s->sigs.clamav_yara, 13);
	/* a jump past the bound, a modifier, a hash of any size, a PE entry point */
	assert_int_equal(s->sigs.clamav_libclamav, 4);
	clam_hits(s, split, sizeof(split));
	pst_scan_free(s);
	assert_string_equal(split, clam_want);
	assert_true(pst_clamav_initialized()); /* the L.* signatures need it */

	th_sh("echo No.Such.Signature > '%s/none.ign2'", c.db);
	s = scan_opts(c.img, NULL, c.db, NULL);
	clam_hits(s, whole, sizeof(whole));
	pst_scan_free(s);
	/* one difference, on purpose: libclamav with its parsers off never
	 * applies a target-type-6 (ELF) signature, where clamscan does; the
	 * translation applies it to files that start with ELF's magic */
	p = strstr(split, "hit-elf=");
	assert_non_null(p);
	memmove(p, strchr(p, '\n') + 1, strlen(strchr(p, '\n') + 1) + 1);
	assert_string_equal(whole, split);
}

/* With nothing left for libclamav, libclamav is not even initialised. */
static void test_clamav_translated_only(void **state)
{
	struct cpaths c;
	char got[2048];
	struct pst_scan *s;
	(void)state;
	if (!pst_clamav_available())
		skip();
	cpaths(&c, "clamyara");
	make_clam_fixture(c.dir);
	th_sh("cd '%s' && grep -v '^L\\.' t.ndb > x && mv x t.ndb && grep -v '^L\\.' t.ldb > x && "
	      "mv x t.ldb && head -1 t.hsb > x && mv x t.hsb", c.db);
	s = scan_opts(c.img, NULL, c.db, NULL);
	assert_false(pst_clamav_initialized());
	assert_true(s->sigs.clamav_loaded);
	assert_int_equal(s->sigs.clamav_signatures, 15);
	assert_int_equal(s->sigs.clamav_libclamav, 0);
	clam_hits(s, got, sizeof(got));
	assert_string_equal(got, "hit-alt=T.Alt.UNOFFICIAL\nhit-at=T.At.UNOFFICIAL\n"
			    "hit-atleast=T.Atleast.UNOFFICIAL\nhit-elf=T.Elf.UNOFFICIAL\n"
			    "hit-eof=T.Eof.UNOFFICIAL\nhit-fixed=T.Fixed.UNOFFICIAL\n"
			    "hit-in=T.In.UNOFFICIAL\nhit-logic=T.Logic.UNOFFICIAL\n"
			    "hit-nibble=T.Nibble.UNOFFICIAL\nhit-range=T.Range.UNOFFICIAL\n"
			    "hit-sha1=hit-sha1.UNOFFICIAL\nhit-star=T.Star.UNOFFICIAL\n"
			    "hit-upto=T.Upto.UNOFFICIAL\nhit-wild=T.Wild.UNOFFICIAL\n");
	pst_scan_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* first: no test before it may have loaded libclamav */
		cmocka_unit_test(test_without_clamav_db_libclamav_stays_out),
		cmocka_unit_test(test_external_variables),
		cmocka_unit_test(test_filetype_names),
		cmocka_unit_test(test_rule_error_once_at_info),
		cmocka_unit_test(test_compiled_rules),
		cmocka_unit_test(test_include_chain),
		cmocka_unit_test(test_many_rule_files),
		cmocka_unit_test(test_clamav_hex_translation),
		/* these two before any test that loads libclamav */
		cmocka_unit_test(test_clamav),
		cmocka_unit_test(test_clamav_translated_only),
		cmocka_unit_test(test_clamav_split_same_as_libclamav),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
