/* fuzz_seama.c - D-Link SEAMA images (src/unpack/seama.c), through the whole
 * pipeline with small limits; seeds in corpus/seama/. */
#include "fuzz_common.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
