/*
 * services.c - what a system starts at boot or login, read without running
 * anything: busybox/sysvinit inittab, rc*.d and init.d scripts, rc.local,
 * OpenWrt procd init scripts, systemd units, inetd.conf and xinetd.d,
 * crontabs, /etc/profile and shell rc files, sshd_config and dropbear's
 * defaults.
 *
 * Shell text is split into commands (quotes, ';', '&&', '||', '|', '&');
 * simple variable assignments (NAME=value, export NAME=value, no
 * substitution) are followed within a file; wrappers (exec, nohup, setsid,
 * env, timeout, busybox applets, start-stop-daemon, procd_set_param command,
 * service_start, sh -c '...', shell keywords) are looked through to the
 * program they start. Comments, here-documents, case labels, builtins and
 * the script's own functions start nothing. Each start is checked for
 * shells handed out without authentication, listeners on unusual ports,
 * download-and-execute, and programs run from hidden, temporary or device
 * paths.
 *
 * What a file starts, sources ('.', source) or copies at boot (cp -R, mount
 * --bind) becomes a fact (svc.start, svc.source, svc.copy); a bare name keeps
 * the PATH the script had at that point (BusyBox's default, plus any PATH= it
 * set), so services_link.c can resolve it in the tree the way the shell
 * would. Shell scripts that are not boot files, and files in directories that
 * look like /etc templates (/etc.tmp, /etc_ro, /rom/etc), are read too: their
 * findings are kept as svc.defer facts and reported only when the finish
 * phase finds them run or copied into place at boot.
 *
 * Formats: BusyBox examples/inittab; inittab(5); crontab(5); systemd.exec(5)
 * and systemd.service(5); inetd.conf(5); xinetd.conf(5); sshd_config(5).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "access.h"
#include "services.h"
#include "svcrules.h"


struct cmd {
	char **argv;    /* grows: a command keeps all its words */
	size_t argc, cap;
	bool pipe_next; /* output goes to the next command */
	bool bg;        /* started with '&' */
};

struct ctx {
	const struct svc_rules *r;
	const struct pst_file *f;
	enum svc_reader type;
	const char *where; /* "inittab", "init script", "crontab" ... */
	char *vars[PST_CAP_SVC_VARS];
	char *vals[PST_CAP_SVC_VARS];
	size_t nvars;
	char *dl[PST_CAP_SVC_DOWNLOADS];  /* files this script downloaded */
	size_t ndl;
	unsigned depth;
	uint64_t off;      /* offset of the current line */
	char *ev;          /* evidence: the current line */
	bool defer;        /* not a boot file (yet): findings become svc.defer facts */
	char *funcs[PST_CAP_SVC_FUNCS]; /* shell functions defined so far: not programs */
	size_t nfuncs;
	/* Login and top-level boot files (only_called): a function's body runs
	 * when the file calls it, not where it is defined. Bodies are kept
	 * ("OFFSET\x1fLINE\n" each line) and read at the first call. */
	bool only_called;
	struct pst_str fbody[PST_CAP_SVC_FUNCS];
	bool fran[PST_CAP_SVC_FUNCS];
	size_t fcur;   /* 1 + the function whose body is being kept, or 0 */
	bool fpending; /* "name()" without its "{" yet */
	int fdepth;    /* open braces in that body */
	unsigned cut;  /* SVC_CUT_*: caps that dropped part of the file */
};

/* What a cap dropped from a file, reported once per file (report_cuts). */
enum {
	SVC_CUT_TOKEN = 2u,     /* bytes of a word past PST_CAP_SVC_TOKEN */
	SVC_CUT_LINE = 4u,      /* bytes of a line past PST_CAP_LINE */
	SVC_CUT_VARS = 8u,      /* variables past PST_CAP_SVC_VARS */
	SVC_CUT_DOWNLOADS = 16u /* downloads past PST_CAP_SVC_DOWNLOADS */
};

/* ---- which files ---- */

bool svc_boot_path(const struct svc_rules *r, const char *path)
{
	enum svc_reader t;
	return path && svc_rules_boot(r, path, &t);
}

/* Where a file in a directory that looks like an /etc template would land
 * if a boot script copied it over /etc ("/etc.tmp/init.d/S99x", "/etc_ro/
 * profile", "/rom/etc/inittab" -> "/etc/..."); true when that is a boot
 * file, its type in *t. Only a guess of the type: services_link.c decides,
 * from the copies boot scripts make, whether the file is one. */
static bool template_boot_path(const struct svc_rules *r, const char *p, enum svc_reader *t)
{
	const char *c = p;
	char buf[1024];
	while ((c = strchr(c, '/')) != NULL) {
		c++;
		if (strncmp(c, "etc", 3) != 0)
			continue;
		if ((c[3] == '/' && c != p + 1) ||
		    (c[3] && c[3] != '/' && !isalnum((unsigned char)c[3]) && strchr(c, '/'))) {
			const char *rest = strchr(c, '/');
			if (!rest || snprintf(buf, sizeof(buf), "/etc%s", rest) >= (int)sizeof(buf))
				return false;
			return svc_rules_boot(r, buf, t);
		}
	}
	return false;
}

/* Copies the next blank-separated word of *d into buf and moves past it;
 * false when there is none or it does not fit. */
static bool next_word(const char **d, char *buf, size_t cap)
{
	size_t len;
	*d += strspn(*d, " \t");
	len = strcspn(*d, " \t");
	if (len == 0 || len >= cap)
		return false;
	memcpy(buf, *d, len);
	buf[len] = 0;
	*d += len;
	return true;
}

/* A script a boot file might source or run: "#!/bin/sh", "#!/usr/bin/env
 * bash", or a text file named *.sh. */
static bool shell_script(const struct pst_node *n)
{
	const char *d = n->kind_detail;
	char first[256];
	if (n->kind == PST_KIND_TEXT)
		return acc_suffix(n->path, ".sh");
	if (n->kind != PST_KIND_SCRIPT || !d || !next_word(&d, first, sizeof(first)))
		return false;
	if (strcmp(acc_base(first), "env") == 0 && !next_word(&d, first, sizeof(first)))
		return false;
	return acc_is_shell(first) && strcmp(acc_base(first), "busybox") != 0;
}

static bool wants(const void *st, const struct pst_node *n)
{
	enum svc_reader t;
	if ((n->kind != PST_KIND_TEXT && n->kind != PST_KIND_SCRIPT) || !n->path ||
	    n->size > (2u << 20))
		return false;
	return svc_rules_boot(st, n->path, &t) || template_boot_path(st, n->path, &t) ||
	       shell_script(n);
}

/* ---- findings ---- */

static void report(struct ctx *c, const char *rule, enum pst_severity sev, const char *fmt, ...)
	PST_PRINTF(4, 5);

static void report(struct ctx *c, const char *rule, enum pst_severity sev, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->defer)
		svc_defer_add(c->f->scan, c->f->node, rule, sev, c->off, c->ev, msg, c->where);
	else
		pst_finding_add(c->f->scan, c->f->node, rule, sev, "access", c->off, c->ev,
				"%s (%s)", msg, c->where);
}

/* OpenWrt's failsafe mode: a /lib/preinit file whose every hook is
 * registered for failsafe (`boot_hook_add failsafe failsafe_netlogin`) runs
 * only when someone at the device presses a button or key during boot. */
static bool failsafe_only(const struct ctx *c)
{
	const char *p = (const char *)c->f->data.p, *end = p + c->f->data.len, *h;
	static const char key[] = "boot_hook_add ";
	bool any = false;
	if (!c->f->node->path || !acc_prefix(c->f->node->path, "/lib/preinit/"))
		return false;
	while (p < end && (h = memmem(p, (size_t)(end - p), key, sizeof(key) - 1)) != NULL) {
		h += sizeof(key) - 1;
		if ((size_t)(end - h) < 9 || memcmp(h, "failsafe ", 9) != 0)
			return false;
		any = true;
		p = h;
	}
	return any;
}

static bool line_has(const struct acc_line *ln, const char *s)
{
	return memmem(ln->p, ln->len, s, strlen(s)) != NULL;
}

