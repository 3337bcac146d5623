/*
 * walk.c - the walker: the only code that recurses into containers.
 *
 * Each node becomes a task on a fixed pool of worker threads: load its bytes
 * (if an unpacker deferred that), hash and classify them, run the per-file
 * analyzers, then let the highest-bidding unpacker emit its children through
 * the sink, which queues them as new tasks. A node's children are linked in
 * the order its one unpacker emitted them, so the tree is the same whatever
 * the thread count. When too many bytes wait in the queue, the emitting
 * thread examines the child itself, which bounds memory without deadlock.
 *
 * The walker schedules; it checks no limit and counts nothing itself. The
 * sink (sink.c) makes the nodes, counts their bytes and says whether a node
 * may be opened; each task carries what it needs (struct pst_content), so no
 * scan-wide field passes state between scan.c and here.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

#define WORKER_STACK (16u << 20)    /* see pst_walk */

struct task {
	struct task *next;
	struct pst_node *node;
	struct pst_content c;        /* what the sink handed over with the node */
};

struct pst_pool {
	pthread_mutex_t m;
	pthread_cond_t work, done;
	struct task *head;           /* a stack: the task queued last first */
	size_t outstanding;          /* queued + running */
	uint64_t queued_bytes;
	uint64_t queue_max;
	bool quit;
	struct pst_scan *scan;
	pthread_t *threads;
	unsigned n;
};

struct worker_arg {
	struct pst_pool *pool;
	unsigned id;
};

static void process(struct pst_scan *s, struct task *t, unsigned worker);

/* A worker counts as running (for the memory budget: it may still release)
 * from the task it takes until it finds the queue empty. */
static void *worker_main(void *arg)
{
	struct worker_arg *wa = arg;
	struct pst_pool *p = wa->pool;
	struct pst_mem *mem = &p->scan->mem;
	bool running = false;

	pthread_mutex_lock(&p->m);
	for (;;) {
		struct task *t;
		while (!p->head && !p->quit) {
			if (running) {
				pst_mem_running(mem, -1);
				running = false;
			}
			pthread_cond_wait(&p->work, &p->m);
		}
		if (!p->head && p->quit)
			break;
		if (!running) {
			pst_mem_running(mem, +1);
			running = true;
		}
		pst_mem_queued(mem, -1);
		t = p->head;
		p->head = t->next;
		p->queued_bytes -= t->c.len;
		pthread_mutex_unlock(&p->m);
		process(p->scan, t, wa->id);
		pthread_mutex_lock(&p->m);
		if (--p->outstanding == 0)
			pthread_cond_broadcast(&p->done);
	}
	if (running)
		pst_mem_running(mem, -1);
	pthread_mutex_unlock(&p->m);
	return NULL;
}

/* Whether t's bytes are its own (a buffer an unpacker filled), not a view
 * of its container's: examining it at once frees them, where examining a
 * borrowed member frees nothing while its container is being opened. */
static bool owns_bytes(const struct task *t)
{
	return t->c.blob && t->c.len && atomic_load(&t->c.blob->refs) == 1;
}

/* Queues t, or runs it here: when the queue holds too many bytes already,
 * or when memory is short and t holds bytes of its own. Running it here is
 * the back-pressure: the emitting unpacker waits, so the child is finished
 * and its bytes freed before its siblings' bytes are made.
 *
 * The queue is a stack (depth first): a worker takes the task queued last,
 * i.e. the children of the container opened last, before older siblings of
 * that container. A container's children thus finish, and its blob goes,
 * before the next container is opened; first in, first out let every
 * container be opened before any child finished, so children waited in
 * memory (issue 15). The tree is linked in emission order whatever the
 * order of examination, so the report does not change; --extract writes
 * each member as it is emitted (sink.c), so the directory does not either. */
static void submit(struct pst_scan *s, struct task *t, unsigned worker)
{
	struct pst_pool *p = s->pool;
	pthread_mutex_lock(&p->m);
	if ((p->queued_bytes + t->c.len > p->queue_max && p->head) ||
	    (owns_bytes(t) && pst_mem_short(&s->mem))) {
		/* The emitting unpacker's step is checked for running out of
		 * memory by its thread's note (pst_oom_seen): what the child ran
		 * into is the child's, reported on it, not on its container. */
		bool noted = pst_oom_save();
		pthread_mutex_unlock(&p->m);
		process(s, t, worker);
		pst_oom_restore(noted);
		return;
	}
	t->next = p->head;
	p->head = t;
	p->queued_bytes += t->c.len;
	p->outstanding++;
	pst_mem_queued(&s->mem, +1);
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->m);
}

