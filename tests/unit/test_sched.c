/* test_sched.c - the walker's schedule (src/core/walk.c, issue 15): depth
 * first, so a container's children finish before the next container is
 * opened, and back-pressure, so a child holding its own bytes is examined
 * at once when memory is short; the report never depends on the order. */
#include "helpers.h"

#define MIB (1u << 20)
#define MEMBERS 8

/* A tar of MEMBERS gzip streams, each of ~3 MiB of base64 text with a
 * private key at its end: every decompressed member is a buffer of its own. */
static char *make_tar(char *d)
{
	char *path = malloc(strlen(d) + 16);
	assert_non_null(path);
	th_sh("cd %s && ssh-keygen -q -t ed25519 -N '' -f k && mkdir t && "
	      "for i in $(seq 1 %d); do "
	      "{ randbytes 2300000 test_sched$i | base64 -w 76; cat k; } | gzip -1 > t/m$i.gz; "
	      "done && tar -cf t.tar -C t .", d, MEMBERS);
	sprintf(path, "%s/t.tar", d);
	return path;
}

static struct pst_scan *scan(const char *path, unsigned jobs, uint64_t budget)
{
	struct pst_options o;
	pst_options_default(&o);
	o.jobs = jobs;
	o.limits.max_memory = budget;
	o.limits.max_memory_fixed = true;
	return th_scan_opts(path, &o);
}

/* Every member examined whole: its key found, nothing cut. */
static void all_found(struct pst_scan *s)
{
	char loc[64];
	int i;
	for (i = 1; i <= MEMBERS; i++) {
		snprintf(loc, sizeof(loc), "t.tar!/m%d.gz!/m%d", i, i);
		assert_non_null(th_finding(s, "key.embedded-private", loc));
	}
	assert_null(th_finding(s, "limit.memory", NULL));
	assert_int_equal(s->cov.truncated, 0);
}

/* One worker: the tar's members are queued (views of the tar), then each
 * gzip member's decompressed child is examined before the next member is
 * decompressed. First in, first out decompressed all eight before any was
 * examined (~8 x 4 MiB live); depth first holds about one at a time. */
static void depth_first_one_worker(void **state)
{
	char *d = th_tmpdir(), *path = make_tar(d);
	struct pst_scan *s;
	(void)state;
	s = scan(path, 1, 256 * MIB);
	all_found(s);
	assert_true(s->mem.peak < 3 * 4 * MIB);
	pst_scan_free(s);
	free(path);
	th_rmtree(d);
}

/* Two workers under a budget of two members: memory is short as soon as
 * one member is decompressed, so children are examined at once rather
 * than queued; nothing is cut, the budget holds, and the report is the
 * one a single worker gives. */
static void back_pressure_same_report(void **state)
{
	char *d = th_tmpdir(), *path = make_tar(d);
	struct pst_scan *s;
	char *one, *two;
	(void)state;
	s = scan(path, 1, 10 * MIB);
	all_found(s);
	one = th_report_json(s);
	pst_scan_free(s);
	s = scan(path, 2, 10 * MIB);
	all_found(s);
	assert_true(s->mem.peak <= 10 * MIB);
	two = th_report_json(s);
	pst_scan_free(s);
	assert_string_equal(one, two);
	free(one);
	free(two);
	free(path);
	th_rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(depth_first_one_worker),
		cmocka_unit_test(back_pressure_same_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
