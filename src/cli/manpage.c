/*
 * manpage.c - postern's man pages, written from the command table
 * (cmdtable.c) in man(7) macros: postern(1), postern-CMD(1) for each
 * command, postern-policy(5). `postern __manpage PAGE` prints one; the build
 * writes them all (CMakeLists.txt), so the pages say what --help says.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include "cli.h"
#include "pst_commit.h" /* PST_BUILD_DATE: the commit's date, so pages are reproducible */

/* Text for roff: backslashes and minus signs escaped, no line starting with
 * a control character. */
static void roff(FILE *f, const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++) {
		if (s[i] == '\\')
			fputs("\\e", f);
		else if (s[i] == '-')
			fputs("\\-", f);
		else if ((s[i] == '.' || s[i] == '\'') && (i == 0 || s[i - 1] == '\n'))
			fprintf(f, "\\&%c", s[i]);
		else
			fputc(s[i], f);
	}
}

static void roffs(FILE *f, const char *s)
{
	roff(f, s, strlen(s));
}

/* pre (a font escape, with what precedes it), s as text, back to roman. */
static void font(FILE *f, const char *pre, const char *s)
{
	fputs(pre, f);
	roffs(f, s);
	fputs("\\fR", f);
}

/* One paragraph of the table's markup (see cmdtable.c); *fresh: right
 * after a heading, where a paragraph macro would be redundant. */
static void paragraph(FILE *f, const char *p, size_t len, bool *fresh)
{
	if (len >= 3 && strncmp(p, "## ", 3) == 0) {
		const char *nl = memchr(p, '\n', len);
		size_t hl = nl ? (size_t)(nl - p) : len;
		fputs(".SS \"", f);
		roff(f, p + 3, hl - 3);
		fputs("\"\n", f);
		*fresh = true;
		if (nl)
			paragraph(f, nl + 1, len - hl - 1, fresh);
		return;
	}
	if (!*fresh)
		fputs(".PP\n", f);
	*fresh = false;
	if (len >= 2 && p[0] == ' ' && p[1] == ' ') {
		fputs(".RS 4\n.nf\n", f);
		roff(f, p, len);
		fputs("\n.fi\n.RE\n", f);
		return;
	}
	roff(f, p, len);
	fputc('\n', f);
}

/* Paragraphs right after a section heading. */
static void paragraphs(FILE *f, const char *text)
{
	const char *end;
	bool fresh = true;
	while (*text) {
		end = strstr(text, "\n\n");
		paragraph(f, text, end ? (size_t)(end - text) : strlen(text), &fresh);
		text = end ? end + 2 : text + strlen(text);
	}
}

static void title(FILE *f, const char *name, int section)
{
	fputs(".TH \"", f);
	for (; *name; name++)
		fputc(*name == '-' ? '-' : (*name >= 'a' && *name <= 'z') ? *name - 'a' + 'A' : *name, f);
	fprintf(f, "\" \"%d\" \"" PST_BUILD_DATE "\" \"postern " PST_VERSION "\" \"%s\"\n", section,
		section == 5   ? "File Formats"
		: section == 8 ? "System Manager's Manual"
			       : "User Commands");
}

static void option_item(FILE *f, const struct pst_cli_opt *o)
{
	char vals[256];

	if (o->group) {
		fputs(".SS \"", f);
		roffs(f, o->group);
		fputs("\"\n", f);
	}
	fputs(".TP\n", f);
	if (o->key < 128)
		fprintf(f, "\\fB\\-%c\\fR, ", o->key);
	font(f, "\\fB\\-\\-", o->name);
	if (o->arg)
		font(f, " \\fI", o->arg);
	fputc('\n', f);
	roffs(f, o->help);
	fputc('\n', f);
	if (o->values) {
		pst_cli_values_phrase(o, vals, sizeof(vals));
		font(f, ".br\n\\fI", o->arg);
		fputs(": ", f);
		roffs(f, vals);
		fputs(".\n", f);
	}
}

static void see_also(FILE *f, const struct pst_cli_cmd *self)
{
	const struct pst_cli_cmd *c;
	bool first = true;

	fputs(".SH \"SEE ALSO\"\n", f);
	if (self) {
		fputs(".BR postern (1)", f);
		first = false;
	}
	for (c = pst_cli_cmds; c->name; c++) {
		if (c == self)
			continue;
		fprintf(f, "%s\n.BR postern\\-", first ? "" : ",");
		roffs(f, pst_cli_is_command(c) ? c->name : c->name + 8);
		fprintf(f, " (%d)", c->section);
		first = false;
	}
	fputs("\n", f);
}

