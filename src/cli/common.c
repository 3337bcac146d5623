/*
 * common.c - what the subcommands parse and report alike: sizes and counts,
 * the options scan and diff share (jobs, policy, rules, limits, fail-on,
 * sandbox), the output file, a scan's error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

/* Parses a count with an optional K/M/G/T suffix (powers of 1024). */
bool pst_cli_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || s[0] == '-')
		return false;
	switch (*end) {
	case 0: break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: return false;
	}
	if (*end && !(end[0] == 'i' && end[1] == 'B' && end[2] == 0) && !(end[0] == 'B' && !end[1]))
		return false;
	if (shift && v > (UINT64_MAX >> shift))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

int pst_cli_exit_for(enum pst_err e)
{
	return e == PST_ENOENT ? EX_NOINPUT : e == PST_EIO ? EX_IOERR :
	       e == PST_EUSAGE ? EX_USAGE : e == PST_EFORMAT ? EX_DATAERR : EX_SOFTWARE;
}

/* Memory is exhausted (PST_MSG_FATAL): no stdio, which may allocate. */
static void print_fatal(const char *text)
{
	static const char pre[] = "postern: ";
	if (write(2, pre, sizeof(pre) - 1) < 0 || write(2, text, strlen(text)) < 0 ||
	    write(2, "\n", 1) < 0)
		return;
}

/* The library says nothing itself: the tool prints its messages on stderr,
 * the progress line over itself (shown on a terminal only: cmd_scan.c). */
static void print_message(void *ctx, enum pst_msg kind, const char *text)
{
	(void)ctx;
	if (kind == PST_MSG_FATAL) {
		print_fatal(text);
		return;
	}
	if (kind == PST_MSG_PROGRESS)
		fprintf(stderr, "\rpostern: %s   ", text);
	else if (kind == PST_MSG_PROGRESS_END)
		fprintf(stderr, "\r%60s\r", "");
	else
		fprintf(stderr, "postern: %s\n", text);
}

/* Out of memory in OpenSSL or capstone while no scan is alive (OpenSSL's
 * cleanup at exit allocates): still said, on stderr, by the tool. */
void pst_cli_fatal_init(void)
{
	pst_set_fatal_handler(print_message, NULL);
}

void pst_cli_common_init(struct pst_cli_common *cc, struct pst_options *o)
{
	memset(cc, 0, sizeof(*cc));
	cc->fail_from = PST_VERDICT_FAIL;
	cc->sandbox = true;
	pst_options_default(o);
	o->message = print_message;
}

int pst_cli_common_opt(int c, const char *arg, const char *name, struct pst_cli_common *cc,
		       struct pst_options *o)
{
	uint64_t v;

	switch (c) {
	case 'o': cc->out_path = arg; return 1;
	case 'j':
		if (!pst_cli_parse_size(arg, &v) || v == 0 || v > 256) {
			fprintf(stderr, "postern: --jobs takes 1 to 256\n");
			return -1;
		}
		o->jobs = (unsigned)v;
		return 1;
	case PST_OPT_POLICY: o->policy_path = arg; return 1;
	case PST_OPT_NO_SANDBOX: cc->sandbox = false; return 1;
	case PST_OPT_CLAMAV_DB:
		if (!pst_clamav_available()) {
			fprintf(stderr, "postern: --clamav-db is unavailable: %s\n",
				pst_clamav_error());
			return -1;
		}
		o->clamav_db = arg;
		return 1;
	case PST_OPT_RULES:
		if (cc->nrules == 32) {
			fprintf(stderr, "postern: at most 32 --rules directories\n");
			return -1;
		}
		cc->rule_dirs[cc->nrules++] = arg;
		return 1;
	case PST_OPT_FAIL_ON:
		if (strcmp(arg, "review") == 0) {
			cc->fail_from = PST_VERDICT_REVIEW;
		} else if (strcmp(arg, "fail") == 0) {
			cc->fail_from = PST_VERDICT_FAIL;
		} else {
			fprintf(stderr, "postern: --fail-on takes 'fail' or 'review'\n");
			return -1;
		}
		return 1;
	case PST_OPT_MAX_DEPTH: case PST_OPT_MAX_FILE: case PST_OPT_MAX_TOTAL: case PST_OPT_MAX_FILES:
	case PST_OPT_MAX_RATIO: case PST_OPT_MAX_SECONDS: case PST_OPT_MAX_PATH:
	case PST_OPT_MAX_MEMORY:
		if (!pst_cli_parse_size(arg, &v) || v == 0) {
			fprintf(stderr, "postern: --%s takes a positive number\n", name);
			return -1;
		}
		if (c == PST_OPT_MAX_DEPTH) o->limits.max_depth = v > 1000 ? 1000 : (unsigned)v;
		if (c == PST_OPT_MAX_FILE) o->limits.max_file_bytes = v;
		if (c == PST_OPT_MAX_TOTAL) o->limits.max_total_bytes = v;
		if (c == PST_OPT_MAX_FILES) o->limits.max_files = v;
		if (c == PST_OPT_MAX_RATIO) o->limits.max_ratio = v;
		if (c == PST_OPT_MAX_SECONDS) o->limits.max_seconds = (double)v;
		if (c == PST_OPT_MAX_PATH) o->limits.max_path = v > 65536 ? 65536 : (unsigned)v;
		if (c == PST_OPT_MAX_MEMORY) {
			o->limits.max_memory = v;
			o->limits.max_memory_fixed = true;
		}
		return 1;
	case PST_OPT_MAX_SPILL:
		if (!pst_cli_parse_size(arg, &v)) {
			fprintf(stderr, "postern: --%s takes a number\n", name);
			return -1;
		}
		o->limits.max_spill = v;
		return 1;
	default: return 0;
	}
}

