/*
 * keys.c - private keys, SSH authorized keys and certificates.
 *
 * Private keys are found in their own files and inside any other file
 * (binaries, configs): PEM (RSA, EC, DSA, PKCS#8, encrypted PKCS#8;
 * RFC 7468), OpenSSH's own format (PROTOCOL.key in OpenSSH's sources),
 * PuTTY's .ppk (PuTTY manual, appendix C), raw DER (PKCS#1, SEC1, PKCS#8;
 * RFC 8017, RFC 5915, RFC 5208) and dropbear host keys. OpenSSL parses what
 * it can, giving the key type and size; an encrypted key is reported as
 * such. A private key shipped in a product is the same on every device.
 *
 * authorized_keys files become "ssh.authkeys" facts; finish() resolves home
 * directories from the accounts analyzer's "acct.user" facts and reports a
 * file that grants someone a remote login, naming the account.
 *
 * Certificates: weak keys, expiry (outside trust stores), and CA
 * certificates in a system trust store that are not among the bundled
 * Mozilla/Debian roots (rules/access/trusted-roots.txt).
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "access.h"

struct keyinfo {
	const char *format;     /* "PEM RSA", "OpenSSH", ... */
	char pubsha[65];        /* SHA-256 of the public key (DER SPKI), or "" */
	char type[48];          /* "RSA", "EC P-256", "ED25519" ... */
	int bits;
	bool encrypted;
};

/* ---- SSH wire format (RFC 4251 section 5) ---- */

static bool ssh_string(struct pst_view v, uint64_t *off, struct pst_view *out)
{
	uint32_t n;
	if (!pst_view_be32(v, *off, &n) || !pst_view_has(v, *off + 4, n))
		return false;
	*out = pst_view_sub(v, *off + 4, n);
	*off += 4 + (uint64_t)n;
	return true;
}

static int mpint_bits(struct pst_view m)
{
	size_t i = 0;
	int bits;
	while (i < m.len && m.p[i] == 0)
		i++;
	if (i == m.len)
		return 0;
	bits = (int)((m.len - i) * 8);
	for (uint8_t b = m.p[i]; !(b & 0x80); b = (uint8_t)(b << 1))
		bits--;
	return bits;
}

/* An SSH public key blob: type and size. */
static void ssh_pubkey(struct pst_view blob, struct keyinfo *ki)
{
	struct pst_view t, a, b;
	uint64_t off = 0;
	if (!ssh_string(blob, &off, &t) || t.len >= sizeof(ki->type))
		return;
	memcpy(ki->type, t.p, t.len);
	ki->type[t.len] = 0;
	if (strcmp(ki->type, "ssh-rsa") == 0 && ssh_string(blob, &off, &a) &&
	    ssh_string(blob, &off, &b))
		ki->bits = mpint_bits(b);
	else if (strcmp(ki->type, "ssh-dss") == 0 && ssh_string(blob, &off, &a))
		ki->bits = mpint_bits(a);
	else if (strcmp(ki->type, "ssh-ed25519") == 0)
		ki->bits = 256;
	else if (acc_prefix(ki->type, "ecdsa-sha2-nistp"))
		ki->bits = atoi(ki->type + 16);
}

static unsigned char *b64_decode(const char *s, size_t n, size_t *outlen)
{
	EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
	unsigned char *out = pst_malloc(n / 4 * 3 + 8);
	int l1 = 0, l2 = 0;
	*outlen = 0;
	if (!ctx || !out || n > INT32_MAX)
		goto fail;
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(ctx, out, &l1, (const unsigned char *)s, (int)n) < 0)
		goto fail;
	if (EVP_DecodeFinal(ctx, out + l1, &l2) < 0)
		goto fail;
	*outlen = (size_t)(l1 + l2);
	EVP_ENCODE_CTX_free(ctx);
	return out;
fail:
	EVP_ENCODE_CTX_free(ctx);
	free(out);
	return NULL;
}

