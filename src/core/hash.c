/* hash.c - SHA-256 (OpenSSL), Shannon entropy and hex encoding. */
#include <math.h>
#include <string.h>
#include <openssl/evp.h>
#include "internal.h"

void pst_sha256(const uint8_t *p, size_t len, uint8_t out[32])
{
	unsigned int n = 32;
	if (!EVP_Digest(p ? p : (const uint8_t *)"", len, out, &n, EVP_sha256(), NULL))
		memset(out, 0, 32);
}

double pst_entropy(const uint8_t *p, size_t len)
{
	uint64_t hist[256] = { 0 };
	double h = 0.0;
	size_t i;

	if (len == 0)
		return 0.0;
	for (i = 0; i < len; i++)
		hist[p[i]]++;
	for (i = 0; i < 256; i++) {
		if (hist[i]) {
			double q = (double)hist[i] / (double)len;
			h -= q * log2(q);
		}
	}
	return h;
}

void pst_hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;
	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = 0;
}
