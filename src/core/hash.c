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

void pst_hist_add(uint64_t hist[256], const uint8_t *p, size_t len)
{
	/* Four histograms so consecutive equal bytes do not serialise on one
	 * counter (runs of padding are common in images); below 4 KiB clearing
	 * them costs more than that saves. */
	uint64_t h4[4][256];
	size_t i;

	if (len < 4096) {
		for (i = 0; i < len; i++)
			hist[p[i]]++;
		return;
	}
	memset(h4, 0, sizeof(h4));
	for (i = 0; i + 4 <= len; i += 4) {
		h4[0][p[i]]++;
		h4[1][p[i + 1]]++;
		h4[2][p[i + 2]]++;
		h4[3][p[i + 3]]++;
	}
	for (; i < len; i++)
		h4[0][p[i]]++;
	for (i = 0; i < 256; i++)
		hist[i] += h4[0][i] + h4[1][i] + h4[2][i] + h4[3][i];
}

double pst_hist_entropy(const uint64_t hist[256], uint64_t len)
{
	double h = 0.0;
	size_t i;

	for (i = 0; i < 256 && len; i++) {
		if (hist[i]) {
			double q = (double)hist[i] / (double)len;
			h -= q * log2(q);
		}
	}
	return h;
}

double pst_entropy(const uint8_t *p, size_t len)
{
	uint64_t hist[256] = { 0 };

	pst_hist_add(hist, p, len);
	return pst_hist_entropy(hist, len);
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
