/*
 * fsperm.c - file-system metadata checks: setuid/setgid files beyond an
 * expected list (rules/access/setuid-expected.txt; a setuid shell or
 * interpreter is critical), world-writable system paths, hidden files and
 * directories in system locations, and executables disguised by their names.
 *
 * Only nodes with metadata (a mode from their container) are judged. A setuid
 * copy of a shell under another name is recognised by content: finish()
 * compares the sha256 of every setuid file with the shells the image has
 * ("fs.shell" and "fs.setuid" facts, value = sha256 hex).
 *
 * A world-writable bit means what the file system it lives on lets it mean.
 * squashfs, cramfs and romfs are mounted read-only: there the bit grants
 * nothing and is build hygiene (low), unless the image lays a writable
 * overlay over them (overlayfs or mini_fo: the merged view keeps the lower
 * file's mode, and the first write copies it up, so the bit is live again)
 * or a boot script copies the file somewhere writable with its mode (cp -a,
 * cp -p). Such files become "fs.ww-ro" facts (value: hot flag, type, mode,
 * file system) judged in finish(), which has the "fs.overlay" and
 * "fs.copied" facts (value: the helper's path; the copied source) of the
 * whole tree. JFFS2, UBIFS, YAFFS2, ext, FAT, archives unpacked onto a
 * writable disk and directory targets are writable: judged at once.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "access.h"

static bool system_dir(const char *p)
{
	static const char *const dirs[] = { "/bin", "/sbin", "/lib", "/lib32", "/lib64",
		"/libx32", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib32", "/usr/lib64",
		"/usr/libexec", "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib", "/boot",
		"/etc", "/dev", "/root", "/www", "/opt", NULL };
	size_t i;
	for (i = 0; dirs[i]; i++)
		if (acc_under(p, dirs[i]))
			return true;
	return false;
}

/* Directories where a hidden entry of any kind is suspicious. */
static bool hidden_parent(const char *dir)
{
	static const char *const dirs[] = { "", "/bin", "/sbin", "/lib", "/lib32", "/lib64",
		"/usr", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib32", "/usr/lib64",
		"/usr/libexec", "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib", "/boot",
		"/lib/modules", "/usr/share", "/var/lib", NULL };
	size_t i;
	for (i = 0; dirs[i]; i++)
		if (strcmp(dir, dirs[i]) == 0)
			return true;
	return false;
}

static bool program_dir(const char *p)
{
	return acc_under(p, "/bin") || acc_under(p, "/sbin") || acc_under(p, "/usr/bin") ||
	       acc_under(p, "/usr/sbin") || acc_under(p, "/usr/lib") || acc_under(p, "/lib") ||
	       acc_under(p, "/usr/libexec") || acc_under(p, "/usr/local/bin") ||
	       acc_under(p, "/usr/local/sbin") || acc_under(p, "/usr/lib64") ||
	       acc_under(p, "/lib64");
}

static bool expected_setuid(const void *st, const char *name)
{
	const char *cur = acc_lists_get(st, ACC_SETUID_EXPECTED), *line;
	size_t len;
	while (acc_list_next(&cur, &line, &len))
		if (strlen(name) == len && memcmp(name, line, len) == 0)
			return true;
	return false;
}

/* Hidden names that are harmless where they are. */
static bool benign_hidden(const char *path, const char *comp)
{
	static const char *const ok[] = { ".keep", ".gitkeep", ".gitignore", ".placeholder",
		".empty", ".build-id", ".pwd.lock", ".updated", ".dirstamp", ".packlist",
		".wh..wh..opq", ".hmac", NULL };
	size_t i, n = strcspn(comp, "/");
	for (i = 0; ok[i]; i++)
		if (strlen(ok[i]) == n && strncmp(comp, ok[i], n) == 0)
			return true;
	/* FIPS checksums: /usr/lib/.libcrypto.so.hmac, .sha256 etc. */
	if (acc_suffix(path, ".hmac") || acc_suffix(path, ".chk"))
		return true;
	/* home directories and skeletons hold dotfiles by design */
	return acc_prefix(path, "/etc/skel/") || acc_prefix(path, "/root/") ||
	       (acc_under(path, "/root") && strchr(path + 1, '/') == path + 5);
}

