/* fuzz_rules.c - a user rule directory (--rules DIR) on any bytes: the input
 * is written as a capability rule file (DIR/capabilities/fuzz.yaml) and as
 * a known-bad and a known-good hash list, then a scan loads them (next to
 * the built-in capability rules) and scans the input itself, so the rules
 * and hash lists that load are also evaluated. The bundled YARA pack is left
 * out (its compile would dominate); YARA's own grammar is libyara's, and
 * postern's rewriting of it has fuzz_yararewrite. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fuzz_common.h"

static char dir[64];

static void cleanup(void)
{
	char cmd[96];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return;
}

static int put(const char *name, const uint8_t *data, size_t size)
{
	char path[128];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	if (size && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dirs[2] = { dir, NULL };
	struct pst_options o;
	struct pst_scan *s;

	if (size > (256u << 10))
		return 0;
	if (!dir[0]) {
		char sub[128];
		snprintf(dir, sizeof(dir), "/tmp/pst-fuzz-rules-XXXXXX");
		if (!mkdtemp(dir))
			abort();
		snprintf(sub, sizeof(sub), "%s/capabilities", dir);
		if (mkdir(sub, 0700) != 0)
			abort();
		atexit(cleanup);
	}
	if (put("capabilities/fuzz.yaml", data, size) || put("known-bad.sha256", data, size) ||
	    put("known-good.sha256", data, size))
		abort();
	pst_options_default(&o);
	o.jobs = 1;
	o.rule_dirs = dirs;
	o.no_rules_pack = true;
	o.limits.max_file_bytes = 1u << 20;
	o.limits.max_total_bytes = 4u << 20;
	o.limits.max_depth = 2;
	o.limits.max_seconds = 20;
	s = pst_scan_new(&o);
	if (!s)
		return 0;
	(void)pst_scan_run_mem(s, "rules-fuzz.bin", data, size);
	pst_scan_free(s);
	return 0;
}
