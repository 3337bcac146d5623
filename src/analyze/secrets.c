/*
 * secrets.c - credentials written into configuration files and scripts:
 * "echo root:pw | chpasswd", passwords piped into passwd, password=...
 * assignments, and password options (sshpass -p, mysql -pX, curl -u u:p,
 * openssl pass:...). The secret is redacted in the evidence: the reader
 * sees where it is and how long it is, never the secret itself.
 *
 * Values that are not secrets are left alone: empty values, variable
 * references ($X, %X%, {{x}}, <x>), paths, booleans and the like.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "access.h"

static bool wants(const void *st, const struct pst_node *n)
{
	const char *p = n->path, *b;
	(void)st;
	if (!p || (n->kind != PST_KIND_TEXT && n->kind != PST_KIND_SCRIPT) || n->size > (1u << 20))
		return false;
	if (acc_prefix(p, "/usr/share/doc/") || acc_prefix(p, "/usr/share/man/") ||
	    acc_prefix(p, "/usr/share/info/") || acc_prefix(p, "/usr/share/locale/") ||
	    acc_prefix(p, "/usr/share/perl") || acc_prefix(p, "/usr/lib/python") ||
	    acc_prefix(p, "/usr/share/zoneinfo/") || acc_prefix(p, "/usr/share/i18n/") ||
	    acc_prefix(p, "/usr/lib/x86_64-linux-gnu/perl") || acc_prefix(p, "/usr/share/common-licenses/"))
		return false;
	b = acc_base(p);
	if (strcmp(b, "passwd") == 0 || strcmp(b, "shadow") == 0 || strcmp(b, "group") == 0 ||
	    strcmp(b, "gshadow") == 0 || acc_suffix(b, ".po") || acc_suffix(b, ".pot") ||
	    acc_suffix(b, ".md") || acc_suffix(b, ".txt") || acc_suffix(b, ".html"))
		return false;
	/* configuration anywhere under /etc and web roots; scripts anywhere */
	return n->kind == PST_KIND_SCRIPT || acc_prefix(p, "/etc/") || acc_prefix(p, "/www/") ||
	       acc_prefix(p, "/var/www/") || acc_prefix(p, "/root/") || acc_prefix(p, "/home/") ||
	       acc_prefix(p, "/opt/") || acc_prefix(p, "/usr/local/etc/") ||
	       acc_prefix(p, "/usr/etc/");
}

static bool not_secret(const char *v, size_t n)
{
	static const char *const words[] = { "true", "false", "yes", "no", "none", "null", "nil",
		"on", "off", "required", "optional", "sufficient", "requisite", "include",
		"disabled", "enabled", "empty", "unset", "undef", "default", "auto", "ask", "prompt",
		"x", "*", "xxx", "xxxx", "xxxxxx", "xxxxxxxx", "********", "secret", "password",
		"your_password", "yourpassword", "<password>", "changeit", "define", NULL };
	size_t i;
	if (n < 3 || n > 128)
		return true;
	/* placeholders in usage texts and sample configs: "...", "my_password" */
	if (strspn(v, ".*xX") >= n || (n > 3 && (strncasecmp(v, "my_", 3) == 0 ||
					       strncasecmp(v, "your", 4) == 0)))
		return true;
	if (strchr("$%{<@&*(`[/\\", v[0]))
		return true;
	for (i = 0; i < n; i++)
		if (v[i] == ' ' || v[i] == '\t' || v[i] == '$' || v[i] == '`')
			return true;
	for (i = 0; words[i]; i++)
		if (strlen(words[i]) == n && strncasecmp(v, words[i], n) == 0)
			return true;
	return false;
}

static bool secret_key(const char *k, size_t n)
{
	static const char *const ends[] = { "password", "passwd", "_pass", "_pw", "_pwd",
		"passphrase", "secret", "_psk", "_token", "apikey", "api_key", NULL };
	size_t i;
	if ((n == 4 && strncasecmp(k, "pass", 4) == 0) || (n == 3 && strncasecmp(k, "pwd", 3) == 0) ||
	    (n == 3 && strncasecmp(k, "psk", 3) == 0))
		return true;
	for (i = 0; ends[i]; i++) {
		size_t m = strlen(ends[i]);
		if (n >= m && strncasecmp(k + n - m, ends[i], m) == 0)
			return true;
	}
	return false;
}

