/*
 * squashfs.c - squashfs 4.0 images (little-endian, "hsqs"), read with
 * libsquashfs (squashfs-tools-ng) over the in-memory view. The on-disk
 * format: the kernel's Documentation/filesystems/squashfs.rst and
 * squashfs-tools-ng's doc/format.adoc. Versions 2.x/3.x and big-endian
 * "sqsh" images are left to another unpacker (the bid is 0).
 *
 * This half validates the superblock and walks the directory tree itself:
 * an explicit stack, a visited set of directory inodes (a cycle is reported,
 * not followed), a nesting cap, and a check on every reference (a bad one is
 * damage, and the walk goes on with the next entry). Entries are emitted in
 * each directory's stored (sorted) order, so the tree is deterministic.
 * Regular files are emitted with a loader (squashfs_data.c): contents are
 * decoded on the worker threads, never here.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sqfs/dir.h>
#include <sqfs/dir_reader.h>
#include <sqfs/error.h>
#include <sqfs/id_table.h>
#include "squashfs.h"

#define SB_LEN 96
#define NO_TABLE 0xffffffffffffffffull

/* ---- superblock ---- */

/* Fills sb from the 96 bytes at h and checks it is a sane squashfs 4.0
 * superblock; the image behind it may still be truncated. */
static bool super_parse(const uint8_t *h, size_t len, sqfs_super_t *sb)
{
	struct pst_view v = pst_view_make(h, len);
	uint64_t tables[3];
	size_t i;

	if (!pst_view_has(v, 0, SB_LEN) || memcmp(h, "hsqs", 4) != 0)
		return false;
	memset(sb, 0, sizeof(*sb));
	sb->magic = pst_le32(h);
	sb->inode_count = pst_le32(h + 4);
	sb->modification_time = pst_le32(h + 8);
	sb->block_size = pst_le32(h + 12);
	sb->fragment_entry_count = pst_le32(h + 16);
	sb->compression_id = pst_le16(h + 20);
	sb->block_log = pst_le16(h + 22);
	sb->flags = pst_le16(h + 24);
	sb->id_count = pst_le16(h + 26);
	sb->version_major = pst_le16(h + 28);
	sb->version_minor = pst_le16(h + 30);
	sb->root_inode_ref = pst_le64(h + 32);
	sb->bytes_used = pst_le64(h + 40);
	sb->id_table_start = pst_le64(h + 48);
	sb->xattr_id_table_start = pst_le64(h + 56);
	sb->inode_table_start = pst_le64(h + 64);
	sb->directory_table_start = pst_le64(h + 72);
	sb->fragment_table_start = pst_le64(h + 80);
	sb->export_table_start = pst_le64(h + 88);

	if (sb->version_major != 4 || sb->version_minor != 0)
		return false;
	if (sb->block_log < 12 || sb->block_log > 20 || sb->block_size != 1u << sb->block_log)
		return false;
	if (sb->compression_id < SQFS_COMP_MIN || sb->compression_id > SQFS_COMP_MAX)
		return false;
	if (sb->bytes_used < SB_LEN || sb->inode_count == 0 || sb->id_count == 0)
		return false;
	if (sb->inode_table_start < SB_LEN || sb->inode_table_start >= sb->directory_table_start ||
	    sb->directory_table_start >= sb->bytes_used || sb->id_table_start >= sb->bytes_used ||
	    sb->id_table_start < sb->directory_table_start)
		return false;
	/* Optional tables: absent (all ones) or inside the image. */
	tables[0] = sb->fragment_table_start;
	tables[1] = sb->export_table_start;
	tables[2] = sb->xattr_id_table_start;
	for (i = 0; i < 3; i++)
		if (tables[i] != NO_TABLE &&
		    (tables[i] >= sb->bytes_used || tables[i] < sb->directory_table_start))
			return false;
	if (sb->fragment_entry_count && sb->fragment_table_start == NO_TABLE)
		return false;
	/* The root inode's metadata block lies inside the inode table. */
	if ((sb->root_inode_ref >> 16) >= sb->directory_table_start - sb->inode_table_start ||
	    (sb->root_inode_ref & 0xffff) >= SQFS_META_BLOCK_SIZE)
		return false;
	return true;
}

static unsigned bid(const uint8_t *h, size_t len)
{
	sqfs_super_t sb;
	return super_parse(h, len, &sb) ? 160 : 0;
}