static bool data_extension(const char *b)
{
	static const char *const ext[] = { ".txt", ".jpg", ".jpeg", ".png", ".gif", ".bmp",
		".ico", ".pdf", ".html", ".htm", ".css", ".log", ".conf", ".cfg", ".ini", ".xml",
		".json", ".mp3", ".mp4", ".wav", ".avi", ".doc", ".md", ".csv", ".pem", ".crt",
		".key", ".pid", ".lock", ".dat", NULL };
	size_t i;
	for (i = 0; ext[i]; i++)
		if (acc_suffix(b, ext[i]))
			return true;
	return false;
}

/* The read-only file system n lives on ("squashfs", ...), or NULL when its
 * container can be written at run time (or is unknown: the safe side). The
 * sink makes the container a file's parent. */
static const char *readonly_fs(const struct pst_node *n)
{
	static const char *const ro[] = { "squashfs", "squashfs-old", "cramfs", "romfs", NULL };
	const char *fmt = n->parent ? n->parent->format : NULL;
	size_t i;
	for (i = 0; fmt && ro[i]; i++)
		if (strcmp(fmt, ro[i]) == 0)
			return ro[i];
	return NULL;
}

/* Text that sets up a writable overlay on the root: overlayfs mount options
 * (in scripts and in mount helpers such as OpenWrt's fstools) or mini_fo,
 * the overlay of 2.6-era OpenWrt. */
static bool mounts_overlay(const struct pst_file *f)
{
	static const char *const marks[] = { "lowerdir=", "mini_fo", "-t overlay", "overlayfs:", NULL };
	size_t i;
	for (i = 0; marks[i]; i++) {
		if (f->node->kind == PST_KIND_ELF && i > 0)
			break; /* a program: only the mount option string is proof */
		if (memmem(f->data.p, f->data.len, marks[i], strlen(marks[i])))
			return true;
	}
	return false;
}

/* cp's options keep the mode: -a, -p (also inside -dpR) or --preserve/--archive.
 * A plain cp -R creates files through the umask (022 at boot), which clears
 * the write bit for others, so it does not count. */
static bool keeps_mode(const char *opt)
{
	if (acc_prefix(opt, "--"))
		return acc_prefix(opt, "--preserve") || strcmp(opt, "--archive") == 0;
	return opt[0] == '-' && (strchr(opt, 'a') || strchr(opt, 'p'));
}

/* A boot script's "cp -a SRC... DST": each SRC becomes an "fs.copied" fact
 * "SRC<FS>WHERE" (WHERE: the path SRC's contents get: DST for "SRC/ *" (a glob) or
 * "SRC/.", DST/basename(SRC) otherwise). Words are split on blanks only:
 * the copies that matter name plain absolute paths. */
static void copy_line(const struct pst_file *f, const char *s, size_t n)
{
	char buf[512], *w[16], *save = NULL, *t;
	size_t nw = 0, i;
	bool keep = false;
	if (n >= sizeof(buf))
		return;
	memcpy(buf, s, n);
	buf[n] = 0;
	for (t = strtok_r(buf, " \t;&|", &save); t && nw < 16; t = strtok_r(NULL, " \t;&|", &save))
		w[nw++] = t;
	if (nw < 3 || strcmp(acc_base(w[0]), "cp") != 0)
		return;
	for (i = 1; i < nw && w[i][0] == '-'; i++)
		keep = keep || keeps_mode(w[i]);
	if (!keep || w[nw - 1][0] != '/' || strchr(w[nw - 1], '$'))
		return;
	for (; i + 1 < nw; i++) {
		size_t l = strlen(w[i]), dl = strlen(w[nw - 1]);
		bool contents = false;
		char fact[1100];
		while (l > 1 && (w[i][l - 1] == '*' || w[i][l - 1] == '/' || w[i][l - 1] == '.')) {
			contents = contents || w[i][l - 1] == '*' || w[i][l - 1] == '.';
			w[i][--l] = 0;
		}
		while (dl > 1 && w[nw - 1][dl - 1] == '/')
			w[nw - 1][--dl] = 0;
		if (w[i][0] != '/' || strchr(w[i], '$'))
			continue;
		snprintf(fact, sizeof(fact), "%s%c%s%s%s", w[i], ACC_FS, w[nw - 1],
			 contents ? "" : "/", contents ? "" : acc_base(w[i]));
		pst_fact_add(f->scan, f->node, "fs.copied", fact);
	}
}

