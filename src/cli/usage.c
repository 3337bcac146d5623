/*
 * usage.c - turns the command table (cmdtable.c) into what a user meets at
 * the terminal: each command's getopt parser and its --help text, and
 * postern's own usage. The man pages (manpage.c) and the completion scripts
 * (completion.c) read the same table.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define HELP_COL 26   /* where an option's description starts */
#define HELP_WIDTH 79 /* the last column help writes to */

static const struct pst_cli_opt help_opt = {
	"help", 'h', NULL, NULL, PST_COMPLETE_NONE, "print this help and exit", NULL
};

void pst_cli_parser_init(struct pst_cli_parser *p, const struct pst_cli_cmd *cmd)
{
	const struct pst_cli_opt *o;
	size_t n = 0, ns = 0;

	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	p->index = -1;
	for (o = cmd->opts; o && o->name && n + 2 < sizeof(p->longs) / sizeof(p->longs[0]); o++) {
		p->longs[n++] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL,
						 o->key };
		if (o->key < 128 && ns + 3 < sizeof(p->shorts)) {
			p->shorts[ns++] = (char)o->key;
			if (o->arg)
				p->shorts[ns++] = ':';
		}
	}
	p->longs[n] = (struct option){ "help", no_argument, NULL, 'h' };
	p->shorts[ns] = 'h';
	optind = 1;
}

int pst_cli_parser_next(struct pst_cli_parser *p, int argc, char **argv, const char **name)
{
	int c;

	p->index = -1;
	c = getopt_long(argc, argv, p->shorts, p->longs, &p->index);
	*name = "";
	if (p->index >= 0) {
		*name = p->longs[p->index].name;
	} else if (c > 0) {
		const struct option *l;
		for (l = p->longs; l->name; l++)
			if (l->val == c)
				*name = l->name;
	}
	return c;
}

/* "  -f, --format FMT" into buf; returns its length. */
static size_t opt_head(const struct pst_cli_opt *o, char *buf, size_t len)
{
	int n;
	if (o->key < 128)
		n = snprintf(buf, len, "  -%c, --%s%s%s", o->key, o->name, o->arg ? " " : "",
			     o->arg ? o->arg : "");
	else
		n = snprintf(buf, len, "      --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	return n < 0 ? 0 : (size_t)n;
}

/* The allowed values as a phrase, "text, json or html" (+ ", or a file"). */
void pst_cli_values_phrase(const struct pst_cli_opt *o, char *buf, size_t len)
{
	const char *v = o->values, *sp;
	size_t at = 0, k, total = 0;
	int n;

	buf[0] = 0;
	for (sp = v; sp && *sp; sp++)
		total += *sp == ' ';
	for (k = 0; v && *v && at < len; k++) {
		sp = strchr(v, ' ');
		n = snprintf(buf + at, len - at, "%s%.*s", k == 0 ? "" : (k == total && !o->complete) ? " or " : ", ",
			     (int)(sp ? (size_t)(sp - v) : strlen(v)), v);
		at += n > 0 ? (size_t)n : 0;
		v = sp ? sp + 1 : NULL;
	}
	if (o->values && o->complete == PST_COMPLETE_FILE && at < len)
		snprintf(buf + at, len - at, " or a file");
}

/* Writes text (newlines count as spaces) filled to HELP_WIDTH, its first
 * line starting at column col, the others at column indent. */
static void wrap(FILE *f, const char *text, size_t col, size_t indent)
{
	const char *w = text;
	size_t wl;

	while (*w) {
		w += strspn(w, " \n");
		wl = strcspn(w, " \n");
		if (!wl)
			break;
		if (col > indent && col + 1 + wl > HELP_WIDTH) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)wl, w);
		col += wl;
		w += wl;
	}
	fputc('\n', f);
}

static void help_opt_line(FILE *f, const struct pst_cli_opt *o)
{
	char head[128], vals[256], line[300];
	size_t hl = opt_head(o, head, sizeof(head));

	if (o->group)
		fprintf(f, "\n%s:\n", o->group);
	fputs(head, f);
	if (hl + 1 > HELP_COL)
		fprintf(f, "\n%*s", HELP_COL, "");
	else
		fprintf(f, "%*s", (int)(HELP_COL - hl), "");
	wrap(f, o->help, HELP_COL, HELP_COL);
	if (o->values) {
		pst_cli_values_phrase(o, vals, sizeof(vals));
		snprintf(line, sizeof(line), "%s: %s", o->arg, vals);
		fprintf(f, "%*s", HELP_COL, "");
		wrap(f, line, HELP_COL, HELP_COL);
	}
}

/* Text paragraphs with the table's markup, for the terminal: headings lose
 * their "## ". */
static void help_text(FILE *f, const char *text)
{
	const char *t = text;
	if (strncmp(t, "## ", 3) == 0)
		t += 3;
	for (; *t; t++) {
		fputc(*t, f);
		if (t[0] == '\n' && t[1] == '\n' && strncmp(t + 2, "## ", 3) == 0) {
			fputc('\n', f);
			t += 4;
		}
	}
	fputc('\n', f);
}

void pst_cli_help(FILE *f, const struct pst_cli_cmd *cmd)
{
	const struct pst_cli_opt *o;

	if (!pst_cli_is_command(cmd)) {
		help_text(f, cmd->description);
		return;
	}
	fprintf(f, "usage: postern %s%s%s%s\n\n", cmd->name, cmd->opts ? " [options]" : "",
		cmd->operands ? " " : "", cmd->operands ? cmd->operands : "");
	help_text(f, cmd->description);
	if (!cmd->opts || !cmd->opts[0].group)
		fprintf(f, "\n%s options:\n", cmd->name);
	for (o = cmd->opts; o && o->name; o++)
		help_opt_line(f, o);
	help_opt_line(f, &help_opt);
	fputs("\nexit status:", f);
	wrap(f, cmd->exit_status, 12, 0);
	fprintf(f, "(man postern-%s)\n", cmd->name);
}

void pst_cli_usage(FILE *f)
{
	const struct pst_cli_cmd *c;
	char head[64];
	int n;

	fputs("usage: postern COMMAND [options] [operands]   (postern COMMAND --help)\n\n", f);
	for (c = pst_cli_cmds; c->name; c++) {
		if (!pst_cli_is_command(c))
			continue;
		n = snprintf(head, sizeof(head), "  postern %s%s%s", c->name, c->operands ? " " : "",
			     c->operands ? c->operands : "");
		fprintf(f, "%-*s", HELP_COL, head);
		wrap(f, c->summary, n > HELP_COL ? (size_t)n : HELP_COL, HELP_COL);
	}
	fputs("\nOpens a product (a firmware image, package, archive or directory) all the way\n"
	      "down, in memory, examines every file and gives a verdict: pass, review or fail.\n"
	      "\n"
	      "exit status: 0 pass or review, 1 fail, 64 usage, 65 bad data, 66 no input,\n"
	      "70 internal error, 74 I/O error; verify: 2 bad signature, 3 artifact mismatch,\n"
	      "4 verdict not accepted (man postern)\n",
	      f);
}
