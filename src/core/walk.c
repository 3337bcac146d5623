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
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>
#include "internal.h"

/* Content waiting in the queue: at most this, and a quarter of the memory
 * budget (queued content holds budget no waiting worker can free). */
#define QUEUE_BYTES_MAX (96u << 20)
#define WORKER_STACK (16u << 20)    /* see pst_walk */

struct task {
	struct task *next;
	struct pst_node *node;
	struct pst_blob *blob;       /* NULL for loader tasks and metadata-only nodes */
	const uint8_t *p;
	size_t len;
	enum pst_err (*load)(void *ctx, uint64_t cookie, unsigned worker, struct pst_obuf *out);
	void *ctx;
	uint64_t cookie;
	void (*ctx_unref)(void *ctx);
};

struct pst_pool {
	pthread_mutex_t m;
	pthread_cond_t work, done;
	struct task *head, *tail;
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

static int strcmp_p(const char **a, const char **b)
{
	return strcmp(*a, *b);
}

static bool scan_stopped(struct pst_scan *s)
{
	if (atomic_load(&s->cancel))
		return true;
	if (pst_now() - s->t_start > s->opts.limits.max_seconds) {
		if (!atomic_exchange(&s->limit_time_hit, true))
			pst_limit_hit(s, s->root, "time",
				      "scan stopped after %.0f s (limit --max-seconds)",
				      s->opts.limits.max_seconds);
		atomic_store(&s->cancel, true);
		return true;
	}
	return false;
}

bool pst_sink_cancelled(struct pst_sink *k)
{
	return k->stopped || scan_stopped(k->scan);
}

static void mark_incomplete(struct pst_scan *s, struct pst_node *n)
{
	if (!(n->flags & PST_NODE_INCOMPLETE)) {
		n->flags |= PST_NODE_INCOMPLETE;
		pst_cov_add(s, &s->cov.incomplete, 1);
	}
}

/* Out of memory for one node's part (its content, its task, a decoder's
 * tables): that node is given up, marked incomplete and reported, and the
 * scan goes on; when even the report cannot be stored, the scan ends
 * (pst_finding_add makes that fatal). */
static void give_up(struct pst_scan *s, struct pst_node *n, const char *what)
{
	mark_incomplete(s, n);
	pst_finding_add(s, n, "unpack.resource", PST_SEV_MEDIUM, "coverage", 0, NULL,
			"out of memory %s: this file was not examined", what);
}

bool pst_sink_nest(struct pst_sink *k, unsigned depth, const char *where)
{
	size_t half = k->scan->opts.limits.max_path / 2;
	unsigned max = half < PST_NEST_MAX ? (unsigned)half : PST_NEST_MAX;

	if (depth <= max)
		return true;
	if (!k->nest_cut) {
		k->nest_cut = true;
		mark_incomplete(k->scan, k->parent);
		pst_limit_hit(k->scan, k->parent, "path",
			      "%s: directories nested deeper than %u levels were not entered "
			      "(half of --max-path, at most %u)", where && *where ? where : "/", max,
			      PST_NEST_MAX);
	}
	return false;
}

void pst_sink_path_cut(struct pst_sink *k, const char *where, size_t max)
{
	mark_incomplete(k->scan, k->parent);
	pst_limit_hit(k->scan, k->parent, "path",
		      "%s: members whose path would pass %zu bytes were not emitted "
		      "(limit --max-path)", where, max);
}

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
		if (!p->head)
			p->tail = NULL;
		p->queued_bytes -= t->len;
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

/* Queues t, or runs it here when the queue holds too many bytes already. */
static void submit(struct pst_scan *s, struct task *t, unsigned worker)
{
	struct pst_pool *p = s->pool;
	pthread_mutex_lock(&p->m);
	if (p->queued_bytes + t->len > p->queue_max && p->head) {
		pthread_mutex_unlock(&p->m);
		process(s, t, worker);
		return;
	}
	t->next = NULL;
	if (p->tail)
		p->tail->next = t;
	else
		p->head = t;
	p->tail = t;
	p->queued_bytes += t->len;
	p->outstanding++;
	pst_mem_queued(&s->mem, +1);
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->m);
}

/* The most the whole scan may unpack under the expansion ratio: --max-ratio
 * times the target's size (a directory target's: the bytes of the files
 * read so far), and never less than 64 MiB. */
