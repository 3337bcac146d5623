/*
 * yara.c - signatures: YARA rules and SHA-256 hash lists.
 *
 * init() collects the rule files of the bundled pack (rules/yara/NAME.yar,
 * rules/hashes/) and of every --rules DIR, compiles the YARA source files
 * once per run into one rule set (or loads it compiled from the cache, keyed
 * by a SHA-256 of every rule file's and every included file's name and
 * content), loads each compiled rule file (yarac output) as a set of its own
 * (libyara cannot merge compiled rules with source rules), and reads the
 * hash lists. analyze() scans each examined file with every set (libyara
 * allows concurrent scans of one YR_RULES; a worker borrows one scanner per
 * set from a pool and sets that file's external variables on it: yara_ext.c)
 * and looks its SHA-256 up in the lists. finish() reports rule files that did not
 * compile, at info: a user's broken rule is not the product's fault (a
 * policy can raise it).
 *
 * Rule ids (docs/findings/signature.md):
 *   signature.<namespace>.<rule>  a YARA match; the bundled pack's namespace
 *                                 is "postern", a user file's is its file
 *                                 name without extension ([A-Za-z0-9_]).
 *   signature.rule-error          a rule file that did not compile
 *   signature.scan-incomplete     a file's scan hit the timeout or failed
 *   hash.known-bad                the file's SHA-256 is on a known-bad list
 *   hash.known-good-silenced      on a known-good list: other findings dropped
 *
 * libyara keeps process-global state (yr_initialize/yr_finalize); it is the
 * one shared thing here, counted under a static mutex so that several scans
 * can come and go in one process.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <yara.h>
#include "internal.h"
#include "yara_entropy.h"
#include "yara_ext.h"
#include "yara_include.h"
#include "yara_cache.h"

#ifndef POSTERN_SOURCE_RULES
#define POSTERN_SOURCE_RULES "rules"
#endif
#ifndef POSTERN_INSTALL_RULES
#define POSTERN_INSTALL_RULES "/usr/local/share/postern/rules"
#endif

/* Rule files collected from all directories. */
#define RULE_FILES_MAX 20000u
/* Directory nesting under one rule directory. */
#define RULE_DEPTH_MAX 12
/* Default seconds of YARA scanning per file; a hit is signature.scan-incomplete. */
#define SCAN_TIMEOUT_DEFAULT 20
/* Matched strings shown in one finding's evidence, and bytes of each. */
#define EVIDENCE_STRINGS 4
#define EVIDENCE_BYTES 40

/* ---- libyara's process-global state ---- */
static pthread_mutex_t yr_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned yr_users;

static bool lib_acquire(void)
{
	bool ok = true;
	pthread_mutex_lock(&yr_lock);
	if (yr_users == 0 && yr_initialize() != ERROR_SUCCESS)
		ok = false;
	if (ok)
		yr_users++;
	pthread_mutex_unlock(&yr_lock);
	return ok;
}

static void lib_release(void)
{
	pthread_mutex_lock(&yr_lock);
	if (yr_users && --yr_users == 0)
		yr_finalize();
	pthread_mutex_unlock(&yr_lock);
}

/* ---- state ---- */
struct rfile {
	char *path;
	char *ns;
	uint8_t *data;
	size_t len;
	char *real;     /* realpath, the name the compiler sees (includes resolve from it) */
	bool yara;      /* else a hash list */
	bool compiled;  /* yarac output: loaded, not compiled */
	bool included;  /* another rule file includes it: compiled there only */
	bool skip;      /* did not compile */
	bool good;      /* hash list: known-good */
};

struct rerr {
	char *path;
	char *msg;
};

struct hentry {
	uint8_t sha[32];
	const char *list;  /* points into state->lists */
	char *note;
};

struct hlist {
	struct hentry *v;
	size_t n, cap;
};

/* A compiled rule file: its rules and the namespace its findings get. */
struct cset {
	YR_RULES *rules;
	char *ns;
};

/* Scanners are reused across files: creating one allocates arrays as large
 * as the rule set (per string, per rule), and with a public collection's
 * 4000 rules that cost more page faults than the scanning itself. A worker
 * takes a kit (one scanner per rule set) from the pool and gives it back,
 * so there are at most as many kits as workers. The pool is the one thing
 * analyze() changes, under its own lock. */
struct spool {
	pthread_mutex_t lock;
	YR_SCANNER ***kits;  /* free kits, each nsets scanners */
	size_t n, cap;
};

struct ystate {
	YR_RULES *rules;
	struct cset *csets;
	size_t ncsets;
	struct spool *pool;
	unsigned nrules, nfiles;
	double compile_s;  /* wall seconds to compile or load every set */
	bool lib, cache_hit;
	int timeout;
	struct rerr *errs;
	size_t nerrs, caperrs;
	struct hlist bad, good;
	char **lists;      /* names of hash list files (owned) */
	size_t nlists;
};

struct files {
	struct rfile *v;
	size_t n, cap;
};

static char *xstrdup(const char *s)
{
	return s ? pst_strdup(s) : NULL;
}

/* Bad lines of one hash list named one by one; the rest are counted. */
#define PST_HASHLIST_BAD_NAMED 5

static bool add_err(struct ystate *st, const char *path, const char *msg)
{
	if (!pst_array_grow((void **)&st->errs, &st->caperrs, st->nerrs, sizeof(*st->errs), 8))
		return false;
	st->errs[st->nerrs].path = xstrdup(path);
	st->errs[st->nerrs].msg = xstrdup(msg);
	st->nerrs++;
	return true;
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Source files, and yarac output by its usual names (a source-named file
 * that is yarac output is recognised by its magic when read). */
static bool is_yara_name(const char *name)
{
	return has_suffix(name, ".yar") || has_suffix(name, ".yara") ||
	       has_suffix(name, ".yarc") || has_suffix(name, ".yac");
}

/* known-bad*.sha256 / known-good*.txt ... */
static int hash_list_kind(const char *name)
{
	if (!has_suffix(name, ".sha256") && !has_suffix(name, ".txt"))
		return 0;
	if (strncmp(name, "known-bad", 9) == 0)
		return 1;
	if (strncmp(name, "known-good", 10) == 0)
		return 2;
	return 0;
}

static int file_cmp(const void *pa, const void *pb)
{
	const struct rfile *a = pa, *b = pb;
	return strcmp(a->path, b->path);
}

static bool files_add(struct files *fs, const char *path, bool yara, bool good)
{
	struct rfile *f;
	if (fs->n >= RULE_FILES_MAX)
		return true;
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 64;
		struct rfile *n = pst_realloc(fs->v, cap * sizeof(*n));
		if (!n)
			return false;
		fs->v = n;
		fs->cap = cap;
	}
	f = &fs->v[fs->n];
	memset(f, 0, sizeof(*f));
	f->path = pst_strdup(path);
	if (!f->path)
		return false;
	f->yara = yara;
	f->good = good;
	fs->n++;
	return true;
}

