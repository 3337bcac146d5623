/* fuzz_tplink.c - TP-Link v1/v2 firmware headers (src/unpack/tplink.c), through the whole
 * pipeline with small limits; seeds in corpus/tplink/. */
#include "fuzz_common.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
