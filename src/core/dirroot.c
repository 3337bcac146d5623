/*
 * dirroot.c - the root a directory target is taken as. A directory that is
 * part of a product's root filesystem (/usr/bin, an extracted
 * squashfs-root/usr) is judged at the paths its files have in that root, so
 * that /usr/bin/passwd is known as such and not as /passwd. The root is set
 * with --root PATH, or inferred from the target's own path; otherwise the
 * directory is the root filesystem ("/"). The scan reports which it was.
 * Also the directory reader (pst_dir_emit), which emits the target's files
 * through the sink like an unpacker.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

/* Top-level directories of a Linux root filesystem: what a path after
 * squashfs-root/ must start with to be taken as a place in the root. */
static bool top_level(const char *p, size_t n)
{
	static const char *const dirs[] = { "bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr",
		"etc", "opt", "var", "www", "boot", "root", "home", "srv", NULL };
	size_t i;
	for (i = 0; dirs[i]; i++)
		if (strlen(dirs[i]) == n && memcmp(dirs[i], p, n) == 0)
			return true;
	return false;
}

/* Copies path with "//" and "/." collapsed and no trailing "/" into out
 * ("/" becomes ""); false when it is relative, has a ".." component or does
 * not fit. */
static bool normalise(const char *path, char *out, size_t len)
{
	size_t k = 0;
	const char *p = path;
	if (*p != '/')
		return false;
	while (*p) {
		size_t n;
		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return false;
		if (k + 1 + n >= len)
			return false;
		out[k++] = '/';
		memcpy(out + k, p, n);
		k += n;
		p += n;
	}
	out[k] = 0;
	return true;
}

enum pst_err pst_dir_root_option(const char *given, char *out, size_t len)
{
	return normalise(given, out, len) ? PST_OK : PST_EUSAGE;
}

/* Where an extracted root filesystem starts: after a component named
 * rootfs or squashfs-root (or the other NAME-root directories of binwalk's
 * extractors: jffs2-root, cpio-root, ubifs-root...). The last one counts. */
static const char *after_root_marker(const char *abs)
{
	const char *p = abs, *found = NULL;
	while ((p = strchr(p, '/'))) {
		size_t n;
		p++;
		n = strcspn(p, "/");
		if ((n == 6 && memcmp(p, "rootfs", 6) == 0) ||
		    (n > 5 && memcmp(p + n - 5, "-root", 5) == 0))
			found = p + n;
	}
	return found;
}

/* A path ending in a system directory: the longest such suffix. */
static const char *system_suffix(const char *abs)
{
	static const char *const dirs[] = { "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib",
		"/usr/libexec", "/usr/lib64", "/usr/lib32", "/usr/lib", "/usr/bin", "/usr/sbin",
		"/usr", "/bin", "/sbin", "/lib64", "/lib32", "/lib", "/etc", NULL };
	size_t i, n = strlen(abs);
	for (i = 0; dirs[i]; i++) {
		size_t d = strlen(dirs[i]);
		if (n >= d && strcmp(abs + n - d, dirs[i]) == 0)
			return abs + n - d;
	}
	return NULL;
}

/* The real path of the directory open on fd ("." inside /usr/bin is
 * /usr/bin): read from /proc, which needs no getcwd (not allowed in the
 * sandbox) and names the directory actually scanned; else realpath(3), else
 * the target as given. */
static void real_path(int fd, const char *target, char *out, size_t len)
{
	char proc[64];
	ssize_t n;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = fd >= 0 ? readlink(proc, out, len - 1) : -1;
	if (n > 0 && out[0] == '/') {
		out[n] = 0;
		return;
	}
	if (len >= PATH_MAX && realpath(target, out))
		return;
	snprintf(out, len, "%s", target);
}

