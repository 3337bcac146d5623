/*
 * accounts.c - accounts and their passwords: /etc/passwd, /etc/shadow,
 * /etc/group, the copies and templates embedded systems keep elsewhere
 * (/etc/config, /etc/default, /usr/etc, /var), and htpasswd-style files.
 *
 * Formats: passwd(5), shadow(5), group(5); crypt(5) for the hash schemes;
 * Apache's htpasswd documentation for {SHA} and $apr1$.
 *
 * Per file (in parallel) each account line is parsed and its hash checked
 * against the bundled list of published default passwords
 * (rules/access/default-passwords.txt) with crypt_r from libxcrypt; the
 * results become facts ("acct.user" from passwd-format files, "acct.shadow"
 * from shadow-format files). finish() joins a passwd file with the shadow
 * file beside it and reports: extra UID-0 accounts, empty passwords, default
 * passwords, weak hash schemes and login shells on service accounts. The keys
 * analyzer reads the same "acct.user" facts for home directories.
 *
 * An empty root password is also a distribution's first-boot state: OpenWrt
 * ships root without a password and its login wrapper, /etc/profile and web
 * UI check root's entry and ask the user to set one (the remote logins they
 * gate close once it is set; dropbear refuses empty passwords without -B).
 * A script or page that both tests root's password entry and tells the user
 * to set one is that mechanism ("acct.firstconfig" fact, value = its path);
 * with it the empty root password is medium (review), unless a network
 * service in the same image lets an empty password in (the services
 * analyzer's service.unauthenticated-shell or service.blank-password-login):
 * then it stays critical.
 *
 * Fact values (fields separated by ACC_FS):
 *   acct.user   name, uid, gid, home, shell, state, scheme, default, offset
 *   acct.shadow name, state, scheme, default, offset
 * state is one of empty, locked, hash, shadow (passwd's "x"), plain;
 * default is "-" or the matching password, redacted.
 */
#include <crypt.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "access.h"

/* Slow schemes (yescrypt costs ~0.1 s a try) are checked against this many
 * list entries only. */
#define SLOW_CANDIDATES 12

enum fmt { FMT_PASSWD, FMT_SHADOW, FMT_GROUP, FMT_HTPASSWD };

struct hashinfo {
	const char *state;  /* empty, locked, hash, shadow, plain */
	const char *scheme; /* "sha512crypt", "md5crypt", ... or "-" */
	bool weak;
	bool slow;
	bool crypt;         /* crypt_r can verify it */
};

static bool is_b64c(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '/';
}

static bool all_of(const char *s, size_t n, const char *set)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!strchr(set, s[i]))
			return false;
	return true;
}

