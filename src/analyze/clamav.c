/*
 * clamav.c - ClamAV databases through libclamav (--clamav-db DIR).
 *
 * init() loads the database directory once per scan into one engine
 * (cl_load: .cvd/.cld from freshclam, .hdb/.hsb/.ndb/.ldb/... a lab writes)
 * and compiles it; the workers share it (libclamav allows concurrent scans
 * of a compiled engine). analyze() hands each examined file's bytes to
 * libclamav from memory (cl_fmap_open_memory + cl_scanmap_callback), with
 * every one of ClamAV's own parsers and unpackers switched off: postern has
 * already unpacked the file, and its sink is the one place limits are kept.
 * What remains is what the database's signatures need on raw bytes: hash
 * signatures (.hdb/.hsb: whole-file MD5/SHA-1/SHA-256), body signatures
 * (.ndb, target type 0 "any file"; type 6 "ELF" still applies, the type is
 * recognised without the ELF parser) and logical signatures (.ldb) over
 * them. Signatures that need a parsed structure (PE sections, .mdb;
 * normalised HTML or mail bodies) do not fire.
 *
 * Rule ids (docs/findings/signature.md):
 *   signature.clamav              a ClamAV signature matched (high)
 *   signature.scan-incomplete     libclamav failed on a file
 *
 * Without --clamav-db nothing of libclamav runs: cl_init is not called and
 * the state stays NULL (pst_clamav_initialized() says so for the tests),
 * and libclamav is not even loaded (CL_FUNCS below). A build without
 * libclamav (POSTERN_HAVE_CLAMAV undefined), or one whose libclamav does
 * not load, refuses the option.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

#ifdef POSTERN_HAVE_CLAMAV
#include <dirent.h>
#include <clamav.h>
#include <openssl/evp.h>
#include "clamav_db.h"
#include "dynlib.h"
#include "yara_cache.h"

/* The libclamav functions postern calls. libclamav is opened when a scan
 * first asks for a database (clamav_init, before the caller enters the
 * sandbox) or pst_clamav_available() is asked: a scan without --clamav-db
 * never maps it, nor the libraries it pulls in. */
#define CL_FUNCS(X)                                                                     \
	X(cl_init) X(cl_engine_new) X(cl_engine_free) X(cl_engine_set_num)               \
	X(cl_engine_set_str) X(cl_engine_compile) X(cl_load) X(cl_strerror)              \
	X(cl_retflevel) X(cl_cvdverify) X(cl_fmap_open_memory) X(cl_fmap_close)          \
	X(cl_scanmap_callback)
struct cl_fns {
	CL_FUNCS(PST_DYNLIB_FN)
};
#define CL_SYM(f) PST_DYNLIB_SYM(struct cl_fns, f)
static const struct pst_dynsym cl_syms[] = { CL_FUNCS(CL_SYM) };
static struct cl_fns cl;
static struct pst_dynlib cl_lib = PST_DYNLIB(PST_LIBCLAMAV_SONAME, cl_syms, cl);

/* Seconds of scanning the translated signatures in one file (yara.c's
 * default); a hit is signature.scan-incomplete. */
#define SCAN_TIMEOUT 20

/* cl_init() sets up process-global state and has no counterpart: it is
 * called once, the first time a scan asks for a database. */
static pthread_mutex_t cl_lock = PTHREAD_MUTEX_INITIALIZER;
static bool cl_ready;

bool pst_clamav_initialized(void)
{
	bool r;
	pthread_mutex_lock(&cl_lock);
	r = cl_ready;
	pthread_mutex_unlock(&cl_lock);
	return r;
}

static bool lib_init(void)
{
	bool ok;
	if (!pst_dynlib_load(&cl_lib))
		return false;
	pthread_mutex_lock(&cl_lock);
	if (!cl_ready && cl.cl_init(CL_INIT_DEFAULT) == CL_SUCCESS)
		cl_ready = true;
	ok = cl_ready;
	pthread_mutex_unlock(&cl_lock);
	return ok;
}

/* Scanners are kept between files (creating one allocates arrays as large
 * as the translated rule set); a worker borrows one. */
struct kpool {
	pthread_mutex_t lock;
	YR_SCANNER **free;
	size_t n, cap;
};

struct cstate {
	struct pst_clamdb db;      /* hash table and signature names */
	YR_RULES *rules;           /* translated body and logical signatures */
	bool yr;                   /* libyara acquired */
	struct kpool pool;
	struct cl_engine *engine;  /* what is left to libclamav; NULL when nothing */
	char *tmp;                 /* private, empty: libclamav's per-scan directories */
	unsigned sigs;
	double load_s;
};