static bool openssh_key(const char *b64, size_t n, struct keyinfo *ki)
{
	size_t len;
	unsigned char *raw = b64_decode(b64, n, &len);
	struct pst_view v = pst_view_make(raw, len), cipher, kdf, kopt, pub;
	uint64_t off = 15;
	uint32_t nkeys;
	bool ok = false;

	if (!raw || len < 15 || memcmp(raw, "openssh-key-v1\0", 15) != 0)
		goto out;
	if (!ssh_string(v, &off, &cipher) || !ssh_string(v, &off, &kdf) ||
	    !ssh_string(v, &off, &kopt) || !pst_view_be32(v, off, &nkeys))
		goto out;
	off += 4;
	if (nkeys < 1 || !ssh_string(v, &off, &pub))
		goto out;
	ki->format = "OpenSSH";
	ki->encrypted = !(cipher.len == 4 && memcmp(cipher.p, "none", 4) == 0);
	ssh_pubkey(pub, ki);
	ok = true;
out:
	free(raw);
	return ok;
}

static void evp_info(EVP_PKEY *k, struct keyinfo *ki)
{
	int id = EVP_PKEY_get_base_id(k);
	char group[40] = "";
	size_t gl = 0;
	unsigned char *der = NULL, md[32];
	unsigned int mdlen = 0;
	int dl = i2d_PUBKEY(k, &der);
	if (dl > 0 && EVP_Digest(der, (size_t)dl, md, &mdlen, EVP_sha256(), NULL) && mdlen == 32)
		pst_hex(md, 32, ki->pubsha);
	OPENSSL_free(der);
	ki->bits = EVP_PKEY_get_bits(k);
	switch (id) {
	case EVP_PKEY_RSA: snprintf(ki->type, sizeof(ki->type), "RSA"); break;
	case EVP_PKEY_DSA: snprintf(ki->type, sizeof(ki->type), "DSA"); break;
	case EVP_PKEY_EC:
		EVP_PKEY_get_utf8_string_param(k, "group", group, sizeof(group), &gl);
		snprintf(ki->type, sizeof(ki->type), "EC %s", group);
		break;
	case EVP_PKEY_ED25519: snprintf(ki->type, sizeof(ki->type), "ED25519"); break;
	case EVP_PKEY_ED448: snprintf(ki->type, sizeof(ki->type), "ED448"); break;
	default: snprintf(ki->type, sizeof(ki->type), "%s", OBJ_nid2sn(id)); break;
	}
}

static int no_pass(char *buf, int size, int rw, void *u)
{
	(void)buf;
	(void)size;
	(void)rw;
	(void)u;
	return -1;
}

/* A PEM private key block (label given); false when it does not parse. */
static bool pem_key(const char *blk, size_t n, const char *label, struct keyinfo *ki)
{
	BIO *bio;
	EVP_PKEY *k;
	if (strcmp(label, "OPENSSH PRIVATE KEY") == 0) {
		const char *s = memchr(blk, '\n', n);
		const char *e = s ? strstr(s, "-----END") : NULL;
		return s && e && openssh_key(s, (size_t)(e - s), ki);
	}
	if (strcmp(label, "ENCRYPTED PRIVATE KEY") == 0) {
		ki->format = "PEM encrypted PKCS#8";
		ki->encrypted = true;
		snprintf(ki->type, sizeof(ki->type), "unknown (encrypted)");
		return true;
	}
	ki->format = strcmp(label, "PRIVATE KEY") == 0 ? "PEM PKCS#8" : "PEM";
	if (memmem(blk, n, "Proc-Type: 4,ENCRYPTED", 22)) {
		ki->encrypted = true;
		snprintf(ki->type, sizeof(ki->type), "%.*s", (int)strcspn(label, " "), label);
		return true;
	}
	bio = BIO_new_mem_buf(blk, (int)n);
	if (!bio)
		return false;
	k = PEM_read_bio_PrivateKey(bio, NULL, no_pass, NULL);
	BIO_free(bio);
	if (!k)
		return false;
	evp_info(k, ki);
	EVP_PKEY_free(k);
	return true;
}

