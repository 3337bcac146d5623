/* fuzz_yararewrite.c - the math.entropy(0, filesize) rewrite of YARA rule
 * sources (src/analyze/yara_entropy.c) on any bytes: nothing may read out of
 * bounds or leak, the line count is kept, and a rewritten source has nothing
 * left to rewrite. */
#include <stdlib.h>
#include <string.h>
#include "analyze/yara_entropy.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t lines(const uint8_t *p, size_t n)
{
	size_t i, c = 0;
	for (i = 0; i < n; i++)
		c += p[i] == '\n';
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *out = NULL, *again = NULL;
	size_t outlen = 0, againlen = 0;
	if (pst_yara_entropy_rewrite(data, size, &out, &outlen) == 0) {
		if (out)
			abort();
		return 0;
	}
	if (lines(out, outlen) != lines(data, size) ||
	    pst_yara_entropy_rewrite(out, outlen, &again, &againlen) != 0)
		abort();
	free(out);
	return 0;
}
