/*
 * xfs.c - XFS filesystems through libfsxfs, read-only (the volume is read
 * where it lies, through a libbfio memory range). Superblock: "XFSB" at 0,
 * big-endian block size at 4 (the kernel's
 * Documentation/filesystems/xfs/xfs-ondisk-format, "Superblocks").
 * The tree is walked by yalfs.c.
 */
#include <stdlib.h>
#include <string.h>
#define LIBFSXFS_HAVE_BFIO 1 /* the file_io_handle functions */
#include <libfsxfs.h>
#include "yal.h"
#include "yalfs.h"

static unsigned bid(const uint8_t *h, size_t len)
{
	uint32_t bs;
	if (len < 512 || memcmp(h, "XFSB", 4) != 0)
		return 0;
	bs = pst_be32(h + 4);
	return bs >= 512 && bs <= 65536 && (bs & (bs - 1)) == 0 ? 64 : 0;
}

static int nsub(void *e, int *n)
{
	return libfsxfs_file_entry_get_number_of_sub_file_entries(e, n, NULL);
}

static int sub(void *e, int i, void **out)
{
	return libfsxfs_file_entry_get_sub_file_entry_by_index(e, i, (libfsxfs_file_entry_t **)out,
								NULL);
}

static void efree(void **e)
{
	libfsxfs_file_entry_free((libfsxfs_file_entry_t **)e, NULL);
}

static int name(void *e, uint8_t *buf, size_t n)
{
	return libfsxfs_file_entry_get_utf8_name(e, buf, n, NULL);
}

static int stat_(void *e, unsigned depth, struct pst_yalfs_stat *st)
{
	uint16_t mode = 0;
	size64_t size = 0;
	(void)depth;
	if (libfsxfs_file_entry_get_file_mode(e, &mode, NULL) != 1 ||
	    libfsxfs_file_entry_get_inode_number(e, &st->id, NULL) != 1 ||
	    libfsxfs_file_entry_get_owner_identifier(e, &st->uid, NULL) != 1 ||
	    libfsxfs_file_entry_get_group_identifier(e, &st->gid, NULL) != 1 ||
	    libfsxfs_file_entry_get_size(e, &size, NULL) != 1)
		return -1;
	st->mode = mode;
	st->size = size;
	return 1;
}

static int link_(void *e, uint8_t *buf, size_t n)
{
	return libfsxfs_file_entry_get_utf8_symbolic_link_target(e, buf, n, NULL);
}

static ssize_t rd(void *e, uint8_t *buf, size_t n, uint64_t off)
{
	return libfsxfs_file_entry_read_buffer_at_offset(e, buf, n, (off64_t)off, NULL);
}

/* The library's volume for pst_yal_vol_open (yalfs.c). */
static int vinit(void **v)
{
	return libfsxfs_volume_initialize((libfsxfs_volume_t **)v, NULL);
}

static int vio(void *v, libbfio_handle_t *io)
{
	return libfsxfs_volume_open_file_io_handle(v, io, LIBFSXFS_OPEN_READ, NULL);
}

static void vfree(void **v)
{
	libfsxfs_volume_close(*v, NULL);
	libfsxfs_volume_free((libfsxfs_volume_t **)v, NULL);
}

static int entry(void *v, uint64_t id, void **out)
{
	return libfsxfs_volume_get_file_entry_by_inode(v, id, (libfsxfs_file_entry_t **)out,
							NULL);
}

static const struct pst_yalfs_ops ops = {
	"libfsxfs", nsub, sub, efree, name, stat_, link_, rd,
	NULL, NULL, NULL, NULL, NULL, NULL,
	vinit, vio, vfree, entry,
};

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	bool nomem = false;
	struct pst_yal_vol *x = pst_yal_vol_open(&ops, in, &nomem);
	libfsxfs_file_entry_t *root = NULL;
	enum pst_err rc = PST_EFORMAT;
	uint64_t blocks = 0;
	uint32_t bsize = 0;

	if (!x && nomem)
		return PST_ENOMEM;
	if (!x || libfsxfs_volume_get_root_directory(x->v, &root, NULL) != 1) {
		pst_sink_damage(k, PST_EFORMAT, "libfsxfs cannot open it");
		goto out;
	}
	/* data blocks at 8, block size at 4: the image's declared size */
	if (pst_view_be32(in, 4, &bsize) && bsize && pst_view_be64(in, 8, &blocks) && blocks &&
	    blocks <= UINT64_MAX / bsize) {
		uint64_t size = blocks * bsize;
		k->consumed = size < in.len ? size : in.len;
		if (size > in.len)
			pst_sink_damage(k, PST_EFORMAT, "image truncated: %zu of %llu bytes",
					in.len, (unsigned long long)size);
	}
	rc = pst_yalfs_walk(k, &ops, root, in.len / 256 + 1024, in);
out:
	pst_yal_vol_close(&ops, x);
	return rc;
}

static const struct pst_magic magics[] = { { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_xfs = {
	"xfs", PST_KIND_FILESYSTEM, 0, magics, bid, unpack,
};