/* A PuTTY key file (text, small): read from a NUL-terminated copy of at
 * most its first 64 KiB, so that sscanf and the line walk stop at its end
 * (the view is not terminated; fuzz_squashfs found the header read past a
 * 36-byte file). */
static bool putty_key(struct pst_view v, struct keyinfo *ki)
{
	size_t n = v.len < (64u << 10) ? v.len : (64u << 10);
	char *s, *e, *p, enc[32] = "";
	int lines = 0;
	if (v.len < 30 || memcmp(v.p, "PuTTY-User-Key-File-", 20) != 0)
		return false;
	s = pst_malloc(n + 1);
	if (!s)
		return false;
	memcpy(s, v.p, n);
	s[n] = 0;
	e = s + strnlen(s, n);
	ki->format = "PuTTY";
	p = strstr(s, "Encryption: ");
	if (p)
		sscanf(p + 12, "%31s", enc);
	ki->encrypted = enc[0] && strcmp(enc, "none") != 0;
	p = strstr(s, "Public-Lines: ");
	if (p && sscanf(p + 14, "%d", &lines) == 1 && lines > 0 && lines < 100) {
		const char *b = memchr(p, '\n', (size_t)(e - p)), *q;
		int i;
		size_t blen;
		unsigned char *raw;
		if (b) {
			b++;
			for (q = b, i = 0; q && i < lines && q < e; i++) {
				q = memchr(q, '\n', (size_t)(e - q));
				if (q)
					q++;
			}
			if (!q)
				q = e;
			raw = b64_decode(b, (size_t)(q - b), &blen);
			if (raw)
				ssh_pubkey(pst_view_make(raw, blen), ki);
			free(raw);
		}
	}
	if (!ki->type[0]) {
		const char *colon = memchr(s, ':', (size_t)(e - s) < 40 ? (size_t)(e - s) : 40);
		if (colon)
			sscanf(colon + 1, " %40s", ki->type);
	}
	free(s);
	return true;
}

static bool der_key(struct pst_view v, struct keyinfo *ki)
{
	const unsigned char *p = v.p;
	EVP_PKEY *k;
	if (v.len > INT32_MAX)
		return false;
	k = d2i_AutoPrivateKey(NULL, &p, (long)v.len);
	if (!k)
		return false;
	ki->format = "DER";
	evp_info(k, ki);
	EVP_PKEY_free(k);
	return true;
}

/* ---- certificates ---- */

static bool trust_store(const char *p)
{
	return acc_prefix(p, "/etc/ssl/") || acc_prefix(p, "/usr/share/ca-certificates/") ||
	       acc_prefix(p, "/usr/local/share/ca-certificates/") || acc_prefix(p, "/etc/pki/") ||
	       acc_prefix(p, "/etc/ca-certificates/") || acc_prefix(p, "/usr/lib/ssl/") ||
	       acc_prefix(p, "/etc/ssl/certs/") || acc_prefix(p, "/usr/share/pki/");
}

static bool known_root(const void *st, const char *hex)
{
	const char *cur = acc_lists_get(st, ACC_TRUSTED_ROOTS), *line;
	size_t len;
	while (acc_list_next(&cur, &line, &len))
		if (len >= 64 && memcmp(line, hex, 64) == 0)
			return true;
	return false;
}

