/* fuzz_androidsparse.c - Android sparse images (src/unpack/androidsparse.c), through the whole
 * pipeline with small limits; seeds in corpus/androidsparse/. */
#include "fuzz_common.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
