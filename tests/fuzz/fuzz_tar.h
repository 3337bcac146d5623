/*
 * fuzz_tar.h - for harnesses that wrap their input as files of a small
 * tree: one regular member written to a libarchive writer.
 */
#ifndef PST_FUZZ_TAR_H
#define PST_FUZZ_TAR_H
#include <archive.h>
#include <archive_entry.h>

static inline void pst_fuzz_put(struct archive *a, const char *path, const void *p, size_t n)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)n);
	if (archive_write_header(a, e) == ARCHIVE_OK)
		archive_write_data(a, p, n);
	archive_entry_free(e);
}
#endif
