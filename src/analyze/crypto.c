/*
 * crypto.c - cryptographic algorithms identified by their constants.
 *
 * Sources of the constants: FIPS 197 (AES S-box and the T-table words),
 * FIPS 46-3 (DES S1 and PC-1), RFC 1321 (MD5 T[1..4]), FIPS 180-4 (SHA-1
 * IV/K, SHA-256/512 K), SEC 2 / FIPS 186-4 (NIST P-256/P-384/P-521 domain
 * parameters), RFC 7748 (the Curve25519 field prime) and NIST SP 800-90A
 * Appendix A.1 (the Dual_EC_DRBG P-256 point Q).
 *
 * Big numbers are searched as big-endian bytes, byte-reversed (little-endian
 * limbs, as OpenSSL's BIGNUMs and most C implementations store them), and as
 * hex text (how ScreenOS kept its Dual_EC Q). Word tables are searched in
 * both byte orders: the file's order is not known here and a false match
 * across orders needs 8 identical bytes.
 *
 * Weak ciphers that a standard protocol negotiates (pst_crypto_standard_use):
 * RFC 4253 (SSH: "3des-cbc", "arcfour"), RFC 2246/4346 and OpenSSL's cipher
 * names (TLS, OpenVPN: "DES-CBC", "DES-EDE3-CBC", "RC4-MD5"), IEEE 802.11
 * (WEP and TKIP are built on RC4), RFC 3078 (PPP's MPPE uses RC4), RFC 4757
 * (Kerberos rc4-hmac).
 */
#include <ctype.h>
#include <string.h>
#include "binfeat.h"

enum form { F_BYTES, F_WORDS32, F_BIGNUM };

struct cconst {
	const char *name, *algo;
	bool weak;
	enum form form;
	const char *hex; /* the constant, big-endian hex */
};

static const struct cconst consts[] = {
	{ "aes-sbox", "AES", false, F_BYTES, "637c777bf26b6fc53001672bfed7ab76" },
	{ "aes-inv-sbox", "AES", false, F_BYTES, "52096ad53036a538bf40a39e81f3d7fb" },
	{ "aes-te0", "AES", false, F_WORDS32, "c66363a5f87c7c84ee777799f67b7b8d" },
	{ "des-sbox1", "DES", true, F_BYTES, "0e040d01020f0b08030a060c05090007" },
	{ "des-pc1", "DES", true, F_BYTES, "3931292119110901" "3a322a221a1202" },
	{ "des-spbox", "DES", true, F_WORDS32, "010104000000000000010000" "01010404" },
	{ "md5-t", "MD5", false, F_WORDS32, "d76aa478" },
	{ "sha1-k", "SHA-1", false, F_WORDS32, "ca62c1d6" },
	{ "sha1-iv", "SHA-1", false, F_WORDS32, "c3d2e1f0" },
	{ "sha256-k", "SHA-256", false, F_WORDS32, "428a2f9871374491b5c0fbcfe9b5dba5" },
	{ "sha512-k", "SHA-512", false, F_BIGNUM, "428a2f98d728ae22" },
	{ "p256-prime", "NIST P-256", false, F_BIGNUM,
	  "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff" },
	{ "p256-b", "NIST P-256", false, F_BIGNUM,
	  "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b" },
	{ "p256-gx", "NIST P-256", false, F_BIGNUM,
	  "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296" },
	{ "p384-b", "NIST P-384", false, F_BIGNUM, "b3312fa7e23ee7e4988e056be3f82d19" },
	{ "p521-b", "NIST P-521", false, F_BIGNUM, "0051953eb9618e1c9a1f929a21a0b685" },
	{ "curve25519-p", "Curve25519", false, F_BIGNUM,
	  "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed" },
	{ "dual-ec-q-p256", "Dual_EC_DRBG", false, F_BIGNUM,
	  "c97445f45cdef9f0d3e05e1e585fc297235b82b5be8ff3efca67c59852018192" },
};

#define NCONSTS (sizeof(consts) / sizeof(consts[0]))
/* Each constant gets up to 5 needles (forms) sharing one id. */

static size_t unhex(const char *h, uint8_t *out, size_t max)
{
	size_t n = 0;
	while (h[0] && h[1] && n < max) {
		unsigned hi = (unsigned)(isdigit((unsigned char)h[0]) ? h[0] - '0' : h[0] - 'a' + 10);
		unsigned lo = (unsigned)(isdigit((unsigned char)h[1]) ? h[1] - '0' : h[1] - 'a' + 10);
		out[n++] = (uint8_t)(hi << 4 | lo);
		h += 2;
	}
	return n;
}

unsigned pst_crypto_register(struct pst_needles *ns, unsigned base)
{
	unsigned i;
	for (i = 0; i < NCONSTS; i++) {
		const struct cconst *c = &consts[i];
		uint8_t b[64], r[64];
		char up[129];
		size_t n = unhex(c->hex, b, sizeof(b)), k;
		unsigned id = base + i;
		pst_needles_add(ns, b, n, id);
		if (c->form == F_WORDS32) {
			for (k = 0; k + 4 <= n; k += 4) {
				r[k] = b[k + 3];
				r[k + 1] = b[k + 2];
				r[k + 2] = b[k + 1];
				r[k + 3] = b[k];
			}
			pst_needles_add(ns, r, n, id);
		} else if (c->form == F_BIGNUM) {
			for (k = 0; k < n; k++)
				r[k] = b[n - 1 - k];
			pst_needles_add(ns, r, n, id);
			if (n >= 16) {
				size_t l = strlen(c->hex);
				pst_needles_add(ns, c->hex, l, id);
				for (k = 0; k < l && k < sizeof(up) - 1; k++)
					up[k] = (char)toupper((unsigned char)c->hex[k]);
				pst_needles_add(ns, up, k, id);
			}
		}
	}
	return (unsigned)NCONSTS;
}

