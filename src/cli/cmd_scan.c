/*
 * cmd_scan.c - postern scan: runs a scan through the public API, writes the
 * report in the chosen format and, when asked, a signed attestation. Exit
 * status: 0 pass or review, 1 fail (review too with --fail-on review),
 * sysexits codes (64+) otherwise.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>
#include "cli.h"

static struct pst_scan *volatile g_scan;

static void on_signal(int sig)
{
	(void)sig;
	if (g_scan)
		pst_scan_cancel(g_scan);
}

enum {
	OPT_INVENTORY = PST_OPT_COMMON_END, OPT_EXTRACT, OPT_NO_PROGRESS, OPT_COLOR, OPT_NO_COLOR,
	OPT_NO_RUN, OPT_RULES_PACK, OPT_NO_RULES_PACK, OPT_RULE_TIMEOUT, OPT_SIGN, OPT_ATTEST,
	OPT_EXPLAIN, OPT_ROOT,
};

static void usage(FILE *f)
{
	fputs("usage: postern scan TARGET [options]\n"
	      "       postern scan --explain RULE   (as postern explain RULE)\n"
	      "\n"
	      "Opens TARGET (a firmware image, package, archive or directory) all the way down,\n"
	      "in memory, examines every file and gives a verdict: pass, review or fail.\n"
	      "\n"
	      "scan options:\n"
	      "  -f, --format FMT        text (default), json, sarif, html or cyclonedx\n"
	      "  -o, --output FILE       write the report to FILE instead of stdout\n"
	      "      --inventory         list every file (location, kind, size, sha256)\n"
	      "      --extract DIR       also write the unpacked tree under DIR (traversal-safe)\n"
	      "      --root PATH         a directory TARGET's path in the product's root filesystem\n"
	      "                          (e.g. /usr/bin): its files are judged at PATH/...; default:\n"
	      "                          inferred from TARGET's path (.../usr/bin, squashfs-root/usr),\n"
	      "                          else /\n"
	      "  -j, --jobs N            worker threads (default: one per core)\n"
	      "      --rules DIR         add a rule directory (repeatable): YARA files\n"
	      "                          (*.yar, *.yara) and hash lists (known-bad*.sha256,\n"
	      "                          known-good*.sha256) found anywhere under DIR\n"
	      "      --rules-pack DIR    the bundled pack (default: $POSTERN_RULES_DIR, else the\n"
	      "                          installed or source tree's rules/)\n"
	      "      --no-rules-pack     run without the bundled pack\n"
	      "      --rule-timeout N    seconds of signature scanning per file (default 20)\n"
	      "      --policy FILE       policy file, or 'default' / 'strict' (docs/policy.md)\n"
	      "      --fail-on LEVEL     'fail' (default) or 'review': exit 1 from this verdict on\n"
	      "      --sign KEY          sign a vetting attestation with this secret key...\n"
	      "      --attest FILE       ...and write it here (docs/attestation.md)\n"
	      "      --explain RULE      print RULE's catalog entry (why, fix, references), no scan\n"
	      "      --no-progress       no progress line on stderr\n"
	      "      --no-sandbox        do not confine the scanning process (seccomp, rlimits)\n"
	      "      --color / --no-color\n"
	      "limits (a hit is reported as a finding and in coverage; see docs/limits.md):\n"
	      "      --max-depth N       container nesting (default 24)\n"
	      "      --max-file-bytes N  one file's unpacked size (default 256M)\n"
	      "      --max-total-bytes N all unpacked content (default 16G)\n"
	      "      --max-files N       nodes in the tree (default 1000000)\n"
	      "      --max-ratio N       unpacked/target size, past 64 MiB (default 500)\n"
	      "      --max-seconds N     wall time (default 1800)\n"
	      "      --max-path N        bytes of one member name (default 4096)\n"
	      "      --max-memory N      unpacked content alive at once, all workers (default 384M,\n"
	      "                          or 6x the input file, at most 1/4 of RAM, 4G)\n"
	      "\n"
	      "exit status: 0 pass or review, 1 fail, 64 usage (a policy that does not parse\n"
	      "included), 65 bad data, 66 no input, 70 internal error, 74 I/O error\n",
	      f);
}


int pst_cmd_scan(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "format", required_argument, NULL, 'f' },
		PST_CLI_COMMON_LONGS,
		PST_CLI_LIMIT_LONGS,
		{ "inventory", no_argument, NULL, OPT_INVENTORY },
		{ "extract", required_argument, NULL, OPT_EXTRACT },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		{ "color", no_argument, NULL, OPT_COLOR },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "no-run", no_argument, NULL, OPT_NO_RUN },
		{ "rules-pack", required_argument, NULL, OPT_RULES_PACK },
		{ "no-rules-pack", no_argument, NULL, OPT_NO_RULES_PACK },
		{ "rule-timeout", required_argument, NULL, OPT_RULE_TIMEOUT },
		{ "sign", required_argument, NULL, OPT_SIGN },
		{ "attest", required_argument, NULL, OPT_ATTEST },
		{ "explain", required_argument, NULL, OPT_EXPLAIN },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pst_options o;
	struct pst_cli_common cc;
	struct pst_report_opts ro = { 0 };
	struct pst_scan *s = NULL;
	const char *target, *sign_key = NULL, *attest_path = NULL;
	FILE *att = NULL;
	int format = PST_FORMAT_TEXT, c, rc = EX_SOFTWARE, color = -1, r, li = -1;
	bool progress = true;
	struct stat st;
	uint64_t v;
	enum pst_err e;
	FILE *out = stdout;

	pst_cli_common_init(&cc, &o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:j:h", longs, &li)) != -1) {
		r = pst_cli_common_opt(c, optarg, li >= 0 ? longs[li].name : "", &cc, &o);
		li = -1;
		if (r < 0)
			return EX_USAGE;
		if (r > 0)
			continue;
		switch (c) {
		case 'f':
			format = pst_format_parse(optarg);
			if (format < 0) {
				fprintf(stderr, "postern: unknown format '%s' (text, json, sarif, html, "
						"cyclonedx)\n", optarg);
				return EX_USAGE;
			}
			break;
		case OPT_INVENTORY: o.inventory = ro.inventory = true; break;
		case OPT_EXTRACT: o.extract_dir = optarg; break;
		case OPT_NO_PROGRESS: progress = false; break;
		case OPT_COLOR: color = 1; break;
		case OPT_NO_COLOR: color = 0; break;
		case OPT_NO_RUN: ro.no_run = true; break;
		case OPT_RULES_PACK: o.rules_pack = optarg; break;
		case OPT_NO_RULES_PACK: o.no_rules_pack = true; break;
		case OPT_RULE_TIMEOUT:
			if (!pst_cli_parse_size(optarg, &v) || v == 0 || v > 86400) {
				fprintf(stderr, "postern: --rule-timeout takes 1 to 86400 seconds\n");
				return EX_USAGE;
			}
			o.rule_timeout = (double)v;
			break;
		case OPT_SIGN: sign_key = optarg; break;
		case OPT_ATTEST: attest_path = optarg; break;
		case OPT_EXPLAIN: return pst_cli_explain(optarg);
		case OPT_ROOT: o.dir_root = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "postern: scan takes exactly one TARGET (try 'postern scan --help')\n");
		return EX_USAGE;
	}
	target = argv[optind];
	if (!sign_key != !attest_path) {
		fprintf(stderr, "postern: --sign KEY and --attest FILE go together\n");
		return EX_USAGE;
	}
	if (sign_key && access(sign_key, R_OK) != 0) {
		fprintf(stderr, "postern: %s: %s\n", sign_key, strerror(errno));
		return EX_NOINPUT;
	}
	if (sign_key && stat(target, &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "postern: an attestation needs a file target (its sha256 is the subject)\n");
		return EX_USAGE;
	}
	if (o.dir_root && stat(target, &st) == 0 && !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "postern: --root applies to a directory target only\n");
		return EX_USAGE;
	}
	pst_cli_common_apply(&cc, &o);
	o.progress = progress && isatty(STDERR_FILENO);
	if (access(target, R_OK) != 0) {
		fprintf(stderr, "postern: %s: %s\n", target, strerror(errno));
		return errno == ENOENT ? EX_NOINPUT : (errno == EACCES ? EX_NOPERM : EX_NOINPUT);
	}
	s = pst_scan_new(&o);
	if (!s) {
		fprintf(stderr, "postern: out of memory\n");
		return EX_SOFTWARE;
	}
	rc = pst_cli_open_output(cc.out_path, &out);
	if (rc != 0)
		goto out;
	rc = EX_SOFTWARE;
	if (attest_path) {
		/* Opened before the sandbox, which allows no new files for writing. */
		att = fopen(attest_path, "w");
		if (!att) {
			fprintf(stderr, "postern: %s: %s\n", attest_path, strerror(errno));
			rc = EX_CANTCREAT;
			goto out;
		}
	}
	e = pst_scan_prepare(s);
	if (e == PST_OK && cc.sandbox && (rc = pst_cli_sandbox(&o, target, sign_key, 1)) != 0)
		goto out;
	g_scan = s;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (e == PST_OK)
		e = pst_scan_run(s, target);
	if (e != PST_OK) {
		rc = pst_cli_scan_failed(s, e);
		goto out;
	}
	ro.color = color >= 0 ? color == 1 : (!cc.out_path && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
	e = pst_report_write(s, (enum pst_format)format, &ro, out);
	if (out != stdout && fclose(out) != 0)
		e = PST_EIO;
	out = stdout;
	if (e != PST_OK) {
		fprintf(stderr, "postern: writing the report: %s\n", pst_err_str(e));
		rc = e == PST_ENOMEM ? EX_SOFTWARE : EX_IOERR;
		goto out;
	}
	if (att) {
		char err[512] = "";
		e = pst_attest_write(s, sign_key, att, err, sizeof(err));
		if (fclose(att) != 0 && e == PST_OK)
			e = PST_EIO;
		att = NULL;
		if (e != PST_OK) {
			fprintf(stderr, "postern: attestation: %s\n", err[0] ? err : pst_err_str(e));
			rc = e == PST_EUSAGE ? EX_USAGE : EX_IOERR;
			goto out;
		}
	}
	rc = pst_scan_verdict(s) >= cc.fail_from ? 1 : 0;
out:
	if (out != stdout)
		fclose(out);
	if (att) /* nothing was written: no attestation without a result */
		fclose(att);
	g_scan = NULL;
	pst_scan_free(s);
	return rc;
}

