/* fuzz_androidsparse.c - Android sparse images (src/unpack/androidsparse.c),
 * with only its unpacker enabled (PST_FUZZ_ONLY) and small limits; seeds in
 * corpus/androidsparse/. */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_androidsparse;
PST_FUZZ_ONLY(&pst_unpacker_androidsparse);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
