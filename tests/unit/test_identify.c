/* test_identify.c - data known for what it is counts as examined; the same
 * bytes without what identifies them are reported as unidentified (issue
 * 13). Each identified kind is made here the way its tools write it, next
 * to a near miss that must stay unidentified. */
#include "helpers.h"

/* The same 64 KiB of keystream behind every header, so that what decides
 * is the identification, not the content. */
#define KEYSTREAM                                                                              \
	"openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f "                \
	"-iv 0f0e0d0c0b0a09080706050403020100 < /dev/zero 2>/dev/null | head -c 65536 > ks && "

/* A PNG with a real IHDR and the keystream as its IDAT (CRCs right). */
#define PNG_PY                                                                                 \
	"python3 -c \"import struct,zlib,sys\n"                                                \
	"def ch(t,d): return struct.pack('>I',len(d))+t+d+struct.pack('>I',zlib.crc32(t+d))\n" \
	"ks=open('ks','rb').read()\n"                                                          \
	"sys.stdout.buffer.write(b'\\x89PNG\\r\\n\\x1a\\n'+ch(b'IHDR',struct.pack('>IIBBBBB',256,256,8,2,0,0,0))+ch(b'IDAT',ks)+ch(b'IEND',b''))\" "

static const struct {
	const char *path;    /* in the tree */
	const char *make;    /* shell, in the tree's directory, ks there */
	const char *detail;  /* expected identification, NULL: unidentified */
} cases[] = {
	{ "/www/logo.png", PNG_PY "> www/logo.png", "PNG image" },
	{ "/www/logo-no-header.png", "cp ks www/logo-no-header.png", NULL },
	/* a picture's header in front of other bytes is not a picture */
	{ "/www/logo-bad-crc.png", PNG_PY "| python3 -c \"import sys; b=bytearray(sys.stdin.buffer.read()); "
	  "b[40]^=1; sys.stdout.buffer.write(b)\" > www/logo-bad-crc.png", NULL },
	{ "/lib/firmware/ath9k_htc/htc_9271.fw", "cp ks lib/firmware/ath9k_htc/htc_9271.fw",
	  "device firmware (driver-loaded blob)" },
	{ "/usr/lib/payload.bin", "cp ks usr/lib/payload.bin", NULL },
	{ "/usr/share/keyrings/vendor.gpg",
	  "cp /usr/share/keyrings/debian-archive-keyring.gpg usr/share/keyrings/vendor.gpg",
	  "OpenPGP key or signature" },
	{ "/usr/share/keyrings/fake.gpg", "{ printf '\\231\\377\\377\\004'; cat ks; } > usr/share/keyrings/fake.gpg",
	  NULL },
	{ "/boot/kernel.img",
	  "{ printf 'Linux version 5.10.0-28-mips (debian-kernel@lists.debian.org) (gcc 12) #1\\n'; cat ks; } > boot/kernel.img",
	  "Linux kernel image" },
	{ "/boot/notes.bin", "{ printf 'Linux version unknown\\n'; cat ks; } > boot/notes.bin", NULL },
};

static void test_identified_and_not(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	size_t i, unidentified = 0;
	(void)state;
	th_sh("cd %s && mkdir -p t/www t/lib/firmware/ath9k_htc t/usr/lib t/usr/share/keyrings t/boot && "
	      "cd t && " KEYSTREAM "true", d);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		th_sh("cd %s/t && %s", d, cases[i].make);
	th_sh("rm %s/t/ks", d);
	{
		char path[4200];
		snprintf(path, sizeof(path), "%s/t", d);
		s = th_scan(path, 2);
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pst_node *n = th_node(s, cases[i].path);
		const struct pst_finding *f = th_finding(s, "coverage.unidentified", cases[i].path);
		if (!n)
			fail_msg("%s: not in the tree", cases[i].path);
		if (cases[i].detail) {
			if (!n->kind_detail || strcmp(n->kind_detail, cases[i].detail) != 0)
				fail_msg("%s: detail %s, want %s", cases[i].path,
					 n->kind_detail ? n->kind_detail : "(none)", cases[i].detail);
			if (f)
				fail_msg("%s: identified but reported unidentified", cases[i].path);
		} else {
			if (!f)
				fail_msg("%s: unidentified high-entropy data not reported", cases[i].path);
			unidentified++;
		}
	}
	assert_int_equal(pst_scan_coverage(s)->unidentified, unidentified);
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_REVIEW);
	pst_scan_free(s);
	th_rmtree(d);
}

/* Only the identified ones: nothing holds the verdict. */
static void test_identified_only_pass(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_scan *s;
	size_t i;
	(void)state;
	th_sh("cd %s && mkdir -p t/www t/lib/firmware/ath9k_htc t/usr/share/keyrings t/boot && "
	      "cd t && " KEYSTREAM "true", d);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (cases[i].detail)
			th_sh("cd %s/t && %s", d, cases[i].make);
	th_sh("rm %s/t/ks", d);
	snprintf(path, sizeof(path), "%s/t", d);
	s = th_scan(path, 2);
	assert_int_equal(pst_scan_coverage(s)->unidentified, 0);
	assert_null(th_finding(s, "coverage.unidentified", NULL));
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_PASS);
	pst_scan_free(s);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identified_and_not),
		cmocka_unit_test(test_identified_only_pass),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