bool pst_dir_root_infer(int fd, const char *target, char *out, size_t len)
{
	char abs[PATH_MAX], norm[PATH_MAX];
	const char *r;

	if (len)
		out[0] = 0;
	real_path(fd, target, abs, sizeof(abs));
	if (!normalise(abs, norm, sizeof(norm)))
		return false;
	r = after_root_marker(norm);
	if (r) {
		/* Only a place a root filesystem has: squashfs-root/usr, not
		 * rootfs/backups/fw-dir (which may hold a whole tree itself). */
		size_t n = r[0] ? strcspn(r + 1, "/") : 0;
		if (!r[0] || !top_level(r + 1, n) || strlen(r) >= len)
			return false;
		memcpy(out, r, strlen(r) + 1);
		return true;
	}
	r = system_suffix(norm);
	if (!r || strlen(r) >= len)
		return false;
	memcpy(out, r, strlen(r) + 1);
	return true;
}

static int strcmp_p(const char **a, const char **b)
{
	return strcmp(*a, *b);
}

/* The directory target's reader: the root task's "unpacker". */
void pst_dir_emit(struct pst_sink *k, int dirfd, const char *prefix, unsigned level)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int fd = dup(dirfd);

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		pst_sink_damage(k, PST_EIO, "cannot read directory %s: %s", prefix[0] ? prefix : "/",
				strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (!pst_array_grow((void **)&names, &cap, n, sizeof(*names), 64) ||
		    !(names[n] = pst_strdup(de->d_name))) {
			pst_sink_damage(k, PST_ENOMEM, "out of memory reading directory %s",
					prefix[0] ? prefix : "/");
			break;
		}
		n++;
	}
	/* Sorted, so the tree does not depend on the directory's hash order. */
	if (n > 1)
		qsort(names, n, sizeof(*names), (int (*)(const void *, const void *))strcmp_p);
	for (i = 0; i < n && !pst_sink_cancelled(k); i++) {
		struct pst_entry e;
		struct stat st;
		struct pst_obuf ob;
		char path[4096], link[4096];
		int cfd;

		memset(&e, 0, sizeof(e));
		snprintf(path, sizeof(path), "%s/%s", prefix, names[i]);
		if (fstatat(dirfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
			pst_sink_damage(k, PST_EIO, "cannot stat %s: %s", path, strerror(errno));
			continue;
		}
		e.path = path;
		e.mode = st.st_mode;
		e.uid = st.st_uid;
		e.gid = st.st_gid;
		if (S_ISLNK(st.st_mode)) {
			ssize_t ln = readlinkat(dirfd, names[i], link, sizeof(link) - 1);
			link[ln > 0 ? ln : 0] = 0;
			e.link = link;
			pst_sink_emit(k, &e);
		} else if (S_ISDIR(st.st_mode)) {
			pst_sink_emit(k, &e);
			cfd = openat(dirfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (cfd < 0)
				pst_sink_damage(k, PST_EIO, "cannot open directory %s: %s", path,
						strerror(errno));
			/* the same nesting bound as inside images, reported (limit.path) */
			if (cfd >= 0 && pst_sink_nest(k, level + 1, path))
				pst_dir_emit(k, cfd, path, level + 1);
			if (cfd >= 0)
				close(cfd);
		} else if (S_ISREG(st.st_mode)) {
			cfd = openat(dirfd, names[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			/* Counted before reading, so the ratio limit never cuts a
			 * file that is read rather than unpacked. */
			atomic_fetch_add(&k->scan->dir_bytes, (uint64_t)st.st_size);
			pst_scan_fit_memory(k->scan, (uint64_t)st.st_size);
			pst_sink_obuf(k, &ob);
			if (cfd < 0) {
				e.flags |= PST_NODE_INCOMPLETE;
			} else {
				for (;;) {
					size_t room;
					ssize_t r;
					if (pst_obuf_grow(&ob, 1 << 20, &room) != PST_OK)
						break;
					r = read(cfd, ob.p + ob.len, room);
					if (r <= 0)
						break;
					ob.len += (size_t)r;
				}
				close(cfd);
			}
			e.take = &ob;
			pst_sink_emit(k, &e);
		} else {
			pst_sink_emit(k, &e);
		}
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
}
