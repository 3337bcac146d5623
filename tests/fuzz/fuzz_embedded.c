/* fuzz_embedded.c - scripts inside programs (src/unpack/embedded.c: the
 * PyInstaller CArchive, Perl and Lua sources as strings, zipapp; and
 * src/unpack/pyz.c's marshalled TOC), through the whole pipeline with small
 * limits; seeds in corpus/embedded/. */
#include "fuzz_common.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
