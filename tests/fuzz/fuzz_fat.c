/* fuzz_fat.c - libFuzzer harness: FAT images (and
 * whatever else the walker makes of the bytes), with small limits. */
#include <stddef.h>
#include <stdint.h>
#include "postern/postern.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct pst_options o;
	struct pst_scan *s;
	pst_options_default(&o);
	o.jobs = 1;
	o.limits.max_depth = 4;
	o.limits.max_file_bytes = 4u << 20;
	o.limits.max_total_bytes = 32u << 20;
	o.limits.max_files = 2000;
	o.limits.max_seconds = 10;
	s = pst_scan_new(&o);
	if (!s)
		return 0;
	pst_scan_run_mem(s, "fuzz", data, len);
	pst_scan_free(s);
	return 0;
}
