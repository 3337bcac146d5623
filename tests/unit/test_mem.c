/* test_mem.c - the live-memory budget (struct pst_mem, src/core/mem.c):
 * reservations wait while another worker can release, are cut only when
 * none can, big buffers take turns, and a scan's report does not depend on
 * the thread count when the budget makes workers wait. */
#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "helpers.h"

#define MIB (1u << 20)

static void obuf_on(struct pst_obuf *b, struct pst_mem *m, unsigned worker, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
	b->mem = m;
	b->worker = worker;
}

static enum pst_err fill(struct pst_obuf *b, size_t n)
{
	static const uint8_t zeros[64 * 1024];
	enum pst_err e = PST_OK;
	while (n && e == PST_OK) {
		size_t k = n < sizeof(zeros) ? n : sizeof(zeros);
		e = pst_obuf_append(b, zeros, k);
		n -= k;
	}
	return e;
}

/* m->live (or m->waiting), read under the budget's lock. */
static uint64_t snap(struct pst_mem *m, bool want_waiting)
{
	uint64_t v;
	pthread_mutex_lock(&m->m);
	v = want_waiting ? m->waiting : m->live;
	pthread_mutex_unlock(&m->m);
	return v;
}

#define live(m) snap((m), false)
#define waiting(m) snap((m), true)

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* One worker: nobody else can release, so a reservation past the budget is
 * cut at once (no wait), reported on the buffer, and everything is given
 * back when the buffers go. */
static void alone_cut_at_once(void **state)
{
	struct pst_mem m;
	struct pst_obuf a, b;
	(void)state;
	assert_int_equal(pst_mem_init(&m, 4 * MIB, 1, 8 * MIB, NULL), PST_OK);
	pst_mem_running(&m, +1);
	obuf_on(&a, &m, 0, 8 * MIB);
	obuf_on(&b, &m, 0, 8 * MIB);
	assert_int_equal(fill(&a, 3 * MIB), PST_OK);
	assert_false(a.mem_over);
	assert_int_equal(fill(&b, 2 * MIB), PST_ELIMIT);
	assert_true(b.mem_over);
	assert_true(b.over);
	assert_true(b.len < 2 * MIB);
	assert_true(live(&m) <= 4 * MIB);
	assert_true(m.peak <= 4 * MIB);
	pst_obuf_free(&a);
	pst_obuf_free(&b);
	assert_int_equal(live(&m), 0);
	pst_mem_running(&m, -1);
	pst_mem_destroy(&m);
}

/* A buffer's reservation moves to the blob made of it and is given back
 * when the last reference goes. */
static void take_moves_reservation(void **state)
{
	struct pst_mem m;
	struct pst_obuf a;
	struct pst_blob *blob;
	(void)state;
	assert_int_equal(pst_mem_init(&m, 64 * MIB, 1, 64 * MIB, NULL), PST_OK);
	obuf_on(&a, &m, 0, 64 * MIB);
	assert_int_equal(fill(&a, 3 * MIB + 5), PST_OK);
	assert_true(live(&m) >= 3 * MIB + 5);
	blob = pst_obuf_take(&a);
	assert_non_null(blob);
	assert_int_equal(blob->len, 3 * MIB + 5);
	/* shrunk to its content: the doubling's slack is given back */
	assert_int_equal(live(&m), 3 * MIB + 5);
	assert_null(a.p);
	pst_obuf_free(&a); /* no double release */
	assert_int_equal(live(&m), 3 * MIB + 5);
	pst_blob_ref(blob);
	pst_blob_unref(blob);
	assert_int_equal(live(&m), 3 * MIB + 5);
	pst_blob_unref(blob);
	assert_int_equal(live(&m), 0);
	pst_mem_destroy(&m);
}

struct job {
	struct pst_mem *m;
	unsigned worker;
	size_t first, more;   /* fill first, then (after go) more */
	long hold_ms;         /* keep the buffer this long before freeing */
	atomic_bool go, filled;
	enum pst_err e1, e2;
	bool mem_over;
	size_t len;
};

