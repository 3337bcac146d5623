/* fuzz_ubootenv.c - U-Boot environment blocks (src/unpack/ubootenv.c), with
 * only its unpacker enabled (PST_FUZZ_ONLY) and small limits; seeds in
 * corpus/ubootenv/. */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_ubootenv;
PST_FUZZ_ONLY(&pst_unpacker_ubootenv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