/* ---- the directory walk (unpacking thread) ---- */

/* A set of directory inode numbers, open addressing; 0 is never stored. */
struct uset {
	uint32_t *v;
	size_t cap, n;
};

/* Adds x; false when it was there already (or out of memory: *oom). */
static bool uset_add(struct uset *s, uint32_t x, bool *oom)
{
	size_t i;
	if (2 * (s->n + 1) > s->cap) {
		struct uset t = { NULL, s->cap ? s->cap * 2 : 256, 0 };
		bool dummy;
		t.v = calloc(t.cap, sizeof(*t.v));
		if (!t.v) {
			*oom = true;
			return false;
		}
		for (i = 0; i < s->cap; i++)
			if (s->v[i])
				uset_add(&t, s->v[i], &dummy);
		free(s->v);
		*s = t;
	}
	i = (x * 2654435761u) & (s->cap - 1);
	while (s->v[i]) {
		if (s->v[i] == x)
			return false;
		i = (i + 1) & (s->cap - 1);
	}
	s->v[i] = x;
	s->n++;
	return true;
}

/* Hard-linked inode number -> its shared record, open addressing. */
struct umap {
	uint32_t *k;
	struct sq_shared **v;
	size_t cap, n;
};

static struct sq_shared **umap_slot(struct umap *m, uint32_t x, bool *oom)
{
	size_t i;
	if (2 * (m->n + 1) > m->cap) {
		struct umap t = { NULL, NULL, m->cap ? m->cap * 2 : 256, 0 };
		t.k = calloc(t.cap, sizeof(*t.k));
		t.v = calloc(t.cap, sizeof(*t.v));
		if (!t.k || !t.v) {
			free(t.k);
			free(t.v);
			*oom = true;
			return NULL;
		}
		for (i = 0; i < m->cap; i++)
			if (m->k[i])
				*umap_slot(&t, m->k[i], oom) = m->v[i];
		free(m->k);
		free(m->v);
		*m = t;
	}
	i = (x * 2654435761u) & (m->cap - 1);
	while (m->k[i] && m->k[i] != x)
		i = (i + 1) & (m->cap - 1);
	if (!m->k[i]) {
		m->k[i] = x;
		m->n++;
	}
	return &m->v[i];
}

struct frame {                    /* a directory waiting to be listed */
	sqfs_inode_generic_t *ino;
	char *path;               /* "" for the root */
	unsigned depth;
};

struct walk {
	struct pst_sink *k;
	struct sq_ctx *ctx;
	const sqfs_super_t *sb;
	sqfs_dir_reader_t *dr;
	sqfs_id_table_t *ids;     /* NULL: unreadable, owners unknown */
	struct uset dirs;
	struct umap links;        /* hard-linked file inodes seen so far */
	struct frame *stack;
	size_t nstack, capstack;
	enum pst_err fatal;       /* out of memory, a limit or cancel: stop */
};

struct item {                     /* one entry of the directory being listed */
	char *name;
	sqfs_inode_generic_t *ino;
};

static bool is_dir(const sqfs_inode_generic_t *ino)
{
	return ino->base.type == SQFS_INODE_DIR || ino->base.type == SQFS_INODE_EXT_DIR;
}

static uint32_t type_bits(uint16_t type)
{
	switch (type) {
	case SQFS_INODE_DIR: case SQFS_INODE_EXT_DIR: return S_IFDIR;
	case SQFS_INODE_FILE: case SQFS_INODE_EXT_FILE: return S_IFREG;
	case SQFS_INODE_SLINK: case SQFS_INODE_EXT_SLINK: return S_IFLNK;
	case SQFS_INODE_BDEV: case SQFS_INODE_EXT_BDEV: return S_IFBLK;
	case SQFS_INODE_CDEV: case SQFS_INODE_EXT_CDEV: return S_IFCHR;
	case SQFS_INODE_FIFO: case SQFS_INODE_EXT_FIFO: return S_IFIFO;
	case SQFS_INODE_SOCKET: case SQFS_INODE_EXT_SOCKET: return S_IFSOCK;
	default: return 0;
	}
}

static void resolve_ids(struct walk *w, const sqfs_inode_generic_t *ino, const char *path,
			struct pst_entry *e)
{
	if (!w->ids)
		return;
	if (sqfs_id_table_index_to_id(w->ids, ino->base.uid_idx, &e->uid) != 0 ||
	    sqfs_id_table_index_to_id(w->ids, ino->base.gid_idx, &e->gid) != 0) {
		pst_sink_damage(w->k, PST_EFORMAT, "%s: owner index out of the id table", path);
		e->flags |= PST_NODE_INCOMPLETE;
	}
}