/* Collects rule files under dir: YARA files when want_yara, hash lists when
 * want_hashes. Does not follow symlinked directories. */
static bool collect(struct files *fs, const char *dir, bool want_yara, bool want_hashes,
		    unsigned depth)
{
	DIR *d;
	struct dirent *e;
	bool ok = true;

	if (depth > RULE_DEPTH_MAX)
		return true;
	d = opendir(dir);
	if (!d) {
		pst_oom_errno();
		return true;
	}
	while (ok && (e = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat st;
		int hk;
		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
			continue;
		if (lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			ok = collect(fs, path, want_yara, want_hashes, depth + 1);
			continue;
		}
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		hk = hash_list_kind(e->d_name);
		if (want_yara && is_yara_name(e->d_name))
			ok = files_add(fs, path, true, false);
		else if (want_hashes && hk)
			ok = files_add(fs, path, false, hk == 2);
	}
	closedir(d);
	return ok;
}

static bool dir_exists(const char *p)
{
	struct stat st;
	return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The bundled pack: the option, $POSTERN_RULES_DIR, the rules/ of an
 * installation the running program belongs to (<exe>/../share/postern/rules),
 * the source tree it was built from, the configured install directory. */
static char *find_pack(const struct pst_options *o)
{
	char exe[PATH_MAX], cand[PATH_MAX + 64];
	const char *env = getenv("POSTERN_RULES_DIR");
	ssize_t n;

	if (o->rules_pack)
		return pst_strdup(o->rules_pack);
	if (env && *env)
		return pst_strdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;
		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			snprintf(cand, sizeof(cand), "%s/../share/postern/rules", exe);
			if (dir_exists(cand))
				return pst_strdup(cand);
		}
	}
	if (dir_exists(POSTERN_SOURCE_RULES))
		return pst_strdup(POSTERN_SOURCE_RULES);
	if (dir_exists(POSTERN_INSTALL_RULES))
		return pst_strdup(POSTERN_INSTALL_RULES);
	return NULL;
}

/* A file's namespace: "postern" for the pack, else its name without
 * extension reduced to [A-Za-z0-9_], made unique. */
static char *make_ns(const char *path, struct files *fs, size_t upto)
{
	const char *base = strrchr(path, '/');
	char ns[96];
	size_t i, k = 0;
	unsigned suffix = 1;

	base = base ? base + 1 : path;
	for (i = 0; base[i] && base[i] != '.' && k < 64; i++) {
		char c = base[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_';
		ns[k++] = ok ? c : '_';
	}
	ns[k] = 0;
	if (k == 0)
		snprintf(ns, sizeof(ns), "rules");
	for (;;) {
		char cand[112];
		bool taken = strcmp(ns, "postern") == 0 && suffix == 1;
		if (suffix == 1)
			snprintf(cand, sizeof(cand), "%s", ns);
		else
			snprintf(cand, sizeof(cand), "%s_%u", ns, suffix);
		for (i = 0; i < upto && !taken; i++)
			if (fs->v[i].ns && strcmp(fs->v[i].ns, cand) == 0)
				taken = true;
		if (!taken)
			return pst_strdup(cand);
		suffix++;
	}
}

/* ---- hash lists ---- */
static bool hex_nibble(char c, uint8_t *v)
{
	if (c >= '0' && c <= '9')
		*v = (uint8_t)(c - '0');
	else if (c >= 'a' && c <= 'f')
		*v = (uint8_t)(c - 'a' + 10);
	else if (c >= 'A' && c <= 'F')
		*v = (uint8_t)(c - 'A' + 10);
	else
		return false;
	return true;
}

static int hentry_cmp(const void *pa, const void *pb)
{
	const struct hentry *a = pa, *b = pb;
	return memcmp(a->sha, b->sha, 32);
}

/* Lines: 64 hex digits, then an optional note; '#' starts a comment line. */
static bool parse_hash_list(struct ystate *st, const struct rfile *f, const char *list)
{
	struct hlist *hl = f->good ? &st->good : &st->bad;
	const char *p = (const char *)f->data, *end = p + f->len;
	unsigned line = 0, bad = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p, *le = eol ? eol : end;
		struct hentry h;
		size_t i;
		bool ok = true;

		line++;
		p = eol ? eol + 1 : end;
		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		if (q == le || *q == '#' || *q == '\r')
			continue;
		memset(&h, 0, sizeof(h));
		for (i = 0; i < 64 && ok; i++) {
			uint8_t hi;
			if (q + i >= le || !hex_nibble(q[i], &hi)) {
				ok = false;
				break;
			}
			h.sha[i / 2] = (uint8_t)(i % 2 ? (h.sha[i / 2] | hi) : (hi << 4));
		}
		if (ok && q + 64 < le && q[64] != ' ' && q[64] != '\t' && q[64] != '\r')
			ok = false;
		if (!ok) {
			char msg[96];
			/* The first few are named; a list of garbage is one line more. */
			if (++bad > PST_HASHLIST_BAD_NAMED)
				continue;
			snprintf(msg, sizeof(msg), "line %u: not a SHA-256 (64 hex digits)", line);
			if (!add_err(st, f->path, msg))
				return false;
			continue;
		}
		q += 64;
		while (q < le && (*q == ' ' || *q == '\t' || *q == '*'))
			q++;
		while (le > q && (le[-1] == '\r' || le[-1] == ' '))
			le--;
		h.note = pst_strndup(q, (size_t)(le - q > 160 ? 160 : le - q));
		h.list = list;
		if (!h.note)
			return false;
		if (hl->n == hl->cap) {
			size_t cap = hl->cap ? hl->cap * 2 : 64;
			struct hentry *n = pst_realloc(hl->v, cap * sizeof(*n));
			if (!n) {
				free(h.note);
				return false;
			}
			hl->v = n;
			hl->cap = cap;
		}
		hl->v[hl->n++] = h;
	}
	if (bad > PST_HASHLIST_BAD_NAMED) {
		char msg[96];
		snprintf(msg, sizeof(msg), "%u more lines are not a SHA-256 either",
			 bad - PST_HASHLIST_BAD_NAMED);
		if (!add_err(st, f->path, msg))
			return false;
	}
	return true;
}

