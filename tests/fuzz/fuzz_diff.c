/* fuzz_diff.c - the version diff on any pair of inputs: the input's two
 * halves are scanned as OLD and NEW, diffed, and the diff written in every
 * format it has. */
#include <stdio.h>
#include "postern/postern.h"
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pst_scan *scan(const char *name, const uint8_t *p, size_t n)
{
	struct pst_options o;
	struct pst_scan *s;
	pst_options_default(&o);
	o.jobs = 1;
	o.limits.max_file_bytes = 8u << 20;
	o.limits.max_total_bytes = 32u << 20;
	o.limits.max_files = 5000;
	o.limits.max_seconds = 10;
	o.limits.max_depth = 6;
	s = pst_scan_new(&o);
	if (s && pst_scan_run_mem(s, name, p, n) != PST_OK) {
		pst_scan_free(s);
		s = NULL;
	}
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pst_scan *a = scan("old.bin", data, size / 2);
	struct pst_scan *b = scan("new.bin", data + size / 2, size - size / 2);
	struct pst_report_opts ro = { .no_run = true };
	struct pst_diff *d = a && b ? pst_diff_new(a, b) : NULL;
	FILE *null = fopen("/dev/null", "w");
	if (d && null) {
		pst_diff_write(d, PST_FORMAT_TEXT, &ro, null);
		pst_diff_write(d, PST_FORMAT_JSON, &ro, null);
		pst_diff_write(d, PST_FORMAT_HTML, &ro, null);
	}
	if (null)
		fclose(null);
	pst_diff_free(d);
	pst_scan_free(a);
	pst_scan_free(b);
	return 0;
}