/* Checks a file's block list and fragment against the image; false (and the
 * damage reported) when they point outside it. */
static bool file_refs_ok(struct walk *w, const sqfs_inode_generic_t *ino, const char *path)
{
	const sqfs_super_t *sb = w->sb;
	uint64_t start = 0, size = 0, end;
	uint32_t fidx = NO_FRAGMENT, foff = 0;
	size_t i, n = sqfs_inode_get_file_block_count(ino);

	sqfs_inode_get_file_block_start(ino, &start);
	sqfs_inode_get_file_size(ino, &size);
	sqfs_inode_get_frag_location(ino, &fidx, &foff);
	end = start;
	for (i = 0; i < n; i++) {
		uint32_t b = SQFS_ON_DISK_BLOCK_SIZE(ino->extra[i]);
		if (b > sb->block_size) {
			pst_sink_damage(w->k, PST_EFORMAT, "%s: block %zu claims %u bytes", path, i, b);
			return false;
		}
		end += b;
	}
	if (n && (start < SB_LEN || end > sb->bytes_used)) {
		pst_sink_damage(w->k, PST_EFORMAT, "%s: data blocks at 0x%llx-0x%llx lie outside the image",
				path, (unsigned long long)start, (unsigned long long)end);
		return false;
	}
	if ((uint64_t)n * sb->block_size < size) {
		if (fidx == NO_FRAGMENT || fidx >= sb->fragment_entry_count ||
		    foff >= sb->block_size || size - (uint64_t)n * sb->block_size > sb->block_size) {
			pst_sink_damage(w->k, PST_EFORMAT, "%s: fragment %u (offset %u) out of range",
					path, fidx, foff);
			return false;
		}
	}
	return true;
}

static void push(struct walk *w, sqfs_inode_generic_t *ino, char *path, unsigned depth)
{
	if (w->nstack == w->capstack) {
		size_t cap = w->capstack ? w->capstack * 2 : 64;
		struct frame *ns = realloc(w->stack, cap * sizeof(*ns));
		if (!ns) {
			w->fatal = PST_ENOMEM;
			sqfs_free(ino);
			free(path);
			return;
		}
		w->stack = ns;
		w->capstack = cap;
	}
	w->stack[w->nstack].ino = ino;
	w->stack[w->nstack].path = path;
	w->stack[w->nstack].depth = depth;
	w->nstack++;
}

/* Counts a file on its fragment block's record, when it has a tail there
 * and the records exist. */
static bool frag_user(struct walk *w, const sqfs_inode_generic_t *ino)
{
	uint64_t size = 0;
	uint32_t idx = NO_FRAGMENT, foff = 0;
	struct sq_ctx *c = w->ctx;

	sqfs_inode_get_file_size(ino, &size);
	sqfs_inode_get_frag_location(ino, &idx, &foff);
	if (!c->frags || idx >= c->nfrags ||
	    (uint64_t)sqfs_inode_get_file_block_count(ino) * w->sb->block_size >= size)
		return false;
	pthread_mutex_lock(&c->lock);
	c->frags[idx].users++;
	pthread_mutex_unlock(&c->lock);
	return true;
}

/* The shared record of a hard-linked inode, with one more user; NULL (the
 * path decodes on its own) when out of memory. */
static struct sq_shared *shared_for(struct walk *w, uint32_t inum)
{
	bool oom = false;
	struct sq_shared **slot = umap_slot(&w->links, inum, &oom);
	struct sq_shared *sh;

	if (!slot)
		return NULL;
	if (!*slot) {
		sh = calloc(1, sizeof(*sh));
		if (!sh)
			return NULL;
		sh->next = w->ctx->shared;
		w->ctx->shared = sh;
		*slot = sh;
	}
	sh = *slot;
	pthread_mutex_lock(&w->ctx->lock);
	sh->users++;
	pthread_mutex_unlock(&w->ctx->lock);
	return sh;
}

/* Emits one entry. Takes ino: a directory goes on the stack (*sub set),
 * a file's inode is kept for its loader, anything else is freed. */
