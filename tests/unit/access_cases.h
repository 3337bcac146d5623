/*
 * access_cases.h - table-driven cases for the access analyzers' unit tests:
 * each case builds a small root filesystem in a fresh directory with a shell
 * snippet (run with its working directory there), scans the directory, and
 * checks that a rule fires on the file whose location ends with `at` (with
 * at least the given severity) or, for a silent case, that the rule does not
 * fire anywhere.
 */
#ifndef PST_ACCESS_CASES_H
#define PST_ACCESS_CASES_H

#include "helpers.h"

struct acase {
	const char *name;
	const char *setup;   /* bash, cwd = the tree */
	const char *rule;
	const char *at;      /* location suffix; NULL: the rule must stay silent */
	enum pst_severity min, max;
};

static void acase_run(void **state)
{
	const struct acase *c = *state;
	char *dir = th_tmpdir();
	struct pst_scan *s;
	const struct pst_finding *f;

	th_sh("cd '%s' && mkdir -p etc bin sbin lib usr/bin && %s", dir, c->setup);
	s = th_scan(dir, 2);
	f = th_finding(s, c->rule, c->at);
	if (c->at) {
		if (!f)
			fail_msg("%s: rule %s did not fire at %s", c->name, c->rule, c->at);
		if (f->severity < c->min || f->severity > c->max)
			fail_msg("%s: rule %s has severity %s", c->name, c->rule,
				 pst_severity_str(f->severity));
		if (f->evidence && strstr(f->evidence, "S3cr3t-"))
			fail_msg("%s: the secret is in the evidence: %s", c->name, f->evidence);
	} else if (f) {
		fail_msg("%s: rule %s fired at %s: %s", c->name, c->rule, f->node->location,
			 f->message);
	}
	pst_scan_free(s);
	th_rmtree(dir);
}

#define ACASES(table)                                                                   \
	int main(void)                                                                  \
	{                                                                               \
		struct CMUnitTest t[sizeof(table) / sizeof(table[0])];                  \
		size_t i;                                                               \
		for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {                \
			struct CMUnitTest u = { table[i].name, acase_run, NULL, NULL,   \
						(void *)&table[i] };                    \
			t[i] = u;                                                       \
		}                                                                       \
		return _cmocka_run_group_tests("access", t, i, NULL, NULL);             \
	}

#define LOW PST_SEV_LOW
#define MED PST_SEV_MEDIUM
#define HIGH PST_SEV_HIGH
#define CRIT PST_SEV_CRITICAL
#define INFO PST_SEV_INFO

#endif
