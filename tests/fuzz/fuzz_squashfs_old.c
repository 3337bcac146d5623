/* fuzz_squashfs_old.c - squashfs 2.x/3.x images through the whole pipeline (seeds in
 * corpus/squashfs_old made by Debian's tools or tests/tools). */
#include "fuzz_common.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