static void emit_one(struct walk *w, const char *path, sqfs_inode_generic_t *ino,
		     unsigned depth, struct frame *sub)
{
	struct pst_entry e;
	char *target = NULL;
	enum pst_err rc;
	bool oom = false, bad_inum = false;

	memset(&e, 0, sizeof(e));
	e.path = path;
	e.mode = type_bits(ino->base.type) | (ino->base.mode & 07777u);
	resolve_ids(w, ino, path, &e);
	if (ino->base.inode_number == 0 || ino->base.inode_number > w->sb->inode_count) {
		pst_sink_damage(w->k, PST_EFORMAT, "%s: inode number %u out of range", path,
				ino->base.inode_number);
		e.flags |= PST_NODE_INCOMPLETE;
		bad_inum = true;
	}

	switch (ino->base.type) {
	case SQFS_INODE_DIR:
	case SQFS_INODE_EXT_DIR:
		rc = pst_sink_emit(w->k, &e);
		if (rc != PST_OK || bad_inum)
			break; /* no valid inode number: cannot tell a cycle, not entered */
		if (!uset_add(&w->dirs, ino->base.inode_number, &oom)) {
			if (oom)
				rc = PST_ENOMEM;
			else
				pst_sink_damage(w->k, PST_EFORMAT,
						"%s: directory inode %u seen before (a cycle or a linked directory); not entered",
						path, ino->base.inode_number);
			break;
		}
		if (!pst_sink_nest(w->k, depth + 1, path))
			break;
		sub->ino = ino;
		sub->path = strdup(path);
		sub->depth = depth + 1;
		if (!sub->path) {
			sub->ino = NULL;
			rc = PST_ENOMEM;
			break;
		}
		ino = NULL;
		break;
	case SQFS_INODE_FILE:
	case SQFS_INODE_EXT_FILE: {
		struct sq_held *h = malloc(sizeof(*h));
		uint64_t size = 0;
		bool refs_ok;
		if (!h) {
			rc = PST_ENOMEM;
			break;
		}
		refs_ok = file_refs_ok(w, ino, path);
		if (!refs_ok)
			e.flags |= PST_NODE_INCOMPLETE;
		sqfs_inode_get_file_size(ino, &size);
		h->sh = NULL;
		h->frag_counted = false;
		if (refs_ok)
			h->frag_counted = frag_user(w, ino);
		if (ino->base.type == SQFS_INODE_EXT_FILE && ino->data.file_ext.nlink > 1 && !bad_inum)
			h->sh = shared_for(w, ino->base.inode_number);
		h->ino = ino;
		h->next = w->ctx->held;
		w->ctx->held = h;
		ino = NULL;
		e.declared_size = size;
		e.load = pst_sq_load;
		e.ctx = w->ctx;
		e.cookie = (uint64_t)(uintptr_t)h;
		e.ctx_ref = pst_sq_ctx_ref;
		e.ctx_unref = pst_sq_ctx_unref;
		rc = pst_sink_emit(w->k, &e);
		break;
	}
	case SQFS_INODE_SLINK:
	case SQFS_INODE_EXT_SLINK: {
		uint32_t n = ino->data.slink.target_size;
		if (n > ino->payload_bytes_used)
			n = ino->payload_bytes_used;
		target = malloc((size_t)n + 1);
		if (!target) {
			rc = PST_ENOMEM;
			break;
		}
		memcpy(target, ino->extra, n);
		target[n] = 0;
		if (strlen(target) != n)
			pst_sink_damage(w->k, PST_EFORMAT, "%s: link target holds a NUL byte", path);
		e.link = target;
		rc = pst_sink_emit(w->k, &e);
		break;
	}
	default: /* devices, fifos, sockets: metadata only */
		rc = pst_sink_emit(w->k, &e);
		break;
	}
	if (rc != PST_OK)
		w->fatal = rc;
	free(target);
	sqfs_free(ino);
}

