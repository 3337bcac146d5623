/* fuzz_encrypted.c - D-Link SHRS / encrpted_img markers
 * (src/unpack/encrypted.c), with only its unpacker enabled (PST_FUZZ_ONLY) and
 * small limits; seeds in corpus/encrypted/. */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_encrypted;
PST_FUZZ_ONLY(&pst_unpacker_encrypted);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