static void classify_hash(const char *h, bool passwd_fmt, bool htpasswd, struct hashinfo *hi)
{
	size_t n = strlen(h), i;
	memset(hi, 0, sizeof(*hi));
	hi->scheme = "-";
	if (n == 0) {
		hi->state = "empty";
		return;
	}
	if (h[0] == '!' || h[0] == '*' || strcmp(h, "NP") == 0 || strcmp(h, "LK") == 0) {
		hi->state = "locked";
		return;
	}
	if (passwd_fmt && strcmp(h, "x") == 0) {
		hi->state = "shadow";
		return;
	}
	if (!passwd_fmt && !htpasswd && strcmp(h, "x") == 0) {
		/* "x" in the shadow file: no hash, so a lock to login(1);
		 * OpenWrt's login wrapper reads it as no password (see
		 * first_config_placeholder) */
		hi->state = "locked";
		hi->scheme = "placeholder";
		return;
	}
	hi->state = "hash";
	hi->crypt = true;
	if (acc_prefix(h, "$1$")) {
		hi->scheme = "md5crypt";
		hi->weak = true;
	} else if (acc_prefix(h, "$apr1$")) {
		hi->scheme = "apr1-md5";
		hi->weak = true;
		hi->crypt = false;
	} else if (acc_prefix(h, "$md5")) {
		hi->scheme = "sunmd5";
		hi->weak = true;
	} else if (acc_prefix(h, "$3$")) {
		hi->scheme = "nthash";
		hi->weak = true;
	} else if (acc_prefix(h, "$5$")) {
		hi->scheme = "sha256crypt";
		hi->slow = true;
	} else if (acc_prefix(h, "$6$")) {
		hi->scheme = "sha512crypt";
		hi->slow = true;
	} else if (acc_prefix(h, "$2a$") || acc_prefix(h, "$2b$") || acc_prefix(h, "$2y$")) {
		hi->scheme = "bcrypt";
		hi->slow = true;
	} else if (acc_prefix(h, "$y$") || acc_prefix(h, "$gy$") || acc_prefix(h, "$7$")) {
		hi->scheme = h[1] == '7' ? "scrypt" : "yescrypt";
		hi->slow = true;
	} else if (acc_prefix(h, "$sha1$")) {
		hi->scheme = "sha1crypt";
		hi->slow = true;
	} else if (acc_prefix(h, "{SHA}")) {
		hi->scheme = "unsalted-sha1";
		hi->weak = true;
		hi->crypt = false;
	} else if (acc_prefix(h, "{SSHA}")) {
		hi->scheme = "salted-sha1";
		hi->weak = true;
		hi->crypt = false;
	} else if (n == 20 && h[0] == '_') {
		hi->scheme = "bsdi-des";
		hi->weak = true;
	} else if (n == 13) {
		for (i = 0; i < n && is_b64c(h[i]); i++)
			;
		if (i == n) {
			hi->scheme = "des";
			hi->weak = true;
		} else {
			hi->crypt = false;
		}
	} else if (n == 32 && all_of(h, n, "0123456789abcdef")) {
		hi->scheme = "unsalted-md5";
		hi->weak = true;
		hi->crypt = false;
	} else {
		hi->crypt = false;
	}
	if (!hi->crypt && strcmp(hi->scheme, "-") == 0) {
		/* Nothing crypt(3) knows: an htpasswd-style file keeps the
		 * password itself; in passwd/shadow it cannot match any input
		 * and so acts as a lock. */
		hi->state = htpasswd ? "plain" : "locked";
		if (htpasswd)
			hi->weak = true;
	}
}

/* The list entry the hash matches, or NULL. */
/* list: the passwords; user: where the --rules lists' lines start in it
 * (NULL: none). A slow scheme tries the first SLOW_CANDIDATES of each part. */
static const char *default_match(const char *list, const char *user, const char *h,
				 const struct hashinfo *hi, struct crypt_data *cd, char *pw,
				 size_t pwcap, unsigned *slow_left)
{
	const char *cur = list, *line;
	size_t len, k = 0;
	bool in_user = false;

	if (strcmp(hi->state, "hash") != 0 && strcmp(hi->state, "plain") != 0)
		return NULL;
	while (acc_list_next(&cur, &line, &len)) {
		if (user && !in_user && line >= user) {
			in_user = true;
			k = 0;
		}
		if (len >= pwcap)
			continue;
		if (hi->slow && *slow_left == 0)
			break;
		if (hi->slow && k >= SLOW_CANDIDATES) {
			if (!user || in_user)
				break;
			cur = user;
			in_user = true;
			k = 0;
			continue;
		}
		if (hi->slow)
			(*slow_left)--;
		k++;
		memcpy(pw, line, len);
		pw[len] = 0;
		if (strcmp(hi->state, "plain") == 0) {
			if (strcmp(pw, h) == 0)
				return pw;
		} else if (hi->crypt) {
			const char *r = crypt_r(pw, h, cd);
			if (r && r[0] != '*' && strcmp(r, h) == 0)
				return pw;
		} else if (strcmp(hi->scheme, "unsalted-sha1") == 0) {
			unsigned char md[20];
			unsigned char b64[64];
			unsigned int mdlen = 0;
			EVP_Digest(pw, len, md, &mdlen, EVP_sha1(), NULL);
			EVP_EncodeBlock(b64, md, (int)mdlen);
			if (strcmp((const char *)b64, h + 5) == 0)
				return pw;
		} else if (strcmp(hi->scheme, "unsalted-md5") == 0) {
			unsigned char md[16];
			char hex[33];
			unsigned int mdlen = 0;
			EVP_Digest(pw, len, md, &mdlen, EVP_md5(), NULL);
			pst_hex(md, 16, hex);
			if (strcmp(hex, h) == 0)
				return pw;
		}
	}
	return NULL;
}

