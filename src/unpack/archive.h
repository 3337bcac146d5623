/*
 * archive.h - the libarchive engine shared by the archive unpackers
 * (archive.c reads, archive_formats.c bids and registers).
 */
#ifndef PST_UNPACK_ARCHIVE_H
#define PST_UNPACK_ARCHIVE_H

#include "internal.h"

/* What libarchive is allowed to read for one unpacker: one format, and
 * filters only where the format itself needs them. */
enum pst_ar_fmt {
	PST_AR_TAR,
	PST_AR_CPIO,
	PST_AR_ZIP,
	PST_AR_7Z,
	PST_AR_AR,
	PST_AR_RPM,
	PST_AR_ISO,
	PST_AR_CAB,
	PST_AR_COMPRESS,
};

/* Emits every entry of in, read as fmt. Damage is reported on the sink;
 * sink->consumed is set when the archive's extent is known. */
enum pst_err pst_archive_unpack(struct pst_sink *k, struct pst_view in, enum pst_ar_fmt fmt);

/* The extent of a zip that starts at in.p: the end of its end-of-central-
 * directory record (comment included), or 0 when none is found. */
uint64_t pst_zip_extent(struct pst_view in);

#endif
