/* test_policy.c - policy parsing (errors with line numbers), overrides,
 * waivers and their expiry, and the verdict as a pure function of findings,
 * coverage and policy. */
#include "helpers.h"
#include "policy/policy.h"

static struct pst_policy *parse(const char *text)
{
	char err[512];
	struct pst_policy *p = pst_policy_parse(text, strlen(text), "t.yaml", err, sizeof(err));
	if (!p)
		fail_msg("policy did not parse: %s", err);
	return p;
}

static void parse_error(const char *text, const char *want)
{
	char err[512];
	struct pst_policy *p = pst_policy_parse(text, strlen(text), "t.yaml", err, sizeof(err));
	assert_null(p);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
}

static struct pst_node node(const char *location, const char *path)
{
	struct pst_node n;
	memset(&n, 0, sizeof(n));
	n.location = location;
	n.path = path;
	return n;
}

static struct pst_finding finding(const struct pst_node *n, const char *rule, enum pst_severity sev)
{
	struct pst_finding f;
	memset(&f, 0, sizeof(f));
	f.rule = rule;
	f.severity = f.declared_severity = sev;
	f.category = "access";
	f.node = n;
	f.message = "m";
	return f;
}

static void test_builtin_policies(void **state)
{
	char err[256];
	struct pst_policy *d = pst_policy_load(NULL, err, sizeof(err));
	struct pst_policy *s = pst_policy_load("strict", err, sizeof(err));
	(void)state;
	assert_non_null(d);
	assert_non_null(s);
	assert_string_equal(pst_policy_name(d), "default");
	assert_int_equal(pst_policy_fail_at(d), PST_SEV_HIGH);
	assert_int_equal(pst_policy_review_at(d), PST_SEV_MEDIUM);
	assert_int_equal(d->coverage, PST_VERDICT_REVIEW);
	assert_string_equal(pst_policy_name(s), "strict");
	assert_int_equal(pst_policy_fail_at(s), PST_SEV_MEDIUM);
	assert_int_equal(s->coverage, PST_VERDICT_FAIL);
	pst_policy_free(d);
	pst_policy_free(s);
}

/* The built-in text is the file in the tree (the build embeds it). */
static void test_builtin_matches_tree(void **state)
{
	char err[256], path[4096];
	const char *names[] = { "default", "strict" };
	size_t i;
	(void)state;
	for (i = 0; i < 2; i++) {
		struct pst_policy *a = pst_policy_load(names[i], err, sizeof(err));
		struct pst_policy *b;
		snprintf(path, sizeof(path), "%s/../../policies/%s.yaml", FIXTURE_DIR, names[i]);
		b = pst_policy_load(path, err, sizeof(err));
		assert_non_null(a);
		if (!b)
			fail_msg("%s", err);
		assert_string_equal(pst_policy_sha256(a), pst_policy_sha256(b));
		pst_policy_free(a);
		pst_policy_free(b);
	}
}

static void test_parse_errors(void **state)
{
	(void)state;
	parse_error("fail: hgh\n", "t.yaml:1:7: fail: 'hgh' is not a severity");
	parse_error("name: x\ncoverage: maybe\n", "t.yaml:2:11:");
	parse_error("name: x\nfial: high\n", "t.yaml:2:1: unknown key 'fial'");
	parse_error("waivers:\n  - rule: a\n    location: b\n    expires: 2030-01-01\n",
		    "t.yaml:2:5: waiver without justification");
	parse_error("waivers:\n  - rule: a\n    location: b\n    justification: '  '\n    expires: 2030-01-01\n",
		    "without justification");
	parse_error("waivers:\n  - rule: a\n    location: b\n    justification: j\n    expires: 2030-02-30\n",
		    "not a date");
	parse_error("waivers:\n  - rule: a\n    location: b\n    justification: j\n", "without expires");
	parse_error("waivers:\n  - rule: a\n    justification: j\n    expires: 2030-01-01\n",
		    "without location");
	parse_error("waivers:\n  - {rule: a, location: b, justification: j, expires: 2030-01-01, why: x}\n",
		    "unknown waiver key 'why'");
	parse_error("severity:\n  a.b: urgent\n", "t.yaml:2:8:");
	parse_error("name: [x\n", "t.yaml:2:1:");
	parse_error("- a\n- b\n", "a policy is a mapping");
	parse_error("", "empty policy");
	/* Found by fuzz_policy: a second list must not replace (or overflow) the first. */
	parse_error("severity: {a.b: low}\nseverity: {c.d: low, e.f: high}\n", "t.yaml:2:1: duplicate key 'severity'");
	parse_error("waivers: []\nname: x\nwaivers: []\n", "t.yaml:3:1: duplicate key 'waivers'");
}