static bool account_file(const struct pst_node *n)
{
	const char *b;
	if (n->kind != PST_KIND_TEXT || !n->path || n->size > (4u << 20))
		return false;
	b = acc_base(n->path);
	if (acc_suffix(b, "-") || acc_prefix(acc_where(n), "/usr/share/doc/") ||
	    acc_prefix(acc_where(n), "/usr/share/man/"))
		return false;
	return strcmp(b, "passwd") == 0 || strcmp(b, "shadow") == 0 || strcmp(b, "group") == 0 ||
	       strcmp(b, "gshadow") == 0 || strcmp(b, "master.passwd") == 0 ||
	       strstr(b, "htpasswd") || strstr(b, "htdigest") || acc_suffix(b, ".passwd") ||
	       acc_suffix(b, ".shadow") || acc_prefix(b, "passwd.") || acc_prefix(b, "shadow.");
}

static bool wants(const void *st, const struct pst_node *n)
{
	(void)st;
	return account_file(n) ||
	       ((n->kind == PST_KIND_SCRIPT || n->kind == PST_KIND_TEXT) && n->path &&
		n->size <= PST_CAP_FIRSTCONFIG && !acc_prefix(acc_where(n), "/usr/share/doc/"));
}

static bool has(struct pst_view v, const char *s)
{
	return memmem(v.p, v.len, s, strlen(s)) != NULL;
}

/* The first-configuration mechanism: text that tests whether root has a
 * password (a pattern on root's line of the shadow or passwd file, or a web
 * UI's getpasswd("root")) and tells the user to set one (the passwd command
 * named in a message, or a "no password" notice). */
static bool first_config(struct pst_view v)
{
	bool test = (has(v, "^root:") && (has(v, "/etc/shadow") || has(v, "/etc/passwd"))) ||
		    has(v, "getpasswd(\"root\")");
	return test && (has(v, "'passwd'") || has(v, "\"passwd\"") || has(v, "no password") ||
			has(v, "No password") || has(v, "no root password"));
}

/* ... whose test also takes a "!" or "x" in root's entry for no password
 * (OpenWrt's `grep '^root:[!x]\?:'` and has_root_pwd's `${pwd#[\!x]}`). */
static bool first_config_placeholder(struct pst_view v)
{
	return has(v, "!x]");
}

static enum fmt file_format(const char *base)
{
	if (strstr(base, "htpasswd") || strstr(base, "htdigest"))
		return FMT_HTPASSWD;
	if (strstr(base, "gshadow") || strcmp(base, "group") == 0)
		return FMT_GROUP;
	if (strstr(base, "shadow"))
		return FMT_SHADOW;
	return FMT_PASSWD;
}

static bool numeric(const char *s)
{
	return s[0] && strspn(s, "0123456789") == strlen(s) && strlen(s) < 10;
}

/* Group membership that grants root or sudo. Reported here: it needs no join. */
static void group_line(const struct pst_file *f, char **fld, size_t nf, uint64_t off)
{
	char ev[256];
	const char *g = fld[0];
	if (nf < 4 || !fld[3][0])
		return;
	if (!(strcmp(fld[2], "0") == 0 || strcmp(g, "wheel") == 0 || strcmp(g, "sudo") == 0 ||
	      strcmp(g, "admin") == 0))
		return;
	if (strcmp(fld[3], "root") == 0)
		return;
	snprintf(ev, sizeof(ev), "%s:%s:%s:%.160s", g, fld[1][0] ? "x" : "", fld[2], fld[3]);
	pst_finding_add(f->scan, f->node, "account.privileged-group", PST_SEV_LOW, "access", off,
			ev, "group '%s' (gid %s) gives root or sudo rights to: %s", g, fld[2],
			fld[3]);
}

