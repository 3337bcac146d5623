/* test_embedded_scripts.c - issue 14 §4 shape 4: programs that bundle an
 * interpreter with the scripts it runs, and the scripts themselves. Every
 * fixture is built here and never run:
 * - tests/implants/scripts/: worm-shaped Perl modules (Worm::Loader evals a
 *   decrypted hidden dot-file, Worm::Reaper kills rivals found through
 *   /proc/PID/exe, Worm::Command runs ECDSA-signed commands from a C2), a
 *   Lua and a Python bot, and clean counterparts (a checkrestart-like
 *   /proc walker that kills nothing, a config reader, a LuCI-like helper);
 *   on disk the worm's fire script.* rules at high, the clean ones nothing;
 * - tests/implants/embedrt.c, statically linked for i386, x86-64, armel
 *   and mipsel, carrying those sources as strings beside a Perl (or, with
 *   -DLUA, Lua) interpreter's strings: a real static Perl is too long to
 *   build, so the layout is imitated (see the file's comment). Each embedded
 *   module is a child script (/<embedded>/Worm/Reaper.pm) with its own
 *   findings and the verdict is fail; with the clean scripts the modules are
 *   listed and nothing is above low;
 * - tests/tools/mkpyinstaller.py: a PyInstaller layout (CArchive with a
 *   marshalled entry point, a PYZ of modules; or the entry point as source);
 * - Python's zipapp (compressed, after a shebang) and PAR::Packer's layout
 *   (tests/tools/mkpar.py: FILE records, a zip appended to the ELF, the
 *   "\nPAR.pm\n" trailer): members and records come out as scripts;
 * - coverage.partial: a libc-free sh4 program and a dynamic m68k one are
 *   counted as partly analysed and cannot pass unless a waiver accepts it;
 *   the x86-64 build is not counted, nor an sh4 ELF in /lib/firmware/
 *   (another processor's code). */
#include "helpers.h"

static char *dir;

static const struct {
	const char *name, *cc;
} arch[] = {
	{ "i386", "i686-linux-gnu-gcc" },
	{ "x86_64", "gcc" },
	{ "armel", "arm-linux-gnueabi-gcc" },
	{ "mipsel", "mipsel-linux-gnu-gcc" },
};
#define NARCH (sizeof(arch) / sizeof(arch[0]))

#define BARE_FLAGS "-Os -s -nostdlib -static -fno-stack-protector -fno-pic -fno-builtin " \
		   "-fno-tree-loop-distribute-patterns -Wl,-e,_start -Wl,-n -Wl,--build-id=none"

/* embedrt.c built for every architecture with the scripts given as
 * (relative to tests/implants/scripts); out: DIR/<prefix>-<arch>. */
static void build_runtime(const char *prefix, const char *defs, const char *scripts)
{
	const char *src = getenv("SRC");
	size_t i;
	th_sh("mkdir -p %s/%s.h && cd '%s/tests/implants/scripts' && python3 ../../tools/embed_scripts.py "
	      "%s/%s.h/embedded.h %s", dir, prefix, src, dir, prefix, scripts);
	for (i = 0; i < NARCH; i++)
		th_sh("mkdir -p %s/rt && %s -O2 -s -w -static %s -I%s/%s.h -o %s/rt/%s-%s '%s/tests/implants/embedrt.c'",
		      dir, arch[i].cc, defs, dir, prefix, dir, prefix, arch[i].name, src);
}