static uint64_t ratio_total(struct pst_scan *s)
{
	uint64_t t = (s->target_size + atomic_load(&s->dir_bytes)) * s->opts.limits.max_ratio;
	return t < (64ull << 20) ? 64ull << 20 : t;
}

/* The most the whole scan may unpack: the lower of --max-total-bytes and
 * the expansion ratio's total; *why names which ("total-size", "ratio"). */
static uint64_t scan_cap(struct pst_scan *s, const char **why)
{
	uint64_t rt = ratio_total(s), t = s->opts.limits.max_total_bytes;
	*why = rt < t ? "ratio" : "total-size";
	return rt < t ? rt : t;
}

/* The most a child may grow to now: the per-file limit, what is left of the
 * total and of the expansion ratio. */
static uint64_t child_cap(struct pst_scan *s, const char **why)
{
	const struct pst_limits *l = &s->opts.limits;
	uint64_t used = atomic_load(&s->total_bytes), cap = l->max_file_bytes, left;
	uint64_t rt = ratio_total(s);

	*why = "file-size";
	left = used < l->max_total_bytes ? l->max_total_bytes - used : 0;
	if (left < cap) {
		cap = left;
		*why = "total-size";
	}
	left = used < rt ? rt - used : 0;
	if (left < cap) {
		cap = left;
		*why = "ratio";
	}
	return cap;
}

void pst_sink_obuf(struct pst_sink *k, struct pst_obuf *b)
{
	const char *why;
	memset(b, 0, sizeof(*b));
	b->max = (size_t)child_cap(k->scan, &why);
	b->charge = &k->scan->total_bytes;
	b->charge_max = scan_cap(k->scan, &why);
	b->mem = &k->scan->mem;
	b->worker = k->worker;
}

/* Marks n cut at len bytes by limit why ("file-size", "total-size",
 * "ratio") and reports it (a scan-wide limit once, then unpack.truncated). */
static void mark_cut(struct pst_scan *s, struct pst_node *n)
{
	n->flags |= PST_NODE_TRUNCATED;
	pst_cov_add(s, &s->cov.truncated, 1);
	mark_incomplete(s, n);
}

static void report_cut(struct pst_scan *s, struct pst_node *n, const char *why, size_t len)
{
	mark_cut(s, n);
	if (strcmp(why, "file-size") == 0)
		pst_limit_hit(s, n, "file-size", "content cut at %zu bytes (limit --max-file-bytes)",
			      len);
	else if (!atomic_exchange(strcmp(why, "ratio") == 0 ? &s->limit_ratio_hit
							    : &s->limit_total_hit, true))
		pst_limit_hit(s, n, why, "content cut at %zu bytes: the scan reached its %s limit",
			      len, strcmp(why, "ratio") == 0 ? "expansion-ratio" : "total-bytes");
	else
		pst_finding_add(s, n, "unpack.truncated", PST_SEV_LOW, "coverage", 0, NULL,
				"content cut at %zu bytes by a scan-wide limit", len);
}

/* Counts bytes a child brought; reports a truncation by a limit. */
static void account_bytes(struct pst_scan *s, struct pst_node *n, const struct pst_obuf *b)
{
	size_t len = b->len;
	atomic_fetch_add(&s->total_bytes, len);
	pst_cov_add(s, &s->cov.bytes_unpacked, len);
	if (b->over) {
		const char *why;
		child_cap(s, &why);
		if (b->cancelled) {
			/* the scan stops: its time limit or cancel is reported once */
			mark_cut(s, n);
		} else if (b->mem_over) {
			mark_cut(s, n);
			pst_limit_hit(s, n, "memory",
				      "content cut at %zu bytes: the scan's unpacked content reached "
				      "its live-memory budget (limit --max-memory)", len);
		} else {
			report_cut(s, n, why, len);
		}
	}
}

/* Borrowed children cost nothing while together they fit in their
 * container: past its size they hand out its bytes again (entries whose
 * data overlap: a romfs or tar whose headers all point at the same bytes,
 * an overlapping-zip-style bomb in a zero-copy format), and that re-use
 * counts against the scan's total and expansion-ratio limits as unpacked
 * bytes do. Returns how many of len bytes the child may have. */
