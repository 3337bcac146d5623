/*
 * ext.c - ext2, ext3 and ext4 through libext2fs (e2fsprogs), read-only.
 *
 * The filesystem is read from the view through postern's own io_manager
 * (ext_data.c). The walk lists every entry; a regular file is emitted with a
 * loader (ext_data.c) that reads its bytes when a worker examines it, so the
 * walk holds no file's content.
 * Superblock: offset 1024, magic 0xEF53 at 1080 (the kernel's
 * Documentation/filesystems/ext4/super.rst).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "ext.h"
#include "fsutil.h"

#define SB_OFF 1024u

struct dirent_rec {
	ext2_ino_t ino;
	char *name;   /* the name's bytes as stored (a NUL among them is refused later) */
	size_t len;
};

struct ex {
	struct pst_sink *k;
	ext2_filsys fs;
	struct pst_ext_ctx *ctx;  /* the loaders' */
	struct pst_fspath path;
	struct pst_idset visited; /* directories walked */
	uint64_t entries, max_entries;
	enum pst_err rc;
};

static unsigned bid(const uint8_t *h, size_t len)
{
	const uint8_t *sb = h + SB_OFF;
	uint32_t log_bs, bpg, ipg, first, rev;
	if (len < SB_OFF + 1024 || pst_le16(sb + 56) != 0xef53)
		return 0;
	log_bs = pst_le32(sb + 24);
	bpg = pst_le32(sb + 32);
	ipg = pst_le32(sb + 40);
	first = pst_le32(sb + 20);
	rev = pst_le32(sb + 76);
	if (log_bs > 6 || bpg == 0 || ipg == 0 || first > 1 || rev > 1 || pst_le32(sb) == 0)
		return 0;
	return 64;
}

static int collect(ext2_ino_t dir, int entry, struct ext2_dir_entry *d, int offset, int blocksize,
		   char *buf, void *priv)
{
	struct dirent_rec **list = priv;
	size_t n = ext2fs_dirent_name_len(d), i;
	struct dirent_rec *r;
	(void)dir; (void)entry; (void)offset; (void)blocksize; (void)buf;
	if (d->inode == 0 || (n == 1 && d->name[0] == '.') ||
	    (n == 2 && d->name[0] == '.' && d->name[1] == '.'))
		return 0;
	/* the list ends with a zero inode; grow by one each time */
	for (i = 0; (*list)[i].ino; i++)
		;
	r = realloc(*list, (i + 2) * sizeof(*r));
	if (!r)
		return DIRENT_ABORT;
	*list = r;
	r[i].ino = d->inode;
	r[i].name = malloc(n + 1);
	r[i].len = n;
	if (r[i].name) {
		memcpy(r[i].name, d->name, n);
		r[i].name[n] = 0;
	}
	r[i + 1].ino = 0;
	r[i + 1].name = NULL;
	if (!r[i].name) {
		r[i].ino = 0;
		return DIRENT_ABORT;
	}
	return 0;
}

static bool visit(struct ex *x, ext2_ino_t ino)
{
	return pst_idset_add(&x->visited, ino, &x->rc);
}

static void walk_dir(struct ex *x, ext2_ino_t dir, unsigned depth);

static void emit(struct ex *x, ext2_ino_t ino, unsigned depth)
{
	struct ext2_inode in;
	struct pst_entry e;
	char link[4097];
	enum pst_err rc;

	memset(&e, 0, sizeof(e));
	e.path = x->path.p;
	if (ext2fs_read_inode(x->fs, ino, &in)) {
		pst_sink_damage(x->k, PST_EFORMAT, "%s: inode %u unreadable", x->path.p, ino);
		return;
	}
	e.mode = in.i_mode;
	e.uid = inode_uid(in);
	e.gid = inode_gid(in);
	if (LINUX_S_ISREG(in.i_mode)) {
		e.declared_size = EXT2_I_SIZE(&in);
		e.load = pst_ext_load;
		e.ctx = x->ctx;
		e.cookie = ino;
		e.ctx_ref = pst_ext_ctx_ref;
		e.ctx_unref = pst_ext_ctx_unref;
	} else if (LINUX_S_ISLNK(in.i_mode)) {
		uint64_t size = EXT2_I_SIZE(&in);
		if (size < sizeof(link) && ext2fs_is_fast_symlink(&in)) {
			memcpy(link, in.i_block, (size_t)size);
			link[size] = 0;
			e.link = link;
		} else if (size < sizeof(link)) {
			struct pst_obuf lb;
			memset(&lb, 0, sizeof(lb));
			lb.max = sizeof(link) - 1;
			if (pst_ext_read(x->fs, ino, &lb, size) && lb.len == size) {
				if (lb.len)
					memcpy(link, lb.p, lb.len);
				link[lb.len] = 0;
				e.link = link;
			} else {
				pst_sink_damage(x->k, PST_EFORMAT, "%s: symlink target unreadable",
						x->path.p);
			}
			pst_obuf_free(&lb);
		}
	}
	rc = pst_sink_emit(x->k, &e);
	if (rc == PST_ENOMEM || rc == PST_ECANCEL || x->k->stopped) {
		x->rc = rc ? rc : PST_ELIMIT;
		return;
	}
	if (LINUX_S_ISDIR(in.i_mode) && visit(x, ino))
		walk_dir(x, ino, depth + 1);
}

