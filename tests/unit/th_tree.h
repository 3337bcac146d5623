/*
 * th_tree.h - compares a tree an unpacker read back with the directory it was
 * made from: every entry present, same type and permission bits, regular
 * files with the same size and sha256, symlinks with the same target,
 * optionally the same owner. Shared by the filesystem format tests.
 */
#ifndef PST_TEST_TREE_H
#define PST_TEST_TREE_H

#include <dirent.h>
#include <stdarg.h>
#include <sys/stat.h>
#include "helpers.h"

#define TH_TREE_OWNER 0x1u  /* compare uid/gid too */
#define TH_TREE_NOPERM 0x2u /* the format keeps no permission bits */

static inline size_t th_tree_walk(const struct pst_scan *s, const char *root, const char *rel,
				  unsigned flags)
{
	char path[4096], sub[4096], want[4200];
	DIR *d;
	struct dirent *de;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		const struct pst_node *node;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", rel, de->d_name);
		snprintf(path, sizeof(path), "%s%s", root, sub);
		assert_int_equal(lstat(path, &st), 0);
		snprintf(want, sizeof(want), "!%s", sub);
		node = th_node(s, want);
		if (!node)
			fail_msg("%s missing from the tree read back", sub);
		n++;
		if ((node->mode & S_IFMT) != (st.st_mode & S_IFMT))
			fail_msg("%s: type 0%o, want 0%o", sub, node->mode & S_IFMT, st.st_mode & S_IFMT);
		if (!(flags & TH_TREE_NOPERM) && (node->mode & 07777) != (st.st_mode & 07777))
			fail_msg("%s: mode 0%o, want 0%o", sub, node->mode & 07777, st.st_mode & 07777);
		if ((flags & TH_TREE_OWNER) && (node->uid != st.st_uid || node->gid != st.st_gid))
			fail_msg("%s: owner %u:%u, want %u:%u", sub, node->uid, node->gid, st.st_uid, st.st_gid);
		if (S_ISREG(st.st_mode)) {
			size_t len;
			uint8_t *p = th_read(path, &len), sha[32];
			pst_sha256(p, len, sha);
			free(p);
			if (node->size != len || memcmp(sha, node->sha256, 32) != 0)
				fail_msg("%s: content differs (%llu bytes read back, %zu in)", sub,
					 (unsigned long long)node->size, len);
		} else if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t tl = readlink(path, target, sizeof(target) - 1);
			assert_true(tl >= 0);
			target[tl] = 0;
			if (!node->link || strcmp(node->link, target) != 0)
				fail_msg("%s: link %s, want %s", sub, node->link ? node->link : "(none)", target);
		} else if (S_ISDIR(st.st_mode)) {
			n += th_tree_walk(s, root, sub, flags);
		}
	}
	closedir(d);
	return n;
}

/* Asserts the tree equals srcdir; returns the entries compared. */
static inline size_t th_tree_equal(const struct pst_scan *s, const char *srcdir, unsigned flags)
{
	return th_tree_walk(s, srcdir, "", flags);
}

/* Makes a small tree of the kinds every filesystem test uses under dir/src:
 * text, a larger compressible file, random bytes, an empty file and
 * directory, a setuid binary-ish file, a symlink, a nested directory. */
static inline void th_tree_make(const char *dir)
{
	th_sh("cd %s && mkdir -p src/etc/init.d src/bin src/empty src/usr/share/deep/er && "
	      "printf 'root::0:0:root:/root:/bin/sh\\n' > src/etc/passwd && "
	      "printf '#!/bin/sh\\ntelnetd -l /bin/sh\\n' > src/etc/init.d/rcS && chmod 755 src/etc/init.d/rcS && "
	      "seq 1 60000 > src/usr/share/deep/er/numbers && "
	      "randbytes 150000 th_tree1 > src/bin/random && chmod 4755 src/bin/random && "
	      ": > src/etc/empty && ln -s /etc/passwd src/bin/pw && ln -s ../etc src/usr/etcl && "
	      "chmod 700 src/empty", dir);
}

/* Makes a fresh directory with th_tree_make's tree under src, runs the
 * printf-style command in it (it builds what the test reads, usually img)
 * and writes dir/img to img. Returns the directory (th_rmtree it). */
