/* fuzz_androidboot.c - Android boot images v0-v4 (src/unpack/androidboot.c),
 * with only its unpacker enabled (PST_FUZZ_ONLY) and small limits; seeds in
 * corpus/androidboot/. */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_androidboot;
PST_FUZZ_ONLY(&pst_unpacker_androidboot);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