static const struct hentry *hash_find(const struct hlist *hl, const uint8_t sha[32])
{
	struct hentry key;
	if (!hl->n)
		return NULL;
	memcpy(key.sha, sha, 32);
	return bsearch(&key, hl->v, hl->n, sizeof(*hl->v), hentry_cmp);
}

/* ---- compiling ---- */
struct cerr {
	char msg[512];
	bool any;
};

static void on_compile(int level, const char *file, int line, const YR_RULE *rule,
		       const char *message, void *user)
{
	struct cerr *ce = user;
	(void)rule;
	if (level != YARA_ERROR_LEVEL_ERROR || ce->any)
		return;
	ce->any = true;
	snprintf(ce->msg, sizeof(ce->msg), "line %d: %s", line, message);
	(void)file;
}

static int add_one(YR_COMPILER *c, const struct rfile *f, struct pst_yara_incl *incl)
{
	FILE *mf;
	int nerr;
	size_t i;
	/* the externals of the math.entropy rewrite (yara_entropy.c) and of the
	 * LOKI/THOR convention (yara_ext.c); defining them again in the same
	 * compiler is refused and harmless */
	yr_compiler_define_float_variable(c, PST_YARA_ENTROPY_VAR, 0.0);
	yr_compiler_define_integer_variable(c, PST_YARA_ENTROPY_AT_VAR, 0);
	for (i = 0; i < PST_YARA_EXT_N; i++)
		yr_compiler_define_string_variable(c, pst_yara_ext_names[i], "");
	yr_compiler_set_include_callback(c, pst_yara_incl_callback, pst_yara_incl_release, incl);
	mf = fmemopen(f->data, f->len ? f->len : 1, "r");
	if (!mf) {
		if (errno == ENOMEM) /* beside the failed call: no stale errno */
			pst_oom_note();
		return -1;
	}
	nerr = yr_compiler_add_file(c, mf, f->ns, f->real ? f->real : f->path);
	fclose(mf);
	/* a file libyara had no memory to compile is not a broken rule file */
	if (nerr && c->last_error == ERROR_INSUFFICIENT_MEMORY)
		pst_oom_note();
	return nerr;
}

/* Compiles every YARA file; a file that does not compile alone is reported
 * and left out, the others are compiled together. */
static bool is_source(const struct rfile *f)
{
	return f->yara && !f->compiled && !f->included;
}

/* The usual case first: every file compiles, together, in one compiler (a
 * public collection's 741 files compiled one by one first cost more than
 * twice the scan). Returns false, and no rules, when any file fails; the
 * caller then finds out which. */
static bool compile_at_once(struct ystate *st, struct files *fs, struct pst_yara_incl *incl,
			    bool *oom)
{
	YR_COMPILER *all = NULL;
	struct cerr ce = { .any = false };
	bool ok = true;
	size_t i;

	*oom = yr_compiler_create(&all) != ERROR_SUCCESS;
	if (*oom)
		return false;
	yr_compiler_set_callback(all, on_compile, &ce);
	for (i = 0; i < fs->n && ok; i++)
		if (is_source(&fs->v[i]) && add_one(all, &fs->v[i], incl) != 0)
			ok = false;
	if (ok && yr_compiler_get_rules(all, &st->rules) != ERROR_SUCCESS) {
		*oom = true;
		ok = false;
	}
	yr_compiler_destroy(all);
	return ok;
}

static enum pst_err compile_all(struct ystate *st, struct files *fs, struct pst_yara_incl *incl)
{
	YR_COMPILER *all = NULL;
	enum pst_err e = PST_ENOMEM;
	size_t i;
	bool again = true, oom = false;

	for (i = 0; i < fs->n; i++) {
		struct rfile *f = &fs->v[i];
		uint8_t *rw;
		size_t rwlen;
		if (is_source(f) && pst_yara_entropy_rewrite(f->data, f->len, &rw, &rwlen)) {
			free(f->data);
			f->data = rw;
			f->len = rwlen;
		}
	}
	if (compile_at_once(st, fs, incl, &oom))
		return PST_OK;
	if (oom)
		return PST_ENOMEM;
	for (i = 0; i < fs->n; i++) {
		struct rfile *f = &fs->v[i];
		YR_COMPILER *one = NULL;
		struct cerr ce = { .any = false };
		int nerr;

		if (!is_source(f))
			continue;
		if (yr_compiler_create(&one) != ERROR_SUCCESS)
			goto out;
		yr_compiler_set_callback(one, on_compile, &ce);
		nerr = add_one(one, f, incl);
		yr_compiler_destroy(one);
		if (nerr != 0) {
			if (!ce.any)
				snprintf(ce.msg, sizeof(ce.msg), "could not be read");
			if (!add_err(st, f->path, ce.msg))
				goto out;
			f->skip = true;
		}
	}
	/* Files that compile alone may still clash together (the same rule
	 * name twice in one namespace): leave the clashing one out, start over. */
	while (again) {
		again = false;
		if (all)
			yr_compiler_destroy(all);
		all = NULL;
		if (yr_compiler_create(&all) != ERROR_SUCCESS)
			goto out;
		for (i = 0; i < fs->n && !again; i++) {
			struct rfile *f = &fs->v[i];
			struct cerr ce = { .any = false };
			if (!is_source(f) || f->skip)
				continue;
			yr_compiler_set_callback(all, on_compile, &ce);
			if (add_one(all, f, incl) != 0) {
				char msg[600];
				snprintf(msg, sizeof(msg), "does not compile with the other rule files: %s",
					 ce.msg);
				if (!add_err(st, f->path, msg))
					goto out;
				f->skip = true;
				again = true;
			}
		}
	}
	if (yr_compiler_get_rules(all, &st->rules) != ERROR_SUCCESS)
		goto out;
	e = PST_OK;
out:
	if (all)
		yr_compiler_destroy(all);
	return e;
}

/* ---- the cache ---- */
static bool cache_dir(char *out, size_t len)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;
	if (x && x[0] == '/')
		n = snprintf(out, len, "%s/postern", x);
	else if (home && home[0] == '/')
		n = snprintf(out, len, "%s/.cache/postern", home);
	else
		return false;
	return n > 0 && (size_t)n < len;
}

