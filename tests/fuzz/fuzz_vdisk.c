/* fuzz_vdisk.c - virtual disks with only this format's unpackers enabled
 * (PST_FUZZ_ONLY): qcow2 (with qcow.c's own check of its cluster tables before
 * libqcow reads), VMDK and VHD/VHDX through libvmdk and libvhdi, and the
 * partitions and filesystems inside. Seeds in corpus/vdisk: a 120 KiB GPT disk
 * with an ext2 partition converted by qemu-img (qcow2 with 4 KiB clusters,
 * stream-optimized VMDK). */
#include "fuzz_common.h"
extern const struct pst_unpacker pst_unpacker_qcow;
extern const struct pst_unpacker pst_unpacker_vhdi;
extern const struct pst_unpacker pst_unpacker_vmdk;
PST_FUZZ_ONLY(&pst_unpacker_qcow, &pst_unpacker_vhdi, &pst_unpacker_vmdk);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
