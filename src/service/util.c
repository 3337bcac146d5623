/*
 * util.c - small things the service's files share: roles, clocks, the audit
 * chain's row hash, tokens (256 random bits, kept only as their SHA-256),
 * and the paths inside the data directory (never built from a request).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sodium.h>
#include "store.h"
#include "svc.h"
#include "tlog.h"

static const char *const role_names[] = { "submitter", "reviewer", "auditor", "admin" };

const char *pst_role_str(enum pst_role r)
{
	return (unsigned)r < 4 ? role_names[r] : "submitter";
}

int pst_role_parse(const char *s)
{
	int i;
	for (i = 0; i < 4; i++)
		if (s && strcmp(s, role_names[i]) == 0)
			return i;
	return -1;
}

void pst_service_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

double pst_service_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void svc_hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;
	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = 0;
}

int svc_unhex(const char *hex, uint8_t *out, size_t n)
{
	size_t len = 0;
	return hex && strlen(hex) == 2 * n &&
			       sodium_hex2bin(out, n, hex, 2 * n, NULL, &len, NULL) == 0 &&
			       len == n ? 0 : -1;
}

int svc_decimal(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 16)
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > PST_TLOG_JSON_INT_MAX)
		return -1;
	*out = v;
	return 0;
}

void svc_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char h[32];
	crypto_hash_sha256(h, data, len);
	svc_hex(h, 32, out);
}

void pst_audit_walk_init(struct pst_audit_walk *w)
{
	memset(w->prev, '0', 64);
	w->prev[64] = 0;
	w->n = 0;
}

int pst_audit_walk_row(struct pst_audit_walk *w, int64_t seq, const char *const f[5],
		       const char *rprev, const char *hash, int64_t *bad)
{
	char want[65];
	pst_audit_hash(w->prev, seq, f[0], f[1], f[2], f[3], f[4], want);
	if (seq != w->n + 1 || strcmp(rprev, w->prev) != 0 || strcmp(want, hash) != 0) {
		*bad = seq;
		return 1;
	}
	memcpy(w->prev, want, sizeof(w->prev));
	w->n++;
	return 0;
}

void pst_audit_hash(const char *prev, int64_t seq, const char *at, const char *actor,
		    const char *action, const char *object, const char *detail, char out[65])
{
	crypto_hash_sha256_state st;
	unsigned char h[32];
	char seqs[24];
	const char *f[7] = { prev, seqs, at, actor, action, object, detail };
	size_t i;

	snprintf(seqs, sizeof(seqs), "%lld", (long long)seq);
	crypto_hash_sha256_init(&st);
	for (i = 0; i < 7; i++)
		crypto_hash_sha256_update(&st, (const unsigned char *)f[i], strlen(f[i]) + 1);
	crypto_hash_sha256_final(&st, h);
	svc_hex(h, 32, out);
}

void svc_token_new(char token[SVC_TOKEN_LEN + 1])
{
	unsigned char r[32];
	randombytes_buf(r, sizeof(r));
	memcpy(token, "pst_", 4);
	svc_hex(r, sizeof(r), token + 4);
}

void svc_random_id(char out[33])
{
	unsigned char r[16];
	randombytes_buf(r, sizeof(r));
	svc_hex(r, sizeof(r), out);
}

int svc_mkdir(const char *path)
{
	return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

int svc_path(char *out, size_t len, const char *data_dir, const char *rest)
{
	int n = snprintf(out, len, "%s/%s", data_dir, rest);
	return n > 0 && (size_t)n < len ? 0 : -1;
}

struct pst_store *svc_store_open(const char *data_dir)
{
	char path[4096], err[512];
	struct pst_store *st;

	if (pst_store_is_pg_url(data_dir)) {
		st = pst_store_pg_open(data_dir, err, sizeof(err));
		if (!st)
			fprintf(stderr, "postern: store: %s\n", err);
		return st;
	}
	if (svc_mkdir(data_dir) != 0 || svc_path(path, sizeof(path), data_dir, "postern.db") != 0) {
		fprintf(stderr, "postern: %s: %s\n", data_dir, strerror(errno));
		return NULL;
	}
	st = pst_store_sqlite_open(path, err, sizeof(err));
	if (!st)
		fprintf(stderr, "postern: store: %s\n", err);
	return st;
}

/* A whole (small) file, NUL-terminated: keys, certificates, a scan's outputs. */
char *svc_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[n] = 0;
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}
