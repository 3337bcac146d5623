/*
 * sink.c - the sink: everything an unpacker may call to hand over what it
 * found, and the one place limits are checked (docs/limits.md).
 *
 * An unpacker (and the carver, and the directory reader) emits children
 * through a struct pst_sink, one per container being opened: the sink makes
 * the child's node, normalises its path, counts its bytes against the
 * per-file, total, ratio and memory limits, counts nodes against --max-files,
 * checks the time, the nesting depth and the path length, and turns every hit
 * into a finding (limit.* or unpack.*) and an incomplete mark. Accounting
 * flows one way: unpacker -> sink -> scan state (scan.c's findings and
 * coverage); the walker (walk.c) only schedules the nodes the sink hands it
 * (pst_walk_queue) and asks the sink before opening one. What children cover
 * of their parent's bytes is recorded in ranges.c.
 *
 * For unpacker authors: call pst_sink_obuf/pst_sink_emit/pst_sink_damage,
 * pst_sink_cancelled in long loops, pst_sink_nest/pst_sink_path_cut (through
 * fsutil.c's path helper) for directory trees. Never check a limit yourself.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "internal.h"

bool pst_scan_stopped(struct pst_scan *s)
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
	return k->stopped || pst_scan_stopped(k->scan);
}

void pst_mark_incomplete(struct pst_scan *s, struct pst_node *n)
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
void pst_sink_give_up(struct pst_scan *s, struct pst_node *n, const char *what)
{
	pst_mark_incomplete(s, n);
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
		pst_mark_incomplete(k->scan, k->parent);
		pst_limit_hit(k->scan, k->parent, "path",
			      "%s: directories nested deeper than %u levels were not entered "
			      "(half of --max-path, at most %u)", where && *where ? where : "/", max,
			      PST_NEST_MAX);
	}
	return false;
}

void pst_sink_path_cut(struct pst_sink *k, const char *where, size_t max)
{
	pst_mark_incomplete(k->scan, k->parent);
	pst_limit_hit(k->scan, k->parent, "path",
		      "%s: members whose path would pass %zu bytes were not emitted "
		      "(limit --max-path)", where, max);
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
	pst_mark_incomplete(s, n);
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
	/* a sparse buffer's holes are padding: neither unpacked nor examined */
	atomic_fetch_add(&s->total_bytes, len - b->zeros);
	pst_cov_add(s, &s->cov.bytes_unpacked, len - b->zeros);
	if (b->over) {
		const char *why;
		/* a sparse buffer is bounded by the scan's total, not one file's */
		if (b->sparse)
			scan_cap(s, &why);
		else
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
struct pst_node *pst_sink_node(struct pst_sink *k, const struct pst_entry *e, enum pst_err *rc)
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
	if (pst_scan_stopped(s)) {
		k->stopped = true;
		pst_mark_incomplete(s, k->parent);
		*rc = PST_ECANCEL;
		return NULL;
	}
	if (atomic_fetch_add(&s->nodes, 1) >= s->opts.limits.max_files) {
		if (!atomic_exchange(&s->limit_files_hit, true))
			pst_limit_hit(s, k->parent, "files",
				      "stopped after %llu nodes (limit --max-files)",
				      (unsigned long long)s->opts.limits.max_files);
		k->stopped = true;
		pst_mark_incomplete(s, k->parent);
		*rc = PST_ELIMIT;
		return NULL;
	}
	n = pst_arena_alloc(s->arena, sizeof(*n));
	path = pst_malloc(maxp + 2);
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
		pst_mark_incomplete(s, n);
	}
	link_child(k->parent, n);
	k->emitted++;
	return n;
}

/* What e's content becomes for the queue: a reference to bytes (taken or
 * borrowed, counted against the limits here) or a loader (counted when it
 * runs, pst_sink_load). False on out of memory keeping it (e->take freed). */
