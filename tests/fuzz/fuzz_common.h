/*
 * fuzz_common.h - what every libFuzzer harness does: scan the input as a
 * whole target, in memory, with small limits so one input stays cheap, and
 * write every report format (the reports read everything the scan made);
 * and how a format harness enables only its own unpackers.
 */
#ifndef PST_FUZZ_COMMON_H
#define PST_FUZZ_COMMON_H
#include <stdint.h>
#include <stdio.h>
#include "postern/postern.h"

/* A format harness enables only its own unpackers, as libarchive's and
 * YARA's per-format fuzzers read one format, so that its executions go to
 * that parser rather than to every bidder and what its children hold:
 * PST_FUZZ_ONLY(&pst_unpacker_x, ...) defines the harness's unpacker list,
 * which replaces src/unpack/registry.c's at link time (the linker takes no
 * member of libpostern_lib.a for a symbol the program defines already;
 * test_fuzz_only checks that). The analyzers still run on every node.
 * fuzz_scan (every unpacker) and the harnesses that are no format keep the
 * whole registry. A list rather than a scan option: the walker's bid loop
 * (core/walk.c, pst_unpacker_choose) reads the registry directly. */
struct pst_unpacker;
#define PST_FUZZ_ONLY(...) \
	const struct pst_unpacker *const pst_unpackers[] = { __VA_ARGS__, NULL }

static inline int pst_fuzz_scan(const uint8_t *data, size_t size)
{
	struct pst_options o;
	struct pst_scan *s;
	struct pst_report_opts ro = { .inventory = true, .no_run = true };
	FILE *null;

	pst_options_default(&o);
	o.jobs = 1;
	o.limits.max_file_bytes = 16u << 20;
	o.limits.max_total_bytes = 64u << 20;
	o.limits.max_files = 20000;
	o.limits.max_seconds = 20;
	o.limits.max_depth = 8;
	s = pst_scan_new(&o);
	if (!s)
		return 0;
	if (pst_scan_run_mem(s, "fuzz.bin", data, size) == PST_OK) {
		null = fopen("/dev/null", "w");
		if (null) {
			int f;
			for (f = PST_FORMAT_TEXT; f <= PST_FORMAT_CYCLONEDX; f++)
				pst_report_write(s, (enum pst_format)f, &ro, null);
			fclose(null);
		}
	}
	pst_scan_free(s);
	return 0;
}
#endif