/* A script that starts telnetd only while root has no password (OpenWrt's
 * /etc/init.d/telnet: has_root_pwd on /etc/passwd and /etc/shadow; setting
 * a password turns telnet off and SSH on). The test must be used as a
 * condition (a line that runs it on /etc/shadow with if, ||, && or !), not
 * just defined: a script that keeps has_root_pwd() but starts telnetd
 * anyway is no gate. */
static bool root_pwd_gate(const struct ctx *c)
{
	struct acc_line ln;
	uint64_t pos = 0;
	while (acc_next_line(c->f->data, &pos, &ln)) {
		size_t lead = 0;
		while (lead < ln.len && (ln.p[lead] == ' ' || ln.p[lead] == '\t'))
			lead++;
		if (lead < ln.len && ln.p[lead] == '#')
			continue;
		if (line_has(&ln, "/etc/shadow") &&
		    (line_has(&ln, "has_root_pwd ") || line_has(&ln, "^root:")) &&
		    (line_has(&ln, "if ") || line_has(&ln, "||") || line_has(&ln, "&&") ||
		     line_has(&ln, "! ")))
			return true;
	}
	return false;
}

/* telnetd with a login program: clear-text logins (medium); in failsafe
 * mode only (low: physical access); only while root has no password (low:
 * no password ever crosses it, and that first-boot state is judged once,
 * on root's account: account.empty-password; docs/first-boot.md). */
static void telnet_login(struct ctx *c)
{
	if (failsafe_only(c))
		report(c, "service.telnet", PST_SEV_LOW,
		       "telnet server started in failsafe mode only, which a person at the "
		       "device enters with a button or key press during boot (physical access)");
	else if (root_pwd_gate(c))
		report(c, "service.telnet", PST_SEV_LOW,
		       "telnet server started only while root has no password (first-boot "
		       "configuration; setting one turns it off): the open window is root's "
		       "account, judged there");
	else
		report(c, "service.telnet", PST_SEV_MEDIUM,
		       "telnet server started: remote login in clear text");
}

/* Copies s into buf, the field separator (from the file's own text) made
 * '?' so it cannot shift the fields of a fact. */
static const char *field(const char *s, char *buf, size_t cap)
{
	char *p;
	snprintf(buf, cap, "%s", s ? s : "");
	for (p = strchr(buf, ACC_FS); p; p = strchr(p, ACC_FS))
		*p = '?';
	return buf;
}

void svc_defer_add(struct pst_scan *s, const struct pst_node *n, const char *rule,
		   enum pst_severity sev, uint64_t off, const char *evidence, const char *msg,
		   const char *where)
{
	char v[PST_CAP_LINE], ev[256], m[1024];
	snprintf(v, sizeof(v), "%d%c%s%c%llu%c%s%c%s (%s)", (int)sev, ACC_FS, rule, ACC_FS,
		 (unsigned long long)off, ACC_FS, field(evidence, ev, sizeof(ev)), ACC_FS,
		 field(msg, m, sizeof(m)), where);
	pst_fact_add(s, n, "svc.defer", v);
}

/* ---- variables ---- */

static const char *var_get(const struct ctx *c, const char *name, size_t n)
{
	size_t i;
	for (i = c->nvars; i-- > 0;)
		if (strlen(c->vars[i]) == n && memcmp(c->vars[i], name, n) == 0)
			return c->vals[i];
	return NULL;
}

/* Sets (or resets) a variable; values still holding a substitution are not
 * followed (the old value, if any, stays). */
static void var_set(struct ctx *c, const char *name, size_t n, const char *val)
{
	char *k, *v;
	size_t i;
	if (strchr(val, '$') || strchr(val, '`'))
		return;
	v = pst_strdup(val);
	if (!v)
		return;
	for (i = 0; i < c->nvars; i++) {
		if (strlen(c->vars[i]) == n && memcmp(c->vars[i], name, n) == 0) {
			free(c->vals[i]);
			c->vals[i] = v;
			return;
		}
	}
	if (c->nvars >= PST_CAP_SVC_VARS)
		c->cut |= SVC_CUT_VARS;
	k = c->nvars < PST_CAP_SVC_VARS ? pst_strndup(name, n) : NULL;
	if (!k) {
		free(v);
		return;
	}
	c->vars[c->nvars] = k;
	c->vals[c->nvars++] = v;
}

/* NAME=value (a shell name, then '='); *eq gets the '='. */
static bool is_assignment(const char *a, const char **eq)
{
	const char *e = strchr(a, '=');
	if (!e || e == a || isdigit((unsigned char)a[0]) ||
	    strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
		    (size_t)(e - a))
		return false;
	*eq = e;
	return true;
}

/* ---- tokenizer ---- */

struct tok {
	char buf[PST_CAP_SVC_TOKEN];
	size_t len;
	bool cut; /* a byte did not fit */
};

static void tok_put(struct tok *t, char ch)
{
	if (t->len + 1 < sizeof(t->buf))
		t->buf[t->len++] = ch;
	else
		t->cut = true;
}

/* Expands $NAME / ${NAME} at s into t; returns characters consumed. */
static size_t expand(const struct ctx *c, const char *s, size_t n, struct tok *t)
{
	size_t i = 1, st;
	bool brace = false;
	const char *v;
	if (i < n && s[i] == '{') {
		brace = true;
		i++;
	}
	st = i;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
		i++;
	if (i == st || (brace && (i >= n || s[i] != '}'))) {
		tok_put(t, '$');
		return 1;
	}
	v = var_get(c, s + st, i - st);
	if (brace)
		i++;
	if (!v) {
		size_t k;
		for (k = 0; k < i; k++)
			tok_put(t, s[k]);
		return i;
	}
	while (*v)
		tok_put(t, *v++);
	return i;
}

static void free_cmd(struct cmd *k)
{
	size_t j;
	for (j = 0; j < k->argc; j++)
		free(k->argv[j]);
	free(k->argv);
	memset(k, 0, sizeof(*k));
}

/* Appends a copy of word to k's words (a failed allocation is noted: the
 * scan ends, pst_oom_seen). */
static void cmd_push(struct cmd *k, const char *word)
{
	char *w;
	if (k->argc == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 8;
		char **v = pst_realloc(k->argv, cap * sizeof(*v));
		if (!v)
			return;
		k->argv = v;
		k->cap = cap;
	}
	w = pst_strdup(word);
	if (w)
		k->argv[k->argc++] = w;
}

/* Drops the words of a case label ending at command nc, with the
 * alternatives before it ("a|b|c)" splits like a pipeline); returns the new
 * command count. */
static size_t drop_label(struct cmd *cmds, size_t nc)
{
	if (nc >= PST_CAP_SVC_CMDS)
		return nc;
	free_cmd(&cmds[nc]);
	while (nc > 0 && cmds[nc - 1].pipe_next) {
		nc--;
		free_cmd(&cmds[nc]);
	}
	return nc;
}

/* Splits one logical line into commands. Quotes are removed from words;
 * operators end a command. Returns the number of commands; *stop is where
 * it stopped: n, or after the PST_CAP_SVC_CMDS-th command, where the caller
 * goes on with the rest of the line (nothing on it is dropped). */
