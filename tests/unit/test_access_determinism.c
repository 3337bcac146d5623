/* test_access_determinism.c - the access analyzers' findings (including the
 * tree-wide ones made in finish()) are the same whatever the thread count. */
#include "helpers.h"

static char *report(const char *dir, unsigned jobs)
{
	struct pst_scan *s = th_scan(dir, jobs);
	struct pst_report_opts ro = { .no_run = true };
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_non_null(m);
	assert_int_equal(pst_report_write(s, PST_FORMAT_JSON, &ro, m), PST_OK);
	fclose(m);
	pst_scan_free(s);
	return buf;
}

static void same_findings_any_jobs(void **state)
{
	char *dir = th_tmpdir(), *a, *b;
	(void)state;
	th_sh("cd '%s' && mkdir -p etc/init.d lib/.x usr/bin .ssh && "
	      "printf 'root::0:0:root:/:/bin/sh\\ntoor:*:0:0::/:/bin/sh\\n' > etc/passwd && "
	      "cp /bin/true lib/.x/agent && chmod 4755 lib/.x/agent && cp /bin/true usr/bin/logo.png && "
	      "printf '#!/bin/sh\\n/lib/.x/agent &\\n/usr/bin/logo.png &\\nnc -l -p 1 -e /bin/sh\\n' > etc/init.d/S1 && "
	      "echo 'ssh-ed25519 AAAA k@v' > .ssh/authorized_keys", dir);
	a = report(dir, 1);
	b = report(dir, 4);
	assert_non_null(strstr(a, "service.starts-suspicious"));
	assert_non_null(strstr(a, "key.authorized-keys"));
	assert_string_equal(a, b);
	free(a);
	free(b);
	th_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_findings_any_jobs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