static void clamav_fini(void *state)
{
	struct cstate *st = state;
	size_t i;
	if (!st)
		return;
	for (i = 0; i < st->pool.n; i++)
		yr_scanner_destroy(st->pool.free[i]);
	free(st->pool.free);
	pthread_mutex_destroy(&st->pool.lock);
	if (st->rules)
		yr_rules_destroy(st->rules);
	if (st->yr)
		pst_yara_release();
	if (st->engine)
		cl.cl_engine_free(st->engine);
	pst_clamdb_free(&st->db);
	free(st->tmp);
	free(st);
}

/* libclamav skips (and calls clean) what exceeds its size limits: postern's
 * own limits already bound a file, so libclamav's are set past them. */
static bool engine_limits(struct cl_engine *e, const struct pst_options *o)
{
	long long max = (long long)o->limits.max_file_bytes;
	if (max <= 0)
		max = 256ll << 20;
	return cl.cl_engine_set_num(e, CL_ENGINE_MAX_FILESIZE, max) == CL_SUCCESS &&
	       cl.cl_engine_set_num(e, CL_ENGINE_MAX_SCANSIZE, max) == CL_SUCCESS &&
	       cl.cl_engine_set_num(e, CL_ENGINE_PCRE_MAX_FILESIZE, max) == CL_SUCCESS;
}

const char *pst_clamav_scratch(const void *state)
{
	const struct cstate *st = state;
	return st ? st->tmp : NULL;
}

/* libclamav 1.x makes (and removes) a directory for every scan, even with
 * all its unpackers off, when nothing is written in it: give it a private
 * one the sandbox lets it write under. It is one per user, kept between
 * runs: a sandboxed scan could not remove its own (Landlock allows changes
 * under it, not of it). One that is not ours alone is not used. */
static bool make_tmp(struct cstate *st, const struct pst_options *o)
{
	const char *base = getenv("TMPDIR");
	char path[PATH_MAX];
	struct stat sb;
	if (!base || base[0] != '/')
		base = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/postern-clamav-%u", base,
			     (unsigned)geteuid()) >= sizeof(path))
		return false;
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return false;
	if (lstat(path, &sb) != 0 || !S_ISDIR(sb.st_mode) || sb.st_uid != geteuid() ||
	    (sb.st_mode & 077)) {
		pst_message(o, PST_MSG_WARNING, "%s is not a private directory of this user", path);
		return false;
	}
	st->tmp = pst_strdup(path);
	return st->tmp != NULL;
}

/* Loads path (a database directory) into a new engine, and official (the
 * parts of verified containers, or NULL) as signed databases: libclamav
 * names their detections as it does when it reads the container itself. */
static enum pst_err load_engine(struct cstate *st, const struct pst_options *o, const char *path,
				const char *official)
{
	unsigned n = 0;
	cl_error_t rc;

	if (!lib_init())
		return PST_ENOMEM;
	st->engine = cl.cl_engine_new();
	if (!st->engine || !engine_limits(st->engine, o) || (!st->tmp && !make_tmp(st, o)) ||
	    cl.cl_engine_set_str(st->engine, CL_ENGINE_TMPDIR, st->tmp) != CL_SUCCESS)
		return PST_ENOMEM;
	rc = cl.cl_load(path, st->engine, &n, CL_DB_STDOPT);
	if (rc == CL_SUCCESS && official)
		rc = cl.cl_load(official, st->engine, &n, CL_DB_STDOPT | CL_DB_OFFICIAL);
	if (rc == CL_SUCCESS)
		rc = cl.cl_engine_compile(st->engine);
	if (rc != CL_SUCCESS) {
		pst_message(o, PST_MSG_WARNING, "--clamav-db %s: %s", o->clamav_db,
			    cl.cl_strerror(rc));
		return rc == CL_EMEM ? PST_ENOMEM : PST_EUSAGE;
	}
	st->sigs += n;
	return PST_OK;
}

/* Empties and removes a directory of files this scan wrote. */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	while (d && (ent = readdir(d)) != NULL) {
		char path[PATH_MAX + 256];
		if (ent->d_name[0] != '.' &&
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, ent->d_name) < sizeof(path))
			unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static bool make_dir(const struct cstate *st, char *dir, size_t cap)
{
	return (size_t)snprintf(dir, cap, "%s/db-XXXXXX", st->tmp) < cap && mkdtemp(dir);
}