static bool mkdirs(const char *path)
{
	char tmp[PATH_MAX];
	size_t i, n = strlen(path);
	if (n >= sizeof(tmp))
		return false;
	memcpy(tmp, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] == '/' || tmp[i] == 0) {
			char c = tmp[i];
			tmp[i] = 0;
			if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
				return false;
			tmp[i] = c;
		}
	}
	return true;
}

/* A cached file is used only when it is ours and nobody else can write it. */
static bool trusted(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	       !(st.st_mode & 022);
}

static void feed_md(void *ctx, const void *p, size_t len)
{
	EVP_DigestUpdate(ctx, p, len);
}

static void digest(const struct files *fs, struct pst_yara_incl *incl, char hex[65])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	uint8_t md[32];
	unsigned mdlen = 0;
	size_t i;
	static const char tag[] = "postern-yara-cache-3 " YR_VERSION;

	memset(md, 0, sizeof(md));
	if (c && EVP_DigestInit_ex(c, EVP_sha256(), NULL)) {
		EVP_DigestUpdate(c, tag, sizeof(tag));
		for (i = 0; i < fs->n; i++) {
			const struct rfile *f = &fs->v[i];
			uint64_t len = f->len;
			if (!f->yara || f->compiled)
				continue;
			EVP_DigestUpdate(c, f->ns, strlen(f->ns) + 1);
			EVP_DigestUpdate(c, f->path, strlen(f->path) + 1);
			EVP_DigestUpdate(c, &len, sizeof(len));
			EVP_DigestUpdate(c, f->data, f->len);
		}
		pst_yara_incl_digest(incl, feed_md, c);
		EVP_DigestFinal_ex(c, md, &mdlen);
	}
	EVP_MD_CTX_free(c);
	pst_hex(md, 32, hex);
}

/* The errors file: "path\tmessage" lines, written beside the rules. */
static bool cache_load(struct ystate *st, const char *dir, const char *key)
{
	char rpath[PATH_MAX], epath[PATH_MAX];
	size_t len = 0;
	uint8_t *ed;
	char err[64];
	char *line, *save = NULL;

	if ((size_t)snprintf(rpath, sizeof(rpath), "%s/yara-%s.rules", dir, key) >= sizeof(rpath) ||
	    (size_t)snprintf(epath, sizeof(epath), "%s/yara-%s.errors", dir, key) >= sizeof(epath))
		return false;
	if (!trusted(rpath) || !trusted(epath))
		return false;
	ed = pst_yara_read_rule_file(epath, &len, err, sizeof(err));
	if (!ed)
		return false;
	if (yr_rules_load(rpath, &st->rules) != ERROR_SUCCESS) {
		free(ed);
		return false;
	}
	for (line = strtok_r((char *)ed, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		add_err(st, line, tab + 1);
	}
	free(ed);
	return true;
}

/* Written beside and renamed into place: a reader never sees half a file. */
static void save_rules(YR_RULES *rules, const char *rpath)
{
	char tmp[PATH_MAX + 32];
	int fd;
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", rpath);
	fd = mkstemp(tmp);
	if (fd < 0)
		return;
	close(fd);
	if (yr_rules_save(rules, tmp) != ERROR_SUCCESS || chmod(tmp, 0600) != 0 ||
	    rename(tmp, rpath) != 0)
		unlink(tmp);
}

static void cache_save(const struct ystate *st, const char *dir, const char *key, size_t from)
{
	char rpath[PATH_MAX], epath[PATH_MAX], tmp[PATH_MAX + 32];
	FILE *f;
	size_t i;
	int fd;

	if (!mkdirs(dir))
		return;
	if ((size_t)snprintf(rpath, sizeof(rpath), "%s/yara-%s.rules", dir, key) >= sizeof(rpath) ||
	    (size_t)snprintf(epath, sizeof(epath), "%s/yara-%s.errors", dir, key) >= sizeof(epath))
		return;
	/* errors first: a rules file without its errors file is never loaded */
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", epath);
	fd = mkstemp(tmp);
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return;
	}
	for (i = from; i < st->nerrs; i++)
		fprintf(f, "%s\t%s\n", st->errs[i].path, st->errs[i].msg);
	if (fclose(f) != 0 || rename(tmp, epath) != 0) {
		unlink(tmp);
		return;
	}
	save_rules(st->rules, rpath);
}

/* The cache keeps the CACHE_KEEP most recently used compiled rule sets
 * (a hit refreshes a set's time): every edit of a rule directory makes a new
 * set, and without a bound a lab's cache would grow by megabytes a day. */
#define CACHE_KEEP 8

struct centry {
	char key[65];
	time_t used;
};

static int cmp_centry(const void *a, const void *b)
{
	const struct centry *x = a, *y = b;
	if (x->used != y->used)
		return x->used > y->used ? -1 : 1;
	return strcmp(x->key, y->key);
}

static void cache_touch(const char *dir, const char *key)
{
	char path[PATH_MAX];
	if ((size_t)snprintf(path, sizeof(path), "%s/yara-%s.rules", dir, key) < sizeof(path))
		utimensat(AT_FDCWD, path, NULL, 0);
}

static void cache_prune(const char *dir)
{
	struct centry *v = NULL;
	size_t n = 0, cap = 0, i;
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d) {
		pst_oom_errno();
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat st;
		size_t len = strlen(e->d_name);
		if (len != 5 + 64 + 6 || strncmp(e->d_name, "yara-", 5) != 0 ||
		    strcmp(e->d_name + 69, ".rules") != 0 ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path) ||
		    lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			struct centry *nv = pst_realloc(v, (cap = cap ? cap * 2 : 16) * sizeof(*v));
			if (!nv)
				break;
			v = nv;
		}
		memcpy(v[n].key, e->d_name + 5, 64);
		v[n].key[64] = 0;
		v[n].used = st.st_mtime;
		n++;
	}
	closedir(d);
	if (n > CACHE_KEEP) {
		qsort(v, n, sizeof(*v), cmp_centry);
		for (i = CACHE_KEEP; i < n; i++) {
			char path[PATH_MAX];
			snprintf(path, sizeof(path), "%s/yara-%s.rules", dir, v[i].key);
			unlink(path);
			snprintf(path, sizeof(path), "%s/yara-%s.errors", dir, v[i].key);
			unlink(path);
		}
	}
	free(v);
}

/* ---- shared with clamav.c (yara_cache.h) ---- */
static bool mark_path(const char *name, char *out, size_t len, bool make)
{
	char dir[PATH_MAX];
	return cache_dir(dir, sizeof(dir)) && (!make || mkdirs(dir)) &&
	       (size_t)snprintf(out, len, "%s/mark-%s", dir, name) < len;
}

