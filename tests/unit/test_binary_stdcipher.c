/* test_binary_stdcipher.c - weak ciphers a standard protocol negotiates
 * (pst_crypto_standard_use in src/analyze/crypto.c): programs of our own,
 * compiled at test time for x86-64 and mipsel (never executed), shaped like
 * an SSH server that offers 3des-cbc beside AES and like an 802.11 daemon
 * whose WEP/TKIP code runs RC4, get crypto.weak-cipher-network and
 * crypto.rc4-hidden at low; the same code without the strong cipher or
 * without the protocol's names (an implant's shape) stays medium. */
#include "helpers.h"

static const char *const ccs[] = { "gcc", "mipsel-linux-gnu-gcc" };
#define NCC (sizeof(ccs) / sizeof(ccs[0]))

/* Tables and code the variants share: the DES S1 box and the AES S-box's
 * first row (FIPS 46-3, FIPS 197), an RC4 key schedule; static, so a
 * variant that does not use one does not carry it. */
#define COMMON                                                                                  \
	"#include <stdio.h>\n#include <unistd.h>\n#include <sys/socket.h>\n"                    \
	"static const unsigned char des_s1[16]={14,4,13,1,2,15,11,8,3,10,6,12,5,9,0,7};\n"              \
	"static const unsigned char aes_sbox[16]={0x63,0x7c,0x77,0x7b,0xf2,0x6b,0x6f,0xc5,"            \
	"0x30,0x01,0x67,0x2b,0xfe,0xd7,0xab,0x76};\n"                                             \
	"static void ks(unsigned char *s, const unsigned char *k, unsigned n)\n"                 \
	"{ unsigned i, j = 0; unsigned char t;\n"                                                \
	"  for (i = 0; i < 256; i++) s[i] = (unsigned char)i;\n"                                 \
	"  for (i = 0; i < 256; i++) { t = s[i]; j = (j + t + k[i %% n]) & 255;"               \
	" s[i] = s[j]; s[j] = t; } }\n"

/* name, -D flags, what the program is */
static const struct {
	const char *name, *defs;
} progs[] = {
	/* SSH server offering 3des-cbc beside aes128-ctr */
	{ "sshd-3des", "-DDAEMON -DDES -DAES -DNAMES='\"SSH-2.0-tiny_1.0\",\"aes128-ctr\",\"3des-cbc\"'" },
	/* the same daemon and DES, but no cipher list: a DES-keyed back channel */
	{ "desd-aes", "-DDAEMON -DDES -DAES -DNAMES='\"hello\"'" },
	/* 802.11 daemon: RC4 for WEP/TKIP, AES for CCMP */
	{ "wifid", "-DRC4 -DAES -DNAMES='\"CCMP TKIP WEP104 WEP40\",\"invalid WEP key\"'" },
	/* 802.11 names but no strong cipher beside RC4 */
	{ "wifid-noaes", "-DRC4 -DNAMES='\"CCMP TKIP WEP104 WEP40\",\"invalid WEP key\"'" },
	/* RC4 and AES, nothing that names a protocol using RC4 */
	{ "c2-aes", "-DRC4 -DAES -DNAMES='\"beacon\"'" },
};
#define NPROGS (sizeof(progs) / sizeof(progs[0]))

static void build(const char *d)
{
	size_t c, i;
	th_sh("cd %s && cat > p.c <<'EOF'\n" COMMON
	      "static const char *const names[] = { NAMES };\n"
	      "int main(int argc, char **argv) { unsigned char s[256], b[64]; int fd = socket(2, 1, 0);\n"
	      "  ssize_t n = read(0, b, 64); (void)argv;\n"
	      "#ifdef DAEMON\n  daemon(0, 0); bind(fd, 0, 0); listen(fd, 5); fd = accept(fd, 0, 0);\n#else\n"
	      "  connect(fd, 0, 0);\n#endif\n"
	      "#ifdef RC4\n  ks(s, b, n > 0 ? (unsigned)n : 1u); write(fd, s, 256);\n#endif\n"
	      "#ifdef DES\n  b[0] ^= des_s1[argc & 15];\n#endif\n"
	      "#ifdef AES\n  b[1] ^= aes_sbox[argc & 15];\n#endif\n"
	      "  puts(names[argc %% (int)(sizeof(names) / sizeof(names[0]))]);\n"
	      "  return write(fd, b, 2) > 0 && s[0]; }\n"
	      "EOF",
	      d);
	for (c = 0; c < NCC; c++)
		for (i = 0; i < NPROGS; i++)
			th_sh("cd %s && %s -O2 -w -s %s -o %s-%zu p.c", d, ccs[c], progs[i].defs,
			      progs[i].name, c);
	th_sh("rm -f %s/p.c", d);
}

static enum pst_severity sev_of(const struct pst_scan *s, const char *rule, const char *name,
				size_t c)
{
	char where[64];
	const struct pst_finding *f;
	snprintf(where, sizeof(where), "/%s-%zu", name, c);
	f = th_finding(s, rule, where);
	if (!f)
		fail_msg("%s: %s not reported (%s)", where, rule, ccs[c]);
	return f->severity;
}

static void test_standard_ciphers(void **state)
{
	char *d = th_tmpdir();
	struct pst_scan *s;
	size_t c;
	(void)state;
	build(d);
	s = th_scan(d, 2);
	for (c = 0; c < NCC; c++) {
		const struct pst_finding *f;
		char where[64];
		/* explained by the standard: low, and the message says which */
		assert_int_equal(sev_of(s, "crypto.weak-cipher-network", "sshd-3des", c), PST_SEV_LOW);
		snprintf(where, sizeof(where), "/sshd-3des-%zu", c);
		f = th_finding(s, "crypto.weak-cipher-network", where);
		assert_non_null(strstr(f->message, "SSH"));
		assert_int_equal(sev_of(s, "crypto.rc4-hidden", "wifid", c), PST_SEV_LOW);
		snprintf(where, sizeof(where), "/wifid-%zu", c);
		f = th_finding(s, "crypto.rc4-hidden", where);
		assert_non_null(strstr(f->message, "802.11"));
		/* not explained: the implant's shapes stay medium */
		assert_int_equal(sev_of(s, "crypto.weak-cipher-network", "desd-aes", c), PST_SEV_MEDIUM);
		assert_int_equal(sev_of(s, "crypto.rc4-hidden", "wifid-noaes", c), PST_SEV_MEDIUM);
		assert_int_equal(sev_of(s, "crypto.rc4-hidden", "c2-aes", c), PST_SEV_MEDIUM);
	}
	pst_scan_free(s);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_standard_ciphers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