static void check_cert(const void *st, const struct pst_file *f, X509 *x, uint64_t off)
{
	const char *p = acc_where(f->node);
	EVP_PKEY *k = X509_get0_pubkey(x);
	char subj[160] = "", hex[65];
	unsigned char md[32];
	unsigned int mdlen = 0;
	bool ca = X509_check_ca(x) > 0 || (X509_get_extension_flags(x) & EXFLAG_SS);
	bool store = trust_store(p);

	X509_NAME_oneline(X509_get_subject_name(x), subj, sizeof(subj));
	if (k) {
		int id = EVP_PKEY_get_base_id(k), bits = EVP_PKEY_get_bits(k);
		if (((id == EVP_PKEY_RSA || id == EVP_PKEY_DSA) && bits < 2048) ||
		    (id == EVP_PKEY_EC && bits < 224))
			pst_finding_add(f->scan, f->node, "cert.weak-key",
					acc_test_material(p) ? PST_SEV_LOW : PST_SEV_MEDIUM, "crypto",
					off, subj, "certificate with a weak %d-bit %s key%s", bits,
					OBJ_nid2sn(id),
					acc_test_material(p) ? " (in test data or examples)" : "");
	}
	if (!store && (f->node->kind == PST_KIND_KEY || f->node->kind == PST_KIND_TEXT) &&
	    X509_cmp_current_time(X509_get0_notAfter(x)) < 0)
		pst_finding_add(f->scan, f->node, "cert.expired", PST_SEV_LOW, "crypto", off, subj,
				"certificate has expired");
	if (store && ca && X509_digest(x, EVP_sha256(), md, &mdlen) && mdlen == 32) {
		pst_hex(md, 32, hex);
		if (!known_root(st, hex))
			pst_finding_add(f->scan, f->node, "cert.extra-ca", PST_SEV_MEDIUM, "crypto", off,
					subj,
					"a CA certificate in a system trust store that is not one of the standard roots (sha256 %.16s…): it can vouch for any site",
					hex);
	}
}

/* ---- reporting a key ---- */

/* The list's note on a known self-test key ("OpenSSL 3.0 `openssl speed`
 * test key (RSA 2048), apps/testrsa.h"), its length in *n; NULL when the
 * key is not on the list. */
static const char *known_test_key(const void *st, const char *hex, int *n)
{
	const char *cur = acc_lists_get(st, ACC_KNOWN_TEST_KEYS), *line;
	size_t len;
	while (acc_list_next(&cur, &line, &len))
		if (len >= 64 && memcmp(line, hex, 64) == 0) {
			size_t k = 64;
			while (k < len && (line[k] == ' ' || line[k] == '\t'))
				k++;
			*n = (int)(len - k > 200 ? 200 : len - k);
			return line + k;
		}
	return NULL;
}

static bool crypto_lib_name(const char *b, const char *ext)
{
	static const char *const libs[] = { "libgnutls", "libcrypto", "libssl", "libmbedtls",
		"libmbedcrypto", "libmbedx509", "libwolfssl", "libgcrypt", "libnettle", "libhogweed",
		"libnss3", "libsoftokn3", "libfreebl", "libbotan", "libtls", "libcyassl",
		"libaxtls", "libmatrixssl", NULL };
	size_t i;
	for (i = 0; libs[i]; i++)
		if (acc_prefix(b, libs[i]) && strstr(b, ext))
			return true;
	return false;
}

/* A shared crypto library, or an object file inside a static one
 * (libmbedx509.a!/certs.c.o carries mbed TLS's test keys). */
static bool crypto_library(const struct pst_node *n)
{
	const char *b = n->path ? acc_base(n->path) : "";
	const char *pb = n->parent && n->parent->path ? acc_base(n->parent->path) : "";
	return crypto_lib_name(b, ".so") || (acc_suffix(pb, ".a") && crypto_lib_name(pb, ".a"));
}