static void add(const struct pst_file *f, uint64_t off, const char *rule, enum pst_severity sev,
		const char *what, const char *sec, size_t sn, const char *msg)
{
	char red[64], ev[200];
	acc_redact(sec, sn, red, sizeof(red));
	snprintf(ev, sizeof(ev), "%s%s", what, red);
	pst_finding_add(f->scan, f->node, rule, sev, "access", off, ev, "%s", msg);
}

/* "echo user:pw | chpasswd" and "echo pw | passwd user" */
static bool chpasswd_line(const struct pst_file *f, const char *l, uint64_t off)
{
	const char *c = strstr(l, "chpasswd"), *e;
	if (c && (e = strstr(l, "echo ")) && e < c) {
		const char *a = e + 5, *colon;
		char user[64];
		size_t ul, pl;
		a += strspn(a, " \t-ne");
		a += strspn(a, " \t\"'");
		colon = strchr(a, ':');
		if (!colon || colon > c)
			return false;
		ul = (size_t)(colon - a);
		pl = strcspn(colon + 1, "\"' |;\n");
		if (ul == 0 || ul >= sizeof(user) || not_secret(colon + 1, pl))
			return false;
		memcpy(user, a, ul);
		user[ul] = 0;
		{
			char what[96];
			snprintf(what, sizeof(what), "echo %s:", user);
			add(f, off, "secret.hardcoded-password", PST_SEV_HIGH, what, colon + 1, pl,
			    strcmp(user, "root") == 0
				    ? "the script sets root's password to a fixed value"
				    : "the script sets an account's password to a fixed value");
		}
		return true;
	}
	c = strstr(l, "| passwd");
	if (!c)
		c = strstr(l, "|passwd");
	if (c && (e = strstr(l, "echo ")) && e < c) {
		const char *a = e + 5;
		size_t pl;
		a += strspn(a, " \t-ne");
		a += strspn(a, " \t\"'");
		pl = strcspn(a, "\"' \\|;");
		if (not_secret(a, pl))
			return false;
		add(f, off, "secret.hardcoded-password", PST_SEV_HIGH, "echo ", a, pl,
		    "the script pipes a fixed password into passwd");
		return true;
	}
	return false;
}

/* Where a MySQL/MariaDB client is run on this line (the command as a word,
 * not "$mysql_datadir"), or NULL. */
static const char *db_client(const char *l)
{
	static const char *const cmds[] = { "mysql ", "mysqladmin ", "mysqldump ", "mariadb ",
					    "mariadb-admin ", "mariadb-dump ", NULL };
	size_t i;
	for (i = 0; cmds[i]; i++) {
		const char *p = l;
		while ((p = strstr(p, cmds[i])) != NULL) {
			if (p == l || strchr(" \t|;&(`/", p[-1]))
				return p;
			p++;
		}
	}
	return NULL;
}

static bool option_line(const struct pst_file *f, const char *l, uint64_t off)
{
	const char *p;
	size_t n;
	if ((p = strstr(l, "sshpass -p")) != NULL) {
		p += 10;
		p += strspn(p, " \t\"'");
		n = strcspn(p, " \t\"';|");
		if (!not_secret(p, n)) {
			add(f, off, "secret.hardcoded-password", PST_SEV_MEDIUM, "sshpass -p ", p, n,
			    "a password is given on a command line");
			return true;
		}
	}
	if ((p = strstr(l, "pass:")) != NULL && strstr(l, "openssl")) {
		p += 5;
		n = strcspn(p, " \t\"';|");
		if (!not_secret(p, n)) {
			add(f, off, "secret.hardcoded-password", PST_SEV_MEDIUM, "pass:", p, n,
			    "a password is given to openssl on a command line");
			return true;
		}
	}
	if ((p = db_client(l)) != NULL && (p = strstr(p, " -p")) != NULL && p[3] &&
	    p[3] != ' ' && !acc_prefix(p, " -print")) {
		p += 3;
		n = strcspn(p, " \t\"';|");
		if (!not_secret(p, n)) {
			add(f, off, "secret.hardcoded-password", PST_SEV_MEDIUM, "-p", p, n,
			    "a database password is given on a command line");
			return true;
		}
	}
	if ((p = strstr(l, "curl ")) != NULL && (p = strstr(p, " -u ")) != NULL) {
		const char *colon;
		p += 4;
		p += strspn(p, " \"'");
		n = strcspn(p, " \t\"';|");
		colon = memchr(p, ':', n);
		if (colon && !not_secret(colon + 1, n - (size_t)(colon + 1 - p))) {
			add(f, off, "secret.hardcoded-password", PST_SEV_MEDIUM, "-u user:", colon + 1,
			    n - (size_t)(colon + 1 - p), "a password is given to curl on a command line");
			return true;
		}
	}
	return false;
}

