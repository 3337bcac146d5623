/* fuzz_embedded.c - scripts inside programs (src/unpack/embedded.c: the
 * PyInstaller CArchive, Perl and Lua sources as strings, zipapp; and
 * src/unpack/pyz.c's marshalled TOC), with only these unpackers enabled
 * (PST_FUZZ_ONLY) and small limits; seeds in corpus/embedded/. */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_embedded;
extern const struct pst_unpacker pst_unpacker_pyz;
extern const struct pst_unpacker pst_unpacker_zipapp;
PST_FUZZ_ONLY(&pst_unpacker_embedded, &pst_unpacker_pyz, &pst_unpacker_zipapp);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
