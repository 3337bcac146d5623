/*
 * test_peek.c - pst_options.peek (the service's hex view, src/service/peek.c):
 * the walk hands the content of the one file whose location is
 * peek_location to the callback, byte for byte, whatever the thread count;
 * a location no file has (a "..", a host path) is never called back; and a
 * scan with a peek reports what a scan without one does.
 */
#include <pthread.h>
#include "helpers.h"

static char *g_tmp;

struct seen {
	pthread_mutex_t mu;
	unsigned calls;
	char location[512];
	uint8_t bytes[4096];
	size_t len;
};

static void on_peek(void *ctx, const struct pst_node *n, const uint8_t *data, size_t len)
{
	struct seen *s = ctx;
	pthread_mutex_lock(&s->mu);
	s->calls++;
	snprintf(s->location, sizeof(s->location), "%s", n->location);
	s->len = len < sizeof(s->bytes) ? len : sizeof(s->bytes);
	memcpy(s->bytes, data, s->len);
	pthread_mutex_unlock(&s->mu);
}

static int setup(void **state)
{
	(void)state;
	g_tmp = th_tmpdir();
	/* 3000 bytes of a pattern in etc/blob.bin, beside a passwd */
	th_sh("cd '%s' && mkdir -p root/etc && printf 'root:x:0:0::/root:/bin/sh\\n' > "
	      "root/etc/passwd && python3 -c 'import sys; sys.stdout.buffer.write(bytes("
	      "(i * 7) & 255 for i in range(3000)))' > root/etc/blob.bin && "
	      "tar -C root -cf fw.tar --owner=0 --group=0 ./etc", g_tmp);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	th_rmtree(g_tmp);
	return 0;
}

/* Scans fw.tar in memory with a peek at loc (NULL: none); the scan's JSON
 * report (malloc'd) in *json. */
static void scan_peek(const char *loc, unsigned jobs, struct seen *seen, char **json)
{
	struct pst_options o;
	struct pst_scan *s;
	char path[512];
	size_t len;
	uint8_t *data;

	snprintf(path, sizeof(path), "%s/fw.tar", g_tmp);
	data = th_read(path, &len);
	pst_options_default(&o);
	o.jobs = jobs;
	o.peek_location = loc;
	o.peek = loc ? on_peek : NULL;
	o.peek_ctx = seen;
	s = pst_scan_new(&o);
	assert_non_null(s);
	assert_int_equal(pst_scan_run_mem(s, "fw.tar", data, len), PST_OK);
	*json = th_report_json(s);
	pst_scan_free(s);
	free(data);
}

static void test_peek_hands_over_the_file(void **state)
{
	static const unsigned jobs[] = { 1, 4 };
	struct seen seen;
	char *json;
	size_t i, k;
	(void)state;
	for (k = 0; k < 2; k++) {
		memset(&seen, 0, sizeof(seen));
		pthread_mutex_init(&seen.mu, NULL);
		scan_peek("fw.tar!/etc/blob.bin", jobs[k], &seen, &json);
		assert_int_equal(seen.calls, 1);
		assert_string_equal(seen.location, "fw.tar!/etc/blob.bin");
		assert_int_equal(seen.len, 3000);
		for (i = 0; i < seen.len; i++)
			assert_int_equal(seen.bytes[i], (uint8_t)((i * 7) & 255));
		free(json);
		pthread_mutex_destroy(&seen.mu);
	}
}

static void test_peek_unknown_locations_are_silent(void **state)
{
	static const char *const locs[] = { "fw.tar!/etc/../etc/blob.bin", "/etc/passwd",
					    "../../etc/passwd", "fw.tar!/etc/blob",
					    "fw.tar!etc/blob.bin" };
	struct seen seen;
	char *json, *plain;
	size_t i;
	(void)state;
	scan_peek(NULL, 2, NULL, &plain);
	for (i = 0; i < sizeof(locs) / sizeof(locs[0]); i++) {
		memset(&seen, 0, sizeof(seen));
		pthread_mutex_init(&seen.mu, NULL);
		scan_peek(locs[i], 2, &seen, &json);
		assert_int_equal(seen.calls, 0);
		/* a peek changes nothing in the result */
		assert_string_equal(json, plain);
		free(json);
		pthread_mutex_destroy(&seen.mu);
	}
	free(plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_peek_hands_over_the_file),
		cmocka_unit_test(test_peek_unknown_locations_are_silent),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
