/*
 * vhdi.c - Microsoft Virtual Hard Disk images, VHD (fixed, dynamic) and
 * VHDX, through libvhdi, read-only. The virtual disk becomes one child
 * "disk". Formats: "Virtual Hard Disk Image Format Specification" (VHD:
 * the 512-byte "conectix" footer at the end, copied at the start of dynamic
 * disks) and [MS-VHDX] ("vhdxfile" at 0). A differencing disk's parent is
 * not in the product: what it would supply reads as zeros, and the disk is
 * reported incomplete.
 */
#include <string.h>
#define LIBVHDI_HAVE_BFIO 1 /* the file_io_handle functions */
#include <libvhdi.h>
#include "yal.h"

static unsigned bid(const uint8_t *h, size_t len)
{
	if (len >= 65536 && memcmp(h, "vhdxfile", 8) == 0)
		return 64;
	if (len >= 1024 && memcmp(h, "conectix", 8) == 0)
		return 64;
	/* a fixed VHD: the raw disk, then the footer */
	if (len >= 1024 && memcmp(h + len - 512, "conectix", 8) == 0 &&
	    pst_be32(h + len - 512 + 60) == 2)
		return 40;
	return 0;
}

static ssize_t rd(void *obj, uint8_t *buf, size_t n, uint64_t off)
{
	return libvhdi_file_read_buffer_at_offset(obj, buf, n, (off64_t)off, NULL);
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	libbfio_handle_t *io = pst_yal_handle(in);
	libvhdi_file_t *f = NULL;
	size64_t size = 0;
	uint32_t type = 0;
	enum pst_err rc = PST_EFORMAT;

	if (!io)
		return PST_ENOMEM;
	if (libvhdi_file_initialize(&f, NULL) != 1) {
		rc = PST_ENOMEM;
		goto out;
	}
	if (libvhdi_file_open_file_io_handle(f, io, LIBVHDI_OPEN_READ, NULL) != 1 ||
	    libvhdi_file_get_media_size(f, &size, NULL) != 1) {
		pst_sink_damage(k, PST_EFORMAT, "libvhdi cannot open it");
		goto out;
	}
	k->consumed = in.len;
	if (libvhdi_file_get_disk_type(f, &type, NULL) == 1 &&
	    type == LIBVHDI_DISK_TYPE_DIFFERENTIAL)
		pst_sink_damage(k, PST_EUNSUPPORTED,
				"differencing disk: its parent is not in the product, its blocks "
				"read as zeros");
	rc = pst_yal_emit(k, "disk", size, rd, f);
	if (rc != PST_ENOMEM)
		rc = PST_OK;
out:
	if (f) {
		libvhdi_file_close(f, NULL);
		libvhdi_file_free(&f, NULL);
	}
	pst_yal_handle_free(&io);
	return rc;
}

static const struct pst_magic magics[] = { { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_vhdi = {
	"vhdi", PST_KIND_FILESYSTEM, 0, magics, bid, unpack,
};
