/*
 * blobs.c - image files kept content-addressed under DATA/blobs/<sha256>.
 * An upload is written to an unnamed file (O_TMPFILE in DATA/blobs) and
 * linked into place only once its digest is known: a cut connection or a
 * crash of the server leaves no partial file behind. Names come from the
 * digest alone, never from a request. With PostgreSQL the unnamed file is
 * only the spool: a complete upload is copied into a large object.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "svc.h"

int svc_blob_path(char *out, size_t len, const char *data_dir, const char *sha256)
{
	size_t i;
	int n;
	if (strlen(sha256) != 64)
		return -1;
	for (i = 0; i < 64; i++)
		if (!strchr("0123456789abcdef", sha256[i]))
			return -1;
	n = snprintf(out, len, "%s/blobs/%s", data_dir, sha256);
	return n > 0 && (size_t)n < len ? 0 : -1;
}

int svc_upload_begin(struct svc_upload *u, const char *data_dir)
{
	char dir[4096];

	u->fd = -1;
	u->len = 0;
	crypto_hash_sha256_init(&u->sha);
	if (svc_path(dir, sizeof(dir), data_dir, "blobs") != 0)
		return -1;
	u->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	return u->fd >= 0 ? 0 : -1;
}

int svc_upload_write(struct svc_upload *u, const char *data, size_t len)
{
	size_t done = 0;
	crypto_hash_sha256_update(&u->sha, (const unsigned char *)data, len);
	while (done < len) {
		ssize_t w = write(u->fd, data + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	u->len += len;
	return 0;
}

int svc_upload_commit(struct svc_upload *u, struct pst_store *st, const char *data_dir,
		      char sha256[65])
{
	unsigned char h[32];
	char path[4096], proc[64];
	int rc = -1;

	crypto_hash_sha256_final(&u->sha, h);
	svc_hex(h, 32, sha256);
	if (st && st->ops->blob_put) {
		/* the unnamed spool file goes when closed, whatever happened */
		rc = st->ops->blob_put(st, sha256, u->fd, u->len);
		goto out;
	}
	if (fsync(u->fd) != 0 || svc_blob_path(path, sizeof(path), data_dir, sha256) != 0)
		goto out;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", u->fd);
	/* the same bytes are already stored: keep the first copy */
	if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 || errno == EEXIST)
		rc = 0;
out:
	svc_upload_abort(u);
	return rc;
}

void svc_upload_abort(struct svc_upload *u)
{
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
}