/* Facts for finish(): overlay helpers and mode-keeping copies in scripts. */
static void boot_facts(const struct pst_file *f)
{
	struct acc_line ln;
	uint64_t pos = 0;
	bool told = false;
	if (f->node->kind != PST_KIND_SCRIPT && f->node->kind != PST_KIND_ELF)
		return;
	if (mounts_overlay(f))
		pst_fact_add(f->scan, f->node, "fs.overlay", f->node->path);
	if (f->node->kind != PST_KIND_SCRIPT)
		return;
	while (acc_next_line(f->data, &pos, &ln)) {
		size_t k = 0;
		while (k < ln.len && isspace((unsigned char)ln.p[k]))
			k++;
		if (ln.len - k <= 3 || memcmp(ln.p + k, "cp", 2) != 0 ||
		    !isspace((unsigned char)ln.p[k + 2]))
			continue;
		/* only a copy's words are read here: a long line's cut drops
		 * something only when the line is a copy */
		if (ln.cut)
			acc_line_cap(f, &told);
		copy_line(f, ln.p + k, ln.len - k);
	}
}

/* Where a world-writable file is a ready way to run code as root. */
static bool hot_path(const char *p, bool exe)
{
	return exe || acc_under(p, "/bin") || acc_under(p, "/sbin") || acc_under(p, "/usr/bin") ||
	       acc_under(p, "/usr/sbin") || acc_prefix(p, "/etc/init.d") || acc_prefix(p, "/etc/rc") ||
	       acc_prefix(p, "/etc/cron") || strcmp(p, "/etc/passwd") == 0 ||
	       strcmp(p, "/etc/shadow") == 0 || strcmp(p, "/etc/inittab") == 0 ||
	       acc_prefix(p, "/etc/systemd") || acc_prefix(p, "/etc/profile");
}

/* On a read-only file system any path may be copied into a system one at
 * boot, so finish() decides; elsewhere only system locations count. */
static void world_writable(const struct pst_file *f, bool exe)
{
	const struct pst_node *n = f->node;
	uint32_t type = n->mode & S_IFMT;
	const char *ro = readonly_fs(n);
	bool hot = hot_path(n->path, exe);
	char ev[64];
	if (ro) {
		char fact[64];
		snprintf(fact, sizeof(fact), "%d %c %04o %s", exe ? 1 : 0, type == S_IFDIR ? 'd' : 'f',
			 n->mode & 07777, ro);
		pst_fact_add(f->scan, n, "fs.ww-ro", fact);
		return;
	}
	if (!system_dir(n->path))
		return;
	snprintf(ev, sizeof(ev), "mode %04o", n->mode & 07777);
	pst_finding_add(f->scan, n, "fs.world-writable", hot ? PST_SEV_HIGH : PST_SEV_MEDIUM,
			"access", 0, ev,
			"world-writable %s in a system location: any local user can change %s",
			type == S_IFDIR ? "directory" : "file", type == S_IFDIR ? "what it holds" : "it");
}

static bool wants(const void *st, const struct pst_node *n)
{
	(void)st;
	return n->path && (n->mode & S_IFMT) != 0;
}

static enum pst_err analyze(const void *st, const struct pst_file *f)
{
	const struct pst_node *n = f->node;
	const char *p = n->path, *b = acc_base(p), *comp = NULL;
	uint32_t type = n->mode & S_IFMT;
	bool exe = n->kind == PST_KIND_ELF || n->kind == PST_KIND_SCRIPT;
	char hex[65];

