/* fuzz_realtek.c - Realtek cs6b/cr6b/csys headers (src/unpack/realtek.c), with
 * only its unpacker enabled (PST_FUZZ_ONLY) and small limits; seeds in
 * corpus/realtek/. */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_realtek;
extern const struct pst_unpacker pst_unpacker_csys;
PST_FUZZ_ONLY(&pst_unpacker_realtek, &pst_unpacker_csys);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
