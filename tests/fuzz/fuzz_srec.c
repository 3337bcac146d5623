/* fuzz_srec.c - Motorola S-records (src/unpack/srec.c, hexrec.c), through the whole
 * pipeline with small limits; seeds in corpus/srec/. */
#include "fuzz_common.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
