/*
 * lvm.c - LVM2 physical volumes through libvslvm, read-only: each logical
 * volume of the volume group becomes a child "lvm@NAME", which the
 * filesystem unpackers then open. Label: "LABELONE" in one of the first four
 * sectors (postern looks at sector 1, where lvm2 writes it), type
 * "LVM2 001" at 24 in it (lvm2's lib/format_text/layout.h). The physical
 * volume is read where it lies (a libbfio memory range, handed to libvslvm
 * as a pool of one: a volume group spanning several physical volumes has
 * the others missing, and its volumes then read short and are reported).
 *
 * libvslvm does not check lvm2's checksums; lvm.c does (the label, the
 * first metadata area's header and the metadata text it points to), so
 * metadata changed or damaged after lvm2 wrote it is reported, not read as
 * if nothing happened.
 */
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#define LIBVSLVM_HAVE_BFIO 1 /* the file_io_handle functions */
#include <libvslvm.h>
#include "yal.h"

#define LABEL 512u
#define NAME_MAX_BYTES 128u
#define LV_MAX 256

static unsigned bid(const uint8_t *h, size_t len)
{
	if (len < LABEL + 64 || memcmp(h + LABEL, "LABELONE", 8) != 0 ||
	    memcmp(h + LABEL + 24, "LVM2 001", 8) != 0)
		return 0;
	return 128;
}

#define LVM_CRC_INIT 0xf597a6cfu
#define MDA_MAGIC " LVM2 x[5A%r0N*>"

/* lvm2's calc_crc: the CRC-32 table update without zlib's pre- and
 * post-inversion, from LVM_CRC_INIT. */
static uint32_t lvm_crc(const uint8_t *p, size_t n)
{
	return (uint32_t)crc32(LVM_CRC_INIT ^ 0xffffffffu, p, (uInt)n) ^ 0xffffffffu;
}

/* The first metadata area's offset in the label's PV header: after the PV's
 * uuid (32) and size (8), a zero-terminated list of data areas, then one of
 * metadata areas, each {offset, size} 64-bit. 0 if none. */
static uint64_t first_mda(struct pst_view label, uint64_t *mda_size)
{
	uint64_t at = 32 + 32 + 8, off = 0, size = 0;
	unsigned list = 0, i;
	for (i = 0; i < 32 && at + 16 <= label.len; i++, at += 16) {
		pst_view_le64(label, at, &off);
		pst_view_le64(label, at + 8, &size);
		if (off == 0 && size == 0) {
			if (++list == 2)
				return 0;
			continue;
		}
		if (list == 1) {
			*mda_size = size;
			return off;
		}
	}
	return 0;
}

/* libvslvm allocates the metadata text a header declares before reading
 * it: a crafted size asked it for terabytes (found by fuzz_partition). A
 * first metadata area the volume does not hold, or a text larger than its
 * area, is refused before libvslvm sees it. */
static bool mda_fits(struct pst_view in)
{
	struct pst_view label = pst_view_sub(in, LABEL, 512), mda;
	uint64_t off, size = 0, tlen = 0;
	if (label.len < 512)
		return true; /* no label here: libvslvm finds nothing either */
	off = first_mda(label, &size);
	if (off == 0)
		return true;
	if (off > in.len || size > in.len - off)
		return false;
	mda = pst_view_sub(in, off, 512);
	if (mda.len == 512 && memcmp(mda.p + 4, MDA_MAGIC, 16) == 0 &&
	    pst_view_le64(mda, 48, &tlen) && tlen > size)
		return false;
	return true;
}

/* Reports the first checksum that does not match. */
static void check_sums(struct pst_sink *k, struct pst_view in)
{
	struct pst_view label = pst_view_sub(in, LABEL, 512), mda, text;
	uint64_t mda_off, mda_size = 0, toff = 0, tlen = 0;
	uint32_t tcrc = 0;

	if (label.len < 512 || lvm_crc(label.p + 20, 492) != pst_le32(label.p + 16)) {
		pst_sink_damage(k, PST_EFORMAT, "label checksum mismatch");
		return;
	}
	mda_off = first_mda(label, &mda_size);
	mda = pst_view_sub(in, mda_off, 512);
	if (mda_off == 0)
		return;
	if (mda.len < 512 || memcmp(mda.p + 4, MDA_MAGIC, 16) != 0 ||
	    lvm_crc(mda.p + 4, 508) != pst_le32(mda.p)) {
		pst_sink_damage(k, PST_EFORMAT, "metadata area header damaged");
		return;
	}
	pst_view_le64(mda, 40, &toff);
	pst_view_le64(mda, 48, &tlen);
	pst_view_le32(mda, 56, &tcrc);
	if (toff > UINT64_MAX - mda_off)
		toff = UINT64_MAX - mda_off;
	text = pst_view_sub(in, mda_off + toff, tlen);
	if (text.len != tlen || lvm_crc(text.p, text.len) != tcrc)
		pst_sink_damage(k, PST_EFORMAT, "metadata text checksum mismatch");
}