static bool has_official(const struct pst_clamdb *db)
{
	for (size_t i = 0; i < db->nparts; i++)
		if (db->parts[i].official)
			return true;
	return false;
}

/* The signatures left to libclamav, written to directories of their own
 * (libclamav loads from files only; the verified containers' parts apart)
 * that are removed once they are loaded. */
static enum pst_err load_left(struct cstate *st, const struct pst_options *o)
{
	char dir[PATH_MAX], off[PATH_MAX];
	bool two = has_official(&st->db);
	enum pst_err e = PST_EIO;

	if (!st->tmp && !make_tmp(st, o))
		return PST_ENOMEM;
	if (!make_dir(st, dir, sizeof(dir)))
		return PST_EIO;
	if (two && !make_dir(st, off, sizeof(off))) {
		rmdir(dir);
		return PST_EIO;
	}
	if (pst_clamdb_write_left(&st->db, dir) && pst_clamdb_write_parts(&st->db, dir, false) &&
	    (!two || pst_clamdb_write_parts(&st->db, off, true)))
		e = load_engine(st, o, dir, two ? off : NULL);
	remove_dir(dir);
	if (two)
		remove_dir(off);
	return e;
}

/* The SHA-256 of a file, in hex. */
static bool file_sha256(const char *path, char hex[65])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	FILE *f = fopen(path, "rb");
	uint8_t buf[65536], md[32];
	unsigned mdlen = 0;
	size_t n;
	bool ok = c && f && EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	while (ok && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		ok = EVP_DigestUpdate(c, buf, n);
	ok = ok && f && !ferror(f) && EVP_DigestFinal_ex(c, md, &mdlen) && mdlen == 32;
	if (ok)
		pst_hex(md, 32, hex);
	if (f)
		fclose(f);
	EVP_MD_CTX_free(c);
	return ok;
}

/* A .cvd or .cld is used part by part only when libclamav verifies it (its
 * digest and ClamAV's signature) as it would before loading it whole.
 * cl_cvdverify loads the whole container, so a verdict is remembered in
 * the cache by the digest of the bytes postern read (the file is hashed
 * again after the check: what libclamav verified is what was read). */
static bool verify_container(const char *path, const void *buf, size_t len)
{
	uint8_t md[32];
	char mark[96], hex[65], again[65];
	pst_sha256(buf, len, md);
	pst_hex(md, 32, hex);
	snprintf(mark, sizeof(mark), "clamav-verified-%s", hex);
	if (pst_cache_has_mark(mark))
		return true;
	if (!lib_init() || cl.cl_cvdverify(path) != CL_SUCCESS || !file_sha256(path, again) ||
	    strcmp(hex, again) != 0)
		return false;
	pst_cache_put_mark(mark);
	return true;
}

/* The translated rules, from the cache when this translation was compiled
 * before (keyed by the YARA source and libyara's version). false: they do
 * not compile, and the whole database goes to libclamav instead. */
static bool load_rules(struct cstate *st)
{
	static const char tag[] = "postern-clamav-yara-1 " YR_VERSION;
	YR_COMPILER *c = NULL;
	uint8_t md[32];
	char key[65];
	struct pst_str in;

	pst_str_init(&in, st->db.yara.len + sizeof(tag) + 1);
	pst_str_add(&in, tag, sizeof(tag));
	pst_str_add(&in, st->db.yara.p, st->db.yara.len);
	if (in.err) {
		pst_str_free(&in);
		return false;
	}
	pst_sha256((const uint8_t *)in.p, in.len, md);
	pst_str_free(&in);
	pst_hex(md, 32, key);
	st->rules = pst_yara_cache_get(key);
	if (st->rules)
		return true;
	if (yr_compiler_create(&c) != ERROR_SUCCESS)
		return false;
	if (yr_compiler_add_string(c, st->db.yara.p, NULL) == 0 &&
	    yr_compiler_get_rules(c, &st->rules) == ERROR_SUCCESS)
		pst_yara_cache_put(st->rules, key);
	yr_compiler_destroy(c);
	return st->rules != NULL;
}

/* Splits the database (clamav_db.c): hash signatures into a table, body
 * and logical ones into YARA where exact, libclamav for the rest only. */