static size_t borrow_allow(struct pst_sink *k, struct pst_node *n, size_t len)
{
	struct pst_scan *s = k->scan;
	uint64_t before = k->borrowed, extra, cap, used, keep;
	const char *why;
	k->borrowed += len;
	if (k->borrowed <= k->base_len)
		return len;
	extra = k->borrowed - (before > k->base_len ? before : k->base_len);
	cap = scan_cap(s, &why);
	used = atomic_fetch_add(&s->total_bytes, extra);
	if (used + extra <= cap)
		return len;
	keep = used < cap ? cap - used : 0;
	atomic_fetch_sub(&s->total_bytes, extra - keep);
	len -= (size_t)(extra - keep);
	report_cut(s, n, why, len);
	return len;
}

/* Lexically normalises a container path to "/a/b". Returns false when the
 * name tried to climb above the container's root ("../", absolute paths are
 * merely re-rooted). */
static bool normalise(const char *in, char *out, size_t outlen, size_t *olen)
{
	size_t o = 0;
	bool escaped = false;
	const char *p = in;

	if (outlen < 2)
		return false;
	out[o++] = '/';
	while (*p) {
		const char *seg;
		size_t n;
		while (*p == '/')
			p++;
		seg = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			if (o <= 1) {
				escaped = true;
				continue;
			}
			o--;
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;
			continue;
		}
		if (o > 1) {
			if (o + 1 >= outlen)
				break;
			out[o++] = '/';
		}
		if (o + n >= outlen)
			n = outlen - o - 1;
		memcpy(out + o, seg, n);
		o += n;
	}
	out[o] = 0;
	*olen = o;
	return !escaped;
}

static void link_child(struct pst_node *parent, struct pst_node *n)
{
	if (parent->last_child_)
		parent->last_child_->next = n;
	else
		parent->child = n;
	parent->last_child_ = n;
	parent->nchildren++;
}

/* Makes the node for e under k's parent and links it; NULL when a limit or
 * out of memory stops it (*rc says which). */
static struct pst_node *new_node(struct pst_sink *k, const struct pst_entry *e, enum pst_err *rc)
{
	struct pst_scan *s = k->scan;
	struct pst_node *n;
	char *path;
	size_t plen = 0, maxp = s->opts.limits.max_path;

	*rc = PST_OK;
	if (k->stopped) {
		*rc = PST_ELIMIT;
		return NULL;
	}
	if (scan_stopped(s)) {
		k->stopped = true;
		mark_incomplete(s, k->parent);
		*rc = PST_ECANCEL;
		return NULL;
	}
	if (atomic_fetch_add(&s->nodes, 1) >= s->opts.limits.max_files) {
		if (!atomic_exchange(&s->limit_files_hit, true))
			pst_limit_hit(s, k->parent, "files",
				      "stopped after %llu nodes (limit --max-files)",
				      (unsigned long long)s->opts.limits.max_files);
		k->stopped = true;
		mark_incomplete(s, k->parent);
		*rc = PST_ELIMIT;
		return NULL;
	}
	n = pst_arena_alloc(s->arena, sizeof(*n));
	path = malloc(maxp + 2);
	if (!n || !path) {
		free(path);
		*rc = PST_ENOMEM;
		return NULL;
	}
	n->parent = k->parent;
	n->depth = k->parent->depth + 1;
	n->offset = e->offset;
	n->declared_size = e->declared_size;
	n->mode = e->mode ? e->mode : (S_IFREG | 0644);
	n->uid = e->uid;
	n->gid = e->gid;
	n->flags = e->flags;
	n->link = pst_arena_strdup(s->arena, e->link);
	if (e->seg) {
		n->seg = pst_arena_strdup(s->arena, e->seg);
		n->path = "/";
		n->flags |= PST_NODE_VIRTUAL;
	} else {
		const char *raw = e->path ? e->path : "";
		bool ok = normalise(raw, path, maxp + 1, &plen);
		n->seg = n->path = pst_arena_strndup(s->arena, path, plen);
		n->location = pst_arena_printf(s->arena, "%s!%s", k->parent->location, n->seg);
		if (!ok)
			pst_finding_add(s, n, "unpack.path-traversal", PST_SEV_MEDIUM, "integrity", 0,
					raw, "member name climbs out of its container; re-rooted");
		if (strlen(raw) > maxp)
			pst_limit_hit(s, n, "path", "member name longer than %zu bytes was cut", maxp);
	}
	free(path);
	if (!n->location)
		n->location = pst_arena_printf(s->arena, "%s!%s", k->parent->location, n->seg);
	if (!n->seg || !n->location) {
		*rc = PST_ENOMEM;
		return NULL;
	}
	if (n->flags & PST_NODE_ENCRYPTED)
		pst_cov_add(s, &s->cov.encrypted, 1);
	if (n->flags & PST_NODE_INCOMPLETE) {
		n->flags &= ~PST_NODE_INCOMPLETE;
		mark_incomplete(s, n);
	}
	link_child(k->parent, n);
	k->emitted++;
	return n;
}