enum pst_err pst_walk_queue(struct pst_scan *s, struct pst_node *n, const struct pst_content *c,
			    unsigned worker)
{
	struct task *t = pst_calloc(1, sizeof(*t));
	if (!t)
		return PST_ENOMEM;
	t->node = n;
	t->c = *c;
	submit(s, t, worker);
	return PST_OK;
}

/* Picks the unpacker with the highest bid, or NULL. */
const struct pst_unpacker *pst_unpacker_choose(const uint8_t *head, size_t len, unsigned *bid)
{
	const struct pst_unpacker *best = NULL;
	unsigned top = 0;
	size_t i;
	for (i = 0; pst_unpackers[i]; i++) {
		unsigned b = pst_unpackers[i]->bid(head, len);
		if (b > top) {
			top = b;
			best = pst_unpackers[i];
		}
	}
	*bid = top;
	return best;
}

struct pst_bid pst_bid_make(const uint8_t *p, size_t len)
{
	struct pst_bid b = { p, len, NULL, 0 };
	b.u = pst_unpacker_choose(p, len, &b.top);
	return b;
}

bool pst_bid_is(const struct pst_bid *b, const uint8_t *p, size_t len)
{
	return b->p && b->p == p && b->len == len;
}

static void progress(struct pst_scan *s)
{
	double now;
	uint64_t done = atomic_fetch_add(&s->done_files, 1) + 1;
	if (!s->opts.progress)
		return;
	now = pst_now();
	pthread_mutex_lock(&s->lock);
	if (now - s->last_progress >= 0.2) {
		s->last_progress = now;
		pst_message(&s->opts, PST_MSG_PROGRESS, "%llu files, %.1f MB unpacked, %.1f s",
			    (unsigned long long)done,
			    (double)atomic_load(&s->total_bytes) / 1e6, now - s->t_start);
	}
	pthread_mutex_unlock(&s->lock);
}

static void run_analyzers(struct pst_scan *s, struct pst_node *n, struct pst_view v,
			  const struct pst_range *own, size_t nown)
{
	struct pst_file f = { n, v, s, own, nown };
	size_t i;
	for (i = 0; pst_analyzers[i]; i++) {
		const struct pst_analyzer *a = pst_analyzers[i];
		if (!a->analyze || (a->wants && !a->wants(s->astate[i], n)))
			continue;
		enum pst_err e;
		PST_OOM_BEGIN();
		e = a->analyze(s->astate[i], &f);
		if (pst_oom_seen(e))
			e = PST_ENOMEM;
		if (e == PST_EFORMAT)
			pst_finding_add(s, n, "analyze.failed", PST_SEV_LOW, "coverage", 0, NULL,
					"analyzer %s could not read this file", a->name);
		else if (e == PST_ENOMEM)
			pst_scan_fail(s, PST_ENOMEM, "out of memory in analyzer %s on %s", a->name,
				      n->location);
	}
}

/* Where objects are carved from in a file no unpacker opens (its size: not at
 * all). Data is searched whole. An ELF file is searched past the bytes its
 * headers, segments and sections account for (an overlay: a self-extracting
 * installer's archive, an AppImage's squashfs), or whole when it is a static
 * program that is mostly compressed payload: a self-decompressing kernel
 * (vmlinuz, zImage as ELF) whose compressed image, and the initramfs in it,
 * sits inside a section. Ordinary programs are not searched (their bytes are
 * code and tables, and an embedded blob in them is for the analyzers). A
 * script or text file is searched from the line where binary data begins
 * (an installer script with its payload appended: makeself, a vendor's .run
 * or .bin). */
static uint64_t carve_from(const struct pst_node *n, struct pst_view v)
{
	if (v.len < 64)
		return v.len;
	if (n->kind == PST_KIND_DATA || n->kind == PST_KIND_ENTROPY)
		return 0;
	if (n->kind == PST_KIND_SCRIPT || n->kind == PST_KIND_TEXT)
		return pst_text_end(v);
	if (n->kind != PST_KIND_ELF)
		return v.len;
	if (n->elf.is_static && n->entropy >= PST_ELF_PAYLOAD_ENTROPY)
		return 0;
	return n->elf.end + 64 <= v.len ? n->elf.end : v.len;
}

