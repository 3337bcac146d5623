/* fuzz_attest.c - attestation verification on any envelope bytes (the
 * attestation is untrusted input): JSON, base64 and the DSSE encoding must
 * not crash; a made-up envelope must never verify. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "postern/postern.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char pub[64], keydir[32];

static void remove_key(void)
{
	unlink(pub);
	rmdir(keydir);
}

static void make_key(void)
{
	char dir[] = "/tmp/postern-fuzz-XXXXXX", sec[64], err[256];
	if (!mkdtemp(dir))
		abort();
	snprintf(sec, sizeof(sec), "%s/k.key", dir);
	snprintf(pub, sizeof(pub), "%s/k.pub", dir);
	if (pst_keygen(sec, pub, err, sizeof(err)) != PST_OK)
		abort();
	unlink(sec); /* no signature can be made with it: nothing may verify */
	memcpy(keydir, dir, sizeof(dir));
	atexit(remove_key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char msg[512];
	enum pst_verify_result r;
	if (!pub[0])
		make_key();
	r = pst_attest_verify((const char *)data, size, pub, (const uint8_t *)"artifact", 8,
			      PST_VERDICT_FAIL, msg, sizeof(msg));
	if (r == PST_VERIFY_OK || r == PST_VERIFY_MISMATCH || r == PST_VERIFY_VERDICT)
		abort(); /* past the signature check with a key nobody signed with */
	return 0;
}
