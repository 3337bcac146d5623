/* yalfs.c - the directory walker shared by the libyal filesystem unpackers
 * (xfs.c, ntfs.c); see yalfs.h. It follows ext.c's rules: the one path rule
 * (fsutil's pst_fspath), nesting bounded by the sink, each directory walked
 * once by id, unreadable parts reported as damage and the walk goes on.
 * With the ops' volume functions, regular files and data streams are emitted
 * with a loader (as ext_data.c's): read when a worker examines them, through
 * that worker's own volume, found again by id; a read that fails then makes
 * the file incomplete (unpack.damaged on it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "yal.h"
#include "yalfs.h"
#include "slots.h"
#include "fsutil.h"

#define NAME_MAX_BYTES 1024u
#define LINK_MAX_BYTES 4096u

/* What a loader reads: the entry id's default data (stream -1) or its
 * stream-th named stream, size bytes. Kept until the context goes. */
struct held {
	uint64_t id, size;
	int stream;
	struct held *next;
};

struct slot {
	struct pst_yal_vol *vol;
	bool failed;
};

struct yctx {
	struct pst_slots sl;     /* struct slot per worker */
	const struct pst_yalfs_ops *ops;
	struct pst_view img;
	struct held *held;       /* appended by the walk only */
};

struct walk {
	struct pst_sink *k;
	const struct pst_yalfs_ops *ops;
	struct yctx *ctx;        /* NULL: content read during the walk */
	struct pst_fspath path;
	struct pst_idset visited;
	uint64_t entries, max_entries;
	enum pst_err rc;
};

static void ctx_ref(void *p)
{
	struct yctx *c = p;
	pst_slots_ref(&c->sl);
}

struct pst_yal_vol *pst_yal_vol_open(const struct pst_yalfs_ops *ops, struct pst_view in,
				     bool *nomem)
{
	struct pst_yal_vol *x = calloc(1, sizeof(*x));
	*nomem = true;
	if (!x)
		return NULL;
	x->io = pst_yal_handle(in);
	if (!x->io || ops->vinit(&x->v) != 1) {
		pst_yal_vol_close(ops, x);
		return NULL;
	}
	*nomem = false;
	if (ops->vio(x->v, x->io) != 1) {
		pst_yal_vol_close(ops, x);
		return NULL;
	}
	return x;
}

void pst_yal_vol_close(const struct pst_yalfs_ops *ops, struct pst_yal_vol *x)
{
	if (!x)
		return;
	if (x->v)
		ops->vfree(&x->v);
	pst_yal_handle_free(&x->io);
	free(x);
}

static void ctx_unref(void *p)
{
	struct yctx *c = p;
	struct held *h, *next;
	unsigned i;

	if (!c || !pst_slots_unref(&c->sl))
		return;
	for (i = 0; i <= c->sl.n; i++)
		pst_yal_vol_close(c->ops, ((struct slot *)pst_slots_at(&c->sl, i))->vol);
	for (h = c->held; h; h = next) {
		next = h->next;
		free(h);
	}
	pst_slots_free(&c->sl);
	free(c);
}

static struct yctx *ctx_new(struct pst_sink *k, const struct pst_yalfs_ops *ops,
			    struct pst_view in)
{
	struct yctx *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (!pst_slots_init(&c->sl, k, sizeof(struct slot))) {
		free(c);
		return NULL;
	}
	c->ops = ops;
	c->img = in;
	return c;
}

/* Reads h's bytes through s's volume (opened on first use). */
static enum pst_err load_in(struct yctx *c, struct slot *s, const struct held *h,
			    struct pst_obuf *out)
{
	const struct pst_yalfs_ops *ops = c->ops;
	void *e = NULL, *st = NULL;
	bool ok = false;

	if (!s->vol && !s->failed) {
		bool nomem;
		s->vol = pst_yal_vol_open(ops, c->img, &nomem);
		s->failed = !s->vol;
	}
	if (!s->vol || ops->entry(s->vol->v, h->id, &e) != 1 || !e)
		return PST_EFORMAT;
	if (h->stream < 0) {
		ok = pst_yal_read(out, h->size, ops->read, e);
	} else if (ops->stream(e, h->stream, &st) == 1 && st) {
		ok = pst_yal_read(out, h->size, ops->sread, st);
		ops->sfree(&st);
	}
	ops->free(&e);
	if (!ok)
		return PST_EFORMAT;
	return out->over ? PST_ELIMIT : PST_OK;
}

