/*
 * scan.c - the scan context: options, the target, findings, facts, coverage,
 * limits reporting and the public result accessors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

double pst_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *pst_err_str(enum pst_err e)
{
	switch (e) {
	case PST_OK: return "ok";
	case PST_ENOMEM: return "out of memory";
	case PST_EIO: return "input/output error";
	case PST_EFORMAT: return "malformed input";
	case PST_EUNSUPPORTED: return "unsupported variant";
	case PST_ELIMIT: return "limit reached";
	case PST_ECANCEL: return "cancelled";
	case PST_EUSAGE: return "usage error";
	case PST_ENOENT: return "no such file or directory";
	}
	return "unknown error";
}

static const char *const sev_names[] = { "info", "low", "medium", "high", "critical" };

const char *pst_severity_str(enum pst_severity s)
{
	return (unsigned)s <= PST_SEV_CRITICAL ? sev_names[s] : "info";
}

int pst_severity_parse(const char *s)
{
	int i;
	for (i = 0; i <= PST_SEV_CRITICAL; i++)
		if (strcmp(s, sev_names[i]) == 0)
			return i;
	return -1;
}

const char *pst_verdict_str(enum pst_verdict v)
{
	switch (v) {
	case PST_VERDICT_PASS: return "pass";
	case PST_VERDICT_REVIEW: return "review";
	case PST_VERDICT_FAIL: return "fail";
	}
	return "review";
}

const char *pst_kind_str(enum pst_kind k)
{
	static const char *const names[PST_KIND_COUNT_] = {
		"unknown", "directory", "symlink", "special", "empty", "elf", "script", "text",
		"key", "archive", "compressed", "filesystem", "firmware", "high-entropy", "data",
	};
	return (unsigned)k < PST_KIND_COUNT_ ? names[k] : "unknown";
}

void pst_limits_default(struct pst_limits *l)
{
	l->max_depth = 24;
	l->max_file_bytes = 256ull << 20;
	l->max_total_bytes = 16ull << 30;
	l->max_files = 1000000;
	l->max_ratio = 500;
	l->max_seconds = 1800;
	l->max_path = 4096;
	l->max_memory = 384ull << 20;
	l->max_spill = 4ull << 30;
}

void pst_options_default(struct pst_options *o)
{
	memset(o, 0, sizeof(*o));
	pst_limits_default(&o->limits);
}

struct pst_scan *pst_scan_new(const struct pst_options *opts)
{
	struct pst_scan *s = pst_calloc(1, sizeof(*s));
	long cores;

	if (!s)
		return NULL;
	pst_oom_guard_libraries();
	if (opts)
		s->opts = *opts;
	else
		pst_options_default(&s->opts);
	s->arena = pst_arena_new();
	if (!s->arena) {
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	s->jobs = s->opts.jobs ? s->opts.jobs : (cores > 0 ? (unsigned)cores : 1);
	{
		long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
		s->mem_cap = 4ull << 30; /* and at most a quarter of RAM */
		if (pages > 0 && page > 0 && (uint64_t)pages * (uint64_t)page / 4 < s->mem_cap)
			s->mem_cap = (uint64_t)pages * (uint64_t)page / 4;
	}
	if (s->jobs > 256)
		s->jobs = 256;
	if (pst_mem_init(&s->mem, s->opts.limits.max_memory, s->jobs, s->opts.limits.max_file_bytes,
			 &s->cancel) != PST_OK) {
		pthread_mutex_destroy(&s->lock);
		pst_arena_free(s->arena);
		free(s);
		return NULL;
	}
	/* the tree is live memory too (docs/limits.md, "One accounting") */
	pst_arena_account(s->arena, &s->mem);
	/* Before the sandbox (the caller enters it after making the scan). */
	pst_spill_open(&s->mem, s->opts.limits.max_spill);
	pst_oom_live_add(s);
	return s;
}

void pst_scan_fit_memory(struct pst_scan *s, uint64_t input_bytes)
{
	uint64_t cap = s->mem_cap;
	if (s->opts.limits.max_memory_fixed)
		return;
	pst_mem_raise(&s->mem, input_bytes > cap / PST_MEMORY_PER_INPUT ? cap
					    : input_bytes * PST_MEMORY_PER_INPUT);
}

