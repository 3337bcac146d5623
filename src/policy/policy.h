/*
 * policy.h - the loaded form of a policy (see policy.c for the YAML, and
 * docs/policy.md for the semantics).
 */
#ifndef PST_POLICY_H
#define PST_POLICY_H

#include "postern/postern.h"

#define PST_POLICY_NEVER 5 /* a threshold no severity reaches */

struct pst_override {
	char *rule;               /* rule id or fnmatch glob */
	enum pst_severity severity;
	bool glob;
};

struct pst_policy {
	char *name;
	int fail_at;              /* severity, or PST_POLICY_NEVER */
	int review_at;
	enum pst_verdict coverage; /* what unexamined content makes of a pass */
	struct pst_override *overrides;
	size_t noverrides;
	struct pst_waiver *waivers;
	size_t nwaivers;
	char sha256[65];
};

#endif