/* Published sample credentials that stock configuration files carry
 * unchanged in every installation: still reported (a product that uses the
 * section uses a password the whole world knows), but low, not a vendor's
 * own secret. Matched on file name, key and exact value: any other value in
 * the same place is the vendor's and keeps its severity. */
static const struct {
	const char *base, *key, *value, *why;
} stock_samples[] = {
	{ "openssl.cnf", "secret", "pass:insta",
	  "the stock OpenSSL configuration's sample CMP section for the public Insta Demo CA "
	  "(password \"insta\", documented in openssl-cmp(1)): harmless unless used" },
};

static const char *stock_sample(const char *path, const char *k, size_t kl, const char *v,
				size_t vl)
{
	size_t i;
	for (i = 0; i < sizeof(stock_samples) / sizeof(stock_samples[0]); i++)
		if (strcmp(acc_base(path), stock_samples[i].base) == 0 &&
		    strlen(stock_samples[i].key) == kl && strncmp(k, stock_samples[i].key, kl) == 0 &&
		    strlen(stock_samples[i].value) == vl && strncmp(v, stock_samples[i].value, vl) == 0)
			return stock_samples[i].why;
	return NULL;
}

/* key=value, key: value, key = "value", option key 'value' (uci) */
static bool assign_line(const struct pst_file *f, const char *l, uint64_t off)
{
	const char *p = l + strspn(l, " \t");
	const char *k, *v;
	size_t kl, vl;
	if (acc_prefix(p, "export "))
		p += 7;
	if (acc_prefix(p, "option ") || acc_prefix(p, "local ")) {
		p += strcspn(p, " ");
		p += strspn(p, " ");
	}
	k = p;
	kl = strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");
	if (!kl || !secret_key(k, kl))
		return false;
	v = k + kl;
	v += strspn(v, " \t");
	/* "key: value" is YAML or a config file, never a script's assignment */
	if (*v == '=' || (*v == ':' && f->node->kind != PST_KIND_SCRIPT &&
			  !(kl == 6 && strncmp(k, "passwd", 6) == 0)))
		v++;
	else if (!(acc_prefix(l + strspn(l, " \t"), "option ") && (*v == '\'' || *v == '"')))
		return false;
	v += strspn(v, " \t");
	if (*v == '"' || *v == '\'') {
		char q = *v++;
		const char *e = strchr(v, q);
		vl = e ? (size_t)(e - v) : strlen(v);
	} else {
		const char *rest;
		vl = strcspn(v, " \t;#");
		rest = v + vl + strspn(v + vl, " \t");
		if (*rest && *rest != '#' && *rest != ';')
			return false; /* an expression ("a ? b : c"), not a literal */
	}
	if (not_secret(v, vl))
		return false;
	{
		char what[80];
		const char *why = stock_sample(f->node->path, k, kl, v, vl);
		snprintf(what, sizeof(what), "%.*s=", (int)(kl > 40 ? 40 : kl), k);
		if (why)
			add(f, off, "secret.hardcoded-password", PST_SEV_LOW, what, v, vl, why);
		else
			add(f, off, "secret.hardcoded-password", PST_SEV_MEDIUM, what, v, vl,
			    "a credential is written into this file in clear text");
	}
	return true;
}

static enum pst_err analyze(const void *st, const struct pst_file *f)
{
	struct acc_line ln;
	uint64_t pos = 0;
	unsigned found = 0;
	(void)st;
	/* a longer line (minified scripts) is read in pieces: none dropped */
	while (acc_next_piece(f->data, &pos, &ln) && found < 20) {
		char line[PST_CAP_LINE + 1];
		const char *t;
		if (!ln.len || memchr(ln.p, 0, ln.len))
			continue;
		memcpy(line, ln.p, ln.len);
		line[ln.len] = 0;
		t = line + strspn(line, " \t");
		if (*t == '#' || (*t == '/' && t[1] == '/') || *t == ';')
			continue;
		/* at most 20 per file: a dump of credentials needs no more to be seen */
		if (chpasswd_line(f, t, ln.off) || option_line(f, t, ln.off) ||
		    assign_line(f, t, ln.off))
			found++;
	}
	return PST_OK;
}

const struct pst_analyzer pst_analyzer_secrets = {
	.name = "secrets",
	.wants = wants,
	.analyze = analyze,
};