static enum pst_err load(void *p, uint64_t cookie, unsigned worker, struct pst_obuf *out)
{
	struct yctx *c = p;
	const struct held *h = (const struct held *)(uintptr_t)cookie;
	struct slot *s = pst_slots_get(&c->sl, worker);
	enum pst_err e = load_in(c, s, h, out);

	pst_slots_put(&c->sl, s);
	return e;
}

/* Makes en a loader of id's data (stream -1) or its stream-th stream. */
static bool on_demand(struct walk *w, struct pst_entry *en, uint64_t id, int stream)
{
	struct held *h = malloc(sizeof(*h));
	if (!h) {
		w->rc = PST_ENOMEM;
		return false;
	}
	h->id = id;
	h->size = en->declared_size;
	h->stream = stream;
	h->next = w->ctx->held;
	w->ctx->held = h;
	en->load = load;
	en->ctx = w->ctx;
	en->cookie = (uint64_t)(uintptr_t)h;
	en->ctx_ref = ctx_ref;
	en->ctx_unref = ctx_unref;
	return true;
}

static void walk_dir(struct walk *w, void *dir, unsigned depth);

static void emit(struct walk *w, void *e, const struct pst_yalfs_stat *st, unsigned depth)
{
	struct pst_entry en;
	struct pst_obuf ob;
	uint8_t link[LINK_MAX_BYTES];
	enum pst_err rc;

	memset(&en, 0, sizeof(en));
	memset(&ob, 0, sizeof(ob));
	en.path = w->path.p;
	en.mode = st->mode;
	en.uid = st->uid;
	en.gid = st->gid;
	if (S_ISREG(st->mode) && w->ctx) {
		en.declared_size = st->size;
		if (!on_demand(w, &en, st->id, -1))
			return;
	} else if (S_ISREG(st->mode)) {
		en.declared_size = st->size;
		pst_sink_obuf(w->k, &ob);
		if (!pst_yal_read(&ob, st->size, w->ops->read, e)) {
			en.flags |= PST_NODE_TRUNCATED | PST_NODE_INCOMPLETE;
			pst_sink_damage(w->k, PST_EFORMAT, "%s: data unreadable", w->path.p);
		}
		en.take = &ob;
	} else if (S_ISLNK(st->mode)) {
		if (w->ops->link && w->ops->link(e, link, sizeof(link)) == 1) {
			link[sizeof(link) - 1] = 0;
			en.link = (const char *)link;
		} else {
			pst_sink_damage(w->k, PST_EFORMAT, "%s: symlink target unreadable",
					w->path.p);
		}
	}
	rc = pst_sink_emit(w->k, &en);
	pst_obuf_free(&ob);
	if (rc == PST_ENOMEM || rc == PST_ECANCEL || w->k->stopped) {
		w->rc = rc ? rc : PST_ELIMIT;
		return;
	}
	if (S_ISDIR(st->mode) && pst_idset_add(&w->visited, st->id, &w->rc))
		walk_dir(w, e, depth + 1);
}

/* Emits stream s of the file at the current path as "PATH:NAME"; the
 * path's last component is name (n bytes), at mark. */
static void emit_stream(struct walk *w, void *s, uint64_t id, int idx, const uint8_t *name,
			size_t n, size_t mark)
{
	uint8_t full[2 * NAME_MAX_BYTES + 2];
	uint8_t sname[NAME_MAX_BYTES];
	struct pst_entry en;
	struct pst_obuf ob;
	uint64_t size = 0;
	size_t sn, m2;
	enum pst_err rc;

	if (w->ops->sname(s, sname, sizeof(sname)) != 1 || w->ops->ssize(s, &size) != 1) {
		pst_sink_damage(w->k, PST_EFORMAT, "%s: a data stream is unreadable", w->path.p);
		return;
	}
	sname[sizeof(sname) - 1] = 0;
	sn = strlen((char *)sname);
	memcpy(full, name, n);
	full[n] = ':';
	memcpy(full + n + 1, sname, sn);
	pst_fspath_pop(&w->path, mark);
	if (!pst_fspath_push(&w->path, w->k, full, n + 1 + sn, &m2))
		return;
	memset(&en, 0, sizeof(en));
	en.path = w->path.p;
	en.declared_size = size;
	memset(&ob, 0, sizeof(ob));
	if (w->ctx) {
		if (!on_demand(w, &en, id, idx))
			return;
	} else {
		pst_sink_obuf(w->k, &ob);
		if (!pst_yal_read(&ob, size, w->ops->sread, s)) {
			en.flags |= PST_NODE_TRUNCATED | PST_NODE_INCOMPLETE;
			pst_sink_damage(w->k, PST_EFORMAT, "%s: data unreadable", w->path.p);
		}
		en.take = &ob;
	}
	rc = pst_sink_emit(w->k, &en);
	pst_obuf_free(&ob);
	if (rc == PST_ENOMEM || rc == PST_ECANCEL)
		w->rc = rc;
}