static size_t split_cmds(struct ctx *c, const char *s, size_t n, struct cmd *cmds, size_t *stop)
{
	size_t i = 0, nc = 0;
	struct tok t;
	bool in_word = false;
	char q = 0;
	unsigned paren = 0; /* '(' open on this line: a subshell or "name()" */

	memset(cmds, 0, sizeof(*cmds));
	t.len = 0;
	t.cut = false;
#define END_WORD()                                                                 \
	do {                                                                       \
		if (in_word && nc < PST_CAP_SVC_CMDS) {                            \
			t.buf[t.len] = 0;                                          \
			cmd_push(&cmds[nc], t.buf);                                \
		}                                                                  \
		in_word = false;                                                   \
		t.len = 0;                                                         \
	} while (0)
	while (i < n && nc < PST_CAP_SVC_CMDS) {
		char ch = s[i];
		if (q) {
			if (ch == q) {
				q = 0;
			} else if (ch == '$' && q == '"') {
				i += expand(c, s + i, n - i, &t);
				continue;
			} else if (ch == '\\' && q == '"' && i + 1 < n) {
				tok_put(&t, s[++i]);
			} else {
				tok_put(&t, ch);
			}
			i++;
			continue;
		}
		if (ch == '\'' || ch == '"') {
			q = ch;
			in_word = true;
		} else if (ch == '\\' && i + 1 < n) {
			tok_put(&t, s[++i]);
			in_word = true;
		} else if (ch == '$' && i + 1 < n && s[i + 1] == '(') {
			/* command substitution: kept verbatim in the word */
			int depth = 0;
			do {
				if (s[i] == '(')
					depth++;
				else if (s[i] == ')')
					depth--;
				tok_put(&t, s[i++]);
			} while (i < n && depth > 0);
			in_word = true;
			continue;
		} else if (ch == '$') {
			i += expand(c, s + i, n - i, &t);
			in_word = true;
			continue;
		} else if (ch == '#' && !in_word) {
			i = n; /* a comment ends the line */
			break;
		} else if (ch == ' ' || ch == '\t') {
			END_WORD();
		} else if (ch == ')' && paren == 0) {
			/* a case label ("start|restart)"): patterns, not commands */
			END_WORD();
			nc = drop_label(cmds, nc);
		} else if (ch == ';' || ch == '&' || ch == '|' || ch == '(' || ch == ')' ||
			   ch == '{' || ch == '}' || ch == '\n') {
			bool pipe = ch == '|' && !(i + 1 < n && s[i + 1] == '|');
			bool bg = ch == '&' && !(i + 1 < n && (s[i + 1] == '&' || s[i + 1] == '>')) &&
				  !(i > 0 && (s[i - 1] == '>' || s[i - 1] == '<'));
			if (ch == '&' && !bg && i + 1 < n && s[i + 1] == '>') {
				/* "&>" redirection */
				tok_put(&t, ch);
				in_word = true;
				i++;
				continue;
			}
			if (ch == '&' && i > 0 && (s[i - 1] == '>' || s[i - 1] == '<')) {
				tok_put(&t, ch);
				in_word = true;
				i++;
				continue;
			}
			END_WORD();
			if (ch == '(')
				paren++;
			else if (ch == ')')
				paren--;
			if (cmds[nc].argc) {
				cmds[nc].pipe_next = pipe;
				cmds[nc].bg = bg;
				nc++;
				if (nc < PST_CAP_SVC_CMDS)
					memset(&cmds[nc], 0, sizeof(cmds[nc]));
			}
			if ((ch == '|' || ch == '&') && i + 1 < n && s[i + 1] == ch)
				i++;
		} else {
			tok_put(&t, ch);
			in_word = true;
		}
		i++;
	}
	*stop = i;
	END_WORD();
#undef END_WORD
	if (t.cut)
		c->cut |= SVC_CUT_TOKEN;
	if (nc < PST_CAP_SVC_CMDS && cmds[nc].argc)
		nc++;
	return nc;
}

static void free_cmds(struct cmd *cmds, size_t nc)
{
	size_t i;
	for (i = 0; i < nc; i++)
		free_cmd(&cmds[i]);
}

/* ---- checks ---- */

static bool is_downloader(const struct ctx *c, const char *b)
{
	return svc_rules_downloader(c->r, b) != NULL;
}

static bool runs_code(const char *b)
{
	return acc_is_shell(b) || acc_is_interpreter(b) || strcmp(b, "eval") == 0 ||
	       strcmp(b, "source") == 0 || strcmp(b, ".") == 0;
}

static bool bad_path(const struct ctx *c, const char *p, const char **why)
{
	const char *comp;
	if (p[0] != '/')
		return false;
	if ((*why = svc_rules_bad_dir(c->r, p)) != NULL)
		return true;
	if (acc_hidden_component(p, &comp)) {
		*why = "a hidden path";
		return true;
	}
	return false;
}

static unsigned long port_of(const char *s)
{
	const char *colon = strrchr(s, ':');
	char *end;
	unsigned long v;
	if (colon)
		s = colon + 1;
	if (!isdigit((unsigned char)s[0]))
		return 0;
	v = strtoul(s, &end, 10);
	return (*end == 0 || *end == ',') && v < 65536 ? v : 0;
}

/* The value of option opt in argv: "-p N", "-pN", or "--opt=N". */
static const char *opt_val(const struct cmd *k, size_t from, const char *opt)
{
	size_t i, n = strlen(opt);
	for (i = from; i < k->argc; i++) {
		const char *a = k->argv[i];
		if (strcmp(a, opt) == 0 && i + 1 < k->argc)
			return k->argv[i + 1];
		if (n == 2 && opt[0] == '-' && opt[1] != '-' && strncmp(a, opt, 2) == 0 && a[2])
			return a + 2;
		if (n > 2 && strncmp(a, opt, n) == 0 && a[n] == '=')
			return a + n + 1;
	}
	return NULL;
}

/* The value of the first of the options names (NULL-terminated) given. */
static const char *opt_first(const struct cmd *k, size_t from, const char *const *names)
{
	const char *v = NULL;
	size_t i;
	for (i = 0; names[i] && !v; i++)
		v = opt_val(k, from, names[i]);
	return v;
}