static enum pst_err load_split(struct cstate *st, const struct pst_options *o)
{
	enum pst_err e =
		pst_clamdb_read_ex(o->clamav_db, cl.cl_retflevel(), verify_container, &st->db);
	if (e != PST_OK) {
		if (st->db.unreadable[0])
			pst_message(o, PST_MSG_WARNING, "--clamav-db %s: cannot read %s",
				    o->clamav_db, st->db.unreadable);
		return e;
	}
	if (!st->db.whole && st->db.yara.len) {
		if (!pst_yara_acquire())
			return PST_ENOMEM;
		st->yr = true;
		if (!load_rules(st)) {
			pst_message(o, PST_MSG_WARNING, "--clamav-db %s: the translated signatures "
				    "did not compile; libclamav reads them all", o->clamav_db);
			st->db.whole = true;
		}
	}
	if (st->db.whole) {
		pst_clamdb_free(&st->db);
		return load_engine(st, o, o->clamav_db, NULL);
	}
	st->sigs += (unsigned)st->db.nhashes + st->db.nyara;
	if (st->db.nleft || st->db.nothers || st->db.nparts)
		return load_left(st, o);
	return PST_OK;
}

static enum pst_err clamav_init(const struct pst_options *o, void **state)
{
	struct cstate *st = NULL;
	struct stat sb;
	enum pst_err e;
	double t0;