	if (type == S_IFREG && n->kind == PST_KIND_ELF &&
	    (acc_is_shell(b) || strcmp(b, "busybox") == 0) && program_dir(p)) {
		pst_hex(n->sha256, 32, hex);
		pst_fact_add(f->scan, n, "fs.shell", hex);
	}
	if (type == S_IFREG && (n->mode & (S_ISUID | S_ISGID))) {
		const char *bits = (n->mode & S_ISUID) ? ((n->mode & S_ISGID) ? "setuid+setgid" : "setuid")
						       : "setgid";
		char ev[96];
		snprintf(ev, sizeof(ev), "mode %04o uid %u gid %u", n->mode & 07777, n->uid, n->gid);
		pst_hex(n->sha256, 32, hex);
		if (n->kind != PST_KIND_ELF) {
			/* Linux ignores setuid/setgid on scripts and on anything it
			 * cannot load as a program. */
			pst_finding_add(f->scan, n, "fs.unexpected-setuid", PST_SEV_LOW, "access", 0, ev,
					"%s bit on a file that is not a program (%s): Linux ignores it, but it is unusual",
					bits, pst_kind_str(n->kind));
		} else if (acc_is_shell(b) || acc_is_interpreter(b)) {
			pst_finding_add(f->scan, n, "fs.setuid-shell", PST_SEV_CRITICAL, "access", 0, ev,
					"%s %s: anyone who runs it gets a shell or interpreter with its owner's rights",
					bits, strcmp(b, "busybox") == 0 ? "busybox (it contains a shell)"
									 : "shell or interpreter");
		} else if (acc_hidden_component(p, &comp) || acc_prefix(p, "/tmp/") ||
			   acc_prefix(p, "/var/tmp/") || acc_prefix(p, "/dev/")) {
			pst_fact_add(f->scan, n, "fs.setuid", hex);
			pst_finding_add(f->scan, n, "fs.setuid-hidden", PST_SEV_HIGH, "access", 0, ev,
					"%s program in a hidden, temporary or device path", bits);
		} else if (!(expected_setuid(st, b) && program_dir(p))) {
			pst_fact_add(f->scan, n, "fs.setuid", hex);
			pst_finding_add(f->scan, n, "fs.unexpected-setuid", PST_SEV_MEDIUM, "access", 0,
					ev, "%s program not on the list of expected ones (rules/access/setuid-expected.txt)",
					bits);
		} else {
			pst_fact_add(f->scan, n, "fs.setuid", hex);
		}
	}
	if ((n->mode & S_IWOTH) && (type == S_IFREG || type == S_IFDIR) &&
	    !(type == S_IFDIR && (n->mode & S_ISVTX)))
		world_writable(f, exe);
	if (type == S_IFREG)
		boot_facts(f);
	if (acc_hidden_component(p, &comp) && system_dir(p) && !benign_hidden(p, comp) &&
	    !acc_prefix(p, "/etc/") && type != S_IFLNK) {
		/* Report the hidden directory or file itself when it sits right in
		 * a system directory (/lib/.x, /dev/.x), and programs hidden at any
		 * depth; dotfiles deep inside packages (/usr/lib/node_modules/x/.npmignore)
		 * are not worth a review. */
		bool self = strchr(comp, '/') == NULL;
		char parent[256];
		size_t pl = (size_t)(comp - p) - 1;
		snprintf(parent, sizeof(parent), "%.*s", (int)(pl < sizeof(parent) ? pl : 0), p);
		if (exe && type == S_IFREG)
			pst_finding_add(f->scan, n, "fs.hidden-path", PST_SEV_HIGH, "access", 0, NULL,
					"%s hidden in a system location",
					n->kind == PST_KIND_ELF ? "program" : "script");
		else if (self && (type == S_IFDIR || type == S_IFREG) &&
			 (hidden_parent(parent) || acc_under(parent, "/dev")))
			pst_finding_add(f->scan, n, "fs.hidden-path", PST_SEV_MEDIUM, "access", 0, NULL,
					"hidden %s in a system location",
					type == S_IFDIR ? "directory" : "file");
	}
	if (type == S_IFREG && n->kind == PST_KIND_ELF && n->elf.type == 2 /* ET_EXEC */ &&
	    data_extension(b))
		pst_finding_add(f->scan, n, "fs.disguised-executable", PST_SEV_HIGH, "access", 0, b,
				"a program named like a data file");
	else if (type == S_IFREG && n->kind == PST_KIND_ELF && n->elf.interp && data_extension(b))
		pst_finding_add(f->scan, n, "fs.disguised-executable", PST_SEV_HIGH, "access", 0, b,
				"a program named like a data file");
	else if (type == S_IFREG && exe && b[0] && /* a file target's root has no name */
		 (b[0] == ' ' || acc_suffix(b, " ") || strspn(b, ". ") == strlen(b) ||
		  (b[0] == '[' && strlen(b) > 3 && acc_suffix(b, "]"))))
		pst_finding_add(f->scan, n, "fs.disguised-executable", PST_SEV_HIGH, "access", 0, b,
				"a program with a name made to be overlooked (spaces, dots or a kernel-thread look)");
	return PST_OK;
}

/* A fact with key and (when path is given) a value path lies under, in the
 * container x lives in; NULL if none. */
