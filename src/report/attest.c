/*
 * attest.c - signed vetting attestations. The scan's decision becomes an
 * in-toto Statement v1 (github.com/in-toto/attestation, spec/v1/statement.md)
 * whose subject is the artifact's SHA-256 and whose predicate records the
 * tool version, the rule-pack and policy digests, the verdict, the coverage
 * and a findings summary. It is wrapped in a DSSE envelope
 * (github.com/secure-systems-lab/dsse, envelope.md and protocol.md): the
 * signature is Ed25519 (libsodium) over
 *   PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 * with LEN the ASCII decimal byte count. Key files and exit statuses:
 * docs/attestation.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include "report/report.h"
#include "policy/policy.h"

#define PAYLOAD_TYPE "application/vnd.in-toto+json"
#define STATEMENT_TYPE "https://in-toto.io/Statement/v1"
#define PREDICATE_TYPE "urn:postern:attestation:vetting:v1"
#define KEYFILE_MAX 4096

char *pst_b64_encode(const uint8_t *p, size_t len)
{
	size_t cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
	char *out = malloc(cap);
	if (out)
		sodium_bin2base64(out, cap, p, len, sodium_base64_VARIANT_ORIGINAL);
	return out;
}

/* Returns a malloc'ed buffer, or NULL when s is not base64. */
uint8_t *pst_b64_decode(const char *s, size_t *len)
{
	size_t slen = strlen(s), cap = slen / 4 * 3 + 3;
	uint8_t *out = malloc(cap ? cap : 1);
	const char *end = NULL;
	if (!out)
		return NULL;
	if (sodium_base642bin(out, cap, s, slen, NULL, len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != s + slen) {
		free(out);
		return NULL;
	}
	return out;
}

/* The DSSE pre-authentication encoding. */
static uint8_t *pae(const char *type, const uint8_t *body, size_t blen, size_t *len)
{
	char head[128];
	int n = snprintf(head, sizeof(head), "DSSEv1 %zu %s %zu ", strlen(type), type, blen);
	uint8_t *out;
	if (n < 0 || (size_t)n >= sizeof(head))
		return NULL;
	out = malloc((size_t)n + blen + 1);
	if (!out)
		return NULL;
	memcpy(out, head, (size_t)n);
	memcpy(out + n, body, blen);
	*len = (size_t)n + blen;
	return out;
}

void pst_key_id(const uint8_t pk[32], char out[33])
{
	uint8_t sha[32];
	pst_sha256(pk, crypto_sign_PUBLICKEYBYTES, sha);
	pst_hex(sha, 16, out);
}

/* Reads a key file: a header line, then the key in base64. */
bool pst_key_read(const char *path, const char *header, uint8_t *key, size_t keylen,
		  char *err, size_t errlen)
{
	char buf[KEYFILE_MAX + 1], *nl, *b64;
	uint8_t *raw = NULL;
	size_t got, rawlen = 0;
	bool ok = false;
	FILE *f = fopen(path, "rb");

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	got = fread(buf, 1, KEYFILE_MAX, f);
	fclose(f);
	buf[got] = 0;
	nl = strchr(buf, '\n');
	if (!nl || (size_t)(nl - buf) != strlen(header) || memcmp(buf, header, strlen(header)) != 0) {
		snprintf(err, errlen, "%s: not a %s file", path, header);
		goto out;
	}
	b64 = nl + 1;
	b64[strcspn(b64, "\r\n")] = 0;
	raw = pst_b64_decode(b64, &rawlen);
	if (!raw || rawlen != keylen) {
		snprintf(err, errlen, "%s: damaged key", path);
		goto out;
	}
	memcpy(key, raw, keylen);
	ok = true;
out:
	if (raw) {
		sodium_memzero(raw, rawlen);
		free(raw);
	}
	sodium_memzero(buf, sizeof(buf));
	return ok;
}

static bool write_key(const char *path, const char *header, const uint8_t *key, size_t keylen,
		      mode_t mode, char *err, size_t errlen)
{
	char *b64 = pst_b64_encode(key, keylen);
	bool ok = false;
	FILE *f = NULL;
	int fd;

	if (!b64) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	fprintf(f, "%s\n%s\n", header, b64);
	ok = fclose(f) == 0;
	if (!ok)
		snprintf(err, errlen, "%s: write failed", path);
out:
	sodium_memzero(b64, strlen(b64));
	free(b64);
	return ok;
}

enum pst_err pst_keygen(const char *secret_path, const char *public_path, char *err, size_t errlen)
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	enum pst_err e = PST_OK;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to initialise");
		return PST_EIO;
	}
	crypto_sign_keypair(pk, sk);
	if (!write_key(secret_path, PST_SECRET_KEY_HEADER, sk, sizeof(sk), 0600, err, errlen))
		e = PST_EIO;
	else if (!write_key(public_path, PST_PUBLIC_KEY_HEADER, pk, sizeof(pk), 0644, err, errlen)) {
		unlink(secret_path);
		e = PST_EIO;
	}
	sodium_memzero(sk, sizeof(sk));
	return e;
}