/* Opens n with the winner of the bid b on its bytes v (or carves objects
 * out of it); *own gets the ranges of its bytes no child examines
 * (src/core/ranges.c), NULL when that is all of them. */
static void unpack_node(struct pst_scan *s, struct pst_node *n, const struct pst_bid *b,
			struct pst_blob *blob, struct pst_view v, unsigned worker,
			struct pst_range **own, size_t *nown)
{
	const struct pst_unpacker *u = b->u;
	struct pst_sink k;
	enum pst_err e;

	*own = NULL;
	*nown = 0;
	pst_sink_init(&k, s, n, blob, v, worker);
	k.bid = *b;
	if (!u) {
		uint64_t from = carve_from(n, v);
		if (from < v.len) {
			pst_carve(&k, v, from);
			/* what carving gave up (a candidate's node it had no
			 * memory for) is reported on the file searched */
			pst_sink_commit_damage(&k);
			*own = pst_own_ranges(&k, v.len, 0, nown);
			pst_sink_ranges_free(&k);
		}
		return;
	}
	if (!pst_sink_may_open(s, n, u, "container"))
		return;
	n->format = u->name;
	n->kind = u->kind;
	n->flags |= PST_NODE_CONTAINER;
	PST_OOM_BEGIN();
	e = u->unpack(&k, v);
	if (pst_oom_seen(e))
		pst_sink_damage(&k, PST_ENOMEM, "out of memory");
	if (e != PST_OK && e != PST_ELIMIT && e != PST_ECANCEL && !k.ndamage)
		pst_sink_damage(&k, e, "%s", pst_err_str(e));
	pst_sink_commit_damage(&k);
	/* Whatever follows the object its unpacker read is carved like a raw
	 * image, whatever the format: a stream that ends before the region its
	 * container declared, a kernel followed by a root filesystem. What
	 * nothing explains there is counted (carve.c), never taken as read. */
	if (k.consumed && k.consumed < v.len && !k.stopped && !pst_scan_stopped(s))
		pst_carve(&k, v, k.consumed);
	*own = pst_own_ranges(&k, v.len, k.consumed, nown);
	pst_sink_ranges_free(&k);
}

/* A carved object at off of k's parent, used bytes long, whose own sink
 * was c: its bytes are examined through its children, but it is not
 * analyzed as a node, so its header window (up to its first borrowed child)
 * and the header windows of objects carved inside it stay k's to read. */
static void record_region(struct pst_sink *k, const struct pst_sink *c, uint64_t off,
			  uint64_t used)
{
	uint64_t hdr = pst_sink_header_window(c, used);
	size_t i;
	pst_sink_cover(k, off, used);
	pst_sink_head(k, off, hdr);
	for (i = 0; i < c->nheads; i++)
		pst_sink_head(k, off + c->heads[i].off, c->heads[i].len);
	if (c->ranges_lost)
		k->ranges_lost = true;
}

uint64_t pst_walk_region(struct pst_sink *k, uint64_t off, struct pst_view obj,
			 const struct pst_unpacker *u)
{
	struct pst_scan *s = k->scan;
	struct pst_node *parent = k->parent, *prev = parent->last_child_, *n;
	struct pst_entry e;
	struct pst_sink c;
	char seg[64];
	enum pst_err rc;
	uint64_t used;

	memset(&e, 0, sizeof(e));
	snprintf(seg, sizeof(seg), "%s@0x%llx", u->name, (unsigned long long)off);
	e.seg = seg;
	e.offset = off;
	n = pst_sink_node(k, &e, &rc);
	if (!n && rc == PST_ENOMEM)
		pst_sink_damage(k, PST_ENOMEM, "out of memory opening %s at 0x%llx", u->name,
				(unsigned long long)off);
	if (!n)
		return obj.len; /* nothing more can be opened here: reported */
	n->format = u->name;
	n->kind = u->kind;
	n->flags |= PST_NODE_CONTAINER | PST_NODE_CARVED;
	if (!pst_sink_may_open(s, n, u, "object")) {
		pst_sink_count_kind(s, n);
		return obj.len;
	}
	pst_sink_init(&c, s, n, k->blob, obj, k->worker);
	PST_OOM_BEGIN();
	rc = u->unpack(&c, obj);
	if (pst_oom_seen(rc))
		rc = pst_sink_damage(&c, PST_ENOMEM, "out of memory");
	/* A candidate that ran out of memory is kept and reported, not taken
	 * for a false match. */
	if (c.emitted == 0 && (rc != PST_OK || c.consumed == 0) && rc != PST_ENOMEM &&
	    c.damage_err != PST_ENOMEM) {
		pst_sink_ranges_free(&c);
		/* A bogus candidate: unlink it as if it had never been. */
		pst_sink_unemit(k, prev);
		return 0;
	}
	if (rc != PST_OK && rc != PST_ELIMIT && rc != PST_ECANCEL && !c.ndamage)
		pst_sink_damage(&c, rc, "%s", pst_err_str(rc));
	pst_sink_commit_damage(&c);
	if (c.stopped)
		k->stopped = true;
	used = c.consumed && c.consumed <= obj.len ? c.consumed : obj.len;
	record_region(k, &c, off, used);
	pst_sink_ranges_free(&c);
	n->size = used;
	pst_sha256(obj.p, (size_t)used, n->sha256);
	n->entropy = pst_entropy(obj.p, (size_t)used);
	pst_sink_count_kind(s, n);
	return used;
}