static int build(void **state)
{
	const char *src = getenv("SRC");
	(void)state;
	dir = th_tmpdir();
	build_runtime("perlworm", "", "Worm/Loader.pm Worm/Reaper.pm Worm/Command.pm");
	build_runtime("luaworm", "-DLUA", "worm.lua");
	build_runtime("perlclean", "", "clean/Config.pm clean/procscan.pl");
	build_runtime("luaclean", "-DLUA", "clean/status.lua");
	th_sh("mkdir -p %s/py && cd '%s/tests/implants/scripts' && gcc -O2 -s -w -o %s/py/stub ../tinyhello.c "
	      BARE_FLAGS " -lgcc && "
	      "python3 ../../tools/mkpyinstaller.py %s/py/stub %s/py/pybot --script bot=bot.py && "
	      "python3 ../../tools/mkpyinstaller.py %s/py/stub %s/py/pybot-src --source --script bot=bot.py && "
	      "python3 ../../tools/mkpyinstaller.py %s/py/stub %s/py/pyworm --script main=clean/hello.py "
	      "--module worm=clean/hello.py --module worm.reaper=worm_reaper.py && "
	      "python3 ../../tools/mkpyinstaller.py %s/py/stub %s/py/pyhello --script hello=clean/hello.py "
	      "--module helper=clean/hello.py --data cfg.json=clean/hello.py",
	      dir, src, dir, dir, dir, dir, dir, dir, dir, dir, dir);
	/* zipapp (compressed members, offsets from the shebang) and PAR's shape */
	th_sh("mkdir -p %s/zip/app/Worm && cd '%s/tests/implants/scripts' && cp Worm/Reaper.pm %s/zip/app/Worm/ && "
	      "cp bot.py %s/zip/app/__main__.py && python3 -m zipapp %s/zip/app -c -o %s/zip/bot.pyz "
	      "-p '/usr/bin/env python3' && (cd %s/zip/app && python3 -m zipfile -c ../par.zip Worm __main__.py) && "
	      "python3 ../../tools/mkpar.py %s/py/stub %s/zip/par.zip %s/zip/parbin Worm/Loader.pm=Worm/Loader.pm && "
	      "rm -rf %s/zip/app %s/zip/par.zip",
	      dir, src, dir, dir, dir, dir, dir, dir, dir, dir, dir, dir);
	th_sh("mkdir -p %s/bare && cd %s/bare && sh4-linux-gnu-gcc " BARE_FLAGS
	      " -o tinyhello-sh4 '%s/tests/implants/tinyhello.c' -lgcc && gcc " BARE_FLAGS
	      " -o tinyhello-x86_64 '%s/tests/implants/tinyhello.c' -lgcc && "
	      "m68k-linux-gnu-gcc -O2 -s -w -o pinger-m68k '%s/tests/implants/pinger.c' && "
	      "mkdir -p lib/firmware && sh4-linux-gnu-gcc -O2 -s -w -o lib/firmware/dsp.elf "
	      "'%s/tests/implants/pinger.c'", dir, dir, src, src, src, src);
	return 0;
}

static int cleanup(void **state)
{
	(void)state;
	th_rmtree(dir);
	return 0;
}

/* The finding rule at a location ending in where is high and its evidence
 * holds want. */
static void expect(const struct pst_scan *s, const char *rule, const char *where, const char *want)
{
	const struct pst_finding *f = th_finding(s, rule, where);
	if (!f || f->severity != PST_SEV_HIGH)
		fail_msg("%s: %s not high", where, rule);
	if (want && (!f->evidence || !strstr(f->evidence, want)))
		fail_msg("%s: %s evidence lacks %s: %s", where, rule, want, f->evidence);
}

static size_t script_findings(const struct pst_scan *s)
{
	size_t n, i, k = 0;
	const struct pst_finding *f = pst_scan_findings(s, &n);
	for (i = 0; i < n; i++)
		if (strncmp(f[i].rule, "script.", 7) == 0)
			k++;
	return k;
}

static void test_scripts_on_disk(void **state)
{
	char path[4200];
	struct pst_scan *s;
	(void)state;
	snprintf(path, sizeof(path), "%s/tests/implants/scripts", getenv("SRC"));
	s = th_scan(path, 2);
	expect(s, "script.hidden-payload-eval", "/Worm/Loader.pm", ".sysupdate");
	expect(s, "script.competitor-kill", "/Worm/Reaper.pm", "/proc/<pid>/exe");
	expect(s, "script.remote-command", "/Worm/Command.pm", "192.0.2.77");
	expect(s, "script.remote-command", "/Worm/Command.pm", "Crypt::PK::ECC");
	expect(s, "script.competitor-kill", "/worm.lua", "(deleted)");
	expect(s, "script.remote-command", "/worm.lua", "popen");
	expect(s, "script.remote-command", "/bot.py", "check_output");
	expect(s, "script.competitor-kill", "/worm_reaper.py", "kill");
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
	pst_scan_free(s);

	/* a /proc/<pid>/exe walker that kills nothing, a dot-file read as
	 * settings, fixed commands: nothing */
	snprintf(path, sizeof(path), "%s/tests/implants/scripts/clean", getenv("SRC"));
	s = th_scan(path, 2);
	assert_int_equal(script_findings(s), 0);
	assert_int_equal(th_count_at_least(s, PST_SEV_MEDIUM), 0);
	pst_scan_free(s);
}

