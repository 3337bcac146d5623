/* fuzz_tplink.c - TP-Link v1/v2 firmware headers (src/unpack/tplink.c), with
 * only its unpacker enabled (PST_FUZZ_ONLY) and small limits; seeds in
 * corpus/tplink/. */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_tplink;
PST_FUZZ_ONLY(&pst_unpacker_tplink);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