/* A container this big is opened before it is hashed, so that its children
 * are queued for the other workers while this one hashes it: a 4 GB virtual
 * disk and then its partition took 3.7 s each, with the other worker idle.
 * Only a container whose format its bid knows: the classification of
 * anything else falls back on the entropy. */
#define DIGEST_AFTER_OPENING (64u << 20)

/* Hashes, classifies and (when it is a file with bytes) opens n, then runs
 * the analyzers on it. The node is bid on once, here or by the unpacker that
 * emitted it (its task's bid): the winner gives its kind before
 * classification-dependent steps and opens it, and the carver does not ask
 * again at its offset 0. Before the analyzers nothing reads the digest, and
 * the entropy only where no format won. */
static void examine(struct pst_scan *s, struct task *t, struct pst_blob *blob, struct pst_view v,
		    unsigned worker)
{
	struct pst_node *n = t->node;
	struct pst_view map = blob && blob->map_len ? pst_view_make(blob->p, blob->map_len)
						   : pst_view_make(NULL, 0);
	bool digest = !(n->mode & S_IFMT) || S_ISREG(n->mode), bytes = digest && v.len;
	bool peeked = s->opts.peek && s->opts.peek_location &&
		      strcmp(n->location, s->opts.peek_location) == 0;
	struct pst_bid b;
	struct pst_range *own = NULL;
	size_t nown = 0;

	memset(&b, 0, sizeof(b));
	/* readers of a mapped member let its pages go as they pass them */
	map = pst_view_let_go_in(map);
	n->size = v.len;
	if (bytes)
		b = pst_bid_is(&t->c.bid, v.p, v.len) ? t->c.bid : pst_bid_make(v.p, v.len);
	if (digest && !(b.u && v.len >= DIGEST_AFTER_OPENING && !peeked)) {
		pst_view_digest(blob, v, n->sha256, &n->entropy);
		digest = false;
	}
	/* what a file is, is in its header: a virtual disk is classified on
	 * its bytes up to its first hole, whose pages are never touched */
	pst_classify(n, pst_view_before_hole(blob, v), s->arena);
	if (peeked)
		s->opts.peek(s->opts.peek_ctx, n, v.p, v.len);
	if (bytes) {
		if (b.u)
			n->kind = b.u->kind;
		/* Analyzers run once the node is opened, so that they know which
		 * of its bytes its children explain. */
		unpack_node(s, n, &b, blob, v, worker, &own, &nown);
		/* a virtual disk's holes are padding: content scanners skip them */
		own = pst_own_less_holes(blob, v, own, &nown);
	}
	if (digest)
		pst_view_digest(blob, v, n->sha256, &n->entropy);
	run_analyzers(s, n, v, own, nown);
	free(own);
	pst_view_let_go_in(map);
}

static void process(struct pst_scan *s, struct task *t, unsigned worker)
{
	struct pst_node *n = t->node;
	struct pst_blob *blob = t->c.blob;
	struct pst_view v = pst_view_make(t->c.p, t->c.len);

	if (pst_scan_stopped(s)) {
		pst_mark_incomplete(s, n);
		goto out;
	}
	if (t->c.load) {
		blob = pst_sink_load(s, n, &t->c, worker);
		if (!blob)
			goto out;
		v = pst_view_make(blob->p, blob->len);
	}
	if (t->c.dirfd >= 0) {
		struct pst_sink k;
		pst_sink_init(&k, s, n, NULL, pst_view_make(NULL, 0), worker);
		n->flags |= PST_NODE_CONTAINER;
		n->format = "dir";
		/* Paths as they are in the product's root (dirroot.c). */
		pst_dir_emit(&k, t->c.dirfd, s->dir_root, 0);
		pst_sink_count_kind(s, n);
		goto out;
	}
	examine(s, t, blob, v, worker);
	pst_sink_count_kind(s, n);
	progress(s);
out:
	if (t->c.ctx_unref)
		t->c.ctx_unref(t->c.ctx);
	pst_blob_unref(blob);
	free(t);
}