	*state = NULL;
	if (!o->clamav_db)
		return PST_OK;
	if (!pst_dynlib_load(&cl_lib)) {
		pst_message(o, PST_MSG_WARNING, "--clamav-db is unavailable: %s",
			    pst_dynlib_error(&cl_lib));
		return PST_EUNSUPPORTED;
	}
	if (stat(o->clamav_db, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		pst_message(o, PST_MSG_WARNING, "--clamav-db %s: not a directory", o->clamav_db);
		return PST_EUSAGE;
	}
	st = pst_calloc(1, sizeof(*st));
	if (!st)
		return PST_ENOMEM;
	pthread_mutex_init(&st->pool.lock, NULL);
	t0 = pst_now();
	e = load_split(st, o);
	if (e != PST_OK) {
		clamav_fini(st);
		return e;
	}
	st->load_s = pst_now() - t0;
	*state = st;
	return PST_OK;
}

static bool wants(const void *state, const struct pst_node *n)
{
	if (!state || (n->mode & S_IFMT && !S_ISREG(n->mode)))
		return false;
	return n->kind != PST_KIND_DIR && n->kind != PST_KIND_SYMLINK &&
	       n->kind != PST_KIND_DEVICE && n->kind != PST_KIND_EMPTY;
}

/* One run of bytes through libclamav: CL_CLEAN, CL_VIRUS (*virname set) or
 * an error. */
static cl_error_t scan_bytes(const struct cstate *st, const uint8_t *p, size_t len,
			     const char **virname)
{
	/* general: none (no heuristics, first match); parse: nothing of
	 * ClamAV's own; heuristic, mail, dev: none */
	struct cl_scan_options opts = { 0 };
	unsigned long scanned = 0;
	cl_fmap_t *map = cl.cl_fmap_open_memory(p, len);
	cl_error_t rc;

	if (!map)
		return CL_EMEM;
	rc = cl.cl_scanmap_callback(map, NULL, virname, &scanned, st->engine, &opts, NULL);
	cl.cl_fmap_close(map);
	return rc;
}

/* ---- postern's own part: hashes and the translated rules ---- */
static void lower_sig(long *best, long sig)
{
	if (sig >= 0 && (*best < 0 || sig < *best))
		*best = sig;
}

/* sha is the node's own SHA-256 when p is the whole file, else NULL. */
static long hash_match(const struct cstate *st, const uint8_t *p, size_t len, const uint8_t *sha)
{
	static const unsigned dlens[3] = { 16, 20, 32 };
	long best = -1;
	int i;
	for (i = 0; i < 3; i++) {
		uint8_t md[EVP_MAX_MD_SIZE];
		unsigned mdlen = 0;
		if (!pst_clamdb_hash_wants(&st->db, len, dlens[i]))
			continue;
		if (i == 2 && sha)
			memcpy(md, sha, 32);
		else if (!EVP_Digest(p, len, md, &mdlen, i == 0 ? EVP_md5() : i == 1 ? EVP_sha1() :
				     EVP_sha256(), NULL))
			continue;
		lower_sig(&best, pst_clamdb_hash_find(&st->db, len, dlens[i], md));
	}
	return best;
}

static long sig_of(const char *id)
{
	char *end;
	long v = strtol(id, &end, 10);
	return *end ? -1 : v;
}

/* A grouped rule (g<n>) names its signatures by string ($s<sig>), a rule
 * of its own (r<sig>) by its name. */
static int on_match(YR_SCAN_CONTEXT *ctx, int msg, void *data, void *user)
{
	const YR_RULE *rule = data;
	const YR_STRING *s;
	const YR_MATCH *m;
	long *best = user;
	if (msg != CALLBACK_MSG_RULE_MATCHING)
		return CALLBACK_CONTINUE;
	if (rule->identifier[0] == 'r') {
		lower_sig(best, sig_of(rule->identifier + 1));
		return CALLBACK_CONTINUE;
	}
	yr_rule_strings_foreach(rule, s) {
		yr_string_matches_foreach(ctx, s, m) {
			lower_sig(best, sig_of(s->identifier + 2));
			break;
		}
	}
	return CALLBACK_CONTINUE;
}

static YR_SCANNER *scanner_get(struct cstate *st)
{
	YR_SCANNER *sc = NULL;
	pthread_mutex_lock(&st->pool.lock);
	if (st->pool.n)
		sc = st->pool.free[--st->pool.n];
	pthread_mutex_unlock(&st->pool.lock);
	if (!sc && yr_scanner_create(st->rules, &sc) != ERROR_SUCCESS)
		return NULL;
	yr_scanner_set_flags(sc, SCAN_FLAGS_FAST_MODE);
	yr_scanner_set_timeout(sc, SCAN_TIMEOUT);
	return sc;
}

static void scanner_put(struct cstate *st, YR_SCANNER *sc)
{
	pthread_mutex_lock(&st->pool.lock);
	if (st->pool.n == st->pool.cap) {
		size_t cap = st->pool.cap ? st->pool.cap * 2 : 8;
		YR_SCANNER **v = pst_realloc(st->pool.free, cap * sizeof(*v));
		if (v) {
			st->pool.free = v;
			st->pool.cap = cap;
		}
	}
	if (st->pool.n < st->pool.cap)
		st->pool.free[st->pool.n++] = sc;
	else
		yr_scanner_destroy(sc);
	pthread_mutex_unlock(&st->pool.lock);
}

/* The translated signature that matched (the lowest numbered), or -1;
 * *err on a scan that could not finish. */
static long yara_match(struct cstate *st, const uint8_t *p, size_t len, int *err)
{
	long best = -1;
	YR_SCANNER *sc;
	if (!st->rules)
		return -1;
	sc = scanner_get(st);
	if (!sc) {
		*err = ERROR_INSUFFICIENT_MEMORY;
		return -1;
	}
	yr_scanner_set_callback(sc, on_match, &best);
	*err = yr_scanner_scan_mem(sc, p, len);
	scanner_put(st, sc);
	return best;
}

/* The lowest numbered body or logical signature that matched, from the
 * plain ones postern matches itself and the YARA translation, or NULL. */
static const char *pattern_match(struct cstate *st, const uint8_t *p, size_t len, int *err)
{
	long best = yara_match(st, p, len, err), own = -1;
	if (st->db.bodies.n) {
		own = pst_cbodies_match(&st->db.bodies, p, len);
		if (own == -2) /* reported as a scan that could not finish */
			*err = ERROR_SCAN_TIMEOUT;
	}
	lower_sig(&best, own);
	return best >= 0 && (size_t)best < st->db.ynames.n ? st->db.ynames.v[best] : NULL;
}

/* libclamav finds nothing in a file this small (any signature kind), and
 * postern's part answers as it would. */
#define CL_MIN_BYTES 6

/* One piece of a file: hash signatures, then the translated ones, then
 * libclamav's. */
static cl_error_t scan_piece(struct cstate *st, const uint8_t *p, size_t len, const uint8_t *sha,
			     const char **virname, int *yerr)
{
	long h;
	if (len < CL_MIN_BYTES)
		return CL_CLEAN;
	h = hash_match(st, p, len, sha);
	if (h >= 0 && (size_t)h < st->db.hnames.n)
		*virname = st->db.hnames.v[h];
	else
		*virname = pattern_match(st, p, len, yerr);
	if (*virname)
		return CL_VIRUS;
	if (!st->engine)
		return CL_CLEAN;
	return scan_bytes(st, p, len, virname);
}

/* A container is scanned over its own bytes only, as YARA reads it
 * (struct pst_file.own; docs/findings/signature.md): its members are
 * scanned as the files they are, and reading them again inside the
 * container would report each match twice and double the work. So a hash
 * signature of a whole container does not fire here: postern's known-bad
 * hash lists cover every node, containers included. The state is changed
 * only in its scanner pool, under its lock. */
static enum pst_err clamav_analyze(const void *state, const struct pst_file *f)
{
	struct cstate *st = (struct cstate *)state;
	const char *virname = NULL;
	cl_error_t rc = CL_CLEAN;
	uint64_t at = 0;
	size_t i;
	int yerr = ERROR_SUCCESS;

