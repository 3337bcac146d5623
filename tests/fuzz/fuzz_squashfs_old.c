/* fuzz_squashfs_old.c - squashfs 2.x/3.x images through the whole pipeline (seeds in
 * corpus/squashfs_old made by Debian's tools or tests/tools: gzip, the vendor
 * LZMA framings, and DD-WRT's 3.0 per-block LZMA under tqsh, hsqt and sqsh;
 * a TRX with a size-less LZMA kernel is in corpus/trx, the bare size-less
 * stream in corpus/scan). */
#include "fuzz_common.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