static void test_perl_runtime(void **state)
{
	char path[4200];
	struct pst_scan *s;
	size_t i;
	(void)state;
	snprintf(path, sizeof(path), "%s/rt", dir);
	s = th_scan(path, 2);
	for (i = 0; i < NARCH; i++) {
		char where[128], exe[64];
		const struct pst_node *n;
		snprintf(exe, sizeof(exe), "/perlworm-%s", arch[i].name);
		n = th_node(s, exe);
		/* the program is still an ELF, analysed as one */
		if (!n || n->kind != PST_KIND_ELF || !n->format || strcmp(n->format, "embedded") != 0)
			fail_msg("%s: not an ELF opened by the embedded unpacker", exe);
		snprintf(where, sizeof(where), "%s!/<embedded>/Worm/Loader.pm", exe);
		n = th_node(s, where);
		if (!n || n->kind != PST_KIND_SCRIPT)
			fail_msg("%s: no script child", where);
		expect(s, "script.hidden-payload-eval", where, "eval");
		snprintf(where, sizeof(where), "%s!/<embedded>/Worm/Reaper.pm", exe);
		expect(s, "script.competitor-kill", where, "kill");
		snprintf(where, sizeof(where), "%s!/<embedded>/Worm/Command.pm", exe);
		expect(s, "script.remote-command", where, "signature check");

		snprintf(where, sizeof(where), "/luaworm-%s", arch[i].name);
		n = th_node(s, where);
		if (!n || !n->child || n->child->kind != PST_KIND_SCRIPT ||
		    !strstr(n->child->location, ".lua"))
			fail_msg("%s: no Lua chunk child", where);
		expect(s, "script.competitor-kill", n->child->location, "(deleted)");
		expect(s, "script.remote-command", n->child->location, "192.0.2.78");

		/* clean scripts embedded: listed, nothing above low */
		snprintf(where, sizeof(where), "/perlclean-%s!/<embedded>/Tool/Config.pm", arch[i].name);
		if (!th_node(s, where))
			fail_msg("%s: clean module not listed", where);
		snprintf(where, sizeof(where), "/luaclean-%s", arch[i].name);
		n = th_node(s, where);
		if (!n || !n->child || n->child->kind != PST_KIND_SCRIPT)
			fail_msg("%s: clean Lua chunk not listed", where);
	}
	assert_int_equal(s->cov.unexplained_bytes, 0);
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
	pst_scan_free(s);
}

/* A precompiled Lua chunk ("\033Lua" 5.4) beside a source chunk: a code
 * object node of its own (the fuzz seed, a hand-made 744-byte program). */
