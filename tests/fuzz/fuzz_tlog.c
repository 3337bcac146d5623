/* fuzz_tlog.c - the transparency log's offline checks on any bytes (tree
 * heads and proofs come from a server, or from whoever hands them over):
 * the input is read as an inclusion proof, as a new tree head, and, split at
 * its NUL bytes, as kept state + new head + consistency proof. JSON, hex,
 * base64 and the proof verifiers must not crash, and with a key nobody
 * signed with, nothing may verify. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "postern/postern.h"
#include "fuzz_key.h"
#include "service/tlog.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next NUL-separated part of [*p, end). */
static const char *part(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *z = s < end ? memchr(s, 0, (size_t)(end - s)) : NULL;
	*len = z ? (size_t)(z - s) : (size_t)(end - s);
	*p = z ? z + 1 : end;
	return s;
}

/* The pure verifiers on whatever proof the bytes parse to. */
static void verifiers(const char *text, size_t len)
{
	struct pst_tlog_proof p;
	struct pst_tlog_sth sth;
	uint8_t leaf[32], r[32] = { 0 };
	uint64_t a = 0, b = 0;
	char err[256];
	if (pst_tlog_consistency_parse(text, len, &a, &b, &p, err, sizeof(err)) == PST_OK)
		(void)pst_tlog_verify_consistency(a, b, r, r, &p);
	if (pst_tlog_inclusion_parse(text, len, &sth, &a, leaf, &p, err, sizeof(err)) == PST_OK)
		(void)pst_tlog_verify_inclusion(a, sth.size, leaf, &p, sth.root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size, *st, *nw, *cons;
	size_t slen, nlen, clen;
	const char *pub = pst_fuzz_key();
	char msg[512];
	bool adv;

	if (pst_log_verify_inclusion("entry", 5, s, size, pub, msg, sizeof(msg)) == PST_LOG_OK ||
	    pst_log_check(NULL, 0, s, size, NULL, 0, pub, &adv, msg, sizeof(msg)) == PST_LOG_OK)
		abort();
	st = part(&s, end, &slen);
	nw = part(&s, end, &nlen);
	cons = part(&s, end, &clen);
	if (pst_log_check(st, slen, nw, nlen, cons, clen, pub, &adv, msg, sizeof(msg)) == PST_LOG_OK)
		abort();
	verifiers((const char *)data, size);
	return 0;
}