static void *job_main(void *arg)
{
	struct job *j = arg;
	struct pst_obuf b;
	obuf_on(&b, j->m, j->worker, 64 * MIB);
	j->e1 = fill(&b, j->first);
	atomic_store(&j->filled, true);
	while (!atomic_load(&j->go))
		sleep_ms(5);
	j->e2 = fill(&b, j->more);
	sleep_ms(j->hold_ms);
	j->mem_over = b.mem_over;
	j->len = b.len;
	pst_obuf_free(&b);
	pst_mem_running(j->m, -1);
	return NULL;
}

static void start(pthread_t *t, struct job *j)
{
	pst_mem_running(j->m, +1);
	assert_int_equal(pthread_create(t, NULL, job_main, j), 0);
}

/* Two workers: B waits for A's memory instead of being cut, and gets all
 * of it once A is done. */
static void waits_while_another_can_release(void **state)
{
	struct pst_mem m;
	struct job a = { 0 }, b = { 0 };
	pthread_t ta, tb;
	(void)state;
	assert_int_equal(pst_mem_init(&m, 8 * MIB, 2, 8 * MIB, NULL), PST_OK);
	a.m = b.m = &m;
	a.worker = 0;
	b.worker = 1;
	a.first = 5 * MIB;
	a.hold_ms = 300;
	b.first = 0;
	b.more = 4 * MIB;
	start(&ta, &a);
	start(&tb, &b);
	while (!atomic_load(&a.filled) || !atomic_load(&b.filled))
		sleep_ms(5);
	atomic_store(&a.go, true);
	atomic_store(&b.go, true);
	sleep_ms(150);
	/* B waits (A still holds 5 of 8 MiB and is running) */
	assert_int_equal(waiting(&m), 1);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_int_equal(a.e1, PST_OK);
	assert_int_equal(b.e2, PST_OK);
	assert_false(a.mem_over);
	assert_false(b.mem_over);
	assert_int_equal(b.len, 4 * MIB);
	assert_true(m.peak <= 8 * MIB);
	assert_int_equal(live(&m), 0);
	pst_mem_destroy(&m);
}

/* Two workers each holding half and each wanting more: neither can release,
 * so one is cut (never a hang) and the other then gets what it needs. */
static void both_waiting_one_is_cut(void **state)
{
	struct pst_mem m;
	struct job a = { 0 }, b = { 0 };
	pthread_t ta, tb;
	double t0 = pst_now();
	(void)state;
	/* 2 slots (10 MiB less 2 x 1.25 MiB of small buffers, by 3 MiB files):
	 * both may grow at once, to 4 MiB each, then both want 8. */
	assert_int_equal(pst_mem_init(&m, 10 * MIB, 2, 3 * MIB, NULL), PST_OK);
	assert_int_equal(m.slots, 2);
	a.m = b.m = &m;
	a.worker = 0;
	b.worker = 1;
	a.first = b.first = 3 * MIB;
	a.more = b.more = 4 * MIB;
	start(&ta, &a);
	start(&tb, &b);
	while (!atomic_load(&a.filled) || !atomic_load(&b.filled))
		sleep_ms(5);
	atomic_store(&a.go, true);
	atomic_store(&b.go, true);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_true(pst_now() - t0 < 10.0);
	assert_true(a.mem_over != b.mem_over);
	/* the cut one got what was left (2 MiB), the other all it wanted */
	assert_int_equal(a.mem_over ? a.e2 : b.e2, PST_ELIMIT);
	assert_int_equal(a.mem_over ? a.len : b.len, 6 * MIB);
	assert_int_equal(a.mem_over ? b.len : a.len, 7 * MIB);
	assert_true(m.peak <= 10 * MIB);
	assert_int_equal(live(&m), 0);
	pst_mem_destroy(&m);
}

/* A queued task an idle worker can start may release memory: a waiter
 * does not give up while one is there. */