enum pst_err pst_sink_emit(struct pst_sink *k, const struct pst_entry *e)
{
	struct pst_scan *s = k->scan;
	struct pst_node *n;
	struct task *t;
	enum pst_err rc;

	n = new_node(k, e, &rc);
	t = n ? calloc(1, sizeof(*t)) : NULL;
	if (!t) {
		if (e->take)
			pst_obuf_free(e->take);
		if (n)
			give_up(s, n, "queueing it");
		if (n || rc == PST_ENOMEM)
			rc = pst_sink_damage(k, PST_ENOMEM, "out of memory emitting a member");
		return rc;
	}
	t->node = n;
	if (e->take) {
		t->blob = pst_obuf_take(e->take);
		if (!t->blob) {
			pst_obuf_free(e->take);
			free(t);
			give_up(s, n, "keeping its content");
			return pst_sink_damage(k, PST_ENOMEM, "out of memory emitting a member");
		}
		t->p = t->blob->p;
		t->len = t->blob->len;
		pst_obuf_settle(e->take);
		account_bytes(s, n, e->take);
		e->take->len = 0;
	} else if (e->borrow) {
		t->blob = pst_blob_ref(k->blob);
		t->p = e->borrow;
		t->len = borrow_allow(k, n, e->borrow_len);
		if (k->base && e->borrow >= k->base &&
		    (size_t)(e->borrow - k->base) <= k->base_len &&
		    e->borrow_len <= k->base_len - (size_t)(e->borrow - k->base))
			pst_sink_cover(k, (uint64_t)(e->borrow - k->base), e->borrow_len);
	} else if (e->load) {
		t->load = e->load;
		t->ctx = e->ctx;
		t->cookie = e->cookie;
		t->ctx_unref = e->ctx_unref;
		if (e->ctx_ref)
			e->ctx_ref(e->ctx);
	}
	submit(s, t, k->worker);
	return PST_OK;
}

enum pst_err pst_sink_damage(struct pst_sink *k, enum pst_err err, const char *fmt, ...)
{
	va_list ap;
	/* The first damage is reported, except that running out of memory
	 * outranks a format error: it is not the image's fault. */
	if (k->ndamage++ == 0 || (err == PST_ENOMEM && k->damage_err != PST_ENOMEM)) {
		k->damage_err = err;
		va_start(ap, fmt);
		vsnprintf(k->damage, sizeof(k->damage), fmt, ap);
		va_end(ap);
	}
	return err;
}

/* Records the damage an unpacker reported on k's parent. */
static void commit_damage(struct pst_sink *k)
{
	struct pst_scan *s = k->scan;
	const char *rule = k->damage_err == PST_EUNSUPPORTED ? "unpack.unsupported" :
			   k->damage_err == PST_ENOMEM ? "unpack.resource" : "unpack.damaged";
	if (!k->ndamage)
		return;
	mark_incomplete(s, k->parent);
	pst_finding_add(s, k->parent, rule,
			k->damage_err == PST_ENOMEM ? PST_SEV_MEDIUM : PST_SEV_LOW, "coverage", 0,
			NULL, "%s: %s%s",
			k->parent->format ? k->parent->format : "unpack", k->damage,
			k->ndamage > 1 ? " (and more)" : "");
	k->ndamage = 0;
}

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