enum pst_err pst_walk(struct pst_scan *s, struct pst_node *root, struct pst_blob *blob, int dirfd)
{
	struct pst_pool pool;
	struct worker_arg *args;
	struct task *t;
	struct pst_blob *trim_target = NULL;
	enum pst_err rc = PST_OK;
	pthread_attr_t attr;
	unsigned i;

	/* The target's file mapping is read like a spilled member: its pages
	 * are let go as it is read (spill.c's trimmer), and it stays mapped
	 * while the trimmer may touch it. */
	if (blob && blob->map_len && !blob->spill) {
		trim_target = pst_blob_ref(blob);
		pst_spill_mapped(&s->mem, PST_SPILL_TARGET, (void *)(uintptr_t)blob->p,
				 blob->map_len);
	}
	memset(&pool, 0, sizeof(pool));
	pthread_mutex_init(&pool.m, NULL);
	pthread_cond_init(&pool.work, NULL);
	pthread_cond_init(&pool.done, NULL);
	pool.scan = s;
	pool.n = s->jobs;
	pool.queue_max = PST_CAP_QUEUE_BYTES;
	if (s->opts.limits.max_memory && s->opts.limits.max_memory / 4 < pool.queue_max)
		pool.queue_max = s->opts.limits.max_memory / 4;
	s->pool = &pool;
	pool.threads = pst_calloc(pool.n, sizeof(pthread_t));
	args = pst_calloc(pool.n, sizeof(*args));
	t = pst_calloc(1, sizeof(*t));
	if (!pool.threads || !args || !t) {
		free(t);
		pst_blob_unref(blob);
		rc = PST_ENOMEM;
		goto out;
	}
	t->node = root;
	t->c.blob = blob;
	t->c.p = blob ? blob->p : NULL;
	t->c.len = blob ? blob->len : 0;
	t->c.dirfd = dirfd;
	pool.outstanding = 1;
	pool.head = t;
	pool.queued_bytes = t->c.len;
	pst_mem_queued(&s->mem, +1);
	/* Filesystem unpackers recurse once a directory level, up to
	 * PST_NEST_MAX levels of a few KiB each: a fixed stack, whatever
	 * `ulimit -s` says. */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, WORKER_STACK);
	for (i = 0; i < pool.n; i++) {
		args[i].pool = &pool;
		args[i].id = i;
		if (pthread_create(&pool.threads[i], &attr, worker_main, &args[i]) != 0) {
			pool.n = i;
			break;
		}
	}
	pthread_attr_destroy(&attr);
	pst_spill_trimmer_start(&s->mem, trim_target != NULL);
	if (pool.n == 0) {
		/* no worker took the root task: it is still queued, ours to free */
		pst_mem_queued(&s->mem, -1);
		pst_blob_unref(blob);
		free(t);
		rc = PST_ENOMEM;
		goto out;
	}
	pthread_mutex_lock(&pool.m);
	while (pool.outstanding)
		pthread_cond_wait(&pool.done, &pool.m);
	pool.quit = true;
	pthread_cond_broadcast(&pool.work);
	pthread_mutex_unlock(&pool.m);
	for (i = 0; i < pool.n; i++)
		pthread_join(pool.threads[i], NULL);
	if (s->opts.progress)
		pst_message(&s->opts, PST_MSG_PROGRESS_END, "%llu files",
			    (unsigned long long)atomic_load(&s->done_files));
out:
	pst_spill_trimmer_stop(&s->mem);
	if (trim_target) {
		pst_spill_mapped(&s->mem, PST_SPILL_TARGET, NULL, 0);
		pst_blob_unref(trim_target);
	}
	s->pool = NULL;
	free(pool.threads);
	free(args);
	pthread_cond_destroy(&pool.work);
	pthread_cond_destroy(&pool.done);
	pthread_mutex_destroy(&pool.m);
	return rc;
}