static void htpasswd_line(const struct pst_file *f, const char *user, const char *h,
			  const struct hashinfo *hi, const char *def, uint64_t off)
{
	char red[64], ev[160];
	if (def) {
		acc_redact(def, strlen(def), red, sizeof(red));
		snprintf(ev, sizeof(ev), "%s:<%s hash>", user, hi->scheme);
		pst_finding_add(f->scan, f->node, "account.default-password", PST_SEV_HIGH,
				"access", off, ev,
				"web account '%s' uses a published default password (%s)", user,
				red);
	} else if (strcmp(hi->state, "plain") == 0) {
		acc_redact(h, strlen(h), red, sizeof(red));
		snprintf(ev, sizeof(ev), "%s:%s", user, red);
		pst_finding_add(f->scan, f->node, "account.plaintext-password", PST_SEV_HIGH,
				"access", off, ev,
				"web account '%s' has its password stored in clear text", user);
	} else if (hi->weak) {
		snprintf(ev, sizeof(ev), "%s:<%s hash>", user, hi->scheme);
		pst_finding_add(f->scan, f->node, "account.weak-hash", PST_SEV_MEDIUM, "access",
				off, ev,
				"web account '%s' has a %s password hash, which is cheap to crack",
				user, hi->scheme);
	} else if (strcmp(hi->state, "empty") == 0) {
		snprintf(ev, sizeof(ev), "%s:", user);
		pst_finding_add(f->scan, f->node, "account.empty-password", PST_SEV_HIGH, "access",
				off, ev, "web account '%s' has an empty password", user);
	}
}

static enum pst_err analyze(const void *st, const struct pst_file *f)
{
	enum fmt fmt = file_format(acc_base(f->node->path));
	struct crypt_data *cd = NULL;
	struct acc_line ln;
	uint64_t pos = 0;
	char line[PST_CAP_LINE + 1], pw[128];
	unsigned slow_left = PST_CAP_ACCOUNTS_SLOW;
	bool told = false, slow_told = false;

	if (!account_file(f->node)) {
		if (first_config(f->data))
			pst_fact_add(f->scan, f->node,
				     first_config_placeholder(f->data) ? "acct.firstconfig.x" :
									 "acct.firstconfig",
				     f->node->path);
		return PST_OK;
	}

