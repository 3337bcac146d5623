/* fuzz_windows.c - the decoder-window parsers of src/unpack/windows.c (xz,
 * lzma-alone, zstd, rpm payloads, 7z headers, an encoded one decoded, zip) on raw
 * bytes, no scan: each must stay in bounds and keep its invariants. Seeds in
 * corpus/windows/ (rpms with xz and zstd payloads, xz of three blocks and of
 * two streams, zstd, lzma, 7z with plain and encoded headers, PPMd, BCJ2, zips
 * with LZMA and PPMd members). */
#include <stdlib.h>
#include "unpack/windows.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pst_view v = pst_view_make(data, size), pay;
	struct pst_window w;

	if (pst_window_xz(v, &w) && w.guessed && pst_window_resident(&w) < PST_WINDOW_DEFAULT)
		abort(); /* an unreadable block header counts as the default */
	pst_window_zstd(v, &w);
	if (pst_window_lzma(v, &w) && w.dict < 4096)
		abort();
	pay = pst_window_rpm_payload(v);
	if (pay.len && (pay.p < data || pay.p + pay.len != data + size))
		abort(); /* the payload runs to the package's end */
	if (pst_window_payload(pay, &w) && pst_window_resident(&w) > w.dict)
		abort();
	if (pst_window_7z(v, &w, NULL) && w.guessed && w.out != UINT64_MAX)
		abort(); /* a header not understood has no bound */
	if (pst_window_zip(v, &w) && pst_window_resident(&w) > w.dict)
		abort();
	return 0;
}