static bool has_flag(const struct cmd *k, size_t from, char flag)
{
	size_t i;
	for (i = from; i < k->argc; i++) {
		const char *a = k->argv[i];
		if (a[0] == '-' && a[1] != '-' && strchr(a + 1, flag) &&
		    strspn(a + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
			    strlen(a + 1))
			return true;
	}
	return false;
}

/* A port given to prog that is not one of d's standard ports (any port
 * without d). */
static void check_port(struct ctx *c, const char *prog, const char *val,
		       const struct svc_entry *d)
{
	unsigned long p = val ? port_of(val) : 0;
	if (p && !(d && svc_entry_port(d, p)))
		report(c, "service.unusual-port", PST_SEV_MEDIUM,
		       "%s listens on port %lu, not its standard port", prog, p);
}

static void process_text(struct ctx *c, const char *s, size_t n);
static bool func_run(struct ctx *c, const char *name);

/* start-stop-daemon: rewrites k from i on as "PROG args-after--", PROG being
 * --exec/-x (or --startas/-a); returns i, or k->argc when it starts nothing
 * (a stop, or no program named). */
static size_t ssd_start(struct cmd *k, size_t i)
{
	static const char *const exe[] = { "--exec", "-x", "--startas", "-a", NULL };
	const char *x = opt_first(k, i + 1, exe);
	size_t j, dst = i, m;
	char *prog;
	if (has_flag(k, i + 1, 'K') || opt_val(k, i + 1, "--stop") ||
	    (i + 1 < k->argc && strcmp(k->argv[i + 1], "--stop") == 0))
		return k->argc;
	if (!x || !(prog = pst_strdup(x)))
		return k->argc;
	for (j = i + 1; j < k->argc && strcmp(k->argv[j], "--") != 0; j++)
		;
	free(k->argv[dst]);
	k->argv[dst] = prog;
	for (m = i + 1; m < k->argc; m++) {
		if (m > j)
			k->argv[++dst] = k->argv[m];
		else
			free(k->argv[m]);
	}
	k->argc = dst + 1;
	return i;
}

/* Looks through wrappers; returns the index of the started program's argv[0]. */
static size_t real_start(struct ctx *c, struct cmd *k, size_t i)
{
	while (i < k->argc) {
		const char *b = acc_base(k->argv[i]);
		const char *eq;
		if (is_assignment(k->argv[i], &eq)) {
			var_set(c, k->argv[i], (size_t)(eq - k->argv[i]), eq + 1);
			i++;
		} else if (svc_rules_word(c->r, SVC_W_PASS, k->argv[i]) ||
			   svc_rules_word(c->r, SVC_W_PASS_PROGS, b)) {
			i++;
		} else if (svc_rules_word(c->r, SVC_W_STOP, k->argv[i])) {
			return k->argc;
		} else if (svc_rules_word(c->r, SVC_W_OPT_WRAPPERS, b)) {
			/* options, numbers and NAME=value before the program */
			i++;
			while (i < k->argc && (strchr(k->argv[i], '=') || k->argv[i][0] == '-' ||
					       isdigit((unsigned char)k->argv[i][0])))
				i++;
		} else if (strcmp(b, "start-stop-daemon") == 0) {
			return ssd_start(k, i);
		} else if (strcmp(b, "procd_set_param") == 0 && i + 1 < k->argc &&
			   strcmp(k->argv[i + 1], "command") == 0) {
			i += 2;
		} else {
			return i;
		}
	}
	return i;
}

/* Shell builtins and keywords: a bare name among them runs no file. */
static bool builtin(const struct ctx *c, const char *w)
{
	return svc_rules_word(c->r, SVC_W_BUILTINS, w);
}

static bool is_func(const struct ctx *c, const char *w)
{
	size_t i;
	for (i = 0; i < c->nfuncs; i++)
		if (strcmp(c->funcs[i], w) == 0)
			return true;
	return false;
}

/* Records what a command runs (key svc.start) or sources (svc.source): an
 * absolute path as it is; a bare name with the PATH it is looked up in. A
 * word still holding a substitution, a builtin or a function of the script
 * names no file; a relative path depends on a directory we do not follow. */
static void record_start(struct ctx *c, const char *key, const char *prog)
{
	char v[PST_CAP_SVC_TOKEN + PST_CAP_LINE];
	const char *path;
	if (!prog[0] || prog[0] == '-' || strpbrk(prog, "$`(){}<>|;&*?\"' \t\x1f"))
		return;
	if (prog[0] == '/') {
		pst_fact_add(c->f->scan, c->f->node, key, prog);
		return;
	}
	if (strchr(prog, '/') || builtin(c, prog) || is_func(c, prog))
		return;
	path = var_get(c, "PATH", 4);
	snprintf(v, sizeof(v), "%s%c%s", prog, ACC_FS, path ? path : SVC_DEFAULT_PATH);
	pst_fact_add(c->f->scan, c->f->node, key, v);
}

/* A directory copied (cp -R/-r/-a) or bind-mounted over another at boot: its
 * files take the other's paths. "cp -R SRC/(all) DST" and "SRC/." put SRC's
 * content in DST; "cp -R SRC DST" puts it in DST/basename(SRC). */
static void record_copy(struct ctx *c, const struct cmd *k, size_t s)
{
	const char **args = pst_calloc(k->argc ? k->argc : 1, sizeof(*args)), *dst;
	char dbuf[PST_CAP_SVC_TOKEN];
	size_t n = 0, i;
	bool rec = false, mnt = strcmp(acc_base(k->argv[s]), "mount") == 0;
	if (!args)
		return;
	for (i = s + 1; i < k->argc; i++) {
		const char *a = k->argv[i];
		if (a[0] == '-') {
			rec = rec || strcmp(a, "--recursive") == 0 || strcmp(a, "--archive") == 0 ||
			      strcmp(a, "--bind") == 0 || strcmp(a, "--rbind") == 0 ||
			      (a[1] != '-' && strpbrk(a + 1, "rRa") && !mnt) ||
			      (mnt && strcmp(a, "-o") == 0 && i + 1 < k->argc &&
			       strstr(k->argv[i + 1], "bind"));
			if (mnt && (strcmp(a, "-o") == 0 || strcmp(a, "-t") == 0))
				i++;
			continue;
		}
		args[n++] = a;
	}
	if (!rec || n < 2 || strlen(args[n - 1]) >= sizeof(dbuf))
		goto out;
	/* "/etc/" is "/etc" */
	memcpy(dbuf, args[n - 1], strlen(args[n - 1]) + 1);
	while (strlen(dbuf) > 1 && dbuf[strlen(dbuf) - 1] == '/')
		dbuf[strlen(dbuf) - 1] = 0;
	dst = dbuf;
	for (i = 0; i + 1 < n; i++) {
		char src[PST_CAP_SVC_TOKEN], v[2 * PST_CAP_SVC_TOKEN + 8];
		size_t sl = strlen(args[i]);
		bool content = mnt;
		if (args[i][0] != '/' || dst[0] != '/' || sl >= sizeof(src))
			continue;
		memcpy(src, args[i], sl + 1);
		if (sl > 2 && (strcmp(src + sl - 2, "/*") == 0 || strcmp(src + sl - 2, "/.") == 0)) {
			src[sl - 2] = 0;
			content = true;
		}
		while (strlen(src) > 1 && src[strlen(src) - 1] == '/')
			src[strlen(src) - 1] = 0;
		if (strpbrk(src, "*?[$`") || strpbrk(dst, "*?[$`"))
			continue;
		if (content)
			snprintf(v, sizeof(v), "%s%c%s", src, ACC_FS, dst);
		else
			snprintf(v, sizeof(v), "%s%c%s/%s", src, ACC_FS, strcmp(dst, "/") == 0 ? "" : dst,
				 acc_base(src));
		pst_fact_add(c->f->scan, c->f->node, "svc.copy", v);
	}
out:
	free(args);
}

/* Facts for what the command at k->argv[s] runs, sources or copies. */
static void record_cmd(struct ctx *c, const struct cmd *k, size_t s)
{
	const char *p = k->argv[s], *b = acc_base(p);
	if ((strcmp(p, ".") == 0 || strcmp(p, "source") == 0) && s + 1 < k->argc) {
		record_start(c, "svc.source", k->argv[s + 1]);
		return;
	}
	record_start(c, "svc.start", p);
	if (strcmp(b, "service") == 0 && s + 2 < k->argc && !strchr(k->argv[s + 1], '/')) {
		char init[PST_CAP_SVC_TOKEN + 16];
		snprintf(init, sizeof(init), "/etc/init.d/%s", k->argv[s + 1]);
		record_start(c, "svc.start", init);
	}
	/* sh /path/script: the script runs too */
	if (acc_is_shell(b) && strcmp(b, "busybox") != 0 && s + 1 < k->argc &&
	    k->argv[s + 1][0] == '/')
		record_start(c, "svc.start", k->argv[s + 1]);
	if (strcmp(b, "cp") == 0 || strcmp(b, "mount") == 0)
		record_copy(c, k, s);
}

/* A word holding a command substitution of a download ("$(wget ..."). */
static bool dl_subst(const struct ctx *c, const char *a)
{
	const char *const *v = svc_rules_words(c->r, SVC_W_DL_SUBST);
	for (; v && *v; v++)
		if (strstr(a, *v))
			return true;
	return false;
}

/* Notes where a downloader puts its file (the first output option given). */
static void note_download(struct ctx *c, const struct cmd *k, size_t s, const char *b)
{
	const struct svc_entry *d = svc_rules_downloader(c->r, b);
	const char *out;
	char *copy;
	if (!d || !d->opts.v)
		return;
	out = opt_first(k, s + 1, (const char *const *)d->opts.v);
	if (out && c->ndl >= PST_CAP_SVC_DOWNLOADS) {
		c->cut |= SVC_CUT_DOWNLOADS;
		return;
	}
	if (out && strcmp(out, "-") != 0 && strcmp(out, "/dev/null") != 0 &&
	    (copy = pst_strdup(out)) != NULL)
		c->dl[c->ndl++] = copy;
}

/* The value of a daemon's option (NULL when the rules name none). */
static const char *dopt(const struct cmd *k, size_t s, const char *opt)
{
	return opt ? opt_val(k, s + 1, opt) : NULL;
}

static void check_telnet(struct ctx *c, const struct svc_entry *d, const struct cmd *k, size_t s,
			 const char *b)
{
	const char *l = dopt(k, s, d->login_opt);
	if (l && (acc_is_shell(l) || acc_is_interpreter(l)))
		report(c, "service.unauthenticated-shell", PST_SEV_CRITICAL,
		       "telnet server hands out %s without a login", l);
	else
		telnet_login(c);
	check_port(c, b, dopt(k, s, d->port_opt), d);
}

static void check_netcat(struct ctx *c, const struct svc_entry *d, const struct cmd *k, size_t s)
{
	const char *e = d->opts.v ? opt_first(k, s + 1, (const char *const *)d->opts.v) : NULL;
	const char *port = dopt(k, s, d->port_opt);
	if (e)
		report(c, "service.unauthenticated-shell", PST_SEV_CRITICAL,
		       "netcat runs %s for whoever connects", e);
	else if (d->listen_flag && has_flag(k, s + 1, d->listen_flag))
		report(c, "service.unusual-port", PST_SEV_MEDIUM,
		       "netcat listener started (port %s)", port ? port : "?");
}

/* The address of d's list a (case ignored) starts with, or NULL. */
static const char *addr_prefix(const struct svc_list *l, const char *a)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		if (strncasecmp(a, l->v[i], strlen(l->v[i])) == 0)
			return l->v[i];
	return NULL;
}