static bool name_ok(const char *name, size_t n)
{
	return n > 0 && strlen(name) == n && strchr(name, '/') == NULL &&
	       strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* A libsquashfs call that failed for want of memory gives its part up as
 * out of memory (unpack.resource), not as damage that blames the image. */
static enum pst_err sq_fault(int rc)
{
	return rc == SQFS_ERROR_ALLOC ? PST_ENOMEM : PST_EFORMAT;
}

/* Lists one directory, then emits its entries in stored order; the
 * subdirectories go on the stack so they come off it in that order too. */
static void list_dir(struct walk *w, struct frame *f)
{
	struct item *items = NULL;
	struct frame *subs = NULL;
	size_t n = 0, cap = 0, i, nsub = 0;
	int rc;

	rc = sqfs_dir_reader_open_dir(w->dr, f->ino, 0);
	if (rc) {
		pst_sink_damage(w->k, sq_fault(rc), "%s/: directory cannot be opened (%d)", f->path,
				rc);
		return;
	}
	for (;;) {
		sqfs_dir_entry_t *ent = NULL;
		sqfs_inode_generic_t *ino = NULL;
		size_t nlen;

		rc = sqfs_dir_reader_read(w->dr, &ent);
		if (rc > 0)
			break;
		if (rc < 0) {
			pst_sink_damage(w->k, sq_fault(rc), "%s/: directory listing damaged (%d)",
					f->path, rc);
			break;
		}
		nlen = (size_t)ent->size + 1;
		if (!name_ok((const char *)ent->name, nlen)) {
			pst_sink_damage(w->k, PST_EFORMAT, "%s/: entry with an invalid name", f->path);
			sqfs_free(ent);
			continue;
		}
		rc = sqfs_dir_reader_get_inode(w->dr, &ino);
		if (rc) {
			pst_sink_damage(w->k, sq_fault(rc), "%s/%s: inode unreadable (%d)", f->path,
					(const char *)ent->name, rc);
			sqfs_free(ent);
			continue;
		}
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			struct item *ni = realloc(items, nc * sizeof(*ni));
			if (!ni) {
				sqfs_free(ino);
				sqfs_free(ent);
				w->fatal = PST_ENOMEM;
				break;
			}
			items = ni;
			cap = nc;
		}
		items[n].name = strdup((const char *)ent->name);
		items[n].ino = ino;
		sqfs_free(ent);
		if (!items[n].name) {
			sqfs_free(ino);
			w->fatal = PST_ENOMEM;
			break;
		}
		n++;
	}
	if (n && !(subs = calloc(n, sizeof(*subs))))
		w->fatal = PST_ENOMEM;
	for (i = 0; i < n; i++) {
		size_t plen = strlen(f->path) + 1 + strlen(items[i].name);
		char *path;
		if (w->fatal || pst_sink_cancelled(w->k)) {
			sqfs_free(items[i].ino);
			continue;
		}
		path = malloc(plen + 1);
		if (!path) {
			w->fatal = PST_ENOMEM;
			sqfs_free(items[i].ino);
			continue;
		}
		snprintf(path, plen + 1, "%s/%s", f->path, items[i].name);
		emit_one(w, path, items[i].ino, f->depth, &subs[nsub]);
		if (subs[nsub].ino)
			nsub++;
		free(path);
	}
	while (nsub > 0) {
		nsub--;
		if (w->fatal) {
			sqfs_free(subs[nsub].ino);
			free(subs[nsub].path);
		} else {
			push(w, subs[nsub].ino, subs[nsub].path, subs[nsub].depth);
		}
	}
	for (i = 0; i < n; i++)
		free(items[i].name);
	free(items);
	free(subs);
}

