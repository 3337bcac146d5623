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
static volatile sig_atomic_t g_scanning;

/* libarchive 3.6 ends the process with exit(1) when an allocation fails in
 * its string conversions ("Fatal Internal Error in libarchive: No memory"):
 * exit status 1 reads as a verdict (fail) with no report. An exit while a
 * scan runs is no verdict: it becomes exit 70 (issue 23). */
static void on_exit_in_scan(void)
{
	static const char msg[] = "postern: out of memory: a library ended the process "
				  "during the scan, no report was written\n";
	if (!g_scanning)
		return;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(EX_SOFTWARE);
	_exit(EX_SOFTWARE);
}

static void on_signal(int sig)
{
	(void)sig;
	if (g_scan)
		pst_scan_cancel(g_scan);
}

int pst_cmd_scan(int argc, char **argv)
{
	struct pst_cli_parser p;
	struct pst_options o;
	struct pst_cli_common cc;
	struct pst_report_opts ro = { 0 };
	struct pst_scan *s = NULL;
	const char *target, *sign_key = NULL, *attest_path = NULL, *name, *vex_path = NULL;
	FILE *att = NULL, *vex = NULL;
	int format = PST_FORMAT_TEXT, c, rc = EX_SOFTWARE, color = -1, r;
	bool progress = true, no_vulndb = false;
	char vulndb_default[4096];
	struct stat st;
	uint64_t v;
	enum pst_err e;
	FILE *out = stdout;

	pst_cli_common_init(&cc, &o);
	pst_cli_parser_init(&p, pst_cli_cmd_find("scan"));
	while ((c = pst_cli_parser_next(&p, argc, argv, &name)) != -1) {
		r = pst_cli_common_opt(c, optarg, name, &cc, &o);
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
		case PST_OPT_INVENTORY: o.inventory = ro.inventory = true; break;
		case PST_OPT_EXTRACT: o.extract_dir = optarg; break;
		case PST_OPT_NO_PROGRESS: progress = false; break;
		case PST_OPT_COLOR: color = 1; break;
		case PST_OPT_NO_COLOR: color = 0; break;
		case PST_OPT_NO_RUN: ro.no_run = true; break;
		case PST_OPT_RULES_PACK: o.rules_pack = optarg; break;
		case PST_OPT_NO_RULES_PACK: o.no_rules_pack = true; break;
		case PST_OPT_RULE_TIMEOUT:
			if (!pst_cli_parse_size(optarg, &v) || v == 0 || v > 86400) {
				fprintf(stderr, "postern: --rule-timeout takes 1 to 86400 seconds\n");
				return EX_USAGE;
			}
			o.rule_timeout = (double)v;
			break;
		case PST_OPT_SIGN: sign_key = optarg; break;
		case PST_OPT_ATTEST: attest_path = optarg; break;
		case PST_OPT_EXPLAIN: return pst_cli_explain(optarg);
		case PST_OPT_ROOT: o.dir_root = optarg; break;
		case PST_OPT_VULNDB: o.vulndb = optarg; break;
		case PST_OPT_VEX: vex_path = optarg; break;
		case PST_OPT_NO_VULNDB: no_vulndb = true; break;
		case PST_OPT_VULNDB_MAX_AGE:
			if (!pst_cli_parse_size(optarg, &v) || v == 0 || v > 36500) {
				fprintf(stderr, "postern: --vulndb-max-age takes 1 to 36500 days\n");
				return EX_USAGE;
			}
			o.vulndb_max_age_days = (unsigned)v;
			break;
		case 'h': pst_cli_help(stdout, p.cmd); return 0;
		default: return EX_USAGE;
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
	if (no_vulndb) {
		o.vulndb = NULL;
	} else if (o.vulndb && access(o.vulndb, R_OK) != 0) {
		fprintf(stderr, "postern: --vulndb %s: %s\n", o.vulndb, strerror(errno));
		return EX_NOINPUT;
	} else if (!o.vulndb && pst_vulndb_default_path(vulndb_default, sizeof(vulndb_default)) &&
		   access(vulndb_default, R_OK) == 0) {
		/* the default database is used when it exists: one stat, no cost otherwise */
		o.vulndb = vulndb_default;
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
	if (vex_path && !(vex = fopen(vex_path, "w"))) {
		/* opened before the sandbox, as the attestation */
		fprintf(stderr, "postern: %s: %s\n", vex_path, strerror(errno));
		rc = EX_CANTCREAT;
		goto out;
	}
	g_scanning = 1;
	atexit(on_exit_in_scan);
	e = pst_scan_prepare(s);
	if (e == PST_OK && cc.sandbox && (rc = pst_cli_sandbox(&o, target, sign_key, 1,
							  pst_scan_scratch_dir(s))) != 0)
		goto out;
	g_scan = s;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (e == PST_OK)
		e = pst_scan_run(s, target);
	g_scanning = 0;
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
	if (vex) {
		e = pst_report_write(s, PST_FORMAT_VEX, &ro, vex);
		if (fclose(vex) != 0 && e == PST_OK)
			e = PST_EIO;
		vex = NULL;
		if (e != PST_OK) {
			fprintf(stderr, "postern: writing the VEX document: %s\n", pst_err_str(e));
			rc = EX_IOERR;
			goto out;
		}
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
	g_scanning = 0;
	if (out != stdout)
		fclose(out);
	if (att) /* nothing was written: no attestation without a result */
		fclose(att);
	if (vex)
		fclose(vex);
	g_scan = NULL;
	pst_scan_free(s);
	return rc;
}

