/* fuzz_srec.c - Motorola S-records (src/unpack/srec.c, hexrec.c), with only
 * its unpacker enabled (PST_FUZZ_ONLY) and small limits; seeds in
 * corpus/srec/. */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_srec;
PST_FUZZ_ONLY(&pst_unpacker_srec);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
