/* fuzz_partition.c - raw disks through the whole pipeline: MBR (with
 * extended partitions) and GPT tables (partition.c), LUKS and BitLocker
 * headers (volcrypt.c). Seeds in corpus/partition made by
 * tests/tools/mkdisk.py with MKDISK_ALIGN=8 (small disks). */
#include "fuzz_common.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