static void command_page(FILE *f, const struct pst_cli_cmd *c)
{
	const struct pst_cli_opt *o;
	static const struct pst_cli_opt help = {
		"help", 'h', NULL, NULL, PST_COMPLETE_NONE, "print the command's help and exit", NULL
	};

	fputs(".SH NAME\npostern\\-", f);
	roffs(f, c->name);
	fputs(" \\-\n", f);
	roffs(f, c->summary);
	fprintf(f, "\n.SH SYNOPSIS\n.B postern %s\n%s", c->name, c->opts ? "[\\fIoptions\\fR]" : "");
	if (c->operands)
		font(f, " \\fI", c->operands);
	fputs("\n.SH DESCRIPTION\n", f);
	paragraphs(f, c->description);
	fputs(".SH OPTIONS\n", f);
	for (o = c->opts; o && o->name; o++)
		option_item(f, o);
	option_item(f, &help);
	fputs(".SH \"EXIT STATUS\"\n", f);
	paragraphs(f, c->exit_status);
}

static void main_page(FILE *f)
{
	const struct pst_cli_cmd *c;

	fputs(".SH NAME\npostern \\- vet IT products for back doors\n"
	      ".SH SYNOPSIS\n.B postern\n\\fICOMMAND\\fR [\\fIoptions\\fR] [\\fIoperands\\fR]\n"
	      ".SH DESCRIPTION\n"
	      "postern opens a product (a firmware image, package, installer, archive or\n"
	      "directory) all the way down, in memory, examines every file for hidden\n"
	      "access paths and spying capabilities, applies a policy and gives a verdict:\n"
	      "pass, review or fail, with evidence a person can check in minutes.\n"
	      ".SH COMMANDS\n",
	      f);
	for (c = pst_cli_cmds; c->name; c++) {
		if (!pst_cli_is_command(c))
			continue;
		fprintf(f, ".TP\n.B %s\n", c->name);
		roffs(f, c->summary);
		fprintf(f, "; see\n.BR postern\\-%s (%d).\n", c->name, c->section);
	}
	fputs(".SH \"EXIT STATUS\"\n0 pass or review; 1 fail; 64 usage; 65 bad data; 66 no input;\n"
	      "70 internal error; 74 I/O error. postern verify has statuses of its own.\n"
	      ".SH FILES\n.TP\n.I /usr/share/postern/rules\nthe bundled rule pack (YARA rules, hash "
	      "lists, capability rules).\n"
	      ".TP\n.I /usr/share/postern/policies\nthe built-in policies, as files to start "
	      "one's own from.\n",
	      f);
}

void pst_cli_manpage(FILE *f, const struct pst_cli_cmd *cmd)
{
	if (!cmd) {
		title(f, "postern", 1);
		main_page(f);
	} else if (pst_cli_is_command(cmd)) {
		char name[64];
		snprintf(name, sizeof(name), "postern-%s", cmd->name);
		title(f, name, cmd->section);
		command_page(f, cmd);
	} else {
		title(f, cmd->name, cmd->section);
		fputs(".SH NAME\n", f);
		roffs(f, cmd->name);
		fputs(" \\- ", f);
		roffs(f, cmd->summary);
		fputs("\n.SH DESCRIPTION\n", f);
		paragraphs(f, cmd->description);
	}
	see_also(f, cmd);
}

/* Writes DIR/manN/FILE.N for cmd (NULL: postern(1)). */
static int write_page(const char *dir, const struct pst_cli_cmd *cmd)
{
	char path[4096];
	int sec = cmd ? cmd->section : 1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/man%d", dir, sec);
	if ((mkdir(dir, 0755) != 0 && errno != EEXIST) || (mkdir(path, 0755) != 0 && errno != EEXIST))
		goto fail;
	snprintf(path, sizeof(path), "%s/man%d/%s%s.%d", dir, sec, cmd && sec != 5 ? "postern-" : "",
		 cmd ? cmd->name : "postern", sec);
	f = fopen(path, "w");
	if (!f)
		goto fail;
	pst_cli_manpage(f, cmd);
	if (fclose(f) != 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "postern: %s: %s\n", path, strerror(errno));
	return EX_CANTCREAT;
}

/* Writes postern(1) and every table entry's page under DIR. */
static int write_all(const char *dir)
{
	const struct pst_cli_cmd *c;
	int rc = write_page(dir, NULL);

	for (c = pst_cli_cmds; c->name && rc == 0; c++)
		rc = write_page(dir, c);
	return rc;
}

/* postern __manpage PAGE: PAGE is postern, a command (scan, postern-scan) or
 * postern-policy; postern __manpage --all DIR writes them all. Hidden: the
 * build calls it. */
int pst_cmd_manpage(int argc, char **argv)
{
	const struct pst_cli_cmd *c = NULL;

	if (argc == 3 && strcmp(argv[1], "--all") == 0)
		return write_all(argv[2]);
	if (argc != 2) {
		fputs("usage: postern __manpage PAGE | --all DIR\n", stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "postern") != 0) {
		c = pst_cli_cmd_find(argv[1]);
		if (!c) {
			fprintf(stderr, "postern: no man page '%s'\n", argv[1]);
			return EX_USAGE;
		}
	}
	pst_cli_manpage(stdout, c);
	return 0;
}
