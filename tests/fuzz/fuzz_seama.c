/* fuzz_seama.c - D-Link SEAMA images (src/unpack/seama.c), with only its
 * unpacker enabled (PST_FUZZ_ONLY) and small limits; seeds in corpus/seama/. */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_seama;
PST_FUZZ_ONLY(&pst_unpacker_seama);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