static void count_kind(struct pst_scan *s, struct pst_node *n)
{
	pthread_mutex_lock(&s->lock);
	s->cov.kinds[n->kind]++;
	switch (n->kind) {
	case PST_KIND_DIR: s->cov.dirs++; break;
	case PST_KIND_SYMLINK: s->cov.links++; break;
	case PST_KIND_DEVICE: s->cov.specials++; break;
	default:
		if (!(n->flags & PST_NODE_VIRTUAL) || n->parent == NULL)
			s->cov.files++;
		break;
	}
	if (n->flags & PST_NODE_CONTAINER)
		s->cov.containers++;
	pthread_mutex_unlock(&s->lock);
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
		fprintf(stderr, "\rpostern: %llu files, %.1f MB unpacked, %.1f s   ",
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
 * code and tables, and an embedded blob in them is for the analyzers). */
static uint64_t carve_from(const struct pst_node *n, struct pst_view v)
{
	if (v.len < 64)
		return v.len;
	if (n->kind == PST_KIND_DATA || n->kind == PST_KIND_ENTROPY)
		return 0;
	if (n->kind != PST_KIND_ELF)
		return v.len;
	if (n->elf.is_static && n->entropy >= PST_ELF_PAYLOAD_ENTROPY)
		return 0;
	return n->elf.end + 64 <= v.len ? n->elf.end : v.len;
}

/* Opens n (or carves objects out of it); *own gets the ranges of its bytes
 * no child examines (src/core/ranges.c), NULL when that is all of them. */
static void unpack_node(struct pst_scan *s, struct pst_node *n, struct pst_blob *blob,
			struct pst_view v, unsigned worker, struct pst_range **own, size_t *nown)
{
	const struct pst_unpacker *u;
	struct pst_sink k;
	unsigned bid;
	enum pst_err e;

	*own = NULL;
	*nown = 0;
	memset(&k, 0, sizeof(k));
	k.scan = s;
	k.parent = n;
	k.blob = blob;
	k.base = v.p;
	k.base_len = v.len;
	k.worker = worker;

	u = pst_unpacker_choose(v.p, v.len, &bid);
	if (!u) {
		uint64_t from = carve_from(n, v);
		if (from < v.len) {
			pst_carve(&k, v, from);
			*own = pst_own_ranges(&k, v.len, 0, nown);
			pst_sink_ranges_free(&k);
		}
		return;
	}
	if (n->depth >= s->opts.limits.max_depth) {
		mark_incomplete(s, n);
		pst_limit_hit(s, n, "depth", "%s container at nesting depth %u not opened (limit --max-depth)",
			      u->name, n->depth);
		return;
	}
	n->format = u->name;
	n->kind = u->kind;
	n->flags |= PST_NODE_CONTAINER;
	PST_OOM_BEGIN();
	e = u->unpack(&k, v);
	if (pst_oom_seen(e))
		pst_sink_damage(&k, PST_ENOMEM, "out of memory");
	if (e != PST_OK && e != PST_ELIMIT && e != PST_ECANCEL && !k.ndamage)
		pst_sink_damage(&k, e, "%s", pst_err_str(e));
	commit_damage(&k);
	/* Whatever follows the object its unpacker read is carved like a raw
	 * image, whatever the format: a stream that ends before the region its
	 * container declared, a kernel followed by a root filesystem. What
	 * nothing explains there is counted (carve.c), never taken as read. */
	if (k.consumed && k.consumed < v.len && !k.stopped && !scan_stopped(s))
		pst_carve(&k, v, k.consumed);
	*own = pst_own_ranges(&k, v.len, k.consumed, nown);
	pst_sink_ranges_free(&k);
}

/* Emits a directory target's entries; files are read into memory here,
 * links are recorded and never followed. */
static void dir_emit(struct pst_sink *k, int dirfd, const char *prefix, unsigned level)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int fd = dup(dirfd);

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		pst_sink_damage(k, PST_EIO, "cannot read directory %s: %s", prefix[0] ? prefix : "/",
				strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (!pst_array_grow((void **)&names, &cap, n, sizeof(*names), 64) ||
		    !(names[n] = strdup(de->d_name))) {
			pst_sink_damage(k, PST_ENOMEM, "out of memory reading directory %s",
					prefix[0] ? prefix : "/");
			break;
		}
		n++;
	}
	/* Sorted, so the tree does not depend on the directory's hash order. */
	if (n > 1)
		qsort(names, n, sizeof(*names), (int (*)(const void *, const void *))strcmp_p);
	for (i = 0; i < n && !pst_sink_cancelled(k); i++) {
		struct pst_entry e;
		struct stat st;
		struct pst_obuf ob;
		char path[4096], link[4096];
		int cfd;

		memset(&e, 0, sizeof(e));
		snprintf(path, sizeof(path), "%s/%s", prefix, names[i]);
		if (fstatat(dirfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
			pst_sink_damage(k, PST_EIO, "cannot stat %s: %s", path, strerror(errno));
			continue;
		}
		e.path = path;
		e.mode = st.st_mode;
		e.uid = st.st_uid;
		e.gid = st.st_gid;
		if (S_ISLNK(st.st_mode)) {
			ssize_t ln = readlinkat(dirfd, names[i], link, sizeof(link) - 1);
			link[ln > 0 ? ln : 0] = 0;
			e.link = link;
			pst_sink_emit(k, &e);
		} else if (S_ISDIR(st.st_mode)) {
			pst_sink_emit(k, &e);
			cfd = openat(dirfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (cfd < 0)
				pst_sink_damage(k, PST_EIO, "cannot open directory %s: %s", path,
						strerror(errno));
			/* the same nesting bound as inside images, reported (limit.path) */
			if (cfd >= 0 && pst_sink_nest(k, level + 1, path))
				dir_emit(k, cfd, path, level + 1);
			if (cfd >= 0)
				close(cfd);
		} else if (S_ISREG(st.st_mode)) {
			cfd = openat(dirfd, names[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			/* Counted before reading, so the ratio limit never cuts a
			 * file that is read rather than unpacked. */
			atomic_fetch_add(&k->scan->dir_bytes, (uint64_t)st.st_size);
			pst_scan_fit_memory(k->scan, (uint64_t)st.st_size);
			pst_sink_obuf(k, &ob);
			if (cfd < 0) {
				e.flags |= PST_NODE_INCOMPLETE;
			} else {
				for (;;) {
					size_t room;
					ssize_t r;
					if (pst_obuf_grow(&ob, 1 << 20, &room) != PST_OK)
						break;
					r = read(cfd, ob.p + ob.len, room);
					if (r <= 0)
						break;
					ob.len += (size_t)r;
				}
				close(cfd);
			}
			e.take = &ob;
			pst_sink_emit(k, &e);
		} else {
			pst_sink_emit(k, &e);
		}
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
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
	n = new_node(k, &e, &rc);
	if (!n && rc == PST_ENOMEM)
		pst_sink_damage(k, PST_ENOMEM, "out of memory opening %s at 0x%llx", u->name,
				(unsigned long long)off);
	if (!n)
		return obj.len; /* nothing more can be opened here: reported */
	n->format = u->name;
	n->kind = u->kind;
	n->flags |= PST_NODE_CONTAINER | PST_NODE_CARVED;
	if (n->depth >= s->opts.limits.max_depth) {
		mark_incomplete(s, n);
		pst_limit_hit(s, n, "depth", "%s object at nesting depth %u not opened (limit --max-depth)",
			      u->name, n->depth);
		count_kind(s, n);
		return obj.len;
	}
	memset(&c, 0, sizeof(c));
	c.scan = s;
	c.parent = n;
	c.blob = k->blob;
	c.base = obj.p;
	c.base_len = obj.len;
	c.worker = k->worker;
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
		if (prev)
			prev->next = NULL;
		else
			parent->child = NULL;
		parent->last_child_ = prev;
		parent->nchildren--;
		k->emitted--;
		atomic_fetch_sub(&s->nodes, 1);
		return 0;
	}
	if (rc != PST_OK && rc != PST_ELIMIT && rc != PST_ECANCEL && !c.ndamage)
		pst_sink_damage(&c, rc, "%s", pst_err_str(rc));
	commit_damage(&c);
	if (c.stopped)
		k->stopped = true;
	used = c.consumed && c.consumed <= obj.len ? c.consumed : obj.len;
	record_region(k, &c, off, used);
	pst_sink_ranges_free(&c);
	n->size = used;
	pst_sha256(obj.p, (size_t)used, n->sha256);
	n->entropy = pst_entropy(obj.p, (size_t)used);
	count_kind(s, n);
	return used;
}

static void process(struct pst_scan *s, struct task *t, unsigned worker)
{
	struct pst_node *n = t->node;
	struct pst_blob *blob = t->blob;
	struct pst_view v = pst_view_make(t->p, t->len);
	char err[256];

	if (scan_stopped(s)) {
		mark_incomplete(s, n);
		goto out;
	}
	if (t->load) {
		struct pst_obuf ob;
		struct pst_sink tmp = { .scan = s, .worker = worker };
		enum pst_err e;
		pst_sink_obuf(&tmp, &ob);
		PST_OOM_BEGIN();
		e = t->load(t->ctx, t->cookie, worker, &ob);
		if (pst_oom_seen(e))
			e = PST_ENOMEM;
		if (e == PST_ELIMIT)
			ob.over = true;
		blob = pst_obuf_take(&ob);
		if (!blob) {
			pst_obuf_free(&ob);
			give_up(s, n, "loading its content");
			goto out;
		}
		pst_obuf_settle(&ob);
		account_bytes(s, n, &ob);
		v = pst_view_make(blob->p, blob->len);
		if (e == PST_ENOMEM) {
			give_up(s, n, "decoding its content");
		} else if (e != PST_OK && e != PST_ELIMIT) {
			mark_incomplete(s, n);
			pst_finding_add(s, n, "unpack.damaged", PST_SEV_LOW, "coverage", 0, NULL,
					"file content could not be read: %s", pst_err_str(e));
		}
	}
	if (n == s->root && s->root_dirfd >= 0) {
		struct pst_sink k = { .scan = s, .parent = n, .worker = worker };
		n->flags |= PST_NODE_CONTAINER;
		n->format = "dir";
		/* Paths as they are in the product's root (dirroot.c). */
		dir_emit(&k, s->root_dirfd, s->dir_root, 0);
		count_kind(s, n);
		goto out;
	}
	n->size = v.len;
	if (!(n->mode & S_IFMT) || S_ISREG(n->mode)) {
		if (n != s->root || !s->root_hashed)
			pst_sha256(v.p, v.len, n->sha256);
		n->entropy = pst_entropy(v.p, v.len);
	}
	pst_classify(n, v, s->arena);
	if (s->extract && !(n->flags & PST_NODE_VIRTUAL) &&
	    pst_extract_node(s->extract, n, v, err, sizeof(err)) != PST_OK)
		pst_finding_add(s, n, "extract.refused", PST_SEV_INFO, "coverage", 0, NULL, "%s", err);
	if (v.len && (S_ISREG(n->mode) || !(n->mode & S_IFMT))) {
		unsigned bid;
		const struct pst_unpacker *u = pst_unpacker_choose(v.p, v.len, &bid);
		struct pst_range *own;
		size_t nown;
		if (u)
			n->kind = u->kind;
		/* Analyzers run once the node is opened, so that they know which
		 * of its bytes its children explain. */
		unpack_node(s, n, blob, v, worker, &own, &nown);
		run_analyzers(s, n, v, own, nown);
		free(own);
	} else {
		run_analyzers(s, n, v, NULL, 0);
	}
	count_kind(s, n);
	progress(s);
out:
	if (t->ctx_unref)
		t->ctx_unref(t->ctx);
	pst_blob_unref(blob);
	free(t);
}

enum pst_err pst_walk(struct pst_scan *s, struct pst_node *root, struct pst_blob *blob)
{
	struct pst_pool pool;
	struct worker_arg *args;
	struct task *t;
	enum pst_err rc = PST_OK;
	pthread_attr_t attr;
	unsigned i;

	memset(&pool, 0, sizeof(pool));
	pthread_mutex_init(&pool.m, NULL);
	pthread_cond_init(&pool.work, NULL);
	pthread_cond_init(&pool.done, NULL);
	pool.scan = s;
	pool.n = s->jobs;
	pool.queue_max = QUEUE_BYTES_MAX;
	if (s->opts.limits.max_memory && s->opts.limits.max_memory / 4 < pool.queue_max)
		pool.queue_max = s->opts.limits.max_memory / 4;
	s->pool = &pool;
	pool.threads = calloc(pool.n, sizeof(pthread_t));
	args = calloc(pool.n, sizeof(*args));
	t = calloc(1, sizeof(*t));
	if (!pool.threads || !args || !t) {
		free(t);
		pst_blob_unref(blob);
		rc = PST_ENOMEM;
		goto out;
	}
	t->node = root;
	t->blob = blob;
	t->p = blob ? blob->p : NULL;
	t->len = blob ? blob->len : 0;
	pool.outstanding = 1;
	pool.head = pool.tail = t;
	pool.queued_bytes = t->len;
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
	if (pool.n == 0) {
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
		fprintf(stderr, "\r%60s\r", "");
out:
	s->pool = NULL;
	free(pool.threads);
	free(args);
	pthread_cond_destroy(&pool.work);
	pthread_cond_destroy(&pool.done);
	pthread_mutex_destroy(&pool.m);
	return rc;
}