static void queued_task_counts_as_hope(void **state)
{
	struct pst_mem m;
	struct job b = { 0 };
	struct pst_obuf q;
	pthread_t tb;
	(void)state;
	assert_int_equal(pst_mem_init(&m, 8 * MIB, 2, 8 * MIB, NULL), PST_OK);
	/* a finished buffer waiting in the queue holds 6 MiB */
	obuf_on(&q, &m, 0, 8 * MIB);
	assert_int_equal(fill(&q, 6 * MIB), PST_OK);
	pst_mem_queued(&m, +1);
	b.m = &m;
	b.worker = 1;
	b.more = 4 * MIB;
	start(&tb, &b);
	atomic_store(&b.go, true);
	sleep_ms(200);
	assert_int_equal(waiting(&m), 1);
	/* the idle worker takes the task, runs it and frees its content */
	pst_mem_queued(&m, -1);
	pst_mem_running(&m, +1);
	pst_obuf_free(&q);
	pst_mem_running(&m, -1);
	pthread_join(tb, NULL);
	assert_false(b.mem_over);
	assert_int_equal(b.len, 4 * MIB);
	pst_mem_destroy(&m);
}

/* With one big-buffer slot a second big buffer stops at the threshold and
 * waits for the slot, though the budget has room: two big files never fill
 * it half-way each. */
static void big_buffers_take_turns(void **state)
{
	struct pst_mem m;
	struct job a = { 0 }, b = { 0 };
	pthread_t ta, tb;
	(void)state;
	assert_int_equal(pst_mem_init(&m, 16 * MIB, 2, 12 * MIB, NULL), PST_OK);
	assert_int_equal(m.big, 2 * MIB);
	assert_int_equal(m.slots, 1);
	a.m = b.m = &m;
	a.worker = 0;
	b.worker = 1;
	a.first = 5 * MIB;
	a.hold_ms = 300;
	b.first = 0;
	b.more = 5 * MIB;
	start(&ta, &a);
	while (!atomic_load(&a.filled))
		sleep_ms(5);
	start(&tb, &b);
	atomic_store(&b.go, true);
	sleep_ms(150);
	assert_int_equal(waiting(&m), 1);
	assert_true(live(&m) <= 8 * MIB + 2 * MIB);
	atomic_store(&a.go, true);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_false(a.mem_over);
	assert_false(b.mem_over);
	assert_int_equal(b.len, 5 * MIB);
	assert_int_equal(m.slots_used, 0);
	pst_mem_destroy(&m);
}

/* A worker may nest big buffers (an unpacker holding one while a child is
 * examined inline): its second does not wait for its own slot. */
static void nested_big_buffers_same_worker(void **state)
{
	struct pst_mem m;
	struct pst_obuf a, b;
	(void)state;
	assert_int_equal(pst_mem_init(&m, 16 * MIB, 2, 12 * MIB, NULL), PST_OK);
	pst_mem_running(&m, +1);
	pst_mem_running(&m, +1); /* another worker runs: a wait would hang */
	obuf_on(&a, &m, 0, 12 * MIB);
	obuf_on(&b, &m, 0, 12 * MIB);
	assert_int_equal(fill(&a, 3 * MIB), PST_OK);
	assert_int_equal(fill(&b, 3 * MIB), PST_OK);
	assert_false(b.mem_over);
	pst_obuf_free(&b);
	pst_obuf_free(&a);
	assert_int_equal(m.slots_used, 0);
	pst_mem_destroy(&m);
}

/* A worker waiting for another outside the budget (pst_obuf_blocked) cannot
 * release: with it blocked and this one waiting, nobody can, so this one is
 * cut at once rather than hang. */
static void blocked_counts_as_waiting(void **state)
{
	struct pst_mem m;
	struct pst_obuf a, b;
	double t0 = pst_now();
	(void)state;
	assert_int_equal(pst_mem_init(&m, 4 * MIB, 2, 4 * MIB, NULL), PST_OK);
	pst_mem_running(&m, +1);
	pst_mem_running(&m, +1);
	obuf_on(&a, &m, 0, 4 * MIB);
	obuf_on(&b, &m, 1, 4 * MIB);
	assert_int_equal(fill(&a, 3 * MIB), PST_OK);
	pst_obuf_blocked(&a, true);
	assert_int_equal(fill(&b, 2 * MIB), PST_ELIMIT);
	assert_true(b.mem_over);
	assert_true(pst_now() - t0 < 5.0);
	pst_obuf_blocked(&a, false);
	assert_int_equal(m.blocked, 0);
	pst_obuf_free(&a);
	pst_obuf_free(&b);
	pst_mem_destroy(&m);
}

