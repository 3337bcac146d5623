/*
 * extract.c - writes the unpacked tree under a directory, only when the user
 * asks (--extract DIR).
 *
 * Every path is built component by component with openat(O_NOFOLLOW) from
 * the extraction root: no "..", no absolute path, no link is ever followed,
 * so nothing lands outside DIR whatever names the image carries. Symbolic
 * links are stored as links; device nodes are not created; set-id bits are
 * dropped. A file container's children go under "<name>.extracted/".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

struct pst_extract {
	int rootfd;
};

struct pst_extract *pst_extract_open(const char *dir, char *err, size_t errlen)
{
	struct pst_extract *x;
	int fd;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "--extract %s: %s", dir, strerror(errno));
		return NULL;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "--extract %s: %s", dir, strerror(errno));
		return NULL;
	}
	x = pst_calloc(1, sizeof(*x));
	if (!x) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	x->rootfd = fd;
	return x;
}

void pst_extract_close(struct pst_extract *x)
{
	if (!x)
		return;
	close(x->rootfd);
	free(x);
}

/* Appends n's directory of children ("" for the root). */
static void container_dir(const struct pst_node *n, struct pst_str *out)
{
	if (!n->parent)
		return;
	container_dir(n->parent, out);
	pst_str_putc(out, '/');
	if (n->flags & PST_NODE_VIRTUAL) {
		pst_str_puts(out, n->seg);
	} else {
		pst_str_puts(out, n->path[0] == '/' ? n->path + 1 : n->path);
		pst_str_puts(out, ".extracted");
	}
}

static bool bad_component(const char *c, size_t n)
{
	return n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.');
}

/* Opens (creating) every directory of rel but the last component; *leaf gets
 * the last component. Returns a directory fd or -1. */
static int open_parent(int rootfd, char *rel, const char **leaf, char *err, size_t errlen)
{
	int fd = dup(rootfd);
	char *p = rel, *slash;

	while (*p == '/')
		p++;
	while (fd >= 0 && (slash = strchr(p, '/'))) {
		int next;
		*slash = 0;
		if (bad_component(p, strlen(p))) {
			snprintf(err, errlen, "refused path component '%s'", p);
			close(fd);
			return -1;
		}
		if (mkdirat(fd, p, 0755) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "mkdir %s: %s", p, strerror(errno));
			close(fd);
			return -1;
		}
		next = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			snprintf(err, errlen, "%s is not a plain directory (%s); not followed", p,
				 strerror(errno));
		close(fd);
		fd = next;
		p = slash + 1;
		while (*p == '/')
			p++;
	}
	if (fd >= 0 && bad_component(p, strlen(p))) {
		snprintf(err, errlen, "refused name '%s'", p);
		close(fd);
		return -1;
	}
	*leaf = p;
	return fd;
}

static enum pst_err write_all(int fd, struct pst_view data)
{
	size_t off = 0;
	while (off < data.len) {
		ssize_t w = write(fd, data.p + off, data.len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return PST_EIO;
		}
		off += (size_t)w;
	}
	return PST_OK;
}

/* Opens the directory n goes in (creating it) into *dfd, with rel holding
 * n's path below the extraction root and *leaf its last component. False
 * (err set) on a refused or unmakeable path; true with *dfd -1 for a
 * container's root, which is not written itself. */
static bool open_node_dir(struct pst_extract *x, const struct pst_node *n, struct pst_str *rel,
			  const char **leaf, int *dfd, char *err, size_t errlen)
{
	*dfd = -1;
	container_dir(n->parent, rel);
	pst_str_puts(rel, n->path);
	if (rel->err) {
		snprintf(err, errlen, "path too long");
		return false;
	}
	if (strcmp(n->path, "/") == 0)
		return true;
	*dfd = open_parent(x->rootfd, rel->p, leaf, err, errlen);
	return *dfd >= 0;
}

/* Makes the regular file leaf in dfd, replacing whatever is there (a
 * duplicate member, or a planted link) rather than writing through it, and
 * writes data; *ino (when asked) gets its inode number. */
static enum pst_err make_file(int dfd, const char *leaf, const struct pst_node *n,
			      struct pst_view data, uint64_t *ino, char *err, size_t errlen)
{
	struct stat st;
	enum pst_err rc;
	int fd;

	unlinkat(dfd, leaf, 0);
	fd = openat(dfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    (mode_t)(n->mode & 0755) | 0600);
	if (fd < 0) {
		snprintf(err, errlen, "create %s: %s", leaf, strerror(errno));
		return PST_EIO;
	}
	rc = write_all(fd, data);
	if (rc)
		snprintf(err, errlen, "write %s: %s", leaf, strerror(errno));
	if (!rc && ino) {
		*ino = fstat(fd, &st) == 0 ? (uint64_t)st.st_ino : 0;
		if (!*ino) {
			snprintf(err, errlen, "stat %s: %s", leaf, strerror(errno));
			rc = PST_EIO;
		}
	}
	close(fd);
	return rc;
}

enum pst_err pst_extract_node(struct pst_extract *x, const struct pst_node *n,
			      struct pst_view data, uint64_t *ino, char *err, size_t errlen)
{
	struct pst_str rel;
	const char *leaf = NULL;
	enum pst_err rc = PST_OK;
	int dfd = -1;
	uint32_t type = n->mode & S_IFMT;

	if (ino)
		*ino = 0;
	if (!n->parent)
		return PST_OK;
	pst_str_init(&rel, 1 << 16);
	if (!open_node_dir(x, n, &rel, &leaf, &dfd, err, errlen)) {
		rc = rel.err ? PST_ELIMIT : PST_EIO;
		goto out;
	}
	if (dfd < 0) /* a container's root itself */
		goto out;
	if (type == S_IFDIR) {
		if (mkdirat(dfd, leaf, 0755) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "mkdir %s: %s", leaf, strerror(errno));
			rc = PST_EIO;
		}
	} else if (type == S_IFLNK) {
		unlinkat(dfd, leaf, 0);
		if (symlinkat(n->link ? n->link : "", dfd, leaf) != 0) {
			snprintf(err, errlen, "symlink %s: %s", leaf, strerror(errno));
			rc = PST_EIO;
		}
	} else if (type == 0 || type == S_IFREG) {
		rc = make_file(dfd, leaf, n, ino ? pst_view_make(NULL, 0) : data, ino, err,
			       errlen);
	}
	/* Devices, fifos and sockets are not created. */
out:
	if (dfd >= 0)
		close(dfd);
	pst_str_free(&rel);
	return rc;
}

enum pst_err pst_extract_fill(struct pst_extract *x, const struct pst_node *n, uint64_t ino,
			      struct pst_view data, char *err, size_t errlen)
{
	struct pst_str rel;
	struct stat st;
	const char *leaf = NULL;
	enum pst_err rc = PST_OK;
	int dfd = -1, fd = -1;

	pst_str_init(&rel, 1 << 16);
	if (!open_node_dir(x, n, &rel, &leaf, &dfd, err, errlen)) {
		rc = rel.err ? PST_ELIMIT : PST_EIO;
		goto out;
	}
	if (dfd < 0)
		goto out;
	/* Never created here, never through a link: only the very file made
	 * at emission, still empty, is written. A later member of the same
	 * name replaced it (archive order: the later one wins), so a file
	 * with another inode is left alone. */
	fd = openat(dfd, leaf, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_ino != ino ||
	    st.st_size != 0)
		goto out;
	rc = write_all(fd, data);
	if (rc)
		snprintf(err, errlen, "write %s: %s", leaf, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	pst_str_free(&rel);
	return rc;
}