static void test_lua_precompiled(void **state)
{
	char path[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	size_t k = 0;
	(void)state;
	snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/embedded/lua", getenv("SRC"));
	s = th_scan(path, 1);
	for (n = pst_scan_root(s); n; n = pst_node_next(n))
		if (th_ends_with(n->location, ".luac")) {
			assert_int_equal(n->kind, PST_KIND_DATA);
			assert_string_equal(n->kind_detail, "lua code object (embedded)");
			k++;
		}
	assert_int_equal(k, 1);
	pst_scan_free(s);
}

/* Only the clean runtimes: no script finding, nothing at medium or more. */
static void test_clean_runtimes(void **state)
{
	char path[4200];
	struct pst_scan *s;
	(void)state;
	snprintf(path, sizeof(path), "%s/clean", dir);
	th_sh("mkdir -p %s && cp %s/rt/perlclean-* %s/rt/luaclean-* %s/", path, dir, dir, path);
	s = th_scan(path, 2);
	assert_true(th_count_nodes(s, "!/<embedded>/") >= 2 * NARCH);
	assert_int_equal(script_findings(s), 0);
	assert_int_equal(th_count_at_least(s, PST_SEV_MEDIUM), 0);
	assert_int_not_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
	pst_scan_free(s);
}

static void test_pyinstaller(void **state)
{
	char path[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	snprintf(path, sizeof(path), "%s/py/pybot", dir);
	s = th_scan(path, 1);
	n = th_node(s, "pybot!/bot.pyc");
	assert_non_null(n);
	assert_string_equal(n->kind_detail, "python code object (embedded)");
	expect(s, "script.remote-command", "pybot!/bot.pyc", "192.0.2.79");
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
	pst_scan_free(s);

	snprintf(path, sizeof(path), "%s/py/pybot-src", dir);
	s = th_scan(path, 1);
	n = th_node(s, "pybot-src!/bot.py");
	assert_non_null(n);
	assert_int_equal(n->kind, PST_KIND_SCRIPT);
	expect(s, "script.remote-command", "pybot-src!/bot.py", "check_output");
	pst_scan_free(s);

	/* a module in the PYZ */
	snprintf(path, sizeof(path), "%s/py/pyworm", dir);
	s = th_scan(path, 1);
	assert_non_null(th_node(s, "pyworm!/PYZ-00.pyz!/worm.pyc"));
	expect(s, "script.competitor-kill", "pyworm!/PYZ-00.pyz!/worm/reaper.pyc", "kill");
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
	pst_scan_free(s);

	/* a harmless one: its entry point, module and data listed, no finding */
	snprintf(path, sizeof(path), "%s/py/pyhello", dir);
	s = th_scan(path, 1);
	assert_non_null(th_node(s, "pyhello!/hello.pyc"));
	assert_non_null(th_node(s, "pyhello!/PYZ-00.pyz!/helper.pyc"));
	assert_non_null(th_node(s, "pyhello!/cfg.json"));
	assert_int_equal(script_findings(s), 0);
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_PASS);
	pst_scan_free(s);
}

static void test_zipapp_par(void **state)
{
	char path[4200];
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	snprintf(path, sizeof(path), "%s/zip", dir);
	s = th_scan(path, 2);
	n = th_node(s, "/bot.pyz!zip@0x0!/__main__.py");
	assert_non_null(n);
	assert_int_equal(n->kind, PST_KIND_SCRIPT);
	expect(s, "script.remote-command", "/bot.pyz!zip@0x0!/__main__.py", "192.0.2.79");
	expect(s, "script.competitor-kill", "/bot.pyz!zip@0x0!/Worm/Reaper.pm", "kill");
	n = th_node(s, "/Worm/Reaper.pm");
	assert_non_null(n);
	expect(s, "script.competitor-kill", "/Worm/Reaper.pm", "kill");
	assert_true(th_count_nodes(s, "/parbin!zip@") >= 3);
	/* PAR's FILE records: the modules the script needs */
	assert_int_equal(th_count_nodes(s, "/parbin!/<par>/"), 1);
	n = th_node(s, "/Worm/Loader.pm");
	assert_non_null(n);
	assert_non_null(strstr(n->location, "/parbin!/<par>/"));
	assert_int_equal(n->kind, PST_KIND_SCRIPT);
	expect(s, "script.hidden-payload-eval", n->location, ".sysupdate");
	assert_int_equal(s->cov.unexplained_bytes, 0);
	pst_scan_free(s);
}

static void test_partial_coverage(void **state)
{
	char path[4200];
	struct pst_scan *s;
	(void)state;
	snprintf(path, sizeof(path), "%s/bare/tinyhello-sh4", dir);
	s = th_scan(path, 1);
	assert_non_null(th_finding(s, "analyze.partial", "tinyhello-sh4"));
	assert_int_equal(s->cov.partial, 1);
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_REVIEW);
	pst_scan_free(s);

	/* a person who examined it otherwise may accept it: then it passes */
	{
		char pol[4200];
		struct pst_options o;
		snprintf(pol, sizeof(pol), "%s/waive-partial.yaml", dir);
		th_sh("printf 'waivers:\n  - rule: analyze.partial\n    location: \"*tinyhello-sh4\"\n"
		      "    justification: \"disassembled by hand\"\n    expires: 2099-12-31\n' > %s", pol);
		pst_options_default(&o);
		o.jobs = 1;
		o.policy_path = pol;
		s = th_scan_opts(path, &o);
		assert_int_equal(s->cov.partial, 1);
		assert_int_equal(pst_scan_verdict(s), PST_VERDICT_PASS);
		pst_scan_free(s);
	}

	/* a dynamic program for m68k: its imports are read, its code is not */
	snprintf(path, sizeof(path), "%s/bare/pinger-m68k", dir);
	s = th_scan(path, 1);
	assert_non_null(th_finding(s, "analyze.partial", "pinger-m68k"));
	assert_int_equal(s->cov.partial, 1);
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_REVIEW);
	pst_scan_free(s);

	/* another processor's firmware is not the host's code: not counted */
	snprintf(path, sizeof(path), "%s/bare/lib", dir);
	s = th_scan(path, 1);
	assert_null(th_finding(s, "analyze.partial", NULL));
	assert_int_equal(s->cov.partial, 0);
	pst_scan_free(s);

	snprintf(path, sizeof(path), "%s/bare/tinyhello-x86_64", dir);
	s = th_scan(path, 1);
	assert_int_equal(s->cov.partial, 0);
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_PASS);
	pst_scan_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scripts_on_disk),
		cmocka_unit_test(test_perl_runtime),
		cmocka_unit_test(test_clean_runtimes),
		cmocka_unit_test(test_lua_precompiled),
		cmocka_unit_test(test_pyinstaller),
		cmocka_unit_test(test_zipapp_par),
		cmocka_unit_test(test_partial_coverage),
	};
	return cmocka_run_group_tests(tests, build, cleanup);
}