static bool content_of(struct pst_sink *k, struct pst_node *n, const struct pst_entry *e,
		       struct pst_content *c)
{
	if (e->take) {
		c->blob = pst_obuf_take(e->take);
		if (!c->blob) {
			pst_obuf_free(e->take);
			return false;
		}
		c->p = c->blob->p;
		c->len = c->blob->len;
		pst_obuf_settle(e->take);
		account_bytes(k->scan, n, e->take);
		e->take->len = 0;
	} else if (e->borrow) {
		c->blob = pst_blob_ref(k->blob);
		c->p = e->borrow;
		c->len = borrow_allow(k, n, e->borrow_len);
		/* for these bytes only (pst_bid_is): not for a cut member's */
		c->bid = e->bid;
		if (k->base && e->borrow >= k->base &&
		    (size_t)(e->borrow - k->base) <= k->base_len &&
		    e->borrow_len <= k->base_len - (size_t)(e->borrow - k->base))
			pst_sink_cover(k, (uint64_t)(e->borrow - k->base), e->borrow_len);
	} else if (e->load) {
		c->load = e->load;
		c->ctx = e->ctx;
		c->cookie = e->cookie;
		c->ctx_unref = e->ctx_unref;
		if (e->ctx_ref)
			e->ctx_ref(e->ctx);
	}
	return true;
}

static void extract_refused(struct pst_scan *s, struct pst_node *n, const char *why)
{
	pst_finding_add(s, n, "extract.refused", PST_SEV_INFO, "coverage", 0, NULL, "%s", why);
}

/* --extract: n is written when its unpacker emits it, so the directory
 * is the archive's order (a link is there before a member stored beneath
 * it is refused; a later member replaces an earlier one) whatever order the
 * walker examines nodes in. A loader's member is made empty now and filled
 * when it is loaded (pst_sink_load). */
static void extract_emitted(struct pst_scan *s, struct pst_node *n, struct pst_content *c)
{
	char err[256];
	if (!s->extract || (n->flags & PST_NODE_VIRTUAL))
		return;
	if (pst_extract_node(s->extract, n, pst_view_make(c->p, c->len),
			     c->load ? &c->xino : NULL, err, sizeof(err)) != PST_OK)
		extract_refused(s, n, err);
}

/* The loaded bytes of a member extract_emitted made empty. */
static void extract_loaded(struct pst_scan *s, struct pst_node *n, const struct pst_content *c,
			   const struct pst_blob *blob)
{
	char err[256];
	if (c->xino && pst_extract_fill(s->extract, n, c->xino, pst_view_make(blob->p, blob->len),
					err, sizeof(err)) != PST_OK)
		extract_refused(s, n, err);
}

enum pst_err pst_sink_emit(struct pst_sink *k, const struct pst_entry *e)
{
	struct pst_content c = { .dirfd = -1 };
	enum pst_err rc;
	struct pst_node *n = pst_sink_node(k, e, &rc);

