/*
 * qcow.c - QEMU copy-on-write disk images (qcow 1, qcow2, qcow3) through
 * libqcow, read-only. The virtual disk becomes one child "disk", which the
 * partition and filesystem unpackers then open. Format: QEMU's
 * docs/interop/qcow2.txt ("QFI\xfb", big-endian version at 4). An image
 * encrypted by QEMU (AES or LUKS) is reported as encrypted; one with a
 * backing file is read as libqcow reads it alone (clusters it does not
 * hold read as zeros) and reported incomplete.
 */
#include <string.h>
#define LIBQCOW_HAVE_BFIO 1 /* the file_io_handle functions */
#include <libqcow.h>
#include "yal.h"
#include "vendor.h"

#define HEADER 72u

static unsigned bid(const uint8_t *h, size_t len)
{
	uint32_t ver;
	if (len < HEADER || memcmp(h, "QFI\xfb", 4) != 0)
		return 0;
	ver = pst_be32(h + 4);
	return ver >= 1 && ver <= 3 ? 64 : 0;
}

static ssize_t rd(void *obj, uint8_t *buf, size_t n, uint64_t off)
{
	if (off > INT64_MAX)
		return -1;
	return libqcow_file_read_buffer_at_offset(obj, buf, n, (off64_t)off, NULL);
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	libbfio_handle_t *io = pst_yal_handle(in);
	libqcow_file_t *f = NULL;
	size64_t size = 0;
	uint32_t method = 0;
	enum pst_err rc = PST_EFORMAT;

	if (!io)
		return PST_ENOMEM;
	if (libqcow_file_initialize(&f, NULL) != 1) {
		rc = PST_ENOMEM;
		goto out;
	}
	if (libqcow_file_open_file_io_handle(f, io, LIBQCOW_OPEN_READ, NULL) != 1 ||
	    libqcow_file_get_media_size(f, &size, NULL) != 1) {
		pst_sink_damage(k, PST_EFORMAT, "libqcow cannot open it");
		goto out;
	}
	k->consumed = in.len;
	if (libqcow_file_get_encryption_method(f, &method, NULL) == 1 &&
	    method != LIBQCOW_ENCRYPTION_METHOD_NONE) {
		/* past the header, so that the child is not taken for qcow again */
		rc = pst_vendor_emit_encrypted(k, in, HEADER, in.len - HEADER, "/clusters",
					       method == LIBQCOW_ENCRYPTION_METHOD_LUKS ?
					       "qcow2 image encrypted by QEMU (LUKS)" :
					       "qcow image encrypted by QEMU (AES-CBC)");
		rc = rc == PST_ENOMEM ? rc : PST_OK;
		goto out;
	}
	if (pst_be64(in.p + 8) != 0 && pst_be32(in.p + 16) != 0)
		pst_sink_damage(k, PST_EUNSUPPORTED,
				"has a backing file (not in the product): its clusters read as zeros");
	rc = pst_yal_emit(k, "disk", size, rd, f);
	if (rc != PST_ENOMEM)
		rc = PST_OK;
out:
	if (f) {
		libqcow_file_close(f, NULL);
		libqcow_file_free(&f, NULL);
	}
	pst_yal_handle_free(&io);
	return rc;
}

static const struct pst_magic magics[] = { { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_qcow = {
	"qcow", PST_KIND_FILESYSTEM, 0, magics, bid, unpack,
};