void pst_cli_common_apply(struct pst_cli_common *cc, struct pst_options *o)
{
	o->rule_dirs = cc->nrules ? cc->rule_dirs : NULL;
}

int pst_cli_open_output(const char *path, FILE **out)
{
	*out = stdout;
	if (!path)
		return 0;
	*out = fopen(path, "w");
	if (!*out) {
		fprintf(stderr, "postern: %s: %s\n", path, strerror(errno));
		*out = stdout;
		return EX_CANTCREAT;
	}
	return 0;
}

int pst_cli_scan_failed(const struct pst_scan *s, enum pst_err e)
{
	const char *msg = pst_scan_errmsg(s);
	fprintf(stderr, "postern: %s\n", msg[0] ? msg : pst_err_str(e));
	return pst_cli_exit_for(e);
}

static uint64_t size_of(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

int pst_cli_sandbox(const struct pst_options *o, const char *t1, const char *t2, unsigned scans,
		    const char *scratch)
{
	const char *const fixed[] = { t1, t2, o->policy_path, o->rules_pack,
				      getenv("POSTERN_RULES_DIR"), o->vulndb };
	const char *paths[48];
	struct pst_sandbox_opts so = { 0 };
	size_t n = 0, i, cap = sizeof(paths) / sizeof(paths[0]);
	char err[256];

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (fixed[i] && n + 1 < cap)
			paths[n++] = fixed[i];
	for (i = 0; o->rule_dirs && o->rule_dirs[i] && n + 1 < cap; i++)
		paths[n++] = o->rule_dirs[i];
	paths[n] = NULL;
	so.read_paths = paths;
	so.write_dir = o->extract_dir;
	so.scratch_dir = scratch;
	so.allow_write = o->extract_dir != NULL || scratch != NULL;
	/* spill files are mapped (a virtual disk's sparse file as long as the
	 * disk): their room is address space too */
	so.max_address_space = size_of(t1) + size_of(t2) + (8ull << 30) + o->limits.max_spill;
	so.max_cpu_seconds = (uint64_t)o->limits.max_seconds * scans * (o->jobs ? o->jobs : 64) + 60;
	if (pst_sandbox_landlock_abi() == 0)
		fprintf(stderr, "postern: notice: this kernel has no Landlock: the sandbox cannot "
			"confine paths (reads anywhere the user can%s)\n",
			o->extract_dir ? "; --extract may write anywhere the user can" : "");
	errno = 0;
	if (pst_sandbox_enter(&so, err, sizeof(err)) != PST_OK) {
		fprintf(stderr, "postern: cannot enter the sandbox (%s%s); use --no-sandbox to "
			"scan unconfined\n", err, errno == ENOMEM ? ": out of memory" : "");
		return errno == ENOMEM ? EX_SOFTWARE : EX_OSERR;
	}
	return 0;
}

char *pst_cli_read_small(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	if (!f)
		return NULL;
	buf = malloc(max + 1);
	if (buf) {
		*len = fread(buf, 1, max + 1, f);
		if (ferror(f) || *len > max) {
			free(buf);
			buf = NULL;
			errno = EFBIG;
		} else {
			buf[*len] = 0;
		}
	}
	fclose(f);
	return buf;
}