static void walk_dir(struct ex *x, ext2_ino_t dir, unsigned depth)
{
	struct dirent_rec *list = calloc(1, sizeof(*list));
	size_t i, mark;
	errcode_t err;

	if (!list) {
		x->rc = PST_ENOMEM;
		return;
	}
	if (!pst_sink_nest(x->k, depth, pst_fspath_where(&x->path))) {
		free(list);
		return;
	}
	err = ext2fs_dir_iterate2(x->fs, dir, 0, NULL, collect, &list);
	if (err)
		pst_sink_damage(x->k, PST_EFORMAT, "%s: directory unreadable (%s)",
				pst_fspath_where(&x->path), error_message(err));
	for (i = 0; list[i].ino && x->rc == PST_OK; i++) {
		if (++x->entries > x->max_entries) {
			pst_sink_damage(x->k, PST_EFORMAT, "more entries than inodes (a loop?)");
			x->rc = PST_EFORMAT;
			break;
		}
		if (!pst_fspath_push(&x->path, x->k, list[i].name, list[i].len, &mark))
			continue;
		emit(x, list[i].ino, depth);
		pst_fspath_pop(&x->path, mark);
	}
	for (i = 0; list[i].ino; i++)
		free(list[i].name);
	free(list);
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	struct pst_ext_mem m = { in.p, in.len, false };
	struct ex x;
	errcode_t err;
	uint64_t size;
	enum pst_err rc = PST_OK;

	memset(&x, 0, sizeof(x));
	if (pst_fspath_init(&x.path, k) != PST_OK)
		return PST_ENOMEM;
	x.k = k;
	err = pst_ext_open(&m, &x.fs);
	if (err) {
		pst_sink_damage(k, PST_EFORMAT, "libext2fs cannot open it: %s", error_message(err));
		pst_fspath_free(&x.path);
		return PST_EFORMAT;
	}
	size = ext2fs_blocks_count(x.fs->super) * (uint64_t)x.fs->blocksize;
	k->consumed = size < in.len ? size : in.len;
	if (size > in.len)
		pst_sink_damage(k, PST_EFORMAT, "image truncated: %zu of %llu bytes", in.len,
				(unsigned long long)size);
	x.max_entries = (uint64_t)x.fs->super->s_inodes_count * 4 + 1024;
	x.ctx = pst_ext_ctx_new(k, in);
	if (!x.ctx) {
		rc = PST_ENOMEM;
		goto out;
	}
	visit(&x, EXT2_ROOT_INO);
	walk_dir(&x, EXT2_ROOT_INO, 0);
	if (m.short_read && size <= in.len)
		pst_sink_damage(k, PST_EFORMAT, "blocks referenced past the image");
	if (x.rc == PST_ENOMEM)
		rc = PST_ENOMEM;
out:
	pst_ext_ctx_unref(x.ctx);
	ext2fs_close_free(&x.fs);
	pst_idset_free(&x.visited);
	pst_fspath_free(&x.path);
	return rc;
}

static const struct pst_magic magics[] = { { "\x53\xef", 2, 56 + SB_OFF }, { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_ext = {
	"ext", PST_KIND_FILESYSTEM, PST_UNPACK_CARVE, magics, bid, unpack,
};
