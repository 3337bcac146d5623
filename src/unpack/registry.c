/*
 * registry.c - every unpacker, in one plain array. Cheap, specific bidders
 * come first; when two bid the same, the earlier one wins.
 */
#include "internal.h"

extern const struct pst_unpacker pst_unpacker_uimage;
extern const struct pst_unpacker pst_unpacker_dtb;
extern const struct pst_unpacker pst_unpacker_squashfs;
extern const struct pst_unpacker pst_unpacker_gzip;
extern const struct pst_unpacker pst_unpacker_xz;
extern const struct pst_unpacker pst_unpacker_lzma;
extern const struct pst_unpacker pst_unpacker_zstd;
extern const struct pst_unpacker pst_unpacker_bzip2;
extern const struct pst_unpacker pst_unpacker_lz4;
extern const struct pst_unpacker pst_unpacker_tar;
extern const struct pst_unpacker pst_unpacker_cpio;
extern const struct pst_unpacker pst_unpacker_zip;
extern const struct pst_unpacker pst_unpacker_7z;
extern const struct pst_unpacker pst_unpacker_deb;
extern const struct pst_unpacker pst_unpacker_ar;
extern const struct pst_unpacker pst_unpacker_rpm;
extern const struct pst_unpacker pst_unpacker_iso;
extern const struct pst_unpacker pst_unpacker_cab;
extern const struct pst_unpacker pst_unpacker_compress;

const struct pst_unpacker *const pst_unpackers[] = {
	&pst_unpacker_uimage,
	&pst_unpacker_dtb,
	&pst_unpacker_squashfs,
	&pst_unpacker_gzip,
	&pst_unpacker_xz,
	&pst_unpacker_zstd,
	&pst_unpacker_bzip2,
	&pst_unpacker_lz4,
	&pst_unpacker_lzma,
	&pst_unpacker_tar,
	&pst_unpacker_cpio,
	&pst_unpacker_zip,
	&pst_unpacker_7z,
	&pst_unpacker_deb,
	&pst_unpacker_ar,
	&pst_unpacker_rpm,
	&pst_unpacker_iso,
	&pst_unpacker_cab,
	&pst_unpacker_compress,
	NULL,
};