/* Extra charges (a decoder's dictionary) count and are cut like growth. */
static void charge_counts(void **state)
{
	struct pst_mem m;
	struct pst_obuf a;
	(void)state;
	assert_int_equal(pst_mem_init(&m, 4 * MIB, 1, 4 * MIB, NULL), PST_OK);
	obuf_on(&a, &m, 0, 4 * MIB);
	assert_int_equal(pst_obuf_charge(&a, 3 * MIB), PST_OK);
	assert_int_equal(live(&m), 3 * MIB);
	assert_int_equal(fill(&a, 2 * MIB), PST_ELIMIT);
	assert_true(a.mem_over);
	assert_int_equal(pst_obuf_charge(&a, 2 * MIB), PST_ELIMIT);
	pst_obuf_free(&a);
	assert_int_equal(live(&m), 0);
	pst_mem_destroy(&m);
}

static char *report(const char *path, unsigned jobs, uint64_t budget, uint64_t *waits)
{
	struct pst_options o;
	struct pst_scan *s;
	char *buf;

	pst_options_default(&o);
	o.jobs = jobs;
	o.limits.max_memory = budget;
	o.inventory = true;
	s = th_scan_opts(path, &o);
	buf = th_report_json(s);
	*waits = s->mem.waits;
	assert_true(s->mem.peak <= budget);
	pst_scan_free(s);
	return buf;
}

/* Six 3 MiB members behind gzip in a tar under a 24 MiB budget: with four
 * workers they wait for one another (past 1.5 MiB a buffer needs the one
 * big-buffer slot), nothing is cut, and the report is the one a single
 * worker gives. */
static void scan_same_report_when_waiting(void **state)
{
	char *d = th_tmpdir(), path[4200];
	char *one, *four, *four2;
	uint64_t w1, w4, w4b;
	(void)state;
	th_sh("cd %s && mkdir t && for i in 1 2 3 4 5 6; do head -c 3145728 /dev/zero | "
	      "tr '\\0' \"$i\" | gzip -1 > t/m$i.gz; done && tar -cf t.tar -C t .", d);
	snprintf(path, sizeof(path), "%s/t.tar", d);
	one = report(path, 1, 24 * MIB, &w1);
	four = report(path, 4, 24 * MIB, &w4);
	four2 = report(path, 4, 24 * MIB, &w4b);
	assert_null(strstr(one, "limit.memory"));
	assert_non_null(strstr(one, "t.tar!/m6.gz!/m6"));
	assert_int_equal(w1, 0);
	print_message("waits with 4 workers: %llu, %llu\n", (unsigned long long)w4,
		      (unsigned long long)w4b);
	assert_string_equal(one, four);
	assert_string_equal(one, four2);
	free(one);
	free(four);
	free(four2);
	th_rmtree(d);
}

/* Without spill files (--max-spill 0), a file bigger than the budget is
 * cut and reported (limit.memory, in coverage), with one worker and with
 * several. */
static void scan_cut_is_reported(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_options o;
	struct pst_scan *s;
	const struct pst_finding *f;
	const struct pst_node *n;
	unsigned jobs[] = { 1, 3 };
	size_t i;
	(void)state;
	th_sh("cd %s && head -c 20971520 /dev/zero | gzip -1 > big.gz", d);
	snprintf(path, sizeof(path), "%s/big.gz", d);
	for (i = 0; i < 2; i++) {
		pst_options_default(&o);
		o.jobs = jobs[i];
		o.limits.max_memory = 8 * MIB;
		o.limits.max_spill = 0;
		s = th_scan_opts(path, &o);
		f = th_finding(s, "limit.memory", "big.gz!/big");
		assert_non_null(f);
		n = th_node(s, "big.gz!/big");
		assert_non_null(n);
		assert_true(n->size <= 8 * MIB);
		assert_true(n->flags & PST_NODE_TRUNCATED);
		assert_true(pst_scan_coverage(s)->limits_hit >= 1);
		assert_true(pst_scan_coverage(s)->incomplete >= 1);
		assert_int_not_equal(pst_scan_verdict(s), PST_VERDICT_PASS);
		pst_scan_free(s);
	}
	th_rmtree(d);
}

