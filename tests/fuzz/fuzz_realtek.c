/* fuzz_realtek.c - Realtek cs6b/cr6b/csys headers (src/unpack/realtek.c), through the whole
 * pipeline with small limits; seeds in corpus/realtek/. */
#include "fuzz_common.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