static void check_socat(struct ctx *c, const struct svc_entry *d, const struct cmd *k, size_t s)
{
	size_t i;
	for (i = s + 1; i < k->argc; i++) {
		const char *a = k->argv[i], *x = addr_prefix(&d->exec_addr, a);
		if (x) {
			char target[128];
			const char *t = a + strlen(x);
			snprintf(target, sizeof(target), "%.*s", (int)strcspn(t, " ,!"), t);
			report(c, "service.unauthenticated-shell",
			       acc_is_shell(target) || acc_is_interpreter(target) ? PST_SEV_CRITICAL
										  : PST_SEV_HIGH,
			       "socat connects a network socket to the program %s", target);
		}
		if (addr_prefix(&d->listen_addr, a))
			report(c, "service.unusual-port", PST_SEV_MEDIUM,
			       "socat listener started (%.40s)", a);
	}
}

static void check_ssh(struct ctx *c, const struct svc_entry *d, const struct cmd *k, size_t s,
		      const char *b)
{
	size_t i;
	if (d->blank_flag && has_flag(k, s + 1, d->blank_flag))
		report(c, "service.blank-password-login", PST_SEV_HIGH,
		       "%s started with -%c: accounts with empty passwords may log in", b,
		       d->blank_flag);
	for (i = s + 1; d->setting && i < k->argc; i++)
		if (strcasestr(k->argv[i], d->setting) && strcasestr(k->argv[i], "yes"))
			report(c, "service.blank-password-login", PST_SEV_HIGH,
			       "%s started with %s yes", b, d->setting);
	check_port(c, b, dopt(k, s, d->port_opt), d);
}

/* tcpsvd [opts] IP PORT PROG ARGS: PROG (the d->arg-th word that is no
 * option) runs for each connection. */
static void check_super(struct ctx *c, const struct svc_entry *d, const struct cmd *k, size_t s,
			const char *b)
{
	size_t pos = 0, j;
	for (j = s + 1; j < k->argc; j++) {
		const char *a = k->argv[j];
		if (a[0] == '-') {
			if (a[1] && d->value_opts && strchr(d->value_opts, a[1]) && !a[2])
				j++;
			continue;
		}
		if (++pos == d->arg && (acc_is_shell(a) || acc_is_interpreter(a)))
			report(c, "service.unauthenticated-shell", PST_SEV_CRITICAL,
			       "%s hands out %s to whoever connects", b, a);
	}
}

static void check_web(struct ctx *c, const struct svc_entry *d, const struct cmd *k, size_t s,
		      const char *b)
{
	const char *v = dopt(k, s, d->port_opt);
	unsigned long pt = v ? port_of(v) : 0;
	if (pt && !svc_entry_port(d, pt))
		report(c, "service.unusual-port", PST_SEV_MEDIUM, "%s listens on port %lu", b, pt);
}

/* A daemon of the rules (rules/services/30-daemons.yaml): its check. */
static void check_daemon(struct ctx *c, const struct cmd *k, size_t s, const char *b)
{
	const struct svc_entry *d = svc_rules_daemon(c->r, b);
	if (!d)
		return;
	switch ((enum svc_dkind)d->sub) {
	case SVC_D_TELNET: check_telnet(c, d, k, s, b); break;
	case SVC_D_NETCAT: check_netcat(c, d, k, s); break;
	case SVC_D_SOCAT: check_socat(c, d, k, s); break;
	case SVC_D_SSH: check_ssh(c, d, k, s, b); break;
	case SVC_D_SUPER: check_super(c, d, k, s, b); break;
	case SVC_D_WEB: check_web(c, d, k, s, b); break;
	case SVC_D_GETTY: break; /* inittab_line's */
	}
}

/* One simple command; returns its program's basename into prog (cap). */
static void check_cmd(struct ctx *c, struct cmd *k, char *prog, size_t cap)
{
	size_t s = real_start(c, k, 0), i;
	const char *p, *b, *why;

	prog[0] = 0;
	if (s >= k->argc)
		return;
	p = k->argv[s];
	b = acc_base(p);
	snprintf(prog, cap, "%s", b);
	if (func_run(c, p))
		return;
	if (acc_is_shell(b) && strcmp(b, "busybox") != 0 && s + 1 < k->argc &&
	    strcmp(k->argv[s + 1], "-c") == 0 && s + 2 < k->argc && c->depth < 3) {
		c->depth++;
		process_text(c, k->argv[s + 2], strlen(k->argv[s + 2]));
		c->depth--;
		return;
	}
	if (strcmp(b, "eval") == 0 && s + 1 < k->argc && c->depth < 3) {
		c->depth++;
		process_text(c, k->argv[s + 1], strlen(k->argv[s + 1]));
		c->depth--;
	}
	record_cmd(c, k, s);
	if (bad_path(c, p, &why))
		report(c, "service.suspicious-path", PST_SEV_HIGH, "%s starts %s from %s",
		       c->where, p, why);
	if (runs_code(b) && s + 1 < k->argc && k->argv[s + 1][0] == '/' &&
	    bad_path(c, k->argv[s + 1], &why))
		report(c, "service.suspicious-path", PST_SEV_HIGH, "%s runs %s from %s", b,
		       k->argv[s + 1], why);
	/* sh -c "$(wget -O- URL)", eval `curl URL` */
	for (i = s + 1; runs_code(b) && i < k->argc; i++) {
		if (dl_subst(c, k->argv[i])) {
			report(c, "service.download-exec", PST_SEV_CRITICAL,
			       "%s runs code it downloads: %s", b, "command substitution of a download");
			break;
		}
	}
	/* a file this script downloaded, now run */
	for (i = 0; i < c->ndl; i++) {
		const char *d = c->dl[i];
		bool run = strcmp(p, d) == 0 || strcmp(b, acc_base(d)) == 0 ||
			   (runs_code(b) && s + 1 < k->argc &&
			    (strcmp(k->argv[s + 1], d) == 0 ||
			     strcmp(acc_base(k->argv[s + 1]), acc_base(d)) == 0));
		if (run && !is_downloader(c, b) && strcmp(b, "chmod") != 0 &&
		    strcmp(b, "rm") != 0) {
			report(c, "service.download-exec", PST_SEV_CRITICAL,
			       "%s runs %s, which it downloaded earlier", c->where, d);
			break;
		}
	}
	note_download(c, k, s, b);
	check_daemon(c, k, s, b);
}

static void check_line_text(struct ctx *c, const char *s, size_t n)
{
	char buf[PST_CAP_LINE + 1];
	memcpy(buf, s, n);
	buf[n] = 0;
	if (strstr(buf, "/dev/tcp/") || strstr(buf, "/dev/udp/")) {
		bool shell = strstr(buf, "sh -i") || strstr(buf, "0>&1") || strstr(buf, "0<&");
		report(c, "service.unauthenticated-shell", shell ? PST_SEV_CRITICAL : PST_SEV_MEDIUM,
		       shell ? "a shell is connected to a network socket through /dev/tcp"
			     : "a network connection is opened through /dev/tcp");
	}
}

/* "name() {" or "function name": a shell function, which later lines call
 * by name without running a file of that name. Returns 1 + its index, or 0
 * when the line defines none. */
static size_t note_function(struct ctx *c, const char *s, size_t n)
{
	size_t i = 0, st, k;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (n - i > 9 && strncmp(s + i, "function ", 9) == 0)
		i += 9;
	while (i < n && s[i] == ' ')
		i++;
	st = i;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-' || s[i] == '.'))
		i++;
	if (i == st)
		return 0;
	{
		size_t j = i;
		while (j < n && s[j] == ' ')
			j++;
		if (!(j + 1 < n && s[j] == '(' && s[j + 1] == ')') &&
		    !(st >= 9 && strncmp(s + st - 9, "function ", 9) == 0))
			return 0;
	}
	for (k = 0; k < c->nfuncs; k++)
		if (strlen(c->funcs[k]) == i - st && strncmp(c->funcs[k], s + st, i - st) == 0)
			return k + 1;
	if (c->nfuncs == PST_CAP_SVC_FUNCS)
		return 0;
	c->funcs[c->nfuncs] = pst_strndup(s + st, i - st);
	if (!c->funcs[c->nfuncs])
		return 0;
	return ++c->nfuncs;
}