	while (acc_next_line(f->data, &pos, &ln)) {
		char *fld[10], fact[1024], red[64];
		struct hashinfo hi;
		const char *def = NULL;
		size_t nf;

		if (ln.cut)
			acc_line_cap(f, &told);
		if (ln.len == 0 || ln.p[0] == '#' || memchr(ln.p, 0, ln.len))
			continue;
		memcpy(line, ln.p, ln.len);
		line[ln.len] = 0;
		nf = acc_split(line, ':', fld, 10);
		if (nf < 2 || !fld[0][0] || strlen(fld[0]) > 64)
			continue;
		if (fmt == FMT_GROUP) {
			group_line(f, fld, nf, ln.off);
			continue;
		}
		if (fmt == FMT_PASSWD && (nf < 7 || !numeric(fld[2]) || !numeric(fld[3])))
			continue;
		if (fmt == FMT_HTPASSWD && nf == 3) { /* htdigest user:realm:md5 */
			fld[1] = fld[2];
		}
		classify_hash(fld[1], fmt == FMT_PASSWD, fmt == FMT_HTPASSWD, &hi);
		if (!strcmp(hi.state, "hash") || !strcmp(hi.state, "plain")) {
			if (!cd)
				cd = pst_calloc(1, sizeof(*cd));
			if (!cd)
				return PST_ENOMEM;
			def = default_match(acc_lists_get(st, ACC_DEFAULT_PASSWORDS),
					    acc_lists_user(st, ACC_DEFAULT_PASSWORDS), fld[1], &hi,
					    cd, pw, sizeof(pw), &slow_left);
			/* out of slow tries: this account was not (fully) tried */
			if (!def && hi.slow && slow_left == 0 && !slow_told) {
				slow_told = true;
				pst_cap_hit(f->scan, f->node, "PST_CAP_ACCOUNTS_SLOW",
					    "accounts past %u slow password-hash tries were not "
					    "tried against default passwords",
					    PST_CAP_ACCOUNTS_SLOW);
			}
		}
		if (def)
			acc_redact(def, strlen(def), red, sizeof(red));
		if (fmt == FMT_HTPASSWD) {
			htpasswd_line(f, fld[0], fld[1], &hi, def, ln.off);
		} else if (fmt == FMT_PASSWD) {
			snprintf(fact, sizeof(fact), "%s%c%s%c%s%c%.300s%c%.300s%c%s%c%s%c%s%c%llu",
				 fld[0], ACC_FS, fld[2], ACC_FS, fld[3], ACC_FS, fld[5], ACC_FS,
				 fld[6], ACC_FS, hi.state, ACC_FS, hi.scheme, ACC_FS,
				 def ? red : "-", ACC_FS, (unsigned long long)ln.off);
			pst_fact_add(f->scan, f->node, "acct.user", fact);
		} else {
			snprintf(fact, sizeof(fact), "%s%c%s%c%s%c%s%c%llu", fld[0], ACC_FS,
				 hi.state, ACC_FS, hi.scheme, ACC_FS, def ? red : "-", ACC_FS,
				 (unsigned long long)ln.off);
			pst_fact_add(f->scan, f->node, "acct.shadow", fact);
		}
	}
	free(cd);
	return PST_OK;
}

/* ---- finish: join passwd with the shadow beside it ---- */

struct acct {
	const struct pst_node *pnode, *hnode; /* passwd line; line with the hash */
	uint64_t poff, hoff;
	char *name, *uid, *home, *shell, *state, *scheme, *def;
	const char *field; /* the password field as passwd shows it: "", "x", "<hash>", "*"... */
};

static const struct pst_fact *shadow_of(const struct pst_tree *t, const struct pst_node *pn,
					const char *name, char *buf, size_t cap)
{
	size_t i;
	for (i = 0; i < t->nfacts; i++) {
		const struct pst_fact *x = &t->facts[i];
		size_t n = strlen(name);
		if (strcmp(x->key, "acct.shadow") != 0 || !acc_same_dir(x->node, pn))
			continue;
		if (strcmp(acc_base(x->node->path), "shadow") != 0 &&
		    strcmp(acc_base(pn->path), "passwd") == 0)
			continue;
		if (strncmp(x->value, name, n) == 0 && x->value[n] == ACC_FS) {
			snprintf(buf, cap, "%s", x->value);
			return x;
		}
	}
	return NULL;
}

static bool has_shadow_file(const struct pst_tree *t, const struct pst_node *pn)
{
	size_t i;
	for (i = 0; i < t->nfacts; i++)
		if (strcmp(t->facts[i].key, "acct.shadow") == 0 &&
		    acc_same_dir(t->facts[i].node, pn))
			return true;
	return false;
}

/* The node at path in pn's container, or NULL. Asked only about a second
 * UID-0 account's login program, so a walk of the tree will do. */
static const struct pst_node *node_at(const struct pst_tree *t, const struct pst_node *pn,
				      const char *path)
{
	size_t cl = acc_container_len(pn);
	const struct pst_node *n = t->root;
	while (n) {
		if (n->path && n->location && strcmp(n->path, path) == 0 &&
		    acc_container_len(n) == cl && strncmp(n->location, pn->location, cl) == 0)
			return n;
		if (n->child) {
			n = n->child;
			continue;
		}
		while (n && n != t->root && !n->next)
			n = n->parent;
		n = n && n != t->root ? n->next : NULL;
	}
	return NULL;
}