bool pst_cache_has_mark(const char *name)
{
	char path[PATH_MAX];
	return mark_path(name, path, sizeof(path), false) && trusted(path);
}

void pst_cache_put_mark(const char *name)
{
	char path[PATH_MAX];
	int fd;
	if (!mark_path(name, path, sizeof(path), true))
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
}

bool pst_yara_acquire(void)
{
	return lib_acquire();
}

void pst_yara_release(void)
{
	lib_release();
}

/* The set alone, without an errors file: a translated set has no broken
 * rule files to remember. */
YR_RULES *pst_yara_cache_get(const char *key)
{
	char dir[PATH_MAX], rpath[PATH_MAX];
	YR_RULES *r = NULL;
	if (!cache_dir(dir, sizeof(dir)) ||
	    (size_t)snprintf(rpath, sizeof(rpath), "%s/yara-%s.rules", dir, key) >= sizeof(rpath) ||
	    !trusted(rpath) || yr_rules_load(rpath, &r) != ERROR_SUCCESS)
		return NULL;
	cache_touch(dir, key);
	return r;
}

void pst_yara_cache_put(YR_RULES *rules, const char *key)
{
	char dir[PATH_MAX], rpath[PATH_MAX];
	if (!cache_dir(dir, sizeof(dir)) || !mkdirs(dir) ||
	    (size_t)snprintf(rpath, sizeof(rpath), "%s/yara-%s.rules", dir, key) >= sizeof(rpath))
		return;
	save_rules(rules, rpath);
	cache_prune(dir);
}

/* ---- the scanner pool ---- */
static size_t nsets(const struct ystate *st)
{
	return 1 + st->ncsets;
}

static void kit_free(const struct ystate *st, YR_SCANNER **kit)
{
	size_t i;
	for (i = 0; kit && i < nsets(st); i++)
		if (kit[i])
			yr_scanner_destroy(kit[i]);
	free(kit);
}

/* Before the rules go: scanners point into them. */
static void pool_free(struct ystate *st)
{
	size_t i;
	if (!st->pool)
		return;
	for (i = 0; i < st->pool->n; i++)
		kit_free(st, st->pool->kits[i]);
	free(st->pool->kits);
	pthread_mutex_destroy(&st->pool->lock);
	free(st->pool);
	st->pool = NULL;
}

/* libyara 4.2 leaves these NULL when their calloc fails and still reports
 * success; scanning would then crash (issue 23). */
static bool scanner_whole(const YR_SCANNER *sc)
{
	return sc && sc->rule_matches_flags && sc->ns_unsatisfied_flags && sc->strings_temp_disabled &&
	       sc->matches && sc->unconfirmed_matches;
}

/* A kit for this worker: a free one, else a new one (NULL: out of memory). */
static YR_SCANNER **kit_get(const struct ystate *st)
{
	YR_SCANNER **kit = NULL;
	size_t i;

	pthread_mutex_lock(&st->pool->lock);
	if (st->pool->n)
		kit = st->pool->kits[--st->pool->n];
	pthread_mutex_unlock(&st->pool->lock);
	if (kit)
		return kit;
	kit = pst_calloc(nsets(st), sizeof(*kit));
	if (!kit)
		return NULL;
	for (i = 0; i < nsets(st); i++) {
		YR_RULES *r = i == 0 ? st->rules : st->csets[i - 1].rules;
		if (r && (yr_scanner_create(r, &kit[i]) != ERROR_SUCCESS || !scanner_whole(kit[i]))) {
			kit_free(st, kit);
			return NULL;
		}
	}
	return kit;
}

static void kit_put(const struct ystate *st, YR_SCANNER **kit)
{
	struct spool *p = st->pool;
	bool kept = false;

	pthread_mutex_lock(&p->lock);
	if (pst_array_grow((void **)&p->kits, &p->cap, p->n, sizeof(*p->kits), 8)) {
		p->kits[p->n++] = kit;
		kept = true;
	}
	pthread_mutex_unlock(&p->lock);
	if (!kept)
		kit_free(st, kit);
}

static bool pool_new(struct ystate *st)
{
	st->pool = pst_calloc(1, sizeof(*st->pool));
	if (!st->pool)
		return false;
	pthread_mutex_init(&st->pool->lock, NULL);
	return true;
}

/* ---- init / fini ---- */
static void ystate_free(struct ystate *st)
{
	size_t i;
	if (!st)
		return;
	pool_free(st);
	if (st->rules)
		yr_rules_destroy(st->rules);
	for (i = 0; i < st->ncsets; i++) {
		yr_rules_destroy(st->csets[i].rules);
		free(st->csets[i].ns);
	}
	free(st->csets);
	if (st->lib)
		lib_release();
	for (i = 0; i < st->nerrs; i++) {
		free(st->errs[i].path);
		free(st->errs[i].msg);
	}
	free(st->errs);
	for (i = 0; i < st->bad.n; i++)
		free(st->bad.v[i].note);
	for (i = 0; i < st->good.n; i++)
		free(st->good.v[i].note);
	free(st->bad.v);
	free(st->good.v);
	for (i = 0; i < st->nlists; i++)
		free(st->lists[i]);
	free(st->lists);
	free(st);
}

static void files_free(struct files *fs)
{
	size_t i;
	for (i = 0; i < fs->n; i++) {
		free(fs->v[i].path);
		free(fs->v[i].real);
		free(fs->v[i].ns);
		free(fs->v[i].data);
	}
	free(fs->v);
}

static size_t read_stream(void *ptr, size_t size, size_t count, void *user)
{
	return fread(ptr, size, count, user);
}

/* yarac output is loaded as it is: its rules were compiled by the user's
 * yarac, with whatever externals it declared (ours are set where declared). */
