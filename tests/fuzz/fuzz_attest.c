/* fuzz_attest.c - attestation verification on any envelope bytes (the
 * attestation is untrusted input): JSON, base64 and the DSSE encoding must
 * not crash; a made-up envelope must never verify. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "postern/postern.h"
#include "fuzz_key.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char msg[512];
	enum pst_verify_result r;
	const char *pub = pst_fuzz_key();
	r = pst_attest_verify((const char *)data, size, pub, (const uint8_t *)"artifact", 8,
			      PST_VERDICT_FAIL, msg, sizeof(msg));
	if (r == PST_VERIFY_OK || r == PST_VERIFY_MISMATCH || r == PST_VERIFY_VERDICT)
		abort(); /* past the signature check with a key nobody signed with */
	return 0;
}