/* The first analyzer in the registry that shares analyzer i's state. */
static size_t first_sharer(size_t i)
{
	size_t j;
	for (j = 0; j < i; j++)
		if (pst_analyzers[j]->shared == pst_analyzers[i]->shared)
			return j;
	return i;
}

void pst_scan_free(struct pst_scan *s)
{
	size_t i;
	if (!s)
		return;
	pst_oom_live_remove(s);
	if (s->astate) {
		for (i = 0; pst_analyzers[i]; i++) {
			const struct pst_analyzer *a = pst_analyzers[i];
			if (a->shared && first_sharer(i) == i)
				a->shared->fini(s->astate[i]);
			else if (!a->shared && a->fini)
				a->fini(s->astate[i]);
		}
		free(s->astate);
	}
	pst_extract_close(s->extract);
	pst_policy_free(s->policy);
	free(s->findings);
	free(s->facts);
	free(s->supp);
	pst_mem_destroy(&s->mem);
	pthread_mutex_destroy(&s->lock);
	pst_arena_free(s->arena);
	free(s);
}

void pst_scan_cancel(struct pst_scan *s)
{
	atomic_store(&s->cancel, true);
}

void pst_scan_fail(struct pst_scan *s, enum pst_err e, const char *fmt, ...)
{
	int none = PST_OK;
	va_list ap;
	if (!atomic_compare_exchange_strong(&s->fatal, &none, (int)e))
		return;
	va_start(ap, fmt);
	vsnprintf(s->errmsg, sizeof(s->errmsg), fmt, ap);
	va_end(ap);
	atomic_store(&s->cancel, true);
}

void pst_scan_seterr(struct pst_scan *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->errmsg, sizeof(s->errmsg), fmt, ap);
	va_end(ap);
}

const char *pst_scan_errmsg(const struct pst_scan *s) { return s->errmsg; }

void pst_scan_progress(const struct pst_scan *s, uint64_t *done, uint64_t *seen)
{
	/* nodes counts what unpackers added, the target itself is one more */
	uint64_t d = atomic_load(&((struct pst_scan *)(uintptr_t)s)->done_files);
	uint64_t n = atomic_load(&((struct pst_scan *)(uintptr_t)s)->nodes) + 1;
	*done = d;
	*seen = n > d ? n : d;
}

const char *pst_scan_scratch_dir(const struct pst_scan *s)
{
	size_t i;
	for (i = 0; s->astate && pst_analyzers[i]; i++)
		if (strcmp(pst_analyzers[i]->name, "clamav") == 0)
			return pst_clamav_scratch(s->astate[i]);
	return NULL;
}
const struct pst_node *pst_scan_root(const struct pst_scan *s) { return s->root; }
const struct pst_coverage *pst_scan_coverage(const struct pst_scan *s) { return &s->cov; }
enum pst_verdict pst_scan_verdict(const struct pst_scan *s) { return s->verdict; }
double pst_scan_seconds(const struct pst_scan *s) { return s->seconds; }
unsigned pst_scan_jobs(const struct pst_scan *s) { return s->jobs; }
unsigned pst_scan_worker_count(const struct pst_scan *s) { return s->jobs; }
const char *pst_scan_target_sha256(const struct pst_scan *s) { return s->target_sha; }
uint64_t pst_scan_target_size(const struct pst_scan *s) { return s->target_size; }
const struct pst_policy *pst_scan_policy(const struct pst_scan *s) { return s->policy; }
const char *pst_scan_rules_sha256(const struct pst_scan *s) { return s->rules_sha; }

const struct pst_finding *pst_scan_findings(const struct pst_scan *s, size_t *n)
{
	*n = s->nfindings;
	return s->findings;
}

