/* fuzz_elf.c - ELF input through the whole pipeline: the classifier, our ELF
 * reader, syscall recovery (the seeds are stripped static binaries), strings,
 * byte patterns and capability rules. Seeds: corpus/elf/ (tiny programs,
 * see corpus/elf/README). */
#include "fuzz_common.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pst_fuzz_scan(data, size);
}