static void report_key(const void *st, const struct pst_file *f, uint64_t off,
		       const struct keyinfo *ki, bool own)
{
	char ev[160];
	const char *rule, *known;
	enum pst_severity sev;
	int nk = 0;
	snprintf(ev, sizeof(ev), "%s %s%s%.0d%s, %s", ki->format, ki->type[0] ? ki->type : "key",
		 ki->bits ? " " : "", ki->bits, ki->bits ? " bits" : "",
		 ki->encrypted ? "encrypted" : "not encrypted");
	if (ki->pubsha[0] && (known = known_test_key(st, ki->pubsha, &nk)) != NULL) {
		pst_finding_add(f->scan, f->node, "key.known-test-key", PST_SEV_INFO, "crypto", off, ev,
				"a private key published as a self-test key: %.*s "
				"(rules/access/known-test-keys.txt)", nk, known);
		return;
	}
	if (!own && crypto_library(f->node)) {
		pst_finding_add(f->scan, f->node, "key.crypto-library-key", PST_SEV_LOW, "crypto", off,
				ev, "a private key inside a cryptographic library, most likely a self-test key");
		return;
	}
	if (ki->encrypted) {
		rule = "key.private-encrypted";
		sev = PST_SEV_MEDIUM;
	} else {
		rule = own ? "key.private" : "key.embedded-private";
		sev = PST_SEV_HIGH;
	}
	if (acc_test_material(acc_where(f->node))) {
		pst_finding_add(f->scan, f->node, rule, PST_SEV_LOW, "crypto", off, ev,
				"%s private key%s in test data or examples: most likely a fixture; "
				"confirm nothing in the product loads it",
				ki->encrypted ? "an encrypted" : "an unencrypted",
				own ? "" : " embedded in a file");
		return;
	}
	pst_finding_add(f->scan, f->node, rule, sev, "crypto", off, ev,
			"%s private key%s: every device that runs this image has the same key",
			ki->encrypted ? "an encrypted" : "an unencrypted",
			own ? "" : " embedded in this file");
}

/* ---- authorized_keys ---- */

static bool authkeys_path(const char *p)
{
	const char *b = acc_base(p);
	return strcmp(b, "authorized_keys") == 0 || strcmp(b, "authorized_keys2") == 0;
}

/* Counts the keys; the fact keeps the first key's type and comment, never
 * the key material. */
static void authkeys(const struct pst_file *f)
{
	struct acc_line ln;
	uint64_t pos = 0;
	unsigned n = 0;
	char first[160] = "", fact[256], line[PST_CAP_LINE + 1];
	bool told = false;
	while (acc_next_line(f->data, &pos, &ln)) {
		char *k = NULL, *p;
		if (ln.cut)
			acc_line_cap(f, &told);
		if (!ln.len || ln.p[0] == '#' || memchr(ln.p, 0, ln.len))
			continue;
		memcpy(line, ln.p, ln.len);
		line[ln.len] = 0;
		for (p = line; *p; p++)
			if ((p == line || p[-1] == ' ' || p[-1] == ',') &&
			    (acc_prefix(p, "ssh-") || acc_prefix(p, "ecdsa-") || acc_prefix(p, "sk-"))) {
				k = p;
				break;
			}
		if (!k)
			continue;
		if (!n++) {
			size_t tl = strcspn(k, " \t");
			const char *blob = k + tl + strspn(k + tl, " \t");
			const char *cm = blob + strcspn(blob, " \t");
			cm += strspn(cm, " \t");
			snprintf(first, sizeof(first), "%.*s …%s%.100s", (int)(tl > 40 ? 40 : tl), k,
				 *cm ? " " : "", cm);
		}
	}
	if (n) {
		snprintf(fact, sizeof(fact), "%u%c%s", n, ACC_FS, first);
		pst_fact_add(f->scan, f->node, "ssh.authkeys", fact);
	}
}

/* ---- analyze ---- */

static bool wants(const void *st, const struct pst_node *n)
{
	(void)st;
	if (!n->path && n->kind != PST_KIND_KEY)
		return false;
	if (n->size > (64u << 20))
		return false;
	return n->kind == PST_KIND_KEY || n->kind == PST_KIND_TEXT || n->kind == PST_KIND_SCRIPT ||
	       n->kind == PST_KIND_ELF || n->kind == PST_KIND_DATA || n->kind == PST_KIND_ENTROPY;
}

