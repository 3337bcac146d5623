/*
 * qcow.c - QEMU copy-on-write disk images (qcow 1, qcow2, qcow3) through
 * libqcow, read-only. The virtual disk becomes one child "disk", which the
 * partition and filesystem unpackers then open. Format: QEMU's
 * docs/interop/qcow2.txt ("QFI\xfb", big-endian version at 4). An image
 * encrypted by QEMU (AES or LUKS) is reported as encrypted; one with a
 * backing file is read as libqcow reads it alone (clusters it does not
 * hold read as zeros) and reported incomplete.
 *
 * libqcow (20201213) copies past its buffers when a cluster it is told to
 * read lies beyond the end of the file (a cut image): before it is called,
 * every L1 and L2 entry is checked to point inside the image (qcow2.txt,
 * "Cluster mapping"), and an image that fails is reported, not opened.
 * Only versions 2 and 3 are opened, whose tables that check knows.
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
	return ver == 2 || ver == 3 ? 64 : 0;
}

#define OFF_MASK 0x00fffffffffffe00ULL /* bits 9-55: a table's or cluster's offset */
#define COMPRESSED (1ULL << 62)

/* The cluster at off (cluster bytes long) lies inside the image. */
static bool inside(struct pst_view in, uint64_t off, uint64_t cluster)
{
	return off <= in.len && cluster <= in.len - off;
}

/* Every L2 table the L1 table names, and every cluster they map, lies inside
 * in. A compressed cluster's descriptor holds its own offset and size
 * (bits 0..61, split at 62 - (cluster_bits - 8)); only its start is checked
 * here, libqcow bounds the compressed read itself. */
static bool tables_inside(struct pst_view in, const char **why)
{
	uint32_t bits = 0, l1n = 0, i, j;
	uint64_t l1 = 0, cluster, l2n;

	pst_view_be32(in, 20, &bits);
	pst_view_be32(in, 36, &l1n);
	pst_view_be64(in, 40, &l1);

	*why = "bad cluster size";
	if (bits < 9 || bits > 21)
		return false;
	cluster = 1ULL << bits;
	l2n = cluster / 8;
	*why = "L1 table past the end";
	if (!pst_view_has(in, l1, (uint64_t)l1n * 8))
		return false;
	for (i = 0; i < l1n; i++) {
		uint64_t l2 = 0;
		pst_view_be64(in, l1 + 8ULL * i, &l2);
		l2 &= OFF_MASK;
		if (l2 == 0)
			continue;
		*why = "an L2 table past the end";
		if (!inside(in, l2, cluster))
			return false;
		for (j = 0; j < l2n; j++) {
			uint64_t e = 0, at;
			pst_view_be64(in, l2 + 8 * j, &e);
			at = (e & COMPRESSED) ? e & ((1ULL << (62 - (bits - 8))) - 1) :
						e & OFF_MASK;
			*why = "a data cluster past the end";
			if (at && !inside(in, at, (e & COMPRESSED) ? 1 : cluster))
				return false;
		}
	}
	return true;
}

static ssize_t rd(void *obj, uint8_t *buf, size_t n, uint64_t off)
{
	return libqcow_file_read_buffer_at_offset(obj, buf, n, (off64_t)off, NULL);
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	libbfio_handle_t *io = pst_yal_handle(in);
	libqcow_file_t *f = NULL;
	size64_t size = 0;
	uint32_t method = 0;
	enum pst_err rc = PST_EFORMAT;
	const char *why = "";

	if (!io)
		return PST_ENOMEM;
	if (!tables_inside(in, &why)) {
		pst_sink_damage(k, PST_EFORMAT, "not opened: %s (cut or damaged image)", why);
		k->consumed = in.len;
		goto out;
	}
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
				"has a backing file (not in the product): its clusters read as "
				"zeros");
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