static void test_verdict_thresholds_and_coverage(void **state)
{
	struct pst_policy *p = parse("name: t\n");
	struct pst_node n = node("fw!/etc/x", "/etc/x");
	struct pst_finding f[2] = { finding(&n, "a.b", PST_SEV_LOW), finding(&n, "c.d", PST_SEV_INFO) };
	struct pst_waiver w = { .rule = "coverage.*", .location = "*", .justification = "vendor flash tail" };
	struct pst_coverage c;
	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(pst_policy_verdict(p, f, 0, &c), PST_VERDICT_PASS);
	assert_int_equal(pst_policy_verdict(p, f, 2, &c), PST_VERDICT_PASS);
	f[0].severity = PST_SEV_MEDIUM;
	assert_int_equal(pst_policy_verdict(p, f, 2, &c), PST_VERDICT_REVIEW);
	f[1].severity = PST_SEV_HIGH;
	assert_int_equal(pst_policy_verdict(p, f, 2, &c), PST_VERDICT_FAIL);
	f[0].severity = f[1].severity = PST_SEV_INFO;
	c.incomplete = 1;
	assert_int_equal(pst_policy_verdict(p, f, 2, &c), PST_VERDICT_REVIEW);
	c.incomplete = 0;
	c.encrypted = 1;
	assert_int_equal(pst_policy_verdict(p, f, 2, &c), PST_VERDICT_REVIEW);
	c.encrypted = 0;
	c.limits_hit = 2;
	assert_int_equal(pst_policy_verdict(p, f, 2, &c), PST_VERDICT_REVIEW);
	c.limits_hit = 0;
	/* bytes nothing explains and data nothing identified were not
	 * examined: a pass means every byte was (issue 13) */
	c.unexplained_bytes = 100;
	f[1].rule = "coverage.unexplained";
	assert_int_equal(pst_policy_verdict(p, f, 2, &c), PST_VERDICT_REVIEW);
	c.unexplained_bytes = 0;
	c.unidentified = 1;
	f[1].rule = "coverage.unidentified";
	assert_int_equal(pst_policy_verdict(p, f, 2, &c), PST_VERDICT_REVIEW);
	/* a person accepted it: a waiver with a justification */
	f[1].waiver = &w;
	assert_int_equal(pst_policy_verdict(p, f, 2, &c), PST_VERDICT_PASS);
	f[1].waiver = NULL;
	c.unidentified = 0;
	assert_int_equal(pst_policy_verdict(p, f, 2, &c), PST_VERDICT_PASS);
	pst_policy_free(p);

	p = parse("fail: none\nreview: none\ncoverage: ignore\n");
	f[0].severity = PST_SEV_CRITICAL;
	c.incomplete = 1;
	assert_int_equal(pst_policy_verdict(p, f, 2, &c), PST_VERDICT_PASS);
	pst_policy_free(p);

	p = parse("fail: medium\nreview: low\ncoverage: fail\n");
	f[0].severity = PST_SEV_INFO;
	assert_int_equal(pst_policy_verdict(p, f, 2, &c), PST_VERDICT_FAIL);
	c.incomplete = 0;
	f[1].severity = PST_SEV_LOW;
	assert_int_equal(pst_policy_verdict(p, f, 2, &c), PST_VERDICT_REVIEW);
	pst_policy_free(p);
}

static void test_overrides(void **state)
{
	struct pst_policy *p = parse("severity:\n  limit.*: info\n  limit.depth: critical\n"
				     "  'x.*': high\n");
	struct pst_node n = node("fw", "/");
	struct pst_finding f[3] = { finding(&n, "limit.depth", PST_SEV_MEDIUM),
				    finding(&n, "limit.files", PST_SEV_MEDIUM),
				    finding(&n, "y.z", PST_SEV_LOW) };
	(void)state;
	pst_policy_apply(p, f, 3, "2026-01-01");
	assert_int_equal(f[0].severity, PST_SEV_CRITICAL); /* exact id beats the glob */
	assert_int_equal(f[0].declared_severity, PST_SEV_MEDIUM);
	assert_int_equal(f[1].severity, PST_SEV_INFO);
	assert_int_equal(f[2].severity, PST_SEV_LOW);
	/* Applying twice gives the same result. */
	pst_policy_apply(p, f, 3, "2026-01-01");
	assert_int_equal(f[0].severity, PST_SEV_CRITICAL);
	assert_int_equal(f[1].severity, PST_SEV_INFO);
	assert_int_equal(pst_policy_verdict(p, f, 3, NULL), PST_VERDICT_FAIL);
	pst_policy_free(p);
}