/* Open descriptors of this process. */
static int fds_open(void)
{
	int n = 0, fd;
	for (fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) != -1;
	return n;
}

/* A member bigger than the budget goes to a spill file and is examined
 * whole: a private key planted after 24 MiB of text is found, nothing is
 * cut, the report is the same with one worker and with three, and the spill
 * files are gone once the scan is freed. With --max-spill below the member
 * it is cut as before. */
static void scan_spill_examines_whole(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_options o;
	struct pst_scan *s;
	const struct pst_node *n;
	const struct pst_finding *f;
	unsigned jobs[] = { 1, 3 };
	char *json[2] = { NULL, NULL };
	int before = fds_open();
	size_t i;
	(void)state;
	th_sh("cd %s && ssh-keygen -q -t ed25519 -N '' -f k && "
	      "{ randbytes 19000000 test_mem_spill | base64 -w 76; cat k; } "
	      "| gzip -1 > big.gz", d);
	snprintf(path, sizeof(path), "%s/big.gz", d);
	for (i = 0; i < 2; i++) {
		pst_options_default(&o);
		o.jobs = jobs[i];
		o.limits.max_memory = 8 * MIB;
		o.limits.max_memory_fixed = true;
		s = th_scan_opts(path, &o);
		assert_null(th_finding(s, "limit.memory", NULL));
		n = th_node(s, "big.gz!/big");
		assert_non_null(n);
		assert_true(n->size > 25165824);
		assert_false(n->flags & (PST_NODE_TRUNCATED | PST_NODE_INCOMPLETE));
		f = th_finding(s, "key.embedded-private", "big.gz!/big");
		assert_non_null(f);
		assert_true(f->offset >= 25165824);
		assert_true(s->mem.spills >= 1);
		assert_int_equal(s->mem.spill_used, 0);
		assert_true(s->mem.peak <= 8 * MIB);
		json[i] = th_report_json(s);
		pst_scan_free(s);
		assert_int_equal(fds_open(), before);
	}
	assert_string_equal(json[0], json[1]);
	free(json[0]);
	free(json[1]);
	pst_options_default(&o);
	o.jobs = 2;
	o.limits.max_memory = 8 * MIB;
	o.limits.max_memory_fixed = true;
	o.limits.max_spill = 16 * MIB;
	s = th_scan_opts(path, &o);
	assert_non_null(th_finding(s, "limit.memory", "big.gz!/big"));
	assert_null(th_finding(s, "key.embedded-private", NULL));
	pst_scan_free(s);
	th_rmtree(d);
}

/* One accounting (docs/limits.md): the tree's fixed charge (pst_mem_fix)
 * leaves content less room, so a buffer past half of what is left goes to
 * a spill file where, without the charge, it stays in memory; either way it
 * gets all its bytes and the budget is never passed. */
static void fixed_charge_leaves_less_room(void **state)
{
	struct pst_mem m;
	struct pst_obuf a;
	unsigned i;
	(void)state;
	for (i = 0; i < 2; i++) {
		assert_int_equal(pst_mem_init(&m, 8 * MIB, 1, 64 * MIB, NULL), PST_OK);
		pst_spill_open(&m, 64 * MIB);
		pst_mem_running(&m, +1);
		if (i)
			pst_mem_fix(&m, 4 * MIB);
		obuf_on(&a, &m, 0, 64 * MIB);
		assert_int_equal(fill(&a, 3 * MIB), PST_OK);
		assert_int_equal(a.len, 3 * MIB);
		assert_false(a.mem_over);
		if (i)
			assert_true(a.spill != 0);
		else
			assert_int_equal(a.spill, 0);
		assert_true(m.peak <= 8 * MIB);
		pst_obuf_free(&a);
		assert_int_equal(live(&m), i ? 4 * MIB : 0);
		pst_mem_running(&m, -1);
		pst_mem_destroy(&m);
	}
}