static const struct pst_fact *same_tree(const struct pst_tree *t, const struct pst_fact *x,
					const char *key, const char *path)
{
	size_t i;
	for (i = 0; i < t->nfacts; i++) {
		const struct pst_fact *y = &t->facts[i];
		if (strcmp(y->key, key) == 0 && acc_same_container(y->node, x->node) &&
		    (!path || acc_under(path, y->value)))
			return y;
	}
	return NULL;
}

/* A boot script that copies path with its mode ("fs.copied" fact in x's
 * container): the copy's path goes to dst (cap bytes). */
static const struct pst_fact *copied(const struct pst_tree *t, const struct pst_fact *x,
				     char *dst, size_t cap)
{
	size_t i;
	const char *path = x->node->path;
	for (i = 0; i < t->nfacts; i++) {
		const struct pst_fact *y = &t->facts[i];
		const char *sep = strchr(y->value, ACC_FS);
		size_t sl = sep ? (size_t)(sep - y->value) : 0;
		if (strcmp(y->key, "fs.copied") != 0 || !sep || !acc_same_container(y->node, x->node) ||
		    strncmp(path, y->value, sl) != 0 || (path[sl] != '/' && path[sl] != 0))
			continue;
		snprintf(dst, cap, "%s%s", sep + 1, path + sl);
		return y;
	}
	return NULL;
}

/* A world-writable file on a read-only file system ("fs.ww-ro" fact). */
static void judge_readonly(const struct pst_tree *t, const struct pst_fact *x)
{
	const struct pst_fact *ov = same_tree(t, x, "fs.overlay", NULL), *cp;
	const char *what = strstr(x->value, " d ") ? "directory" : "file", *p = x->node->path;
	bool exe = x->value[0] == '1', hot = hot_path(p, exe);
	char fsname[16] = "", ev[64], dst[1200];
	unsigned mode = 0;
	if (sscanf(x->value, "%*d %*c %o %15s", &mode, fsname) != 2)
		return;
	snprintf(ev, sizeof(ev), "mode %04o", mode);
	cp = copied(t, x, dst, sizeof(dst));
	if (cp && (system_dir(p) || system_dir(dst)))
		pst_finding_add(t->scan, x->node, "fs.world-writable",
				hot || hot_path(dst, exe) ? PST_SEV_HIGH : PST_SEV_MEDIUM, "access",
				0, ev,
				"world-writable %s on %s that %s copies with its mode to %s, which is writable: any local user can change the copy",
				what, fsname, cp->node->path, dst);
	else if (!system_dir(p))
		return;
	else if (ov)
		pst_finding_add(t->scan, x->node, "fs.world-writable",
				hot ? PST_SEV_MEDIUM : PST_SEV_LOW, "access", 0, ev,
				"world-writable %s on %s under the writable overlay %s mounts: the merged view keeps the mode, so a local user who is not root can change %s (medium: it takes such a user, and the overlay is read from its mount helper)",
				what, fsname, ov->node->path,
				what[0] == 'd' ? "what it holds" : "it (the first write copies it up)");
	else
		pst_finding_add(t->scan, x->node, "fs.world-writable", PST_SEV_LOW, "access", 0, ev,
				"world-writable %s on %s, which is read-only at run time: the bit grants nothing unless the %s is copied somewhere writable with its mode (build hygiene)",
				what, fsname, what);
}

static enum pst_err finish(const void *st, const struct pst_tree *t)
{
	size_t i, j;
	(void)st;
	for (i = 0; i < t->nfacts; i++) {
		const struct pst_fact *x = &t->facts[i];
		if (strcmp(x->key, "fs.ww-ro") == 0)
			judge_readonly(t, x);
		if (strcmp(x->key, "fs.setuid") != 0)
			continue;
		for (j = 0; j < t->nfacts; j++) {
			const struct pst_fact *y = &t->facts[j];
			if (strcmp(y->key, "fs.shell") != 0 || strcmp(y->value, x->value) != 0 ||
			    !acc_same_container(y->node, x->node))
				continue;
			pst_finding_add(t->scan, x->node, "fs.setuid-shell", PST_SEV_CRITICAL, "access", 0,
					y->node->path,
					"setuid/setgid copy of the shell %s: anyone who runs it gets a shell with its owner's rights",
					y->node->path);
			break;
		}
	}
	return PST_OK;
}

const struct pst_analyzer pst_analyzer_fsperm = {
	.shared = &acc_lists_shared,
	.name = "fsperm",
	.wants = wants,
	.analyze = analyze,
	.finish = finish,
};