static void pem_blocks(const void *st, const struct pst_file *f, bool own)
{
	struct pst_view v = f->data;
	int64_t at = 0;
	unsigned blocks = 0;
	while ((at = pst_view_find(v, (uint64_t)at, "-----BEGIN ", 11)) >= 0) {
		const char *s = (const char *)v.p + at, *lab = s + 11, *le, *end;
		char label[48], endmark[80];
		size_t ll, left = v.len - (size_t)at;
		struct keyinfo ki;
		if (blocks == PST_CAP_KEYS_PEM_BLOCKS) {
			pst_cap_hit(f->scan, f->node, "PST_CAP_KEYS_PEM_BLOCKS",
				    "PEM blocks from offset %lld on were not examined "
				    "(the first %u were)",
				    (long long)at, PST_CAP_KEYS_PEM_BLOCKS);
			break;
		}
		blocks++;
		le = memmem(lab, left - 11, "-----", 5);
		if (!le || (ll = (size_t)(le - lab)) >= sizeof(label) || ll == 0) {
			at += 11;
			continue;
		}
		memcpy(label, lab, ll);
		label[ll] = 0;
		snprintf(endmark, sizeof(endmark), "-----END %s-----", label);
		end = memmem(le, left - (size_t)(le - s), endmark, strlen(endmark));
		if (!end) {
			at += 11;
			continue;
		}
		end += strlen(endmark);
		memset(&ki, 0, sizeof(ki));
		if (acc_suffix(label, "PRIVATE KEY") && strcmp(label, "PGP PRIVATE KEY") != 0) {
			if (pem_key(s, (size_t)(end - s), label, &ki))
				report_key(st, f, (uint64_t)at, &ki, own && blocks == 1);
		} else if (strcmp(label, "CERTIFICATE") == 0 || strcmp(label, "TRUSTED CERTIFICATE") == 0) {
			BIO *bio = BIO_new_mem_buf(s, (int)(end - s));
			X509 *x = bio ? (label[0] == 'T' ? PEM_read_bio_X509_AUX(bio, NULL, no_pass, NULL)
							  : PEM_read_bio_X509(bio, NULL, no_pass, NULL))
				      : NULL;
			if (x)
				check_cert(st, f, x, (uint64_t)at);
			X509_free(x);
			BIO_free(bio);
		}
		at = end - (const char *)v.p;
	}
}

/* One DER tag-length header at off (X.690 8.1): the tag, then a definite
 * length in its shortest form, up to 64 KiB; the content must lie inside v. */
static bool der_hdr(struct pst_view v, uint64_t off, uint8_t *tag, uint64_t *hlen,
		    uint64_t *clen)
{
	uint8_t b0, b1 = 0, b2 = 0;
	if (!pst_view_u8(v, off, tag) || !pst_view_u8(v, off + 1, &b0))
		return false;
	if (b0 < 0x80) {
		*hlen = 2;
		*clen = b0;
	} else if (b0 == 0x81 && pst_view_u8(v, off + 2, &b1) && b1 >= 0x80) {
		*hlen = 3;
		*clen = b1;
	} else if (b0 == 0x82 && pst_view_u8(v, off + 2, &b1) && pst_view_u8(v, off + 3, &b2) &&
		   b1 != 0) {
		*hlen = 4;
		*clen = (uint64_t)b1 << 8 | b2;
	} else {
		return false;
	}
	return pst_view_has(v, off + *hlen, *clen);
}

/* Is the SEQUENCE at off, whose header is hlen bytes, shaped like a private
 * key? Its elements must tile its content exactly, starting with a one-byte
 * version: PKCS#1 RSA (version 0, eight more INTEGERs; RFC 8017 A.1.2), an
 * OpenSSL DSA key (version 0, five more INTEGERs), PKCS#8 (version 0 or 1,
 * AlgorithmIdentifier, OCTET STRING, optional [0] [1]; RFC 5208, RFC 5958)
 * or SEC1 EC (version 1, OCTET STRING, optional [0] [1]; RFC 5915). On a
 * match *len is the whole key's length. */
