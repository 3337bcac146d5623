/* fuzz_arcadyan.c - Arcadyan obfuscated LZMA (src/unpack/arcadyan.c), with
 * only its unpacker enabled (PST_FUZZ_ONLY) and small limits; seeds in
 * corpus/arcadyan/. */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_arcadyan;
PST_FUZZ_ONLY(&pst_unpacker_arcadyan);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
