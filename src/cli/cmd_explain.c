/*
 * cmd_explain.c - postern explain RULE (also `postern scan --explain RULE`):
 * prints a rule's entry of the findings catalog compiled into the tool (why
 * it matters, how to fix it, references), the text the HTML and SARIF
 * reports draw on, so a finding can be understood at the terminal. An
 * unknown id exits 64 with the closest documented ids.
 */
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include "cli.h"

enum { NEAR = 3 };

struct nearest {
	const char *rule;
	char id[NEAR][128];
	size_t score[NEAR];
	size_t n;
};

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

/* Levenshtein distance, with ids longer than the row clipped (rule ids are
 * short; a clipped one only ranks lower). */
static size_t distance(const char *a, const char *b)
{
	size_t row[128], i, j, la = strlen(a), lb = strlen(b), diag, up;
	if (lb >= sizeof(row) / sizeof(row[0]))
		lb = sizeof(row) / sizeof(row[0]) - 1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = min3(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1]));
			diag = up;
		}
	}
	return row[lb];
}

/* Keeps the NEAR closest ids, best first; an id that contains what was
 * typed ("empty-password" in "account.empty-password") counts as closest. */
static void consider(const char *id, void *ctx)
{
	struct nearest *nr = ctx;
	size_t score = strstr(id, nr->rule) ? 0 : distance(nr->rule, id) + 1, i, k;
	for (i = 0; i < nr->n && nr->score[i] <= score; i++)
		;
	if (i >= NEAR)
		return;
	for (k = nr->n < NEAR ? nr->n : NEAR - 1; k > i; k--) {
		memcpy(nr->id[k], nr->id[k - 1], sizeof(nr->id[k]));
		nr->score[k] = nr->score[k - 1];
	}
	snprintf(nr->id[i], sizeof(nr->id[i]), "%s", id);
	nr->score[i] = score;
	if (nr->n < NEAR)
		nr->n++;
}

static void print_id(const char *id, void *ctx)
{
	(void)ctx;
	puts(id);
}

int pst_cli_explain(const char *rule)
{
	struct nearest nr = { .rule = rule };
	const char *source = NULL;
	char *text = pst_rule_explain(rule, &source);
	size_t i;

	if (text) {
		printf("%s  (%s)\n\n%s\n", rule, source, text + strspn(text, "\n"));
		free(text);
		return 0;
	}
	pst_rule_foreach(consider, &nr);
	fprintf(stderr, "postern: no rule '%s' in the findings catalog", rule);
	for (i = 0; i < nr.n; i++)
		fprintf(stderr, "%s%s", i ? ", " : "; closest: ", nr.id[i]);
	fputs("\n(postern explain --list shows every documented rule)\n", stderr);
	return EX_USAGE;
}

int pst_cmd_explain(int argc, char **argv)
{
	struct pst_cli_parser p;
	const char *name;
	bool list = false;
	int c;

	pst_cli_parser_init(&p, pst_cli_cmd_find("explain"));
	while ((c = pst_cli_parser_next(&p, argc, argv, &name)) != -1) {
		switch (c) {
		case 'h': pst_cli_help(stdout, p.cmd); return 0;
		case PST_OPT_LIST: list = true; break;
		default: return EX_USAGE;
		}
	}
	if (list && optind == argc) {
		pst_rule_foreach(print_id, NULL);
		return 0;
	}
	if (list || optind != argc - 1) {
		fputs("postern: explain takes one RULE (try 'postern explain --help')\n", stderr);
		return EX_USAGE;
	}
	return pst_cli_explain(argv[optind]);
}
