/* fuzz_androidboot.c - Android boot images v0-v4 (src/unpack/androidboot.c), through the whole
 * pipeline with small limits; seeds in corpus/androidboot/. */
#include "fuzz_common.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
