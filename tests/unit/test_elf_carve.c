/* test_elf_carve.c - what an ELF file carries besides its program: an
 * overlay past the bytes its headers, segments and sections account for (a
 * self-extracting installer's archive) and the compressed image inside a
 * self-decompressing kernel are opened; an ordinary program is not searched.
 * What nothing explains in an overlay, an ELF's or a PE program's, is
 * reported.
 * The programs are built here and never executed. */
#include "helpers.h"

/* In d: prog (a dynamic program), k.elf (a static one without libc) and
 * pl.tar.gz, a tar holding etc/passwd with an account that has no password. */
static char *make_parts(void)
{
	char *d = th_tmpdir();
	th_sh("cd %s && printf 'int main(void){return 0;}\\n' > p.c && gcc -O1 -o prog p.c && "
	      "printf 'void _start(void){for(;;);}\\n' > k.c && gcc -O1 -static -nostdlib -o k.elf k.c && "
	      "mkdir -p pl/etc && printf 'root::0:0:root:/root:/bin/sh\\n' > pl/etc/passwd && "
	      "tar -cf pl.tar -C pl etc && gzip -9 -n -k pl.tar", d);
	return d;
}

static char *path_in(const char *d, const char *name)
{
	static char buf[4200];
	snprintf(buf, sizeof(buf), "%s/%s", d, name);
	return buf;
}

/* The passwordless root account is found at loc_prefix...!/etc/passwd. */
static void assert_found_inside(const struct pst_scan *s, const char *loc_prefix)
{
	const struct pst_finding *f = th_finding(s, "account.empty-password", "/etc/passwd");
	if (!f)
		fail_msg("the payload's /etc/passwd was not examined");
	if (strncmp(f->node->location, loc_prefix, strlen(loc_prefix)) != 0)
		fail_msg("found at %s, not inside %s", f->node->location, loc_prefix);
}

/* A program with a gzip'd tar appended (the shape of a self-extracting
 * installer): the overlay is carved and its files examined. */
static void test_overlay_opened(void **state)
{
	char *d = make_parts();
	const struct pst_node *n;
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && cat prog pl.tar.gz > sfx", d);
	s = th_scan(path_in(d, "sfx"), 2);
	n = th_node(s, "sfx");
	assert_non_null(n);
	assert_int_equal(n->kind, PST_KIND_ELF);
	assert_true(n->elf.end > 0 && n->elf.end < n->size);
	assert_found_inside(s, "sfx!gzip@0x");
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
	pst_scan_free(s);
	th_rmtree(d);
}

/* name in d carries a payload whose /etc/passwd is examined inside
 * loc_prefix: nothing unexplained, and the verdict fails. */
static void expect_payload(const char *d, const char *name, const char *loc_prefix)
{
	struct pst_scan *s = th_scan(path_in(d, name), 2);
	assert_found_inside(s, loc_prefix);
	assert_null(th_finding(s, "coverage.unexplained", NULL));
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
	pst_scan_free(s);
}

struct overlay_case {
	const char *name;
	bool reported; /* its overlay's bytes: at least min_bytes, and review */
};

/* Each case in d: its overlay reported as unexplained, or nothing
 * unexplained and a pass. */
static void expect_overlays(const char *d, const struct overlay_case *c, size_t n,
			    uint64_t min_bytes)
{
	size_t i;
	for (i = 0; i < n; i++) {
		struct pst_scan *s = th_scan(path_in(d, c[i].name), 2);
		const struct pst_finding *f = th_finding(s, "coverage.unexplained", c[i].name);
		if (!c[i].reported && f)
			fail_msg("%s: %s", c[i].name, f->message);
		if (c[i].reported && !f)
			fail_msg("%s: its overlay is not reported", c[i].name);
		if (c[i].reported) {
			assert_true(strstr(f->message, "past the end of this program") ||
				    strstr(f->message, "after this file's text"));
			assert_true(pst_scan_coverage(s)->unexplained_bytes >= min_bytes);
			assert_int_equal(pst_scan_verdict(s), PST_VERDICT_REVIEW);
		} else {
			assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 0);
			assert_int_equal(pst_scan_verdict(s), PST_VERDICT_PASS);
		}
		pst_scan_free(s);
	}
}

/* A self-extractor made with "zip -A": the zip's offsets count from the
 * stub's start, so the zip carved out of it sees each one shifted by the
 * stub's size; it is opened all the same (as unzip opens it), its members
 * examined and not reported as hidden. The same zip appended as it is
 * (offsets from its own start) was already opened. */
