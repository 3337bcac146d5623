/* fuzz_rules.c - a user rule directory (--rules DIR) on any bytes: the input
 * is written as a capability rule file (DIR/capabilities/fuzz.yaml), as a
 * known-bad and a known-good hash list and as each of the access lists
 * (DIR/access/: default passwords, expected setuid programs, trusted roots,
 * known test keys). A scan loads them next to the built-in rules and scans
 * a small tar made here whose files make every list be read (a shadow hash,
 * a setuid file, a private key, a CA certificate) and then the input itself
 * (the hash lists and capability rules on it). The input is also loaded
 * as a services rule file (svcrules.c) on its own: written into the rule
 * directory it would fail nearly every scan at start and hide the rest. The
 * bundled YARA pack is
 * left out (its compile would dominate); YARA's own grammar is libyara's,
 * and postern's rewriting of it has fuzz_yararewrite. The key and the
 * certificate were generated for this harness and protect nothing. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <archive.h>
#include <archive_entry.h>
#include "fuzz_common.h"
#include "analyze/svcrules.h"

static const char shadow[] = "root:$1$abcdefgh$0123456789abcdefghijkl:19000:0:99999:7:::\n";
static const char key_pem[] =
	"-----BEGIN EC PRIVATE KEY-----\n"
	"MHcCAQEEIJNHI9EYntb3+NB2jic7RJYpbzJ46J9nIyoH51BBDf8koAoGCCqGSM49\n"
	"AwEHoUQDQgAEtKKSY1kZHj9CUDZef3JSs0bdYr8UyscU9fAPIInEYyCx3zRNyxBO\n"
	"qR2UmFGHNjUOixdV7k/aaOT7lBUcVkj0Rg==\n"
	"-----END EC PRIVATE KEY-----\n";
static const char ca_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBjTCCATOgAwIBAgIUbqS0GOdAv8Uvn/fKEL9NygKWwN0wCgYIKoZIzj0EAwIw\n"
	"HDEaMBgGA1UEAwwRcG9zdGVybiBmdXp6IHJvb3QwHhcNMjYxMTI3MDEwNjE2WhcN\n"
	"MzYxMTI0MDEwNjE2WjAcMRowGAYDVQQDDBFwb3N0ZXJuIGZ1enogcm9vdDBZMBMG\n"
	"ByqGSM49AgEGCCqGSM49AwEHA0IABLSikmNZGR4/QlA2Xn9yUrNG3WK/FMrHFPXw\n"
	"DyCJxGMgsd80TcsQTqkdlJhRhzY1DosXVe5P2mjk+5QVHFZI9EajUzBRMB0GA1Ud\n"
	"DgQWBBQOPIsEGqWCG54wMpjpugorkvgA0TAfBgNVHSMEGDAWgBQOPIsEGqWCG54w\n"
	"MpjpugorkvgA0TAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDI\n"
	"b00B1/ECtSBw+tNInOuWoc5A+Z65R3SwBb0FU/MJEQIgHMPlHS/b+SZ7E7A+9rHe\n"
	"Od68wCxsHEn/tYWil106cJ0=\n"
	"-----END CERTIFICATE-----\n";

static uint8_t tree[16384];
static size_t tree_len;

static void add(struct archive *a, const char *path, unsigned mode, const char *text)
{
	struct archive_entry *e = archive_entry_new();
	size_t n = strlen(text);
	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, mode);
	archive_entry_set_size(e, (la_int64_t)n);
	if (archive_write_header(a, e) != ARCHIVE_OK || archive_write_data(a, text, n) != (la_ssize_t)n)
		abort();
	archive_entry_free(e);
}

/* The tar the lists are used on, made once. */
static void make_tree(void)
{
	struct archive *a = archive_write_new();
	if (!a || archive_write_set_format_ustar(a) != ARCHIVE_OK ||
	    archive_write_open_memory(a, tree, sizeof(tree), &tree_len) != ARCHIVE_OK)
		abort();
	add(a, "etc/shadow", 0600, shadow);
	add(a, "usr/bin/helper", 04755, "#!/bin/sh\nexec /bin/true\n");
	add(a, "etc/ssl/private/test.pem", 0600, key_pem);
	add(a, "etc/ssl/certs/ca.pem", 0644, ca_pem);
	if (archive_write_close(a) != ARCHIVE_OK)
		abort();
	archive_write_free(a);
}

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
	char err[256];

	if (size > (64u << 10))
		return 0;
	svc_rules_free(svc_rules_load_text("fuzz.yaml", (const char *)data, size, false, err,
					   sizeof(err)));
	if (!dir[0]) {
		char sub[128];
		snprintf(dir, sizeof(dir), "/tmp/pst-fuzz-rules-XXXXXX");
		if (!mkdtemp(dir))
			abort();
		snprintf(sub, sizeof(sub), "%s/capabilities", dir);
		if (mkdir(sub, 0700) != 0)
			abort();
		snprintf(sub, sizeof(sub), "%s/access", dir);
		if (mkdir(sub, 0700) != 0)
			abort();
		atexit(cleanup);
		make_tree();
	}
	if (put("capabilities/fuzz.yaml", data, size) || put("known-bad.sha256", data, size) ||
	    put("known-good.sha256", data, size) || put("access/default-passwords.txt", data, size) ||
	    put("access/setuid-expected.txt", data, size) || put("access/trusted-roots.txt", data, size) ||
	    put("access/known-test-keys.txt", data, size))
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
	(void)pst_scan_run_mem(s, "tree.tar", tree, tree_len);
	pst_scan_free(s);
	s = pst_scan_new(&o);
	if (!s)
		return 0;
	(void)pst_scan_run_mem(s, "rules-fuzz.bin", data, size);
	pst_scan_free(s);
	return 0;
}