/* The account's login program is not in the image: its directory is (a
 * real directory, not a link that may lead elsewhere) and the file is not.
 * Debian's installer names /bin/network-console, which the network-console
 * component brings only when a user asks for an installation over SSH. */
static bool shell_absent(const struct pst_tree *t, const struct pst_node *pn, const char *shell)
{
	char dir[512];
	const char *slash = strrchr(shell, '/');
	const struct pst_node *d;
	if (shell[0] != '/' || !slash || slash == shell || (size_t)(slash - shell) >= sizeof(dir))
		return false;
	memcpy(dir, shell, (size_t)(slash - shell));
	dir[slash - shell] = 0;
	d = node_at(t, pn, dir);
	return d && S_ISDIR(d->mode) && !node_at(t, pn, shell);
}

/* What else the image says about an empty root password: the script or page
 * that asks for one, and a network service that lets it in. */
struct rootctx {
	const struct pst_node *firstconfig;
	bool placeholder;  /* it reads shadow's "x" as no password */
	bool netlogin;
	char netrule[48], netwhere[160]; /* copied: the findings array may move */
};

/* A network service that lets root's empty password in: a shell handed
 * out, a daemon told to accept empty passwords, or telnetd with a login
 * program started whatever root's password (service.telnet at medium: not
 * behind OpenWrt's has_root_pwd gate, not failsafe-only). BusyBox login and
 * OpenWrt's login.sh log an account with an empty password straight in. */
static bool lets_empty_in(const struct pst_finding *g)
{
	return strcmp(g->rule, "service.unauthenticated-shell") == 0 ||
	       strcmp(g->rule, "service.blank-password-login") == 0 ||
	       (strcmp(g->rule, "service.telnet") == 0 && g->severity >= PST_SEV_MEDIUM);
}

static void root_context(const struct pst_tree *t, const struct pst_node *pn, struct rootctx *r)
{
	struct pst_scan *s = t->scan;
	size_t i;
	memset(r, 0, sizeof(*r));
	/* the mechanism that reads "x" as empty first, then by path: facts
	 * come in the order threads finished */
	for (i = 0; i < t->nfacts; i++) {
		const struct pst_fact *x = &t->facts[i];
		bool ph = strcmp(x->key, "acct.firstconfig.x") == 0;
		if ((!ph && strcmp(x->key, "acct.firstconfig") != 0) ||
		    !acc_same_container(x->node, pn) || (r->placeholder && !ph))
			continue;
		if (!r->firstconfig || (ph && !r->placeholder) ||
		    strcmp(x->node->path, r->firstconfig->path) < 0)
			r->firstconfig = x->node;
		r->placeholder = r->placeholder || ph;
	}
	/* the first such finding by path, then rule: findings are not sorted
	 * yet, so pick the smallest for a report that does not depend on the
	 * order threads finished in */
	for (i = 0; i < s->nfindings; i++) {
		const struct pst_finding *g = &s->findings[i];
		if (!lets_empty_in(g) || !g->node || !g->node->path ||
		    !acc_same_container(g->node, pn))
			continue;
		if (r->netlogin && (strcmp(g->node->path, r->netwhere) > 0 ||
				    (strcmp(g->node->path, r->netwhere) == 0 &&
				     strcmp(g->rule, r->netrule) >= 0)))
			continue;
		r->netlogin = true;
		snprintf(r->netrule, sizeof(r->netrule), "%s", g->rule);
		snprintf(r->netwhere, sizeof(r->netwhere), "%s", g->node->path);
	}
}

