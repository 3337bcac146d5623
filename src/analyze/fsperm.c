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
 */
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
	if ((n->mode & S_IWOTH) && (type == S_IFREG || type == S_IFDIR) && system_dir(p) &&
	    !(type == S_IFDIR && (n->mode & S_ISVTX))) {
		bool hot = exe || acc_under(p, "/bin") || acc_under(p, "/sbin") ||
			   acc_under(p, "/usr/bin") || acc_under(p, "/usr/sbin") ||
			   acc_prefix(p, "/etc/init.d") || acc_prefix(p, "/etc/rc") ||
			   acc_prefix(p, "/etc/cron") || strcmp(p, "/etc/passwd") == 0 ||
			   strcmp(p, "/etc/shadow") == 0 || strcmp(p, "/etc/inittab") == 0 ||
			   acc_prefix(p, "/etc/systemd") || acc_prefix(p, "/etc/profile");
		char ev[64];
		snprintf(ev, sizeof(ev), "mode %04o", n->mode & 07777);
		pst_finding_add(f->scan, n, "fs.world-writable", hot ? PST_SEV_HIGH : PST_SEV_MEDIUM,
				"access", 0, ev,
				"world-writable %s in a system location: any local user can change %s",
				type == S_IFDIR ? "directory" : "file",
				type == S_IFDIR ? "what it holds" : "it");
	}
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

static enum pst_err finish(const void *st, const struct pst_tree *t)
{
	size_t i, j;
	(void)st;
	for (i = 0; i < t->nfacts; i++) {
		const struct pst_fact *x = &t->facts[i];
		size_t cl;
		if (strcmp(x->key, "fs.setuid") != 0)
			continue;
		cl = acc_container_len(x->node);
		for (j = 0; j < t->nfacts; j++) {
			const struct pst_fact *y = &t->facts[j];
			if (strcmp(y->key, "fs.shell") != 0 || strcmp(y->value, x->value) != 0 ||
			    acc_container_len(y->node) != cl ||
			    strncmp(y->node->location, x->node->location, cl) != 0)
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
	.init = acc_lists_init,
	.fini = acc_lists_fini,
	.name = "fsperm",
	.wants = wants,
	.analyze = analyze,
	.finish = finish,
};