static bool load_compiled(struct ystate *st, const struct rfile *f)
{
	YR_STREAM stream = { 0 };
	YR_RULES *r = NULL;
	struct cset *n;
	FILE *mf = fmemopen(f->data, f->len, "r");
	int rc;

	if (!mf) {
		pst_oom_errno();
		return false;
	}
	stream.user_data = mf;
	stream.read = read_stream;
	rc = yr_rules_load_stream(&stream, &r);
	fclose(mf);
	if (rc == ERROR_INSUFFICIENT_MEMORY)
		return false;
	if (rc != ERROR_SUCCESS)
		return add_err(st, f->path, rc == ERROR_UNSUPPORTED_FILE_VERSION ?
				   "compiled rules of another YARA version (recompile with "
				   "yarac " YR_VERSION ")" : "not a compiled rule file libyara can load");
	n = pst_realloc(st->csets, (st->ncsets + 1) * sizeof(*n));
	if (!n) {
		yr_rules_destroy(r);
		return false;
	}
	st->csets = n;
	n[st->ncsets].rules = r;
	n[st->ncsets].ns = pst_strdup(f->ns);
	if (!n[st->ncsets].ns) {
		yr_rules_destroy(r);
		return false;
	}
	st->ncsets++;
	return true;
}

/* What each rule file includes is read first (yara_include.c); a file
 * another one includes is compiled there only, not a second time in a
 * namespace of its own (a collection's index beside its parts). */
static bool read_includes(struct files *fs, struct pst_yara_incl *incl)
{
	size_t i;
	for (i = 0; i < fs->n; i++) {
		struct rfile *f = &fs->v[i];
		if (f->yara && !f->compiled && !pst_yara_incl_scan(incl, f->path, f->data, f->len))
			return false;
	}
	for (i = 0; i < fs->n; i++)
		if (fs->v[i].yara && pst_yara_incl_has(incl, fs->v[i].path))
			fs->v[i].included = true;
	return true;
}

static unsigned count_rules(YR_RULES *rules)
{
	YR_RULE *r;
	unsigned n = 0;
	yr_rules_foreach(rules, r)
		n++;
	return n;
}

static void yara_fini(void *state)
{
	ystate_free(state);
}

static enum pst_err yara_init(const struct pst_options *o, void **state)
{
	struct ystate *st = pst_calloc(1, sizeof(*st));
	struct files fs = { NULL, 0, 0 };
	char *pack = NULL, cdir[PATH_MAX], key[65];
	struct pst_yara_incl *incl = pst_yara_incl_new();
	enum pst_err e = PST_ENOMEM;
	double t0;
	size_t i, npack, nerr0;

	if (!st || !incl)
		goto out;
	st->timeout = o->rule_timeout > 0 ? (int)(o->rule_timeout + 0.999) : SCAN_TIMEOUT_DEFAULT;
	if (!o->no_rules_pack) {
		pack = find_pack(o);
		if (!pack) {
			if (!add_err(st, "rules/", "the bundled rule pack was not found (set POSTERN_RULES_DIR)"))
				goto out;
		} else {
			char sub[PATH_MAX];
			snprintf(sub, sizeof(sub), "%s/yara", pack);
			if (!collect(&fs, sub, true, false, 0))
				goto out;
			snprintf(sub, sizeof(sub), "%s/hashes", pack);
			if (!collect(&fs, sub, false, true, 0))
				goto out;
		}
	}
	if (fs.n)
		qsort(fs.v, fs.n, sizeof(*fs.v), file_cmp);
	npack = fs.n;
	for (i = 0; o->rule_dirs && o->rule_dirs[i]; i++) {
		size_t from = fs.n;
		if (!dir_exists(o->rule_dirs[i])) {
			if (!add_err(st, o->rule_dirs[i], "not a directory"))
				goto out;
			continue;
		}
		if (!collect(&fs, o->rule_dirs[i], true, true, 0))
			goto out;
		if (fs.n > from)
			qsort(fs.v + from, fs.n - from, sizeof(*fs.v), file_cmp);
	}
	for (i = 0; i < fs.n; i++) {
		char err[128];
		struct rfile *f = &fs.v[i];
		f->ns = i < npack ? pst_strdup("postern") : make_ns(f->path, &fs, i);
		if (!f->ns)
			goto out;
		f->data = pst_yara_read_rule_file(f->path, &f->len, err, sizeof(err));
		if (!f->data) {
			if (!add_err(st, f->path, err))
				goto out;
			f->yara = false;
			f->len = 0;
			continue;
		}
		if (f->yara) {
			f->real = realpath(f->path, NULL);
			f->compiled = f->len >= 4 && memcmp(f->data, "YARA", 4) == 0;
		}
		if (!f->yara) {
			char **nl = pst_realloc(st->lists, (st->nlists + 1) * sizeof(*nl));
			if (!nl)
				goto out;
			st->lists = nl;
			st->lists[st->nlists] = pst_strdup(f->path);
			if (!st->lists[st->nlists])
				goto out;
			if (!parse_hash_list(st, f, st->lists[st->nlists++]))
				goto out;
		}
	}
	if (st->bad.n)
		qsort(st->bad.v, st->bad.n, sizeof(*st->bad.v), hentry_cmp);
	if (st->good.n)
		qsort(st->good.v, st->good.n, sizeof(*st->good.v), hentry_cmp);

	if (!lib_acquire()) {
		e = PST_ENOMEM;
		goto out;
	}
	st->lib = true;
	if (!read_includes(&fs, incl))
		goto out;
	for (i = 0; i < fs.n; i++)
		if (fs.v[i].yara)
			st->nfiles++;
	t0 = pst_now();
	nerr0 = st->nerrs;
	digest(&fs, incl, key);
	if (cache_dir(cdir, sizeof(cdir)) && cache_load(st, cdir, key)) {
		st->cache_hit = true;
		cache_touch(cdir, key);
	} else {
		e = compile_all(st, &fs, incl);
		if (e != PST_OK)
			goto out;
		if (cache_dir(cdir, sizeof(cdir))) {
			cache_save(st, cdir, key, nerr0);
			cache_prune(cdir);
		}
	}
	for (i = 0; i < fs.n; i++)
		if (fs.v[i].compiled && !load_compiled(st, &fs.v[i])) {
			e = PST_ENOMEM;
			goto out;
		}
	st->compile_s = pst_now() - t0;
	if (!pool_new(st)) {
		e = PST_ENOMEM;
		goto out;
	}
	st->nrules = count_rules(st->rules);
	for (i = 0; i < st->ncsets; i++)
		st->nrules += count_rules(st->csets[i].rules);
	for (i = 0; i < st->nerrs; i++)
		pst_message(o, PST_MSG_WARNING, "rules: %s: %s (skipped; the other rules run)",
			    st->errs[i].path, st->errs[i].msg);
	e = PST_OK;
out:
	files_free(&fs);
	pst_yara_incl_free(incl);
	free(pack);
	if (e != PST_OK) {
		ystate_free(st);
		st = NULL;
	}
	*state = st;
	return e;
}