static void empty_password(struct pst_scan *s, const struct acct *a, const struct rootctx *r,
			   const char *ev)
{
	bool uid0 = strcmp(a->uid, "0") == 0, login = !acc_is_nologin_shell(a->shell);
	const char *shell = a->shell[0] ? a->shell : "/bin/sh";
	if (uid0 && strcmp(a->name, "root") == 0 && r->netlogin)
		pst_finding_add(s, a->hnode, "account.empty-password", PST_SEV_CRITICAL, "access",
				a->hoff, ev,
				"account 'root' (uid 0, shell %s) logs in without a password, and "
				"%s lets an empty password in over the network (%s)",
				shell, r->netwhere, r->netrule);
	else if (uid0 && strcmp(a->name, "root") == 0 && r->firstconfig)
		pst_finding_add(s, a->hnode, "account.first-boot-password", PST_SEV_LOW,
				"access", a->hoff, ev,
				"account 'root' (shell %s) has no password yet%s: documented "
				"first-boot state; set a password at first boot. %s tells the user "
				"to set one, and no network service in the image lets an empty "
				"password in (telnet, if any, runs only until a password is set or "
				"in failsafe mode); until then the console and the logins the "
				"distribution gates on it let anyone in as root",
				shell,
				strcmp(a->scheme, "placeholder") == 0 ?
					" (its shadow entry is 'x', which that mechanism reads as "
					"no password)" : "",
				r->firstconfig->path);
	else
		pst_finding_add(s, a->hnode, "account.empty-password",
				uid0 ? PST_SEV_CRITICAL : (login ? PST_SEV_HIGH : PST_SEV_MEDIUM),
				"access", a->hoff, ev,
				"account '%s' (uid %s, shell %s) logs in without a password",
				a->name, a->uid, shell);
}

static void judge(struct pst_scan *s, const struct acct *a, bool shadow_missing,
		  bool no_shell, const struct rootctx *r)
{
	bool uid0 = strcmp(a->uid, "0") == 0, root = strcmp(a->name, "root") == 0;
	bool login = !acc_is_nologin_shell(a->shell);
	/* root's shadow "x" under a mechanism that reads it as empty: the
	 * same first-boot state as an empty field */
	bool empty = strcmp(a->state, "empty") == 0 ||
		     (uid0 && root && strcmp(a->scheme, "placeholder") == 0 && r->placeholder);
	bool usable = strcmp(a->state, "hash") == 0 || strcmp(a->state, "plain") == 0;
	bool def = strcmp(a->def, "-") != 0;
	unsigned long uid = strtoul(a->uid, NULL, 10);
	struct hashinfo hi;
	char ev[400];
	enum pst_severity sev;

	snprintf(ev, sizeof(ev), "%s:%s:%s:…:%.120s:%.120s", a->name, a->field, a->uid, a->home,
		 a->shell);
	if (uid0 && !root) {
		const char *why;
		if (empty || def) {
			sev = PST_SEV_CRITICAL;
			why = empty ? "and no password at all" : "and a published default password";
		} else if (usable) {
			sev = PST_SEV_HIGH;
			why = "and a usable password";
		} else if (no_shell) {
			/* no password and no login program: nothing can log in
			 * as it is shipped (keys or a login program would start
			 * a shell that is not there) */
			sev = PST_SEV_LOW;
			why = "but it cannot log in as shipped: its password is locked or absent "
			      "and its login program is not in the image (Debian's installer adds "
			      "/bin/network-console only for an installation over SSH, and sets "
			      "the password then); review that whatever adds the program also sets "
			      "a password";
		} else {
			sev = PST_SEV_MEDIUM;
			why = shadow_missing ?
				      "but its password lives in a shadow file the image does not "
				      "have, so it cannot log in with a password as shipped; "
				      "review why a second root account exists" :
				      "but its password is locked, so it cannot log in with a "
				      "password; review why a second root account exists (keys or "
				      "a login program may still use it)";
		}
		pst_finding_add(s, a->pnode, "account.extra-uid0", sev, "access", a->poff, ev,
				"account '%s' has UID 0 (root's rights) %s", a->name, why);
	}
	if (empty)
		empty_password(s, a, r, ev);
	if (def) {
		sev = uid0 ? PST_SEV_CRITICAL : (login ? PST_SEV_HIGH : PST_SEV_MEDIUM);
		pst_finding_add(s, a->hnode, "account.default-password", sev, "access", a->hoff, ev,
				"account '%s' (uid %s) uses a published default password (%s; see "
				"rules/access/default-passwords.txt)",
				a->name, a->uid, a->def);
	}
	memset(&hi, 0, sizeof(hi));
	hi.weak = usable &&
		  (strcmp(a->scheme, "des") == 0 || strcmp(a->scheme, "md5crypt") == 0 ||
		   strcmp(a->scheme, "bsdi-des") == 0 || strcmp(a->scheme, "sunmd5") == 0 ||
		   strcmp(a->scheme, "nthash") == 0 || strcmp(a->scheme, "unsalted-md5") == 0 ||
		   strcmp(a->scheme, "unsalted-sha1") == 0);
	if (hi.weak && !def) {
		sev = uid0 ? PST_SEV_HIGH : (login ? PST_SEV_MEDIUM : PST_SEV_LOW);
		pst_finding_add(s, a->hnode, "account.weak-hash", sev, "access", a->hoff, ev,
				"account '%s' (uid %s) has a %s password hash, which is cheap to "
				"crack",
				a->name, a->uid, a->scheme);
	}
	if (!uid0 && uid > 0 && uid < 1000 && login && a->shell[0] &&
	    (acc_is_shell(a->shell) || acc_is_interpreter(a->shell)) && !empty && !def) {
		sev = usable ? PST_SEV_MEDIUM : PST_SEV_LOW;
		pst_finding_add(s, a->pnode, "account.service-shell", sev, "access", a->poff, ev,
				"service account '%s' (uid %s) has the login shell %s%s", a->name,
				a->uid, a->shell,
				usable ? " and a usable password" : " (its password is locked)");
	}
}

