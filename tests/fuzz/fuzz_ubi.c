/* fuzz_ubi.c - UBI images with only this format's unpacker enabled
 * (PST_FUZZ_ONLY; seeds in corpus/ubi made by Debian's tools or tests/tools). */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_ubi;
PST_FUZZ_ONLY(&pst_unpacker_ubi);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
