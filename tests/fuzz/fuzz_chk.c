/* fuzz_chk.c - Netgear .chk images (src/unpack/chk.c), with only its unpacker
 * enabled (PST_FUZZ_ONLY) and small limits; seeds in corpus/chk/. */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_chk;
PST_FUZZ_ONLY(&pst_unpacker_chk);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
