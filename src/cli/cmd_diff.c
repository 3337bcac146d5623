/*
 * cmd_diff.c - postern diff OLD NEW: scans both versions and reports what
 * NEW changes: files added, removed and changed (aligned by inner path),
 * findings new and resolved, the new attack surface, and a verdict on the
 * change itself (NEW's policy applied to what is new). Exit status: 1 when
 * the change fails (or needs review, with --fail-on review), else 0.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>
#include "cli.h"

/* A scan made and prepared (policy, rules, analyzers loaded) but not run, so
 * that both can be prepared before the sandbox is entered. */
static struct pst_scan *prepare_one(const struct pst_options *o, const char *target, int *rc)
{
	struct pst_scan *s;
	enum pst_err e;

	if (access(target, R_OK) != 0) {
		fprintf(stderr, "postern: %s: %s\n", target, strerror(errno));
		*rc = EX_NOINPUT;
		return NULL;
	}
	s = pst_scan_new(o);
	if (!s) {
		*rc = EX_OSERR;
		return NULL;
	}
	e = pst_scan_prepare(s);
	if (e != PST_OK) {
		*rc = pst_cli_scan_failed(s, e);
		pst_scan_free(s);
		return NULL;
	}
	return s;
}

static bool run_one(struct pst_scan *s, const char *target, int *rc)
{
	enum pst_err e = pst_scan_run(s, target);
	if (e != PST_OK) {
		*rc = pst_cli_scan_failed(s, e);
		return false;
	}
	return true;
}

int pst_cmd_diff(int argc, char **argv)
{
	struct pst_cli_parser p;
	const char *name;
	struct pst_options o;
	struct pst_cli_common cc;
	struct pst_report_opts ro = { 0 };
	struct pst_scan *a = NULL, *b = NULL;
	struct pst_diff *d = NULL;
	int format = PST_FORMAT_TEXT, c, rc = EX_SOFTWARE, r;
	FILE *out = stdout;
	enum pst_err e;

	pst_cli_common_init(&cc, &o);
	pst_cli_parser_init(&p, pst_cli_cmd_find("diff"));
	while ((c = pst_cli_parser_next(&p, argc, argv, &name)) != -1) {
		r = pst_cli_common_opt(c, optarg, name, &cc, &o);
		if (r < 0)
			return EX_USAGE;
		if (r > 0)
			continue;
		switch (c) {
		case 'f':
			format = pst_format_parse(optarg);
			if (format != PST_FORMAT_TEXT && format != PST_FORMAT_JSON && format != PST_FORMAT_HTML) {
				fprintf(stderr, "postern: diff formats are text, json and html\n");
				return EX_USAGE;
			}
			break;
		case 'h':
			pst_cli_help(stdout, p.cmd);
			return 0;
		default: return EX_USAGE;
		}
	}
	if (optind != argc - 2) {
		fprintf(stderr, "postern: diff takes OLD and NEW (try 'postern diff --help')\n");
		return EX_USAGE;
	}
	pst_cli_common_apply(&cc, &o);
	a = prepare_one(&o, argv[optind], &rc);
	if (!a)
		goto out;
	b = prepare_one(&o, argv[optind + 1], &rc);
	if (!b)
		goto out;
	rc = pst_cli_open_output(cc.out_path, &out);
	if (rc != 0)
		goto out;
	rc = EX_SOFTWARE;
	/* both scans share libclamav's scratch directory (one per user) */
	if (cc.sandbox && (rc = pst_cli_sandbox(&o, argv[optind], argv[optind + 1], 2,
						pst_scan_scratch_dir(a))) != 0)
		goto out;
	rc = EX_SOFTWARE;
	if (!run_one(a, argv[optind], &rc) || !run_one(b, argv[optind + 1], &rc))
		goto out;
	d = pst_diff_new(a, b);
	if (!d) {
		fprintf(stderr, "postern: out of memory\n");
		rc = EX_OSERR;
		goto out;
	}
	e = pst_diff_write(d, (enum pst_format)format, &ro, out);
	if (out != stdout && fclose(out) != 0)
		e = PST_EIO;
	out = stdout;
	if (e != PST_OK) {
		fprintf(stderr, "postern: writing the diff: %s\n", pst_err_str(e));
		rc = EX_IOERR;
		goto out;
	}
	rc = pst_diff_verdict(d) >= cc.fail_from ? 1 : 0;
out:
	if (out != stdout)
		fclose(out);
	pst_diff_free(d);
	pst_scan_free(a);
	pst_scan_free(b);
	return rc;
}