static bool der_key_shape(struct pst_view v, uint64_t off, uint64_t hlen, uint64_t *len)
{
	uint8_t tag, tags[10], ver;
	uint64_t h, c, end, at;
	size_t n = 0, i;
	bool ints = true;

	if (!der_hdr(v, off, &tag, &h, &c) || tag != 0x30 || h != hlen)
		return false;
	end = off + h + c;
	at = off + h;
	if (!der_hdr(v, at, &tag, &h, &c) || tag != 0x02 || c != 1 ||
	    !pst_view_u8(v, at + h, &ver) || ver > 1)
		return false;
	while (at < end) {
		if (n == sizeof(tags) || !der_hdr(v, at, &tag, &h, &c) || h > end - at ||
		    c > end - at - h)
			return false;
		tags[n++] = tag;
		at += h + c;
	}
	for (i = 0; i < n; i++)
		ints = ints && tags[i] == 0x02;
	*len = end - off;
	if (ints)
		return ver == 0 && (n == 9 || n == 6);
	if (n >= 3 && tags[1] == 0x30 && tags[2] == 0x04)
		return n == 3 || (n == 4 && (tags[3] == 0xa0 || tags[3] == 0x81)) ||
		       (n == 5 && tags[3] == 0xa0 && tags[4] == 0x81);
	if (ver == 1 && n >= 2 && tags[1] == 0x04)
		return n == 2 || (n == 3 && (tags[2] == 0xa0 || tags[2] == 0xa1)) ||
		       (n == 4 && tags[2] == 0xa0 && tags[3] == 0xa1);
	return false;
}

/* DER private keys inside a larger file, anchored on their version field
 * (INTEGER 0 or 1): the SEQUENCE header in front of it may take two, three or
 * four bytes, and only a SEQUENCE whose lengths are consistent with a key's
 * shape is handed to OpenSSL, with exactly its own bytes. */
static void der_embedded(const void *lists, const struct pst_file *f)
{
	struct pst_view v = f->data;
	size_t tries = 0;
	int64_t at = 0;

	while ((at = pst_view_find(v, (uint64_t)at, "\x02\x01", 2)) >= 0) {
		uint64_t back, st = 0, len = 0;
		uint8_t ver;
		bool shaped = false;
		struct keyinfo ki;
		if (!pst_view_u8(v, (uint64_t)at + 2, &ver) || ver > 1) {
			at += 2;
			continue;
		}
		for (back = 2; back <= 4 && !shaped; back++) {
			st = (uint64_t)at - back;
			shaped = (uint64_t)at >= back && der_key_shape(v, st, back, &len);
		}
		if (!shaped) {
			at += 2;
			continue;
		}
		if (tries++ == PST_CAP_KEYS_DER_TRIES) {
			pst_cap_hit(f->scan, f->node, "PST_CAP_KEYS_DER_TRIES",
				    "DER key candidates past the first %u were not decoded",
				    PST_CAP_KEYS_DER_TRIES);
			return;
		}
		memset(&ki, 0, sizeof(ki));
		if (der_key(pst_view_sub(v, st, len), &ki) && ki.bits > 0) {
			report_key(lists, f, st, &ki, false);
			at = (int64_t)(st + len);
			continue;
		}
		at += 2;
	}
}

static enum pst_err analyze(const void *st, const struct pst_file *f)
{
	const struct pst_node *n = f->node;
	struct keyinfo ki;