static void walk_tree(struct walk *w, sqfs_inode_generic_t *root)
{
	bool oom = false;
	char *rp = strdup("");

	if (!rp) {
		sqfs_free(root);
		w->fatal = PST_ENOMEM;
		return;
	}
	uset_add(&w->dirs, root->base.inode_number, &oom);
	push(w, root, rp, 0);
	while (w->nstack > 0) {
		struct frame f = w->stack[--w->nstack];
		if (!w->fatal && !pst_sink_cancelled(w->k))
			list_dir(w, &f);
		sqfs_free(f.ino);
		free(f.path);
	}
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	sqfs_super_t sb;
	sqfs_compressor_t *cmp = NULL;
	sqfs_inode_generic_t *root = NULL;
	struct walk w;
	struct pst_view img;
	enum pst_err ret = PST_OK;
	int rc;

	memset(&w, 0, sizeof(w));
	if (!super_parse(in.p, in.len, &sb))
		return PST_EFORMAT;
	img = pst_view_sub(in, 0, sb.bytes_used);
	k->consumed = img.len;
	k->header = 96; /* the superblock; data blocks may follow at once */
	if (img.len < sb.bytes_used)
		pst_sink_damage(k, PST_EFORMAT, "image truncated: %zu of %llu bytes", img.len,
				(unsigned long long)sb.bytes_used);

	rc = pst_sq_compressor_new(&sb, &cmp);
	if (rc) {
		ret = rc == SQFS_ERROR_UNSUPPORTED ? PST_EUNSUPPORTED : pst_sq_err(rc);
		pst_sink_damage(k, ret, "%s compression not supported",
				sqfs_compressor_name_from_id((SQFS_COMPRESSOR)sb.compression_id));
		goto out;
	}
	w.k = k;
	w.sb = &sb;
	w.ctx = pst_sq_ctx_new(k, img, &sb);
	if (!w.ctx) {
		ret = PST_ENOMEM;
		goto out;
	}
	w.ids = sqfs_id_table_create(0);
	if (!w.ids) {
		ret = PST_ENOMEM;
		goto out;
	}
	rc = sqfs_id_table_read(w.ids, &w.ctx->file.base, &sb, cmp);
	if (rc) {
		pst_sink_damage(k, sq_fault(rc), "id table unreadable (%d): owners unknown", rc);
		sqfs_destroy(w.ids);
		w.ids = NULL;
	}
	w.ctx->ftab = sqfs_frag_table_create(0);
	if (!w.ctx->ftab) {
		ret = PST_ENOMEM;
		goto out;
	}
	/* The table's index (8 bytes a metadata block of 512 entries) must fit
	 * in the image before libsquashfs allocates what the count claims: in
	 * the bytes there are, not the ones the superblock claims (a lying
	 * bytes_used let a 2^32 - 8 count through: a 64 GiB malloc, found by
	 * fuzz_squashfs_old). */
	if (sb.fragment_entry_count &&
	    (sb.fragment_table_start > img.len ||
	     ((uint64_t)sb.fragment_entry_count + 511) / 512 * 8 > img.len - sb.fragment_table_start)) {
		pst_sink_damage(k, PST_EFORMAT, "fragment table claims %u entries, more than the image holds",
				sb.fragment_entry_count);
		sb.fragment_entry_count = 0; /* files with fragments are reported one by one */
		rc = 0;
	} else {
		rc = sqfs_frag_table_read(w.ctx->ftab, &w.ctx->file.base, &sb, cmp);
	}
	if (rc)
		pst_sink_damage(k, sq_fault(rc), "fragment table unreadable (%d)", rc);
	else if (sb.fragment_entry_count && sb.fragment_entry_count <= PST_CAP_SQFS_FRAG_RECORDS &&
		 (w.ctx->frags = calloc(sb.fragment_entry_count, sizeof(*w.ctx->frags))))
		w.ctx->nfrags = sb.fragment_entry_count;
	w.dr = sqfs_dir_reader_create(&sb, cmp, &w.ctx->file.base, 0);
	if (!w.dr) {
		ret = PST_ENOMEM;
		goto out;
	}
	rc = sqfs_dir_reader_get_root_inode(w.dr, &root);
	if (rc || !is_dir(root)) {
		pst_sink_damage(k, sq_fault(rc), "root directory unreadable (%d)", rc);
		sqfs_free(root);
		ret = PST_EFORMAT;
		goto out;
	}
	walk_tree(&w, root);
	if (w.fatal == PST_ENOMEM)
		ret = PST_ENOMEM;
	else if (w.fatal)
		ret = w.fatal;
	else if (k->ndamage)
		ret = PST_EFORMAT;
out:
	/* A superblock that passed super_parse over an image cut short is a
	 * real, damaged squashfs: PST_OK with consumed set keeps the carved node
	 * (incomplete, with its damage) where the walker would drop an unpacker
	 * that failed and emitted nothing as a bogus candidate, which left the
	 * cut filesystem silently unexplained (tests/e2e/truncated_image.sh). */
	if (ret == PST_EFORMAT && img.len < sb.bytes_used && k->ndamage)
		ret = PST_OK;
	free(w.dirs.v);
	free(w.links.k);
	free(w.links.v);
	free(w.stack);
	sqfs_destroy(w.dr);
	sqfs_destroy(w.ids);
	sqfs_destroy(cmp);
	pst_sq_ctx_unref(w.ctx);
	return ret;
}

static const struct pst_magic magics[] = { { "hsqs", 4, 0 }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_squashfs = {
	"squashfs", PST_KIND_FILESYSTEM, PST_UNPACK_CARVE, magics, bid, unpack,
};