/* A plain buffer (no decoder window charged to it) that the budget would
 * cut because nobody can give memory back goes to a spill file instead and
 * gets all its bytes; one a decoder fills (a window charged) is still cut,
 * as the bombs' RSS bound needs (grow_capacity). */
static void stuck_plain_buffer_spills(void **state)
{
	struct pst_mem m;
	struct pst_obuf hold[3], b;
	unsigned i, k;
	(void)state;
	for (k = 0; k < 2; k++) {
		assert_int_equal(pst_mem_init(&m, 8 * MIB, 1, 64 * MIB, NULL), PST_OK);
		pst_spill_open(&m, 64 * MIB);
		pst_mem_running(&m, +1);
		for (i = 0; i < 3; i++) {
			obuf_on(&hold[i], &m, 0, 64 * MIB);
			assert_int_equal(fill(&hold[i], 2 * MIB), PST_OK);
		}
		obuf_on(&b, &m, 0, 64 * MIB);
		if (k)
			assert_int_equal(pst_obuf_charge(&b, 64 * 1024), PST_OK);
		/* 6 MiB held: growing past 2 MiB cannot be reserved */
		if (k) {
			assert_int_equal(fill(&b, 3 * MIB), PST_ELIMIT);
			assert_true(b.mem_over);
			assert_int_equal(b.spill, 0);
		} else {
			assert_int_equal(fill(&b, 3 * MIB), PST_OK);
			assert_false(b.mem_over);
			assert_true(b.spill != 0);
			assert_int_equal(b.len, 3 * MIB);
		}
		assert_true(m.peak <= 8 * MIB);
		pst_obuf_free(&b);
		for (i = 0; i < 3; i++)
			pst_obuf_free(&hold[i]);
		assert_int_equal(live(&m), 0);
		pst_mem_running(&m, -1);
		pst_mem_destroy(&m);
	}
}

/* pst_mem_raise: a larger budget takes effect for the next reservation (and
 * gives more big-buffer room); it never lowers a budget or sets one where
 * there is none. */
static void raise_only_grows(void **state)
{
	struct pst_mem m, none;
	struct pst_obuf a;
	(void)state;
	assert_int_equal(pst_mem_init(&m, 4 * MIB, 1, 64 * MIB, NULL), PST_OK);
	pst_mem_running(&m, +1);
	pst_mem_raise(&m, 2 * MIB);
	assert_int_equal(m.max, 4 * MIB);
	pst_mem_raise(&m, 16 * MIB);
	assert_int_equal(m.max, 16 * MIB);
	assert_int_equal(m.big, 4 * MIB);
	obuf_on(&a, &m, 0, 64 * MIB);
	assert_int_equal(fill(&a, 12 * MIB), PST_OK);
	assert_false(a.mem_over);
	assert_int_equal(fill(&a, 8 * MIB), PST_ELIMIT);
	assert_true(a.mem_over);
	pst_obuf_free(&a);
	pst_mem_running(&m, -1);
	pst_mem_destroy(&m);
	assert_int_equal(pst_mem_init(&none, 0, 1, 64 * MIB, NULL), PST_OK);
	pst_mem_raise(&none, 16 * MIB);
	assert_int_equal(none.max, 0);
	pst_mem_destroy(&none);
}

/* What glibc may keep follows the tightest live budget: 384 MiB at -j2 gives
 * 8 MiB, a tiny budget the 256 KiB floor while it lives, and with no budget
 * alive the floor again. */
