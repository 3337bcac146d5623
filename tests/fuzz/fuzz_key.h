/*
 * fuzz_key.h - a public key file whose secret key is thrown away at once,
 * for the harnesses that verify signatures (fuzz_attest, fuzz_tlog): with it
 * no input can carry a valid signature, so anything that verifies is a bug.
 * The file and its directory are removed at exit.
 */
#ifndef PST_FUZZ_KEY_H
#define PST_FUZZ_KEY_H
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "postern/postern.h"

static char pst_fuzz_pub[64], pst_fuzz_keydir[32];

static void pst_fuzz_key_remove(void)
{
	unlink(pst_fuzz_pub);
	rmdir(pst_fuzz_keydir);
}

/* The public key file's path, made on the first call. */
static const char *pst_fuzz_key(void)
{
	char dir[] = "/tmp/postern-fuzz-XXXXXX", sec[64], err[256];
	if (pst_fuzz_pub[0])
		return pst_fuzz_pub;
	if (!mkdtemp(dir))
		abort();
	snprintf(sec, sizeof(sec), "%s/k.key", dir);
	snprintf(pst_fuzz_pub, sizeof(pst_fuzz_pub), "%s/k.pub", dir);
	if (pst_keygen(sec, pst_fuzz_pub, err, sizeof(err)) != PST_OK)
		abort();
	unlink(sec);
	memcpy(pst_fuzz_keydir, dir, sizeof(dir));
	atexit(pst_fuzz_key_remove);
	return pst_fuzz_pub;
}

#endif