static enum pst_err finish(const void *st, const struct pst_tree *t)
{
	size_t i;
	(void)st;
	for (i = 0; i < t->nfacts; i++) {
		const struct pst_fact *x = &t->facts[i];
		char buf[1024], sbuf[512], *fld[9], *sf[5];
		const struct pst_fact *sh;
		struct acct a;
		struct rootctx r;
		bool missing = false;

		if (strcmp(x->key, "acct.user") != 0)
			continue;
		snprintf(buf, sizeof(buf), "%s", x->value);
		if (acc_split(buf, ACC_FS, fld, 9) != 9)
			continue;
		memset(&a, 0, sizeof(a));
		a.pnode = a.hnode = x->node;
		a.poff = a.hoff = strtoull(fld[8], NULL, 10);
		a.name = fld[0];
		a.uid = fld[1];
		a.home = fld[3];
		a.shell = fld[4];
		a.state = fld[5];
		a.scheme = fld[6];
		a.def = fld[7];
		a.field = strcmp(a.state, "shadow") == 0 ? "x" :
			  strcmp(a.state, "empty") == 0  ? "" :
			  strcmp(a.state, "locked") == 0 ? "<locked>" : "<hash>";
		if (strcmp(a.state, "shadow") == 0) {
			sh = shadow_of(t, x->node, a.name, sbuf, sizeof(sbuf));
			if (sh && acc_split(sbuf, ACC_FS, sf, 5) == 5) {
				a.hnode = sh->node;
				a.hoff = strtoull(sf[4], NULL, 10);
				a.state = sf[1];
				a.scheme = sf[2];
				a.def = sf[3];
			} else {
				missing = !has_shadow_file(t, x->node);
				a.state = "locked";
			}
		}
		if (strcmp(a.state, "empty") == 0 || strcmp(a.scheme, "placeholder") == 0)
			root_context(t, x->node, &r);
		else
			memset(&r, 0, sizeof(r));
		judge(t->scan, &a, missing,
		      strcmp(a.uid, "0") == 0 && shell_absent(t, x->node, a.shell), &r);
	}
	return PST_OK;
}

const struct pst_analyzer pst_analyzer_accounts = {
	.shared = &acc_lists_shared,
	.name = "accounts",
	.wants = wants,
	.analyze = analyze,
	.finish = finish,
};
