/*
 * verdict.c - the verdict: a pure function of the findings (after the
 * policy's overrides and waivers), the coverage and the policy. Nothing else
 * decides pass, review or fail. Documented in docs/policy.md.
 */
#include <string.h>
#include "internal.h"
#include "policy/policy.h"

/* Bytes nothing explains and data nothing identified are reported range by
 * range and file by file; a person may accept one (a waiver with a
 * justification and an expiry: the vendor's flash tool writes that tail).
 * What is left unwaived keeps the gap open. */
static bool unwaived(const struct pst_finding *f, size_t n, const char *r1, const char *r2)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!f[i].waiver && (strcmp(f[i].rule, r1) == 0 || (r2 && strcmp(f[i].rule, r2) == 0)))
			return true;
	return false;
}

/* Content that was not examined: a node left incomplete, a limit hit,
 * encryption we could not see through, or - until a person accepts them -
 * non-padding bytes of an image that no object explains and high-entropy
 * data or firmware blobs that nothing opened or identified, and programs
 * whose machine code postern cannot disassemble (analyze.partial: only
 * their strings, imports, sections and size were read) or whose search for
 * hidden commands stopped at its bounds (analyze.budget). A pass means every
 * byte was examined or is padding. */
bool pst_coverage_gap(const struct pst_coverage *c, const struct pst_finding *f, size_t n)
{
	return c->incomplete || c->limits_hit || c->encrypted ||
	       ((c->unexplained_bytes || c->unidentified) &&
		unwaived(f, n, "coverage.unexplained", "coverage.unidentified")) ||
	       (c->partial && unwaived(f, n, "analyze.partial", "analyze.budget"));
}

enum pst_verdict pst_policy_verdict(const struct pst_policy *p, const struct pst_finding *f,
				    size_t n, const struct pst_coverage *c)
{
	enum pst_verdict v = PST_VERDICT_PASS;
	size_t i;

	for (i = 0; i < n; i++) {
		int sev = (int)f[i].severity;
		if (f[i].waiver)
			continue;
		if (sev >= p->fail_at)
			return PST_VERDICT_FAIL;
		if (sev >= p->review_at)
			v = PST_VERDICT_REVIEW;
	}
	/* Fail closed: a gap in coverage can only make the verdict worse. */
	if (c && pst_coverage_gap(c, f, n) && p->coverage > v)
		v = p->coverage;
	return v;
}
