/*
 * vmdk.c - VMware virtual disks through libvmdk, read-only: the single-file
 * kinds that a product ships, monolithic sparse and stream-optimized (the
 * one inside OVA appliances): a "KDMV" sparse extent header at 0 with the
 * descriptor embedded (VMware's "Virtual Disk Format 5.0"). The one extent
 * is the file itself, handed to libvmdk as a pool of one memory handle. A
 * bare text descriptor names extent files elsewhere: not opened, reported.
 */
#include <string.h>
#define LIBVMDK_HAVE_BFIO 1 /* the file_io_handle functions */
#include <libvmdk.h>
#include "yal.h"

static unsigned bid(const uint8_t *h, size_t len)
{
	if (len < 512 || memcmp(h, "KDMV", 4) != 0)
		return 0;
	return pst_le32(h + 4) >= 1 && pst_le32(h + 4) <= 3 ? 64 : 0;
}

static ssize_t rd(void *obj, uint8_t *buf, size_t n, uint64_t off)
{
	return libvmdk_handle_read_buffer_at_offset(obj, buf, n, (off64_t)off, NULL);
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	libbfio_handle_t *io = pst_yal_handle(in);
	libbfio_pool_t *pool = pst_yal_pool(in);
	libvmdk_handle_t *h = NULL;
	size64_t size = 0;
	int extents = 0;
	enum pst_err rc = PST_EFORMAT;

	if (!io || !pool) {
		rc = PST_ENOMEM;
		goto out;
	}
	if (libvmdk_handle_initialize(&h, NULL) != 1) {
		rc = PST_ENOMEM;
		goto out;
	}
	if (libvmdk_handle_open_file_io_handle(h, io, LIBVMDK_OPEN_READ, NULL) != 1) {
		pst_sink_damage(k, PST_EFORMAT, "libvmdk cannot read its descriptor");
		goto out;
	}
	if (libvmdk_handle_get_number_of_extents(h, &extents, NULL) != 1 || extents != 1) {
		pst_sink_damage(k, PST_EUNSUPPORTED,
				"%d extents: only single-file disks are opened", extents);
		goto out;
	}
	if (libvmdk_handle_open_extent_data_files_file_io_pool(h, pool, NULL) != 1 ||
	    libvmdk_handle_get_media_size(h, &size, NULL) != 1) {
		pst_sink_damage(k, PST_EFORMAT, "libvmdk cannot open its extent");
		goto out;
	}
	k->consumed = in.len;
	rc = pst_yal_emit(k, "disk", size, rd, h);
	if (rc != PST_ENOMEM)
		rc = PST_OK;
out:
	if (h) {
		libvmdk_handle_close(h, NULL);
		libvmdk_handle_free(&h, NULL);
	}
	/* libvmdk does not own the pool: freed after the handle is closed */
	pst_yal_pool_free(&pool);
	pst_yal_handle_free(&io);
	return rc;
}

static const struct pst_magic magics[] = { { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_vmdk = {
	"vmdk", PST_KIND_FILESYSTEM, 0, magics, bid, unpack,
};