static inline char *th_tree_fixture(char img[4200], const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline char *th_tree_fixture(char img[4200], const char *fmt, ...)
{
	char *d = th_tmpdir(), cmd[8192];
	va_list ap;

	th_tree_make(d);
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	th_sh("cd %s && %s", d, cmd);
	snprintf(img, 4200, "%s/img", d);
	return d;
}

/* Scans dir/img and asserts it reads back equal to dir/src (flags as for
 * th_tree_equal), with exactly `extra` more entries than the source (what
 * the format adds itself), nothing incomplete, and the root of the given
 * format. Returns the scan for the caller's own checks (pst_scan_free it). */
static inline struct pst_scan *th_tree_roundtrip_scan(const char *dir, unsigned flags, size_t extra,
						      const char *format)
{
	char img[4200], src[4200];
	struct pst_scan *s;
	size_t entries;

	snprintf(img, sizeof(img), "%s/img", dir);
	snprintf(src, sizeof(src), "%s/src", dir);
	s = th_scan(img, 2);
	entries = th_tree_equal(s, src, flags);
	assert_int_equal(th_count_nodes(s, "img!/"), entries + extra);
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	assert_string_equal(pst_scan_root(s)->format, format);
	return s;
}

/* th_tree_roundtrip_scan with nothing more to check; removes dir. */
static inline void th_tree_roundtrip(char *dir, unsigned flags, const char *format)
{
	pst_scan_free(th_tree_roundtrip_scan(dir, flags, 0, format));
	th_rmtree(dir);
}

#define TH_CARVE_EXPLAINED 0x1u /* every byte of the carrier is explained too */

/* Builds img with the printf-style command (see th_tree_fixture), which
 * wraps a filesystem in padding; asserts the node `loc` was carved out and
 * read, nothing incomplete, optionally nothing unexplained. */
static inline void th_tree_carved(const char *loc, unsigned flags, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline void th_tree_carved(const char *loc, unsigned flags, const char *fmt, ...)
{
	char img[4200], cmd[8192], *d;
	struct pst_scan *s;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	d = th_tree_fixture(img, "%s", cmd);
	s = th_scan(img, 2);
	assert_non_null(th_node(s, loc));
	assert_int_equal(pst_scan_coverage(s)->incomplete, 0);
	if (flags & TH_CARVE_EXPLAINED)
		assert_int_equal(pst_scan_coverage(s)->unexplained_bytes, 0);
	pst_scan_free(s);
	th_rmtree(d);
}

/* Builds img with the printf-style command and runs th_mangle on it. */
static inline void th_tree_damaged(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void th_tree_damaged(const char *fmt, ...)
{
	char img[4200], cmd[8192], *d;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	d = th_tree_fixture(img, "%s", cmd);
	th_mangle(img, d);
	th_rmtree(d);
}

/* A fresh directory (th_rmtree it) with the tree th_damaged_at_load
 * expects: src/etc/passwd (25 bytes) and src/bin/blob, 20000 random bytes
 * (randbytes seed: stored uncompressed, its pages found in the image by
 * their bytes). */
static inline char *th_damage_src(const char *seed)
{
	char *d = th_tmpdir();
	th_sh("cd %s && mkdir -p src/etc src/bin && "
	      "printf 'root::0:0::/root:/bin/sh\\n' > src/etc/passwd && "
	      "randbytes 20000 %s > src/bin/blob", d, seed);
	return d;
}

/* Scans dir/img (a filesystem whose files' data is read when a worker
 * examines them) with 1 and 2 jobs and asserts that each of the n files
 * bad[] ("img!/...") is there with size bytes, incomplete, unpack.damaged
 * on itself, the damage being found when it was loaded; that the file
 * `whole` has whole_size bytes and is complete; and that the filesystem
 * itself is neither damaged nor incomplete. */
static inline void th_damaged_at_load(const char *dir, const char *const *bad, size_t n,
				      uint64_t size, const char *whole, uint64_t whole_size)
{
	char img[4200];
	unsigned jobs;
	size_t i;

	snprintf(img, sizeof(img), "%s/img", dir);
	for (jobs = 1; jobs <= 2; jobs++) {
		struct pst_scan *s = th_scan(img, jobs);
		const struct pst_node *f;
		for (i = 0; i < n; i++) {
			f = th_node(s, bad[i]);
			assert_non_null(f);
			assert_true(f->flags & PST_NODE_INCOMPLETE);
			assert_int_equal(f->size, size);
			assert_non_null(th_finding(s, "unpack.damaged", bad[i]));
		}
		f = th_node(s, whole);
		assert_non_null(f);
		assert_int_equal(f->size, whole_size);
		assert_false(f->flags & PST_NODE_INCOMPLETE);
		assert_false(th_node(s, "img")->flags & PST_NODE_INCOMPLETE);
		assert_null(th_finding(s, "unpack.damaged", "img"));
		pst_scan_free(s);
	}
}

#endif