static json_t *statement_of(const struct pst_scan *s)
{
	json_t *st = json_object(), *pred = json_object(), *fs = json_object(), *ws = json_array();
	const struct pst_waiver *w;
	struct pst_counts cnt;
	size_t i, nw;
	int sev;

	pst_jstr(st, "_type", STATEMENT_TYPE);
	pst_jset(st, "subject", json_pack("[{s:s,s:{s:s}}]", "name", s->root->seg, "digest", "sha256",
					  s->target_sha));
	pst_jstr(st, "predicateType", PREDICATE_TYPE);
	pst_jset(pred, "tool", json_pack("{s:s,s:s}", "name", "postern", "version", PST_VERSION));
	pst_jset(pred, "rulePack", json_pack("{s:{s:s}}", "digest", "sha256", s->rules_sha));
	w = pst_policy_waivers(s->policy, &nw);
	for (i = 0; i < nw; i++)
		if (!w[i].expired && w[i].matched)
			json_array_append_new(ws, json_pack("{s:s,s:s,s:s,s:s,s:I}", "rule", w[i].rule,
							    "location", w[i].location, "justification",
							    w[i].justification, "expires", w[i].expires,
							    "matched", (json_int_t)w[i].matched));
	pst_jset(pred, "policy", json_pack("{s:s,s:{s:s},s:o}", "name", pst_policy_name(s->policy),
					   "digest", "sha256", pst_policy_sha256(s->policy),
					   "waivers", ws));
	pst_jstr(pred, "verdict", pst_verdict_str(s->verdict));
	pst_jset(pred, "coverage",
		 json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "files", (json_int_t)s->cov.files,
			   "containers", (json_int_t)s->cov.containers, "bytes_unpacked",
			   (json_int_t)s->cov.bytes_unpacked, "incomplete", (json_int_t)s->cov.incomplete,
			   "encrypted", (json_int_t)s->cov.encrypted, "limits_hit",
			   (json_int_t)s->cov.limits_hit, "unexplained_bytes",
			   (json_int_t)s->cov.unexplained_bytes, "unidentified",
			   (json_int_t)s->cov.unidentified));
	pst_count_findings(s->findings, s->nfindings, &cnt);
	for (sev = PST_SEV_CRITICAL; sev >= PST_SEV_INFO; sev--)
		pst_jset(fs, pst_severity_str((enum pst_severity)sev), json_integer((json_int_t)cnt.sev[sev]));
	pst_jset(fs, "waived", json_integer((json_int_t)cnt.waived));
	{
		json_t *rules = json_object();
		for (i = 0; i < s->nfindings; i++) {
			json_t *c = json_object_get(rules, s->findings[i].rule);
			json_object_set_new(rules, s->findings[i].rule,
					    json_integer(c ? json_integer_value(c) + 1 : 1));
		}
		pst_jset(fs, "rules", rules);
	}
	pst_jset(pred, "findings", fs);
	pst_jset(st, "predicate", pred);
	return st;
}

