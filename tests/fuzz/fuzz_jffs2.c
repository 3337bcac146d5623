/* fuzz_jffs2.c - JFFS2 images through the whole pipeline (seeds in
 * corpus/jffs2 made by Debian's tools or tests/tools). */
#include "fuzz_common.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
