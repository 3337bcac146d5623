/*
 * registry.c - every unpacker, in one plain array. Cheap, specific bidders
 * come first; when two bid the same, the earlier one wins.
 */
#include "internal.h"

extern const struct pst_unpacker pst_unpacker_uimage;
extern const struct pst_unpacker pst_unpacker_trx;
extern const struct pst_unpacker pst_unpacker_realtek;
extern const struct pst_unpacker pst_unpacker_csys;
extern const struct pst_unpacker pst_unpacker_tplink;
extern const struct pst_unpacker pst_unpacker_chk;
extern const struct pst_unpacker pst_unpacker_seama;
extern const struct pst_unpacker pst_unpacker_arcadyan;
extern const struct pst_unpacker pst_unpacker_encrypted;
extern const struct pst_unpacker pst_unpacker_volcrypt;
extern const struct pst_unpacker pst_unpacker_gpt;
extern const struct pst_unpacker pst_unpacker_mbr;
extern const struct pst_unpacker pst_unpacker_qcow;
extern const struct pst_unpacker pst_unpacker_vhdi;
extern const struct pst_unpacker pst_unpacker_vmdk;
extern const struct pst_unpacker pst_unpacker_xfs;
extern const struct pst_unpacker pst_unpacker_lvm;
extern const struct pst_unpacker pst_unpacker_ntfs;
extern const struct pst_unpacker pst_unpacker_androidboot;
extern const struct pst_unpacker pst_unpacker_androidsparse;
extern const struct pst_unpacker pst_unpacker_ubootenv;
extern const struct pst_unpacker pst_unpacker_ihex;
extern const struct pst_unpacker pst_unpacker_srec;
extern const struct pst_unpacker pst_unpacker_dtb;
extern const struct pst_unpacker pst_unpacker_squashfs;
extern const struct pst_unpacker pst_unpacker_squashfs_old;
extern const struct pst_unpacker pst_unpacker_cramfs;
extern const struct pst_unpacker pst_unpacker_jffs2;
extern const struct pst_unpacker pst_unpacker_ext;
extern const struct pst_unpacker pst_unpacker_ubi;
extern const struct pst_unpacker pst_unpacker_ubifs;
extern const struct pst_unpacker pst_unpacker_yaffs2;
extern const struct pst_unpacker pst_unpacker_romfs;
extern const struct pst_unpacker pst_unpacker_fat;
extern const struct pst_unpacker pst_unpacker_embedded;
extern const struct pst_unpacker pst_unpacker_pyz;
extern const struct pst_unpacker pst_unpacker_zipapp;
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
	&pst_unpacker_trx,
	&pst_unpacker_realtek,
	&pst_unpacker_csys,
	&pst_unpacker_tplink,
	&pst_unpacker_chk,
	&pst_unpacker_seama,
	&pst_unpacker_arcadyan,
	&pst_unpacker_encrypted,
	&pst_unpacker_volcrypt,
	&pst_unpacker_gpt,
	&pst_unpacker_qcow,
	&pst_unpacker_vhdi,
	&pst_unpacker_vmdk,
	&pst_unpacker_lvm,
	&pst_unpacker_androidboot,
	&pst_unpacker_androidsparse,
	&pst_unpacker_ubootenv,
	&pst_unpacker_ihex,
	&pst_unpacker_srec,
	&pst_unpacker_dtb,
	&pst_unpacker_squashfs,
	&pst_unpacker_squashfs_old,
	&pst_unpacker_cramfs,
	&pst_unpacker_jffs2,
	&pst_unpacker_ext,
	&pst_unpacker_xfs,
	&pst_unpacker_ntfs,
	&pst_unpacker_ubi,
	&pst_unpacker_ubifs,
	&pst_unpacker_romfs,
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
	&pst_unpacker_yaffs2,
	&pst_unpacker_fat,
	/* after FAT: a FAT boot sector also ends in 55 AA */
	&pst_unpacker_mbr,
	/* ELF files only, and only those carrying scripts */
	&pst_unpacker_embedded,
	&pst_unpacker_pyz,
	&pst_unpacker_zipapp,
	NULL,
};