/* export/readonly/local NAME=value ...: assignments, not a program. */
static bool declaration(struct ctx *c, const struct cmd *k)
{
	size_t i;
	const char *eq;
	if (strcmp(k->argv[0], "export") != 0 && strcmp(k->argv[0], "readonly") != 0 &&
	    strcmp(k->argv[0], "local") != 0 && strcmp(k->argv[0], "declare") != 0 &&
	    strcmp(k->argv[0], "typeset") != 0)
		return false;
	for (i = 1; i < k->argc; i++)
		if (is_assignment(k->argv[i], &eq))
			var_set(c, k->argv[i], (size_t)(eq - k->argv[i]), eq + 1);
	return true;
}

/* One batch of a line's commands (split_cmds); *dl_seen and *prev carry a
 * pipeline across batches: whether a download feeds it, and the program
 * piped into the first command ("" when none). */
static void process_cmds(struct ctx *c, struct cmd *cmds, size_t nc, bool *dl_seen,
			 char prev[64])
{
	char progs[PST_CAP_SVC_CMDS][64];
	size_t i;

	for (i = 0; i < nc; i++) {
		const char *eq;
		progs[i][0] = 0;
		/* a lone assignment sets a variable */
		if (cmds[i].argc == 1 && is_assignment(cmds[i].argv[0], &eq)) {
			var_set(c, cmds[i].argv[0], (size_t)(eq - cmds[i].argv[0]), eq + 1);
			continue;
		}
		if (declaration(c, &cmds[i]))
			continue;
		check_cmd(c, &cmds[i], progs[i], sizeof(progs[i]));
	}
	/* pipelines: a download piped into something that runs code; a
	 * netcat/telnet connection piped into a shell */
	for (i = 0; i < nc; i++) {
		const char *from = i > 0 ? (cmds[i - 1].pipe_next ? progs[i - 1] : NULL)
					 : (prev[0] ? prev : NULL);
		if (from) {
			if (*dl_seen && runs_code(progs[i])) {
				report(c, "service.download-exec", PST_SEV_CRITICAL,
				       "a download is piped into %s and run", progs[i]);
				*dl_seen = false;
			}
		} else {
			*dl_seen = false;
		}
		if (is_downloader(c, progs[i]))
			*dl_seen = true;
		if (from && acc_is_shell(progs[i]) && svc_rules_word(c->r, SVC_W_NET_PIPES, from))
			report(c, "service.unauthenticated-shell", PST_SEV_CRITICAL,
			       "a network connection (%s) is piped into %s", from, progs[i]);
	}
	prev[0] = 0;
	if (nc && cmds[nc - 1].pipe_next)
		snprintf(prev, 64, "%s", progs[nc - 1]);
}

/* A logical line of shell text, in batches of PST_CAP_SVC_CMDS commands. */
static void process_text(struct ctx *c, const char *s, size_t n)
{
	struct cmd cmds[PST_CAP_SVC_CMDS];
	size_t nc, off = 0, stop;
	bool dl_seen = false;
	char prev[64] = "";

	(void)note_function(c, s, n);
	do {
		nc = split_cmds(c, s + off, n - off, cmds, &stop);
		process_cmds(c, cmds, nc, &dl_seen, prev);
		free_cmds(cmds, nc);
		off += stop;
	} while (stop && off < n);
}

/* ---- per file type ---- */

static void set_ev(struct ctx *c, const char *s, size_t n)
{
	free(c->ev);
	c->ev = pst_strndup(s, n > 200 ? 200 : n);
}

/* A shell without login that inittab runs on the terminal named by id. Run
 * straight on a console (a VT, a serial port, /dev/console: BusyBox's empty
 * id; sysvinit's ids name no device and run on the console) it takes physical
 * access to the device: low, and the strict policy raises the rule to medium
 * (docs/findings/access.md). Medium as before: a getty handing out a shell
 * (a getty also answers dial-in modems on serial lines) and a pseudo-terminal,
 * whose other end is another program. Network shells are other rules. */
static void console_shell(struct ctx *c, const char *id, bool getty)
{
	const char *on = id[0] ? id : "the console";
	bool vt = acc_prefix(id, "tty") && isdigit((unsigned char)id[3]);
	bool pty = acc_prefix(id, "pts") || acc_prefix(id, "ttyp") || acc_prefix(id, "pty");

	if (vt)
		report(c, "service.console-shell", PST_SEV_LOW,
		       "a shell without login is offered on %s: anyone at the local keyboard and "
		       "screen gets a root shell (typical of installers and rescue systems)", on);
	else if (getty || pty)
		report(c, "service.console-shell", PST_SEV_MEDIUM,
		       "a shell without login is offered on %s%s", on,
		       getty ? " by its getty: anyone on that serial line, a dial-in modem's "
			       "caller too, gets a root shell"
			     : ", a pseudo-terminal: whatever program holds its other end gets "
			       "a root shell");
	else
		report(c, "service.console-shell", PST_SEV_LOW,
		       "a shell without login is offered on %s (physical access: serial console "
		       "shell without login): anyone who opens the device and attaches to its "
		       "serial port gets a root shell", on);
}

static void inittab_line(struct ctx *c, char *line)
{
	char *fld[4], *proc;
	size_t nf = acc_split(line, ':', fld, 4);
	const char *id, *act;
	struct cmd k[PST_CAP_SVC_CMDS];
	size_t nc, stop; /* the rest of the line goes to process_text below */

	if (nf < 4)
		return;
	id = fld[0];
	act = fld[2];
	proc = fld[3];
	if (proc[0] == '-')
		proc++;
	/* a console shell: "tty2::askfirst:-/bin/sh", or getty -l /bin/sh */
	nc = split_cmds(c, proc, strlen(proc), k, &stop);
	if (nc >= 1 && strcmp(act, "sysinit") != 0 && strcmp(act, "shutdown") != 0 &&
	    strcmp(act, "ctrlaltdel") != 0 && strcmp(act, "restart") != 0) {
		const char *prog = acc_base(k[0].argv[0]);
		const struct svc_entry *d = svc_rules_daemon(c->r, prog);
		const char *l = d && d->sub == SVC_D_GETTY && d->login_opt
					? opt_val(&k[0], 1, d->login_opt)
					: NULL;
		if (acc_is_shell(prog) && strcmp(prog, "busybox") != 0)
			console_shell(c, id, false);
		else if (l && acc_is_shell(l))
			console_shell(c, id, true);
	}
	free_cmds(k, nc);
	process_text(c, proc, strlen(proc));
}

static void cron_line(struct ctx *c, char *line, bool sys)
{
	char *p = line;
	size_t fields = line[0] == '@' ? 1 : 5, i;
	if (sys)
		fields++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '#')
		return;
	/* NAME=value lines set the environment (PATH among it) */
	if (strchr(p, '=') && strcspn(p, "= \t") == (size_t)(strchr(p, '=') - p)) {
		process_text(c, p, strlen(p));
		return;
	}
	for (i = 0; i < fields && *p; i++) {
		p += strcspn(p, " \t");
		p += strspn(p, " \t");
	}
	if (*p)
		process_text(c, p, strlen(p));
}

static void systemd_line(struct ctx *c, char *line)
{
	char *v;
	if (!acc_prefix(line, "Exec") || !(v = strchr(line, '=')))
		return;
	v++;
	v += strspn(v, " \t-@:+!");
	process_text(c, v, strlen(v));
}

