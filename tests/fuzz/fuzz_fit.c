/* fuzz_fit.c - FIT images / device trees (src/unpack/dtb.c), with only its
 * unpacker enabled (PST_FUZZ_ONLY) and small limits; seeds in corpus/fit/. */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_dtb;
PST_FUZZ_ONLY(&pst_unpacker_dtb);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