const struct pst_node *pst_node_next(const struct pst_node *n)
{
	if (n->child)
		return n->child;
	while (n) {
		if (n->next)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

void pst_message(const struct pst_options *o, enum pst_msg kind, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	if (!o->message)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	o->message(o->message_ctx, kind, text);
}

void pst_cov_add(struct pst_scan *s, uint64_t *field, uint64_t n)
{
	pthread_mutex_lock(&s->lock);
	*field += n;
	pthread_mutex_unlock(&s->lock);
}

/* A finding or fact that could not be stored would make the result say
 * less than the scan saw: the scan ends instead (fail closed). */
static void lost(struct pst_scan *s, const char *what, const char *name)
{
	pst_scan_fail(s, PST_ENOMEM, "out of memory recording a %s (%s)", what, name ? name : "?");
}

void pst_finding_add(struct pst_scan *s, const struct pst_node *n, const char *rule,
		     enum pst_severity sev, const char *category, uint64_t off,
		     const char *evidence, const char *fmt, ...)
{
	struct pst_finding f;
	va_list ap;

	memset(&f, 0, sizeof(f));
	f.rule = rule;
	f.severity = sev;
	f.declared_severity = sev;
	f.category = category;
	f.node = n;
	f.offset = off;
	va_start(ap, fmt);
	f.message = pst_arena_vprintf(s->arena, fmt, ap);
	va_end(ap);
	f.evidence = evidence ? pst_arena_strdup(s->arena, evidence) : NULL;
	if (!f.message || (evidence && !f.evidence)) {
		lost(s, "finding", rule);
		return;
	}
	pthread_mutex_lock(&s->lock);
	if (!pst_array_grow((void **)&s->findings, &s->capfindings, s->nfindings,
			    sizeof(*s->findings), 64)) {
		pthread_mutex_unlock(&s->lock);
		lost(s, "finding", rule);
		return;
	}
	s->findings[s->nfindings++] = f;
	pthread_mutex_unlock(&s->lock);
}

void pst_fact_add(struct pst_scan *s, const struct pst_node *n, const char *key, const char *value)
{
	struct pst_fact f = { n, pst_arena_strdup(s->arena, key), pst_arena_strdup(s->arena, value) };
	if (!f.key || !f.value) {
		lost(s, "fact", key);
		return;
	}
	pthread_mutex_lock(&s->lock);
	if (!pst_array_grow((void **)&s->facts, &s->capfacts, s->nfacts, sizeof(*s->facts), 64)) {
		pthread_mutex_unlock(&s->lock);
		lost(s, "fact", key);
		return;
	}
	s->facts[s->nfacts++] = f;
	pthread_mutex_unlock(&s->lock);
}

void pst_finding_suppress(struct pst_scan *s, const struct pst_node *n, const char *by_rule,
			  const char *reason)
{
	struct pst_suppress u = { n, pst_arena_strdup(s->arena, by_rule),
				  pst_arena_strdup(s->arena, reason ? reason : "") };
	if (!u.by_rule || !u.reason) {
		lost(s, "suppression", by_rule);
		return;
	}
	pthread_mutex_lock(&s->lock);
	if (!pst_array_grow((void **)&s->supp, &s->capsupp, s->nsupp, sizeof(*s->supp), 16)) {
		pthread_mutex_unlock(&s->lock);
		lost(s, "suppression", by_rule);
		return;
	}
	s->supp[s->nsupp++] = u;
	pthread_mutex_unlock(&s->lock);
}

/* True when the comma-separated list already names rule. */
static bool list_has(const char *list, const char *rule)
{
	size_t n = strlen(rule);
	const char *p = list;
	while (p && *p) {
		if (strncmp(p, rule, n) == 0 && (p[n] == ',' || p[n] == 0))
			return true;
		p = strchr(p, ',');
		if (p)
			p += 2;
	}
	return false;
}

/* Drops the findings one suppression silences and records what it did. */
static void apply_suppression(struct pst_scan *s, const struct pst_suppress *u)
{
	struct pst_str list;
	size_t i, kept = 0, dropped = 0;
	bool more = false;

	pst_str_init(&list, 512);
	for (i = 0; i < s->nfindings; i++) {
		const struct pst_finding *f = &s->findings[i];
		bool keep = f->node != u->node || strcmp(f->category, "coverage") == 0 ||
			    strcmp(f->rule, u->by_rule) == 0;
		if (keep) {
			s->findings[kept++] = *f;
			continue;
		}
		dropped++;
		if (list_has(list.p, f->rule))
			continue;
		if (list.len + strlen(f->rule) > 400) {
			more = true;
			continue;
		}
		if (list.len)
			pst_str_puts(&list, ", ");
		pst_str_puts(&list, f->rule);
	}
	s->nfindings = kept;
	if (more)
		pst_str_puts(&list, ", ...");
	if (list.err)
		lost(s, "suppression", u->by_rule);
	pst_finding_add(s, u->node, u->by_rule, PST_SEV_INFO, "integrity", 0,
			list.len && !list.err ? list.p : "none",
			"%s; %zu finding(s) silenced", u->reason, dropped);
	pst_str_free(&list);
}

void pst_limit_hit(struct pst_scan *s, const struct pst_node *n, const char *which,
		   const char *fmt, ...)
{
	char rule[64];
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	msg = pst_arena_vprintf(s->arena, fmt, ap);
	va_end(ap);
	snprintf(rule, sizeof(rule), "limit.%s", which);
	pst_finding_add(s, n, pst_arena_strdup(s->arena, rule), PST_SEV_MEDIUM, "coverage", 0,
			NULL, "%s", msg ? msg : which);
	pst_cov_add(s, &s->cov.limits_hit, 1);
}

void pst_cap_hit(struct pst_scan *s, const struct pst_node *n, const char *cap,
		 const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pst_limit_hit(s, n, "cap", "%s (internal cap %s, src/core/caps.h)", msg, cap);
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct pst_finding *a = pa, *b = pb;
	int c = cmp_str(a->node ? a->node->location : "", b->node ? b->node->location : "");
	if (c)
		return c;
	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	c = cmp_str(a->rule, b->rule);
	if (c)
		return c;
	c = cmp_str(a->message, b->message);
	if (c)
		return c;
	return cmp_str(a->evidence, b->evidence);
}

static int fact_cmp(const void *pa, const void *pb)
{
	const struct pst_fact *a = pa, *b = pb;
	int c = cmp_str(a->node ? a->node->location : "", b->node ? b->node->location : "");
	if (c)
		return c;
	c = cmp_str(a->key, b->key);
	return c ? c : cmp_str(a->value, b->value);
}

/* Expired waivers stop applying and become findings of their own, so a lab
 * sees that a decision it once made needs making again. */
static void report_expired(struct pst_scan *s)
{
	size_t n, i;
	const struct pst_waiver *w = pst_policy_waivers(s->policy, &n);
	for (i = 0; i < n; i++) {
		if (!w[i].expired)
			continue;
		pst_finding_add(s, s->root, "policy.waiver-expired", PST_SEV_LOW, "policy", 0,
				pst_arena_printf(s->arena, "rule %s at %s, expired %s", w[i].rule,
						 w[i].location, w[i].expires),
				"waiver (policy %s, line %u) expired on %s and no longer applies: %s",
				pst_policy_name(s->policy), w[i].line, w[i].expires, w[i].justification);
	}
}

/* Loads the analyzers' state; a shared state is loaded by the first
 * analyzer that names it and handed to the others. */
static enum pst_err analyzers_init(struct pst_scan *s)
{
	size_t n = 0, i;
	while (pst_analyzers[n])
		n++;
	s->astate = pst_calloc(n + 1, sizeof(void *));
	if (!s->astate)
		return PST_ENOMEM;
	for (i = 0; i < n; i++) {
		const struct pst_analyzer *a = pst_analyzers[i];
		enum pst_err (*init)(const struct pst_options *, void **) =
			a->shared ? a->shared->init : a->init;
		if (a->shared && first_sharer(i) < i) {
			s->astate[i] = s->astate[first_sharer(i)];
			continue;
		}
		if (init) {
			enum pst_err e;
			PST_OOM_BEGIN();
			e = init(&s->opts, &s->astate[i]);
			/* rules that did not load for want of memory are no format
			 * error, and rules half loaded are no rules */
			if (pst_oom_seen(e))
				e = PST_ENOMEM;
			if (e) {
				pst_scan_seterr(s, "analyzer %s: %s", pst_analyzers[i]->name,
						pst_err_str(e));
				return e;
			}
		}
	}
	return PST_OK;
}

/* The tree-wide analyzers read the facts through a snapshot the finish phase
 * owns: a finish may add facts or findings (YARA's run facts, services'
 * boot-start findings), and s->facts can move when its array grows, so a
 * view into it would be read after it was freed. Facts added during the
 * phase are kept in s->facts for the reports; no finish sees another's. */
static enum pst_err finish(struct pst_scan *s)
{
	struct pst_tree t;
	struct pst_fact *snap = NULL;
	enum pst_err e = PST_OK;
	size_t i;

	if (s->nfacts) {
		qsort(s->facts, s->nfacts, sizeof(*s->facts), fact_cmp);
		snap = pst_malloc(s->nfacts * sizeof(*snap));
		if (!snap)
			return PST_ENOMEM;
		memcpy(snap, s->facts, s->nfacts * sizeof(*snap));
	}
	t.root = s->root;
	t.facts = snap;
	t.nfacts = s->nfacts;
	t.scan = s;
	for (i = 0; pst_analyzers[i]; i++) {
		if (pst_analyzers[i]->finish) {
			PST_OOM_BEGIN();
			e = pst_analyzers[i]->finish(s->astate[i], &t);
			if (pst_oom_seen(e)) {
				pst_scan_fail(s, PST_ENOMEM,
					      "out of memory in analyzer %s (tree-wide)",
					      pst_analyzers[i]->name);
				e = PST_ENOMEM;
				goto out;
			}
			e = PST_OK;
		}
	}
	/* the reports look facts up by location: keep the late ones in order */
	if (s->nfacts)
		qsort(s->facts, s->nfacts, sizeof(*s->facts), fact_cmp);
	for (i = 0; i < s->nsupp; i++)
		apply_suppression(s, &s->supp[i]);
	{
		char today[11];
		pst_today(today);
		pst_policy_apply(s->policy, s->findings, s->nfindings, today);
		report_expired(s);
		pst_policy_apply(s->policy, s->findings, s->nfindings, today);
	}
	if (s->nfindings)
		qsort(s->findings, s->nfindings, sizeof(*s->findings), finding_cmp);
	s->verdict = pst_policy_verdict(s->policy, s->findings, s->nfindings, &s->cov);
out:
	free(snap);
	return e;
}

static const char *base_name(const char *p)
{
	const char *slash;
	size_t len = strlen(p);
	while (len > 1 && p[len - 1] == '/')
		len--;
	slash = memrchr(p, '/', len);
	return slash ? slash + 1 : p;
}

enum pst_err pst_scan_prepare(struct pst_scan *s)
{
	enum pst_err e;
	char err[480];

	if (s->prepared)
		return PST_OK;
	s->prepared = true;
	/* The policy and the rules are read before any untrusted byte is: a
	 * policy that does not parse stops the scan before it starts. */
	PST_OOM_BEGIN();
	s->policy = pst_policy_load(s->opts.policy_path, err, sizeof(err));
	if (pst_oom_seen(PST_OK)) {
		pst_scan_seterr(s, "out of memory loading the policy");
		return PST_ENOMEM;
	}
	if (!s->policy) {
		pst_scan_seterr(s, "policy %s", err);
		return PST_EUSAGE;
	}
	PST_OOM_BEGIN();
	e = pst_rules_digest(s->opts.rule_dirs, s->rules_sha, err, sizeof(err));
	if (pst_oom_seen(e)) {
		pst_scan_seterr(s, "out of memory reading the rules");
		return PST_ENOMEM;
	}
	if (e) {
		pst_scan_seterr(s, "%s", err);
		return e;
	}
	if (s->opts.extract_dir) {
		s->extract = pst_extract_open(s->opts.extract_dir, err, sizeof(err));
		if (!s->extract) {
			pst_scan_seterr(s, "%s", err);
			return PST_EIO;
		}
	}
	e = analyzers_init(s);
	return e;
}

static enum pst_err prepare(struct pst_scan *s, const char *name)
{
	enum pst_err e;

	if (s->ran) {
		pst_scan_seterr(s, "a scan object runs once");
		return PST_EUSAGE;
	}
	s->ran = true;
	e = pst_scan_prepare(s);
	if (e)
		return e;
	s->t_start = pst_now();
	s->root = pst_arena_alloc(s->arena, sizeof(*s->root));
	if (!s->root) {
		pst_scan_seterr(s, "out of memory");
		return PST_ENOMEM;
	}
	s->root->seg = pst_arena_strdup(s->arena, name);
	if (!s->root->seg) {
		pst_scan_seterr(s, "out of memory");
		return PST_ENOMEM;
	}
	s->root->location = s->root->seg;
	s->root->path = "/";
	return PST_OK;
}

/* Walks from the root and runs the finish phase; a fatal error recorded on
 * the way (pst_scan_fail) wins over whatever they returned. */
static enum pst_err walk_and_finish(struct pst_scan *s, struct pst_blob *b, int dirfd)
{
	enum pst_err e = pst_walk(s, s->root, b, dirfd);
	/* a file target is hashed by the walker like any node (walk.c) */
	if (b)
		pst_hex(s->root->sha256, 32, s->target_sha);
	if (e == PST_OK && !atomic_load(&s->fatal))
		e = finish(s);
	if (atomic_load(&s->fatal))
		e = (enum pst_err)atomic_load(&s->fatal);
	else if (e == PST_ENOMEM && !s->errmsg[0])
		pst_scan_seterr(s, "out of memory");
	s->seconds = pst_now() - s->t_start;
	return e;
}

enum pst_err pst_scan_run_mem(struct pst_scan *s, const char *name, const uint8_t *data, size_t len)
{
	struct pst_blob *b;
	enum pst_err e = prepare(s, name);

	if (e)
		return e;
	s->root->mode = S_IFREG | 0644;
	s->target_size = len;
	pst_scan_fit_memory(s, len);
	b = pst_blob_new_borrowed(data, len);
	if (!b)
		return PST_ENOMEM;
	return walk_and_finish(s, b, -1);
}

/* Which root a directory target is taken as: --root, else what its path
 * says, else "/" (dirroot.c). */
static enum pst_err dir_root(struct pst_scan *s, const char *target, int fd)
{
	if (s->opts.dir_root) {
		s->dir_root_from = "option";
		if (pst_dir_root_option(s->opts.dir_root, s->dir_root, sizeof(s->dir_root)) != PST_OK) {
			pst_scan_seterr(s, "--root %s: an absolute path without '..' components",
					s->opts.dir_root);
			return PST_EUSAGE;
		}
		return PST_OK;
	}
	s->dir_root_from = pst_dir_root_infer(fd, target, s->dir_root, sizeof(s->dir_root)) ? "inferred"
											: "default";
	return PST_OK;
}

/* A directory target: its files become the root's children. */
static enum pst_err pst_walk_dir(struct pst_scan *s, int dirfd)
{
	s->target_size = 0;
	memset(s->target_sha, 0, sizeof(s->target_sha));
	return walk_and_finish(s, NULL, dirfd);
}

enum pst_err pst_scan_run(struct pst_scan *s, const char *target)
{
	struct stat st;
	enum pst_err e;
	int fd;

	fd = open(target, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pst_scan_seterr(s, "%s: %s", target, strerror(errno));
		return errno == ENOENT ? PST_ENOENT : PST_EIO;
	}
	if (fstat(fd, &st) != 0) {
		pst_scan_seterr(s, "%s: %s", target, strerror(errno));
		close(fd);
		return PST_EIO;
	}
	if (S_ISDIR(st.st_mode)) {
		e = dir_root(s, target, fd);
		if (e == PST_OK)
			e = prepare(s, base_name(target));
		if (e == PST_OK) {
			s->root->mode = S_IFDIR | (st.st_mode & 07777);
			s->root->kind = PST_KIND_DIR;
			e = pst_walk_dir(s, fd);
		}
		close(fd);
		return e;
	}
	if (!S_ISREG(st.st_mode)) {
		pst_scan_seterr(s, "%s: not a regular file or directory", target);
		close(fd);
		return PST_EUSAGE;
	}
	{
		struct pst_blob *b;
		size_t len = (size_t)st.st_size;
		const uint8_t *p = (const uint8_t *)"";
		void *map = NULL;

		if (len) {
			map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
			if (map == MAP_FAILED) {
				pst_scan_seterr(s, "%s: %s", target, strerror(errno));
				close(fd);
				return PST_EIO;
			}
			p = map;
		}
		close(fd);
		e = prepare(s, base_name(target));
		if (e) {
			if (map)
				munmap(map, len);
			return e;
		}
		s->root->mode = S_IFREG | (st.st_mode & 07777);
		s->target_size = len;
		pst_scan_fit_memory(s, len);
		/* hashed by the walker, its pages let go as they are read */
		b = pst_blob_new_borrowed(p, len);
		if (!b) {
			if (map)
				munmap(map, len);
			pst_scan_seterr(s, "out of memory");
			return PST_ENOMEM;
		}
		b->map_len = map ? len : 0;
		return walk_and_finish(s, b, -1);
	}
}
