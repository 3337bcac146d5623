/* fuzz_fit.c - FIT images / device trees (src/unpack/dtb.c), through the whole
 * pipeline with small limits; seeds in corpus/fit/. */
#include "fuzz_common.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