static ssize_t rd(void *obj, uint8_t *buf, size_t n, uint64_t off)
{
	return libvslvm_logical_volume_read_buffer_at_offset(obj, buf, n, (off64_t)off, NULL);
}

/* Emits logical volume i as lvm@NAME (a name that is not printable ASCII
 * or is empty is replaced by its index). */
static enum pst_err one(struct pst_sink *k, libvslvm_volume_group_t *vg, int i)
{
	libvslvm_logical_volume_t *lv = NULL;
	char name[NAME_MAX_BYTES], seg[NAME_MAX_BYTES + 8];
	size64_t size = 0;
	enum pst_err rc = PST_OK;
	size_t j;

	if (libvslvm_volume_group_get_logical_volume(vg, i, &lv, NULL) != 1 ||
	    libvslvm_logical_volume_get_size(lv, &size, NULL) != 1) {
		pst_sink_damage(k, PST_EFORMAT, "logical volume %d unreadable", i);
		goto out;
	}
	if (libvslvm_logical_volume_get_name(lv, name, sizeof(name), NULL) != 1)
		name[0] = 0;
	name[sizeof(name) - 1] = 0;
	for (j = 0; name[j]; j++)
		if (name[j] <= 0x20 || name[j] >= 0x7f || name[j] == '!' || name[j] == '/')
			break;
	if (name[j] || !name[0])
		snprintf(seg, sizeof(seg), "lvm@%d", i);
	else
		snprintf(seg, sizeof(seg), "lvm@%s", name);
	rc = pst_yal_emit(k, seg, size, rd, lv);
out:
	if (lv)
		libvslvm_logical_volume_free(&lv, NULL);
	return rc;
}

static enum pst_err unpack(struct pst_sink *k, struct pst_view in)
{
	libbfio_handle_t *io = pst_yal_handle(in);
	libbfio_pool_t *pool = pst_yal_pool(in);
	libvslvm_handle_t *h = NULL;
	libvslvm_volume_group_t *vg = NULL;
	enum pst_err rc = PST_EFORMAT;
	int n = 0, i;

	if (!mda_fits(in)) {
		pst_sink_damage(k, PST_EFORMAT, "metadata area larger than the volume");
		goto out;
	}
	if (!io || !pool || libvslvm_handle_initialize(&h, NULL) != 1) {
		rc = PST_ENOMEM;
		goto out;
	}
	if (libvslvm_handle_open_file_io_handle(h, io, LIBVSLVM_OPEN_READ, NULL) != 1 ||
	    libvslvm_handle_open_physical_volume_files_file_io_pool(h, pool, NULL) != 1 ||
	    libvslvm_handle_get_volume_group(h, &vg, NULL) != 1 ||
	    libvslvm_volume_group_get_number_of_logical_volumes(vg, &n, NULL) != 1) {
		pst_sink_damage(k, PST_EFORMAT, "libvslvm cannot read its label or metadata");
		goto out;
	}
	k->consumed = in.len;
	rc = PST_OK;
	check_sums(k, in);
	if (n > LV_MAX) {
		pst_sink_damage(k, PST_EFORMAT, "%d logical volumes: the first %d opened", n,
				LV_MAX);
		n = LV_MAX;
	}
	for (i = 0; i < n && rc != PST_ENOMEM && !k->stopped; i++)
		rc = one(k, vg, i);
	if (rc != PST_ENOMEM)
		rc = PST_OK;
out:
	if (vg)
		libvslvm_volume_group_free(&vg, NULL);
	if (h) {
		libvslvm_handle_close(h, NULL);
		libvslvm_handle_free(&h, NULL);
	}
	pst_yal_pool_free(&pool);
	pst_yal_handle_free(&io);
	return rc;
}

static const struct pst_magic magics[] = { { NULL, 0, 0 } };

const struct pst_unpacker pst_unpacker_lvm = {
	"lvm", PST_KIND_FILESYSTEM, 0, magics, bid, unpack,
};