static void inetd_line(struct ctx *c, char *line)
{
	char *f[8];
	size_t n = 0;
	char *p = line, *args;
	while (n < 6) {
		p += strspn(p, " \t");
		if (!*p)
			return;
		f[n++] = p;
		p += strcspn(p, " \t");
		if (*p)
			*p++ = 0;
	}
	args = p + strspn(p, " \t");
	if (strcmp(f[5], "internal") == 0)
		return;
	if (acc_is_shell(f[5]) || acc_is_interpreter(f[5])) {
		report(c, "service.unauthenticated-shell", PST_SEV_CRITICAL,
		       "inetd hands out %s to whoever connects to %s", f[5], f[0]);
		return;
	}
	/* args start with argv[0]; check "server args" as a command */
	{
		char buf[PST_CAP_LINE + 64];
		const char *rest = args + strcspn(args, " \t");
		snprintf(buf, sizeof(buf), "%s %s", f[5], rest);
		process_text(c, buf, strlen(buf));
	}
	if (isdigit((unsigned char)f[0][0]))
		report(c, "service.unusual-port", PST_SEV_MEDIUM,
		       "inetd starts %s on the numeric port %s", f[5], f[0]);
}

/* init= or rdinit= naming a shell on a kernel command line: the kernel runs
 * that shell as process 1 on the console, as root, with no login and no
 * service started. */
static void cmdline_line(struct ctx *c, const char *line)
{
	static const char *const keys[] = { "rdinit=", "init=", NULL };
	size_t i;
	for (i = 0; keys[i]; i++) {
		const char *p = line;
		while ((p = strstr(p, keys[i])) != NULL) {
			char val[256];
			size_t n;
			bool word = p == line || strchr(" \t\"'=", p[-1]);
			p += strlen(keys[i]);
			n = strcspn(p, " \t\"';");
			if (!word || n == 0 || n >= sizeof(val))
				continue;
			memcpy(val, p, n);
			val[n] = 0;
			if (acc_is_shell(acc_base(val))) {
				report(c, "service.boot-shell", PST_SEV_HIGH,
				       "the kernel command line makes a shell process 1 (%s%s): the console "
				       "gets a root shell with no login and no service runs",
				       keys[i], val);
				return;
			}
		}
	}
}

static void sshd_line(struct ctx *c, const char *line)
{
	char k[64], v[64];
	if (sscanf(line, " %63s %63s", k, v) != 2)
		return;
	if (strcasecmp(k, "PermitEmptyPasswords") == 0 && strcasecmp(v, "yes") == 0)
		report(c, "service.blank-password-login", PST_SEV_HIGH,
		       "sshd lets accounts with empty passwords log in");
}

static void xinetd_file(struct ctx *c)
{
	struct acc_line ln;
	uint64_t pos = 0, start = 0;
	char server[256] = "", args[512] = "", port[32] = "", name[64] = "";
	bool disabled = false, in = false;

	while (acc_next_line(c->f->data, &pos, &ln)) {
		char line[PST_CAP_LINE + 1], key[64] = "", *eq;
		if (ln.cut)
			c->cut |= SVC_CUT_LINE;
		memcpy(line, ln.p, ln.len);
		line[ln.len] = 0;
		if (strncmp(line + strspn(line, " \t"), "service", 7) == 0) {
			sscanf(line + strspn(line, " \t") + 7, " %63s", name);
			start = ln.off;
			in = true;
			server[0] = args[0] = port[0] = 0;
			disabled = false;
			continue;
		}
		if (strchr(line, '}') && in) {
			in = false;
			c->off = start;
			set_ev(c, name, strlen(name));
			if (disabled || !server[0])
				continue;
			if (acc_is_shell(server) || acc_is_interpreter(server)) {
				report(c, "service.unauthenticated-shell", PST_SEV_CRITICAL,
				       "xinetd hands out %s to whoever connects to %s", server, name);
			} else {
				char buf[800];
				snprintf(buf, sizeof(buf), "%s %s", server, args);
				process_text(c, buf, strlen(buf));
			}
			if (port[0] && !svc_rules_word(c->r, SVC_W_XINETD_EXEMPT, name))
				check_port(c, name, port, NULL);
			continue;
		}
		if (!(eq = strchr(line, '=')))
			continue;
		sscanf(line, " %63[A-Za-z_]", key);
		eq++;
		eq += strspn(eq, " \t");
		if (strcmp(key, "server") == 0)
			snprintf(server, sizeof(server), "%s", eq);
		else if (strcmp(key, "server_args") == 0)
			snprintf(args, sizeof(args), "%s", eq);
		else if (strcmp(key, "port") == 0)
			snprintf(port, sizeof(port), "%s", eq);
		else if (strcmp(key, "disable") == 0)
			disabled = strstr(eq, "yes") != NULL;
	}
}

static const char *where_of(enum svc_reader t)
{
	switch (t) {
	case SVC_R_INITTAB: return "inittab";
	case SVC_R_CRON_SYS:
	case SVC_R_CRON_USER: return "crontab";
	case SVC_R_SYSTEMD: return "systemd unit";
	case SVC_R_INETD: return "inetd";
	case SVC_R_XINETD: return "xinetd";
	case SVC_R_SSHD: return "sshd_config";
	case SVC_R_DROPBEAR_DEFAULT: return "dropbear defaults";
	case SVC_R_CMDLINE: return "kernel command line";
	case SVC_R_SHELL: break;
	}
	return "boot/login script";
}

/* "<<WORD", "<<-WORD", "<<'WORD'" on a line: the lines up to WORD are data,
 * not commands. Copies WORD into delim; *tabs when leading tabs are
 * stripped ("<<-"). A here-string ("<<<") is not one. */