static void malloc_follows_tightest_budget(void **state)
{
	struct pst_mem big, tiny;
	(void)state;
	assert_int_equal(pst_mem_malloc_threshold(), 256 * 1024);
	assert_int_equal(pst_mem_init(&big, 384 * MIB, 2, 64 * MIB, NULL), PST_OK);
	assert_int_equal(pst_mem_malloc_threshold(), 8 * MIB);
	assert_int_equal(pst_mem_init(&tiny, 8 * MIB, 2, 8 * MIB, NULL), PST_OK);
	assert_int_equal(pst_mem_malloc_threshold(), 256 * 1024);
	pst_mem_raise(&tiny, 96 * MIB);
	assert_int_equal(pst_mem_malloc_threshold(), 2 * MIB);
	pst_mem_destroy(&tiny);
	assert_int_equal(pst_mem_malloc_threshold(), 8 * MIB);
	pst_mem_raise(&big, 8ull << 30);
	assert_int_equal(pst_mem_malloc_threshold(), 16 * MIB);
	pst_mem_destroy(&big);
	assert_int_equal(pst_mem_malloc_threshold(), 256 * 1024);
}

/* A real input gets PST_MEMORY_PER_INPUT times its own size: 4 MiB of
 * base64 behind gzip (~3 MB shipped) is examined whole under a 2 MiB
 * default budget, and cut when the budget was given (--max-memory). */
static void scan_budget_grows_with_input(void **state)
{
	char *d = th_tmpdir(), path[4200];
	struct pst_options o;
	struct pst_scan *s;
	const struct pst_node *n;
	int fixed;
	(void)state;
	th_sh("cd %s && randbytes 3500000 test_mem1 | base64 -w0 | head -c 4194304 | gzip -1 > b.gz", d);
	snprintf(path, sizeof(path), "%s/b.gz", d);
	for (fixed = 0; fixed < 2; fixed++) {
		pst_options_default(&o);
		o.jobs = 2;
		o.limits.max_memory = 2 * MIB;
		o.limits.max_memory_fixed = fixed;
		o.limits.max_spill = 0; /* the budget's own answer, not the spill's */
		s = th_scan_opts(path, &o);
		n = th_node(s, "b.gz!/b");
		assert_non_null(n);
		if (fixed) {
			assert_non_null(th_finding(s, "limit.memory", "b.gz!/b"));
			assert_true(n->flags & PST_NODE_TRUNCATED);
			assert_int_equal(s->mem.max, 2 * MIB);
		} else {
			assert_null(th_finding(s, "limit.memory", NULL));
			assert_int_equal(n->size, 4194304);
			assert_true(s->mem.max >= (uint64_t)PST_MEMORY_PER_INPUT * 3000000);
			assert_true(s->mem.max == (uint64_t)PST_MEMORY_PER_INPUT * pst_scan_target_size(s));
		}
		pst_scan_free(s);
	}
	th_rmtree(d);
}

/* The mapping at p's resident kilobytes in this process (/proc/self/smaps). */
static long mapping_rss_kb(const void *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	unsigned long lo, hi, at = (unsigned long)(uintptr_t)p;
	bool in = false;
	long kb = -1;

	assert_non_null(f);
	while (kb < 0 && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			in = lo <= at && at < hi;
		else if (in && sscanf(line, "Rss: %ld kB", &kb) != 1)
			kb = -1;
	}
	fclose(f);
	return kb;
}

/* A reader passing through a mapped member lets the steps behind it go
 * (view.c, pst_view_let_go): a search through 12 MiB of a file mapping
 * without a match leaves at most one step resident where, with no mapping
 * named, it holds all of it; a match across a step's end is found as by one
 * memmem; a heap buffer, never named, keeps its bytes. */