static void test_overlay_zip_adjusted(void **state)
{
	char *d = make_parts();
	struct pst_scan *s;
	static const char *const names[] = { "sfx-A", "sfx-cat" };
	size_t i;
	(void)state;
	th_sh("cd %s/pl && zip -q -r ../pl.zip etc && cd .. && cat prog pl.zip > sfx-A && "
	      "cp sfx-A sfx-cat && zip -q -A sfx-A", d);
	for (i = 0; i < 2; i++) {
		s = th_scan(path_in(d, names[i]), 2);
		assert_found_inside(s, names[i]);
		assert_true(th_count_nodes(s, "!zip@0x") >= 3);
		assert_null(th_finding(s, "archive.hidden-entry", NULL));
		assert_null(th_finding(s, "coverage.unexplained", NULL));
		assert_int_equal(pst_scan_verdict(s), PST_VERDICT_FAIL);
		pst_scan_free(s);
	}
	th_rmtree(d);
}

/* An overlay nothing opens (a payload a stub decrypts) was not examined:
 * its bytes are reported and the verdict is review. Zero padding is not
 * reported, nor a kernel module's appended signature (a PKCS#7 blob, its
 * length in the struct module_signature after it, then the marker); the
 * same trailer whose length does not fit, that says it is not PKCS#7 or
 * whose blob is no DER SEQUENCE of that length explains nothing; nor an x86
 * kernel's relocation table (tests/tools/mkrelocs.py), unless one of its
 * entries lies outside the program. */
static void test_overlay_unexplained(void **state)
{
	char *d = make_parts();
	static const struct overlay_case cases[] = {
		{ "blob", true }, { "zeros", false }, { "signed", false }, { "badlen", true },
		{ "notpkcs7", true }, { "notder", true }, { "kernel", false },
		{ "kernel-outside", true },
	};
	(void)state;
	/* struct module_signature: algo, hash, id_type, signer and key id
	 * lengths, 3 bytes of padding, the signature's length (700) */
#define MODSIG(id, len) "printf '\\0\\0\\" id "\\0\\0\\0\\0\\0\\0" len "\\2\\274" \
	"~Module signature appended~\\n'"
	/* the signature: a DER SEQUENCE of 696 bytes' content, 700 in all */
	th_sh("cd %s && randbytes 5000 test_elf_carve2 > r && "
	      "printf '\\060\\202\\002\\270' > sig && head -c 696 r >> sig && "
	      "head -c 700 r > nonder && "
	      "cat prog r > blob && cat prog /dev/null > zeros && "
	      "head -c 8192 /dev/zero >> zeros && "
	      "cat prog sig > signed && cp signed badlen && cp signed notpkcs7 && "
	      "cat prog nonder > notder && "
	      MODSIG("2", "\\0") " >> signed && " MODSIG("2", "\\1") " >> badlen && "
	      MODSIG("1", "\\0") " >> notpkcs7 && " MODSIG("2", "\\0") " >> notder && "
	      "mkrelocs.py k.elf kernel && mkrelocs.py k.elf kernel-outside --outside",
	      d);
	expect_overlays(d, cases, sizeof(cases) / sizeof(cases[0]), 300);
	th_rmtree(d);
}

/* A PE program (a Windows installer, an EFI application; tests/tools/mkpe.py) is
 * searched whole; past its headers, section, COFF symbols and certificate
 * table lies its overlay. A zip there is opened; random bytes there, or
 * stuffed into its signature's entry after the PKCS#7 SEQUENCE, or past a
 * certificate table that claims more than the file holds, are reported;
 * zeros are padding. */
static void test_pe_overlay(void **state)
{
	char *d = make_parts();
	static const struct overlay_case cases[] = {
		{ "pe", false },         { "signed", false }, { "zeros", false },
		{ "blob", true },        { "stuffed", true }, { "liar", true },
	};
	(void)state;
	th_sh("cd %s && randbytes 3000 test_elf_carve3 > r && mkpe.py pe && "
	      "mkpe.py signed --cert 1201 --symbols 20 && "
	      "mkpe.py stuffed --cert 1200 --stuff 600 && "
	      "cp signed zeros && head -c 4096 /dev/zero >> zeros && cat signed r > blob && "
	      "mkpe.py liar --cert 1200 && printf '\\377\\377\\0\\0' | "
	      "dd of=liar bs=1 seek=$((0x40 + 24 + 112 + 36)) conv=notrunc 2>/dev/null && "
	      "cat r >> liar && cd pl && zip -q -r ../pl.zip etc && cd .. && "
	      "cat pe pl.zip > inst", d);
	expect_overlays(d, cases, sizeof(cases) / sizeof(cases[0]), 500);
	expect_payload(d, "inst", "inst!zip@0x");
	th_rmtree(d);
}

/* An installer script with its payload appended (makeself's shape, a
 * vendor's .run): searched from the line where binary data begins, its
 * tar.gz opened and examined; random bytes there (a payload the script
 * decrypts) reported. Text that only looks odd stays text: a legacy code
 * page's 0xfe letters, a stray control character, a PDF's binary streams. */
