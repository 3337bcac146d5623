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
 * the state stays NULL (pst_clamav_initialized() says so for the tests). A
 * build without libclamav (POSTERN_HAVE_CLAMAV undefined) refuses the
 * option.
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
#include <clamav.h>

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
	pthread_mutex_lock(&cl_lock);
	if (!cl_ready && cl_init(CL_INIT_DEFAULT) == CL_SUCCESS)
		cl_ready = true;
	ok = cl_ready;
	pthread_mutex_unlock(&cl_lock);
	return ok;
}

struct cstate {
	struct cl_engine *engine;
	char *tmp;          /* private, empty: libclamav's per-scan directories */
	unsigned sigs;
	double load_s;
};

static void clamav_fini(void *state)
{
	struct cstate *st = state;
	if (!st)
		return;
	if (st->engine)
		cl_engine_free(st->engine);
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
	return cl_engine_set_num(e, CL_ENGINE_MAX_FILESIZE, max) == CL_SUCCESS &&
	       cl_engine_set_num(e, CL_ENGINE_MAX_SCANSIZE, max) == CL_SUCCESS &&
	       cl_engine_set_num(e, CL_ENGINE_PCRE_MAX_FILESIZE, max) == CL_SUCCESS;
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
	st->tmp = strdup(path);
	if (!st->tmp)
		return false;
	return cl_engine_set_str(st->engine, CL_ENGINE_TMPDIR, st->tmp) == CL_SUCCESS;
}

static enum pst_err clamav_init(const struct pst_options *o, void **state)
{
	struct cstate *st = NULL;
	struct stat sb;
	cl_error_t rc;
	double t0;

	*state = NULL;
	if (!o->clamav_db)
		return PST_OK;
	if (stat(o->clamav_db, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		pst_message(o, PST_MSG_WARNING, "--clamav-db %s: not a directory", o->clamav_db);
		return PST_EUSAGE;
	}
	if (!lib_init())
		return PST_ENOMEM;
	st = calloc(1, sizeof(*st));
	if (!st)
		return PST_ENOMEM;
	t0 = pst_now();
	st->engine = cl_engine_new();
	if (!st->engine || !engine_limits(st->engine, o) || !make_tmp(st, o)) {
		clamav_fini(st);
		return PST_ENOMEM;
	}
	rc = cl_load(o->clamav_db, st->engine, &st->sigs, CL_DB_STDOPT);
	if (rc == CL_SUCCESS)
		rc = cl_engine_compile(st->engine);
	if (rc != CL_SUCCESS) {
		pst_message(o, PST_MSG_WARNING, "--clamav-db %s: %s", o->clamav_db, cl_strerror(rc));
		clamav_fini(st);
		return rc == CL_EMEM ? PST_ENOMEM : PST_EUSAGE;
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
	cl_fmap_t *map = cl_fmap_open_memory(p, len);
	cl_error_t rc;

	if (!map)
		return CL_EMEM;
	rc = cl_scanmap_callback(map, NULL, virname, &scanned, st->engine, &opts, NULL);
	cl_fmap_close(map);
	return rc;
}

/* A container is scanned over its own bytes only, as YARA reads it
 * (struct pst_file.own; docs/findings/signature.md): its members are
 * scanned as the files they are, and reading them again inside the
 * container would report each match twice and double the work. So a hash
 * signature of a whole container does not fire here: postern's known-bad
 * hash lists cover every node, containers included. */
static enum pst_err clamav_analyze(const void *state, const struct pst_file *f)
{
	const struct cstate *st = state;
	const char *virname = NULL;
	cl_error_t rc = CL_CLEAN;
	uint64_t at = 0;
	size_t i;

	if (!st || !f->data.len)
		return PST_OK;
	if (!f->own) {
		rc = scan_bytes(st, f->data.p, f->data.len, &virname);
	} else {
		for (i = 0; i < f->nown && rc == CL_CLEAN; i++) {
			at = f->own[i].off;
			rc = scan_bytes(st, f->data.p + at, (size_t)f->own[i].len, &virname);
		}
	}
	if (rc == CL_VIRUS && virname)
		pst_finding_add(f->scan, f->node, "signature.clamav", PST_SEV_HIGH, "signature", at,
				virname, "ClamAV signature %s matched", virname);
	else if (rc == CL_EMEM)
		return PST_ENOMEM;
	else if (rc != CL_CLEAN && rc != CL_VIRUS)
		pst_finding_add(f->scan, f->node, "signature.scan-incomplete", PST_SEV_LOW,
				"coverage", 0, NULL, "ClamAV scan failed: %s", cl_strerror(rc));
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
	return true;
#else
	return false;
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
