/* fuzz_partition.c - raw disks with only this format's unpackers enabled
 * (PST_FUZZ_ONLY): MBR (with extended partitions) and GPT tables
 * (partition.c), LUKS and BitLocker headers (volcrypt.c). Seeds in
 * corpus/partition made by tests/tools/mkdisk.py with MKDISK_ALIGN=8 (small
 * disks). */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_gpt;
extern const struct pst_unpacker pst_unpacker_mbr;
extern const struct pst_unpacker pst_unpacker_volcrypt;
extern const struct pst_unpacker pst_unpacker_lvm;
PST_FUZZ_ONLY(&pst_unpacker_gpt, &pst_unpacker_mbr, &pst_unpacker_volcrypt, &pst_unpacker_lvm);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