static bool heredoc_start(const char *line, char *delim, size_t cap, bool *tabs)
{
	const char *h = line;
	size_t n;
	while ((h = strstr(h, "<<")) != NULL) {
		bool word = h > line && (h[-1] == ' ' || h[-1] == '\t');
		h += 2;
		if (*h == '<') {
			h++;
			continue;
		}
		/* $((1<<3)) is arithmetic */
		if (!word || strstr(line, "(("))
			continue;
		*tabs = *h == '-';
		if (*tabs)
			h++;
		h += strspn(h, " \t\"'\\");
		n = strspn(h, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");
		if (n == 0 || n >= cap)
			return false;
		memcpy(delim, h, n);
		delim[n] = 0;
		return true;
	}
	return false;
}

static bool heredoc_end(const char *line, const char *delim, bool tabs)
{
	if (tabs)
		line += strspn(line, "\t");
	return strcmp(line, delim) == 0;
}

/* One line of a file by its type. */
static void file_line(struct ctx *c, char *line, size_t n)
{
	switch (c->type) {
	case SVC_R_INITTAB: inittab_line(c, line); break;
	case SVC_R_CRON_SYS: cron_line(c, line, true); break;
	case SVC_R_CRON_USER: cron_line(c, line, false); break;
	case SVC_R_SYSTEMD: systemd_line(c, line); break;
	case SVC_R_INETD: inetd_line(c, line); break;
	case SVC_R_SSHD: sshd_line(c, line); break;
	case SVC_R_CMDLINE: cmdline_line(c, line); break;
	case SVC_R_DROPBEAR_DEFAULT:
		if (acc_prefix(line, "DROPBEAR_EXTRA_ARGS") && strstr(line, "-B"))
			report(c, "service.blank-password-login", PST_SEV_HIGH,
			       "dropbear is configured with -B: accounts with empty passwords may log in");
		break;
	default:
		check_line_text(c, line, n);
		process_text(c, line, n);
		break;
	}
}

/* Opening minus closing braces of a line, outside quotes and ${...}: how
 * far a function body goes. */
static int brace_delta(const char *s)
{
	int d = 0;
	char q = 0;
	for (; *s; s++) {
		if (q) {
			if (*s == q)
				q = 0;
		} else if (*s == '\'' || *s == '"') {
			q = *s;
		} else if (*s == '#' && (s[1] == 0 || s[-1] == ' ' || s[-1] == '\t')) {
			break;
		} else if (*s == '$' && s[1] == '{') {
			const char *e = strchr(s, '}');
			if (!e)
				break;
			s = e;
		} else if (*s == '{') {
			d++;
		} else if (*s == '}') {
			d--;
		}
	}
	return d;
}

static void func_keep_line(struct ctx *c, const char *line)
{
	struct pst_str *b = &c->fbody[c->fcur - 1];
	pst_str_printf(b, "%llu%c%s\n", (unsigned long long)c->off, ACC_FS, line);
	c->fdepth += brace_delta(line);
	if (c->fdepth <= 0)
		c->fcur = 0;
}

/* In a file whose functions run only when called, keeps the lines of a
 * function's definition instead of reading them; true when it kept line. */
static bool func_keep(struct ctx *c, const char *line, size_t n)
{
	size_t idx;
	const char *open;
	if (!c->only_called)
		return false;
	if (c->fcur) {
		func_keep_line(c, line);
		return true;
	}
	if (c->fpending) {
		c->fpending = false;
		if (line[strspn(line, " \t")] == '{') {
			c->fcur = c->nfuncs; /* the one just noted */
			c->fdepth = 0;
			pst_str_init(&c->fbody[c->fcur - 1], 1u << 18);
			func_keep_line(c, line);
			return true;
		}
	}
	idx = note_function(c, line, n);
	if (!idx)
		return false;
	open = strstr(line, "()");
	if (!open || !strchr(open, '{')) {
		c->fpending = idx == c->nfuncs;
		return true;
	}
	if (c->fbody[idx - 1].len) /* defined again: the first body stays */
		return false;
	c->fcur = idx;
	c->fdepth = 0;
	pst_str_init(&c->fbody[idx - 1], 1u << 18);
	func_keep_line(c, line);
	return true;
}

/* A call of one of the file's functions: its body is read now, once. */
static bool func_run(struct ctx *c, const char *name)
{
	size_t i;
	const char *l, *end;
	char *ev;
	uint64_t off = c->off;
	if (!c->only_called)
		return false;
	for (i = 0; i < c->nfuncs && strcmp(c->funcs[i], name) != 0; i++)
		;
	if (i == c->nfuncs || !c->fbody[i].len || c->fbody[i].err)
		return false;
	if (c->fran[i] || c->depth >= 3)
		return true;
	c->fran[i] = true;
	c->depth++;
	ev = c->ev ? pst_strdup(c->ev) : NULL;
	for (l = c->fbody[i].p; (end = strchr(l, '\n')) != NULL; l = end + 1) {
		char line[PST_CAP_LINE + 1];
		const char *t = memchr(l, ACC_FS, (size_t)(end - l));
		size_t n;
		if (!t)
			break;
		c->off = strtoull(l, NULL, 10);
		n = (size_t)(end - t - 1) > PST_CAP_LINE ? PST_CAP_LINE : (size_t)(end - t - 1);
		memcpy(line, t + 1, n);
		line[n] = 0;
		set_ev(c, line + strspn(line, " \t"), strlen(line + strspn(line, " \t")));
		file_line(c, line, n);
	}
	c->depth--;
	free(c->ev);
	c->ev = ev;
	c->off = off;
	return true;
}

/* A cap that dropped part of the file is reported (limit.cap, the file
 * incomplete), so that what was not read cannot pass for clean. A file that
 * is not a boot file by its path (a package's example or test script) keeps
 * the cut back like its findings (svc.defer-cut: CAP, then the message):
 * what nothing runs at boot was read for nothing this analyzer concludes,
 * and services_link.c reports the cut once it finds the file run, sourced or
 * copied into place at boot. */
static void report_cuts(const struct ctx *c)
{
	static const struct {
		unsigned bit;
		const char *cap, *what;
		unsigned n;
	} caps[] = {
		{ SVC_CUT_TOKEN, "PST_CAP_SVC_TOKEN", "bytes of a word", PST_CAP_SVC_TOKEN },
		{ SVC_CUT_LINE, "PST_CAP_LINE", "bytes of a line", PST_CAP_LINE },
		{ SVC_CUT_VARS, "PST_CAP_SVC_VARS", "shell variables", PST_CAP_SVC_VARS },
		{ SVC_CUT_DOWNLOADS, "PST_CAP_SVC_DOWNLOADS", "downloaded files",
		  PST_CAP_SVC_DOWNLOADS },
	};
	size_t i;
	char v[256];
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		if (!(c->cut & caps[i].bit))
			continue;
		snprintf(v, sizeof(v), "%s%c%s past the first %u were not read as the script's "
			 "commands", caps[i].cap, ACC_FS, caps[i].what, caps[i].n);
		if (c->defer)
			pst_fact_add(c->f->scan, c->f->node, "svc.defer-cut", v);
		else
			pst_cap_hit(c->f->scan, c->f->node, caps[i].cap, "%s", strchr(v, ACC_FS) + 1);
	}
}

static enum pst_err analyze(const void *st, const struct pst_file *f)
{
	struct ctx c;
	struct acc_line ln;
	uint64_t pos = 0;
	struct pst_str logical;
	char delim[64] = "";
	bool tabs = false;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.r = st;
	c.f = f;
	/* a file that is not a boot file by its path is read all the same (a
	 * template, a script a boot file may run); what it shows waits for
	 * the finish phase */
	c.defer = !svc_rules_boot(c.r, f->node->path, &c.type);
	if (c.defer && !template_boot_path(c.r, f->node->path, &c.type))
		c.type = SVC_R_SHELL;
	c.where = where_of(c.type);
	c.only_called = c.type == SVC_R_SHELL && svc_rules_only_called(c.r, f->node->path);
	var_set(&c, "PATH", 4, c.type == SVC_R_SYSTEMD ? SVC_SYSTEMD_PATH : SVC_DEFAULT_PATH);
	if (c.type == SVC_R_XINETD) {
		xinetd_file(&c);
		goto out;
	}
	pst_str_init(&logical, 1u << 16);
	while (acc_next_line(f->data, &pos, &ln)) {
		char line[PST_CAP_LINE + 1];
		const char *p;
		size_t n;
		if (ln.cut)
			c.cut |= SVC_CUT_LINE;
		if (memchr(ln.p, 0, ln.len))
			continue;
		/* join backslash-continued lines */
		if (ln.len && ln.p[ln.len - 1] == '\\' && c.type != SVC_R_INITTAB && !delim[0]) {
			if (!logical.len)
				c.off = ln.off;
			pst_str_add(&logical, ln.p, ln.len - 1);
			pst_str_putc(&logical, ' ');
			continue;
		}
		if (logical.len) {
			pst_str_add(&logical, ln.p, ln.len);
			p = logical.err ? "" : logical.p;
			n = logical.err ? 0 : logical.len;
		} else {
			c.off = ln.off;
			p = ln.p;
			n = ln.len;
		}
		if (n > PST_CAP_LINE) {
			c.cut |= SVC_CUT_LINE;
			n = PST_CAP_LINE;
		}
		memcpy(line, p, n);
		line[n] = 0;
		logical.len = 0;
		if (delim[0]) {
			if (heredoc_end(line, delim, tabs))
				delim[0] = 0;
			continue;
		}
		if (!line[strspn(line, " \t")] || line[strspn(line, " \t")] == '#')
			continue;
		set_ev(&c, line + strspn(line, " \t"), strlen(line + strspn(line, " \t")));
		if (!func_keep(&c, line, n))
			file_line(&c, line, n);
		if (c.type != SVC_R_INITTAB && c.type != SVC_R_CMDLINE && c.type != SVC_R_SSHD)
			heredoc_start(line, delim, sizeof(delim), &tabs);
	}
	pst_str_free(&logical);
out:
	report_cuts(&c);
	for (i = 0; i < c.nvars; i++) {
		free(c.vars[i]);
		free(c.vals[i]);
	}
	for (i = 0; i < c.ndl; i++)
		free(c.dl[i]);
	for (i = 0; i < c.nfuncs; i++) {
		free(c.funcs[i]);
		pst_str_free(&c.fbody[i]);
	}
	free(c.ev);
	return PST_OK;
}

/* The service knowledge (rules/services/, then each --rules directory's
 * services/): a file that does not load fails the scan, naming the file
 * and line, rather than reading boot files with part of the rules. */
static enum pst_err svc_init(const struct pst_options *o, void **state)
{
	char err[512];
	struct svc_rules *r = svc_rules_load(o->rule_dirs, err, sizeof(err));
	if (!r) {
		pst_message(o, PST_MSG_WARNING, "services rules: %s", err);
		return strstr(err, "out of memory") ? PST_ENOMEM : PST_EFORMAT;
	}
	*state = r;
	return PST_OK;
}

static void svc_fini(void *state)
{
	svc_rules_free(state);
}

const struct pst_analyzer pst_analyzer_services = {
	.name = "services",
	.init = svc_init,
	.fini = svc_fini,
	.wants = wants,
	.analyze = analyze,
	.finish = svc_finish,
};