char *pst_attest_sign(const char *payload, const char *secret_path, char *err, size_t errlen)
{
	uint8_t sk[crypto_sign_SECRETKEYBYTES], pk[crypto_sign_PUBLICKEYBYTES];
	uint8_t sig[crypto_sign_BYTES], *msg = NULL;
	char keyid[33], *b64p = NULL, *b64s = NULL, *text = NULL, *out = NULL;
	json_t *env = NULL;
	size_t mlen = 0;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to initialise");
		return NULL;
	}
	if (!pst_key_read(secret_path, PST_SECRET_KEY_HEADER, sk, sizeof(sk), err, errlen))
		return NULL;
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	pst_key_id(pk, keyid);
	msg = pae(PAYLOAD_TYPE, (const uint8_t *)payload, strlen(payload), &mlen);
	if (msg)
		crypto_sign_detached(sig, NULL, msg, mlen, sk);
	b64p = msg ? pst_b64_encode((const uint8_t *)payload, strlen(payload)) : NULL;
	b64s = msg ? pst_b64_encode(sig, sizeof(sig)) : NULL;
	if (b64p && b64s)
		env = json_pack("{s:s,s:s,s:[{s:s,s:s}]}", "payloadType", PAYLOAD_TYPE, "payload",
				b64p, "signatures", "keyid", keyid, "sig", b64s);
	text = env ? json_dumps(env, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	if (text && asprintf(&out, "%s\n", text) < 0)
		out = NULL;
	if (!out)
		snprintf(err, errlen, "out of memory");
	sodium_memzero(sk, sizeof(sk));
	json_decref(env);
	free(msg);
	free(b64p);
	free(b64s);
	free(text);
	return out;
}

enum pst_err pst_attest_write(const struct pst_scan *s, const char *secret_path, FILE *out,
			      char *err, size_t errlen)
{
	char *payload = NULL, *env = NULL;
	json_t *st;
	enum pst_err e = PST_OK;

	if (!s->root || !s->target_sha[0]) {
		snprintf(err, errlen, "an attestation needs a file target (its sha256 is the subject)");
		return PST_EUSAGE;
	}
	st = statement_of(s);
	payload = st ? json_dumps(st, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII) : NULL;
	json_decref(st);
	if (!payload) {
		snprintf(err, errlen, "out of memory");
		return PST_ENOMEM;
	}
	env = pst_attest_sign(payload, secret_path, err, errlen);
	if (!env)
		e = strcmp(err, "out of memory") == 0 ? PST_ENOMEM : PST_EUSAGE;
	else if (fputs(env, out) < 0 || fflush(out) != 0) {
		snprintf(err, errlen, "writing the attestation failed");
		e = PST_EIO;
	}
	free(payload);
	free(env);
	return e;
}

static int verdict_rank(const char *v)
{
	if (strcmp(v, "pass") == 0)
		return PST_VERDICT_PASS;
	if (strcmp(v, "review") == 0)
		return PST_VERDICT_REVIEW;
	return PST_VERDICT_FAIL;
}

static const char *str_or(const char *s, const char *dflt)
{
	return s ? s : dflt;
}

#define MSG(...) snprintf(msg, msglen, __VA_ARGS__)

