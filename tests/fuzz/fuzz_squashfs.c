/* fuzz_squashfs.c - squashfs 4.0 images with only this format's unpacker
 * enabled (PST_FUZZ_ONLY; seeds in corpus/squashfs: mksquashfs with every
 * compressor at a 4 KiB block size, an image with uncompressed metadata, and
 * that image patched into a directory cycle and out-of-range references, as in
 * test_squashfs.c). */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_squashfs;
PST_FUZZ_ONLY(&pst_unpacker_squashfs);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