static void streams(struct walk *w, void *e, uint64_t id, const uint8_t *name, size_t n,
		    size_t mark)
{
	int ns = 0, i;
	if (!w->ops->nstreams || w->ops->nstreams(e, &ns) != 1)
		return;
	for (i = 0; i < ns && w->rc == PST_OK && !w->k->stopped; i++) {
		void *s = NULL;
		if (w->ops->stream(e, i, &s) != 1 || !s) {
			pst_sink_damage(w->k, PST_EFORMAT, "%s: data stream %d unreadable",
					w->path.p, i);
			continue;
		}
		emit_stream(w, s, id, i, name, n, mark);
		w->ops->sfree(&s);
	}
}

static void one(struct walk *w, void *e, unsigned depth)
{
	uint8_t name[NAME_MAX_BYTES];
	struct pst_yalfs_stat st;
	size_t mark;

	memset(&st, 0, sizeof(st));
	if (w->ops->name(e, name, sizeof(name)) != 1 || w->ops->stat(e, depth + 1, &st) != 1) {
		pst_sink_damage(w->k, PST_EFORMAT, "%s: an entry is unreadable",
				pst_fspath_where(&w->path));
		return;
	}
	name[sizeof(name) - 1] = 0;
	if (st.skip)
		return;
	if (!pst_fspath_push(&w->path, w->k, name, strlen((char *)name), &mark))
		return;
	emit(w, e, &st, depth);
	if (w->rc == PST_OK && !S_ISLNK(st.mode))
		streams(w, e, st.id, name, strlen((char *)name), mark);
	pst_fspath_pop(&w->path, mark);
}

static void walk_dir(struct walk *w, void *dir, unsigned depth)
{
	int n = 0, i;
	if (!pst_sink_nest(w->k, depth, pst_fspath_where(&w->path)))
		return;
	if (w->ops->nsub(dir, &n) != 1) {
		pst_sink_damage(w->k, PST_EFORMAT, "%s: directory unreadable",
				pst_fspath_where(&w->path));
		return;
	}
	for (i = 0; i < n && w->rc == PST_OK; i++) {
		void *e = NULL;
		if (++w->entries > w->max_entries) {
			pst_sink_damage(w->k, PST_EFORMAT,
					"more entries than the filesystem holds (a loop?)");
			w->rc = PST_EFORMAT;
			break;
		}
		if (w->ops->sub(dir, i, &e) != 1 || !e) {
			pst_sink_damage(w->k, PST_EFORMAT, "%s: entry %d unreadable",
					pst_fspath_where(&w->path), i);
			continue;
		}
		one(w, e, depth);
		w->ops->free(&e);
	}
}

enum pst_err pst_yalfs_walk(struct pst_sink *k, const struct pst_yalfs_ops *ops, void *root,
			    uint64_t max_entries, struct pst_view in)
{
	struct walk w;
	struct pst_yalfs_stat st;

	memset(&w, 0, sizeof(w));
	w.k = k;
	w.ops = ops;
	w.max_entries = max_entries;
	if (ops->vinit && !(w.ctx = ctx_new(k, ops, in))) {
		ops->free(&root);
		return PST_ENOMEM;
	}
	if (pst_fspath_init(&w.path, k) != PST_OK) {
		ops->free(&root);
		ctx_unref(w.ctx);
		return PST_ENOMEM;
	}
	memset(&st, 0, sizeof(st));
	if (ops->stat(root, 0, &st) == 1)
		pst_idset_add(&w.visited, st.id, &w.rc);
	walk_dir(&w, root, 0);
	ops->free(&root);
	ctx_unref(w.ctx);
	pst_idset_free(&w.visited);
	pst_fspath_free(&w.path);
	return w.rc == PST_ENOMEM ? PST_ENOMEM : PST_OK;
}