enum pst_verify_result pst_attest_verify(const char *envelope, size_t len, const char *public_path,
					 const uint8_t *artifact, size_t artifact_len,
					 enum pst_verdict accept, char *msg, size_t msglen)
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], *payload = NULL, *m = NULL, sha[32];
	char hex[65];
	enum pst_verify_result r = PST_VERIFY_MALFORMED;
	json_t *env = NULL, *st = NULL, *sigs, *sub, *pred;
	const char *ptype, *b64p, *want, *verdict;
	json_error_t jerr;
	size_t plen = 0, mlen = 0, i;
	bool good = false;

	if (msglen)
		msg[0] = 0;
	if (sodium_init() < 0) {
		MSG("libsodium failed to initialise");
		return PST_VERIFY_MALFORMED;
	}
	if (!pst_key_read(public_path, PST_PUBLIC_KEY_HEADER, pk, sizeof(pk), msg, msglen))
		return PST_VERIFY_KEY;
	env = json_loadb(envelope, len, 0, &jerr);
	if (!env || !json_is_object(env)) {
		MSG("not a DSSE envelope: %s (line %d)", env ? "not an object" : jerr.text, jerr.line);
		goto out;
	}
	ptype = json_string_value(json_object_get(env, "payloadType"));
	b64p = json_string_value(json_object_get(env, "payload"));
	sigs = json_object_get(env, "signatures");
	if (!ptype || !b64p || !json_is_array(sigs) || json_array_size(sigs) == 0) {
		MSG("not a DSSE envelope: needs payloadType, payload and signatures");
		goto out;
	}
	if (strcmp(ptype, PAYLOAD_TYPE) != 0) {
		MSG("payloadType is %s, not %s", ptype, PAYLOAD_TYPE);
		goto out;
	}
	/* From here on, any damage to what was signed is a bad signature. */
	r = PST_VERIFY_BAD_SIGNATURE;
	payload = pst_b64_decode(b64p, &plen);
	if (!payload) {
		MSG("payload is not base64: the envelope was altered");
		goto out;
	}
	m = pae(ptype, payload, plen, &mlen);
	if (!m) {
		r = PST_VERIFY_MALFORMED;
		MSG("out of memory");
		goto out;
	}
	for (i = 0; i < json_array_size(sigs) && !good; i++) {
		const char *b64s = json_string_value(json_object_get(json_array_get(sigs, i), "sig"));
		size_t slen = 0;
		uint8_t *sig = b64s ? pst_b64_decode(b64s, &slen) : NULL;
		if (sig && slen == crypto_sign_BYTES &&
		    crypto_sign_verify_detached(sig, m, mlen, pk) == 0)
			good = true;
		free(sig);
	}
	if (!good) {
		MSG("no signature verifies with %s", public_path);
		goto out;
	}
	r = PST_VERIFY_MALFORMED;
	st = json_loadb((const char *)payload, plen, 0, &jerr);
	if (!st || strcmp(str_or(json_string_value(json_object_get(st, "_type")), ""), STATEMENT_TYPE) != 0 ||
	    strcmp(str_or(json_string_value(json_object_get(st, "predicateType")), ""), PREDICATE_TYPE) != 0) {
		MSG("signed payload is not a postern vetting statement");
		goto out;
	}
	sub = json_array_get(json_object_get(st, "subject"), 0);
	want = json_string_value(json_object_get(json_object_get(sub, "digest"), "sha256"));
	pred = json_object_get(st, "predicate");
	verdict = json_string_value(json_object_get(pred, "verdict"));
	if (!want || !verdict) {
		MSG("statement lacks a subject digest or a verdict");
		goto out;
	}
	pst_sha256(artifact, artifact_len, sha);
	pst_hex(sha, 32, hex);
	if (strcmp(hex, want) != 0) {
		r = PST_VERIFY_MISMATCH;
		MSG("artifact sha256 %s is not the attested subject %s", hex, want);
		goto out;
	}
	if (verdict_rank(verdict) > (int)accept) {
		r = PST_VERIFY_VERDICT;
		MSG("signature and artifact verify, but the verdict is %s", verdict);
		goto out;
	}
	r = PST_VERIFY_OK;
	MSG("verified: %s, verdict %s, policy %s, postern %s",
	    str_or(json_string_value(json_object_get(sub, "name")), "?"), verdict,
	    str_or(json_string_value(json_object_get(json_object_get(pred, "policy"), "name")), "?"),
	    str_or(json_string_value(json_object_get(json_object_get(pred, "tool"), "version")), "?"));
out:
	json_decref(env);
	json_decref(st);
	free(payload);
	free(m);
	return r;
}