static void view_find_lets_go(void **state)
{
	const size_t len = 12 * MIB + 100;
	char *d = th_tmpdir(), path[4200];
	uint8_t *buf = malloc(len), *p;
	struct pst_view v, old;
	int fd;
	(void)state;
	assert_non_null(buf);
	memset(buf, 'a', len);
	memcpy(buf + PST_VIEW_LET_GO - 3, "needle", 6);
	memcpy(buf + len - 6, "at-end", 6);
	snprintf(path, sizeof(path), "%s/m", d);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	assert_true(p != MAP_FAILED);
	v = pst_view_make(p, len);

	assert_int_equal(pst_view_find(v, 0, "missing", 7), -1);
	assert_true(mapping_rss_kb(p) > 11 * 1024);
	madvise(p, len, MADV_DONTNEED);
	old = pst_view_let_go_in(v);
	assert_int_equal(pst_view_find(v, 0, "missing", 7), -1);
	assert_true(mapping_rss_kb(p) <= (long)(PST_VIEW_LET_GO >> 10) + 8);
	assert_int_equal(pst_view_find(v, 0, "needle", 6), (int64_t)PST_VIEW_LET_GO - 3);
	assert_int_equal(pst_view_find(v, 10, "at-end", 6), (int64_t)(len - 6));
	assert_int_equal(pst_view_find(v, len - 5, "at-end", 6), -1);
	assert_int_equal(pst_view_find(v, len, "a", 1), -1);
	assert_memory_equal(p, buf, len); /* a mapping's data stays in its file */

	v = pst_view_make(buf, len);
	assert_int_equal(pst_view_find(v, 0, "missing", 7), -1);
	assert_int_equal(pst_view_find(v, 0, "needle", 6), (int64_t)PST_VIEW_LET_GO - 3);
	assert_int_equal(buf[0], 'a');
	assert_int_equal(buf[len - 7], 'a');
	pst_view_let_go_in(old);
	munmap(p, len);
	free(buf);
	th_rmtree(d);
}

/* A two-byte needle (the keys analyzer's "02 01") has its own search: it
 * finds what memmem finds from every offset, in runs of the first byte
 * (longer than the look-ahead after each memchr), at a buffer's last
 * position and across a let-go step's end. */
static void view_find_two_bytes_as_memmem(void **state)
{
	static const uint8_t nd[2] = { 0x02, 0x01 };
	const size_t big = PST_VIEW_LET_GO + 64;
	uint8_t *buf = malloc(big);
	uint32_t seed = 12345;
	size_t len, off, i, round;
	(void)state;
	assert_non_null(buf);
	for (round = 0; round < 200; round++) {
		len = 1 + round % 97;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly 0x02: long runs of the first byte */
			buf[i] = (uint8_t)((seed >> 16) % 11 < 8 ? 0x02 : (seed >> 16) % 3);
		}
		for (off = 0; off <= len; off++) {
			const uint8_t *m = memmem(buf + off, len - off, nd, 2);
			int64_t want = m ? (int64_t)(m - buf) : -1;
			assert_int_equal(pst_view_find(pst_view_make(buf, len), off, nd, 2), want);
		}
	}
	memset(buf, 0x02, big);
	assert_int_equal(pst_view_find(pst_view_make(buf, big), 0, nd, 2), -1);
	buf[big - 1] = 0x01;
	assert_int_equal(pst_view_find(pst_view_make(buf, big), 0, nd, 2), (int64_t)big - 2);
	buf[big - 1] = 0x02;
	buf[PST_VIEW_LET_GO] = 0x01;
	assert_int_equal(pst_view_find(pst_view_make(buf, big), 0, nd, 2),
			 (int64_t)PST_VIEW_LET_GO - 1);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alone_cut_at_once),
		cmocka_unit_test(take_moves_reservation),
		cmocka_unit_test(waits_while_another_can_release),
		cmocka_unit_test(both_waiting_one_is_cut),
		cmocka_unit_test(queued_task_counts_as_hope),
		cmocka_unit_test(big_buffers_take_turns),
		cmocka_unit_test(nested_big_buffers_same_worker),
		cmocka_unit_test(blocked_counts_as_waiting),
		cmocka_unit_test(charge_counts),
		cmocka_unit_test(scan_same_report_when_waiting),
		cmocka_unit_test(scan_cut_is_reported),
		cmocka_unit_test(scan_spill_examines_whole),
		cmocka_unit_test(fixed_charge_leaves_less_room),
		cmocka_unit_test(stuck_plain_buffer_spills),
		cmocka_unit_test(raise_only_grows),
		cmocka_unit_test(malloc_follows_tightest_budget),
		cmocka_unit_test(scan_budget_grows_with_input),
		cmocka_unit_test(view_find_lets_go),
		cmocka_unit_test(view_find_two_bytes_as_memmem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
