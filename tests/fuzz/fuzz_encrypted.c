/* fuzz_encrypted.c - D-Link SHRS / encrpted_img markers (src/unpack/encrypted.c), through the whole
 * pipeline with small limits; seeds in corpus/encrypted/. */
#include "fuzz_common.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