size_t pst_crypto_collect(const uint8_t *hits, unsigned base, struct pst_crypto_hit *out,
			  size_t max)
{
	size_t i, k = 0;
	for (i = 0; i < NCONSTS && k < max; i++) {
		if (!hits[base + i])
			continue;
		out[k].name = consts[i].name;
		out[k].algo = consts[i].algo;
		out[k].weak = consts[i].weak;
		k++;
	}
	return k;
}

/* ---- weak ciphers a standard negotiates ---- */

struct stdproto {
	const char *algo;       /* the weak cipher */
	const char *what;       /* the protocol, for the message */
	const char *marks[4];   /* any of these strings says it is that protocol */
	const char *names[5];   /* the protocol's names for the cipher (prefixes) */
};

static const struct stdproto stdprotos[] = {
	{ "DES", "SSH (RFC 4253: 3des-cbc)", { "SSH-2.0", NULL }, { "3des-cbc", "3des-ctr", "des-cbc", NULL } },
	{ "DES", "TLS/OpenVPN (OpenSSL cipher names: DES-CBC, DES-EDE3-CBC)",
	  { "OpenVPN", "TLSv1", "SSLv3", NULL }, { "DES-", "des-ede3", "DES-EDE3", NULL } },
	{ "DES", "IPsec/IKE (RFC 2451: 3DES-CBC)", { "IKE", "ISAKMP", NULL }, { "3des", "3DES", NULL } },
	{ "RC4", "SSH (RFC 4253: arcfour)", { "SSH-2.0", NULL }, { "arcfour", NULL } },
	{ "RC4", "TLS (RC4 cipher suites)", { "TLSv1", "SSLv3", NULL }, { "RC4-", NULL } },
	{ "RC4", "IEEE 802.11 (WEP and TKIP are built on RC4)", { "TKIP", "CCMP", NULL },
	  { "WEP", "TKIP", NULL } },
	{ "RC4", "PPP MPPE (RFC 3078)", { "MPPE", "mppe", NULL }, { "MPPE", "mppe", NULL } },
	{ "RC4", "Kerberos (RFC 4757: rc4-hmac)", { "krbtgt", "KRB5", NULL }, { "rc4-hmac", "arcfour-hmac", NULL } },
};

/* One of s's strings starts with p. */
static bool str_starts(const struct pst_strings *s, const char *p)
{
	char buf[64];
	size_t n = strlen(p);
	if (!n || n + 1 > sizeof(buf) || !s->len)
		return false;
	buf[0] = 0;
	memcpy(buf + 1, p, n);
	return memmem(s->buf, s->len, buf, n + 1) != NULL;
}

/* Strong symmetric crypto the program can choose instead: AES constants in
 * the file, or calls into a crypto library's AES or generic cipher API. */
static bool strong_cipher(const struct pst_binfeat *f, bool has_aes)
{
	static const char *const calls[] = { "AES_set_encrypt_key", "EVP_CipherInit_ex",
		"EVP_EncryptInit_ex", "EVP_get_cipherbyname", "EVP_aes_128_cbc", "EVP_aes_256_gcm",
		"gcry_cipher_open", "mbedtls_cipher_setup", "wc_AesSetKey", NULL };
	size_t i;
	if (has_aes)
		return true;
	for (i = 0; calls[i]; i++)
		if (pst_binfeat_import(f, calls[i]))
			return true;
	return false;
}

const char *pst_crypto_standard_use(const struct pst_binfeat *f, const char *algo, bool has_aes)
{
	size_t i, k;
	if (!strong_cipher(f, has_aes))
		return NULL;
	for (i = 0; i < sizeof(stdprotos) / sizeof(stdprotos[0]); i++) {
		const struct stdproto *p = &stdprotos[i];
		bool mark = false, named = false;
		if (strcmp(p->algo, algo) != 0)
			continue;
		for (k = 0; p->marks[k] && !mark; k++)
			mark = pst_strings_has(&f->strs, p->marks[k]);
		if (!mark && strcmp(p->marks[0], "TLSv1") == 0)
			mark = pst_binfeat_import(f, "SSL_CTX_new") || pst_binfeat_import(f, "SSL_new");
		/* DES names start a cipher-list entry ("3des-cbc", "DES-EDE3-CBC");
		 * RC4's protocols name it inside messages ("WEP key", "MPPE-128") */
		for (k = 0; p->names[k] && !named; k++)
			named = strcmp(algo, "RC4") == 0 ? pst_strings_has(&f->strs, p->names[k])
							 : str_starts(&f->strs, p->names[k]);
		if (mark && named)
			return p->what;
	}
	return NULL;
}