static void test_text_payload(void **state)
{
	char *d = make_parts();
	static const struct overlay_case cases[] = {
		{ "sealed.run", true }, { "latin5.txt", false }, { "stray.txt", false },
		{ "doc.pdf", false },
	};
	(void)state;
	th_sh("cd %s && randbytes 3000 test_elf_carve4 > r && "
	      "printf '#!/bin/sh\\ntail -n +4 \"$0\" | tar xzf - -C /opt\\nexit 0\\n' > head.sh && "
	      "for i in $(seq 300); do echo \"# line $i of the installer's licence text\"; done "
	      ">> head.sh && cat head.sh pl.tar.gz > inst.run && cat head.sh r > sealed.run && "
	      "for i in $(seq 400); do printf 'Ba\\376ka bir sat\\375r, uzun bir metin "
	      "sat\\375r\\375 daha burada yaz\\375lm\\375st\\375r %%d\\n' $i; done "
	      "> latin5.txt && cp latin5.txt stray.txt && "
	      "printf 'x\\001y\\002z\\n' >> stray.txt && "
	      "cat latin5.txt >> stray.txt && printf '%%%%PDF-1.5\\n' > doc.pdf && "
	      "cat latin5.txt r >> doc.pdf", d);
	expect_payload(d, "inst.run", "inst.run!gzip@0x");
	expect_overlays(d, cases, sizeof(cases) / sizeof(cases[0]), 2000);
	th_rmtree(d);
}

/* The program alone, and with a short trailer (a signature's size), has no
 * children: its end is where its section headers end. */
static void test_plain_program_not_searched(void **state)
{
	char *d = make_parts();
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	th_sh("cd %s && cp prog trailer && head -c 40 pl.tar.gz >> trailer", d);
	s = th_scan(path_in(d, "prog"), 2);
	n = th_node(s, "prog");
	assert_int_equal(n->kind, PST_KIND_ELF);
	assert_int_equal(n->elf.end, n->size);
	assert_int_equal(n->nchildren, 0);
	assert_null(th_finding(s, "coverage.unexplained", NULL));
	assert_null(th_finding(s, "coverage.unrecognized", NULL));
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
	s = th_scan(path_in(d, "trailer"), 2);
	assert_int_equal(th_node(s, "trailer")->nchildren, 0);
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

/* A static program that is mostly an xz'd payload in a section (a
 * self-decompressing kernel with its initramfs): the payload is carved, the
 * initramfs' files examined. The same payload next to 1 MiB of zeros (an
 * ordinary static program's density) is not searched. */
static void test_kernel_payload(void **state)
{
	char *d = make_parts();
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	th_sh("cd %s && randbytes 300000 test_elf_carve1 > pl/etc/blob && "
	      "(cd pl && find . | cpio -o -H newc --quiet) | xz -0 > ramfs.xz && "
	      "objcopy --add-section .image=ramfs.xz "
	      "k.elf vmlinuz && head -c 1048576 /dev/zero > zeros && "
	      "objcopy --add-section .image=ramfs.xz "
	      "--add-section .pad=zeros k.elf dense-not", d);
	s = th_scan(path_in(d, "vmlinuz"), 2);
	n = th_node(s, "vmlinuz");
	assert_int_equal(n->kind, PST_KIND_ELF);
	assert_true(n->elf.is_static);
	assert_true(n->entropy >= 7.0);
	assert_found_inside(s, "vmlinuz!xz@0x");
	assert_non_null(th_node(s, "!/data!/etc/blob"));
	assert_null(th_finding(s, "coverage.unexplained", NULL));
	pst_scan_free(s);
	s = th_scan(path_in(d, "dense-not"), 2);
	n = th_node(s, "dense-not");
	assert_true(n->entropy < 7.0);
	assert_int_equal(n->nchildren, 0);
	assert_null(th_finding(s, "account.empty-password", NULL));
	pst_scan_free(s);
	th_rmtree(d);
}

/* A section header table placed past the file's end accounts for no byte
 * that is there: it hides no overlay. */
static void test_lying_headers(void **state)
{
	char *d = make_parts();
	struct pst_scan *s;
	const struct pst_node *n;
	(void)state;
	/* e_shoff of a 64-bit ELF is at 40: point it past the end. */
	th_sh("cd %s && cat prog pl.tar.gz > liar && printf '\\377\\377\\377\\377\\377\\377\\377\\177' | "
	      "dd of=liar bs=1 seek=40 conv=notrunc 2>/dev/null", d);
	s = th_scan(path_in(d, "liar"), 2);
	n = th_node(s, "liar");
	assert_int_equal(n->kind, PST_KIND_ELF);
	assert_true(n->elf.end < n->size);
	assert_found_inside(s, "liar!gzip@0x");
	pst_scan_free(s);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overlay_opened),
		cmocka_unit_test(test_plain_program_not_searched),
		cmocka_unit_test(test_overlay_zip_adjusted),
		cmocka_unit_test(test_overlay_unexplained),
		cmocka_unit_test(test_pe_overlay),
		cmocka_unit_test(test_text_payload),
		cmocka_unit_test(test_kernel_payload),
		cmocka_unit_test(test_lying_headers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
