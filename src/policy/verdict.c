/*
 * verdict.c - the verdict: a pure function of the findings (after the
 * policy's overrides and waivers), the coverage and the policy. Nothing else
 * decides pass, review or fail. Documented in docs/policy.md.
 */
#include "internal.h"
#include "policy/policy.h"

/* Content that could not be examined: a node left incomplete, a limit hit,
 * encryption we could not see through. */
static bool coverage_gap(const struct pst_coverage *c)
{
	return c->incomplete || c->limits_hit || c->encrypted;
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
	if (c && coverage_gap(c) && p->coverage > v)
		v = p->coverage;
	return v;
}