static void test_waivers_and_expiry(void **state)
{
	struct pst_policy *p = parse(
		"waivers:\n"
		"  - rule: service.*\n"
		"    location: /etc/inittab\n"
		"    justification: console on the debug header only (ticket 7)\n"
		"    expires: 2026-06-30\n"
		"  - rule: account.empty-password\n"
		"    location: '*!squashfs@*!/etc/shadow'\n"
		"    justification: factory reset image\n"
		"    expires: 2027-01-01\n");
	struct pst_node inittab = node("fw!squashfs@0x40!/etc/inittab", "/etc/inittab");
	struct pst_node shadow = node("fw!squashfs@0x40!/etc/shadow", "/etc/shadow");
	struct pst_node other = node("fw!squashfs@0x40!/etc/inittab.bak", "/etc/inittab.bak");
	struct pst_finding f[4] = { finding(&inittab, "service.telnet-root", PST_SEV_CRITICAL),
				    finding(&shadow, "account.empty-password", PST_SEV_HIGH),
				    finding(&other, "service.telnet-root", PST_SEV_CRITICAL),
				    finding(&inittab, "policy.waiver-expired", PST_SEV_LOW) };
	const struct pst_waiver *w;
	size_t nw;
	(void)state;

	pst_policy_apply(p, f, 2, "2026-06-30"); /* the expiry day itself still applies */
	w = pst_policy_waivers(p, &nw);
	assert_int_equal(nw, 2);
	assert_ptr_equal(f[0].waiver, &w[0]);
	assert_ptr_equal(f[1].waiver, &w[1]);
	assert_int_equal(w[0].matched, 1);
	assert_int_equal(w[0].line, 2);
	assert_false(w[0].expired);
	assert_int_equal(pst_policy_verdict(p, f, 2, NULL), PST_VERDICT_PASS);

	/* Another file: not waived. policy.* findings are never waived. */
	pst_policy_apply(p, f, 4, "2026-06-30");
	assert_null(f[2].waiver);
	assert_null(f[3].waiver);
	assert_int_equal(pst_policy_verdict(p, f, 4, NULL), PST_VERDICT_FAIL);

	/* A day later the first waiver has expired and applies to nothing. */
	pst_policy_apply(p, f, 2, "2026-07-01");
	w = pst_policy_waivers(p, &nw);
	assert_true(w[0].expired);
	assert_int_equal(w[0].matched, 0);
	assert_null(f[0].waiver);
	assert_non_null(f[1].waiver);
	assert_int_equal(pst_policy_verdict(p, f, 2, NULL), PST_VERDICT_FAIL);
	pst_policy_free(p);
}

static void test_location_inner(void **state)
{
	char a[256], b[256];
	(void)state;
	pst_location_inner("fw1.bin!squashfs@0x20000!/etc/passwd", a, sizeof(a));
	pst_location_inner("fw2.bin!squashfs@0x30000!/etc/passwd", b, sizeof(b));
	assert_string_equal(a, "!squashfs!/etc/passwd");
	assert_string_equal(a, b);
	pst_location_inner("d!/etc/fw.img!gzip@0x12c!/payload", a, sizeof(a));
	assert_string_equal(a, "!/etc/fw.img!gzip!/payload");
	pst_location_inner("d!/etc/a@0x10", a, sizeof(a)); /* a path keeps its '@' */
	assert_string_equal(a, "!/etc/a@0x10");
	pst_location_inner("fw.bin", a, sizeof(a));
	assert_string_equal(a, "");
	assert_int_equal(pst_location_inner("x!/abcdef", a, 4), strlen("!/abcdef") + 1);
	assert_string_equal(a, "!/a");
}

/* Through a real scan: an expired waiver becomes policy.waiver-expired. */
static void test_scan_reports_expired(void **state)
{
	char *d = th_tmpdir(), path[4200], pol[4200];
	struct pst_options o;
	struct pst_scan *s;
	(void)state;
	th_sh("cd %s && mkdir t && echo hi > t/a && printf 'waivers:\\n  - rule: x.y\\n    location: \"*\"\\n"
	      "    justification: old decision\\n    expires: 2001-01-01\\n' > p.yaml", d);
	snprintf(path, sizeof(path), "%s/t", d);
	snprintf(pol, sizeof(pol), "%s/p.yaml", d);
	pst_options_default(&o);
	o.policy_path = pol;
	s = th_scan_opts(path, &o);
	assert_non_null(th_finding(s, "policy.waiver-expired", "t"));
	assert_int_equal(pst_scan_verdict(s), PST_VERDICT_PASS); /* low: reported, not judged */
	pst_scan_free(s);
	/* The same with a live waiver: silent. */
	th_sh("sed -i s/2001-01-01/2999-01-01/ %s", pol);
	s = th_scan_opts(path, &o);
	assert_null(th_finding(s, "policy.waiver-expired", NULL));
	pst_scan_free(s);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_policies),
		cmocka_unit_test(test_builtin_matches_tree),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_verdict_thresholds_and_coverage),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_waivers_and_expiry),
		cmocka_unit_test(test_location_inner),
		cmocka_unit_test(test_scan_reports_expired),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