	if (n->path && authkeys_path(n->path) && n->kind == PST_KIND_TEXT) {
		authkeys(f);
		return PST_OK;
	}
	memset(&ki, 0, sizeof(ki));
	if (n->kind == PST_KIND_KEY && putty_key(f->data, &ki)) {
		report_key(st, f, 0, &ki, true);
		return PST_OK;
	}
	if (n->kind == PST_KIND_KEY && n->kind_detail && strstr(n->kind_detail, "DER")) {
		const unsigned char *p = f->data.p;
		X509 *x;
		if (der_key(f->data, &ki)) {
			report_key(st, f, 0, &ki, true);
			return PST_OK;
		}
		x = f->data.len < INT32_MAX ? d2i_X509(NULL, &p, (long)f->data.len) : NULL;
		if (x)
			check_cert(st, f, x, 0);
		X509_free(x);
		return PST_OK;
	}
	/* dropbear host keys: the same SSH wire format as a public key blob */
	if (n->path && acc_prefix(n->path, "/etc/dropbear/") && strstr(n->path, "host_key") &&
	    n->kind != PST_KIND_TEXT) {
		ssh_pubkey(f->data, &ki);
		if (ki.type[0]) {
			ki.format = "dropbear";
			report_key(st, f, 0, &ki, true);
		}
		return PST_OK;
	}
	if (pst_view_find(f->data, 0, "-----BEGIN ", 11) >= 0)
		pem_blocks(st, f, n->kind == PST_KIND_KEY);
	if (n->kind == PST_KIND_ELF || n->kind == PST_KIND_DATA || n->kind == PST_KIND_ENTROPY)
		der_embedded(st, f);
	return PST_OK;
}

/* ---- finish: whose login does an authorized_keys file grant? ---- */

static enum pst_err finish(const void *st, const struct pst_tree *t)
{
	size_t i, j;
	(void)st;
	for (i = 0; i < t->nfacts; i++) {
		const struct pst_fact *x = &t->facts[i];
		const char *path, *sep;
		char who[256] = "";
		size_t wl = 0;
		bool dropbear;
		if (strcmp(x->key, "ssh.authkeys") != 0)
			continue;
		path = x->node->path;
		dropbear = acc_prefix(path, "/etc/dropbear/");
		for (j = 0; j < t->nfacts; j++) {
			const struct pst_fact *y = &t->facts[j];
			char buf[1024], *fld[9], want1[700], want2[704];
			if (strcmp(y->key, "acct.user") != 0 || !acc_same_container(y->node, x->node) ||
			    strcmp(y->node->path, "/etc/passwd") != 0)
				continue;
			snprintf(buf, sizeof(buf), "%s", y->value);
			if (acc_split(buf, ACC_FS, fld, 9) != 9)
				continue;
			snprintf(want1, sizeof(want1), "%s/.ssh/authorized_keys",
				 strcmp(fld[3], "/") == 0 ? "" : fld[3]);
			snprintf(want2, sizeof(want2), "%s2", want1);
			if (strcmp(path, want1) == 0 || strcmp(path, want2) == 0 ||
			    (dropbear && strcmp(fld[0], "root") == 0))
				wl += (size_t)snprintf(who + wl, wl < sizeof(who) ? sizeof(who) - wl : 0,
						       "%s%s (uid %s)", wl ? ", " : "", fld[0], fld[1]);
			if (wl >= sizeof(who))
				wl = sizeof(who) - 1;
		}
		sep = strchr(x->value, ACC_FS);
		if (who[0])
			pst_finding_add(t->scan, x->node, "key.authorized-keys", PST_SEV_HIGH, "access",
					0, sep ? sep + 1 : NULL,
					"%.*s SSH key(s) allow remote login as %s without a password; a key shipped in the product is a back door unless the policy waives it",
					(int)(sep ? sep - x->value : 0), x->value, who);
		else
			pst_finding_add(t->scan, x->node, "key.authorized-keys", PST_SEV_MEDIUM, "access",
					0, sep ? sep + 1 : NULL,
					"%.*s SSH key(s) in a file no account's home directory points at (%s); it grants a login if a home directory or the SSH server's configuration is changed to use it",
					(int)(sep ? sep - x->value : 0), x->value,
					dropbear ? "dropbear, but no root account found" : "stray");
	}
	return PST_OK;
}

const struct pst_analyzer pst_analyzer_keys = {
	.shared = &acc_lists_shared,
	.name = "keys",
	.wants = wants,
	.analyze = analyze,
	.finish = finish,
};