/* ---- scanning ---- */
struct yctx {
	const struct ystate *st;
	const struct pst_file *f;
	const char *ns;  /* a compiled rule file's namespace, else NULL: the rule's */
};

static bool wants(const void *state, const struct pst_node *n)
{
	(void)state;
	if (n->mode & S_IFMT && !S_ISREG(n->mode))
		return false;
	return n->kind != PST_KIND_DIR && n->kind != PST_KIND_SYMLINK &&
	       n->kind != PST_KIND_DEVICE;
}

static const char *meta_str(const YR_RULE *rule, const char *name)
{
	const YR_META *m;
	yr_rule_metas_foreach(rule, m)
		if (m->type == META_TYPE_STRING && strcmp(m->identifier, name) == 0)
			return m->string;
	return NULL;
}

static bool meta_true(const YR_RULE *rule, const char *name)
{
	const YR_META *m;
	yr_rule_metas_foreach(rule, m)
		if (strcmp(m->identifier, name) == 0)
			return m->type == META_TYPE_BOOLEAN || m->type == META_TYPE_INTEGER ?
				       m->integer != 0 :
				       (m->string && strcmp(m->string, "true") == 0);
	return false;
}

static void put_bytes(struct pst_str *s, const uint8_t *p, size_t n, size_t total, bool redact)
{
	size_t i, show = n < EVIDENCE_BYTES ? n : EVIDENCE_BYTES;
	if (redact)
		show = n < 3 ? n : 3;
	pst_str_putc(s, '"');
	for (i = 0; i < show; i++) {
		uint8_t c = p[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			pst_str_putc(s, (char)c);
		else
			pst_str_printf(s, "\\x%02x", c);
	}
	pst_str_putc(s, '"');
	if (redact)
		pst_str_printf(s, "... (redacted, %zu bytes)", total);
	else if (show < total)
		pst_str_printf(s, "... (%zu bytes)", total);
}

static void report_match(YR_SCAN_CONTEXT *ctx, const YR_RULE *rule, const struct yctx *y)
{
	struct pst_scan *scan = y->f->scan;
	struct pst_str ev, msg;
	const YR_STRING *s;
	const YR_META *m;
	const char *tag, *desc = meta_str(rule, "description");
	const char *sev_s = meta_str(rule, "severity");
	const char *ref = meta_str(rule, "reference");
	const char *ns = y->ns ? y->ns :
			 rule->ns && rule->ns->name ? rule->ns->name : "default";
	int sev = sev_s ? pst_severity_parse(sev_s) : -1;
	bool redact = meta_true(rule, "redact");
	uint64_t first = UINT64_MAX;
	unsigned shown = 0, total = 0;
	char *id;

	pst_str_init(&ev, 600);
	pst_str_init(&msg, 1500);
	yr_rule_strings_foreach(rule, s) {
		/* libyara's match records are not always aligned (its notebook
		 * allocator packs them): copy each one out instead of using
		 * yr_string_matches_foreach, which dereferences them in place. */
		const YR_MATCH *mp = ctx->matches[s->idx].head;
		while (mp) {
			YR_MATCH mt;
			uint64_t off;
			memcpy(&mt, mp, sizeof(mt));
			mp = mt.next;
			if (mt.is_private)
				continue;
			off = (uint64_t)(mt.base + mt.offset);
			total++;
			if (off < first)
				first = off;
			if (shown >= EVIDENCE_STRINGS)
				continue;
			if (shown)
				pst_str_puts(&ev, "; ");
			pst_str_printf(&ev, "%s@0x%llx: ", s->identifier, (unsigned long long)off);
			put_bytes(&ev, mt.data, (size_t)mt.data_length, (size_t)mt.match_length,
				  redact);
			shown++;
		}
	}
	if (total > shown)
		pst_str_printf(&ev, "; %u more", total - shown);

	pst_str_printf(&msg, "YARA rule %s:%s matched", ns, rule->identifier);
	if (desc)
		pst_str_printf(&msg, ": %s", desc);
	if (rule->tags && rule->tags[0]) {
		bool firsttag = true;
		pst_str_puts(&msg, "; tags:");
		yr_rule_tags_foreach(rule, tag) {
			pst_str_printf(&msg, "%s%s", firsttag ? " " : ", ", tag);
			firsttag = false;
		}
	}
	if (ref)
		pst_str_printf(&msg, "; reference: %s", ref);
	yr_rule_metas_foreach(rule, m) {
		if (strcmp(m->identifier, "description") == 0 ||
		    strcmp(m->identifier, "severity") == 0 ||
		    strcmp(m->identifier, "reference") == 0 || strcmp(m->identifier, "redact") == 0)
			continue;
		if (m->type == META_TYPE_STRING)
			pst_str_printf(&msg, "; %s: %s", m->identifier, m->string);
		else if (m->type == META_TYPE_INTEGER)
			pst_str_printf(&msg, "; %s: %lld", m->identifier, (long long)m->integer);
		else
			pst_str_printf(&msg, "; %s: %s", m->identifier, m->integer ? "true" : "false");
	}
	id = pst_arena_printf(scan->arena, "signature.%s.%s", ns, rule->identifier);
	if (id)
		pst_finding_add(scan, y->f->node, id,
				sev >= 0 ? (enum pst_severity)sev : PST_SEV_HIGH, "signature",
				first == UINT64_MAX ? 0 : first,
				ev.len && !ev.err ? ev.p : NULL, "%s",
				msg.p && !msg.err ? msg.p : rule->identifier);
	pst_str_free(&ev);
	pst_str_free(&msg);
}

static int on_scan(YR_SCAN_CONTEXT *ctx, int message, void *data, void *user)
{
	if (message == CALLBACK_MSG_RULE_MATCHING)
		report_match(ctx, data, user);
	return CALLBACK_CONTINUE;
}

/* A container (or a raw image objects were carved from) is scanned over
 * its own ranges only (struct pst_file.own: header windows, unexplained
 * bytes), as memory blocks at their true offsets: its payload is examined
 * through its children, and reading it again would double the cost on
 * compressed noise and report a stored member's match twice. Offsets,
 * uint32(0) and filesize keep their meaning; a string cannot span two
 * ranges. */
struct blocks {
	const struct pst_file *f;
	YR_MEMORY_BLOCK blk;
	size_t next;
};

static const uint8_t *fetch_block(YR_MEMORY_BLOCK *b)
{
	const struct blocks *it = b->context;
	return it->f->data.p + b->base;
}

static YR_MEMORY_BLOCK *block_at(YR_MEMORY_BLOCK_ITERATOR *i, size_t idx)
{
	struct blocks *it = i->context;
	const struct pst_range *r;
	i->last_error = ERROR_SUCCESS;
	if (idx >= it->f->nown)
		return NULL;
	r = &it->f->own[idx];
	it->blk.base = r->off;
	it->blk.size = (size_t)r->len;
	it->blk.context = it;
	it->blk.fetch_data = fetch_block;
	it->next = idx + 1;
	return &it->blk;
}

static YR_MEMORY_BLOCK *first_block(YR_MEMORY_BLOCK_ITERATOR *i)
{
	return block_at(i, 0);
}

static YR_MEMORY_BLOCK *next_block(YR_MEMORY_BLOCK_ITERATOR *i)
{
	return block_at(i, ((struct blocks *)i->context)->next);
}

static uint64_t blocks_size(YR_MEMORY_BLOCK_ITERATOR *i)
{
	return ((struct blocks *)i->context)->f->data.len;
}

/* One file with one rule set, whole or over its own ranges, with the
 * entropy externals (yara_entropy.c) and the convention's (yara_ext.c) set
 * for it; a compiled set that did not declare one refuses it, harmlessly. */
static int scan_file(const struct ystate *st, YR_SCANNER *sc, const struct pst_yara_ext *x,
		     const struct pst_file *f, struct yctx *y)
{
	struct blocks it = { .f = f };
	YR_MEMORY_BLOCK_ITERATOR iter = { &it, first_block, next_block, blocks_size,
					  ERROR_SUCCESS };
	const struct pst_node *n = f->node;
	double e = 0.0;
	bool defined;
	size_t i;

	for (i = 0; i < PST_YARA_EXT_N; i++)
		yr_scanner_define_string_variable(sc, pst_yara_ext_names[i], x->v[i]);
	defined = pst_yara_entropy_value(f->data.p, f->data.len, f->own, f->nown,
					 n->size == f->data.len ? n->entropy :
								  pst_entropy(f->data.p, f->data.len),
					 &e);
	yr_scanner_define_float_variable(sc, PST_YARA_ENTROPY_VAR, e);
	yr_scanner_define_integer_variable(sc, PST_YARA_ENTROPY_AT_VAR,
					   defined ? 0 : PST_YARA_ENTROPY_NOWHERE);
	yr_scanner_set_callback(sc, on_scan, y);
	yr_scanner_set_timeout(sc, st->timeout);
	yr_scanner_set_flags(sc, 0);
	return f->own ? yr_scanner_scan_mem_blocks(sc, &iter) :
			yr_scanner_scan_mem(sc, f->data.p, f->data.len);
}

static enum pst_err yara_analyze(const void *state, const struct pst_file *f)
{
	const struct ystate *st = state;
	const struct pst_node *n = f->node;
	const struct hentry *h;
	struct yctx y = { st, f, NULL };
	struct pst_yara_ext x;
	YR_SCANNER **kit;
	size_t i;
	int rc;

	if (!st)
		return PST_OK;
	h = hash_find(&st->bad, n->sha256);
	if (h) {
		char hex[65];
		pst_hex(n->sha256, 32, hex);
		pst_finding_add(f->scan, n, "hash.known-bad", PST_SEV_CRITICAL, "signature", 0, hex,
				"file's SHA-256 is on the known-bad list %s%s%s", h->list,
				h->note[0] ? ": " : "", h->note);
	}
	h = hash_find(&st->good, n->sha256);
	if (h) {
		char reason[PATH_MAX + 200];
		snprintf(reason, sizeof(reason), "file's SHA-256 is on the known-good list %s%s%s",
			 h->list, h->note[0] ? ": " : "", h->note);
		pst_finding_suppress(f->scan, n, "hash.known-good-silenced", reason);
	}
	if (!st->nrules || !f->data.len)
		return PST_OK;
	pst_yara_ext_of(n, f->data.p, f->data.len, &x);
	kit = kit_get(st);
	if (!kit)
		return PST_ENOMEM;
	rc = kit[0] ? scan_file(st, kit[0], &x, f, &y) : ERROR_SUCCESS;
	for (i = 0; i < st->ncsets && rc == ERROR_SUCCESS; i++) {
		y.ns = st->csets[i].ns;
		rc = scan_file(st, kit[i + 1], &x, f, &y);
	}
	kit_put(st, kit);
	if (rc == ERROR_SCAN_TIMEOUT)
		pst_finding_add(f->scan, n, "signature.scan-incomplete", PST_SEV_LOW, "coverage", 0,
				NULL, "YARA scan stopped after %d s: rules matched so far are reported, "
				"the rest of the file was not examined", st->timeout);
	else if (rc == ERROR_INSUFFICIENT_MEMORY)
		return PST_ENOMEM;
	else if (rc != ERROR_SUCCESS)
		pst_finding_add(f->scan, n, "signature.scan-incomplete", PST_SEV_LOW, "coverage", 0,
				NULL, "YARA scan failed (libyara error %d)", rc);
	return PST_OK;
}

static enum pst_err yara_finish(const void *state, const struct pst_tree *t)
{
	const struct ystate *st = state;
	char fact[200];
	size_t i;

	if (!st)
		return PST_OK;
	for (i = 0; i < st->nerrs; i++)
		pst_finding_add(t->scan, t->root, "signature.rule-error", PST_SEV_INFO, "coverage",
				0, st->errs[i].path,
				"rule file %s: %s; this part was skipped, the other rules ran",
				st->errs[i].path, st->errs[i].msg);
	snprintf(fact, sizeof(fact), "%u rules from %u files, %s; %zu known-bad and %zu known-good hashes",
		 st->nrules, st->nfiles, st->cache_hit ? "compiled rules from cache" : "compiled",
		 st->bad.n, st->good.n);
	pst_fact_add(t->scan, t->root, "signature.rules", fact);
	/* the run object only: times differ from run to run */
	t->scan->sigs.yara_rules = st->nrules;
	t->scan->sigs.yara_files = st->nfiles;
	t->scan->sigs.yara_compile_seconds = st->compile_s;
	t->scan->sigs.yara_from_cache = st->cache_hit;
	return PST_OK;
}

const struct pst_analyzer pst_analyzer_yara = {
	.name = "yara",
	.init = yara_init,
	.fini = yara_fini,
	.wants = wants,
	.analyze = yara_analyze,
	.finish = yara_finish,
};
