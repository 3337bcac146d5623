/*
 * ntfs.c - NTFS volumes through libfsntfs, read-only (the volume is read
 * where it lies, through a libbfio memory range). Boot sector: OEM id
 * "NTFS    " at 3, 55 AA at 510, total sectors at 40 (libfsntfs's
 * documentation, "New Technologies File System (NTFS)"). The filesystem's
 * own files (MFT entries 0-15: $MFT, $LogFile, $Bitmap, ...) in the root are
 * left out: they are its metadata, which libfsntfs has read. A file's
 * alternate data streams (where data hides from directory listings) are
 * emitted beside it as "NAME:STREAM". The tree is walked by yalfs.c.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#define LIBFSNTFS_HAVE_BFIO 1 /* the file_io_handle functions */
#include <libfsntfs.h>
#include "yal.h"
#include "yalfs.h"

#define ATTR_DIRECTORY 0x10u       /* FILE_ATTRIBUTE_DIRECTORY */
#define ATTR_INDEX_VIEW 0x10000000u /* a directory: its $I30 index */
#define MFT_RESERVED 16u

static unsigned bid(const uint8_t *h, size_t len)
{
	if (len < 512 || memcmp(h + 3, "NTFS    ", 8) != 0 || h[510] != 0x55 || h[511] != 0xaa)
		return 0;
	return 80;
}

static int nsub(void *e, int *n)
{
	return libfsntfs_file_entry_get_number_of_sub_file_entries(e, n, NULL);
}

static int sub(void *e, int i, void **out)
{
	return libfsntfs_file_entry_get_sub_file_entry_by_index(e, i,
								(libfsntfs_file_entry_t **)out,
								NULL);
}

static void efree(void **e)
{
	libfsntfs_file_entry_free((libfsntfs_file_entry_t **)e, NULL);
}

static int name(void *e, uint8_t *buf, size_t n)
{
	return libfsntfs_file_entry_get_utf8_name(e, buf, n, NULL);
}

static int stat_(void *e, unsigned depth, struct pst_yalfs_stat *st)
{
	uint32_t attr = 0;
	uint64_t ref = 0;
	size64_t size = 0;
	if (libfsntfs_file_entry_get_file_reference(e, &ref, NULL) != 1 ||
	    libfsntfs_file_entry_get_file_attribute_flags(e, &attr, NULL) != 1)
		return -1;
	st->id = ref & 0xffffffffffffULL; /* the MFT entry; the high 16 bits are a sequence */
	st->skip = depth == 1 && st->id < MFT_RESERVED;
	if (libfsntfs_file_entry_is_symbolic_link(e, NULL) == 1)
		st->mode = S_IFLNK | 0777;
	else if (attr & (ATTR_DIRECTORY | ATTR_INDEX_VIEW))
		st->mode = S_IFDIR | 0755;
	else
		st->mode = S_IFREG | 0644;
	if (S_ISREG(st->mode) && libfsntfs_file_entry_get_size(e, &size, NULL) == 1)
		st->size = size;
	return 1;
}

static int link_(void *e, uint8_t *buf, size_t n)
{
	return libfsntfs_file_entry_get_utf8_symbolic_link_target(e, buf, n, NULL);
}

static ssize_t rd(void *e, uint8_t *buf, size_t n, uint64_t off)
{
	return libfsntfs_file_entry_read_buffer_at_offset(e, buf, n, (off64_t)off, NULL);
}

static int nstreams(void *e, int *n)
{
	return libfsntfs_file_entry_get_number_of_alternate_data_streams(e, n, NULL);
}

static int stream(void *e, int i, void **out)
{
	return libfsntfs_file_entry_get_alternate_data_stream_by_index(
		e, i, (libfsntfs_data_stream_t **)out, NULL);
}

static int sname(void *s, uint8_t *buf, size_t n)
{
	return libfsntfs_data_stream_get_utf8_name(s, buf, n, NULL);
}

static int ssize(void *s, uint64_t *size)
{
	size64_t v = 0;
	int r = libfsntfs_data_stream_get_size(s, &v, NULL);
	*size = v;
	return r;
}

static ssize_t sread(void *s, uint8_t *buf, size_t n, uint64_t off)
{
	return libfsntfs_data_stream_read_buffer_at_offset(s, buf, n, (off64_t)off, NULL);
}

static void sfree(void **s)
{
	libfsntfs_data_stream_free((libfsntfs_data_stream_t **)s, NULL);
}

/* The library's volume for pst_yal_vol_open (yalfs.c). */
static int vinit(void **v)
{
	return libfsntfs_volume_initialize((libfsntfs_volume_t **)v, NULL);
}

static int vio(void *v, libbfio_handle_t *io)
{
	return libfsntfs_volume_open_file_io_handle(v, io, LIBFSNTFS_OPEN_READ, NULL);
}

static void vfree(void **v)
{
	libfsntfs_volume_close(*v, NULL);
	libfsntfs_volume_free((libfsntfs_volume_t **)v, NULL);
}

static int entry(void *v, uint64_t id, void **out)
{
	return libfsntfs_volume_get_file_entry_by_index(v, id, (libfsntfs_file_entry_t **)out,
							NULL);
}

static const struct pst_yalfs_ops ops = {
	"libfsntfs", nsub, sub, efree, name, stat_, link_, rd,
	nstreams, stream, sname, ssize, sread, sfree,
	vinit, vio, vfree, entry,
};

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	bool nomem = false;
	struct pst_yal_vol *x = pst_yal_vol_open(&ops, in, &nomem);
	libfsntfs_file_entry_t *root = NULL;
	enum pst_err rc = PST_EFORMAT;
	uint64_t sectors = 0;

	if (!x && nomem)
		return PST_ENOMEM;
	if (!x || libfsntfs_volume_get_root_directory(x->v, &root, NULL) != 1) {
		pst_sink_damage(k, PST_EFORMAT, "libfsntfs cannot open it");
		goto out;
	}
	/* total sectors at 40, bytes per sector at 11; the backup boot sector
	 * follows the last one */
	pst_view_le64(in, 40, &sectors);
	if (sectors && sectors < UINT64_MAX / 4096) {
		uint64_t size = (sectors + 1) * pst_le16(in.p + 11);
		k->consumed = size < in.len ? size : in.len;
		if (size > in.len)
			pst_sink_damage(k, PST_EFORMAT, "volume truncated: %zu of %llu bytes",
					in.len, (unsigned long long)size);
	}
	rc = pst_yalfs_walk(k, &ops, root, in.len / 256 + 1024, in);
out:
	pst_yal_vol_close(&ops, x);
	return rc;
}

static const struct pst_magic magics[] = { { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_ntfs = {
	"ntfs", PST_KIND_FILESYSTEM, 0, magics, bid, unpack,
};
