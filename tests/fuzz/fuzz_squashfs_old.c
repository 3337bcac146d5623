/* fuzz_squashfs_old.c - squashfs 2.x/3.x images with only this format's
 * unpacker enabled (PST_FUZZ_ONLY; seeds in corpus/squashfs_old made by
 * Debian's tools or tests/tools: gzip, the vendor LZMA framings, and DD-WRT's
 * 3.0 per-block LZMA under tqsh, hsqt and sqsh; a TRX with a size-less LZMA
 * kernel is in corpus/trx, the bare size-less stream in corpus/scan). */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_squashfs_old;
PST_FUZZ_ONLY(&pst_unpacker_squashfs_old);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