	if (!st || !f->data.len)
		return PST_OK;
	if (!f->own) {
		rc = scan_piece(st, f->data.p, f->data.len,
				f->data.len == f->node->size ? f->node->sha256 : NULL, &virname,
				&yerr);
	} else {
		for (i = 0; i < f->nown && rc == CL_CLEAN; i++) {
			at = f->own[i].off;
			rc = scan_piece(st, f->data.p + at, (size_t)f->own[i].len, NULL, &virname,
					&yerr);
		}
	}
	if (rc == CL_VIRUS && virname)
		pst_finding_add(f->scan, f->node, "signature.clamav", PST_SEV_HIGH, "signature", at,
				virname, "ClamAV signature %s matched", virname);
	else if (rc == CL_EMEM || yerr == ERROR_INSUFFICIENT_MEMORY)
		return PST_ENOMEM;
	else if (rc != CL_CLEAN && rc != CL_VIRUS)
		pst_finding_add(f->scan, f->node, "signature.scan-incomplete", PST_SEV_LOW,
				"coverage", 0, NULL, "ClamAV scan failed: %s", cl.cl_strerror(rc));
	if (yerr != ERROR_SUCCESS && yerr != ERROR_INSUFFICIENT_MEMORY)
		pst_finding_add(f->scan, f->node, "signature.scan-incomplete", PST_SEV_LOW,
				"coverage", 0, NULL, "ClamAV signatures (as YARA) scan failed: "
				"libyara error %d", yerr);
	return PST_OK;
}

static enum pst_err clamav_finish(const void *state, const struct pst_tree *t)
{
	const struct cstate *st = state;
	char fact[96];
	if (!st)
		return PST_OK;
	snprintf(fact, sizeof(fact), "%u ClamAV signatures", st->sigs);
	pst_fact_add(t->scan, t->root, "signature.clamav", fact);
	t->scan->sigs.clamav_loaded = true;
	t->scan->sigs.clamav_signatures = st->sigs;
	t->scan->sigs.clamav_hash = (unsigned)st->db.nhashes;
	t->scan->sigs.clamav_yara = st->db.nyara;
	t->scan->sigs.clamav_libclamav = st->sigs - (unsigned)st->db.nhashes - st->db.nyara;
	t->scan->sigs.clamav_load_seconds = st->load_s;
	return PST_OK;
}

#else /* a build without libclamav */

const char *pst_clamav_scratch(const void *state)
{
	(void)state;
	return NULL;
}

bool pst_clamav_initialized(void)
{
	return false;
}

static enum pst_err clamav_init(const struct pst_options *o, void **state)
{
	*state = NULL;
	if (!o->clamav_db)
		return PST_OK;
	pst_message(o, PST_MSG_WARNING, "--clamav-db is unavailable: this postern was built "
		    "without libclamav (install libclamav-dev and rebuild)");
	return PST_EUNSUPPORTED;
}

static void clamav_fini(void *state)
{
	(void)state;
}

static bool wants(const void *state, const struct pst_node *n)
{
	(void)state;
	(void)n;
	return false;
}

static enum pst_err clamav_analyze(const void *state, const struct pst_file *f)
{
	(void)state;
	(void)f;
	return PST_OK;
}

static enum pst_err clamav_finish(const void *state, const struct pst_tree *t)
{
	(void)state;
	(void)t;
	return PST_OK;
}
#endif

bool pst_clamav_available(void)
{
#ifdef POSTERN_HAVE_CLAMAV
	return pst_dynlib_load(&cl_lib);
#else
	return false;
#endif
}

const char *pst_clamav_error(void)
{
#ifdef POSTERN_HAVE_CLAMAV
	return pst_dynlib_error(&cl_lib);
#else
	return "this postern was built without libclamav";
#endif
}

const struct pst_analyzer pst_analyzer_clamav = {
	.name = "clamav",
	.init = clamav_init,
	.fini = clamav_fini,
	.wants = wants,
	.analyze = clamav_analyze,
	.finish = clamav_finish,
};
