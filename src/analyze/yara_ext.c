/*
 * yara_ext.c - per-file values of the external variables public YARA
 * collections are written for (LOKI, THOR, YARA-Forge):
 *
 *   filename   the file's name: "busybox"
 *   filepath   the directory it is in, inside its innermost container,
 *              without a trailing slash ("/bin"; "/" at the top; "" for
 *              the target itself)
 *   extension  the last extension in lower case, with its dot (".sh");
 *              "" when there is none (leading dots are not one: ".profile")
 *   filetype   postern's kind in the convention's type names (below)
 *   owner      the owning user the container records: "root" for uid 0,
 *              else the uid in decimal; "" when the format keeps no owner
 *
 * Collections test these in conditions (`filename == "svchost.exe"`,
 * `extension == ".jsp"`); defining them lets such rules compile and mean
 * what their authors meant instead of being skipped.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "internal.h"
#include "yara_ext.h"

const char *const pst_yara_ext_names[PST_YARA_EXT_N] = {
	"filename", "filepath", "extension", "filetype", "owner",
};

static void copy_upper(char *out, size_t outlen, const char *s)
{
	size_t i;
	for (i = 0; s[i] && i + 1 < outlen; i++)
		out[i] = (char)toupper((unsigned char)s[i]);
	out[i] = 0;
}

/* The convention names executables by their magic (EXE for MZ, ELF), other
 * files by format; postern's kind gives the rest. */
void pst_yara_ext_filetype(const struct pst_node *n, const uint8_t *head, size_t len,
			   char *out, size_t outlen)
{
	const char *name = NULL;

	if (len >= 2 && head[0] == 'M' && head[1] == 'Z')
		name = "EXE";
	else if (n->kind == PST_KIND_ELF)
		name = "ELF";
	else if (n->kind == PST_KIND_ARCHIVE || n->kind == PST_KIND_COMPRESSED ||
		 n->kind == PST_KIND_FILESYSTEM || n->kind == PST_KIND_FIRMWARE)
		name = n->format;
	if (!name) {
		static const char *const by_kind[PST_KIND_COUNT_] = {
			"UNKNOWN", "DIRECTORY", "SYMLINK", "SPECIAL", "EMPTY", "ELF", "SCRIPT",
			"TEXT", "KEY", "ARCHIVE", "COMPRESSED", "FILESYSTEM", "FIRMWARE",
			"DATA", "DATA",
		};
		name = (unsigned)n->kind < PST_KIND_COUNT_ ? by_kind[n->kind] : "UNKNOWN";
	}
	copy_upper(out, outlen, name);
}

static void put(char *out, const char *s, size_t len)
{
	if (len > 255)
		len = 255;
	memcpy(out, s, len);
	out[len] = 0;
}

void pst_yara_ext_of(const struct pst_node *n, const uint8_t *head, size_t len,
		     struct pst_yara_ext *x)
{
	/* the target itself has no container: its name only, filepath "" */
	const char *path = n->depth == 0 || !n->path ? (n->seg ? n->seg : "") : n->path;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.'), *lead;
	size_t i;

	memset(x, 0, sizeof(*x));
	put(x->v[0], base, strlen(base));
	if (slash)
		put(x->v[1], path, slash == path ? 1 : (size_t)(slash - path));
	/* as Python's os.path.splitext, which LOKI uses: leading dots do not
	 * start an extension (".profile" has none) */
	lead = base;
	while (*lead == '.')
		lead++;
	if (dot && dot > lead) {
		put(x->v[2], dot, strlen(dot));
		for (i = 0; x->v[2][i]; i++)
			x->v[2][i] = (char)tolower((unsigned char)x->v[2][i]);
	}
	pst_yara_ext_filetype(n, head, len, x->v[3], sizeof(x->v[3]));
	if (n->mode & S_IFMT) {
		if (n->uid == 0)
			snprintf(x->v[4], sizeof(x->v[4]), "root");
		else
			snprintf(x->v[4], sizeof(x->v[4]), "%u", (unsigned)n->uid);
	}
}
