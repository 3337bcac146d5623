/*
 * text.c - the default report, for a person at a terminal: the verdict
 * first, then findings grouped by severity with location and evidence.
 * Colour only when the caller says the output is a terminal.
 */
#include <string.h>
#include "report/report.h"

static void human_bytes(char *buf, size_t len, uint64_t b)
{
	if (b >= 1000000000ull)
		snprintf(buf, len, "%.1f GB", (double)b / 1e9);
	else if (b >= 1000000ull)
		snprintf(buf, len, "%.1f MB", (double)b / 1e6);
	else if (b >= 1000ull)
		snprintf(buf, len, "%.1f kB", (double)b / 1e3);
	else
		snprintf(buf, len, "%llu bytes", (unsigned long long)b);
}

static void text_finding(struct pst_str *o, const struct pst_finding *f, bool color)
{
	static const char *const sev_color[] = { "\033[2m", "\033[36m", "\033[33m", "\033[31m",
						 "\033[1;31m" };
	int sev = (int)f->severity;
	pst_str_printf(o, "\n%s%-8s%s %s", color ? sev_color[sev] : "", pst_severity_str(f->severity),
		       color ? "\033[0m" : "", f->rule);
	if (f->declared_severity != f->severity)
		pst_str_printf(o, " (declared %s; policy override)",
			       pst_severity_str(f->declared_severity));
	pst_str_printf(o, "\n         at %s", pst_finding_location(f));
	if (f->offset)
		pst_str_printf(o, " +0x%llx", (unsigned long long)f->offset);
	pst_str_printf(o, "\n         %s\n", f->message);
	if (f->evidence)
		pst_str_printf(o, "         evidence: %s\n", f->evidence);
	if (f->waiver)
		pst_str_printf(o, "         waived until %s: %s\n", f->waiver->expires,
			       f->waiver->justification);
}

/* Which root a directory target's paths were judged in, and why. */
static void text_dir_root(struct pst_str *o, const struct pst_scan *s)
{
	const char *root = s->dir_root[0] ? s->dir_root : "/";
	if (strcmp(s->dir_root_from, "option") == 0)
		pst_str_printf(o, "root: %s (--root): paths are judged as %s/...\n", root, s->dir_root);
	else if (strcmp(s->dir_root_from, "inferred") == 0)
		pst_str_printf(o, "root: %s (inferred from the target's path; --root PATH sets it): "
				  "paths are judged as %s/...\n", root, s->dir_root);
	else
		pst_str_puts(o, "root: / (the directory is taken as a whole root filesystem; "
				"--root PATH if it is a part of one)\n");
}

enum pst_err pst_write_text(const struct pst_scan *s, const struct pst_report_opts *ro,
			    struct pst_str *o)
{
	static const char *const verdict_color[] = { "\033[1;32m", "\033[1;33m", "\033[1;31m" };
	const struct pst_coverage *c = &s->cov;
	const struct pst_waiver *w;
	bool color = ro && ro->color;
	struct pst_counts cnt;
	size_t i, nw, applied = 0;
	char size[32], unpacked[32];
	int sev;

	pst_count_findings(s->findings, s->nfindings, &cnt);
	bool dir = s->root->format && strcmp(s->root->format, "dir") == 0;
	human_bytes(size, sizeof(size), s->target_size);
	human_bytes(unpacked, sizeof(unpacked), c->bytes_unpacked);
	pst_str_printf(o, "%sverdict: %s%s  %s\n", color ? verdict_color[s->verdict] : "",
		       s->verdict == PST_VERDICT_FAIL ? "FAIL" :
		       s->verdict == PST_VERDICT_REVIEW ? "REVIEW" : "PASS",
		       color ? "\033[0m" : "", s->root->seg);
	pst_str_printf(o, "findings: %zu critical, %zu high, %zu medium, %zu low, %zu info",
		       cnt.sev[PST_SEV_CRITICAL], cnt.sev[PST_SEV_HIGH], cnt.sev[PST_SEV_MEDIUM],
		       cnt.sev[PST_SEV_LOW], cnt.sev[PST_SEV_INFO]);
	if (cnt.waived)
		pst_str_printf(o, "; %zu waived", cnt.waived);
	pst_str_printf(o, "\ncoverage: %llu files in %llu containers, %s %s%s; "
			  "%llu incomplete, %llu encrypted, %llu limits hit, "
			  "%llu unexplained bytes, %llu unidentified, %llu partly analysed\n",
		       (unsigned long long)c->files, (unsigned long long)c->containers, unpacked,
		       dir ? "read from a directory" : "unpacked from ", dir ? "" : size,
		       (unsigned long long)c->incomplete, (unsigned long long)c->encrypted,
		       (unsigned long long)c->limits_hit, (unsigned long long)c->unexplained_bytes,
		       (unsigned long long)c->unidentified, (unsigned long long)c->partial);
	if (s->dir_root_from)
		text_dir_root(o, s);
	pst_str_printf(o, "policy: %s (sha256 %.16s)\n", pst_policy_name(s->policy),
		       pst_policy_sha256(s->policy));
	w = pst_policy_waivers(s->policy, &nw);
	for (i = 0; i < nw; i++) {
		if (w[i].expired || !w[i].matched)
			continue;
		if (!applied++)
			pst_str_puts(o, "waivers applied:\n");
		pst_str_printf(o, "  %s at %s, until %s (%llu finding%s): %s\n", w[i].rule,
			       w[i].location, w[i].expires, (unsigned long long)w[i].matched,
			       w[i].matched == 1 ? "" : "s", w[i].justification);
	}
	for (sev = PST_SEV_CRITICAL; sev >= PST_SEV_INFO; sev--)
		for (i = 0; i < s->nfindings; i++)
			if ((int)s->findings[i].severity == sev && !s->findings[i].waiver)
				text_finding(o, &s->findings[i], color);
	if (cnt.waived) {
		pst_str_puts(o, "\nwaived findings (not counted in the verdict):\n");
		for (sev = PST_SEV_CRITICAL; sev >= PST_SEV_INFO; sev--)
			for (i = 0; i < s->nfindings; i++)
				if ((int)s->findings[i].severity == sev && s->findings[i].waiver)
					text_finding(o, &s->findings[i], color);
	}
	pst_str_printf(o, "\nscanned in %.2f s with %u jobs; sha256 %s\n", s->seconds, s->jobs,
		       s->target_sha[0] ? s->target_sha : "-");
	return PST_OK;
}
