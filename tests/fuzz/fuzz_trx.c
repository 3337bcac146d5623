/* fuzz_trx.c - Broadcom TRX headers (src/unpack/trx.c), with only its unpacker
 * enabled (PST_FUZZ_ONLY) and small limits; seeds in corpus/trx/. */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_trx;
PST_FUZZ_ONLY(&pst_unpacker_trx);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