	if (!n) {
		if (e->take)
			pst_obuf_free(e->take);
		if (rc == PST_ENOMEM)
			rc = pst_sink_damage(k, PST_ENOMEM, "out of memory emitting a member");
		return rc;
	}
	if (!content_of(k, n, e, &c)) {
		pst_sink_give_up(k->scan, n, "keeping its content");
		return pst_sink_damage(k, PST_ENOMEM, "out of memory emitting a member");
	}
	extract_emitted(k->scan, n, &c);
	if (pst_walk_queue(k->scan, n, &c, k->worker) != PST_OK) {
		pst_blob_unref(c.blob);
		if (c.ctx_unref)
			c.ctx_unref(c.ctx);
		pst_sink_give_up(k->scan, n, "queueing it");
		return pst_sink_damage(k, PST_ENOMEM, "out of memory emitting a member");
	}
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
void pst_sink_commit_damage(struct pst_sink *k)
{
	struct pst_scan *s = k->scan;
	const char *rule = k->damage_err == PST_EUNSUPPORTED ? "unpack.unsupported" :
			   k->damage_err == PST_ENOMEM ? "unpack.resource" : "unpack.damaged";
	if (!k->ndamage)
		return;
	pst_mark_incomplete(s, k->parent);
	pst_finding_add(s, k->parent, rule,
			k->damage_err == PST_ENOMEM ? PST_SEV_MEDIUM : PST_SEV_LOW, "coverage", 0,
			NULL, "%s: %s%s",
			k->parent->format ? k->parent->format : "unpack", k->damage,
			k->ndamage > 1 ? " (and more)" : "");
	k->ndamage = 0;
}

void pst_sink_init(struct pst_sink *k, struct pst_scan *s, struct pst_node *parent,
		   struct pst_blob *blob, struct pst_view v, unsigned worker)
{
	memset(k, 0, sizeof(*k));
	k->scan = s;
	k->parent = parent;
	k->blob = blob;
	k->base = v.p;
	k->base_len = v.len;
	k->worker = worker;
}

bool pst_sink_may_open(struct pst_scan *s, struct pst_node *n, const struct pst_unpacker *u,
		       const char *what)
{
	if (n->depth < s->opts.limits.max_depth)
		return true;
	pst_mark_incomplete(s, n);
	pst_limit_hit(s, n, "depth", "%s %s at nesting depth %u not opened (limit --max-depth)",
		      u->name, what, n->depth);
	return false;
}

void pst_sink_unemit(struct pst_sink *k, struct pst_node *prev)
{
	struct pst_node *parent = k->parent;
	if (prev)
		prev->next = NULL;
	else
		parent->child = NULL;
	parent->last_child_ = prev;
	parent->nchildren--;
	k->emitted--;
	atomic_fetch_sub(&k->scan->nodes, 1);
}

struct pst_blob *pst_sink_load(struct pst_scan *s, struct pst_node *n,
			       const struct pst_content *c, unsigned worker)
{
	struct pst_obuf ob;
	struct pst_sink tmp = { .scan = s, .worker = worker };
	struct pst_blob *blob;
	enum pst_err e;

	pst_sink_obuf(&tmp, &ob);
	PST_OOM_BEGIN();
	e = c->load(c->ctx, c->cookie, worker, &ob);
	if (pst_oom_seen(e))
		e = PST_ENOMEM;
	if (e == PST_ELIMIT)
		ob.over = true;
	blob = pst_obuf_take(&ob);
	if (!blob) {
		pst_obuf_free(&ob);
		pst_sink_give_up(s, n, "loading its content");
		return NULL;
	}
	pst_obuf_settle(&ob);
	account_bytes(s, n, &ob);
	extract_loaded(s, n, c, blob);
	if (e == PST_ENOMEM) {
		pst_sink_give_up(s, n, "decoding its content");
	} else if (e != PST_OK && e != PST_ELIMIT) {
		pst_mark_incomplete(s, n);
		pst_finding_add(s, n, "unpack.damaged", PST_SEV_LOW, "coverage", 0, NULL,
				"file content could not be read: %s", pst_err_str(e));
	}
	return blob;
}

void pst_sink_count_kind(struct pst_scan *s, const struct pst_node *n)
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

bool pst_sink_window(struct pst_sink *k, struct pst_obuf *w, uint64_t n, const char *what)
{
	bool cancelled;
	pst_sink_obuf(k, w);
	if (pst_obuf_charge(w, n) == PST_OK)
		return true;
	cancelled = w->cancelled; /* the scan stops: reported once, elsewhere */
	pst_obuf_free(w);
	mark_cut(k->scan, k->parent);
	if (!cancelled)
		pst_limit_hit(k->scan, k->parent, "memory",
			      "not decoded: its %s decoder would hold a window of %llu bytes, more "
			      "than the live-memory budget can give (limit --max-memory)", what,
			      (unsigned long long)n);
	return false;
}

void pst_sink_cap_hit(struct pst_sink *k, const char *cap, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pst_mark_incomplete(k->scan, k->parent);
	pst_cap_hit(k->scan, k->parent, cap, "%s", msg);
}
